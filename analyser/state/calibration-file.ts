// The calibration store's file: a JSON file of per-sensor offsets that survives between daily
// runs. The shell loads it before the daily cycle and saves the merged store after; merging is
// pure (measurement/calibration.ts).

import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../../shared/atomic-file.js";
import { UserError } from "../../shared/errors.js";
import { PRIOR_SD, type CalibrationStore } from "../measurement/calibration.js";

export type { CalibrationStore };

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

export function saveCalibration(file: string, store: CalibrationStore): void {
  writeFileAtomic(file, JSON.stringify(store, null, 2) + "\n");
}
