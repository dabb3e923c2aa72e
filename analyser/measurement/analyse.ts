// The analysis: per-minute means in, a typed AnalysisResult out. Pure (no I/O, no clock).

import { circuitVolumeL, circuitsOf, sensorIndex, type Circuit, type House, type Manifold } from "../../shared/house/index.js";
import { estimateOffsets, isothermalMinutes, PRIOR_SD, type Offset } from "./calibration.js";
import { GAIN_REFERENCE_C } from "../calibration/types.js";
import { noiseOf, spreadUncertainty, type SensorState } from "../calibration/uncertainty.js";
import { heatSpread } from "./heat-spread.js";
import { fitMixing } from "./mixing.js";
import { cleaned, sensorQuality } from "./quality.js";
import type { AnalysisResult, CircuitAnalysis, Estimate, ManifoldAnalysis, NodeStatus, Segment, SensorQuality, SpreadStats } from "./result.js";
import { circuitMask, manifoldActivity, secondHalfMask, type ManifoldActivity } from "./segments.js";
import type { MinuteSeries } from "./series.js";
import { mean, median, quantileSorted, robustSd, round, sd as stdev, sortedFinite, Z90 } from "./stats.js";
import { fitTransit } from "./transit.js";
import { localTime } from "./window.js";

export interface AnalyseOptions {
  now?: number;
  /** Stored offsets per ROM, K (subtracted from readings). */
  calibration?: Record<string, number>;
  /** Their standard deviations, K (default 0.05 for stored offsets). */
  calibrationSd?: Record<string, number>;
  /** Relative gains per ROM from a bundle calibration (about GAIN_REFERENCE_C). */
  calibrationGain?: Record<string, number>;
  /**
   * ROMs whose stored calibration comes from a procedure (bundle, in place): the isothermal
   * estimate is not mixed in, because it refers offsets to another group of sensors.
   */
  calibrationFixed?: string[];
}

/** Volumetric heat capacity of water at 30 °C, J/(l·K). */
const WATER_J_PER_L_K = 4178 * 0.9957;
/** Sensor lag allowance after a circuit's transit time before its return counts (min). */
const LAG_ALLOWANCE_MIN = 4;
/** Flow assumed for a circuit with no meter, only to bound searches (l/min). */
const TYPICAL_FLOW_LPM = 1.5;
/**
 * Mean static error of a clamped surface sensor: it reads θ_w − ε(θ_w − θ_air) with ε ≈ 0.02–0.1
 * (domain §7). The air cancels in a difference, so a spread is the measured one / (1 − ε).
 */
export const STATIC_EPSILON = 0.05;
/** Coverage below which a sensor's data is not enough. */
const MIN_COVERAGE = 0.5;

/** What the analysis used per circuit, for scoring against ground truth (not part of the result). */
export interface AnalysisDetail {
  result: AnalysisResult;
  masks: Map<string, Uint8Array>;
}

export function analyse(house: House, data: MinuteSeries, options: AnalyseOptions = {}): AnalysisResult {
  return analyseDetailed(house, data, options).result;
}

function meterLpm(c: Circuit): number | undefined {
  return c.valve.kind === "flow-meter" ? c.valve.setting_lpm : undefined;
}

function est(value: number, sd: number, digits = 3): Estimate {
  return { value: round(value, digits), sd: round(sd, digits) };
}

function runsOf(mask: Uint8Array): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    if (i > 0 && mask[i - 1]) out[out.length - 1].end = i + 1;
    else out.push({ start: i, end: i + 1 });
  }
  return out;
}

/** Median, IQR and a 90 % interval over the minutes of `mask`; segments are the independent units. */
export function spreadStats(diff: Float64Array, mask: Uint8Array, extraSdK = 0): SpreadStats | null {
  const values: number[] = [];
  const segMedians: number[] = [];
  for (const run of runsOf(mask)) {
    const seg: number[] = [];
    for (let i = run.start; i < run.end; i++) if (Number.isFinite(diff[i])) seg.push(diff[i]);
    if (seg.length === 0) continue;
    values.push(...seg);
    segMedians.push(median(seg));
  }
  if (values.length === 0) return null;
  const sorted = sortedFinite(values);
  const m = quantileSorted(sorted, 0.5);
  const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
  const between = segMedians.length >= 3 ? Math.max(robustSd(segMedians), stdev(segMedians) * 0.5) : iqr;
  const se = Math.sqrt((1.2533 * between) ** 2 / Math.max(1, segMedians.length) + extraSdK * extraSdK);
  return {
    median_k: round(m),
    iqr_k: round(iqr),
    ci: { low: round(m - Z90 * se), high: round(m + Z90 * se) },
    minutes: values.length,
    segments: segMedians.length,
  };
}

