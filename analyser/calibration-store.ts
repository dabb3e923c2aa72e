// The calibration store: a JSON file of per-sensor offsets that survives between daily runs.
// The shell loads it before the analysis and saves the merged isothermal estimates after.

import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../shared/atomic-file.js";
import { UserError } from "../shared/errors.js";
import { PRIOR_SD, type Offset } from "./calibration.js";

// ---- Store: a JSON file { "28-…": { "offset_k": 0.12, "sd_k": 0.05, "updated": 1700000000 } } ----

export type CalibrationStore = Record<string, { offset_k: number; sd_k: number; updated: number }>;

export function loadCalibration(file: string): CalibrationStore {
  if (!existsSync(file)) return {};
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new UserError(`the calibration file ${file} is not valid JSON`, undefined, "delete it to start a fresh calibration, or fix it");
  }
  const out: CalibrationStore = {};
  if (data && typeof data === "object") {
    for (const [rom, v] of Object.entries(data as Record<string, any>)) {
      if (v && typeof v.offset_k === "number" && Number.isFinite(v.offset_k)) {
        out[rom] = { offset_k: v.offset_k, sd_k: typeof v.sd_k === "number" ? v.sd_k : PRIOR_SD, updated: typeof v.updated === "number" ? v.updated : 0 };
      }
    }
  }
  return out;
}

/**
 * The store after a run: the analysis already combined stored and fresh offsets by inverse
 * variance, so its isothermal entries replace the stored ones; everything else is kept.
 */
export function mergeCalibration(store: CalibrationStore, applied: Offset[], now: number): CalibrationStore {
  const out: CalibrationStore = { ...store };
  for (const e of applied) if (e.source === "isothermal") out[e.rom] = { offset_k: e.offset_k, sd_k: e.sd_k, updated: now };
  return out;
}

/** The store as the analysis takes it: offsets and their standard deviations by ROM. */
export function calibrationInputs(store: CalibrationStore): { calibration: Record<string, number>; calibrationSd: Record<string, number> } {
  return {
    calibration: Object.fromEntries(Object.entries(store).map(([rom, v]) => [rom, v.offset_k])),
    calibrationSd: Object.fromEntries(Object.entries(store).map(([rom, v]) => [rom, v.sd_k])),
  };
}

export function saveCalibration(file: string, store: CalibrationStore): void {
  writeFileAtomic(file, JSON.stringify(store, null, 2) + "\n");
}
