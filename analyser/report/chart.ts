// The daily chart, rendered without a browser: a vega-lite spec → vega View toSVG() →
// @resvg/resvg-js → PNG. Fonts are passed explicitly (Debian fonts-dejavu-core): without them
// resvg silently drops every text, and with system fonts the bytes would vary by machine.
// Laid out for a phone: one column, large type, horizontal bars so room names stay readable.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { AnalysisResult } from "../measurement/result.js";
import type { EngineResult } from "../engine/result.js";
import { num, words, type Language } from "./i18n.js";
import { lineState, type LineState } from "./compose.js";

export const FONT_DIR = "/usr/share/fonts/truetype/dejavu";
const FONT_FILES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"];
const FONT = "DejaVu Sans";

export interface ChartRow {
  manifold: string;
  label: string;
  spread_k: number;
  /** Absent when the engine set no target today (waiting for a change to settle). */
  target_k?: number;
  /** The row's state in the table (lineState); `band` is its name in the legend. */
  state: LineState;
  band: string;
  /** "2,9 / 2,6 K": measured / target, in the reader's number format. */
  text: string;
}

/** One row per judged circuit, in house order; circuits without a spread are left out of the bars. */
export function chartRows(analysis: AnalysisResult, engine: EngineResult, deadBandK = 0.4): ChartRow[] {
  const language = analysis.language;
  const verdicts = new Map(engine.verdicts.map((v) => [v.circuit, v]));
  const rows: ChartRow[] = [];
  const bands = bandNames(language);
  for (const m of analysis.manifolds) {
    const roomCount = new Map<string, number>();
    for (const c of m.circuits) roomCount.set(c.room, (roomCount.get(c.room) ?? 0) + 1);
    for (const c of m.circuits) {
      const v = verdicts.get(c.circuit);
      const spread = v?.spread_k ?? c.spread?.median_k;
      const target = v?.target_k;
      if (spread === undefined) continue;
      // The colour is the table row's state (compose.ts lineState), never a second reading of the numbers.
      const state = lineState(v, deadBandK);
      rows.push({
        manifold: m.name,
        label: roomCount.get(c.room)! > 1 ? `${c.room} · ${c.circuit}` : c.room,
        spread_k: Math.round(spread * 100) / 100,
        ...(target === undefined ? {} : { target_k: Math.round(target * 100) / 100 }),
        state,
        band: bands[state],
        text: target === undefined ? `${num(spread, 1, language)} K` : `${num(spread, 1, language)} / ${num(target, 1, language)} K`,
      });
    }
  }
  return rows;
}

export function bandNames(language: Language): Record<LineState, string> {
  return language === "de"
    ? { ok: "im Ziel", "too-little": "zu wenig Durchfluss", "too-much": "zu viel Durchfluss", held: "daneben, gehalten (Grund in der Tabelle)", waiting: "wartet auf die Wirkung", none: "heute kein Urteil" }
    : { ok: "on target", "too-little": "too little flow", "too-much": "too much flow", held: "off target, held (reason in the table)", waiting: "waiting for the effect", none: "not judged today" };
}

const BAND_COLOURS: Record<LineState, string> = { ok: "#2e9e44", "too-little": "#e07b00", "too-much": "#3b7dd8", held: "#c9a227", waiting: "#8e6fc1", none: "#a0a0a0" };
const BAND_ORDER: LineState[] = ["ok", "too-little", "too-much", "held", "waiting", "none"];

