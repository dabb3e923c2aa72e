// `floorbalance simulate`: run the physical twin of the house and write what its sensors would
// have written, as line protocol, to stdout, a file, or InfluxDB (in batches).

import type { Command } from "commander";
import { closeSync, openSync, writeSync } from "node:fs";
import { DateTime } from "luxon";
import { EXIT } from "../../shared/exit-codes.js";
import { UserError } from "../../shared/errors.js";
import { loadSecrets, type Secrets } from "../../shared/secrets.js";
import { Simulation } from "../../simulator/index.js";
import { configOption, configPath, loadHouse } from "../options.js";
import { count, num } from "../../analyser/report/i18n.js";
import { influxRequest } from "../../analyser/sources/influx.js";

interface SimulateFlags {
  config?: string;
  days?: string;
  start?: string;
  seed?: string;
  out?: string;
  influx?: string;
  truth?: boolean;
  telemetry?: boolean;
  createDb?: boolean;
  faults?: boolean;
}

/** Lines per InfluxDB write (InfluxDB 1.x recommends 5 000–10 000). */
export const INFLUX_BATCH_LINES = 5000;
const PIECE_S = 3600;

export function register(program: Command): void {
  configOption(
    program
      .command("simulate")
      .description("run the physical twin of the house and write its sensor readings as line protocol")
      .option("--days <n>", "simulated days", "1")
      .option("--start <iso>", "start time, ISO 8601 (default: midnight UTC, <days> days ago)")
      .option("--seed <n>", "random seed (same seed, same run)", "1")
      .option("--out <file>", "write line protocol to this file")
      .option("--influx <url>", "write to InfluxDB at this URL (database from the house file)")
      .option("--create-db", "create the InfluxDB database if it does not exist")
      .option("--truth", "also write the ground truth (sim_truth) once per minute")
      .option("--telemetry", "also write the heat pump's telemetry once per minute, as ESPAltherma names it (signals preset espaltherma)")
      .option("--no-faults", "no sensor faults (85 °C reads, CRC failures, dropouts, a dying sensor)"),
  ).action(async (flags: SimulateFlags) => {
    const options = parseFlags(flags);
    const { house } = loadHouse(flags);
    const sim = new Simulation(house, { start: options.start, days: options.days, seed: options.seed, truth: options.truth, telemetry: options.telemetry, sensorFaults: options.faults });
    const progress = progressReporter(sim.twin.start, sim.end);
    if (options.influx) {
      const secrets = loadSecrets(configPath(flags));
      const target = { url: options.influx, db: house.influx.database, rp: house.influx.retention_policy, secrets };
      await ensureDatabase(target, options.createDb);
      let pending: string[] = [];
      while (sim.time < sim.end) {
        sim.run(Math.min(sim.end, sim.time + PIECE_S), (chunk) => pending.push(chunk));
        await writeBatches(target, pending.join(""));
        pending = [];
        progress(sim.time);
      }
    } else if (options.out) {
      let fd: number;
      try {
        fd = openSync(options.out, "w");
      } catch (err) {
        throw new UserError(`cannot write ${options.out}: ${(err as Error).message}`, EXIT.usage, "choose a writable path for --out");
      }
      try {
        while (sim.time < sim.end) {
          sim.run(Math.min(sim.end, sim.time + 6 * PIECE_S), (chunk) => writeSync(fd, chunk));
          progress(sim.time);
        }
      } finally {
        closeSync(fd);
      }
    } else {
      // A closed pipe (… | head) ends the run quietly, as other Unix tools do.
      let closed = false;
      process.stdout.on("error", (err: NodeJS.ErrnoException) => {
        if (err.code === "EPIPE") closed = true;
        else throw err;
      });
      while (sim.time < sim.end && !closed) {
        const chunks: string[] = [];
        sim.run(Math.min(sim.end, sim.time + PIECE_S), (chunk) => chunks.push(chunk));
        if (!process.stdout.write(chunks.join(""))) await new Promise((resolve) => process.stdout.once("drain", resolve));
        await new Promise((resolve) => setImmediate(resolve));
        progress(sim.time);
      }
    }
    progress(sim.end, true);
    const s = sim.stats;
    const lang = house.site.language;
    const de = lang === "de";
    const where = options.influx ? `InfluxDB ${options.influx} (${de ? "Datenbank" : "database"} ${house.influx.database})` : options.out ? options.out : "stdout";
    const days = num(options.days, Number.isInteger(options.days) ? 0 : 2, lang);
    const from = new Date(sim.twin.start * 1000).toISOString();
    process.stderr.write(
      de
        ? `${days} ${options.days === 1 ? "Tag" : "Tage"} ab ${from} simuliert: ${count(s.readings, lang)} Messwerte, ${count(s.rejected, lang)} ungültige Lesungen in node_health gezählt, ${count(s.lines, lang)} Zeilen nach ${where}\n`
        : `simulated ${days} day${options.days === 1 ? "" : "s"} from ${from}: ${count(s.readings, lang)} readings, ${count(s.rejected, lang)} invalid reads counted in node_health, ${count(s.lines, lang)} lines to ${where}\n`,
    );
  });
}

