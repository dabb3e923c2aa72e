// floorbalance calibrate: the sensor calibration procedures (docs/calibration.md), in the house
// file's language. Each call looks at the data so far (InfluxDB, or a line-protocol file with
// --file), says where the procedure stands and what to do next, and when it is finished writes
// the calibration file beside the house file (keyed by ROM) and mirrors it to InfluxDB.
//   bundle   --node ID        all sensors of a node in one pot of cooling water (before mounting)
//   in-place --manifold ID    standby, then the floor circulation stopped for 1–2 h
//   harvest                   stops of the circulation found in ordinary data
//   mirror                    send the calibration file to InfluxDB again

import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { UserError } from "../../shared/errors.js";
import type { House } from "../../shared/house/index.js";
import { loadSecrets, type Secrets } from "../../shared/secrets.js";
import { calibrationLines, calibrationPathFor, loadCalibrationFile, mergeCalibrationFile, saveCalibrationFile, type CalibrationFile } from "../../analyser/calibration/file.js";
import { GUIDANCE, type Guidance } from "../../analyser/calibration/guidance.js";
import { num, type Language } from "../../analyser/report/i18n.js";
import { harvest } from "../../analyser/calibration/harvest.js";
import { bundleStep, inPlaceStep, manifoldRoms, MAX_STOP_MIN, nodeRoms } from "../../analyser/calibration/procedure.js";
import type { SensorCalibration } from "../../analyser/calibration/types.js";
import { lastTimestamp } from "../../analyser/sources/run.js";
import type { MinuteSeries } from "../../analyser/measurement/series.js";
import { readLineProtocol } from "../../analyser/sources/file.js";
import { influxErrorLine, influxWrite, readInflux } from "../../analyser/sources/influx.js";
import { parseNow } from "./analyse.js";
import { localTime } from "../../analyser/measurement/window.js";
import { configOption, configPath, loadHouse } from "../options.js";

interface Flags {
  config?: string;
  file?: string;
  now?: string;
  since?: string;
  dryRun?: boolean;
  mirror?: boolean;
  watch?: boolean;
}

function hours(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const h = Number(text);
  if (!Number.isFinite(h) || h <= 0 || h > 24 * 365) throw new UserError(`--since "${text}" is not a number of hours`, undefined, "e.g. --since 3");
  return h;
}

/** The data of the last `sinceH` hours before `now` (the file's end for --file). */
async function readData(house: House, flags: Flags, secrets: () => Secrets, sinceH: number): Promise<{ data: MinuteSeries; now: number }> {
  if (flags.file) {
    let text: string;
    try {
      text = readFileSync(flags.file, "utf8");
    } catch (err) {
      throw new UserError(`cannot read the data file ${flags.file}: ${(err as Error).message}`, undefined, "pass a line-protocol file, e.g. exported from InfluxDB with precision s");
    }
    const now = parseNow(flags.now) ?? (lastTimestamp(text) ?? Math.floor(Date.now() / 1000)) + 60;
    return { data: readLineProtocol(text, { start: now - sinceH * 3600, end: now }), now };
  }
  const now = parseNow(flags.now) ?? Math.floor(Date.now() / 1000);
  return { data: await readInflux(house, secrets(), { start: now - sinceH * 3600, end: now }), now };
}

function table(g: Guidance, sensors: SensorCalibration[], lang: Language): string {
  const t = g.table;
  const rows = [[t.rom, t.offset, t.sd, t.gain, t.residual, t.verdict]];
  for (const s of sensors) {
    rows.push([
      s.rom,
      (s.offset_k >= 0 ? "+" : "") + num(s.offset_k, 3, lang),
      num(s.sd_k, 3, lang),
      s.gain !== undefined ? num(s.gain, 4, lang) : "–",
      s.residual_k !== undefined ? num(s.residual_k, 3, lang) : "–",
      g.verdict[s.replace ?? "ok"],
    ]);
  }
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows.map((r) => "  " + r.map((c, j) => c.padEnd(widths[j])).join("  ").trimEnd()).join("\n") + "\n";
}

/** The calibrations into InfluxDB (sensor_calibration); a failure throws the classifier's UserError. */
function mirror(house: House, secrets: Secrets, file: CalibrationFile): Promise<void> {
  return influxWrite({ url: house.influx.url, database: house.influx.database, secrets }, house.influx.retention_policy, calibrationLines(file));
}

