import test from "ava";
import { heatSpread } from "../../analyser/measurement/heat-spread.js";

// Cycles of 40 flowing minutes and 20 off: during each run the spread starts high (cold water
// from the floor) and falls towards 4 K; off minutes must not count.
function cycling(cycles: number, offValue = -3): { diff: Float64Array; supply: Float64Array; carrying: Uint8Array; expected: number } {
  const n = cycles * 60;
  const diff = new Float64Array(n);
  const supply = new Float64Array(n).fill(30);
  const carrying = new Uint8Array(n);
  let sum = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const m = i % 60;
    if (m < 40) {
      carrying[i] = 1;
      diff[i] = 4 + 3 * Math.exp(-m / 8);
      sum += diff[i];
      k++;
    } else diff[i] = offValue;
  }
  return { diff, supply, carrying, expected: sum / k };
}

test("the heat-carrying spread is the mean over the heat-flow minutes, transients included, off minutes left out", (t) => {
  const c = cycling(12);
  const hs = heatSpread(c.diff, c.supply, c.carrying)!;
  t.true(Math.abs(hs.mean_k - c.expected) < 0.001, `${hs.mean_k} vs ${c.expected}`);
  t.is(hs.minutes, 480);
  t.is(hs.cycles, 12);
  t.is(hs.supply_c, 30);
  // Identical cycles: the interval is as narrow as the sensors' own offset uncertainty allows.
  t.true(hs.ci.low <= hs.mean_k && hs.mean_k <= hs.ci.high);
  t.true(hs.ci.high - hs.ci.low < 0.01);
  const withOffsets = heatSpread(c.diff, c.supply, c.carrying, 0.1)!;
  t.true(withOffsets.ci.high - withOffsets.ci.low > 0.3);
  // What the off minutes hold does not matter.
  t.is(heatSpread(cycling(12, 9).diff, c.supply, c.carrying)!.mean_k, hs.mean_k);
});

test("missing minutes are skipped, cycles that differ widen the interval, no heat flow gives null", (t) => {
  const c = cycling(12);
  const gappy = Float64Array.from(c.diff);
  for (let i = 0; i < gappy.length; i += 7) gappy[i] = NaN;
  const hs = heatSpread(gappy, c.supply, c.carrying)!;
  t.true(hs.minutes < 480);
  t.true(Math.abs(hs.mean_k - c.expected) < 0.1);
  const varied = Float64Array.from(c.diff);
  for (let i = 0; i < varied.length; i++) varied[i] += Math.floor(i / 60) % 2 ? 1 : -1;
  const v = heatSpread(varied, c.supply, c.carrying)!;
  t.true(v.ci.high - v.ci.low > 0.5);
  t.is(heatSpread(c.diff, c.supply, new Uint8Array(c.diff.length)), null);
});
