import test from "ava";
import {
  conductanceFromState,
  designSpreads,
  flowForOutput,
  flowForSpread,
  khTypeA,
  kvAtTurns,
  outputAt,
  spreadAt,
  turnsForKv,
} from "../../analyser/engine/physics.js";

test("UA backed out of a state reproduces that state's spread", (t) => {
  const ua = conductanceFromState(1.5, 34, 29, 20);
  t.true(Math.abs(spreadAt(1.5, ua, 34, 20) - 5) < 1e-9);
});

test("flowForSpread inverts spreadAt", (t) => {
  const ua = conductanceFromState(1.5, 34, 29, 20);
  for (const spread of [3, 4.5, 6, 9]) t.true(Math.abs(spreadAt(flowForSpread(spread, ua, 34, 20), ua, 34, 20) - spread) < 1e-9);
  t.true(Number.isNaN(flowForSpread(14, ua, 34, 20)));
});

test("output reacts to flow sub-linearly (domain §3)", (t) => {
  const ua = conductanceFromState(2, 34, 29, 20);
  const q2 = outputAt(2, ua, 34, 20);
  const q1 = outputAt(1, ua, 34, 20);
  t.true(q1 / q2 > 0.5 && q1 / q2 < 1);
});

test("bisection finds the flow for an output, and refuses one above the ceiling UA·Δθ", (t) => {
  const ua = conductanceFromState(1.5, 34, 29, 20);
  const target = outputAt(2.2, ua, 34, 20);
  t.true(Math.abs(flowForOutput(target, ua, 34, 20) - 2.2) < 1e-6);
  t.true(Number.isNaN(flowForOutput(ua * 14 * 1.01, ua, 34, 20)));
});

test("EN 1264 design spreads: lower-load rooms get a larger spread, the design room σ_des", (t) => {
  const { spreads } = designSpreads([{ excessK: 10 }, { excessK: 7 }, { excessK: 4 }], 5);
  t.is(spreads[0], 5);
  t.true(spreads[1]! > 5 && spreads[2]! > spreads[1]!);
});

test("K_H of a tiled floor is higher than of a carpeted one, and falls with spacing", (t) => {
  const tiles = khTypeA({ covering_r: 0, spacing_m: 0.15, screed_m: 0.045 });
  const carpet = khTypeA({ covering_r: 0.15, spacing_m: 0.15, screed_m: 0.045 });
  t.true(tiles > carpet);
  t.true(Math.abs(tiles - 5.6) < 0.6); // domain §1 table: 5.6 W/m²K
  t.true(khTypeA({ covering_r: 0.1, spacing_m: 0.3, screed_m: 0.045 }) < khTypeA({ covering_r: 0.1, spacing_m: 0.1, screed_m: 0.045 }));
});

test("lockshield characteristic inverts", (t) => {
  const c = { kvs: 1, n0_turns: 0.45 };
  for (const n of [0.25, 0.75, 1.5]) t.true(Math.abs(turnsForKv(kvAtTurns(n, c), c) - n) < 1e-9);
  t.is(turnsForKv(1.2, c), Infinity);
});
