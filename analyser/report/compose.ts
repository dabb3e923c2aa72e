// The report as plain data, in the reader's language: what the terminal table, the Discord
// embeds and the chart all say. Pure: house + analysis + engine in, words out. The renderers
// only lay it out, so the three never disagree.

import { DateTime } from "luxon";
import { sensorIndex, type Circuit, type House } from "../../shared/house/index.js";
import type { AnalysisResult, CircuitAnalysis } from "../measurement/result.js";
import type { Action, CircuitVerdict, EngineResult } from "../engine/result.js";
import { num, turns, words, type Language, type Words } from "./i18n.js";
import { localiseTexts } from "./translate.js";
import { dhwReportLines } from "./dhw-section.js";
import { curveSection } from "./curve-section.js";
import type { Outage } from "./outage.js";

export type LineKind = "change" | "ok" | "wait" | "problem";

/**
 * What a circuit's row says, as the chart colours it: both come from this one value, so the
 * bar's colour and the table's verdict cannot disagree.
 * - too-little / too-much: a change (or a deferred one) towards more or less flow;
 * - ok: nothing to do, within the dead band (or the index circuit, fully open);
 * - held: nothing to do although out of the dead band; the row says why;
 * - waiting: a change on the manifold is settling; the target is shown;
 * - none: not judged (no data, cannot fix).
 */
export type LineState = "too-little" | "too-much" | "ok" | "held" | "waiting" | "none";

export function lineState(v: CircuitVerdict | undefined, deadBandK: number): LineState {
  if (!v) return "none";
  const error = v.spread_k !== undefined && v.target_k !== undefined ? v.spread_k - v.target_k : undefined;
  switch (v.status) {
    case "change":
    case "deferred":
      if (v.action) return v.action.to > v.action.from ? "too-little" : "too-much";
      return error === undefined ? "none" : error > 0 ? "too-little" : "too-much";
    case "index":
      return "ok";
    case "nothing-to-do":
      return error !== undefined && Math.abs(error) > deadBandK ? "held" : "ok";
    case "waiting":
      return "waiting";
    default:
      return "none";
  }
}

export interface CircuitLine {
  circuit: string;
  room: string;
  /** "2.1 → 2.6 l/min", "½ turn open", "nothing to do", … */
  todo: string;
  kind: LineKind;
  /** "6.1 K (target 5.0 K)" or "–" */
  spread: string;
  /** "6.1 / 5.0 K": the same for narrow layouts (the terminal table). */
  spreadShort: string;
  /** "≈1.8 l/min" or "–" */
  flow: string;
  spread_k?: number;
  target_k?: number;
  /** The row's state; the chart colours its bar by this (lineState). */
  state: LineState;
}

export interface ManifoldSection {
  manifold: string;
  name: string;
  lines: CircuitLine[];
  /** Circuits with something to do today. */
  changes: number;
}

export interface Report {
  language: Language;
  /** Site-local date the report is about (YYYY-MM-DD): the outbox's day key. */
  date: string;
  title: string;
  /** The state of the balance in one line. */
  headline: string;
  /** What to do today, in one line. */
  today: string;
  sections: ManifoldSection[];
  warnings: string[];
  curve?: string;
  policy?: string;
  footer: string;
  balanced: boolean;
  changes: number;
  /** Hot-water circulation lines (empty without the module). */
  dhw?: string[];
  /** Set when nothing could be judged because no data came (every node silent, or none in the source): the one line that says why. */
  outage?: string;
}

/** The site-local day a report belongs to: the day its data window ends in. */
export function reportDate(analysis: AnalysisResult): string {
  const zone = analysis.window.timezone || "UTC";
  return DateTime.fromSeconds(analysis.window.end, { zone }).toISODate() ?? "1970-01-01";
}

export function localDateOf(time: number, timezone: string): string {
  return DateTime.fromSeconds(time, { zone: timezone || "UTC" }).toISODate() ?? "1970-01-01";
}

function localDateTime(time: number, timezone: string, language: Language): string {
  const dt = DateTime.fromSeconds(time, { zone: timezone || "UTC" });
  return language === "de" ? dt.toFormat("dd.MM. HH:mm") : dt.toFormat("MMM d, HH:mm");
}

export function kelvin(value: number, language: Language, signed = false): string {
  const s = num(value, 1, language);
  return `${signed && value > 0 ? "+" : ""}${s} K`;
}

