// The procedures as a person runs them, over whatever data there is so far: where the procedure
// stands, what to say next, and (when finished) the calibrations. Pure; the CLI reads the data and
// prints, the bench follows the same steps on simulated data.

import { circuitsOf, type House } from "../../shared/house/index.js";
import type { MinuteSeries } from "../measurement/series.js";
import { fitBundle, bundleProgress, type BundleResult } from "./bundle.js";
import { detectConvergence, detectStop, fitInPlace, standbyPair } from "./in-place.js";
import type { SensorCalibration } from "./types.js";

export const BUNDLE_TARGET_K = 10;
/** The longest the circulation should stay stopped, min. */
export const MAX_STOP_MIN = 120;
export const STANDBY_MIN = 45;

export type BundleOutcome =
  | { kind: "no-data" }
  | { kind: "settling" }
  | { kind: "cooling"; coveredK: number; remainingMin: number }
  | { kind: "stalled"; coveredK: number }
  | { kind: "done"; minutes: number; fit: BundleResult };

/** The node's ROMs in the data: every sensor it reported, mapped in the house file or not. */
export function nodeRoms(data: MinuteSeries, node: string): string[] {
  return [...data.byRom.keys()].filter((rom) => data.seen?.get(rom)?.node === node).sort();
}

/** The bundle so far; `accept` takes a fit with less than the target range (the person gave up waiting). */
export function bundleStep(data: MinuteSeries, roms: string[], group: string, accept = false): BundleOutcome {
  const series = roms.map((r) => data.byRom.get(r)).filter((x): x is Float64Array => !!x && x.some(Number.isFinite));
  if (series.length < 2) return { kind: "no-data" };
  const progress = bundleProgress(series, data.minutes, BUNDLE_TARGET_K);
  if (progress.steadyFrom === undefined) return { kind: "settling" };
  if (!progress.done && !accept) {
    if (progress.remainingMin === Infinity && data.minutes - progress.steadyFrom > 30) return { kind: "stalled", coveredK: progress.coveredK };
    return { kind: "cooling", coveredK: progress.coveredK, remainingMin: Math.min(240, Math.ceil(progress.remainingMin)) };
  }
  const fit = fitBundle(new Map(roms.filter((r) => data.byRom.has(r)).map((r) => [r, data.byRom.get(r)!])), { group, targetRangeK: BUNDLE_TARGET_K });
  const first = series.reduce((m, x) => Math.min(m, x.findIndex(Number.isFinite)), data.minutes);
  // The person's time: from the first reading to the minute the target range was reached.
  const { c, steadyFrom } = progress;
  let reached = data.minutes - 1;
  for (let t = steadyFrom; t < data.minutes; t++) {
    if (c[steadyFrom] - c[t] >= BUNDLE_TARGET_K) {
      reached = t;
      break;
    }
  }
  return { kind: "done", minutes: reached - first + 1, fit };
}

export type InPlaceOutcome =
  | { kind: "no-data" }
  | { kind: "no-stop"; standbyMin: number }
  | { kind: "waiting"; stopAt: number; detected: boolean; stoppedMin: number; slowest: { rom: string; remaining_k: number }; waitMin: number }
  | { kind: "finished"; stopAt: number; detected: boolean; converged: boolean; stoppedMin: number; sensors: SensorCalibration[] };

/** The manifold's sensors: supply, manifold return, circuit returns (ROMs from the house file). */
export function manifoldRoms(house: House, manifold: string): { supply?: string; ret?: string; circuits: string[] } {
  const m = house.manifolds.find((x) => x.id === manifold);
  return { supply: m?.supply?.rom, ret: m?.return?.rom, circuits: circuitsOf(house, manifold).flatMap((c) => (c.sensor ? [c.sensor.rom] : [])) };
}

/**
 * The in-place procedure so far. `stopAt` (minute index) as the person noted it, else detected.
 * Finished when every sensor has levelled off, or MAX_STOP_MIN after the stop.
 */
export function inPlaceStep(house: House, data: MinuteSeries, manifold: string, stopAt?: number): InPlaceOutcome {
  const roms = manifoldRoms(house, manifold);
  const all = [roms.supply, roms.ret, ...roms.circuits].filter((r): r is string => !!r && !!data.byRom.get(r)?.some(Number.isFinite));
  if (all.length < 2) return { kind: "no-data" };
  const by = new Map(all.map((r) => [r, data.byRom.get(r)!]));
  const returns = roms.circuits.filter((r) => by.has(r)).map((r) => by.get(r)!);
  const stop = stopAt ?? detectStop(returns, 0, data.minutes);
  if (stop === undefined) return { kind: "no-stop", standbyMin: data.minutes };
  const stoppedMin = data.minutes - stop;
  const conv = stoppedMin >= 30 ? detectConvergence(by, stop, Math.min(data.minutes, stop + MAX_STOP_MIN)) : undefined;
  if (!conv || (conv.convergedAt === undefined && stoppedMin < MAX_STOP_MIN)) {
    const waitMin = conv ? Math.min(conv.waitMin, MAX_STOP_MIN - stoppedMin) : 30 - stoppedMin;
    return { kind: "waiting", stopAt: stop, detected: stopAt === undefined, stoppedMin, slowest: conv?.slowest ?? { rom: all[0], remaining_k: NaN }, waitMin: Math.max(1, waitMin) };
  }
  const end = conv.convergedAt ?? Math.min(data.minutes, stop + MAX_STOP_MIN);
  const sensors = fitInPlace(by, stop, end, `manifold:${manifold}`);
  // The standby before the stop (pump running, one water through supply and manifold return)
  // links that pair tightly; combined by inverse variance with what the stop gave each of them.
  if (roms.supply && roms.ret && by.has(roms.supply) && by.has(roms.ret)) {
    const pair = standbyPair(by.get(roms.supply)!, by.get(roms.ret)!, Math.max(0, stop - STANDBY_MIN), stop);
    const s = sensors.find((x) => x.rom === roms.supply);
    const r = sensors.find((x) => x.rom === roms.ret);
    if (pair && s && r) {
      const iv = (a: number, sa: number, b: number, sb: number) => ({ v: (a / sa ** 2 + b / sb ** 2) / (1 / sa ** 2 + 1 / sb ** 2), sd: 1 / Math.sqrt(1 / sa ** 2 + 1 / sb ** 2) });
      const ns = iv(s.offset_k, s.sd_k, r.offset_k + pair.offset_k, Math.hypot(r.sd_k, pair.sd_k));
      const nr = iv(r.offset_k, r.sd_k, s.offset_k - pair.offset_k, Math.hypot(s.sd_k, pair.sd_k));
      Object.assign(s, { offset_k: round(ns.v), sd_k: round(ns.sd), method: "standby-pair" });
      Object.assign(r, { offset_k: round(nr.v), sd_k: round(nr.sd), method: "standby-pair" });
    }
  }
  return { kind: "finished", stopAt: stop, detected: stopAt === undefined, converged: conv.convergedAt !== undefined, stoppedMin: end - stop, sensors };
}

function round(x: number, d = 3): number {
  return Math.round(x * 10 ** d) / 10 ** d;
}