export interface ParsedSimulateFlags {
  days: number;
  start: number;
  seed: number;
  out?: string;
  influx?: string;
  truth: boolean;
  telemetry: boolean;
  createDb: boolean;
  faults: boolean;
}

export function parseFlags(flags: SimulateFlags, now = Date.now() / 1000): ParsedSimulateFlags {
  const days = Number(flags.days ?? "1");
  if (!Number.isFinite(days) || days <= 0 || days > 366) {
    throw new UserError(`--days ${flags.days} is not a number of days between 0 and 366`, EXIT.usage, "e.g. --days 7 (fractions such as 0.5 are fine)");
  }
  const seed = Number(flags.seed ?? "1");
  if (!Number.isSafeInteger(seed)) throw new UserError(`--seed ${flags.seed} is not a whole number`, EXIT.usage, "e.g. --seed 42");
  let start: number;
  if (flags.start !== undefined) {
    const parsed = DateTime.fromISO(flags.start, { zone: "utc" });
    if (!parsed.isValid) throw new UserError(`--start ${flags.start} is not an ISO 8601 time`, EXIT.usage, "e.g. --start 2025-11-20 or --start 2025-11-20T06:00:00Z");
    start = Math.floor(parsed.toSeconds());
  } else {
    start = Math.floor((now - days * 86400) / 86400) * 86400;
  }
  if (flags.out !== undefined && flags.influx !== undefined) {
    throw new UserError("--out and --influx cannot be used together", EXIT.usage, "write to a file with --out, or to InfluxDB with --influx, or to stdout with neither");
  }
  if (flags.influx !== undefined && !/^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(flags.influx)) {
    throw new UserError(`--influx ${flags.influx} is not an InfluxDB address`, EXIT.usage, "write it as http://host:8086");
  }
  if (flags.createDb && flags.influx === undefined) throw new UserError("--create-db only makes sense with --influx", EXIT.usage);
  return { days, start, seed, out: flags.out, influx: flags.influx, truth: flags.truth ?? false, telemetry: flags.telemetry ?? false, createDb: flags.createDb ?? false, faults: flags.faults ?? true };
}

function progressReporter(start: number, end: number): (t: number, done?: boolean) => void {
  const tty = process.stderr.isTTY === true;
  return (t, done = false) => {
    if (!tty) return;
    const days = (t - start) / 86400;
    process.stderr.write(`\rsimulated ${days.toFixed(1)} of ${((end - start) / 86400).toFixed(1)} days`);
    if (done) process.stderr.write("\n");
  };
}

interface InfluxTarget {
  url: string;
  db: string;
  rp: string;
  secrets: Secrets;
}

// The analyser's request and classifier, so every InfluxDB call says the same thing for the same failure.
function request(target: InfluxTarget, path: string, init: { method: string; body?: string; params: Record<string, string> }): Promise<Response> {
  return influxRequest({ url: target.url, database: target.db, secrets: target.secrets }, path, init);
}

async function ensureDatabase(target: InfluxTarget, create: boolean): Promise<void> {
  const res = await request(target, "query", { method: "GET", params: { q: "SHOW DATABASES" } });
  const body = (await res.json().catch(() => ({}))) as { results?: { series?: { values?: string[][] }[] }[] };
  const names = (body.results?.[0]?.series?.[0]?.values ?? []).map((v) => v[0]);
  if (names.includes(target.db)) return;
  if (!create) {
    throw new UserError(`InfluxDB at ${target.url} has no database "${target.db}"`, EXIT.influxNoDatabase, `create it (CREATE DATABASE "${target.db}") or run again with --create-db`);
  }
  const made = await request(target, "query", { method: "POST", params: { q: `CREATE DATABASE "${target.db.replace(/"/g, "")}"` } });
  if (!made.ok) throw new UserError(`InfluxDB could not create database "${target.db}" (HTTP ${made.status})`, EXIT.influxNoDatabase);
}

async function writeBatches(target: InfluxTarget, text: string): Promise<void> {
  let from = 0;
  while (from < text.length) {
    let to = from;
    for (let n = 0; n < INFLUX_BATCH_LINES && to < text.length; n++) {
      const nl = text.indexOf("\n", to);
      to = nl < 0 ? text.length : nl + 1;
    }
    const res = await request(target, "write", { method: "POST", body: text.slice(from, to), params: { db: target.db, rp: target.rp, precision: "s" } });
    if (res.status === 404) throw new UserError(`InfluxDB at ${target.url} has no database "${target.db}"`, EXIT.influxNoDatabase, "run again with --create-db");
    if (!res.ok) {
      const detail = (await res.text().catch(() => "")).slice(0, 300);
      throw new UserError(`InfluxDB refused a write (HTTP ${res.status}): ${detail}`, EXIT.influxUnreachable);
    }
    from = to;
  }
}
