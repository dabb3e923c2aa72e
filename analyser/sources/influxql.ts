// InfluxQL quoting, shared by every statement the analyser and its setup build, and the raw
// per-minute aggregate every read path falls back to.

import { TEMPERATURE } from "../../shared/measurements.js";

/** An InfluxQL identifier, double-quoted and escaped. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** An InfluxQL string literal, single-quoted and escaped. */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/**
 * Per-minute means of the raw readings over [start, end), for every sensor or for one ROM: the
 * whole read without a rollup, and the fill-in for the minutes a rollup lacks.
 */
export function minuteMeansQuery(start: number, end: number, rom?: string): string {
  // Grouping by rom only: node and bus come from the series index (SHOW SERIES), which is
  // metadata; grouping by them too costs the server about twice the time.
  const one = rom === undefined ? "" : ` AND "rom" = ${quoteString(rom)}`;
  return `SELECT mean("celsius") FROM ${quoteIdent(TEMPERATURE)} WHERE time >= ${start}s AND time < ${end}s${one} GROUP BY time(1m), "rom" fill(none)`;
}
