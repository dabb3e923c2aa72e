// Heating starts: the moments the heat pump begins to deliver heat after a pause. They are the
// experiments verify reads: the warm front leaves the manifold's supply first, reaches each
// circuit's return after that circuit's transit time, and the manifold's return (a mix of the
// circuit returns) after the circuits. Pure functions over per-minute means.

import type { RomMinutes } from "./series.js";
import { medianOf } from "./touch.js";

export interface StartPolicy {
  /** A start: the house's feed rises by at least this within riseMinutes… */
  riseK: number;
  riseMinutes: number;
  /** …after having been flat (or falling) for this long. */
  quietMinutes: number;
  quietK: number;
  /** Onsets: the trough is searched up to troughMinutes after the start, the peak up to peakMinutes. */
  troughMinutes: number;
  peakMinutes: number;
  /** Onset = first crossing of trough + onsetShare × rise; a rise below minRiseK has no onset. */
  onsetShare: number;
  minRiseK: number;
  /** The window after a start that onsets are searched in. */
  followMinutes: number;
  /** Two starts closer than this are one. */
  minGapMinutes: number;
}

export const DEFAULT_STARTS: StartPolicy = Object.freeze({
  riseK: 3,
  riseMinutes: 20,
  quietMinutes: 20,
  quietK: 0.7,
  troughMinutes: 25,
  peakMinutes: 45,
  onsetShare: 0.2,
  minRiseK: 0.5,
  followMinutes: 120,
  minGapMinutes: 90,
});

/**
 * The house's feed: per manifold the warmer of its two manifold sensors (robust to a swapped
 * pair), then the median over manifolds (robust to one wrong ROM).
 */
export function feedSignal(data: RomMinutes, manifoldRoms: [string | undefined, string | undefined][]): Float64Array {
  const out = new Float64Array(data.minutes).fill(NaN);
  for (let k = 0; k < data.minutes; k++) {
    const values: number[] = [];
    for (const [a, b] of manifoldRoms) {
      const va = a ? data.byRom.get(a)?.[k] ?? NaN : NaN;
      const vb = b ? data.byRom.get(b)?.[k] ?? NaN : NaN;
      const v = Number.isNaN(va) ? vb : Number.isNaN(vb) ? va : Math.max(va, vb);
      if (!Number.isNaN(v)) values.push(v);
    }
    if (values.length) out[k] = medianOf(values);
  }
  return out;
}

/** Minute indices where heating starts. */
export function findStarts(feed: Float64Array, policy: StartPolicy = DEFAULT_STARTS): number[] {
  const starts: number[] = [];
  for (let k = policy.quietMinutes; k + policy.riseMinutes < feed.length; k++) {
    if (starts.length && k - starts[starts.length - 1] < policy.minGapMinutes) continue;
    const now = feed[k];
    const later = feed[k + policy.riseMinutes];
    if (Number.isNaN(now) || Number.isNaN(later) || later - now < policy.riseK) continue;
    let quietMax = -Infinity;
    let quietMin = Infinity;
    for (let j = k - policy.quietMinutes; j <= k; j++) {
      if (Number.isNaN(feed[j])) continue;
      quietMax = Math.max(quietMax, feed[j]);
      quietMin = Math.min(quietMin, feed[j]);
    }
    // Flat or falling before: nothing above the present value by more than the noise allows
    // to rise, and no rise already under way.
    if (!Number.isFinite(quietMax) || now - quietMin > policy.quietK) continue;
    // The start is where the feed leaves its floor.
    let s = k;
    while (s + 1 < feed.length && !(feed[s + 1] - now > policy.quietK / 2)) s++;
    starts.push(s);
    k = s;
  }
  return starts;
}

export interface Onset {
  /** Minutes from the start minute to the crossing (fractional, interpolated). */
  minutes: number;
  baseline: number;
  /** Rise from the trough to the peak after the start. */
  riseK: number;
}

/**
 * When a series starts to rise after a start: from its trough just after the start (a return
 * may still be falling when the front leaves the heat pump), the first crossing of
 * onsetShare of its rise. Relative, because a circuit's return rises by only a share of
 * the supply's rise (the slab takes the rest). Null when it hardly rises.
 */
export function onsetAfter(series: Float64Array | undefined, start: number, policy: StartPolicy = DEFAULT_STARTS): Onset | null {
  if (!series) return null;
  const end = Math.min(series.length, start + policy.followMinutes);
  let troughJ = -1;
  for (let j = Math.max(0, start - 3); j < Math.min(end, start + policy.troughMinutes); j++) {
    if (!Number.isNaN(series[j]) && (troughJ < 0 || series[j] < series[troughJ])) troughJ = j;
  }
  if (troughJ < 0) return null;
  const baseline = series[troughJ];
  let peak = -Infinity;
  for (let j = troughJ; j < Math.min(end, start + policy.peakMinutes); j++) if (!Number.isNaN(series[j])) peak = Math.max(peak, series[j]);
  const riseK = peak - baseline;
  if (!(riseK >= policy.minRiseK)) return null;
  const level = baseline + policy.onsetShare * riseK;
  let prev = baseline;
  let prevJ = troughJ;
  for (let j = troughJ + 1; j < end; j++) {
    const v = series[j];
    if (Number.isNaN(v)) continue;
    if (v >= level) return { minutes: prevJ + ((level - prev) / (v - prev)) * (j - prevJ) - start, baseline, riseK };
    prev = v;
    prevJ = j;
  }
  return null;
}

/** Mean of a series over minutes [from, to), NaN-aware. */
export function meanOver(series: Float64Array | undefined, from: number, to: number): number {
  if (!series) return NaN;
  let sum = 0;
  let n = 0;
  for (let j = Math.max(0, from); j < Math.min(series.length, to); j++) if (!Number.isNaN(series[j])) (sum += series[j]), n++;
  return n ? sum / n : NaN;
}