/** Save the fresh calibrations into the file beside the house file, then mirror them. */
async function store(house: House, houseFile: string, flags: Flags, secrets: () => Secrets, fresh: SensorCalibration[], now: number, g: Guidance): Promise<void> {
  if (flags.dryRun || fresh.length === 0) return;
  const path = calibrationPathFor(houseFile);
  const file = mergeCalibrationFile(loadCalibrationFile(path), fresh, now);
  saveCalibrationFile(path, file);
  process.stdout.write(g.written(path, fresh.length) + "\n");
  // With --file there is no server unless asked for (--mirror); from InfluxDB, mirror unless --no-mirror.
  if (flags.mirror === false || (flags.file && flags.mirror !== true)) return;
  const known = secrets();
  try {
    await mirror(house, known, file);
    process.stdout.write(g.mirrored(Object.keys(file.sensors).length) + "\n");
  } catch (err) {
    process.stdout.write(g.mirrorFailed(err instanceof UserError ? influxErrorLine(err, known) : (err as Error).message) + "\n");
  }
}

function common(cmd: Command): Command {
  return configOption(cmd)
    .option("--file <lp>", "read a line-protocol file instead of InfluxDB")
    .option("--now <time>", "treat this as now (Unix s or ISO time); default the clock, or the end of --file")
    .option("--dry-run", "show the result but do not write the calibration file")
    .option("--mirror", "mirror to InfluxDB even with --file")
    .option("--no-mirror", "do not mirror the calibration file to InfluxDB");
}

/** The house file, its guidance language and (lazily) its secrets. */
function context(flags: Flags): { house: House; houseFile: string; g: Guidance; secrets: () => Secrets } {
  const { house, file } = loadHouse(flags);
  const houseFile = file ?? configPath(flags);
  return { house, houseFile, g: GUIDANCE[house.site.language], secrets: () => loadSecrets(houseFile) };
}

/** Run `step` once, or every minute with --watch (InfluxDB only) until it reports it is finished. */
async function repeat(flags: Flags, step: () => Promise<boolean>): Promise<void> {
  for (;;) {
    if ((await step()) || !flags.watch || flags.file) return;
    await new Promise((r) => setTimeout(r, 60_000));
    process.stdout.write("\n");
  }
}

