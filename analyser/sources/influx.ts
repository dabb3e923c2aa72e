// The InfluxDB v1 source (node-influx). The server does the heavy lifting: per-minute means per
// sensor with GROUP BY time(1m), so ~8 M raw readings a month arrive as ~1.3 M minute means, in
// day-sized chunks so memory stays flat. Errors become one clear UserError each: unreachable,
// bad credentials, missing database (InfluxDB reports that inside a 200, per statement).

import { InfluxDB } from "influx";
import { EXIT } from "../../shared/exit-codes.js";
import { UserError } from "../../shared/errors.js";
import { influxFetch } from "../../shared/influx-fetch.js";
import type { House } from "../../shared/house/index.js";
import { REJECTION_REASONS, NODE_HEALTH, TEMPERATURE } from "../../shared/measurements.js";
import { redact, type Secrets } from "../../shared/secrets.js";
import type { NodeStatus } from "../measurement/result.js";
import { minuteGrid, MinuteMeans, stateToHeating, type MinuteSeries } from "../measurement/series.js";
import { isHeatingValue } from "./file.js";
import { minuteMeansQuery, quoteIdent, quoteString } from "./influxql.js";
import { gapRuns, ROLLUP_FIELDS_QUERY, rollupReadQuery, rollupRoms } from "./rollup.js";

export interface InfluxOptions {
  /** Called after each chunk with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Seconds per temperature query (default one day). */
  chunkS?: number;
  /** Queries in flight at once (default 3). */
  concurrency?: number;
  /** Read the per-minute rollup where it exists (default true); false reads only raw data. */
  rollup?: boolean;
  /** Where notices go (default: stderr, each at most once per process). */
  onWarning?: (message: string) => void;
  /** Called with every request's InfluxQL before it is sent (the bench replays them bare). */
  onStatement?: (q: string) => void;
}

const warned = new Set<string>();
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.stderr.write(`warning: ${message}\n`);
}

interface RawSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][] | null;
}

export { quoteIdent, quoteString };

function tagFilter(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => ` AND ${quoteIdent(k)} = ${quoteString(v)}`)
    .join("");
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

/**
 * node_health over the window: one statement per rejection reason (the sum of the counter's
 * non-negative differences, so a reboot restarts it), then the last status and the last uptime.
 * One field per subquery: InfluxDB 1.6 takes ~20 times longer for the same five differences in
 * one subquery (7 s instead of 0.3 s per field over 30 days of 4 nodes).
 */
export function healthQueries(start: number, end: number): string[] {
  const where = `WHERE time >= ${start}s AND time < ${end}s`;
  return [
    ...REJECTION_REASONS.map((r) => `SELECT sum("${r}") AS "${r}" FROM (SELECT non_negative_difference("rejected_${r}") AS "${r}" FROM ${quoteIdent(NODE_HEALTH)} ${where} GROUP BY "node") GROUP BY "node"`),
    `SELECT last("write_status") AS write_status, last("dropped") AS dropped, last("buffered") AS buffered, last("firmware") AS firmware FROM ${quoteIdent(NODE_HEALTH)} ${where} GROUP BY "node"`,
    `SELECT last("uptime_s") FROM ${quoteIdent(NODE_HEALTH)} ${where} GROUP BY "node"`,
  ];
}

/**
 * The one classifier for every InfluxDB call: node-influx failures, and (through
 * `influxHttpFailure`) answers and errors of plain HTTP calls, turned into the errors a person
 * can act on. `credentialsSet`: whether a user name or password was sent, so that a server that
 * wants them hears "none set" rather than "refused".
 */
