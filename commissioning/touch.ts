// Touch detection: which sensor is being held in a hand? A hand (≈ 34 °C skin) warms a
// DS18B20 on a pipe at 20–30 °C by several kelvin within a minute. A heating start warms
// sensors too, but all of them (supply first, the returns after their transit times) and
// as a ramp the sensor was already following. So each sensor's rise is judged against
// (a) its own trend just before, and (b) the median rise of the other sensors on the node;
// and it must lead the runner-up clearly. Pure: traces and the clock come in.

import type { RomTrace, Sample } from "./series.js";

export interface TouchPolicy {
  /** The rise is measured over this many seconds up to now. */
  riseWindowS: number;
  /** The sensor's own trend is fitted over this span before the rise window. */
  trendWindowS: number;
  /** Samples within this many seconds around a time are averaged (the 12-bit steps are 0.0625 K). */
  smoothS: number;
  /** Named when its rise beyond trend and median is at least this… */
  minExcessK: number;
  /** …and at least this multiple of the runner-up's. */
  leadFactor: number;
}

export const DEFAULT_TOUCH: TouchPolicy = Object.freeze({
  riseWindowS: 120,
  trendWindowS: 240,
  smoothS: 20,
  minExcessK: 3,
  leadFactor: 2.5,
});

export interface RiseOf {
  rom: string;
  riseK: number; // raw rise over the window
  trendK: number; // what its own trend would have given over the same window
  excessK: number; // rise − trend − median(rise − trend of the node)
}

export type TouchVerdict =
  | { kind: "named"; rom: string; excessK: number; runnerUp: RiseOf | null; rises: RiseOf[] }
  | { kind: "waiting"; reason: "quiet" | "too-little-data" | "unclear" | "everything-warms"; rises: RiseOf[]; leader?: RiseOf };

export function detectTouch(traces: RomTrace[], now: number, policy: TouchPolicy = DEFAULT_TOUCH): TouchVerdict {
  const adjusted: { rom: string; riseK: number; trendK: number; net: number }[] = [];
  for (const t of traces) {
    const nowC = meanAround(t.samples, now - policy.smoothS, now);
    const thenC = meanAround(t.samples, now - policy.riseWindowS - policy.smoothS, now - policy.riseWindowS);
    if (nowC === null || thenC === null) continue;
    const slope = slopeOf(t.samples, now - policy.riseWindowS - policy.trendWindowS, now - policy.riseWindowS);
    const trendK = slope === null ? 0 : slope * policy.riseWindowS;
    const riseK = nowC - thenC;
    adjusted.push({ rom: t.rom, riseK, trendK, net: riseK - trendK });
  }
  if (adjusted.length < 2) return { kind: "waiting", reason: "too-little-data", rises: [] };
  const median = medianOf(adjusted.map((a) => a.net));
  const rises: RiseOf[] = adjusted
    .map((a) => ({ rom: a.rom, riseK: a.riseK, trendK: a.trendK, excessK: a.net - median }))
    .sort((a, b) => b.excessK - a.excessK);
  const [leader, runnerUp] = rises;
  // Half the node or more warming together is the heating, not a hand.
  const warming = adjusted.filter((a) => a.riseK > 1).length;
  if (warming >= Math.max(2, adjusted.length / 2) && leader.excessK < policy.minExcessK) return { kind: "waiting", reason: "everything-warms", rises, leader };
  if (leader.excessK < 0.5) return { kind: "waiting", reason: "quiet", rises, leader };
  if (leader.excessK < policy.minExcessK) return { kind: "waiting", reason: "unclear", rises, leader };
  const second = runnerUp ? Math.max(runnerUp.excessK, 0) : 0;
  if (leader.excessK < policy.leadFactor * second) return { kind: "waiting", reason: "unclear", rises, leader };
  return { kind: "named", rom: leader.rom, excessK: leader.excessK, runnerUp: runnerUp ?? null, rises };
}

/** A sensor is named only when the same ROM wins `times` polls in a row. */
export function confirmed(history: TouchVerdict[], times = 2): string | null {
  if (history.length < times) return null;
  const recent = history.slice(-times);
  const first = recent[0];
  if (first.kind !== "named") return null;
  return recent.every((v) => v.kind === "named" && v.rom === first.rom) ? first.rom : null;
}

function meanAround(samples: Sample[], from: number, to: number): number | null {
  let sum = 0;
  let n = 0;
  for (const s of samples) if (s.time >= from && s.time <= to) (sum += s.celsius), n++;
  return n ? sum / n : null;
}

/** Least-squares slope, K/s, of the samples in [from, to]; null with fewer than 3. */
export function slopeOf(samples: Sample[], from: number, to: number): number | null {
  const pts = samples.filter((s) => s.time >= from && s.time <= to);
  if (pts.length < 3) return null;
  const mt = pts.reduce((a, s) => a + s.time, 0) / pts.length;
  const mc = pts.reduce((a, s) => a + s.celsius, 0) / pts.length;
  let num = 0;
  let den = 0;
  for (const s of pts) (num += (s.time - mt) * (s.celsius - mc)), (den += (s.time - mt) ** 2);
  return den > 0 ? num / den : null;
}

export function medianOf(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  if (!v.length) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
