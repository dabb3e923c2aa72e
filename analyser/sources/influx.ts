// The InfluxDB v1 source (node-influx). The server does the heavy lifting: per-minute means per
// sensor with GROUP BY time(1m), so ~8 M raw readings a month arrive as ~1.3 M minute means, in
// day-sized chunks so memory stays flat. Errors become one clear UserError each: unreachable,
// bad credentials, missing database (InfluxDB reports that inside a 200, per statement).

import { InfluxDB } from "influx";
import { EXIT } from "../../shared/exit-codes.js";
import { UserError } from "../../shared/errors.js";
import type { House } from "../../shared/house/index.js";
import { REJECTION_REASONS, NODE_HEALTH, TEMPERATURE } from "../../shared/measurements.js";
import type { Secrets } from "../../shared/secrets.js";
import type { NodeStatus } from "../result.js";
import { minuteGrid, MinuteMeans, stateToHeating, type MinuteSeries } from "../series.js";
import { isHeatingValue } from "./file.js";

export interface InfluxOptions {
  /** Called after each chunk with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Seconds per temperature query (default one day). */
  chunkS?: number;
  /** Queries in flight at once (default 3). */
  concurrency?: number;
}

interface RawSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][] | null;
}
interface RawResult {
  statement_id?: number;
  series?: RawSeries[];
  error?: string;
}

/** An InfluxQL string literal / identifier, escaped. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function tagFilter(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => ` AND ${quoteIdent(k)} = ${quoteString(v)}`)
    .join("");
}

/** The per-minute temperature aggregate for one time range (exported for the bench's bare timing). */
export function temperatureQuery(start: number, end: number): string {
  // Grouping by rom only: node and bus come from the series index (SHOW SERIES), which is
  // metadata; grouping by them too costs the server about twice the time.
  return `SELECT mean("celsius") FROM ${quoteIdent(TEMPERATURE)} WHERE time >= ${start}s AND time < ${end}s GROUP BY time(1m), "rom" fill(none)`;
}

export const SERIES_QUERY = `SHOW SERIES FROM ${quoteIdent(TEMPERATURE)}`;

/** Series keys (`temperature,bus=0,mapped=yes,node=n1,rom=28-…`) → where each ROM hangs. */
export function placements(keys: string[]): Map<string, { node: string; bus: string }> {
  const out = new Map<string, { node: string; bus: string }>();
  for (const key of keys) {
    const tags: Record<string, string> = {};
    for (const part of key.split(/(?<!\\),/).slice(1)) {
      const eq = part.indexOf("=");
      if (eq > 0) tags[part.slice(0, eq)] = part.slice(eq + 1).replace(/\\(.)/g, "$1");
    }
    if (tags.rom) out.set(tags.rom, { node: tags.node ?? "?", bus: tags.bus ?? "?" });
  }
  return out;
}

export function healthQueries(start: number, end: number): string[] {
  const diffs = REJECTION_REASONS.map((r) => `non_negative_difference("rejected_${r}") AS "${r}"`).join(", ");
  const sums = REJECTION_REASONS.map((r) => `sum("${r}") AS "${r}"`).join(", ");
  const where = `WHERE time >= ${start}s AND time < ${end}s`;
  return [
    `SELECT ${sums} FROM (SELECT ${diffs} FROM ${quoteIdent(NODE_HEALTH)} ${where} GROUP BY "node") GROUP BY "node"`,
    `SELECT last("write_status") AS write_status, last("dropped") AS dropped, last("buffered") AS buffered, last("firmware") AS firmware FROM ${quoteIdent(NODE_HEALTH)} ${where} GROUP BY "node"`,
    `SELECT last("uptime_s") FROM ${quoteIdent(NODE_HEALTH)} ${where} GROUP BY "node"`,
  ];
}

