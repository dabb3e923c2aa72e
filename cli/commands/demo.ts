// floorbalance demo: the whole product on the example house, offline. The twin simulates a week;
// each morning the analyser reads the last day from the file source, the engine decides, and a
// simulated homeowner sets the valves as told (with real hands: meters read to ±5 %). The last
// morning's report is printed and written as the Discord payload and the chart.
// No InfluxDB, no network: runs anywhere after `npm ci`.

import type { Command } from "commander";
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DateTime } from "luxon";
import { type House } from "../../shared/house/index.js";
import { loadHouseFile } from "../../shared/house/load.js";
import { Simulation, personAdjust } from "../../simulator/index.js";
import { readLineProtocol } from "../../analyser/sources/file.js";
import { dailyCycle, type CycleState } from "../../analyser/cycle.js";
import { dailyWindow } from "../../analyser/measurement/window.js";
import { applySelection, emptyMemory, type Memory } from "../../analyser/engine/index.js";
import { saveMemory } from "../../analyser/state/memory-file.js";
import type { AnalysisResult } from "../../analyser/measurement/result.js";
import type { EngineResult } from "../../analyser/engine/result.js";
import { actionText, kelvin, type Report } from "../../analyser/report/compose.js";
import { layoutTerminal } from "../../analyser/report/text.js";
import { layoutDiscord } from "../../analyser/report/discord.js";
import { renderChart } from "../../analyser/report/chart.js";
import { UserError } from "../../shared/errors.js";
import { configOption } from "../options.js";

export const EXAMPLE_HOUSE = fileURLToPath(new URL("../../examples/house.yaml", import.meta.url));

export interface DemoOptions {
  house: House;
  out: string;
  days: number;
  /** Site-local date of the first simulated day (fixed, so every run tells the same story). */
  firstDay: string;
  seed: number;
  progress?: (text: string) => void;
  /** Also keep every simulated reading in readings.lp (~27 MB per day for the example house). */
  readings?: boolean;
}

export interface DemoCycle {
  date: string;
  worst_k?: number;
  /** "Schlafen: 2,0 → 1,6 l/min", in the report's language. */
  changes: string[];
}

export interface DemoResult {
  analysis: AnalysisResult;
  engine: EngineResult;
  memory: Memory;
  cycles: DemoCycle[];
  files: { readings?: string; payload: string; chart: string; state: string; result: string };
  terminal: string;
}

