// The report as plain data, in the reader's language: what the terminal table, the Discord
// embeds and the chart all say. Pure: house + analysis + engine in, words out. The renderers
// only lay it out, so the three never disagree.

import { DateTime } from "luxon";
import { sensorIndex, type Circuit, type House } from "../../shared/house/index.js";
import type { AnalysisResult, CircuitAnalysis } from "../measurement/result.js";
import type { Action, CircuitVerdict, EngineResult } from "../engine/result.js";
import { num, turns, words, type Language, type Words } from "./i18n.js";
import { localiseTexts } from "./translate.js";

export type LineKind = "change" | "ok" | "wait" | "problem";

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

function circuitLine(c: Circuit, v: CircuitVerdict | undefined, a: CircuitAnalysis | undefined, w: Words, language: Language): CircuitLine {
  const { todo, kind } = v ? verdictTodo(v, w, language) : { todo: w.notEnoughData, kind: "problem" as const };
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
    todo: v?.status === "not-enough-data" && v.reason ? `${todo}: ${withoutPrefix(v.reason, w.notEnoughData)}` : todo,
    kind,
    spread,
    spreadShort,
    flow: flow_lpm === undefined ? "–" : `≈${lpm(flow_lpm, language)}`,
    spread_k,
    target_k,
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

export function dataQualityWarnings(house: House, analysis: AnalysisResult, engine: EngineResult, w: Words): string[] {
  const out: string[] = [];
  const needed = house.analysis.min_heating_minutes;
  if (analysis.heating.active_minutes < needed) out.push(w.littleHeating(Math.round(analysis.heating.active_minutes), needed));
  for (const s of analysis.sensors) {
    if (!s.reporting_now) out.push(w.sensorOffline(sensorLabel(house, s.rom)));
    else if (s.stuck) out.push(w.sensorStuck(sensorLabel(house, s.rom)));
  }
  for (const u of analysis.unknown_sensors) out.push(w.unknownSensor(u.rom, u.node, u.bus));
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
  const trend = engine.trend;
  if (trend.length >= 2) {
    const first = trend[0].worst_deviation_k;
    const last = trend[trend.length - 1].worst_deviation_k;
    const cycles = trend.length;
    if (last < first - 0.1) line += w.trendDown(kelvin(first, language), cycles);
    else if (last > first + 0.1) line += w.trendUp(kelvin(first, language), cycles);
    else line += w.trendFlat(cycles);
  } else line += ".";
  return line;
}

function today(analysis: AnalysisResult, engine: EngineResult, w: Words, language: Language): string {
  if (engine.actions.length > 0) return w.todayChanges(engine.actions.length, new Set(engine.actions.map((a) => a.manifold)).size);
  const statuses = engine.verdicts.map((v) => v.status);
  if (statuses.includes("waiting") && engine.next_judgement) return w.todayWaiting(localDateTime(engine.next_judgement, analysis.window.timezone, language));
  if (statuses.length === 0 || statuses.every((s) => s === "not-enough-data")) return w.todayNoData;
  return w.todayNothing;
}

export function composeReport(house: House, analysisIn: AnalysisResult, engineIn: EngineResult): Report {
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
        return circuitLine(c, verdict, analysed.get(c.id), w, language);
      });
    return { manifold: m.id, name: m.name, lines, changes: lines.filter((l) => l.kind === "change").length };
  });
  const allLines = sections.flatMap((s) => s.lines);
  const targets = allLines.map((l) => l.target_k).filter((t): t is number => t !== undefined);
  const targetsDiffer = targets.length > 1 && Math.max(...targets) - Math.min(...targets) > 0.3;
  const date = reportDate(analysis);
  const warnings = dataQualityWarnings(house, analysis, engine, w);
  return {
    language,
    date,
    title: w.title(house.site.name, language === "de" ? DateTime.fromISO(date).toFormat("dd.MM.yyyy") : date),
    headline: headline(analysis, engine, allLines, w, language),
    today: today(analysis, engine, w, language),
    sections,
    warnings,
    curve: engine.balanced && engine.heating_curve && engine.heating_curve.lower_by_k > 0 ? w.curve(kelvin(engine.heating_curve.lower_by_k, language)) : undefined,
    policy: targetsDiffer ? w.policy : undefined,
    footer: w.footer(engine.cycle, w.policyName(engine.policy), `${localDateTime(analysis.window.start, analysis.window.timezone, language)} – ${localDateTime(analysis.window.end, analysis.window.timezone, language)}`),
    balanced: engine.balanced,
    changes: allLines.filter((l) => l.kind === "change").length,
  };
}
