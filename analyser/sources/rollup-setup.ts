// `floorbalance influx setup`: make InfluxDB keep the analyser's per-minute rollup (rollup.ts).
// Idempotent: the database is created only when missing, an identical continuous query is left
// as it is, a changed one replaced, and the backfill rewrites the same points.

import { UserError } from "../../shared/errors.js";
import { EXIT } from "../../shared/exit-codes.js";
import { sensorIndex, type House } from "../../shared/house/index.js";
import { TEMPERATURE } from "../../shared/measurements.js";
import type { Secrets } from "../../shared/secrets.js";
import { influxRunner, type Runner } from "./influx.js";
import { quoteIdent } from "./influxql.js";
import { backfillQuery, createCq, dropCq, ROLLUP, ROLLUP_FIELDS_QUERY } from "./rollup.js";

export interface SetupOptions {
  /** End of the backfill, Unix s (default: now); the continuous queries carry on from there. */
  now?: number;
  /** Backfill existing history (default true). */
  backfill?: boolean;
  /** Seconds of history per backfill request (default one day). */
  chunkS?: number;
  onProgress?: (done: number, total: number) => void;
  onStatement?: (q: string) => void;
}

export interface SetupReport {
  database: string;
  createdDatabase: boolean;
  measurement: string;
  roms: string[];
  /** Continuous queries that existed with another definition and were replaced. */
  replaced: string[];
  backfill?: { start: number; end: number; points: number };
}

/** Sensors to roll up: the house file's and every ROM the database has ever seen. */
async function romsToRollUp(run: Runner, house: House): Promise<string[]> {
  const [tagValues] = await run(`SHOW TAG VALUES FROM ${quoteIdent(TEMPERATURE)} WITH KEY = "rom"`);
  const seen = (tagValues?.series ?? []).flatMap((s) => (s.values ?? []).map((row) => String(row[1])));
  return [...new Set([...sensorIndex(house).keys(), ...seen])].sort();
}

async function ensureDatabase(run: Runner, database: string): Promise<boolean> {
  try {
    await run(ROLLUP_FIELDS_QUERY);
    return false;
  } catch (err) {
    if (!(err instanceof UserError && err.exitCode === EXIT.influxNoDatabase)) throw err;
  }
  await run(`CREATE DATABASE ${quoteIdent(database)}`, "POST");
  return true;
}

/** Setup writes: a refused privilege is about writing and creating, not reading. */
function setupRunner(house: House, secrets: Secrets, onStatement?: (q: string) => void): Runner {
  const run = influxRunner(house, secrets, onStatement);
  return async (q, method) => {
    try {
      return await run(q, method);
    } catch (err) {
      if (err instanceof UserError && err.exitCode === EXIT.influxAuth && /may not read/.test(err.message)) {
        const db = house.influx.database;
        throw new UserError(`the InfluxDB user may not create the rollup in database "${db}" at ${house.influx.url}`, EXIT.influxAuth, `run floorbalance influx setup as an admin user, or GRANT ALL ON "${db}" TO the user`);
      }
      throw err;
    }
  };
}

export async function setupRollup(house: House, secrets: Secrets, options: SetupOptions = {}): Promise<SetupReport> {
  const run = setupRunner(house, secrets, options.onStatement);
  const { database, retention_policy: rp } = house.influx;
  const createdDatabase = await ensureDatabase(run, database);
  const roms = await romsToRollUp(run, house);
  const replaced: string[] = [];
  for (const rom of roms) {
    try {
      await run(createCq(database, rp, rom), "POST");
    } catch (err) {
      // InfluxDB accepts an identical CREATE again and refuses a different one under the same name.
      if (!(err instanceof UserError && /already exists/.test(err.message))) throw err;
      await run(dropCq(database, rom), "POST");
      await run(createCq(database, rp, rom), "POST");
      replaced.push(rom);
    }
  }
  const report: SetupReport = { database, createdDatabase, measurement: ROLLUP, roms, replaced };
  if (options.backfill === false || roms.length === 0) return report;

  const [first] = await run(`SELECT first("celsius") FROM ${quoteIdent(TEMPERATURE)}`);
  const firstTime = first?.series?.[0]?.values?.[0]?.[0];
  const end = Math.floor((options.now ?? Date.now() / 1000) / 60) * 60;
  if (typeof firstTime !== "number" || firstTime >= end) return report;
  const start = Math.floor(firstTime / 60) * 60;
  const chunkS = options.chunkS ?? 86_400;
  const total = Math.ceil((end - start) / chunkS);
  let points = 0;
  for (let k = 0, a = start; a < end; k++, a += chunkS) {
    const b = Math.min(end, a + chunkS);
    for (const r of await run(roms.map((rom) => backfillQuery(database, rp, rom, a, b)).join(";\n"), "POST")) {
      const written = r.series?.[0]?.values?.[0]?.[1];
      if (typeof written === "number") points += written;
    }
    options.onProgress?.(k + 1, total);
  }
  report.backfill = { start, end, points };
  return report;
}
