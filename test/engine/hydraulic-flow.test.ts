import test from "ava";
import { fitManifoldHead, HEAD_SHARE_OF_PUMP, lockshieldFlowAt, lockshieldFlows, type LockshieldCircuit } from "../../analyser/engine/hydraulic-flow.js";
import { houseOf, lockshield } from "./fixtures.js";

function manifold(turns: number[], lengths: number[]): LockshieldCircuit[] {
  const house = houseOf(turns.map((n, i) => ({ id: `c${i}`, valve: lockshield(n), length: lengths[i] })));
  return house.circuits.map((c, i) => ({ circuit: c, turns: turns[i]! }));
}

test("the head fitted to the estimates is the one that produced them, despite one estimate far off", (t) => {
  const cs = manifold([0.25, 0.5, 1, 4, 4], [30, 50, 70, 90, 110]);
  const head = 18;
  const truth = cs.map((c) => lockshieldFlowAt(head, c));
  // Four estimates 10 % off either way, one 60 % off: the median of the log misfits ignores it.
  const factors = [1.1, 0.9, 1.05, 0.95, 1.6];
  const fitted = fitManifoldHead(cs.map((c, i) => ({ ...c, estimateLpm: truth[i]! * factors[i]! })));
  t.truthy(fitted);
  t.true(Math.abs(fitted! - head) / head < 0.12, `fitted ${fitted} kPa for ${head}`);
});

test("shares follow the turns and the pipes: a nearly closed short circuit against an open long one", (t) => {
  const cs = manifold([0.125, 4], [30, 110]).map((c) => ({ ...c, estimateLpm: 1.5 }));
  const { flows, fitted } = lockshieldFlows(cs, 40);
  t.true(fitted);
  const [short, long] = [flows.get("c0")!, flows.get("c1")!];
  // The same head through both: their drops agree with it.
  const head = fitManifoldHead(cs)!;
  t.true(Math.abs(lockshieldFlowAt(head, cs[0]!) - short) < 1e-9);
  t.true(short < long * 1.5 && short > 0);
  // Opening the short one by an eighth gives it more at the same head.
  t.true(lockshieldFlowAt(head, { ...cs[0]!, turns: 0.25 }) > short * 1.1);
});

test("fewer than two estimates: half the pump's head and not fitted; without a pump head, nothing", (t) => {
  const cs = manifold([1, 2, 3], [50, 60, 70]);
  const one = cs.map((c, i) => (i === 0 ? { ...c, estimateLpm: 1.2 } : c));
  t.is(fitManifoldHead(one), undefined);
  const { flows, fitted } = lockshieldFlows(one, 40);
  t.false(fitted);
  t.is(flows.size, 3);
  t.true(Math.abs(flows.get("c1")! - lockshieldFlowAt(HEAD_SHARE_OF_PUMP * 40, cs[1]!)) < 1e-9);
  t.is(lockshieldFlows(one).flows.size, 0);
});
