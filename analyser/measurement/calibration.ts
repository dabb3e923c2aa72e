// Sensor offsets from isothermal periods (domain §4), and their store.
//
// With the pump running and no heat, the supply and manifold-return sensors of every manifold see
// the same water (the heat pump returns the mix of all manifolds), so their offsets relative to
// the common temperature are identifiable. Circuit returns only converge to their floor's
// temperature (±0.5–1 K), so for them the isothermal difference is shrunk hard towards the prior
// b ~ N(0, 0.2 K): only the part the data can carry is applied.

import { median } from "./stats.js";

export interface Offset {
  rom: string;
  offset_k: number;
  sd_k: number;
  source: "isothermal" | "stored" | "none";
}

export const PRIOR_SD = 0.2;
const FLOOR_SD = 0.6;

/**
 * Minutes where no heat flows: every manifold's supply and return within 1 K of each other (a
 * clone's offset can be most of that), both steady over 10 min, for more than 30 min.
 */
export function isothermalMinutes(pairs: { supply: Float64Array; ret: Float64Array }[], activeAny: Uint8Array): Uint8Array {
  const n = activeAny.length;
  const ok = new Uint8Array(n);
  let run = 0;
  for (let i = 0; i < n; i++) {
    let good = !activeAny[i] && pairs.length > 0;
    for (const p of pairs) {
      const s = p.supply[i];
      const r = p.ret[i];
      const sBack = i >= 10 ? p.supply[i - 10] : NaN;
      const rBack = i >= 10 ? p.ret[i - 10] : NaN;
      if (!(Math.abs(s - r) < 1) || !(Math.abs(s - sBack) < 0.2) || !(Math.abs(r - rBack) < 0.2)) good = false;
    }
    run = good ? run + 1 : 0;
    // Skip the first half hour: the pipes are still giving up the last run's heat.
    if (run > 30) ok[i] = 1;
  }
  return ok;
}

export function estimateOffsets(
  reference: { rom: string; x: Float64Array }[],
  circuits: { rom: string; x: Float64Array }[],
  mask: Uint8Array,
  minMinutes = 60,
): Offset[] {
  const idx: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) idx.push(i);
  if (idx.length < minMinutes || reference.length < 2) return [];
  // The common water temperature per minute: the median of the supply/return sensors.
  const common = idx.map((i) => median(reference.map((r) => r.x[i])));
  const out: Offset[] = [];
  const raw = (x: Float64Array) => median(idx.map((i, k) => x[i] - common[k]));
  for (const r of reference) {
    const d = raw(r.x);
    if (Number.isFinite(d)) out.push({ rom: r.rom, offset_k: d, sd_k: 0.05, source: "isothermal" });
  }
  const shrink = (PRIOR_SD * PRIOR_SD) / (PRIOR_SD * PRIOR_SD + FLOOR_SD * FLOOR_SD);
  const postSd = Math.sqrt(1 / (1 / PRIOR_SD ** 2 + 1 / FLOOR_SD ** 2));
  for (const c of circuits) {
    const d = raw(c.x);
    if (Number.isFinite(d)) out.push({ rom: c.rom, offset_k: shrink * d, sd_k: postSd, source: "isothermal" });
  }
  return out;
}

// ---- The calibration store (kept by the shell in a file, analyser/state/calibration-file.ts) ----

/** { "28-…": { offset_k: 0.12, sd_k: 0.05, updated: 1700000000 } } */
export type CalibrationStore = Record<string, { offset_k: number; sd_k: number; updated: number }>;

/**
 * The store after a run: the analysis already combined stored and fresh offsets by inverse
 * variance, so its isothermal entries replace the stored ones; everything else is kept.
 */
export function mergeCalibration(store: CalibrationStore, applied: Offset[], now: number): CalibrationStore {
  const out: CalibrationStore = { ...store };
  for (const e of applied) if (e.source === "isothermal") out[e.rom] = { offset_k: e.offset_k, sd_k: e.sd_k, updated: now };
  return out;
}

/** Offsets (and gains) fitted by `floorbalance calibrate` (analyser/calibration/), as the analysis takes them. */
export interface ProcedureCalibration {
  calibration: Record<string, number>;
  calibrationSd: Record<string, number>;
  calibrationGain: Record<string, number>;
  /** ROMs whose offset came from a procedure: the daily isothermal estimate does not move them. */
  calibrationFixed: string[];
}

/**
 * What the analysis applies: the store's isothermal offsets, overridden per ROM by a procedure's
 * (a bundle or in-place fit is better evidence than a day's isothermal minutes).
 */
export function calibrationInputs(store: CalibrationStore, procedures?: ProcedureCalibration): ProcedureCalibration {
  const stored = Object.entries(store);
  return {
    calibration: { ...Object.fromEntries(stored.map(([rom, v]) => [rom, v.offset_k])), ...procedures?.calibration },
    calibrationSd: { ...Object.fromEntries(stored.map(([rom, v]) => [rom, v.sd_k])), ...procedures?.calibrationSd },
    calibrationGain: procedures?.calibrationGain ?? {},
    calibrationFixed: procedures?.calibrationFixed ?? [],
  };
}