/** Water spread from two sensor readings, corrected for the mean static error. */
function count(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i];
  return n;
}

function difference(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  const scale = 1 / (1 - STATIC_EPSILON);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] - b[i]) * scale;
  return out;
}

function combine(a?: Estimate, b?: Estimate): Estimate | undefined {
  if (!a) return b;
  if (!b) return a;
  const wa = 1 / Math.max(1e-9, a.sd) ** 2;
  const wb = 1 / Math.max(1e-9, b.sd) ** 2;
  return est((wa * a.value + wb * b.value) / (wa + wb), Math.sqrt(1 / (wa + wb)));
}

export function analyseDetailed(house: House, data: MinuteSeries, options: AnalyseOptions = {}): AnalysisDetail {
  const start = data.start;
  const end = data.start + data.minutes * 60;
  const now = options.now ?? end;
  const tz = house.site.timezone;
  const index = sensorIndex(house);
  const warnings: string[] = [];
  const masks = new Map<string, Uint8Array>();

  // ---- Data quality per expected sensor ----
  const quality = new Map<string, SensorQuality>();
  for (const [rom, role] of index) {
    quality.set(rom, sensorQuality(rom, data.byRom.get(rom), { start, end, now, node: role.node, bus: role.bus, last_seen: data.seen?.get(rom)?.last_seen }));
  }
  const usable = (rom: string | undefined): boolean => {
    if (!rom) return false;
    const q = quality.get(rom);
    return !!q && q.coverage >= MIN_COVERAGE && !q.stuck;
  };
  const raw = new Map<string, Float64Array>();
  for (const rom of index.keys()) {
    const x = data.byRom.get(rom);
    if (x) raw.set(rom, cleaned(x));
  }

  // ---- Heating activity on the raw data (offsets are far below the 1 K threshold) ----
  const heating = data.signals?.heat_pump_heating;
  const activities = new Map<string, ManifoldActivity>();
  const returnRef = (m: Manifold): Float64Array | undefined => {
    if (m.return && usable(m.return.rom)) return raw.get(m.return.rom);
    // Without a manifold-return sensor, the mean of the circuit returns stands in.
    const xs = circuitsOf(house, m.id).filter((c) => c.sensor && usable(c.sensor.rom)).map((c) => raw.get(c.sensor!.rom)!);
    if (xs.length === 0) return undefined;
    const out = new Float64Array(data.minutes);
    for (let i = 0; i < data.minutes; i++) out[i] = mean(xs.map((x) => x[i]));
    return out;
  };
  for (const m of house.manifolds) {
    const s = m.supply ? raw.get(m.supply.rom) : undefined;
    const r = returnRef(m);
    if (s && usable(m.supply?.rom) && r) activities.set(m.id, manifoldActivity(s, r, { heating }));
  }
  const activeAny = new Uint8Array(data.minutes);
  for (const a of activities.values()) for (let i = 0; i < data.minutes; i++) if (a.flowing[i]) activeAny[i] = 1;

  // ---- Calibration: stored offsets, refined by isothermal periods in this window ----
  const pairs = house.manifolds
    .filter((m) => m.supply && m.return && usable(m.supply.rom) && usable(m.return.rom))
    .map((m) => ({ supply: raw.get(m.supply!.rom)!, ret: raw.get(m.return!.rom)!, roms: [m.supply!.rom, m.return!.rom] }));
  const iso = isothermalMinutes(pairs, activeAny);
  const estimates = estimateOffsets(
    pairs.flatMap((p) => [
      { rom: p.roms[0], x: p.supply },
      { rom: p.roms[1], x: p.ret },
    ]),
    house.circuits.filter((c) => c.sensor && usable(c.sensor.rom)).map((c) => ({ rom: c.sensor!.rom, x: raw.get(c.sensor!.rom)! })),
    iso,
  );
  const offsets = new Map<string, Offset>();
  for (const [rom, value] of Object.entries(options.calibration ?? {})) {
    if (index.has(rom)) offsets.set(rom, { rom, offset_k: value, sd_k: options.calibrationSd?.[rom] ?? 0.05, source: "stored" });
  }
  const fixed = new Set(options.calibrationFixed ?? []);
  for (const e of estimates) {
    if (fixed.has(e.rom)) continue;
    const old = offsets.get(e.rom);
    if (!old) {
      offsets.set(e.rom, e);
      continue;
    }
    const wa = 1 / old.sd_k ** 2;
    const wb = 1 / e.sd_k ** 2;
    offsets.set(e.rom, { rom: e.rom, offset_k: (wa * old.offset_k + wb * e.offset_k) / (wa + wb), sd_k: Math.sqrt(1 / (wa + wb)), source: "isothermal" });
  }
  const offsetSd = (rom: string | undefined): number => (rom && offsets.has(rom) ? offsets.get(rom)!.sd_k : PRIOR_SD);
  const series = new Map<string, Float64Array>();
  const gains = options.calibrationGain ?? {};
  for (const [rom, x] of raw) {
    const o = offsets.get(rom)?.offset_k ?? 0;
    const g = gains[rom] ?? 1;
    series.set(rom, o === 0 && g === 1 ? x : x.map((v) => GAIN_REFERENCE_C + (v - o - GAIN_REFERENCE_C) / g));
  }
  // Calibrated sds for the uncertainty: only what a calibration (stored or isothermal) gave.
  const calibratedSd = (rom: string | undefined): number | undefined => (rom && offsets.has(rom) ? offsets.get(rom)!.sd_k : undefined);
  const sensorState = (rom: string | undefined, level: number): SensorState => ({ rom, sd_k: calibratedSd(rom), level_c: level, coverage: rom ? (quality.get(rom)?.coverage ?? 0) : 0 });
  const deadBand = house.analysis.dead_band_k;
  for (const [rom, q] of quality) if (offsets.has(rom)) q.offset_k = round(offsets.get(rom)!.offset_k);

  // ---- Per manifold and circuit ----
  const manifolds: ManifoldAnalysis[] = [];
  const segments: Segment[] = [];
  let starts = 0;
  for (const m of house.manifolds) {
    const circuits = circuitsOf(house, m.id);
    const ma: ManifoldAnalysis = { manifold: m.id, name: m.name, status: "ok", circuits: [], warnings: [] };
    manifolds.push(ma);
    const notEnough = (reason: string): CircuitAnalysis[] =>
      circuits.map((c) => ({
        circuit: c.id,
        manifold: m.id,
        room: c.room,
        ...(c.sensor ? { rom: c.sensor.rom } : {}),
        status: "not-enough-data" as const,
        reason,
        flow: meterLpm(c) !== undefined ? { meter_lpm: meterLpm(c) } : {},
        ...(c.sensor && quality.has(c.sensor.rom) ? { quality: quality.get(c.sensor.rom) } : {}),
        warnings: [],
      }));
    const supplyRom = m.supply?.rom;
    if (!supplyRom || !usable(supplyRom)) {
      const q = supplyRom ? quality.get(supplyRom) : undefined;
      const why = !supplyRom
        ? `manifold ${m.name} has no supply sensor in the house file`
        : q && q.stuck
          ? `the supply sensor ${supplyRom} of manifold ${m.name} is stuck at one value`
          : `the supply sensor ${supplyRom} of manifold ${m.name} is dead (${Math.round((q?.coverage ?? 0) * 100)} % of the window reported)`;
      ma.status = "not-enough-data";
      ma.reason = why;
      ma.warnings.push(`${why}: the whole manifold is left out`);
      warnings.push(`${why}: the whole manifold is left out`);
      ma.circuits = notEnough(why);
      continue;
    }
    const activity = activities.get(m.id);
    if (!activity) {
      const why = `no usable return temperatures on manifold ${m.name}`;
      ma.status = "not-enough-data";
      ma.reason = why;
      ma.circuits = notEnough(why);
      continue;
    }
    starts = Math.max(starts, activity.starts.length);
    for (const run of activity.runs) segments.push({ start: start + run.start * 60, end: start + run.end * 60, manifold: m.id });
    const S = series.get(supplyRom)!;
    const RM = m.return && usable(m.return.rom) ? series.get(m.return.rom) : undefined;
    if (m.return && !usable(m.return.rom)) ma.warnings.push(`the manifold return sensor ${m.return.rom} has too little good data: no mixing estimate of the flows`);
    ma.supply_c = round(median(S.filter((_, i) => activity.active[i] === 1)), 2);

    // Transit times first: they set how long each return needs to catch up after a change.
    const perCircuit = circuits.map((c) => {
      const rom = c.sensor?.rom;
      const R = rom && usable(rom) ? series.get(rom) : undefined;
      const V = circuitVolumeL(c);
      const priorMin = V / (meterLpm(c) ?? TYPICAL_FLOW_LPM);
      const transit = R ? fitTransit({ supply: S, ret: R, starts: activity.starts, priorMin }) : null;
      const transitMin = transit ? transit.seconds / 60 : priorMin;
      let mask = R ? circuitMask(activity, S, transitMin + LAG_ALLOWANCE_MIN) : new Uint8Array(data.minutes);
      let cycling = false;
      if (R && count(mask) < house.analysis.min_heating_minutes) {
        const half = secondHalfMask(activity, transitMin + LAG_ALLOWANCE_MIN);
        if (count(half) > count(mask)) {
          mask = half;
          cycling = true;
        }
      }
      if (R) for (let i = 0; i < mask.length; i++) if (!Number.isFinite(R[i])) mask[i] = 0;
      masks.set(c.id, mask);
      return { c, rom, R, V, transit, transitMin, mask, cycling };
    });

    // Mixing over every flowing minute (start-up transients included), all circuits at once.
    // The prior: the flow meters where every circuit has one, else the transit-time flows (the
    // data alone cannot split circuits whose returns move alike; against the simulator they leave
    // the shares ~40 % off). With the transit prior the mixing result already holds the transit
    // information, so it is not combined with it a second time.
    const allReturns = perCircuit.every((p) => p.R);
    const meters = circuits.map(meterLpm);
    const meterTotal = meters.every((x) => x !== undefined) ? meters.reduce((s, x) => s + x!, 0) : undefined;
    const transitGuess = perCircuit.map((p) => (p.transit ? p.V / (p.transit.seconds / 60) : undefined));
    const transitTotal = transitGuess.every((x) => x !== undefined) ? transitGuess.reduce((s, x) => s + x!, 0) : undefined;
    const prior = meterTotal ? meters.map((x) => x! / meterTotal) : transitTotal ? transitGuess.map((x) => x! / transitTotal) : undefined;
    const priorFromTransit = !meterTotal && !!transitTotal;
    const mix =
      RM && allReturns
        ? fitMixing({ manifoldReturn: RM, circuitReturns: perCircuit.map((p) => p.R!), mask: activity.flowing, prior, priorRelSd: 0.15 })
        : null;
    if (RM && !allReturns) ma.warnings.push("not every circuit return has good data: no mixing estimate of the flows on this manifold");

    // The manifold's total flow: from the transit times when every circuit has one, else the meters.
    const transitFlows = perCircuit.map((p) => (p.transit ? est(p.V / (p.transit.seconds / 60), (p.V / (p.transit.seconds / 60)) * (p.transit.sd / p.transit.seconds)) : undefined));
    let total: Estimate | undefined;
    if (transitFlows.every((f) => f)) {
      const v = transitFlows.reduce((s, f) => s + f!.value, 0);
      total = est(v, Math.sqrt(transitFlows.reduce((s, f) => s + f!.sd ** 2, 0)));
    } else if (meterTotal) total = est(meterTotal, 0.1 * meterTotal);
    if (total) ma.total_flow_lpm = total;

    const minMinutes = house.analysis.min_heating_minutes;
    for (const [k, p] of perCircuit.entries()) {
      const ca: CircuitAnalysis = { circuit: p.c.id, manifold: m.id, room: p.c.room, status: "ok", flow: {}, warnings: [] };
      if (p.rom) ca.rom = p.rom;
      const meter = meterLpm(p.c);
      if (meter !== undefined) ca.flow.meter_lpm = meter;
      if (p.rom && quality.has(p.rom)) ca.quality = quality.get(p.rom);
      ma.circuits.push(ca);
      if (!p.rom) {
        ca.status = "not-enough-data";
        ca.reason = "the circuit has no return sensor in the house file";
        continue;
      }
      if (!p.R) {
        const q = quality.get(p.rom);
        ca.status = "not-enough-data";
        ca.reason = q?.stuck ? `its return sensor ${p.rom} is stuck at one value` : `its return sensor ${p.rom} reported only ${Math.round((q?.coverage ?? 0) * 100)} % of the window`;
        continue;
      }
      const diff = difference(S, p.R);
      const extraSd = Math.hypot(offsetSd(supplyRom), offsetSd(p.rom));
      const stats = spreadStats(diff, p.mask, extraSd);
      const hs = heatSpread(diff, S, activity.carrying, extraSd);
      if (hs && hs.minutes >= minMinutes) ca.heat_spread = hs;
      const meanOver = (x: Float64Array, mask: Uint8Array) => mean(Array.from(x).filter((v, i) => mask[i] === 1 && Number.isFinite(v)));
      if (stats) {
        const m = p.mask;
        stats.uncertainty = spreadUncertainty(stats.median_k, noiseOf(stats.ci, extraSd), sensorState(supplyRom, meanOver(S, m)), sensorState(p.rom, meanOver(p.R, m)), deadBand);
      }
      if (hs) {
        const m = activity.carrying;
        hs.uncertainty = spreadUncertainty(hs.mean_k, noiseOf(hs.ci, extraSd), sensorState(supplyRom, meanOver(S, m)), sensorState(p.rom, meanOver(p.R, m)), deadBand);
      }
      if (!stats || stats.minutes < minMinutes) {
        const why = `only ${stats?.minutes ?? 0} heating-active minutes with a settled return (needs ${minMinutes})`;
        if (!ca.heat_spread) {
          ca.status = "not-enough-data";
          ca.reason = `${why}, and only ${hs?.minutes ?? 0} minutes of heat flow`;
          continue;
        }
        ca.warnings.push(`${why}: no settled spread; judged on the heat-carrying spread over ${ca.heat_spread.minutes} minutes of heat flow`);
      } else {
        ca.spread = stats;
        if (p.cycling) ca.warnings.push("the heat pump never ran steadily long enough: the spread comes from the second half of its runs and is less certain");
        ca.return_c = round(median(p.R.filter((_, i) => p.mask[i] === 1)), 2);
      }
      if (p.transit) {
        ca.transit_s = est(p.transit.seconds, p.transit.sd, 1);
        ca.flow.transit_lpm = transitFlows[k];
      }
      if (mix) {
        ca.flow.share = est(mix.shares[k], mix.sd[k]);
        if (total) {
          const v = mix.shares[k] * total.value;
          const rel = Math.hypot(mix.sd[k] / Math.max(1e-6, mix.shares[k]), total.sd / total.value);
          ca.flow.mixing_lpm = est(v, Math.min(v * rel, 10));
        }
      }
      ca.flow.combined_lpm = priorFromTransit ? ca.flow.mixing_lpm : combine(ca.flow.mixing_lpm, ca.flow.transit_lpm);
      if (!ca.flow.combined_lpm) delete ca.flow.combined_lpm;
      const a = ca.flow.mixing_lpm;
      const b = ca.flow.transit_lpm;
      if (a && b && Math.abs(a.value - b.value) > 2 * Math.hypot(a.sd, b.sd)) {
        ca.flow.disagreement = `mixing says ${a.value.toFixed(2)} l/min, transit time ${b.value.toFixed(2)} l/min`;
        ca.warnings.push(`the two flow estimates disagree: ${ca.flow.disagreement}`);
      }
      if (ca.quality && !ca.quality.reporting_now) ca.warnings.push(`its return sensor ${p.rom} is not reporting now`);
      if (ca.quality && ca.quality.glitch_rate > 0.01) ca.warnings.push(`its return sensor ${p.rom} glitches in ${(ca.quality.glitch_rate * 100).toFixed(1)} % of minutes`);
    }

    // Heat per circuit: flow × ρc × ΔT; relative within the manifold.
    const flows = ma.circuits.map((ca) => ca.flow.combined_lpm?.value ?? ca.flow.meter_lpm);
    const spreadOf = (ca: CircuitAnalysis) => ca.spread?.median_k ?? ca.heat_spread?.mean_k;
    const heats = ma.circuits.map((ca, k) => (spreadOf(ca) !== undefined && flows[k] !== undefined ? (flows[k]! / 60) * WATER_J_PER_L_K * spreadOf(ca)! : undefined));
    const heatTotal = heats.reduce<number>((s, h) => s + (h ?? 0), 0);
    for (const [k, ca] of ma.circuits.entries()) {
      const h = heats[k];
      if (h === undefined || heatTotal <= 0) continue;
      const area = circuits[k].area_m2;
      ca.heat = { relative: round(h / heatTotal), watts: Math.round(h), w_per_m2: round(h / area, 1) };
    }

    // The manifold's own spread, over the minutes every settled circuit counts.
    if (RM) {
      const longest = Math.max(...perCircuit.map((p) => p.transitMin));
      let mask = circuitMask(activity, S, longest + LAG_ALLOWANCE_MIN);
      if (count(mask) < house.analysis.min_heating_minutes) {
        const half = secondHalfMask(activity, longest + LAG_ALLOWANCE_MIN);
        if (count(half) > count(mask)) mask = half;
      }
      const stats = spreadStats(difference(S, RM), mask, Math.hypot(offsetSd(supplyRom), offsetSd(m.return?.rom)));
      if (stats) ma.spread = stats;
      ma.return_c = round(median(RM.filter((_, i) => mask[i] === 1)), 2);
    }
    if (ma.circuits.every((c) => c.status !== "ok")) {
      ma.status = "not-enough-data";
      ma.reason = ma.circuits[0]?.reason ?? "no circuit has enough data";
    }
  }

  // ---- House-wide ----
  const activeMinutes = [...activeAny].reduce((s, x) => s + x, 0);
  const outdoor = data.signals?.outdoor_c;
  const seen = data.seen ?? new Map();
  const unknown =
    data.unknownRoms ??
    [...data.byRom.keys()]
      .filter((rom) => !index.has(rom))
      .map((rom) => ({ rom, node: seen.get(rom)?.node ?? "?", bus: seen.get(rom)?.bus ?? "?", last_seen: seen.get(rom)?.last_seen ?? start }));
  for (const u of unknown) warnings.push(`sensor ${u.rom} on node ${u.node} bus ${u.bus} is not in the house file (map it with floorbalance identify)`);
  const nodes: NodeStatus[] = data.nodes ?? [];
  for (const n of nodes) {
    const total = Object.values(n.rejected).reduce((s, x) => s + x, 0);
    if (total > 0) {
      const parts = Object.entries(n.rejected).filter(([, x]) => x > 0).map(([r, x]) => `${r} ${x}`);
      warnings.push(`node ${n.node} rejected ${total} readings (${parts.join(", ")})`);
    }
    if (n.last_seen !== undefined && n.last_seen < now - 15 * 60) warnings.push(`node ${n.node} has not reported since ${localTime(tz, n.last_seen)}`);
  }
  const supplies = house.manifolds.map((m) => manifolds.find((x) => x.manifold === m.id)?.supply_c).filter((x): x is number => x !== undefined);
  const result: AnalysisResult = {
    site: house.site.name,
    language: house.site.language,
    generated_at: now,
    window: { start, end, timezone: tz, start_local: localTime(tz, start), end_local: localTime(tz, end) },
    heating: {
      active_minutes: activeMinutes,
      segments,
      starts,
      ...(outdoor ? { outdoor_c: round(mean(outdoor.filter((_, i) => activeAny[i] === 1)), 1) } : {}),
      ...(supplies.length ? { supply_c: round(median(supplies), 2) } : {}),
    },
    manifolds,
    calibration: [...offsets.values()].map((o) => ({ rom: o.rom, offset_k: round(o.offset_k), sd_k: round(o.sd_k), source: o.source, ...(gains[o.rom] !== undefined ? { gain: gains[o.rom] } : {}) })),
    sensors: [...quality.values()],
    unknown_sensors: unknown,
    nodes,
    warnings: [...warnings, ...manifolds.flatMap((m) => m.warnings.filter((w) => !warnings.includes(w)).map((w) => `${m.name}: ${w}`))],
  };
  if (activeMinutes === 0) result.warnings.push("no heating-active minutes in the window: nothing can be judged");
  return { result, masks };
}
