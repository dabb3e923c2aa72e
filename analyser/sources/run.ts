// The analysis pipeline as one call: pick the window, read the source, apply the stored
// calibration, analyse, store the refined calibration. The CLI (and REPORT's delivery) call this.

import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { UserError } from "../../shared/errors.js";
import type { House } from "../../shared/house/index.js";
import type { Secrets } from "../../shared/secrets.js";
import { analyse } from "../measurement/analyse.js";
import { calibrationInputs, mergeCalibration } from "../measurement/calibration.js";
import { analysisCalibration, loadCalibrationFile } from "../calibration/file.js";
import { loadCalibration, saveCalibration } from "../state/calibration-file.js";
import type { AnalysisResult } from "../measurement/result.js";
import type { MinuteSeries } from "../measurement/series.js";
import { readLineProtocol } from "./file.js";
import { readInflux } from "./influx.js";
import { dailyWindow } from "../measurement/window.js";

export type Source = { kind: "file"; file: string } | { kind: "influx"; secrets: Secrets; onProgress?: (done: number, total: number) => void };

export interface RunOptions {
  /** Hours to look back (default: the house file's analysis.lookback_h). */
  lookbackH?: number;
  /** The calibration store; undefined = don't load or save one. */
  calibrationFile?: string;
  /** Save refined offsets to the store (default true when a store is given). */
  saveCalibration?: boolean;
  /** The calibration file beside the house file (floorbalance calibrate); its ROMs win. */
  houseCalibrationFile?: string;
}

export function defaultCalibrationFile(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(homedir(), ".local", "state");
  return join(state, "floorbalance", "calibration.json");
}

/** Latest timestamp in a line-protocol text (for files, "now" is the end of the data). */
export function lastTimestamp(text: string): number | undefined {
  let last: number | undefined;
  let to = text.length;
  // Scan from the end: files are written in time order, so the last few lines settle it.
  let lines = 0;
  while (to > 0 && lines < 2000) {
    const from = text.lastIndexOf("\n", to - 1);
    const line = text.slice(from + 1, to).trim();
    to = from < 0 ? 0 : from;
    if (!line || line[0] === "#") continue;
    lines++;
    const t = Number(line.slice(line.lastIndexOf(" ") + 1));
    if (Number.isSafeInteger(t) && (last === undefined || t > last)) last = t;
  }
  return last;
}

export async function readSource(house: House, source: Source, now: number | undefined, lookbackH: number): Promise<{ data: MinuteSeries; now: number; window: ReturnType<typeof dailyWindow> }> {
  if (source.kind === "file") {
    let text: string;
    try {
      text = readFileSync(source.file, "utf8");
    } catch (err) {
      throw new UserError(`cannot read the data file ${source.file}: ${(err as Error).message}`, undefined, "pass a line-protocol file, e.g. one written by floorbalance simulate");
    }
    const at = now ?? (lastTimestamp(text) ?? Math.floor(Date.now() / 1000)) + 60;
    const window = dailyWindow(house.site.timezone, at, lookbackH);
    return { data: readLineProtocol(text, window, { signals: house.plant.signals }), now: at, window };
  }
  const at = now ?? Math.floor(Date.now() / 1000);
  const window = dailyWindow(house.site.timezone, at, lookbackH);
  return { data: await readInflux(house, source.secrets, window, { onProgress: source.onProgress }), now: at, window };
}

export async function runAnalysis(house: House, source: Source, now?: number, options: RunOptions = {}): Promise<AnalysisResult> {
  const lookbackH = options.lookbackH ?? house.analysis.lookback_h;
  const { data, now: at } = await readSource(house, source, now, lookbackH);
  const store = options.calibrationFile ? loadCalibration(options.calibrationFile) : {};
  const procedures = options.houseCalibrationFile ? analysisCalibration(loadCalibrationFile(options.houseCalibrationFile)) : undefined;
  const result = analyse(house, data, { now: at, ...calibrationInputs(store, procedures) });
  if (options.calibrationFile && options.saveCalibration !== false) {
    const fresh = result.calibration.filter((c) => c.source === "isothermal");
    if (fresh.length > 0) saveCalibration(options.calibrationFile, mergeCalibration(store, fresh, at));
  }
  return result;
}
