// Accuracy against the simulator's ground truth, on short runs (the 7-day, 11-house figures come
// from `npm run bench:analyse`). Each house is simulated once for this file.

import test from "ava";
import { type House } from "../../shared/house/index.js";
import { loadHouseFile } from "../../shared/house/load.js";
import { analyseDetailed } from "../../analyser/measurement/analyse.js";
import { readLineProtocol } from "../../analyser/sources/file.js";
import { readTruth, score, summaryOf } from "../../analyser/measurement/score.js";
import { randomHouse, simulate } from "../../simulator/index.js";

const START = 1_767_225_600; // 2026-01-01 00:00 UTC: winter, the heat pump busy

function run(house: House, days: number, seed: number) {
  const chunks: string[] = [];
  simulate(house, { start: START, days, seed, truth: true }, (c) => chunks.push(c));
  const text = chunks.join("");
  // Skip the first 3 h: the twin starts from a cold, still house.
  const window = { start: START + 3 * 3600, end: START + days * 86400 };
  const data = readLineProtocol(text, window);
  const detail = analyseDetailed(house, data);
  return { detail, data, s: summaryOf(score(house, detail, data, readTruth(text, window))) };
}

const example = run(loadHouseFile("examples/house.yaml").house, 1.5, 1);
const random = run(randomHouse(7, { manifolds: 2 }).house, 1.5, 7);

for (const [name, r] of [["example house", example], ["a random house", random]] as const) {
  test(`${name}: spreads beat the naive 24-hour mean and stay near the water's`, (t) => {
    t.log(JSON.stringify(r.s));
    t.true(r.s.dt_error_k < r.s.naive_dt_error_k, `ours ${r.s.dt_error_k} vs naive ${r.s.naive_dt_error_k}`);
    // Without a bench calibration the sensors' own offsets (N(0, 0.2 K), clones 0.5 K) remain.
    t.true(r.s.dt_error_k < 0.4, `${r.s.dt_error_k}`);
  });

  test(`${name}: flow shares from mixing within 10 %, transit-time flows within 15 % (medians)`, (t) => {
    t.true(r.s.flow_share_error <= 0.1, `${r.s.flow_share_error}`);
    t.true(r.s.transit_flow_error <= 0.15, `${r.s.transit_flow_error}`);
  });

  test(`${name}: every circuit with data is judged, and rejected readings are reported`, (t) => {
    const [ok, all] = r.s.circuits_ok.split("/").map(Number);
    t.true(ok >= all - 1, r.s.circuits_ok);
    t.true(r.detail.result.warnings.some((w) => /rejected \d+ readings/.test(w)));
    t.true(r.detail.result.heating.active_minutes > 600);
  });
}
