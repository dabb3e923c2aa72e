import test from "ava";
import { luxReturnTargetC, targetAtC } from "../../analyser/curve/index.js";
import { loadHouseFile } from "../../shared/house/load.js";
import { copAt } from "../../simulator/heatpump.js";
import { Twin } from "../../simulator/index.js";

const START = Date.UTC(2026, 0, 12) / 1000;

test("COP model: about 2–3 % better per K lower supply (domain §6)", (t) => {
  const gain = copAt(34, 0) / copAt(35, 0) - 1;
  t.true(gain > 0.02 && gain < 0.035, `gain ${gain}`);
});

test("the simulated heat pump follows a Luxtronik return target, counts starts and reports electrical power", (t) => {
  const { house } = loadHouseFile("examples/house.yaml");
  const twin = new Twin(house, { start: START, seed: 4, spinUpDays: 0.5, sensorFaults: false, weather: { mean_c: 3 } });
  const lux = { kind: "luxtronik" as const, step_k: 0.5, curve: { end_point_c: 26, offset_c: 20 } };
  twin.setController(lux);
  const returns: number[] = [];
  const targets: number[] = [];
  let electric = 0;
  let heat = 0;
  for (let s = 60; s <= 86400; s += 60) {
    twin.runTo(START + s);
    const tr = twin.truth();
    if (s > 6 * 3600) {
      returns.push(tr.heat_pump.return_c);
      targets.push(luxReturnTargetC(lux.curve, tr.outdoor_c));
    }
    if (tr.heat_pump.state === "heating") {
      electric += tr.heat_pump.electric_w;
      heat += tr.heat_pump.heat_w;
      t.true(tr.heat_pump.compressor);
    }
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  t.true(Math.abs(mean(returns) - mean(targets)) < 2.5, `return ${mean(returns).toFixed(1)} vs target ${mean(targets).toFixed(1)}`);
  const cop = heat / electric;
  t.true(cop > 2.5 && cop < 6, `COP ${cop}`);
  t.true(twin.truth().heat_pump.starts > 0);
  t.is(targetAtC(twin.controller(), 0), luxReturnTargetC(lux.curve, 0));
});
