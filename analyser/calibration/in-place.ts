// The in-place procedure: with the floor circulation stopped, the short pipe sections under every
// sensor of a cabinet cool towards the one thing they share, the cabinet's air, each with its own
// time constant. Once they level off, their differences are their offsets (relative to the group).
//
// Each sensor's cooling is fitted as x(t) = A + B·e^(−t/τ) over the stop (τ on a grid, A and B by
// least squares), so a section that is still a few tenths away can be extrapolated; the sd grows
// with the distance still to go. A slow (lagged, thick) feeder pipe may not get close within two
// hours: its sd says so. Before the stop, a standby with the pump running makes the supply and
// manifold-return sensors see one water: that pair's difference is measured there (standbyPair).

import { median } from "../measurement/stats.js";
import { leastSquares, slopePerMin } from "./regression.js";
import type { SensorCalibration } from "./types.js";

export interface Leveling {
  /** Asymptote A of the fitted cooling, °C. */
  level_c: number;
  /** |A − last reading|: how far the section still had to go, K. */
  remaining_k: number;
  tau_min: number;
  /** Slope over the last 15 min, K/h. */
  slope_k_per_h: number;
  se_k: number;
}

const TAUS = [5, 8, 12, 16, 20, 25, 30, 40, 50, 60, 75, 90, 120, 150, 200, 300];

/** Fit the cooling of one sensor over minutes [from, to) (from = the stop + a few minutes of lag). */
export function fitLeveling(x: Float64Array, from: number, to: number): Leveling | null {
  let best: { sse: number; tau: number; A: number; se: number } | null = null;
  const n = to - from;
  if (n < 15) return null;
  const y = x.subarray(from, to);
  const ones = new Float64Array(n).fill(1);
  for (const tau of TAUS) {
    const e = Float64Array.from({ length: n }, (_, k) => Math.exp(-k / tau));
    const f = leastSquares([ones, e], y);
    if (!f) continue;
    const A = f.coef[0];
    const sse = f.rms * f.rms * f.n;
    if (!best || sse < best.sse) best = { sse, tau, A, se: f.se[0] };
  }
  if (!best) return null;
  let last = to - 1;
  while (last > from && !Number.isFinite(x[last])) last--;
  const tail = median(Array.from(x.subarray(Math.max(from, last - 4), last + 1)).filter(Number.isFinite));
  return { level_c: best.A, remaining_k: Math.abs(best.A - tail), tau_min: best.tau, slope_k_per_h: slopePerMin(x, to - 15, to) * 60, se_k: best.se };
}

export interface Convergence {
  /** Minute index when every sensor had levelled off (undefined: not yet). */
  convergedAt?: number;
  /** Per ROM, the fit at the last minute looked at. */
  sensors: Map<string, Leveling | null>;
  /** The sensor still furthest from its level, and how far (K). */
  slowest?: { rom: string; remaining_k: number; tau_min: number };
  /** Minutes still to wait, estimated from the slowest sensor's τ (0 when converged). */
  waitMin: number;
}

/**
 * Has every sensor of the group levelled off? Yes when each is within `tolK` of its fitted level
 * and its slope is below 0.3 K/h; checked minute by minute from the stop + 30 min.
 */
export function detectConvergence(byRom: Map<string, Float64Array>, stopAt: number, end: number, tolK = 0.1): Convergence {
  const from = stopAt + 5;
  let sensors = new Map<string, Leveling | null>();
  for (let t = stopAt + 30; t <= end; t += 5) {
    sensors = new Map([...byRom].map(([rom, x]) => [rom, fitLeveling(x, from, t)]));
    const all = [...sensors.values()];
    if (all.length > 0 && all.every((l) => l && l.remaining_k < tolK && Math.abs(l.slope_k_per_h) < 0.3)) return { convergedAt: t, sensors, waitMin: 0 };
  }
  let slowest: Convergence["slowest"];
  for (const [rom, l] of sensors) if (l && (!slowest || l.remaining_k > slowest.remaining_k)) slowest = { rom, remaining_k: l.remaining_k, tau_min: l.tau_min };
  const waitMin = slowest ? Math.ceil(slowest.tau_min * Math.log(Math.max(1, slowest.remaining_k / tolK))) : 60;
  return { sensors, slowest, waitMin };
}

/**
 * Offsets relative to the group from the stop [stopAt, end): each sensor's fitted level minus the
 * group's median level. sd: the fit's own error, a quarter of the distance still to go (the
 * cooling is not one exponential), and 0.03 K for the slab's pull on a circuit pipe [est].
 */
export function fitInPlace(byRom: Map<string, Float64Array>, stopAt: number, end: number, group = "in-place"): SensorCalibration[] {
  const fits = new Map([...byRom].map(([rom, x]) => [rom, fitLeveling(x, stopAt + 5, end)]));
  const levels = [...fits.values()].filter((l): l is Leveling => !!l);
  if (levels.length < 2) return [];
  const ref = median(levels.map((l) => l.level_c));
  const out: SensorCalibration[] = [];
  for (const [rom, l] of fits) {
    if (!l) continue;
    out.push({ rom, offset_k: round(l.level_c - ref), sd_k: round(Math.hypot(l.se_k, 0.25 * l.remaining_k, 0.03)), method: "in-place", group });
  }
  return out;
}

/**
 * The supply/manifold-return pair during a standby with the pump running (one water through
 * both): their median difference over [from, to), after the first 20 min. Returns the supply's
 * offset relative to the return sensor, or null.
 */
export function standbyPair(supply: Float64Array, ret: Float64Array, from: number, to: number): { offset_k: number; sd_k: number; minutes: number } | null {
  const d: number[] = [];
  for (let t = from + 20; t < to; t++) if (Number.isFinite(supply[t]) && Number.isFinite(ret[t])) d.push(supply[t] - ret[t]);
  if (d.length < 15) return null;
  const m = median(d);
  const mad = median(d.map((v) => Math.abs(v - m)));
  return { offset_k: round(m), sd_k: round(Math.hypot(1.25 * mad / Math.sqrt(d.length / 10), 0.02)), minutes: d.length };
}

function round(x: number, d = 3): number {
  return Math.round(x * 10 ** d) / 10 ** d;
}

/**
 * The minute the circulation stopped, when the person did not note it: the start of the latest
 * run of minutes in which the median circuit return falls faster than 4 K/h over the next 10
 * minutes (the stopped pipe sections fall towards the cabinet air at 5–15 K/h). A heat-pump
 * restart or the procedure's own standby can look alike, so the CLI shows the time it found and
 * asks for --stopped-at when it is wrong.
 */
export function detectStop(returns: Float64Array[], from: number, minutes: number): number | undefined {
  if (returns.length === 0) return undefined;
  const falling = (t: number) => median(returns.map((x) => slopePerMin(x, t, t + 10)).filter(Number.isFinite)) < -4 / 60;
  let t = minutes - 10;
  while (t >= from && !falling(t)) t--;
  if (t < from) return undefined;
  while (t - 1 >= from && falling(t - 1)) t--;
  return Math.max(0, t - 1);
}
