// Scoring against the simulator's ground truth (sim_truth): the tests and `npm run bench:analyse`
// use it to print how far the analysis is from the water, next to the naive peer's figures.

import { circuitsOf, type House } from "../../shared/house/index.js";
import { numericField, parseLine } from "../../shared/line-protocol.js";
import { SIM_TRUTH } from "../../shared/measurements.js";
import type { AnalysisDetail } from "./analyse.js";
import { minuteGrid, MinuteMeans, type MinuteSeries } from "./series.js";
import { mean, median } from "./stats.js";

export interface Truth {
  start: number;
  minutes: number;
  /** circuit id → per-minute true flow, supply and return. */
  flow: Map<string, Float64Array>;
  supply: Map<string, Float64Array>;
  ret: Map<string, Float64Array>;
}

export function readTruth(text: string, window: { start: number; end: number }): Truth {
  const grid = minuteGrid(window);
  const end = grid.start + grid.minutes * 60;
  const flow = new MinuteMeans(grid.start, grid.minutes);
  const supply = new MinuteMeans(grid.start, grid.minutes);
  const ret = new MinuteMeans(grid.start, grid.minutes);
  let from = 0;
  while (from < text.length) {
    let to = text.indexOf("\n", from);
    if (to < 0) to = text.length;
    if (text.startsWith(SIM_TRUTH + ",", from) && text.indexOf("kind=circuit", from) < to && text.indexOf("kind=circuit", from) >= 0) {
      const p = parseLine(text.slice(from, to));
      if (p.time !== undefined && p.time >= grid.start && p.time < end) {
        const id = p.tags.circuit;
        // The truth point at t describes the minute that ends at t.
        const t = p.time - 1;
        flow.add(id, t, numericField(p.fields.flow_lpm) ?? NaN);
        supply.add(id, t, numericField(p.fields.supply_c) ?? NaN);
        ret.add(id, t, numericField(p.fields.return_c) ?? NaN);
      }
    }
    from = to + 1;
  }
  return { start: grid.start, minutes: grid.minutes, flow: flow.means(), supply: supply.means(), ret: ret.means() };
}

/** The public peer's approach: the mean of all data of the last 24 h, supply minus return. */
export function naiveSpreads(house: House, data: MinuteSeries): Map<string, number> {
  const out = new Map<string, number>();
  const from = Math.max(0, data.minutes - 24 * 60);
  for (const m of house.manifolds) {
    const S = m.supply ? data.byRom.get(m.supply.rom) : undefined;
    for (const c of circuitsOf(house, m.id)) {
      const R = c.sensor ? data.byRom.get(c.sensor.rom) : undefined;
      if (S && R) out.set(c.id, mean(S.subarray(from)) - mean(R.subarray(from)));
    }
  }
  return out;
}

export interface Score {
  /** Per-circuit absolute errors. */
  dtErrorsK: number[];
  naiveDtErrorsK: number[];
  /** |share − true share| / true share. */
  shareErrors: number[];
  /** Naive share: the meter settings as shares. */
  naiveShareErrors: number[];
  /** |transit flow − true flow| / true flow. */
  transitErrors: number[];
  circuitsOk: number;
  circuits: number;
}

export function score(house: House, detail: AnalysisDetail, data: MinuteSeries, truth: Truth): Score {
  const s: Score = { dtErrorsK: [], naiveDtErrorsK: [], shareErrors: [], naiveShareErrors: [], transitErrors: [], circuitsOk: 0, circuits: 0 };
  const naive = naiveSpreads(house, data);
  const offset = Math.round((data.start - truth.start) / 60);
  for (const m of detail.result.manifolds) {
    const ids = m.circuits.map((c) => c.circuit);
    const trueFlow = new Map(ids.map((id) => [id, median(truth.flow.get(id) ?? [])]));
    const total = ids.reduce((acc, id) => acc + (trueFlow.get(id) ?? 0), 0);
    const meters = circuitsOf(house, m.manifold).map((c) => (c.valve.kind === "flow-meter" ? c.valve.setting_lpm : NaN));
    const meterTotal = meters.reduce((a, b) => a + b, 0);
    for (const [k, c] of m.circuits.entries()) {
      s.circuits++;
      const tf = trueFlow.get(c.circuit)!;
      if (Number.isFinite(meterTotal)) s.naiveShareErrors.push(Math.abs(meters[k] / meterTotal - tf / total) / (tf / total));
      if (c.status !== "ok" || !c.spread) continue;
      s.circuitsOk++;
      const mask = detail.masks.get(c.circuit)!;
      const ts = truth.supply.get(c.circuit)!;
      const tr = truth.ret.get(c.circuit)!;
      const d: number[] = [];
      for (let i = 0; i < mask.length; i++) if (mask[i]) d.push(ts[i + offset] - tr[i + offset]);
      const trueDt = median(d);
      s.dtErrorsK.push(Math.abs(c.spread!.median_k - trueDt));
      const n = naive.get(c.circuit);
      if (n !== undefined) s.naiveDtErrorsK.push(Math.abs(n - trueDt));
      if (c.flow.share) s.shareErrors.push(Math.abs(c.flow.share.value - tf / total) / (tf / total));
      if (c.flow.transit_lpm) s.transitErrors.push(Math.abs(c.flow.transit_lpm.value - tf) / tf);
    }
  }
  return s;
}

export function merge(scores: Score[]): Score {
  const out: Score = { dtErrorsK: [], naiveDtErrorsK: [], shareErrors: [], naiveShareErrors: [], transitErrors: [], circuitsOk: 0, circuits: 0 };
  for (const s of scores) {
    out.dtErrorsK.push(...s.dtErrorsK);
    out.naiveDtErrorsK.push(...s.naiveDtErrorsK);
    out.shareErrors.push(...s.shareErrors);
    out.naiveShareErrors.push(...s.naiveShareErrors);
    out.transitErrors.push(...s.transitErrors);
    out.circuitsOk += s.circuitsOk;
    out.circuits += s.circuits;
  }
  return out;
}

export function summaryOf(s: Score): { dt_error_k: number; naive_dt_error_k: number; flow_share_error: number; naive_share_error: number; transit_flow_error: number; circuits_ok: string } {
  return {
    dt_error_k: median(s.dtErrorsK),
    naive_dt_error_k: median(s.naiveDtErrorsK),
    flow_share_error: median(s.shareErrors),
    naive_share_error: median(s.naiveShareErrors),
    transit_flow_error: median(s.transitErrors),
    circuits_ok: `${s.circuitsOk}/${s.circuits}`,
  };
}