export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const { house } = o;
  const tz = house.site.timezone;
  // The daily run's time of day from the schedule ("*-*-* 06:30:00"), in the site's zone.
  const [hh, mm] = (/(\d{1,2}):(\d{2})/.exec(house.analysis.schedule) ?? ["", "6", "30"]).slice(1).map(Number);
  const runAt = (day: number) => DateTime.fromISO(o.firstDay, { zone: tz }).plus({ days: day }).set({ hour: hh, minute: mm }).toSeconds();
  const start = runAt(0) - house.analysis.lookback_h * 3600;
  mkdirSync(o.out, { recursive: true });
  const files = {
    readings: o.readings ? join(o.out, "readings.lp") : undefined,
    payload: join(o.out, "discord-payload.json"),
    chart: join(o.out, "chart.png"),
    state: join(o.out, "state.json"),
    result: join(o.out, "result.json"),
  };
  const sim = new Simulation(house, { start, days: (runAt(o.days - 1) - start) / 86400, seed: o.seed });
  // The analysis reads each day from memory; the file is only for looking at the data afterwards.
  const fd = files.readings ? openSync(files.readings, "w") : undefined;
  let state: CycleState = { memory: emptyMemory(), calibration: {} };
  const cycles: DemoCycle[] = [];
  let last: { analysis: AnalysisResult; engine: EngineResult; report: Report } | undefined;
  try {
    for (let day = 0; day < o.days; day++) {
      const at = runAt(day);
      o.progress?.(`simulating day ${day + 1}/${o.days} and analysing it…`);
      let text = "";
      sim.run(at, (chunk) => {
        text += chunk;
        if (fd !== undefined) writeSync(fd, chunk);
      });
      // The chunk is exactly the day the window covers: no need to re-read the whole file.
      const window = dailyWindow(tz, at, house.analysis.lookback_h);
      const { analysis, engine, report, next } = dailyCycle(house, readLineProtocol(text, window, { signals: house.plant.signals }), state, at);
      state = next;
      // The homeowner walks to the manifolds after breakfast and does what the report says.
      const noted = engine.actions.map((a) => ({ action: a, set: personAdjust(sim.twin, a.circuit, a.unit === "l/min" ? { setting_lpm: a.to } : { turns_open: a.to }, o.seed + day) }));
      if (noted.length > 0) {
        const settings = noted.map(({ action, set }) => ({ circuit: action.circuit, value: set.noted.setting_lpm ?? set.noted.turns_open ?? action.to, unit: action.unit }));
        state = { ...state, memory: applySelection(house, state.memory, { settings }, at + 3600).memory };
      }
      cycles.push({ date: DateTime.fromSeconds(at, { zone: tz }).toISODate() ?? "", worst_k: engine.worst_deviation_k, changes: engine.actions.map((a) => `${a.room}: ${actionText(a, house.site.language)}`) });
      last = { analysis, engine, report };
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const { analysis, engine, report } = last!;
  const memory = state.memory;
  o.progress?.("drawing the chart…");
  const chart = await renderChart(analysis, engine, { deadBandK: house.analysis.dead_band_k });
  const messages = layoutDiscord(report, { chartFile: "chart.png", username: house.discord.username });
  writeFileSync(files.chart, chart);
  writeFileSync(files.payload, JSON.stringify(messages.length === 1 ? messages[0] : messages, null, 2) + "\n");
  saveMemory(files.state, memory);
  writeFileSync(files.result, JSON.stringify({ ...analysis, engine }, null, 1) + "\n");
  o.progress?.("");
  return { analysis, engine, memory, cycles, files, terminal: layoutTerminal(report) };
}

function weekSummary(cycles: DemoCycle[], language: "de" | "en"): string {
  const de = language === "de";
  const lines = [de ? "Jeden Morgen sagt floorbalance, was an den Verteilern zu tun ist (hier simuliert: die Ventile wurden wie empfohlen gestellt):" : "Every morning floorbalance says what to do at the manifolds (simulated here: the valves were set as recommended):"];
  for (const c of cycles) {
    const worst = c.worst_k === undefined ? "–" : kelvin(c.worst_k, language);
    lines.push(`  ${c.date}  ${de ? "größte Abweichung" : "largest deviation"} ${worst}:${c.changes.length === 0 ? (de ? " nichts zu tun" : " nothing to do") : ""}`);
    for (const change of c.changes) lines.push(`      ${change}`);
  }
  return lines.join("\n") + "\n";
}

export function register(program: Command): void {
  configOption(
    program
      .command("demo")
      .description("simulate the example house for a week and show the daily report (offline, no InfluxDB, no Discord)")
      .option("--out <dir>", "where to write discord-payload.json, chart.png, state.json (and readings.lp)", "demo-out")
      .option("--days <n>", "days to simulate (one report each morning)", "7")
      .option("--readings", "also write every simulated reading to readings.lp (large: ~27 MB per day)"),
  ).action(async (flags: { config?: string; out: string; days: string; readings?: boolean }) => {
    const days = Number(flags.days);
    if (!Number.isInteger(days) || days < 1 || days > 60) throw new UserError(`--days ${flags.days} is not a whole number of days from 1 to 60`);
    const houseFile = flags.config ?? EXAMPLE_HOUSE;
    const { house } = loadHouseFile(houseFile);
    const tty = process.stderr.isTTY;
    const out = resolve(flags.out);
    const de = house.site.language === "de";
    process.stdout.write(
      de
        ? `floorbalance-Demo: ${house.site.name} (${relative(process.cwd(), houseFile)}), eine simulierte Woche mit Wärmepumpe und ${house.circuits.length} Heizkreisen an ${house.manifolds.length} Verteilern.\n\n`
        : `floorbalance demo: ${house.site.name} (${relative(process.cwd(), houseFile)}), one simulated week: a heat pump, ${house.circuits.length} circuits on ${house.manifolds.length} manifolds.\n\n`,
    );
    const result = await runDemo({
      house,
      out,
      days,
      firstDay: "2026-01-05",
      seed: 1,
      readings: !!flags.readings,
      progress: tty ? (text) => process.stderr.write(`\r\x1b[2K${text}`) : undefined,
    });
    const rel = (f: string) => relative(process.cwd(), f) || f;
    process.stdout.write(weekSummary(result.cycles, house.site.language) + "\n");
    process.stdout.write((de ? "Der Bericht des letzten Morgens, wie er auch an Discord geht:\n\n" : "The last morning's report, as it also goes to Discord:\n\n") + result.terminal + "\n");
    process.stdout.write(
      [
        `${de ? "geschrieben" : "written"}: ${rel(result.files.payload)} (${de ? "die Discord-Nachricht" : "the Discord message"}), ${rel(result.files.chart)}, ${result.files.readings ? `${rel(result.files.readings)}, ` : ""}${rel(result.files.state)}`,
        de ? "Nächste Schritte: docs/report.md (Discord, systemd, Grafana)." : "Next: docs/report.md (Discord, systemd, Grafana).",
        "",
      ].join("\n"),
    );
  });
}