export function classifyInfluxError(err: unknown, url: string, database: string, credentialsSet = true): UserError {
  const e = err as { code?: string; message?: string; res?: { statusCode?: number }; cause?: { code?: string } };
  const status = e?.res?.statusCode;
  const msg = String(e?.message ?? err);
  const code = e?.code ?? e?.cause?.code;
  const fixCredentials = "check influx_username and influx_password in secrets.yaml or FLOORBALANCE_INFLUX_USERNAME/_PASSWORD";
  const noPrivilege = () => new UserError(`the InfluxDB user may not read database "${database}" at ${url}`, EXIT.influxAuth, `GRANT READ ON "${database}" TO the user`);
  const authFailed = (detail: string) =>
    credentialsSet
      ? new UserError(`InfluxDB at ${url} refused the user name or password${detail}`, EXIT.influxAuth, fixCredentials)
      : new UserError(`InfluxDB at ${url} needs a user name and password, and none is set${detail}`, EXIT.influxAuth, "set influx_username and influx_password in secrets.yaml beside the house file, or FLOORBALANCE_INFLUX_USERNAME / FLOORBALANCE_INFLUX_PASSWORD");
  // 403 with "not authorized" is a known user lacking a privilege, not a wrong password.
  if (status === 403 && /not authorized/i.test(msg) && credentialsSet) return noPrivilege();
  if (status === 401 || status === 403) return authFailed(` (HTTP ${status})`);
  if (/database not found/i.test(msg)) {
    return new UserError(`InfluxDB at ${url} has no database "${database}"`, EXIT.influxNoDatabase, `create it (CREATE DATABASE "${database}") or set influx.database in the house file to the one the nodes write to`);
  }
  if (/authorization failed|unable to parse authentication credentials|authentication/i.test(msg)) return authFailed("");
  if (/not authorized|privilege/i.test(msg)) return noPrivilege();
  if (status === undefined || code || /No host available|timed out|ECONN|ENOTFOUND|EHOSTUNREACH|socket hang up/i.test(msg)) {
    return new UserError(`InfluxDB at ${url} cannot be reached (${code ?? msg.slice(0, 80)})`, EXIT.influxUnreachable, "check that influxd runs and influx.url in the house file points at it");
  }
  return new UserError(`InfluxDB at ${url} answered with an error: ${msg.slice(0, 200)}`, EXIT.influxUnreachable, "look at influxd's log");
}

/** A plain HTTP answer from InfluxDB in the shape the classifier reads (its error text from the JSON body). */
export function influxHttpFailure(status: number, body: string): { res: { statusCode: number }; message: string } {
  let message = body;
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === "string") message = parsed.error;
  } catch {
    // not JSON: keep the text
  }
  return { res: { statusCode: status }, message };
}

/** Whether the secrets carry InfluxDB credentials (for the classifier's "none set"). */
export function hasInfluxCredentials(secrets: Secrets): boolean {
  return !!(secrets.influx_username || secrets.influx_password);
}

/** Where a plain HTTP call to InfluxDB goes, and with which credentials. */
export interface InfluxHttpTarget {
  url: string;
  database: string;
  secrets: Secrets;
}

/** Credentials in a header, never in the URL (URLs end up in logs). */
export function influxAuthHeaders(secrets: Secrets): Record<string, string> {
  if (!secrets.influx_username) return {};
  return { authorization: "Basic " + Buffer.from(`${secrets.influx_username}:${secrets.influx_password ?? ""}`).toString("base64") };
}

/** The classified error for a target: what failed, where, and (as hint) how to fix it. */
export function influxTargetError(target: InfluxHttpTarget, err: unknown): UserError {
  return classifyInfluxError(err, target.url, target.database, hasInfluxCredentials(target.secrets));
}

/** A plain HTTP answer that is not a success, classified (its error text read from the body). */
export async function influxAnswerError(target: InfluxHttpTarget, res: Response): Promise<UserError> {
  return influxTargetError(target, influxHttpFailure(res.status, await res.text().catch(() => "")));
}

/**
 * One plain HTTP call to InfluxDB's API (`path`: "query" or "write", relative to influx.url, so a
 * path prefix behind a proxy is kept), through influxFetch (an unparsable X-Influxdb-Error header
 * does not hide the answer). A network failure and a 401/403 throw the classifier's UserError;
 * other answers are returned for the caller to judge (influxAnswerError classifies them).
 */
