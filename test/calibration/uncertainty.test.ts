// The analysis result carries each spread's uncertainty: uncalibrated σ 0.3 K sensors leave
// spreads wider than the dead band and the report names the sensors to calibrate; with a
// calibration they are resolvable and nothing is named.
import test from "ava";
import { analyse } from "../../analyser/measurement/analyse.js";
import { needsCalibration } from "../../analyser/report/compose.js";
import { readLineProtocol } from "../../analyser/sources/file.js";
import { loadHouseFile } from "../../shared/house/load.js";
import { Simulation } from "../../simulator/index.js";
import { START } from "./fixtures.js";

test("uncalibrated spreads are not resolvable and name their sensors; calibrated ones are", (t) => {
  const { house } = loadHouseFile("examples/house.yaml");
  const sim = new Simulation(house, { start: START, days: 1, seed: 5, sensorFaults: false, sensorModel: { offsetSdK: 0.3 } });
  const chunks: string[] = [];
  sim.run(sim.end, (c) => chunks.push(c));
  const data = readLineProtocol(chunks.join(""), { start: START, end: sim.end });
  const raw = analyse(house, data);
  const judged = raw.manifolds.flatMap((m) => m.circuits).filter((c) => c.status === "ok");
  t.true(judged.length > 10);
  for (const c of judged) {
    const u = (c.heat_spread ?? c.spread)!.uncertainty!;
    t.true(u.interval.low < u.interval.high);
    t.true(u.calibration_k > 0.3, "two uncalibrated sensors");
    t.true(u.coupling_k > 0);
  }
  t.true(judged.some((c) => !(c.heat_spread ?? c.spread)!.uncertainty!.resolvable));
  t.true(needsCalibration(raw).length > 0);

  const truth = sim.twin.truth().sensors;
  const calibrated = analyse(house, data, {
    calibration: Object.fromEntries(truth.map((s) => [s.rom, s.offset_k])),
    calibrationSd: Object.fromEntries(truth.map((s) => [s.rom, 0.02])),
    calibrationFixed: truth.map((s) => s.rom),
  });
  const before = new Map(judged.map((c) => [c.circuit, (c.heat_spread ?? c.spread)!.uncertainty!]));
  const after = calibrated.manifolds.flatMap((m) => m.circuits).filter((c) => c.status === "ok");
  for (const c of after) {
    const u = (c.heat_spread ?? c.spread)!.uncertainty!;
    t.deepEqual(u.calibrate, []);
    t.true(u.relative_half_width_k < before.get(c.circuit)!.relative_half_width_k);
  }
  // What is left is the noise and the air coupling of hot returns (a prior, not calibrated away).
  const left = after.filter((c) => (c.heat_spread ?? c.spread)!.uncertainty!.resolvable).length;
  t.log(`resolvable after calibration: ${left}/${after.length}; before: ${judged.filter((c) => (c.heat_spread ?? c.spread)!.uncertainty!.resolvable).length}/${judged.length}`);
  t.deepEqual(needsCalibration(calibrated), []);
});
