import test from "ava";
import { lockshieldStep } from "../../analyser/engine/recommend.js";
import { conductanceFromState, spreadAt } from "../../analyser/engine/physics.js";
import type { CircuitState } from "../../analyser/engine/state.js";
import { flowAtTurns, lockshieldState } from "../../analyser/engine/valves.js";
import { houseOf, lockshield } from "./fixtures.js";

/** A lockshield circuit at `turns`, carrying 1 l/min at a 5 K spread (supply 33 °C, room 20 °C). */
function stateAt(turns: number): { s: CircuitState; flowAt: (n: number) => number } {
  const house = houseOf([{ id: "a", valve: lockshield(turns) }]);
  const circuit = house.circuits[0]!;
  const valve = circuit.valve as Extract<typeof circuit.valve, { kind: "lockshield" }>;
  const s: CircuitState = {
    circuit,
    manifold: house.manifolds[0]!,
    supplyC: 33,
    returnC: 28,
    spreadK: 5,
    spreadUncertaintyK: 0,
    roomC: 20,
    targetRoomC: 20,
    flowLpm: 1,
    ua: conductanceFromState(1, 33, 28, 20),
    setting: turns,
    unit: "turns",
  };
  const state = lockshieldState(circuit, { ...valve, turns_open: turns }, 1);
  return { s, flowAt: (n) => flowAtTurns(n, state, { ...valve, turns_open: turns }) };
}

test("a lockshield's move lands on the eighth whose flow is nearest the damped one (log scale)", (t) => {
  const { s, flowAt } = stateAt(0.5);
  const wanted = 0.8;
  const got = lockshieldStep(s, wanted, wanted, 5, 0.4);
  const eighths = Array.from({ length: 32 }, (_, i) => (i + 1) / 8);
  const nearest = eighths.reduce((a, b) => (Math.abs(Math.log(flowAt(b) / wanted)) < Math.abs(Math.log(flowAt(a) / wanted)) ? b : a));
  t.true(nearest < 0.5);
  t.is(got, flowAt(nearest));
});

test("a move that rounds back to today's eighth takes the next one only when it lands within the band", (t) => {
  const { s, flowAt } = stateAt(0.5);
  // Wanted a little less flow: the damped move rounds back to 0.5 turns.
  const damped = 0.99;
  const next = flowAt(0.375);
  t.true(Math.abs(Math.log(flowAt(0.5) / damped)) < Math.abs(Math.log(next / damped)), "the damped flow rounds to today's eighth");
  const expected = spreadAt(next, s.ua, s.supplyC, s.roomC);
  // A target the next eighth reaches within the band: taken.
  t.is(lockshieldStep(s, damped, 0.8, expected + 0.1, 0.4), next);
  // A target the next eighth overshoots beyond the band: not taken, the damped flow stays (no move).
  t.is(lockshieldStep(s, damped, 0.8, expected - 1, 0.4), damped);
  // Wanted within the flow dead band: no next eighth at all.
  t.is(lockshieldStep(s, damped, 0.97, expected + 0.1, 0.4), damped);
});

test("a flow meter is not touched by the lockshield step", (t) => {
  const house = houseOf([{ id: "a", valve: "{ kind: flow-meter, setting_lpm: 1 }" }]);
  const { s } = stateAt(1);
  t.is(lockshieldStep({ ...s, circuit: house.circuits[0]! }, 0.87, 0.8, 5, 0.4), 0.87);
});

test("a move landing one eighth short of the closed end goes to the end when the wanted flow is beyond it; from further off it does not", (t) => {
  const { s, flowAt } = stateAt(0.875);
  const beyond = flowAt(0.125) * 0.8;
  // The damped flow lands on ¼ (next to ⅛); wanted is below what even ⅛ gives: ⅛.
  t.is(lockshieldStep(s, flowAt(0.25), beyond, 9, 0.4), flowAt(0.125));
  // Wanted between ⅛ and ¼: the eighth nearest the damped flow stays.
  const between = Math.sqrt(flowAt(0.125) * flowAt(0.25));
  t.is(lockshieldStep(s, flowAt(0.25), between, 9, 0.4), flowAt(0.25));
  // The damped flow lands on ½, far from the end: damping holds, whatever is wanted.
  t.is(lockshieldStep(s, flowAt(0.5), beyond, 9, 0.4), flowAt(0.5));
});
