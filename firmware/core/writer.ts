// How InfluxDB's answer to a /write decides what happens to the batch: one explicit rule per
// outcome, modelled on Telegraf's InfluxDB output (retry on 5xx, 429 and timeouts; never drop a
// line that was not named) but stricter where Telegraf drops a whole batch. Pure functions; the
// node applies them. docs/firmware.md has the same table.
//
// | answer                                   | decision                                          | counted in node_health   |
// | 2xx                                      | done                                              | write_status ok          |
// | 400 from InfluxDB naming lines           | drop only the named lines, resend the rest at once | dropped_bad_lines        |
// |   (`unable to parse '<line>'`, or a field type conflict naming measurement and field)         |                          |
// | 400 from InfluxDB: `partial write` that  | InfluxDB stored every other line: the batch is    | dropped_bad_lines (+N)   |
// |   names no line of ours (`points beyond  |   done; its dropped=N (and unmatched parse        |                          |
// |   retention policy dropped=N`, limits)   |   errors) are counted                             |                          |
// | 400 that names nothing (an HTML page     | keep everything, retry with back-off              | write_refused, status    |
// |   from a proxy, a JSON error we cannot   |   (1 s … 5 min)                                   |   refused                |
// |   attribute to a line)                   |                                                   |                          |
// | 401 / 403                                | keep everything, back off (1 min … 10 min)        | write_status auth        |
// | 404 database not found                   | keep everything, back off (1 min … 10 min); the   | write_status db_missing  |
// |                                          |   node has no right to create it (Telegraf would) |                          |
// | 413 with more than one line              | split the batch in halves, resend at once         | write_status too_large   |
// | 413 for a single line                    | keep it, retry with back-off (1 s … 5 min)        | write_refused, refused   |
// | 408, 429, 5xx                            | keep everything, back off, never sooner than      | write_status server      |
// |                                          |   Retry-After                                     |                          |
// | network error, timeout (status 0)        | keep everything, back off                         | write_status network     |
// | any other status                         | keep everything, retry with back-off              | write_refused, refused   |
//
// Back-off: exponential from the base, capped, half fixed and half jitter from the platform's
// random source (seeded in tests), reset by the next success.
//
// Resending is safe: every line carries its own timestamp and tags, so InfluxDB overwrites the
// identical point instead of adding one. Readings are never re-stamped.

import type { WriteStatus } from "../../shared/measurements.js";
import type { HttpResponse } from "./platform.js";

export type Outcome =
  | { kind: "done" }
  | { kind: "partial"; bad: number[] }
  | { kind: "stored"; dropped: number }
  | { kind: "hold"; status: "auth" | "db_missing" }
  | { kind: "split" }
  | { kind: "retry"; status: "server" | "network" | "refused"; retryAfterS?: number };

export function classify(res: HttpResponse, lines: readonly string[], nowS?: number): Outcome {
  const s = res.status;
  if (s >= 200 && s < 300) return { kind: "done" };
  if (s === 400) return classifyBadRequest(res.body, lines);
  if (s === 401 || s === 403) return { kind: "hold", status: "auth" };
  if (s === 404) return { kind: "hold", status: "db_missing" };
  if (s === 413) return lines.length > 1 ? { kind: "split" } : { kind: "retry", status: "refused" };
  if (s === 0) return { kind: "retry", status: "network", retryAfterS: parseRetryAfter(res.retryAfter, nowS) };
  if (s === 408 || s === 429 || s >= 500) return { kind: "retry", status: "server", retryAfterS: parseRetryAfter(res.retryAfter, nowS) };
  return { kind: "retry", status: "refused", retryAfterS: parseRetryAfter(res.retryAfter, nowS) };
}

/**
 * A 400: only InfluxDB's own JSON error (`{"error":"…"}`) can name lines. Anything else (a
 * proxy's HTML page, an empty body) names nothing and drops nothing.
 */
function classifyBadRequest(body: string, lines: readonly string[]): Outcome {
  const message = influxError(body);
  if (message === undefined) return { kind: "retry", status: "refused" };
  const bad = badLines(message, lines);
  if (bad.length > 0) return { kind: "partial", bad };
  if (message.indexOf("partial write") >= 0) {
    // InfluxDB wrote every line it did not drop; sending the batch again gets the same answer.
    const m = /dropped=(\d+)/.exec(message);
    return { kind: "stored", dropped: (m ? parseInt(m[1], 10) : 0) + count(message, "unable to parse '") };
  }
  return { kind: "retry", status: "refused" };
}

function count(text: string, what: string): number {
  let n = 0;
  for (let at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length)) n++;
  return n;
}

export function statusOf(o: Outcome): WriteStatus {
  switch (o.kind) {
    case "done":
      return "ok";
    case "partial":
    case "stored":
      return "partial";
    case "hold":
      return o.status;
    case "split":
      return "too_large";
    case "retry":
      return o.status;
  }
}

/**
 * Which lines InfluxDB 1.x names as bad in a 400:
 * - parse errors quote the line: `unable to parse '<line>': <reason>` (one per bad line);
 * - a field type conflict names measurement and field:
 *   `field type conflict: input field "f" on measurement "m" is type …`: every line of that
 *   measurement carrying that field.
 * An empty result means the message named nothing we recognise.
 */
