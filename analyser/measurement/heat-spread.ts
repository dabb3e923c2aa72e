// The heat-carrying spread of a circuit: the mean of supply − return over every minute the water
// carries heat to the manifold (start-ups and run-outs included), i.e. Q_i ÷ (ṁ_i·c) per minute
// of heat flow. Unlike the settled median it needs no steady minutes, so a long circuit on a
// cycling heat pump (its front never settles in a 40-minute run) is measured too, and over whole
// cycles the sensors' lag cancels out of a time mean. Balancing compares these: equal
// heat-carrying spreads mean every circuit's heat is in proportion to its flow. Pure.

import { round, robustSd, sd as stdev, Z90 } from "./stats.js";
import type { HeatSpread } from "./result.js";

/**
 * `diff` = supply − circuit return (corrected), `flowing` = the manifold's heat-flow minutes,
 * `supply` = the manifold supply. Each run of flowing minutes is one cycle, the independent unit
 * of the interval. Null when no minute counts.
 */
export function heatSpread(diff: Float64Array, supply: Float64Array, flowing: Uint8Array, extraSdK = 0): HeatSpread | null {
  const cycleMeans: number[] = [];
  const cycleWeights: number[] = [];
  let sum = 0;
  let supplySum = 0;
  let n = 0;
  let runSum = 0;
  let runN = 0;
  const close = () => {
    if (runN > 0) {
      cycleMeans.push(runSum / runN);
      cycleWeights.push(runN);
    }
    runSum = 0;
    runN = 0;
  };
  for (let i = 0; i < diff.length; i++) {
    if (!flowing[i]) {
      close();
      continue;
    }
    const d = diff[i];
    if (!Number.isFinite(d) || !Number.isFinite(supply[i])) continue;
    sum += d;
    supplySum += supply[i];
    n++;
    runSum += d;
    runN++;
  }
  close();
  if (n === 0) return null;
  const m = sum / n;
  // Cycles differ (weather, defrosts, the heat pump's modulation): their scatter, shrunk by
  // their number, is the mean's uncertainty; a single cycle gets its minutes' scatter instead.
  const k = cycleMeans.length;
  const between = k >= 3 ? Math.max(robustSd(cycleMeans), 0.5 * stdev(cycleMeans)) : 1;
  const se = Math.sqrt(between ** 2 / Math.max(1, k) + extraSdK ** 2);
  return { mean_k: round(m), ci: { low: round(m - Z90 * se), high: round(m + Z90 * se) }, minutes: n, cycles: k, supply_c: round(supplySum / n, 2) };
}
