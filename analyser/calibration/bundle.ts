// The bundle procedure (before mounting): every sensor of a node in one insulated pot of warm
// water, cooling by ≥ 10 K over about an hour. The water is one temperature, so each sensor's
// reading differs from the group's only by its own offset, gain and lag:
//   x_i(t) = a_i + g_i·(c(t) − 25 °C) − l_i·dc/dt,
// with c the per-minute median of the bundle. A pot cools exponentially, so dc/dt is itself
// proportional to (c − θ_air): lag and gain cannot be told apart (tried: fitting both leaves gains
// 0.003–0.005 off). With a gain the lag is left out and its difference between probes goes into
// the gain (Δl/τ_pot ≈ 0.001, i.e. 0.01 K over 10 K); without a gain (too little range) offset and
// lag are fitted, because there the lag alone would move the offset.

import { median } from "../measurement/stats.js";
import { leastSquares } from "./regression.js";
import { GAIN_MIN_RANGE_K, GAIN_REFERENCE_C, type SensorCalibration } from "./types.js";

export interface BundleOptions {
  /** Range the bundle should cover, K. */
  targetRangeK?: number;
  group?: string;
}

export interface BundleProgress {
  /** Minute index from which the bundle is steady (all probes at the water's temperature). */
  steadyFrom?: number;
  /** K covered since steady. */
  coveredK: number;
  /** Cooling rate now, K/min (positive = cooling). */
  rateKPerMin: number;
  /** Minutes still needed to cover the target range (Infinity if the water stopped cooling). */
  remainingMin: number;
  done: boolean;
}

export interface BundleResult extends BundleProgress {
  gainFitted: boolean;
  sensors: SensorCalibration[];
}

/** Per-minute median of the sensors (NaN where fewer than half report). */
export function consensus(series: Float64Array[], minutes: number): Float64Array {
  const out = new Float64Array(minutes).fill(NaN);
  for (let t = 0; t < minutes; t++) {
    const xs = series.map((x) => x[t]).filter(Number.isFinite);
    if (xs.length * 2 >= series.length && xs.length > 0) out[t] = median(xs);
  }
  return out;
}

/**
 * Where the bundle is steady: after the warmest minute of the consensus (the probes have reached
 * the water) plus 5 min, once every probe is within 2.5 K of the consensus and the water cools.
 */
export function bundleProgress(series: Float64Array[], minutes: number, targetRangeK = 10): BundleProgress & { c: Float64Array } {
  const c = consensus(series, minutes);
  let peak = -1;
  for (let t = 0; t < minutes; t++) if (Number.isFinite(c[t]) && (peak < 0 || c[t] > c[peak])) peak = t;
  const none = { c, coveredK: 0, rateKPerMin: 0, remainingMin: Infinity, done: false };
  if (peak < 0) return none;
  let steadyFrom: number | undefined;
  for (let t = peak + 5; t < minutes; t++) {
    if (!Number.isFinite(c[t])) continue;
    if (series.every((x) => !Number.isFinite(x[t]) || Math.abs(x[t] - c[t]) < 2.5)) {
      steadyFrom = t;
      break;
    }
  }
  if (steadyFrom === undefined) return none;
  let last = minutes - 1;
  while (last > steadyFrom && !Number.isFinite(c[last])) last--;
  const covered = c[steadyFrom] - c[last];
  const back = Math.max(steadyFrom, last - 10);
  const rate = last > back ? (c[back] - c[last]) / (last - back) : 0;
  const remaining = covered >= targetRangeK ? 0 : rate > 0.005 ? (targetRangeK - covered) / rate : Infinity;
  return { c, steadyFrom, coveredK: covered, rateKPerMin: rate, remainingMin: remaining, done: covered >= targetRangeK };
}

/** Fit every ROM of one bundle; series per ROM are per-minute means on one grid. */
export function fitBundle(byRom: Map<string, Float64Array>, options: BundleOptions = {}): BundleResult {
  const roms = [...byRom.keys()];
  const series = roms.map((r) => byRom.get(r)!);
  const minutes = Math.max(0, ...series.map((x) => x.length));
  const progress = bundleProgress(series, minutes, options.targetRangeK ?? 10);
  const { c, ...rest } = progress;
  const steadyFrom = progress.steadyFrom;
  if (steadyFrom === undefined || minutes - steadyFrom < 15) return { ...rest, gainFitted: false, sensors: [] };
  const used = (x: ArrayLike<number>) => Float64Array.from(x, (v, t) => (t >= steadyFrom ? v : NaN));
  const level = used(Array.from(c, (v) => v - GAIN_REFERENCE_C));
  const rate = used(Array.from(c, (_, t) => (t > 0 && t < minutes - 1 ? (c[t + 1] - c[t - 1]) / 2 : NaN)));
  const ones = used(new Float64Array(minutes).fill(1));
  const gainFitted = progress.coveredK >= GAIN_MIN_RANGE_K;
  // coef: [offset, gain]; without a gain, offset and lag with the gain held at 1.
  const fits = series.map((x) => {
    if (gainFitted) return leastSquares([ones, level], x);
    const f = leastSquares([ones, rate], Float64Array.from(x, (v, t) => v - level[t]));
    return f ? { ...f, coef: [f.coef[0], 1], se: [f.se[0], 0] } : null;
  });
  // Offsets relative to the group's median sensor; gains relative to the group's median gain.
  const a0 = median(fits.filter((f) => f).map((f) => f!.coef[0]));
  const g0 = median(fits.filter((f) => f).map((f) => f!.coef[1]));
  const typicalRms = median(fits.filter((f) => f).map((f) => f!.rms));
  const group = options.group ?? "bundle";
  const sensors: SensorCalibration[] = [];
  fits.forEach((f, i) => {
    if (!f) return;
    const offset = f.coef[0] - a0;
    const gain = f.coef[1] / g0;
    const out: SensorCalibration = {
      rom: roms[i],
      offset_k: round(offset),
      // The water is not perfectly mixed: ≈ 0.015 K between positions in a stirred-once pot.
      sd_k: round(Math.hypot(f.se[0], 0.015)),
      residual_k: round(f.rms),
      method: "bundle",
      group,
    };
    if (gainFitted) out.gain = round(gain, 4);
    if (f.rms > Math.max(0.025, 2 * typicalRms)) out.replace = "noisy";
    else if (Math.abs(offset) > 1.0) out.replace = "far-off";
    else if (gainFitted && Math.abs(gain - 1) > 0.01) out.replace = "gain";
    sensors.push(out);
  });
  return { ...rest, gainFitted, sensors };
}

function round(x: number, d = 3): number {
  return Math.round(x * 10 ** d) / 10 ** d;
}
