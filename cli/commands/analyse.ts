// floorbalance analyse: read the last day's data (InfluxDB, or a line-protocol file), measure
// each circuit (analyseFromFlags; the pipeline itself lives in analyser/run.ts), then the daily
// run (runDaily): engine → report → Discord through the outbox.

import type { Command } from "commander";
import { DateTime } from "luxon";
import { UserError } from "../../shared/errors.js";
import type { AnalysisResult } from "../../analyser/measurement/result.js";
import { defaultCalibrationFile, readSource, runAnalysis, type Source } from "../../analyser/sources/run.js";
import { loadCalibration, saveCalibration } from "../../analyser/state/calibration-file.js";
import { dailyCycle } from "../../analyser/cycle.js";
import { dailyWindow } from "../../analyser/measurement/window.js";
import { configOption, configPath, loadHouse } from "../options.js";
import { calibrationPathFor, analysisCalibration, loadCalibrationFile } from "../../analyser/calibration/file.js";
import { dhwFromSource } from "../../analyser/sources/dhw.js";
import { layoutTerminal } from "../../analyser/report/text.js";
import { layoutDiscord, type DiscordMessage } from "../../analyser/report/discord.js";
import { renderChart } from "../../analyser/report/chart.js";
import { deliveryWords, words } from "../../analyser/report/i18n.js";
import { defaultOutboxDir, deliver, isDelivered, loadEntries } from "../../analyser/delivery/outbox.js";
import { outcomeLine, queuedReportText } from "../../analyser/delivery/outcome.js";
import { postMessage, webhookUrlProblem } from "../../analyser/delivery/webhook.js";
import { defaultStatePath, loadMemory, saveMemory } from "../../analyser/state/memory-file.js";
import { mirrorEvents } from "../../analyser/delivery/mirror.js";
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

/** Where the command reads from: a line-protocol file (--file) or InfluxDB. */
function sourceFromFlags(flags: AnalyseFlags, houseFile: string | undefined): Source {
  const tty = process.stderr.isTTY;
  return flags.file
    ? { kind: "file", file: flags.file }
    : {
        kind: "influx",
        secrets: loadSecrets(houseFile ?? configPath(flags)),
        onProgress: tty ? (done, total) => process.stderr.write(`\rreading InfluxDB: ${done}/${total} days${done === total ? "\n" : ""}`) : undefined,
      };
}

/** The analysis step of the command (--analysis-only). */
export async function analyseFromFlags(flags: AnalyseFlags): Promise<{ result: AnalysisResult; house: ReturnType<typeof loadHouse>["house"] }> {
  const { house, file } = loadHouse(flags, !!flags.json);
  const source = sourceFromFlags(flags, file);
  const result = await runAnalysis(house, source, parseNow(flags.now), {
    lookbackH: parseLookback(flags.lookback),
    calibrationFile: flags.calibration ?? defaultCalibrationFile(),
    saveCalibration: flags.saveCalibration !== false,
    houseCalibrationFile: calibrationPathFor(file ?? configPath(flags)),
  });
  result.dhw = await dhwFromSource(house, source, result.window);
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
  const { house, file } = loadHouse(flags, !!flags.json);
  const input = sourceFromFlags(flags, file);
  const lookbackH = parseLookback(flags.lookback) ?? house.analysis.lookback_h;
  const { data, now } = await readSource(house, input, parseNow(flags.now), lookbackH);
  const dhw = await dhwFromSource(house, input, dailyWindow(house.site.timezone, now, lookbackH));
  progress("deciding…");
  const statePath = flags.state ?? defaultStatePath();
  const outboxDir = flags.outbox ?? defaultOutboxDir();
  const calibrationFile = flags.calibration ?? defaultCalibrationFile();
  const stored = {
    memory: loadMemory(statePath),
    calibration: loadCalibration(calibrationFile),
    procedures: analysisCalibration(loadCalibrationFile(calibrationPathFor(file ?? configPath(flags)))),
  };
  const source = flags.file ? { kind: "file" as const, name: flags.file } : { kind: "database" as const, name: house.influx.database };
  const { analysis, engine, report, next, outage } = dailyCycle(house, data, stored, now, { source, dhw });
  // No data: the short report still goes out, and the exit code says why nothing was judged.
  const done = outage ? EXIT.noData : EXIT.ok;
  if (!readOnly && flags.saveCalibration !== false && next.calibration !== stored.calibration) saveCalibration(calibrationFile, next.calibration);
  progress("");
  if (flags.json) {
    process.stdout.write(JSON.stringify({ ...analysis, engine }, null, 2) + "\n");
    return done;
  }
  if (readOnly || !webhook) {
    process.stdout.write(layoutTerminal(report));
    return done;
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
    saveMemory(statePath, next.memory);
    if (!flags.file) {
      const mirrored = await mirrorEvents(house, secrets, next.memory);
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
  return outcomes.some((o) => o.status === "failed" || o.status === "not-tried" || o.status === "dead-lettered") ? EXIT.deliveryFailed : done;
}