export function chartSpec(analysis: AnalysisResult, engine: EngineResult, deadBandK = 0.4): TopLevelSpec {
  const language = analysis.language;
  const w = words(language);
  const bands = bandNames(language);
  const rows = chartRows(analysis, engine, deadBandK);
  const trend = engine.trend.map((t) => ({ cycle: t.cycle, date: t.date, worst: Math.round(t.worst_deviation_k * 100) / 100 }));
  const manifoldOrder = [...new Set(rows.map((r) => r.manifold))];
  const labelOrder = rows.map((r) => r.label);
  const xMax = Math.ceil(Math.max(1, ...rows.map((r) => Math.max(r.spread_k, r.target_k ?? 0))) * 1.45);
  const width = 460;
  const barPanel = {
    title: { text: w.chartDeltaT, fontSize: 20, anchor: "start" as const },
    data: { values: rows },
    facet: { row: { field: "manifold", type: "nominal" as const, sort: manifoldOrder, header: { title: null, labelFontSize: 18, labelFontWeight: "bold" as const, labelAngle: 0, labelAlign: "left" as const, labelOrient: "top" as const, labelPadding: 4 } } },
    resolve: { scale: { y: "independent" as const } },
    spacing: 12,
    spec: {
      width,
      height: { step: 24 },
      layer: [
        {
          mark: { type: "bar" as const, height: 16 },
          encoding: {
            y: { field: "label", type: "nominal" as const, sort: labelOrder, title: null, axis: { labelFontSize: 15, labelLimit: 340 } },
            // Room on the right for the "measured / target" labels.
            x: { field: "spread_k", type: "quantitative" as const, title: "ΔT (K)", axis: { labelFontSize: 14, titleFontSize: 15 }, scale: { domain: [0, xMax], nice: false } },
            color: {
              field: "band",
              type: "nominal" as const,
              scale: { domain: BAND_ORDER.map((b) => bands[b]), range: BAND_ORDER.map((b) => BAND_COLOURS[b]) },
              legend: { title: null, orient: "top" as const, labelFontSize: 15, symbolSize: 200, labelLimit: 400, columns: 2 },
            },
          },
        },
        {
          mark: { type: "tick" as const, thickness: 3, size: 22, color: "#111" },
          encoding: {
            y: { field: "label", type: "nominal" as const, sort: labelOrder },
            x: { field: "target_k", type: "quantitative" as const },
          },
        },
        {
          mark: { type: "text" as const, align: "right" as const, fontSize: 14, color: "#222" },
          encoding: {
            y: { field: "label", type: "nominal" as const, sort: labelOrder },
            x: { value: width - 4 },
            text: { field: "text", type: "nominal" as const },
          },
        },
      ],
    },
  };
  const trendPanel = {
    title: { text: w.chartTrend, fontSize: 20, anchor: "start" as const },
    data: { values: trend },
    width: width + 200,
    height: 200,
    layer: [
      {
        mark: { type: "line" as const, point: { size: 90, filled: true, color: "#c0392b" }, strokeWidth: 3, color: "#c0392b" },
        encoding: {
          x: { field: "cycle", type: "ordinal" as const, title: w.chartCycle, axis: { labelFontSize: 14, titleFontSize: 15, labelAngle: 0 } },
          y: { field: "worst", type: "quantitative" as const, title: w.chartWorst, axis: { labelFontSize: 14, titleFontSize: 15 }, scale: { zero: true } },
        },
      },
      { mark: { type: "rule" as const, strokeDash: [6, 4], color: "#2e9e44", strokeWidth: 2 }, encoding: { y: { datum: deadBandK } } },
      {
        // The dead band: below it the engine leaves the valves alone.
        mark: { type: "text" as const, align: "left" as const, baseline: "bottom" as const, dy: -4, fontSize: 14, color: "#2e9e44" },
        encoding: { y: { datum: deadBandK }, x: { value: 6 }, text: { value: `${w.chartTargetLegend} ±${num(deadBandK, 1, language)} K` } },
      },
    ],
  };
  const panels: object[] = [];
  if (rows.length > 0) panels.push(barPanel);
  if (trend.length > 0) panels.push(trendPanel);
  if (panels.length === 0) {
    panels.push({ data: { values: [{ t: language === "de" ? "Noch keine Daten für ein Diagramm" : "No data for a chart yet" }] }, mark: { type: "text", fontSize: 20 }, encoding: { text: { field: "t" } }, width, height: 80 });
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    background: "white",
    padding: 16,
    config: {
      ...(language === "de" ? { locale: { number: { decimal: ",", thousands: ".", grouping: [3], currency: ["", " €"] } } } : {}),
      font: FONT, title: { font: FONT }, axis: { labelFont: FONT, titleFont: FONT }, legend: { labelFont: FONT }, header: { labelFont: FONT } },
    vconcat: panels,
    spacing: 36,
  } as TopLevelSpec;
}

/** The SVG of the chart (deterministic for the same inputs). */
export async function renderChartSvg(analysis: AnalysisResult, engine: EngineResult, deadBandK = 0.4): Promise<string> {
  // vega-lite warns about faceted independent scales sharing a field; the facet rows are one data set by construction.
  const { spec } = compile(chartSpec(analysis, engine, deadBandK), { logger: silentLogger() });
  const view = new vega.View(vega.parse(spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function silentLogger(): any {
  const logger: any = { level: () => logger, error: () => logger, warn: () => logger, info: () => logger, debug: () => logger };
  return logger;
}

export function fontFiles(dir = FONT_DIR): string[] {
  const files = FONT_FILES.map((f) => join(dir, f));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) throw new Error(`chart fonts missing: ${missing.join(", ")} (install Debian fonts-dejavu-core)`);
  return files;
}

/** PNG at twice the layout size, so it stays sharp when a phone zooms in. */
export async function renderChart(analysis: AnalysisResult, engine: EngineResult, options: { deadBandK?: number; fontDir?: string } = {}): Promise<Uint8Array> {
  const svg = await renderChartSvg(analysis, engine, options.deadBandK);
  const resvg = new Resvg(svg, {
    font: { fontFiles: fontFiles(options.fontDir), loadSystemFonts: false, defaultFontFamily: FONT },
    fitTo: { mode: "zoom", value: 2 },
    background: "white",
  });
  return new Uint8Array(resvg.render().asPng());
}

