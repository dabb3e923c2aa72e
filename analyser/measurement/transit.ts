// Flow estimate 2: transit time at heating starts (domain §3–§4).
//
// At a start the hot front leaves the manifold supply and reaches a circuit's return after
// t = V/Q (V = length × the pipe's litres per metre). We time the front by the steepest rise of
// each signal (minute means, refined to sub-minute by a parabola through the peak slope). Both
// sensors are surface sensors with a first-order lag τ; a lag shifts the steepest rise of a
// smooth front by ≈ τ on both, so the difference cancels it when the lags match; `lagS` carries a
// known extra lag of the return sensor (default none).

import { median, robustSd } from "./stats.js";

export interface TransitInput {
  supply: Float64Array;
  ret: Float64Array;
  starts: number[];
  /** Prior transit time, minutes (from the meter setting or a typical flow): bounds the search. */
  priorMin: number;
  /** Extra lag of the return sensor over the supply sensor, s. */
  lagS?: number;
}

export interface TransitFit {
  /** Median transit time, s. */
  seconds: number;
  sd: number;
  starts: number;
}

function slopeAt(x: Float64Array, i: number): number {
  return (x[i + 1] - x[i - 1]) / 2;
}

/** Time (fractional minute index) of the steepest rise in [from, to]; null if no clear rise. */
export function steepestRise(x: Float64Array, from: number, to: number, minSlope: number): number | null {
  let best = -1;
  let bestSlope = minSlope;
  const lo = Math.max(1, Math.floor(from));
  const hi = Math.min(x.length - 2, Math.ceil(to));
  for (let i = lo; i <= hi; i++) {
    const s = slopeAt(x, i);
    if (Number.isFinite(s) && s > bestSlope) {
      bestSlope = s;
      best = i;
    }
  }
  if (best < 0 || best === lo || best === hi) return null;
  const a = slopeAt(x, best - 1);
  const b = bestSlope;
  const c = slopeAt(x, best + 1);
  const denom = a - 2 * b + c;
  const shift = Number.isFinite(denom) && denom < 0 ? (0.5 * (a - c)) / denom : 0;
  return best + Math.max(-0.5, Math.min(0.5, shift));
}

export function fitTransit(input: TransitInput): TransitFit | null {
  const times: number[] = [];
  const maxMin = Math.max(20, 3 * input.priorMin);
  for (const s of input.starts) {
    const ts = steepestRise(input.supply, s - 3, s + 10, 0.2);
    if (ts === null) continue;
    const tr = steepestRise(input.ret, ts + 0.5, ts + maxMin, 0.03);
    if (tr === null) continue;
    const seconds = (tr - ts) * 60 - (input.lagS ?? 0);
    if (seconds > 0) times.push(seconds);
  }
  if (times.length === 0) return null;
  const m = median(times);
  // Spread across starts, but never below the minute-resolution floor (≈ ±20 s per start).
  const spread = times.length > 2 ? robustSd(times) : 0.25 * m;
  const sd = Math.sqrt((spread * spread) / times.length + 20 * 20 / times.length + (0.05 * m) ** 2);
  return { seconds: m, sd, starts: times.length };
}
