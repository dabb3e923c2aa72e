// The per-minute rollup InfluxDB keeps for the analyser, as InfluxQL (pure: statements and the
// arithmetic of what the rollup misses; the I/O is in influx.ts and rollup-setup.ts).
//
// Why a rollup, and why this shape: InfluxDB 1.6 spends about 7 µs of CPU per row it emits from a
// GROUP BY time(1m) aggregate and about 4 µs per raw row, whatever the row holds. A month of 31
// sensors is 1.34 M sensor-minutes: ~10 s of server CPU aggregated per analysis, ~5 s read back
// as one row per sensor-minute, but ~1.5 s as one row per minute with a column per sensor.
// So one continuous query per sensor writes that sensor's minute mean into its own field (named
// by its canonical ROM) of one untagged series, `temperature_1m`; points with the same time merge,
// giving one 31-column row per minute. The mean is InfluxDB's own mean("celsius") over the same
// minute the raw aggregate would use, so the analysis sees the same numbers either way.
//
// Minutes the rollup lacks (the continuous queries' newest minutes, minutes whose readings all
// arrived more than RESAMPLE_FOR late, sensors added after setup, a database never set up) are
// read from the raw data for just those sensors and minutes. A minute the rollup holds is taken
// as it is: readings added to it more than RESAMPLE_FOR late are not in its mean.

import { TEMPERATURE, TEMPERATURE_1M } from "../../shared/measurements.js";
import { parseRom } from "../../shared/rom.js";
import { quoteIdent, quoteString } from "./influxql.js";

export const ROLLUP = TEMPERATURE_1M;
/** How far back each continuous-query run recomputes: readings a node delivers late (its buffer after an outage) within this are rolled up. */
export const RESAMPLE_FOR = "1h";
export const ROLLUP_FIELDS_QUERY = `SHOW FIELD KEYS FROM ${quoteIdent(ROLLUP)}`;

export const cqName = (rom: string): string => `floorbalance_1m_${rom}`;

function rollupSelect(database: string, rp: string, rom: string, time = ""): string {
  const q = quoteIdent;
  return `SELECT mean("celsius") AS ${q(rom)} INTO ${q(database)}.${q(rp)}.${q(ROLLUP)} FROM ${q(database)}.${q(rp)}.${q(TEMPERATURE)} WHERE "rom" = ${quoteString(rom)}${time} GROUP BY time(1m)`;
}

/** The continuous query that keeps one sensor's minute means. */
export function createCq(database: string, rp: string, rom: string): string {
  return `CREATE CONTINUOUS QUERY ${quoteIdent(cqName(rom))} ON ${quoteIdent(database)} RESAMPLE EVERY 1m FOR ${RESAMPLE_FOR} BEGIN ${rollupSelect(database, rp, rom)} END`;
}

export function dropCq(database: string, rom: string): string {
  return `DROP CONTINUOUS QUERY ${quoteIdent(cqName(rom))} ON ${quoteIdent(database)}`;
}

/** The same select over existing history (idempotent: it rewrites the same points). */
export function backfillQuery(database: string, rp: string, rom: string, start: number, end: number): string {
  return rollupSelect(database, rp, rom, ` AND time >= ${start}s AND time < ${end}s`);
}

/** One row per minute, one column per rolled-up sensor. */
export function rollupReadQuery(roms: readonly string[], start: number, end: number): string {
  return `SELECT ${roms.map(quoteIdent).join(", ")} FROM ${quoteIdent(ROLLUP)} WHERE time >= ${start}s AND time < ${end}s`;
}

/** The rolled-up sensors, from SHOW FIELD KEYS rows ([fieldKey, fieldType]): float fields named by a canonical ROM. */
export function rollupRoms(rows: readonly unknown[][]): string[] {
  const isRom = (name: unknown): name is string => {
    if (typeof name !== "string") return false;
    const p = parseRom(name);
    return p.ok && p.canonical === name;
  };
  return rows.filter((r) => r[1] === "float" && isRom(r[0])).map((r) => r[0] as string).sort();
}

/** Missing minutes closer than this are read in one statement (fewer statements beat fewer rows). */
export const GAP_MERGE_MIN = 60;

/**
 * The runs of minutes [from, to) of a chunk that the rollup left empty, per sensor; runs closer
 * than GAP_MERGE_MIN minutes are joined. `present` marks the minutes the rollup had, per ROM; a
 * ROM without an entry had none.
 */
export function gapRuns(roms: Iterable<string>, present: ReadonlyMap<string, Uint8Array>, minutes: number): { rom: string; from: number; to: number }[] {
  const out: { rom: string; from: number; to: number }[] = [];
  for (const rom of roms) {
    const have = present.get(rom);
    let run: { rom: string; from: number; to: number } | undefined;
    for (let i = 0; i < minutes; i++) {
      if (have?.[i]) continue;
      if (run && i - run.to < GAP_MERGE_MIN) run.to = i + 1;
      else out.push((run = { rom, from: i, to: i + 1 }));
    }
  }
  return out;
}
