// floorbalance analyse: read the last day's data (InfluxDB, or a line-protocol file), measure
// each circuit (analyseFromFlags; the pipeline itself lives in analyser/run.ts), then the daily
// run (runDaily): engine → report → Discord through the outbox.

import type { Command } from "commander";
import { DateTime } from "luxon";
import { UserError } from "../../shared/errors.js";
import type { AnalysisResult } from "../../analyser/result.js";
import { defaultCalibrationFile, runAnalysis, type Source } from "../../analyser/run.js";
import { configOption, configPath, loadHouse } from "../options.js";
import { calibrationPathFor } from "../../analyser/calibration/file.js";
import { composeReport } from "../../analyser/report/compose.js";
import { readDhwSummary } from "../../analyser/report/dhw-section.js";
import { influxRunner } from "../../analyser/sources/influx.js";
import { layoutTerminal } from "../../analyser/report/text.js";
import { layoutDiscord, type DiscordMessage } from "../../analyser/report/discord.js";
import { renderChart } from "../../analyser/report/chart.js";
import { deliveryWords, words } from "../../analyser/report/i18n.js";
import { defaultOutboxDir, deliver, isDelivered, loadEntries } from "../../analyser/delivery/outbox.js";
import { outcomeLine, queuedReportText } from "../../analyser/delivery/outcome.js";
import { postMessage, webhookUrlProblem } from "../../analyser/delivery/webhook.js";
import { defaultStatePath, loadMemory, mirrorEvents, recommend, saveMemory } from "../../analyser/engine/index.js";
import { EXIT } from "../../shared/exit-codes.js";
import { loadSecrets, redact, requireSecret } from "../../shared/secrets.js";

export interface AnalyseFlags {
  config?: string;
  json?: boolean;
  file?: string;
  now?: string;
  lookback?: string;
  calibration?: string;
  saveCalibration?: boolean;
}

export function parseNow(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const t = DateTime.fromISO(text, { setZone: true });
  if (!t.isValid) throw new UserError(`--now "${text}" is not a time`, undefined, "write Unix seconds or an ISO time such as 2026-01-15T06:30:00+01:00");
  return Math.round(t.toSeconds());
}

export function parseLookback(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const h = Number(text);
  if (!Number.isFinite(h) || h <= 0 || h > 24 * 60) throw new UserError(`--lookback "${text}" is not a number of hours between 0 and 1440`, undefined, "e.g. --lookback 24");
  return h;
}

/** The analysis step of the command, shared with REPORT's full pipeline. */
export async function analyseFromFlags(flags: AnalyseFlags): Promise<{ result: AnalysisResult; house: ReturnType<typeof loadHouse>["house"] }> {
  const { house, file } = loadHouse(flags, !!flags.json);
  const tty = process.stderr.isTTY;
  const source: Source = flags.file
    ? { kind: "file", file: flags.file }
    : {
        kind: "influx",
        secrets: loadSecrets(file ?? configPath(flags)),
        onProgress: tty ? (done, total) => process.stderr.write(`\rreading InfluxDB: ${done}/${total} days${done === total ? "\n" : ""}`) : undefined,
      };
  const result = await runAnalysis(house, source, parseNow(flags.now), {
    lookbackH: parseLookback(flags.lookback),
    calibrationFile: flags.calibration ?? defaultCalibrationFile(),
    saveCalibration: flags.saveCalibration !== false,
    houseCalibrationFile: calibrationPathFor(file ?? configPath(flags)),
  });
  if (source.kind === "influx") result.dhw = await readDhwSummary(influxRunner(house, source.secrets), house, result.window);
  return { result, house };
}

export function summary(result: AnalysisResult): string {
  const lines = [`${result.site}: ${result.window.start_local} … ${result.window.end_local}, ${result.heating.active_minutes} heating-active minutes, ${result.heating.starts} starts`];
  for (const m of result.manifolds) {
    lines.push(`${m.name}${m.status === "ok" ? "" : ` (${m.reason})`}${m.spread ? `: ΔT ${m.spread.median_k.toFixed(2)} K` : ""}`);
    for (const c of m.circuits) {
      if (c.status !== "ok") {
        lines.push(`  ${c.circuit.padEnd(14)} not enough data: ${c.reason}`);
        continue;
      }
      const flow = c.flow.combined_lpm ?? c.flow.transit_lpm ?? c.flow.mixing_lpm;
      const dt = c.spread ? { k: c.spread.median_k, ci: c.spread.ci } : { k: c.heat_spread!.mean_k, ci: c.heat_spread!.ci };
      lines.push(
        `  ${c.circuit.padEnd(14)} ΔT ${dt.k.toFixed(2)} K [${dt.ci.low.toFixed(2)}…${dt.ci.high.toFixed(2)}]` +
          (c.heat_spread && c.spread ? `  heat-carrying ${c.heat_spread.mean_k.toFixed(2)} K` : "") +
          (flow ? `  flow ${flow.value.toFixed(2)} ± ${flow.sd.toFixed(2)} l/min` : "") +
          (c.flow.meter_lpm !== undefined ? ` (meter ${c.flow.meter_lpm})` : "") +
          (c.heat?.watts !== undefined ? `  ${c.heat.watts} W` : ""),
      );
      for (const w of c.warnings) lines.push(`    ! ${w}`);
    }
  }
  for (const w of result.warnings) lines.push(`! ${w}`);
  return lines.join("\n") + "\n";
}