/** Turn node-influx failures into the three errors a person can act on. */
export function classifyInfluxError(err: unknown, url: string, database: string): UserError {
  const e = err as { code?: string; message?: string; res?: { statusCode?: number } };
  const status = e?.res?.statusCode;
  if (status === 401 || status === 403) {
    return new UserError(`InfluxDB at ${url} refused the user name or password (HTTP ${status})`, EXIT.influxAuth, "check influx_username and influx_password in secrets.yaml or FLOORBALANCE_INFLUX_USERNAME/_PASSWORD");
  }
  const msg = String(e?.message ?? err);
  if (/database not found/i.test(msg)) {
    return new UserError(`InfluxDB at ${url} has no database "${database}"`, EXIT.influxNoDatabase, `create it (CREATE DATABASE "${database}") or set influx.database in the house file to the one the nodes write to`);
  }
  if (/authorization failed|unable to parse authentication credentials|authentication/i.test(msg)) {
    return new UserError(`InfluxDB at ${url} refused the user name or password`, EXIT.influxAuth, "check influx_username and influx_password in secrets.yaml or FLOORBALANCE_INFLUX_USERNAME/_PASSWORD");
  }
  if (/not authorized|privilege/i.test(msg)) {
    return new UserError(`the InfluxDB user may not read database "${database}" at ${url}`, EXIT.influxAuth, `GRANT READ ON "${database}" TO the user`);
  }
  if (status === undefined || e?.code || /No host available|timed out|ECONN|ENOTFOUND|EHOSTUNREACH|socket hang up/i.test(msg)) {
    return new UserError(`InfluxDB at ${url} cannot be reached (${e?.code ?? msg.slice(0, 80)})`, EXIT.influxUnreachable, "check that influxd runs and influx.url in the house file points at it");
  }
  return new UserError(`InfluxDB at ${url} answered with an error: ${msg.slice(0, 200)}`, EXIT.influxUnreachable, "look at influxd's log");
}

/** Per-statement errors inside a 200 response are errors too. */
function checkResults(results: RawResult[] | undefined): RawResult[] {
  for (const r of results ?? []) if (r.error) throw new Error(r.error);
  return results ?? [];
}

export function influxClient(house: House, secrets: Secrets): InfluxDB {
  const url = new URL(house.influx.url);
  return new InfluxDB({
    host: url.hostname,
    port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
    protocol: url.protocol === "https:" ? "https" : "http",
    database: house.influx.database,
    ...(secrets.influx_username ? { username: secrets.influx_username } : {}),
    ...(secrets.influx_password ? { password: secrets.influx_password } : {}),
    pool: { maxRetries: 1, requestTimeout: 120_000 },
  });
}