export function register(program: Command): void {
  const calibrate = program.command("calibrate").description("calibrate the temperature sensors: bundle (before mounting), in-place, harvest; see docs/calibration.md");

  common(
    calibrate
      .command("bundle")
      .description("all sensors of a node in one pot of warm water cooling by ≥ 10 K: fit offset, gain and lag per ROM")
      .requiredOption("--node <id>", "the node whose sensors are in the pot")
      .option("--since <hours>", "look back this many hours for the start of the bundle", "2")
      .option("--accept", "fit with the range covered so far (no gain below 8 K)")
      .option("--watch", "check again every minute until finished"),
  ).action(async (flags: Flags & { node: string; accept?: boolean }) => {
    const { house, houseFile, g, secrets } = context(flags);
    if (!house.nodes.some((n) => n.id === flags.node)) throw new UserError(`no node "${flags.node}" in the house file`, undefined, `use one of: ${house.nodes.map((n) => n.id).join(", ")}`);
    await repeat(flags, async () => {
      const { data, now } = await readData(house, flags, secrets, hours(flags.since, 2));
      const roms = nodeRoms(data, flags.node);
      process.stdout.write(g.bundleIntro(flags.node, roms.length).join("\n") + "\n\n");
      const step = bundleStep(data, roms, `node:${flags.node}`, flags.accept);
      const say = (s: string) => process.stdout.write(s + "\n");
      if (step.kind === "no-data") say(g.bundleNoData(flags.node));
      else if (step.kind === "settling") say(g.bundleSettling);
      else if (step.kind === "cooling") say(g.bundleCooling(num(step.coveredK, 1, house.site.language), "10", step.remainingMin));
      else if (step.kind === "stalled") say(g.bundleStalled(num(step.coveredK, 1, house.site.language)));
      else {
        say(g.bundleDone(step.minutes));
        process.stdout.write(table(g, step.fit.sensors, house.site.language));
        await store(house, houseFile, flags, secrets, step.fit.sensors, now, g);
        say(g.bundleAfter);
        return true;
      }
      say(g.notWritten);
      return false;
    });
  });

  common(
    calibrate
      .command("in-place")
      .description("manifold sensors in place: standby with the pump running, then the floor circulation stopped until every sensor levels off")
      .requiredOption("--manifold <id>", "the manifold (cabinet) to calibrate")
      .option("--stopped-at <time>", "when the circulation was stopped (Unix s or ISO time); default: found in the data")
      .option("--since <hours>", "look back this many hours (the standby and the stop)", "4")
      .option("--watch", "check again every minute until finished"),
  ).action(async (flags: Flags & { manifold: string; stoppedAt?: string }) => {
    const { house, houseFile, g, secrets } = context(flags);
    if (!house.manifolds.some((m) => m.id === flags.manifold)) throw new UserError(`no manifold "${flags.manifold}" in the house file`, undefined, `use one of: ${house.manifolds.map((m) => m.id).join(", ")}`);
    const stoppedAt = parseNow(flags.stoppedAt);
    await repeat(flags, async () => {
      const { data, now } = await readData(house, flags, secrets, hours(flags.since, 4));
      const say = (s: string) => process.stdout.write(s + "\n");
      say(g.inPlaceIntro(flags.manifold).join("\n") + "\n");
      const stopAt = stoppedAt !== undefined ? Math.round((stoppedAt - data.start) / 60) : undefined;
      if (stopAt !== undefined && (stopAt < 0 || stopAt >= data.minutes)) throw new UserError(`--stopped-at is outside the data (${new Date(data.start * 1000).toISOString()} … ${new Date(now * 1000).toISOString()})`, undefined, "give the time the circulation was stopped, or a longer --since");
      const step = inPlaceStep(house, data, flags.manifold, stopAt);
      if ((step.kind === "waiting" || step.kind === "finished") && step.detected) say(g.inPlaceStopFound(localTime(house.site.timezone, data.start + step.stopAt * 60)));
      if (step.kind === "no-data") say(g.bundleNoData(manifoldRoms(house, flags.manifold).supply ?? flags.manifold));
      else if (step.kind === "no-stop") say(g.inPlaceNoStop);
      else if (step.kind === "waiting") say(g.inPlaceWaiting(step.stoppedMin, step.slowest.rom, Number.isFinite(step.slowest.remaining_k) ? num(step.slowest.remaining_k, 2, house.site.language) : "?", step.waitMin));
      else {
        say(step.converged ? g.inPlaceConverged(step.stoppedMin) : g.inPlaceTimeUp(Math.min(MAX_STOP_MIN, step.stoppedMin)));
        say(g.inPlaceSwitchBack);
        process.stdout.write(table(g, step.sensors, house.site.language));
        say(g.inPlaceLimits);
        await store(house, houseFile, flags, secrets, step.sensors, now, g);
        return true;
      }
      say(g.notWritten);
      return false;
    });
  });

  common(
    calibrate
      .command("harvest")
      .description("find stops of the floor circulation in ordinary data (summer, power cuts, pump pauses) and calibrate from them")
      .option("--since <hours>", "look back this many hours", "720")
      .option("--overwrite", "also replace calibrations from a bundle or in-place procedure"),
  ).action(async (flags: Flags & { overwrite?: boolean }) => {
    const { house, houseFile, g, secrets } = context(flags);
    const { data, now } = await readData(house, flags, secrets, hours(flags.since, 720));
    const existing = loadCalibrationFile(calibrationPathFor(houseFile)).sensors;
    const fresh: SensorCalibration[] = [];
    let windows = 0;
    for (const m of house.manifolds) {
      const roms = manifoldRoms(house, m.id);
      const by = new Map([roms.supply, roms.ret, ...roms.circuits].filter((r): r is string => !!r && data.byRom.has(r)).map((r) => [r, data.byRom.get(r)!]));
      const found = harvest(by, roms.circuits, data.minutes, `manifold:${m.id}`);
      windows += found.windows.length;
      // A procedure's calibration is better than ordinary data; keep it unless told otherwise.
      fresh.push(...found.sensors.filter((s) => flags.overwrite || !existing[s.rom] || existing[s.rom].method === "harvested"));
    }
    if (windows === 0) return void process.stdout.write(g.harvestNone + "\n");
    process.stdout.write(g.harvestFound(windows, fresh.length) + "\n");
    process.stdout.write(table(g, fresh, house.site.language));
    await store(house, houseFile, flags, secrets, fresh, now, g);
  });

  configOption(calibrate.command("mirror").description("send the calibration file beside the house file to InfluxDB (sensor_calibration)")).action(async (flags: Flags) => {
    const { house, houseFile, g, secrets } = context(flags);
    const cal = loadCalibrationFile(calibrationPathFor(houseFile));
    // The classifier's error (what, where, how to fix, its own exit code) goes to the CLI shell as is.
    await mirror(house, secrets(), cal);
    process.stdout.write(g.mirrored(Object.keys(cal.sensors).length) + "\n");
  });
}
