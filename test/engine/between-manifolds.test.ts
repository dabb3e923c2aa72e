import test from "ava";
import { underSupplied, UNDER_SUPPLY_SHARE } from "../../analyser/engine/between-manifolds.js";
import { recommend } from "../../analyser/engine/recommend.js";
import { emptyMemory } from "../../analyser/engine/memory.js";
import { analysisOf, houseOf, meter } from "./fixtures.js";

/** Two manifolds of two metered circuits each: a, b on m1; c (at `cLpm`), d on m2. */
const twoManifolds = (cLpm: number) =>
  houseOf(
    [
      { id: "a", valve: meter(1.5), manifold: "m1" },
      { id: "b", valve: meter(1.5), manifold: "m1" },
      { id: "c", valve: meter(cLpm), manifold: "m2" },
      { id: "d", valve: meter(1.5), manifold: "m2" },
    ],
    { manifolds: ["m1", "m2"] },
  );

const m = (manifold: string, meanSpreadK: number, flowLpm = 6) => ({ manifold, meanSpreadK, flowLpm });

test("a manifold far above the others' mean spread is under-supplied; ordinary differences are not", (t) => {
  const short = underSupplied([m("a", 5), m("b", 5.2), m("c", 7)], 0.4);
  t.deepEqual(short.map((u) => u.manifold), ["c"]);
  t.true(Math.abs(short[0]!.othersMeanK - 5.1) < 1e-9);
  t.true(Math.abs(short[0]!.scale - 5.1 / 7) < 1e-9);
  // 20 % above the others is how rooms differ, not under-supply.
  t.deepEqual(underSupplied([m("a", 5), m("b", 6)], 0.4), []);
  // Just beyond the share, but not beyond twice the dead band: left alone.
  t.deepEqual(underSupplied([m("a", 2), m("b", 2 * (1 + UNDER_SUPPLY_SHARE) + 0.01)], 0.4), []);
});

test("the others' mean is flow-weighted, and a lone manifold has nothing to compare with", (t) => {
  const short = underSupplied([m("a", 4, 9), m("b", 6, 3), m("c", 7, 6)], 0.4);
  t.true(Math.abs(short.find((u) => u.manifold === "c")!.othersMeanK - 4.5) < 1e-9);
  t.deepEqual(underSupplied([m("b", 7)], 0.4), []);
});

test("by default a different manifold mean is not an imbalance: each manifold balanced within gets no change", (t) => {
  const house = twoManifolds(1.0);
  const { result } = recommend(house, analysisOf(house, { a: { spread: 4 }, b: { spread: 4.1 }, c: { spread: 6.1 }, d: { spread: 6 } }), emptyMemory());
  t.deepEqual(result.actions, []);
  t.false(result.warnings.some((w) => /under-supplied/.test(w)));
});

test("switched on, an under-supplied manifold's circuits are raised together; the others are left as they are", (t) => {
  const house = twoManifolds(1.0);
  const { result } = recommend(house, analysisOf(house, { a: { spread: 4 }, b: { spread: 4.1 }, c: { spread: 6.1 }, d: { spread: 6 } }), emptyMemory(), { on: ["between-manifolds"] });
  t.deepEqual(result.actions.map((a) => a.circuit).sort(), ["c", "d"]);
  for (const a of result.actions) t.true(a.to > a.from, a.circuit);
  // Together: both by about the same factor (within one scale step), so the balance within stays.
  const [c, d] = ["c", "d"].map((id) => result.actions.find((a) => a.circuit === id)!);
  t.true(Math.abs(c!.to / c!.from - d!.to / d!.from) < 0.1 / 1.0 + 1e-9);
  t.true(result.warnings.some((w) => /M2: under-supplied as a whole \(mean spread 6\.0 K against 4\.0 K/.test(w)));
  t.false(result.balanced);
});

test("the balance within every manifold comes first: no raise while any manifold is unbalanced within", (t) => {
  const house = twoManifolds(1.5);
  // m2 is unbalanced within: its own circuits move first, one up, one down.
  const within = recommend(house, analysisOf(house, { a: { spread: 4 }, b: { spread: 4.1 }, c: { spread: 7.5 }, d: { spread: 5 } }), emptyMemory(), { on: ["between-manifolds"] }).result;
  const c = within.actions.find((a) => a.circuit === "c")!;
  const d = within.actions.find((a) => a.circuit === "d")!;
  t.true(c.to > c.from);
  t.true(d.to < d.from);
  t.false(within.warnings.some((w) => /under-supplied/.test(w)));
  // m2 balanced within but m1 not: m1 is balanced first, m2 waits.
  const other = recommend(house, analysisOf(house, { a: { spread: 5 }, b: { spread: 3.2 }, c: { spread: 6.1 }, d: { spread: 6 } }), emptyMemory(), { on: ["between-manifolds"] }).result;
  t.deepEqual(other.actions.map((x) => x.manifold).sort(), ["m1", "m1"]);
  t.false(other.warnings.some((w) => /under-supplied/.test(w)));
});
