// Reading what commissioning needs from InfluxDB 1.x (node-influx). The imperative edge: every
// query is small and bounded by a time window; InfluxDB's failures become UserErrors with the
// project's exit codes.

import { nodeStatuses, type HealthPoint } from "../analyser/sources/health.js";
import { classifyInfluxError, hasInfluxCredentials, influxClient, quoteString } from "../analyser/sources/influx.js";
import type { House } from "../shared/house/index.js";
import { NODE_HEALTH, REJECTION_REASONS, TEMPERATURE } from "../shared/measurements.js";
import { parseRom } from "../shared/rom.js";
import { redact, type Secrets } from "../shared/secrets.js";
import { addSample, sortTraces, type RomMinutes, type RomTrace } from "./series.js";

export interface Source {
  query(q: string): Promise<RawSeries[]>;
}

interface RawSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

export function influxSource(house: House, secrets: Secrets): Source {
  const client = influxClient(house, secrets);
  const fail = (err: unknown) => {
    const error = classifyInfluxError(err, house.influx.url, house.influx.database, hasInfluxCredentials(secrets));
    error.message = redact(error.message, secrets);
    return error;
  };
  return {
    async query(q) {
      let body: { results?: { series?: RawSeries[]; error?: string }[]; error?: string };
      try {
        body = await client.queryRaw(q, { database: house.influx.database, precision: "s", retentionPolicy: house.influx.retention_policy });
      } catch (err) {
        throw fail(err);
      }
      const out: RawSeries[] = [];
      for (const r of body.results ?? []) {
        if (r.error) throw fail(new Error(r.error));
        out.push(...(r.series ?? []));
      }
      return out;
    },
  };
}

const q = quoteString;

function whereTime(window: { start: number; end: number }): string {
  return `time >= ${Math.floor(window.start)}s AND time < ${Math.ceil(window.end)}s`;
}

function canonical(rom: string): string {
  const p = parseRom(rom);
  return p.ok ? p.canonical : rom;
}

/** Every temperature reading in the window (optionally of one node), per ROM. */
export async function readTraces(source: Source, window: { start: number; end: number }, node?: string): Promise<RomTrace[]> {
  const filter = node ? ` AND "node" = ${q(node)}` : "";
  const series = await source.query(`SELECT "celsius" FROM "${TEMPERATURE}" WHERE ${whereTime(window)}${filter} GROUP BY "rom", "node", "bus"`);
  const byRom = new Map<string, RomTrace>();
  for (const s of series) {
    const rom = canonical(s.tags?.rom ?? "");
    const ti = s.columns.indexOf("time");
    const ci = s.columns.indexOf("celsius");
    for (const row of s.values) {
      const c = row[ci];
      if (typeof c === "number") addSample(byRom, rom, s.tags?.node ?? "?", s.tags?.bus ?? "?", { time: Number(row[ti]), celsius: c });
    }
  }
  return sortTraces([...byRom.values()]);
}

/** Per-minute means in the window, per ROM, with where each ROM reported from. */
export async function readMinutes(source: Source, window: { start: number; end: number }): Promise<RomMinutes> {
  const start = Math.floor(window.start / 60) * 60;
  const minutes = Math.max(0, Math.ceil((window.end - start) / 60));
  const series = await source.query(`SELECT mean("celsius") AS "c" FROM "${TEMPERATURE}" WHERE ${whereTime({ start, end: start + minutes * 60 })} GROUP BY time(1m), "rom", "node", "bus" fill(none)`);
  const byRom = new Map<string, Float64Array>();
  const placement = new Map<string, { node: string; bus: string }>();
  for (const s of series) {
    const rom = canonical(s.tags?.rom ?? "");
    let arr = byRom.get(rom);
    if (!arr) byRom.set(rom, (arr = new Float64Array(minutes).fill(NaN)));
    placement.set(rom, { node: s.tags?.node ?? "?", bus: s.tags?.bus ?? "?" });
    const ti = s.columns.indexOf("time");
    const ci = s.columns.indexOf("c");
    for (const row of s.values) {
      const k = Math.floor((Number(row[ti]) - start) / 60);
      if (k >= 0 && k < minutes && typeof row[ci] === "number") arr[k] = row[ci] as number;
    }
  }
  return { start, minutes, byRom, placement };
}

/** Rejected reads per node over the window, by reason (node_health counters, reboot-aware). */
export async function readRejections(source: Source, window: { start: number; end: number }): Promise<Map<string, Record<string, number>>> {
  const fields = ["uptime_s", ...REJECTION_REASONS.map((r) => `rejected_${r}`)];
  const series = await source.query(`SELECT ${fields.map((f) => `"${f}"`).join(", ")} FROM "${NODE_HEALTH}" WHERE ${whereTime(window)} GROUP BY "node"`);
  const points: HealthPoint[] = [];
  for (const s of series) {
    const col = (name: string) => s.columns.indexOf(name);
    for (const row of s.values) {
      const rejected: Record<string, number> = {};
      for (const r of REJECTION_REASONS) {
        const v = row[col(`rejected_${r}`)];
        if (typeof v === "number") rejected[r] = v;
      }
      const up = row[col("uptime_s")];
      points.push({ node: s.tags?.node ?? "?", time: Number(row[col("time")]), uptime_s: typeof up === "number" ? up : undefined, rejected });
    }
  }
  return new Map(nodeStatuses(points).map((n) => [n.node, n.rejected as Record<string, number>]));
}
