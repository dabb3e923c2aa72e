import test from "ava";
import { lockshieldState, meterReading, roundTurns, turnsForFlow, flowAtTurns } from "../../analyser/engine/valves.js";
import { houseOf, lockshield } from "./fixtures.js";
import { damp, clampStep, withinFlowDeadBand, indexScaling, keepMinimumFlow } from "../../analyser/engine/limits.js";

const scale = { min: 0.5, max: 3.0, step: 0.1 };

test("flow meter: rounded to the scale step and clamped to the scale", (t) => {
  t.is(meterReading(1.84, scale), 1.8);
  t.is(meterReading(1.86, scale), 1.9);
  t.is(meterReading(0.2, scale), 0.5);
  t.is(meterReading(4, scale), 3);
  t.is(meterReading(1.26, { min: 0.5, max: 4, step: 0.25 }), 1.25);
});

test("turns round to 1/8 within the valve", (t) => {
  t.is(roundTurns(1.3, 4), 1.25);
  t.is(roundTurns(1.32, 4), 1.375);
  t.is(roundTurns(9, 4), 4);
  t.is(roundTurns(0, 4), 0.125);
});

test("lockshield: head backed out of the current state; the current flow maps back to the current turns", (t) => {
  const house = houseOf([{ id: "a", valve: lockshield(1.5) }, { id: "b", valve: lockshield(1) }]);
  const c = house.circuits[0]!;
  const v = c.valve as Extract<typeof c.valve, { kind: "lockshield" }>;
  const state = lockshieldState(c, v, 1.4);
  t.is(turnsForFlow(1.4, state, v), 1.5);
  t.true(Math.abs(flowAtTurns(1.5, state, v) - 1.4) < 1e-6);
  // Less flow → fewer turns; more than fully open gives → max turns.
  t.true(turnsForFlow(1.0, state, v) < 1.5);
  t.is(turnsForFlow(10, state, v), 4);
});

test("damping moves part of the way on a log scale; the step is capped", (t) => {
  t.true(Math.abs(damp(1, 2, 0.5) - Math.SQRT2) < 1e-12);
  t.is(damp(1.5, 1.5, 0.6), 1.5);
  t.is(clampStep(1, 2, 0.3), 1.3);
  t.is(clampStep(1, 0.2, 0.3), 0.7);
});

test("flow dead band: max(0.1 l/min, 5 %)", (t) => {
  t.true(withinFlowDeadBand(1, 1.09));
  t.false(withinFlowDeadBand(1, 1.11));
  t.true(withinFlowDeadBand(3, 3.14));
  t.false(withinFlowDeadBand(3, 3.16));
});

test("index scaling: the circuit that wants more than its valve gives sets the factor", (t) => {
  t.deepEqual(indexScaling([1.2, 0.9], [2, 2]), { factor: 1, index: -1 });
  const r = indexScaling([1.5, 0.9, 1.1], [1.0, 2, 1.05]);
  t.is(r.index, 0);
  t.true(Math.abs(r.factor - 1 / 1.5) < 1e-12);
});

test("minimum flow: reductions shrink so the total stays at the heat pump's minimum", (t) => {
  const r = keepMinimumFlow([2, 2, 2], [1, 1, 2.5], 5);
  t.true(r.limited);
  t.true(Math.abs(r.flows.reduce((a, b) => a + b, 0) - 5) < 1e-9);
  t.is(r.flows[2], 2.5);
  t.false(keepMinimumFlow([2, 2], [1.5, 1.5], 2).limited);
});
