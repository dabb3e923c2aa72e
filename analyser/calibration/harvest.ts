// Calibration windows from ordinary data: wherever the floor circulation stopped by itself
// (summer, a plant that pauses the pump for hot water, a power cut), the same levelling as the
// in-place procedure happens without anyone asking for it. Such a window is found by its shape:
// every circuit return of the group falls fast at once (a running circulation keeps returns near
// their slabs, so they fall slowly), and the group's readings then stay within 1.5 K of each
// other. Each window is fitted like the in-place stop, and windows are combined per ROM by
// inverse variance, so a short or unfinished window (large sd) counts little.

import { median } from "../measurement/stats.js";
import { slopePerMin } from "./regression.js";
import { fitInPlace } from "./in-place.js";
import type { SensorCalibration } from "./types.js";

/** A harvested offset counts only with an sd at most this (the section had levelled off), K. */
export const LEVELLED_SD_K = 0.1;

export interface HarvestWindow {
  /** Minute indices [start, end). */
  start: number;
  end: number;
  /** Quality weight: 1 / (mean offset variance), K⁻². */
  weight: number;
}

/**
 * Stops of the circulation in one group's data; `returns` are the circuit-return ROMs. A stop:
 * the median return falls faster than 4 K/h over the first 10 minutes, nothing rises during the
 * next 45 (a heat-pump restart would), every return ends ≥ 1.5 K lower, and the returns then lie
 * within 1.5 K of each other.
 */
export function findStopWindows(byRom: Map<string, Float64Array>, returns: string[], minutes: number): { start: number; end: number }[] {
  const xs = returns.map((r) => byRom.get(r)).filter((x): x is Float64Array => !!x);
  const all = [...byRom.values()];
  if (xs.length < 2) return [];
  const rising = (t: number) => all.some((x) => slopePerMin(x, t - 5, t) > 2 / 60);
  const out: { start: number; end: number }[] = [];
  for (let t = 1; t + 45 < minutes; t++) {
    if (!(median(xs.map((x) => slopePerMin(x, t, t + 10)).filter(Number.isFinite)) < -4 / 60)) continue;
    const at = t + 45;
    if (!xs.every((x) => x[t] - x[at] >= 1.5)) continue;
    const vals = xs.map((x) => x[at]).filter(Number.isFinite);
    if (vals.length < xs.length * 0.8 || Math.max(...vals) - Math.min(...vals) > 1.5) continue;
    let quiet = true;
    for (let k = t + 10; k <= at && quiet; k += 5) if (rising(k)) quiet = false;
    if (!quiet) continue;
    // The window lasts until a sensor rises again (the circulation restarted), at most 3 h.
    let end = at;
    while (end < Math.min(minutes, t + 180) && !rising(end)) end++;
    out.push({ start: Math.max(0, t - 1), end: end - 5 });
    t = end;
  }
  return out;
}

/** Offsets from every stop window, each weighted by its fit's variance, combined per ROM. */
export function harvest(byRom: Map<string, Float64Array>, returns: string[], minutes: number, group = "harvested"): { sensors: SensorCalibration[]; windows: HarvestWindow[] } {
  const windows: HarvestWindow[] = [];
  const acc = new Map<string, { w: number; wx: number }>();
  for (const win of findStopWindows(byRom, returns, minutes)) {
    // Only sensors that levelled off: an unplanned stop has no standby to link the feeders, and a
    // section still far from its level extrapolates badly (measured: harvesting them all made
    // spreads worse than no calibration on one house).
    const fits = fitInPlace(byRom, win.start, win.end, group).filter((f) => f.sd_k <= LEVELLED_SD_K);
    if (fits.length < 2) continue;
    windows.push({ ...win, weight: fits.length / fits.reduce((s, f) => s + f.sd_k ** 2, 0) });
    for (const f of fits) {
      const a = acc.get(f.rom) ?? { w: 0, wx: 0 };
      a.w += 1 / f.sd_k ** 2;
      a.wx += f.offset_k / f.sd_k ** 2;
      acc.set(f.rom, a);
    }
  }
  const sensors: SensorCalibration[] = [...acc].map(([rom, a]) => ({ rom, offset_k: Math.round((a.wx / a.w) * 1000) / 1000, sd_k: Math.round(Math.sqrt(1 / a.w) * 1000) / 1000, method: "harvested", group }));
  return { sensors, windows };
}