function lpm(value: number, language: Language): string {
  return `${num(value, 1, language)} l/min`;
}

/** What a person does at the valve: a new flow-meter reading, or turns on a lockshield. */
export function actionText(action: Action, language: Language): string {
  const w = words(language);
  if (action.valve === "flow-meter" || action.unit === "l/min") {
    return `${num(action.from, 1, language)} → ${lpm(action.to, language)}`;
  }
  const delta = action.to - action.from;
  const step = delta >= 0 ? w.turnOpen(turns(delta)) : w.turnClose(turns(delta));
  return `${step} (${w.turnsAbs(turns(action.from), turns(action.to))})`;
}

function verdictTodo(v: CircuitVerdict, w: Words, language: Language): { todo: string; kind: LineKind } {
  switch (v.status) {
    case "change":
      return v.action ? { todo: actionText(v.action, language), kind: "change" } : { todo: w.nothingToDo, kind: "ok" };
    case "nothing-to-do":
      return { todo: w.nothingToDo, kind: "ok" };
    case "deferred":
      return { todo: v.action ? `${w.deferred}: ${actionText(v.action, language)}` : w.deferred, kind: "wait" };
    case "waiting":
      return { todo: w.waiting, kind: "wait" };
    case "index":
      return { todo: w.index, kind: "ok" };
    case "cannot-fix":
      return { todo: w.cannotFix, kind: "problem" };
    case "not-enough-data":
      return { todo: w.notEnoughData, kind: "problem" };
  }
}

/** The engine's reasons may already say "not enough data: …"; the line says it once. */
function withoutPrefix(reason: string, prefix: string): string {
  return reason.toLowerCase().startsWith(`${prefix.toLowerCase()}: `) ? reason.slice(prefix.length + 2) : reason;
}

function circuitLine(c: Circuit, v: CircuitVerdict | undefined, a: CircuitAnalysis | undefined, w: Words, language: Language, deadBandK: number): CircuitLine {
  const { todo, kind } = v ? verdictTodo(v, w, language) : { todo: w.notEnoughData, kind: "problem" as const };
  const state = lineState(v, deadBandK);
  const spread_k = v?.spread_k ?? a?.spread?.median_k;
  const target_k = v?.target_k;
  const spread =
    spread_k === undefined ? "–" : target_k === undefined ? kelvin(spread_k, language) : `${kelvin(spread_k, language)} (${w.target} ${kelvin(target_k, language)})`;
  const spreadShort =
    spread_k === undefined ? "–" : target_k === undefined ? kelvin(spread_k, language) : `${num(spread_k, 1, language)} / ${kelvin(target_k, language)}`;
  const flow_lpm = v?.flow_lpm ?? a?.flow.combined_lpm?.value;
  return {
    circuit: c.id,
    room: c.room,
    // "Nothing to do" out of the dead band always says why (the valve's end, a change settling,
    // held against a reversal, …): the engine's reason for that circuit.
    todo: v?.status === "not-enough-data" && v.reason ? `${todo}: ${withoutPrefix(v.reason, w.notEnoughData)}` : state === "held" && v?.reason ? `${todo}: ${v.reason}` : todo,
    kind,
    spread,
    spreadShort,
    flow: flow_lpm === undefined ? "–" : `≈${lpm(flow_lpm, language)}`,
    spread_k,
    target_k,
    state,
  };
}

/** A sensor named the way the homeowner knows it: the room (or manifold supply/return) and its ROM. */
function sensorLabel(house: House, rom: string): string {
  const role = sensorIndex(house).get(rom);
  if (!role) return rom;
  const manifold = house.manifolds.find((m) => m.id === role.manifold)?.name ?? role.manifold;
  if (role.role === "circuit") {
    const c = house.circuits.find((x) => x.id === role.circuit);
    return `${c?.room ?? role.circuit} (${role.circuit}, ${rom})`;
  }
  const word = house.site.language === "de" ? (role.role === "supply" ? "Vorlauf" : "Rücklauf") : role.role;
  return `${manifold} ${word} (${rom})`;
}

const HEALTHY_WRITE = new Set(["ok", "none"]);

/** Sensors whose missing calibration leaves a judged spread wider than the dead band. */
export function needsCalibration(analysis: AnalysisResult): string[] {
  const roms = new Set<string>();
  for (const m of analysis.manifolds) {
    for (const c of m.circuits) {
      const u = (c.heat_spread ?? c.spread)?.uncertainty;
      if (c.status === "ok" && u && !u.resolvable) for (const rom of u.calibrate) roms.add(rom);
    }
  }
  return [...roms];
}

