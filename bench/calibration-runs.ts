// The calibration procedures as a person following `floorbalance calibrate`'s guidance would run
// them on a simulated house (issue 19), for bench:analyse:
// - bundle: every node's sensors in one pot the day before mounting, until the tool says done;
// - in place: half a day in, 45 min standby with the pump running, then the floor circulation
//   stopped until the tool says every sensor levelled off (120 min at most);
// - harvested: two power cuts (60 and 90 min, no standby) in the ordinary data, found and
//   weighted by the harvest, combined per ROM.
// Each yields the analysis options a calibration file would give.

import type { House } from "../shared/house/index.js";
import { analysisCalibration, mergeCalibrationFile } from "../analyser/calibration/file.js";
import { findStopWindows, harvest } from "../analyser/calibration/harvest.js";
import { bundleStep, inPlaceStep, manifoldRoms, nodeRoms } from "../analyser/calibration/procedure.js";
import type { SensorCalibration } from "../analyser/calibration/types.js";
import type { AnalyseOptions } from "../analyser/measurement/analyse.js";
import type { MinuteSeries } from "../analyser/measurement/series.js";
import { readLineProtocol } from "../analyser/sources/file.js";
import { simulateBundle, simulateInPlace } from "../simulator/calibration.js";
import type { Simulation } from "../simulator/index.js";

export type CalibrationOptions = Pick<AnalyseOptions, "calibration" | "calibrationSd" | "calibrationGain" | "calibrationFixed">;

export function optionsOf(sensors: SensorCalibration[]): CalibrationOptions {
  return analysisCalibration(mergeCalibrationFile({ version: 1, sensors: {} }, sensors, 0));
}

/** The bundle, node by node; minutes from the sensors going into the pot to "done". */
export function bundleRun(house: House, sim: Simulation, seed: number): { options: CalibrationOptions; minutes: number[]; replace: number } {
  const sensors: SensorCalibration[] = [];
  const minutes: number[] = [];
  const start = sim.twin.start - 2 * 86400;
  for (const node of house.nodes) {
    const specs = sim.twin.sensors.filter((s) => s.node === node.id);
    if (specs.length < 2) continue;
    const run = simulateBundle(house, specs, { seed: seed * 31 + house.nodes.indexOf(node), start, minutes: 120 });
    const data = readLineProtocol(run.text, { start, end: start + 121 * 60 });
    // The person asks the tool every 5 minutes and stops when it says done.
    for (let now = 10; now <= 120; now += 5) {
      const part: MinuteSeries = { ...data, minutes: now, byRom: new Map([...data.byRom].map(([r, x]) => [r, x.subarray(0, now)])) };
      const step = bundleStep(part, nodeRoms(part, node.id), `node:${node.id}`, now === 120);
      if (step.kind === "done") {
        sensors.push(...step.fit.sensors);
        minutes.push(now);
        break;
      }
    }
  }
  return { options: optionsOf(sensors), minutes, replace: sensors.filter((s) => s.replace).length };
}

/** Ordinary data of the hour before `at` joined with a procedure's readings from `at`. */
function joined(ordinary: string, procedure: string, at: number, end: number): MinuteSeries {
  const before = readLineProtocol(ordinary, { start: at - 3600, end: at });
  const after = readLineProtocol(procedure, { start: at, end });
  const byRom = new Map<string, Float64Array>();
  for (const [rom, x] of after.byRom) {
    const y = new Float64Array(before.minutes + after.minutes).fill(NaN);
    const b = before.byRom.get(rom);
    if (b) y.set(b, 0);
    y.set(x, before.minutes);
    byRom.set(rom, y);
  }
  return { start: before.start, minutes: before.minutes + after.minutes, byRom, seen: after.seen };
}

/** In place from the twin's state now; `ordinary` = the line protocol of the last hour. */
export function inPlaceRun(house: House, sim: Simulation, ordinary: string, seed: number): { options: CalibrationOptions; stoppedMin: number[]; converged: number } {
  const at = sim.time;
  const run = simulateInPlace(house, sim.twin.sensors, sim.twin.sensorSurroundings(), { seed, start: at, standbyMinutes: 45, stopMinutes: 120 });
  const data = joined(ordinary, run.text, at, run.endsAt);
  const stopAt = Math.round((run.stoppedAt - data.start) / 60);
  const sensors: SensorCalibration[] = [];
  const stoppedMin: number[] = [];
  let converged = 0;
  for (const m of house.manifolds) {
    // The person noted the time they stopped the circulation (--stopped-at), as the guidance asks.
    const step = inPlaceStep(house, data, m.id, stopAt);
    if (step.kind !== "finished") continue;
    sensors.push(...step.sensors);
    stoppedMin.push(step.stoppedMin);
    if (step.converged) converged++;
  }
  return { options: optionsOf(sensors), stoppedMin, converged };
}

/** Power cuts found in ordinary data and harvested; each cut is a separate piece of data. */
export function harvestRun(house: House, cuts: { ordinary: string; sim: Simulation; minutes: number; seed: number }[]): SensorCalibration[][] {
  return cuts.map(({ ordinary, sim, minutes, seed }) => {
    const at = sim.time;
    const run = simulateInPlace(house, sim.twin.sensors, sim.twin.sensorSurroundings(), { seed, start: at, standbyMinutes: 0, stopMinutes: minutes });
    const data = joined(ordinary, run.text, at, run.endsAt);
    return house.manifolds.flatMap((m) => {
      const roms = manifoldRoms(house, m.id);
      const by = new Map([roms.supply, roms.ret, ...roms.circuits].filter((r): r is string => !!r && data.byRom.has(r)).map((r) => [r, data.byRom.get(r)!]));
      return harvest(by, roms.circuits, data.minutes, `manifold:${m.id}`).sensors;
    });
  });
}

/** Combine harvests per ROM by inverse variance. */
export function combineHarvests(parts: SensorCalibration[][]): CalibrationOptions {
  const acc = new Map<string, { w: number; wx: number; group: string }>();
  for (const part of parts) {
    for (const s of part) {
      const a = acc.get(s.rom) ?? { w: 0, wx: 0, group: s.group };
      a.w += 1 / s.sd_k ** 2;
      a.wx += s.offset_k / s.sd_k ** 2;
      acc.set(s.rom, a);
    }
  }
  return optionsOf([...acc].map(([rom, a]) => ({ rom, offset_k: a.wx / a.w, sd_k: Math.sqrt(1 / a.w), method: "harvested" as const, group: a.group })));
}

/** Stop windows the harvest finds in ordinary data (with no stop in it: false windows). */
export function falseWindows(house: House, data: MinuteSeries): number {
  return house.manifolds.reduce((n, m) => {
    const roms = manifoldRoms(house, m.id);
    const by = new Map([roms.supply, roms.ret, ...roms.circuits].filter((r): r is string => !!r && data.byRom.has(r)).map((r) => [r, data.byRom.get(r)!]));
    return n + findStopWindows(by, roms.circuits, data.minutes).length;
  }, 0);
}
