// The bench's model-fidelity figure: a change counts only when applied as recommended and judged
// before the next recommendation; its observed error move is compared with the expected one.

import test from "ava";
import { randomHouse } from "../../simulator/index.js";
import { modelResponses } from "../../bench/convergence-loop.js";
import type { MemoryEvent, Observation } from "../../analyser/engine/memory.js";

const { house } = randomHouse(11, { manifolds: 1 });
const circuit = house.circuits[0]!;
const unit = circuit.valve.kind === "flow-meter" ? ("l/min" as const) : ("turns" as const);
const from = 1.0;
const to = circuit.valve.kind === "flow-meter" ? 1.5 : 0.5;

function events(appliedValue: number, expected = 5.0): MemoryEvent[] {
  const base = { circuit: circuit.id, manifold: circuit.manifold, unit, text: "" };
  return [
    { ...base, time: 1000, cycle: 1, kind: "recommended", value: to, from, spread_k: 6.0, expected_spread_k: expected },
    { ...base, time: 2000, cycle: 1, kind: "applied", value: appliedValue, from },
  ];
}
const judged = new Map<string, Observation[]>([
  [
    circuit.id,
    [
      { cycle: 1, time: 1000, spread_k: 6.0, error_k: 1.0 },
      { cycle: 3, time: 5000, spread_k: 5.2, error_k: 0.4 },
    ],
  ],
]);

test("a change applied as recommended gives its observed and expected error move", (t) => {
  const r = modelResponses(house, events(to), judged);
  t.is(r.length, 1);
  t.is(r[0]!.valve, circuit.valve.kind);
  t.true(Math.abs(r[0]!.expectedK - -1.0) < 1e-9);
  t.true(Math.abs(r[0]!.observedK - -0.6) < 1e-9);
});

test("a change set differently, or expected within the noise, does not count", (t) => {
  t.is(modelResponses(house, events(to * 2), judged).length, 0);
  t.is(modelResponses(house, events(to, 5.9), judged).length, 0);
});

test("a change not yet judged does not count", (t) => {
  t.is(modelResponses(house, events(to), new Map([[circuit.id, judged.get(circuit.id)!.slice(0, 1)]])).length, 0);
});