export function dataQualityWarnings(house: House, analysis: AnalysisResult, engine: EngineResult, w: Words): string[] {
  const out: string[] = [];
  const needed = house.analysis.min_heating_minutes;
  if (analysis.heating.active_minutes < needed) out.push(w.littleHeating(Math.round(analysis.heating.active_minutes), needed));
  for (const s of analysis.sensors) {
    if (!s.reporting_now) out.push(w.sensorOffline(sensorLabel(house, s.rom)));
    else if (s.stuck) out.push(w.sensorStuck(sensorLabel(house, s.rom)));
  }
  for (const u of analysis.unknown_sensors) out.push(w.unknownSensor(u.rom, u.node, u.bus));
  const uncalibrated = needsCalibration(analysis);
  if (uncalibrated.length > 0) out.push(w.needsCalibration(uncalibrated.map((rom) => sensorLabel(house, rom)).join(", ")));
  for (const n of analysis.nodes) {
    if (n.write_status && !HEALTHY_WRITE.has(n.write_status)) out.push(w.nodeWriteFailing(n.node, w.writeStatus(n.write_status)));
    else if (n.last_seen !== undefined && analysis.window.end - n.last_seen > 3600) out.push(w.nodeSilent(n.node));
  }
  for (const l of engine.looks_applied) {
    const room = house.circuits.find((c) => c.id === l.circuit)?.room ?? l.circuit;
    out.push(w.lookedApplied(room, l.evidence));
  }
  out.push(...analysis.warnings);
  for (const m of analysis.manifolds) {
    // The analyser already lists a manifold-wide warning that names its manifold; say it once.
    out.push(...m.warnings.filter((x) => !analysis.warnings.includes(x)).map((x) => `${m.name}: ${x}`));
    for (const c of m.circuits) out.push(...c.warnings.map((x) => `${c.room} (${c.circuit}): ${x}`));
  }
  out.push(...engine.warnings);
  return [...new Set(out)];
}

function headline(analysis: AnalysisResult, engine: EngineResult, lines: CircuitLine[], w: Words, language: Language): string {
  const judged = lines.filter((l) => l.spread_k !== undefined && l.target_k !== undefined);
  const worstLine = judged.reduce<CircuitLine | undefined>(
    (best, l) => (!best || Math.abs(l.spread_k! - l.target_k!) > Math.abs(best.spread_k! - best.target_k!) ? l : best),
    undefined,
  );
  const worst = engine.worst_deviation_k ?? (worstLine ? Math.abs(worstLine.spread_k! - worstLine.target_k!) : undefined);
  if (worst === undefined) return w.notJudged + ".";
  const worstText = `${kelvin(worst, language)}`;
  if (engine.balanced) return w.balanced(worstText);
  let line = w.largestDeviation(worstText, worstLine?.room ?? "?");
  return line + trendSentence(engine.trend, w, language);
}

/** Changes smaller than this between trend points read as "unchanged", K. */
const TREND_FLAT_K = 0.1;

/**
 * The trend as the chart draws it: the same points (engine.trend). When the last three or more
 * points are flat, the sentence says so, with where it started, rather than "falling" for a fall
 * that ended cycles ago; otherwise first against last.
 */
export function trendSentence(trend: EngineResult["trend"], w: Words, language: Language): string {
  if (trend.length < 2) return ".";
  const first = trend[0]!;
  const last = trend[trend.length - 1]!;
  let flat = 1;
  while (flat < trend.length && Math.abs(trend[trend.length - 1 - flat]!.worst_deviation_k - last.worst_deviation_k) <= TREND_FLAT_K) flat++;
  const span = last.cycle - first.cycle + 1;
  if (flat === trend.length) return w.trendFlat(span);
  if (flat >= 3) return w.trendFlatSince(last.cycle - trend[trend.length - flat]!.cycle + 1, kelvin(first.worst_deviation_k, language), first.cycle);
  if (last.worst_deviation_k < first.worst_deviation_k - TREND_FLAT_K) return w.trendDown(kelvin(first.worst_deviation_k, language), span);
  if (last.worst_deviation_k > first.worst_deviation_k + TREND_FLAT_K) return w.trendUp(kelvin(first.worst_deviation_k, language), span);
  return w.trendFlat(span);
}