export function badLines(body: string, lines: readonly string[]): number[] {
  const text = influxError(body) ?? body;
  const bad: number[] = [];
  let at = 0;
  for (;;) {
    const i = text.indexOf("unable to parse '", at);
    if (i < 0) break;
    const start = i + 17;
    const end = text.indexOf("': ", start);
    if (end < 0) break;
    const quoted = text.slice(start, end);
    const k = lines.indexOf(quoted);
    if (k >= 0 && bad.indexOf(k) < 0) bad.push(k);
    at = end;
  }
  const conflict = /input field "([^"]+)" on measurement "([^"]+)"/.exec(text);
  if (conflict) {
    const field = conflict[1];
    const measurement = conflict[2];
    lines.forEach((line, k) => {
      if (bad.indexOf(k) < 0 && measurementOf(line) === measurement && hasField(line, field)) bad.push(k);
    });
  }
  return bad.sort((a, b) => a - b);
}

function measurementOf(line: string): string {
  let end = 0;
  while (end < line.length && line[end] !== "," && line[end] !== " ") end += line[end] === "\\" ? 2 : 1;
  return line.slice(0, end).replace(/\\(.)/g, "$1");
}

function hasField(line: string, field: string): boolean {
  let i = 0;
  while (i < line.length && line[i] !== " ") i += line[i] === "\\" ? 2 : 1;
  return ("," + line.slice(i + 1)).indexOf("," + field + "=") >= 0;
}

/** InfluxDB's error message from its JSON answer, or undefined if the body is not one. */
export function influxError(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body);
    if (parsed && typeof parsed.error === "string") return parsed.error;
  } catch {
    // not JSON: not InfluxDB's answer
  }
  return undefined;
}

/** Retry-After: delta seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, nowS?: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return parseInt(v, 10);
  const t = parseHttpDate(v);
  if (t === undefined || nowS === undefined) return undefined;
  return Math.max(0, t - nowS);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** RFC 7231 IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) to Unix seconds; XS's Date.parse only knows ISO. */
export function parseHttpDate(value: string): number | undefined {
  const m = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(value.trim());
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2]);
  if (month < 0) return undefined;
  return Date.UTC(+m[3], month, +m[1], +m[4], +m[5], +m[6]) / 1000;
}

export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_MAX_MS = 5 * 60 * 1000;
export const HOLD_BASE_MS = 60 * 1000;
export const HOLD_MAX_MS = 10 * 60 * 1000;
/** A Retry-After beyond this is not believed: the node tries again after this at the latest. */
export const RETRY_AFTER_MAX_MS = 30 * 60 * 1000;

/** Exponential back-off with jitter (half fixed, half random), never before Retry-After. Bounded by the cap. */
export function backoffMs(outcome: Outcome, attempt: number, random: number): number {
  const hold = outcome.kind === "hold";
  const base = hold ? HOLD_BASE_MS : BACKOFF_BASE_MS;
  const cap = hold ? HOLD_MAX_MS : BACKOFF_MAX_MS;
  const exp = Math.min(cap, base * Math.pow(2, Math.min(attempt, 20)));
  const wait = exp / 2 + (exp / 2) * random;
  const after = outcome.kind === "retry" && outcome.retryAfterS !== undefined ? Math.min(RETRY_AFTER_MAX_MS, outcome.retryAfterS * 1000) : 0;
  return Math.max(wait, after);
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Base64 of a UTF-8 string (Basic auth; XS has no btoa). */
export function base64(text: string): string {
  const bytes = utf8(text);
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < bytes.length ? B64[(n >> 6) & 63] : "=") + (i + 2 < bytes.length ? B64[n & 63] : "=");
  }
  return out;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c < 0xe000; // NaN past the end: false
}

/** Length in UTF-8 bytes of a string, without encoding it (a lone surrogate counts 3, as utf8 writes it). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && isLowSurrogate(text.charCodeAt(i + 1))) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * UTF-8 bytes of a string (XS on the device has no global TextEncoder). Written straight into a
 * buffer of the right size: a batch body as an array of numbers would cost a 16-byte XS slot a byte.
 */
export function utf8(text: string): Uint8Array {
  const out = new Uint8Array(utf8Length(text));
  let k = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && isLowSurrogate(text.charCodeAt(i + 1))) c = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
    if (c < 0x80) out[k++] = c;
    else if (c < 0x800) {
      out[k++] = 0xc0 | (c >> 6);
      out[k++] = 0x80 | (c & 63);
    } else if (c < 0x10000) {
      out[k++] = 0xe0 | (c >> 12);
      out[k++] = 0x80 | ((c >> 6) & 63);
      out[k++] = 0x80 | (c & 63);
    } else {
      out[k++] = 0xf0 | (c >> 18);
      out[k++] = 0x80 | ((c >> 12) & 63);
      out[k++] = 0x80 | ((c >> 6) & 63);
      out[k++] = 0x80 | (c & 63);
    }
  }
  return out;
}