export function register(program: Command): void {
  configOption(
    program
      .command("analyse")
      .description("the daily run: measure each circuit, decide what to change, send the report to Discord")
      .option("--json", "print the analysis (with the engine's decisions under \"engine\") as JSON; sends and saves nothing")
      .option("--file <file>", "read line protocol from a file instead of InfluxDB")
      .option("--now <time>", "analyse as if it were this time (Unix seconds or ISO); default now, or the end of --file")
      .option("--lookback <hours>", "hours to look back (default: analysis.lookback_h)")
      .option("--calibration <file>", "sensor-offset store (default ~/.local/state/floorbalance/calibration.json)")
      .option("--no-save-calibration", "apply the stored offsets but do not update them")
      .option("--dry-run", "print the report; send nothing, remember nothing")
      .option("--force", "send today's report even if it already went out")
      .option("--state <file>", "the engine's memory (default ~/.local/state/floorbalance/state.json)")
      .option("--outbox <dir>", "reports waiting to be sent (default ~/.local/state/floorbalance/outbox)")
      .option("--analysis-only", "print only the analysis summary (no engine, no report)"),
  ).action(async (flags: DailyFlags) => {
    if (flags.analysisOnly) {
      const { result } = await analyseFromFlags(flags);
      process.stdout.write(flags.json ? JSON.stringify(result, null, 2) + "\n" : summary(result));
      return;
    }
    process.exitCode = await runDaily(flags);
  });
}

// ---- The full daily run (REPORT): analysis → engine → report → delivery ----

export interface DailyFlags extends AnalyseFlags {
  dryRun?: boolean;
  force?: boolean;
  state?: string;
  outbox?: string;
  analysisOnly?: boolean;
}

function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`);
}

/** The daily run; returns the exit code. */
export async function runDaily(flags: DailyFlags): Promise<number> {
  const readOnly = !!flags.dryRun || !!flags.json;
  const secrets = loadSecrets(configPath(flags));
  // Ask for the webhook before the long part, so a missing secret costs no InfluxDB query.
  const webhook = readOnly ? undefined : requireSecret(secrets, "discord_webhook", "to send the report (or run with --dry-run)");
  const badWebhook = webhook && webhookUrlProblem(webhook);
  if (badWebhook) throw new UserError(badWebhook, EXIT.usage, "set discord_webhook to the URL Discord shows under the channel's Integrations → Webhooks → Copy Webhook URL");
  const { result: analysis, house } = await analyseFromFlags({ ...flags, saveCalibration: readOnly ? false : flags.saveCalibration });
  progress("deciding…");
  const statePath = flags.state ?? defaultStatePath();
  const outboxDir = flags.outbox ?? defaultOutboxDir();
  const memory = loadMemory(statePath);
  const { result: engine, memory: next } = recommend(house, analysis, memory, { now: analysis.generated_at });
  const report = composeReport(house, analysis, engine);
  progress("");
  if (flags.json) {
    process.stdout.write(JSON.stringify({ ...analysis, engine }, null, 2) + "\n");
    return EXIT.ok;
  }
  if (readOnly || !webhook) {
    process.stdout.write(layoutTerminal(report));
    return EXIT.ok;
  }
  const today = loadEntries(outboxDir).find((e) => e.date === report.date);
  // Exactly once per day: a report for today already in the outbox means the engine already ran
  // today; only --force runs it again (and counts a new cycle).
  const fresh = !today || flags.force;
  // The terminal (and so the journal) shows what goes to Discord: a queued report as it was stored.
  const terminal = layoutTerminal(report);
  process.stdout.write(fresh || !today ? terminal : queuedReportText(today, report.language, isDelivered(today)));
  let messages: DiscordMessage[] = today?.messages ?? [];
  let chart: Uint8Array | undefined;
  if (fresh) {
    saveMemory(statePath, next);
    if (!flags.file) {
      const mirrored = await mirrorEvents(house, secrets, next);
      if (mirrored.error) process.stderr.write(`floorbalance: warning: ${redact(mirrored.error, secrets)} (the events go out with the next run)\n`);
      else if (mirrored.sent > 0) saveMemory(statePath, mirrored.memory);
    }
    progress("drawing the chart…");
    chart = house.discord.chart ? await renderChart(analysis, engine, { deadBandK: house.analysis.dead_band_k }) : undefined;
    messages = layoutDiscord(report, { chartFile: chart ? "chart.png" : undefined, username: house.discord.username });
  }
  progress("sending…");
  const outcomes = await deliver({
    dir: outboxDir,
    today: {
      date: report.date,
      messages,
      chart,
      late_note: words(report.language).late(report.date),
      repeat_note: deliveryWords(report.language).repeat(report.date),
      terminal_text: terminal,
      dead_letter_note: deliveryWords(report.language).deadLetter,
    },
    force: flags.force,
    now: Math.floor(Date.now() / 1000),
    send: (m, files, asRepeat) => postMessage(webhook, m, files, { asRepeat, log: (l) => process.stderr.write(`floorbalance: ${redact(l, secrets)}\n`) }),
  });
  progress("");
  for (const o of outcomes) process.stderr.write(`floorbalance: ${redact(outcomeLine(o, report.language), secrets)}\n`);
  return outcomes.some((o) => o.status === "failed" || o.status === "not-tried" || o.status === "dead-lettered") ? EXIT.deliveryFailed : EXIT.ok;
}