function today(analysis: AnalysisResult, engine: EngineResult, w: Words, language: Language): string {
  if (engine.actions.length > 0) return w.todayChanges(engine.actions.length, new Set(engine.actions.map((a) => a.manifold)).size);
  const statuses = engine.verdicts.map((v) => v.status);
  if (statuses.includes("waiting") && engine.next_judgement) return w.todayWaiting(localDateTime(engine.next_judgement, analysis.window.timezone, language));
  if (statuses.length === 0 || statuses.every((s) => s === "not-enough-data")) return w.todayNoData;
  return w.todayNothing;
}

/**
 * `outage`: nothing could be judged because no data came; its one line heads a short report (no
 * rows, no list of consequences). See outage.ts.
 */
export function composeReport(house: House, analysisIn: AnalysisResult, engineIn: EngineResult, outage?: Outage): Report {
  const language: Language = analysisIn.language ?? house.site.language;
  // The analyser's and the engine's free texts are English; this is where they enter the report.
  const { analysis, engine } = localiseTexts(analysisIn, engineIn, language);
  const w = words(language);
  const verdicts = new Map(engine.verdicts.map((v) => [v.circuit, v]));
  const analysed = new Map(analysis.manifolds.flatMap((m) => m.circuits).map((c) => [c.circuit, c]));
  // Today's chosen actions win over whatever the verdict carries, so the table and the headline agree.
  const chosen = new Map(engine.actions.map((a) => [a.circuit, a]));
  const sections: ManifoldSection[] = house.manifolds.map((m) => {
    const lines = house.circuits
      .filter((c) => c.manifold === m.id)
      .map((c) => {
        const v = verdicts.get(c.id);
        const action = chosen.get(c.id);
        const verdict = action ? { ...(v ?? { circuit: c.id, manifold: m.id, room: c.room, reason: action.reason }), status: "change" as const, action } : v;
        return circuitLine(c, verdict, analysed.get(c.id), w, language, house.analysis.dead_band_k);
      });
    return { manifold: m.id, name: m.name, lines, changes: lines.filter((l) => l.kind === "change").length };
  });
  const allLines = sections.flatMap((s) => s.lines);
  const targets = allLines.map((l) => l.target_k).filter((t): t is number => t !== undefined);
  const targetsDiffer = targets.length > 1 && Math.max(...targets) - Math.min(...targets) > 0.3;
  const date = reportDate(analysis);
  const footer = w.footer(engine.cycle, w.policyName(engine.policy), `${localDateTime(analysis.window.start, analysis.window.timezone, language)} – ${localDateTime(analysis.window.end, analysis.window.timezone, language)}`);
  if (outage) {
    const line = outage.kind === "no-data" ? w.outageNoData(outage.source) : w.outageSilent(outage.nodes.length, outage.since === undefined ? undefined : localDateTime(outage.since, analysis.window.timezone, language));
    return {
      language,
      date,
      title: w.title(house.site.name, language === "de" ? DateTime.fromISO(date).toFormat("dd.MM.yyyy") : date),
      headline: line,
      today: w.todayOutage,
      sections: [],
      warnings: [],
      footer,
      balanced: false,
      changes: 0,
      outage: line,
    };
  }
  const warnings = dataQualityWarnings(house, analysis, engine, w);
  // The footer's rule is the policy in force: EN 1264's "a low demand gets a larger ΔT" is the
  // design policy's; equal-spread targets differ only between manifolds.
  const policyText = !targetsDiffer ? undefined : engine.policy === "design" || engine.policy === "room-temperature" || engine.policy === "mixed" ? w.policy : engine.policy === "equal-spread" ? w.policyEqualSpread : undefined;
  return {
    language,
    date,
    title: w.title(house.site.name, language === "de" ? DateTime.fromISO(date).toFormat("dd.MM.yyyy") : date),
    headline: headline(analysis, engine, allLines, w, language),
    today: today(analysis, engine, w, language),
    sections,
    warnings,
    curve: curveSection(house, analysis, engine, language),
    policy: policyText,
    footer,
    balanced: engine.balanced,
    changes: allLines.filter((l) => l.kind === "change").length,
    ...(analysis.dhw ? { dhw: dhwReportLines(analysis.dhw, language) } : {}),
  };
}