export async function influxRequest(target: InfluxHttpTarget, path: string, init: { method: string; params: Record<string, string>; body?: string; timeoutMs?: number }): Promise<Response> {
  const url = new URL(path, target.url.endsWith("/") ? target.url : target.url + "/");
  for (const [k, v] of Object.entries(init.params)) url.searchParams.set(k, v);
  let res: Response;
  try {
    res = await influxFetch(url, { method: init.method, body: init.body, headers: { ...influxAuthHeaders(target.secrets), "content-type": "text/plain; charset=utf-8" }, timeoutMs: init.timeoutMs });
  } catch (err) {
    throw influxTargetError(target, err);
  }
  if (res.status === 401 || res.status === 403) throw await influxAnswerError(target, res);
  return res;
}

/** Write line protocol (precision s) into the target's database; anything but 204 throws the classifier's UserError. */
export async function influxWrite(target: InfluxHttpTarget, retentionPolicy: string, lines: string, timeoutMs = 10_000): Promise<void> {
  const params = { db: target.database, rp: retentionPolicy, precision: "s" };
  const res = await influxRequest(target, "write", { method: "POST", params, body: lines, timeoutMs });
  if (res.status !== 204) throw await influxAnswerError(target, res);
}

/** A classified error as one line for a warning that does not stop the run: what and where, then how to fix it; secrets redacted. */
export function influxErrorLine(err: UserError, secrets: Secrets): string {
  return redact(`${err.message}${err.hint ? `; how to fix: ${err.hint}` : ""}`, secrets);
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

export type RawResult = { statement_id?: number; series?: RawSeries[]; error?: string };
export type Runner = (q: string, method?: "GET" | "POST") => Promise<RawResult[]>;

/** One request (statements joined by ";"); every failure, per-statement ones included, classified. */
export function influxRunner(house: House, secrets: Secrets, onStatement?: (q: string) => void): Runner {
  const client = influxClient(house, secrets);
  const database = house.influx.database;
  return async (q, method = "GET") => {
    onStatement?.(q);
    try {
      const raw = (await client.queryRaw(q, { database, retentionPolicy: house.influx.retention_policy, precision: "s", method })) as { results?: RawResult[]; error?: string };
      if (raw.error) throw new Error(raw.error);
      return checkResults(raw.results);
    } catch (err) {
      throw classifyInfluxError(err, house.influx.url, database, hasInfluxCredentials(secrets));
    }
  };
}

export async function readInflux(house: House, secrets: Secrets, window: { start: number; end: number }, options: InfluxOptions = {}): Promise<MinuteSeries> {
  const run = influxRunner(house, secrets, options.onStatement);
  const warn = options.onWarning ?? warnOnce;
  const grid = minuteGrid(window);
  const end = grid.start + grid.minutes * 60;

  // The sensor index and the rollup's fields first: small, and they surface a missing database or
  // bad credentials at once. node_health is read alongside the temperatures.
  const [seriesKeys, rollupFields] = await Promise.all([SERIES_QUERY, ROLLUP_FIELDS_QUERY].map((q) => run(q)));
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
  const readHealth = (results: RawResult[][]) => {
    REJECTION_REASONS.forEach((reason, i) => {
      for (const s of results[i][0]?.series ?? []) node(s.tags?.node ?? "?").rejected[reason] = Number(s.values?.[0]?.[1] ?? 0) || 0;
    });
    const [lastStatus, lastSeen] = results.slice(REJECTION_REASONS.length);
    for (const s of lastStatus[0]?.series ?? []) {
      const n = node(s.tags?.node ?? "?");
      const [, ws, dropped, buffered, fw] = s.values?.[0] ?? [];
      if (typeof ws === "string") n.write_status = ws;
      if (typeof dropped === "number") n.dropped = dropped;
      if (typeof buffered === "number") n.buffered = buffered;
      if (typeof fw === "string") n.firmware = fw;
    }
    for (const s of lastSeen[0]?.series ?? []) {
      const t = s.values?.[0]?.[0];
      if (typeof t === "number") node(s.tags?.node ?? "?").last_seen = t;
    }
  };

  const rolled = options.rollup === false ? [] : rollupRoms(rollupFields[0]?.series?.[0]?.values ?? []);
  const known = [...new Set([...where.keys(), ...rolled])].sort();
  if (options.rollup !== false && known.length > 0) {
    const db = house.influx.database;
    if (rolled.length === 0) warn(`InfluxDB database "${db}" has no per-minute rollup; run floorbalance influx setup for a faster analysis`);
    else {
      const missing = known.filter((rom) => !rolled.includes(rom));
      if (missing.length) warn(`the rollup in InfluxDB database "${db}" lacks ${missing.length} sensor(s) (${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", …" : ""}), read from raw data; run floorbalance influx setup again`);
    }
  }

  // Temperatures in chunks, a few in flight.
  const chunkS = options.chunkS ?? 86_400;
  const ranges: [number, number][] = [];
  for (let t = grid.start; t < end; t += chunkS) ranges.push([t, Math.min(end, t + chunkS)]);
  const means = new MinuteMeans(grid.start, grid.minutes);
  const lastMinute = new Map<string, number>();
  const add = (rom: string, t: number, v: number) => {
    means.add(rom, t, v);
    if (!(lastMinute.get(rom)! >= t)) lastMinute.set(rom, t);
  };
  // A raw per-minute aggregate result: every value, or only the minutes `keep` allows.
  const addRaw = (result: RawResult | undefined, keep?: (rom: string, t: number) => boolean) => {
    for (const s of result?.series ?? []) {
      const rom = s.tags?.rom;
      if (!rom || !s.values) continue;
      for (const row of s.values) {
        const t = row[0] as number;
        const v = row[1];
        if (typeof v === "number" && (!keep || keep(rom, t))) add(rom, t, v);
      }
    }
  };
  let rollupLast = -Infinity;
  const readChunk = async (a: number, b: number) => {
    if (rolled.length === 0) return addRaw((await run(minuteMeansQuery(a, b)))[0]);
    const minutes = Math.ceil((b - a) / 60);
    const present = new Map<string, Uint8Array>();
    for (const s of (await run(rollupReadQuery(rolled, a, b)))[0]?.series ?? []) {
      const marks = s.columns.map((rom, j) => {
        if (j === 0) return undefined;
        const m = present.get(rom) ?? new Uint8Array(minutes);
        present.set(rom, m);
        return m;
      });
      for (const row of s.values ?? []) {
        const t = row[0] as number;
        const i = Math.floor((t - a) / 60);
        for (let j = 1; j < row.length; j++) {
          const v = row[j];
          if (typeof v !== "number") continue;
          add(s.columns[j], t, v);
          marks[j]![i] = 1;
          if (t > rollupLast) rollupLast = t;
        }
      }
    }
    const gaps = gapRuns(known, present, minutes);
    if (gaps.length === 0) return;
    const results = await run(gaps.map((g) => minuteMeansQuery(a + g.from * 60, Math.min(b, a + g.to * 60), g.rom)).join(";\n"));
    for (const r of results) addRaw(r, (rom, t) => !present.get(rom)?.[Math.floor((t - a) / 60)]);
  };
  // One queue, a few requests in flight: node_health's statements (the slowest single requests)
  // first, then the temperature chunks; progress counts the chunks.
  const health = healthQueries(grid.start, end);
  const healthResults: RawResult[][] = [];
  let done = 0;
  const jobs: (() => Promise<void>)[] = [
    ...health.map((q, i) => async () => void (healthResults[i] = await run(q))),
    ...ranges.map(([a, b]) => async () => {
      await readChunk(a, b);
      options.onProgress?.(++done, ranges.length);
    }),
  ];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]();
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 3 }, worker));
  readHealth(healthResults);
  // Raw readings well past the rollup's end: the continuous queries are not running.
  const rawLast = Math.max(-Infinity, ...lastMinute.values());
  if (rolled.length > 0 && rawLast - rollupLast > 2 * 3600) {
    warn(`the rollup in InfluxDB database "${house.influx.database}" ${Number.isFinite(rollupLast) ? `ends at ${new Date(rollupLast * 1000).toISOString()}` : "is empty in this window"} though readings go on; check that InfluxDB runs continuous queries ([continuous_queries] enabled = true) or run floorbalance influx setup`);
  }
  // A minute mean stands for the whole minute: the sensor was last heard within it.
  const seen = new Map<string, { node: string; bus: string; last_seen: number }>();
  for (const [rom, t] of lastMinute) seen.set(rom, { ...(where.get(rom) ?? { node: "?", bus: "?" }), last_seen: t + 59 });

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