export async function readInflux(house: House, secrets: Secrets, window: { start: number; end: number }, options: InfluxOptions = {}): Promise<MinuteSeries> {
  const client = influxClient(house, secrets);
  const database = house.influx.database;
  const rp = house.influx.retention_policy;
  const grid = minuteGrid(window);
  const end = grid.start + grid.minutes * 60;
  const run = async (q: string): Promise<RawResult[]> => {
    try {
      const raw = (await client.queryRaw(q, { database, retentionPolicy: rp, precision: "s" })) as { results?: RawResult[]; error?: string };
      if (raw.error) throw new Error(raw.error);
      return checkResults(raw.results);
    } catch (err) {
      throw classifyInfluxError(err, house.influx.url, database);
    }
  };

  // Health first: small, and it surfaces a missing database or bad credentials at once.
  const [rejections, lastStatus, lastSeen, seriesKeys] = await Promise.all([...healthQueries(grid.start, end), SERIES_QUERY].map(run));
  const where = placements((seriesKeys[0]?.series?.[0]?.values ?? []).map((row) => String(row[0])));
  const nodes = new Map<string, NodeStatus>();
  const node = (name: string): NodeStatus => {
    let n = nodes.get(name);
    if (!n) {
      n = { node: name, rejected: Object.fromEntries(REJECTION_REASONS.map((r) => [r, 0])) };
      nodes.set(name, n);
    }
    return n;
  };
  for (const s of rejections[0]?.series ?? []) {
    const n = node(s.tags?.node ?? "?");
    const row = s.values?.[0] ?? [];
    REJECTION_REASONS.forEach((r, i) => (n.rejected[r] = Number(row[i + 1] ?? 0) || 0));
  }
  for (const s of lastStatus[0]?.series ?? []) {
    const n = node(s.tags?.node ?? "?");
    const row = s.values?.[0] ?? [];
    const [, ws, dropped, buffered, fw] = row;
    if (typeof ws === "string") n.write_status = ws;
    if (typeof dropped === "number") n.dropped = dropped;
    if (typeof buffered === "number") n.buffered = buffered;
    if (typeof fw === "string") n.firmware = fw;
  }
  for (const s of lastSeen[0]?.series ?? []) {
    const t = s.values?.[0]?.[0];
    if (typeof t === "number") node(s.tags?.node ?? "?").last_seen = t;
  }

  // Temperatures in chunks, a few in flight.
  const chunkS = options.chunkS ?? 86_400;
  const ranges: [number, number][] = [];
  for (let t = grid.start; t < end; t += chunkS) ranges.push([t, Math.min(end, t + chunkS)]);
  const means = new MinuteMeans(grid.start, grid.minutes);
  const seen = new Map<string, { node: string; bus: string; last_seen: number }>();
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < ranges.length) {
      const [a, b] = ranges[next++];
      const results = await run(temperatureQuery(a, b));
      for (const s of results[0]?.series ?? []) {
        const rom = s.tags?.rom;
        if (!rom || !s.values) continue;
        let last = -1;
        for (const row of s.values) {
          const t = row[0] as number;
          const v = row[1] as number | null;
          if (v === null) continue;
          means.add(rom, t, v);
          if (t > last) last = t;
        }
        const prev = seen.get(rom);
        const at = where.get(rom) ?? { node: "?", bus: "?" };
        if (last >= 0 && (!prev || prev.last_seen < last + 59)) seen.set(rom, { ...at, last_seen: last + 59 });
      }
      done++;
      options.onProgress?.(done, ranges.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 3, ranges.length) }, worker));

  const series: MinuteSeries = { start: grid.start, minutes: grid.minutes, byRom: means.means(), nodes: [...nodes.values()].sort((a, b) => a.node.localeCompare(b.node)), seen };

  // Signals logged by others (Home Assistant …), when the house file names them.
  const { outdoor_temperature, heat_pump_state } = house.plant.signals;
  if (outdoor_temperature || heat_pump_state) series.signals = {};
  if (outdoor_temperature) {
    const q = `SELECT mean(${quoteIdent(outdoor_temperature.field)}) FROM ${quoteIdent(outdoor_temperature.measurement)} WHERE time >= ${grid.start}s AND time < ${end}s${tagFilter(outdoor_temperature.tags)} GROUP BY time(1m) fill(none)`;
    const m = new MinuteMeans(grid.start, grid.minutes);
    for (const s of (await run(q))[0]?.series ?? []) for (const row of s.values ?? []) if (typeof row[1] === "number") m.add("o", row[0] as number, row[1]);
    series.signals!.outdoor_c = m.means().get("o") ?? new Float64Array(grid.minutes).fill(NaN);
  }
  if (heat_pump_state) {
    // A state is logged on change: look a day back for the state at the window's start.
    const q = `SELECT ${quoteIdent(heat_pump_state.field)} FROM ${quoteIdent(heat_pump_state.measurement)} WHERE time >= ${grid.start - 86_400}s AND time < ${end}s${tagFilter(heat_pump_state.tags)}`;
    const points: { index: number; heating: boolean }[] = [];
    for (const s of (await run(q))[0]?.series ?? []) {
      for (const row of s.values ?? []) {
        const v = row[1];
        if (typeof v === "string" || typeof v === "number") points.push({ index: Math.floor(((row[0] as number) - grid.start) / 60), heating: isHeatingValue(v, heat_pump_state.heating) });
      }
    }
    series.signals!.heat_pump_heating = stateToHeating(grid.minutes, points);
  }
  return series;
}
