import test from "ava";
import { loadHouseFile } from "../../shared/house/load.js";
import { curveSupplyC } from "../../simulator/heating-curve.js";
import { HeatPumpController } from "../../simulator/heatpump.js";
import { Twin } from "../../simulator/index.js";
import { START } from "./fixtures.js";

test("heating curve: linear between −22/0/+22 °C, flat outside, plus the offset", (t) => {
  const curve = { at_minus22_c: 48.3, at_0_c: 39.0, at_plus22_c: 32.0, offset_k: 0 };
  t.is(Math.round(curveSupplyC(curve, 10.7) * 10) / 10, 35.6, "Lambda's own example (seed 004)");
  t.is(curveSupplyC(curve, -30), 48.3);
  t.is(curveSupplyC(curve, 30), 32.0);
  t.is(curveSupplyC({ ...curve, offset_k: -2 }, 0), 37.0);
});

test("heat pump: defrosts below +5 °C, and hot water twice a day with no floor heat", (t) => {
  const { house } = loadHouseFile("examples/house.yaml");
  const twin = new Twin(house, { start: START, seed: 8, spinUpDays: 0.5, sensorFaults: false, weather: { mean_c: 1 } });
  const states: string[] = [];
  const heat: number[] = [];
  for (let s = 60; s <= 2 * 86400; s += 60) {
    twin.runTo(START + s);
    const hp = twin.truth().heat_pump;
    states.push(hp.state);
    heat.push(hp.heat_w);
  }
  const runs = (state: string) => {
    const out: number[] = [];
    let len = 0;
    for (const s of states) {
      if (s === state) len++;
      else if (len > 0) {
        out.push(len);
        len = 0;
      }
    }
    return out;
  };
  const defrosts = runs("defrost");
  t.true(defrosts.length >= 10, `${defrosts.length} defrosts in two cold days`);
  t.true(defrosts.every((m) => m >= 2 && m <= 11), "each 3–10 min");
  states.forEach((s, i) => s === "defrost" && t.true(heat[i] < 0, "a defrost takes heat from the water"));
  const dhw = runs("dhw");
  t.is(dhw.length, 4, "two hot-water runs a day");
  t.true(dhw.every((m) => m >= 39 && m <= 41), "40 min each");
  states.forEach((s, i) => s === "dhw" && t.is(heat[i], 0));
});

test("heat pump controller: switches on the return temperature, keeping its minimum run and off times", (t) => {
  const { house } = loadHouseFile("examples/house.yaml");
  const quiet = { ...house, plant: { ...house.plant, heat_pump: { ...house.plant.heat_pump, dhw_runs_per_day: 0 } } };
  const hp = new HeatPumpController(quiet, 1, START);
  const flowWK = 2500;
  let ret = 25;
  const switches: { t: number; state: string }[] = [];
  let last = hp.state;
  for (let s = 10; s <= 12 * 3600; s += 10) {
    hp.step(START + s, 10, ret, flowWK, 10, 12, 0, 0);
    // A fast toy plant: the return rises 0.02 K per step while heating and falls as fast when off.
    ret += hp.state === "heating" ? 0.02 : -0.02;
    if (hp.state !== last) {
      switches.push({ t: s, state: hp.state });
      last = hp.state;
    }
  }
  t.true(switches.length >= 8, `${switches.length} switches in 12 h`);
  for (let i = 1; i < switches.length; i++) t.true(switches[i].t - switches[i - 1].t >= 15 * 60, `period ${(switches[i].t - switches[i - 1].t) / 60} min`);
  const target = hp.supplyTargetC;
  const returnSet = target - (house.plant.heat_pump.min_kw * 1000) / flowWK;
  t.true(ret > returnSet - 4 && ret < returnSet + 4, "the return swings around the return set point");
});
