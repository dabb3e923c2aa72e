// The calibration file beside the house file (house.yaml → house.calibration.json), keyed by ROM:
// the ROM is the part's identity, so a sensor moved to another pipe keeps its calibration. The
// analysis applies it; the firmware never does (readings stay raw). Each `floorbalance
// calibrate` run replaces the entries of the ROMs it calibrated and keeps the rest.

import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { writeFileAtomic } from "../../shared/atomic-file.js";
import { UserError } from "../../shared/errors.js";
import { encodePoint } from "../../shared/line-protocol.js";
import { SENSOR_CALIBRATION } from "../../shared/measurements.js";
import type { SensorCalibration } from "./types.js";
import { UNCALIBRATED_SD_K } from "./uncertainty.js";

export type CalibrationEntry = Omit<SensorCalibration, "rom"> & { updated: number };

export interface CalibrationFile {
  version: 1;
  sensors: Record<string, CalibrationEntry>;
}

/** house.yaml → house.calibration.json in the same directory. */
export function calibrationPathFor(houseFile: string): string {
  const ext = extname(houseFile);
  return join(dirname(houseFile), `${basename(houseFile, ext)}.calibration.json`);
}

export function loadCalibrationFile(file: string): CalibrationFile {
  if (!existsSync(file)) return { version: 1, sensors: {} };
  let data: any;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new UserError(`the calibration file ${file} is not valid JSON`, undefined, "restore it from a backup, or delete it and calibrate again");
  }
  const sensors: Record<string, CalibrationEntry> = {};
  for (const [rom, v] of Object.entries<any>(data?.sensors ?? {})) {
    if (!v || typeof v.offset_k !== "number" || !Number.isFinite(v.offset_k) || typeof v.sd_k !== "number") {
      throw new UserError(`the calibration file ${file}: sensors.${rom} has no numeric offset_k and sd_k`, undefined, "delete that entry and calibrate the sensor again");
    }
    sensors[rom] = v;
  }
  return { version: 1, sensors };
}

export function mergeCalibrationFile(file: CalibrationFile, fresh: SensorCalibration[], now: number): CalibrationFile {
  const sensors = { ...file.sensors };
  for (const { rom, ...rest } of fresh) sensors[rom] = { ...rest, updated: now };
  return { version: 1, sensors };
}

export function saveCalibrationFile(path: string, file: CalibrationFile): void {
  writeFileAtomic(path, JSON.stringify(file, null, 2) + "\n");
}

/**
 * The analysis options a calibration file gives: offsets, their sds and gains, per ROM. Each
 * offset is combined with the prior N(0, UNCALIBRATED_SD_K) of a sensor nobody calibrated, so an
 * uncertain one (a feeder that had not levelled off, a short harvested window) moves a reading
 * only as far as it is believed: offset·w, w = prior² / (prior² + sd²).
 */
export function analysisCalibration(file: CalibrationFile): { calibration: Record<string, number>; calibrationSd: Record<string, number>; calibrationGain: Record<string, number>; calibrationFixed: string[] } {
  const entries = Object.entries(file.sensors);
  const p2 = UNCALIBRATED_SD_K ** 2;
  return {
    calibration: Object.fromEntries(entries.map(([rom, e]) => [rom, (e.offset_k * p2) / (p2 + e.sd_k ** 2)])),
    calibrationSd: Object.fromEntries(entries.map(([rom, e]) => [rom, Math.sqrt((p2 * e.sd_k ** 2) / (p2 + e.sd_k ** 2))])),
    calibrationGain: Object.fromEntries(entries.filter(([, e]) => e.gain !== undefined).map(([rom, e]) => [rom, e.gain!])),
    calibrationFixed: entries.map(([rom]) => rom),
  };
}

/** The file as sensor_calibration points (one per ROM, at its update time), for InfluxDB. */
export function calibrationLines(file: CalibrationFile): string {
  return Object.entries(file.sensors)
    .map(([rom, e]) =>
      encodePoint({
        measurement: SENSOR_CALIBRATION,
        tags: { method: e.method, rom },
        fields: { offset_k: e.offset_k, sd_k: e.sd_k, gain: e.gain ?? 1, replace: !!e.replace },
        time: e.updated,
      }),
    )
    .join("\n")
    .concat(Object.keys(file.sensors).length ? "\n" : "");
}
