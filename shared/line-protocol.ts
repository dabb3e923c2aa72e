// InfluxDB v1 line protocol, seconds precision. Portable: runs unchanged on XS.
//
// Escaping follows the InfluxDB 1.x reference:
//   measurement:            comma, space
//   tag keys/values, field keys: comma, equals sign, space
//   string field values:    double quote, backslash
// Anything InfluxDB would reject or read back differently is refused here with a
// LineProtocolError, so a bad value never costs a whole batch (or its neighbours). Found
// empirically against influxd 1.6.7 (test/shared/line-protocol.fuzz.test.ts keeps it true):
//   - NaN, ±Infinity, empty names or tag values, a timestamp that is not whole seconds;
//   - a line break anywhere (a name cannot carry one; in a string InfluxDB's error message
//     would carry it into a header);
//   - other control characters (U+0000–U+001F, U+007F) in names: InfluxDB trims or splits on
//     some of them; in string values only the tab is kept, because any error answer quotes the
//     line in its X-Influxdb-Error header, which HTTP clients refuse to parse with controls in it;
//   - a lone UTF-16 surrogate: it has no UTF-8 form and reads back as U+FFFD;
//   - in a name, a backslash at the end or before a space, comma, equals sign, double quote or
//     another backslash: InfluxDB's scanner takes a backslash and the character after it as one pair
//     whatever that character is, so `\\ ` ends the name there and the line is misread (the
//     next line is then swallowed too: `m,t=\\ \\, f="x" 1` merged with the line after it),
//     and a measurement `\"` is stored so that a later point of measurement `"` with the same
//     tags is acknowledged and then missing;
//   - a measurement starting with `#` (InfluxDB takes the line for a comment and drops it
//     silently with a 204);
//   - the tag or field key `time` (InfluxDB refuses the point).

export class LineProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LineProtocolError";
  }
}

/** An integer field (`42i`). Plain numbers are floats. */
export interface IntField {
  readonly int: number;
}
export function int(value: number): IntField {
  return { int: value };
}

export type FieldValue = number | boolean | string | IntField;

export interface Point {
  measurement: string;
  tags?: Readonly<Record<string, string>>;
  fields: Readonly<Record<string, FieldValue>>;
  /** Seconds since the Unix epoch (UTC). Omit to let the server stamp it (never done by this project). */
  time?: number;
}

function hex4(code: number): string {
  return "U+" + ("000" + code.toString(16).toUpperCase()).slice(-4);
}

/**
 * Refuse what no escaping can carry: line breaks, lone surrogates, and control characters
 * (in names all of them; in string values all but the tab).
 */
function refuseUnwritable(what: string, text: string, allowTab: boolean): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) throw new LineProtocolError(`${what} ${JSON.stringify(text)} contains a line break, which line protocol cannot carry`);
    if ((c < 0x20 && !(allowTab && c === 9)) || c === 0x7f) throw new LineProtocolError(`${what} ${JSON.stringify(text)} contains the control character ${hex4(c)}, which InfluxDB does not read back reliably`);
    if (c >= 0xd800 && c < 0xdc00) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next < 0xe000) {
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c < 0xe000) throw new LineProtocolError(`${what} ${JSON.stringify(text)} contains a lone surrogate (${hex4(c)}), which has no UTF-8 form`);
  }
}

function escapeWith(text: string, specials: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (specials.indexOf(c) >= 0) out += "\\";
    out += c;
  }
  return out;
}

// InfluxDB 1.x reads a backslash and the character after it as a pair, whatever that is; line
// protocol has no way to write a backslash right before a separator, a quote or another backslash.
function refuseBackslash(what: string, text: string): void {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "\\") continue;
    const next = text[i + 1];
    if (next === undefined) throw new LineProtocolError(`${what} ${JSON.stringify(text)} ends with a backslash, which line protocol cannot carry`);
    if (next === "\\" || next === " " || next === "," || next === "=" || next === '"') throw new LineProtocolError(`${what} ${JSON.stringify(text)} has a backslash before ${JSON.stringify(next)}, which InfluxDB would misread`);
  }
}

function checkName(what: string, text: string): void {
  refuseUnwritable(what, text, false);
  refuseBackslash(what, text);
}

function checkKey(key: string, what: string): void {
  if (key.length === 0) throw new LineProtocolError(`${what} is empty`);
  checkName(what, key);
  if (key === "time") throw new LineProtocolError(`${what} "time" is reserved by InfluxDB`);
}

export function escapeMeasurement(name: string): string {
  if (name.length === 0) throw new LineProtocolError("measurement name is empty");
  checkName("measurement", name);
  if (name[0] === "#") throw new LineProtocolError(`measurement ${JSON.stringify(name)} starts with "#", which InfluxDB reads as a comment line`);
  return escapeWith(name, ", ");
}

export function escapeKey(key: string, what = "key"): string {
  checkKey(key, what);
  return escapeWith(key, ",= ");
}

export function escapeTagValue(value: string, key: string): string {
  if (value.length === 0) throw new LineProtocolError(`tag "${key}" has an empty value, which InfluxDB rejects`);
  checkName(`tag "${key}"`, value);
  return escapeWith(value, ",= ");
}

export function encodeFieldValue(value: FieldValue, key: string): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new LineProtocolError(`field "${key}" is ${value}, which InfluxDB rejects`);
    // Always write a float as a float, so the field's type never flips to integer.
    const text = String(value);
    return /[.eE]/.test(text) ? text : text + ".0";
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") {
    refuseUnwritable(`field "${key}"`, value, true);
    return '"' + escapeWith(value, '"\\') + '"';
  }
  if (value !== null && typeof value === "object" && typeof value.int === "number") {
    if (!Number.isSafeInteger(value.int)) throw new LineProtocolError(`field "${key}" is ${value.int}, not an integer`);
    return String(value.int) + "i";
  }
  throw new LineProtocolError(`field "${key}" has an unsupported value`);
}

/** One line, without the trailing newline. Tags are sorted by key, as InfluxDB prefers. */
export function encodePoint(point: Point): string {
  let line = escapeMeasurement(point.measurement);
  if (point.tags) {
    const keys = Object.keys(point.tags).sort();
    for (const key of keys) line += "," + escapeKey(key, "tag key") + "=" + escapeTagValue(point.tags[key], key);
  }
  const fieldKeys = Object.keys(point.fields);
  if (fieldKeys.length === 0) throw new LineProtocolError(`point "${point.measurement}" has no fields`);
  let first = true;
  for (const key of fieldKeys) {
    line += (first ? " " : ",") + escapeKey(key, "field key") + "=" + encodeFieldValue(point.fields[key], key);
    first = false;
  }
  if (point.time !== undefined) {
    if (!Number.isSafeInteger(point.time)) throw new LineProtocolError(`timestamp ${point.time} is not whole seconds`);
    line += " " + String(point.time);
  }
  return line;
}

export function encodeBatch(points: readonly Point[]): string {
  let body = "";
  for (const point of points) body += encodePoint(point) + "\n";
  return body;
}

// ---- Parsing (the file source, the tests, and the fault-injecting proxies read it back) ----

export interface ParsedPoint {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, FieldValue>;
  time?: number;
}

/** Store a parsed key; "__proto__" as an own property, so a file can never reach a prototype. */
function setKey<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function readUntil(line: string, start: number, stops: string, escapable: string): [string, number] {
  let out = "";
  let i = start;
  while (i < line.length) {
    const c = line[i];
    if (c === "\\" && i + 1 < line.length && escapable.indexOf(line[i + 1]) >= 0) {
      out += line[i + 1];
      i += 2;
      continue;
    }
    if (stops.indexOf(c) >= 0) break;
    out += c;
    i++;
  }
  return [out, i];
}

function parseFieldValue(text: string, key: string): FieldValue {
  if (text === "t" || text === "T" || text === "true" || text === "True" || text === "TRUE") return true;
  if (text === "f" || text === "F" || text === "false" || text === "False" || text === "FALSE") return false;
  if (text.endsWith("i")) {
    const n = Number(text.slice(0, -1));
    if (!Number.isSafeInteger(n)) throw new LineProtocolError(`field "${key}" has a bad integer ${text}`);
    return int(n);
  }
  const n = Number(text);
  if (text.length === 0 || !Number.isFinite(n)) throw new LineProtocolError(`field "${key}" has a bad value ${text}`);
  return n;
}

/** Parse one line (seconds precision). Throws LineProtocolError on malformed input. */
export function parseLine(line: string): ParsedPoint {
  // Almost every line this project reads has no escapes and no string fields: split directly.
  if (line.indexOf("\\") < 0 && line.indexOf('"') < 0) return parsePlainLine(line);
  return parseEscapedLine(line);
}

function parsePlainLine(line: string): ParsedPoint {
  const parts = line.split(" ");
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) throw new LineProtocolError(`line "${line.slice(0, 60)}" is not measurement[,tags] fields [time]`);
  const series = parts[0].split(",");
  const measurement = series[0];
  if (!measurement) throw new LineProtocolError("line has no measurement");
  const tags: Record<string, string> = {};
  for (let k = 1; k < series.length; k++) {
    const eq = series[k].indexOf("=");
    if (eq <= 0) throw new LineProtocolError(`tag "${series[k]}" has no value`);
    setKey(tags, series[k].slice(0, eq), series[k].slice(eq + 1));
  }
  const fields: Record<string, FieldValue> = {};
  for (const pair of parts[1].split(",")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new LineProtocolError(`field "${pair}" has no value`);
    const key = pair.slice(0, eq);
    setKey(fields, key, parseFieldValue(pair.slice(eq + 1), key));
  }
  if (parts.length === 3 && parts[2]) {
    const time = Number(parts[2]);
    if (!Number.isSafeInteger(time)) throw new LineProtocolError(`timestamp "${parts[2]}" is not an integer`);
    return { measurement, tags, fields, time };
  }
  return { measurement, tags, fields };
}

function parseEscapedLine(line: string): ParsedPoint {
  let [measurement, i] = readUntil(line, 0, ", ", ", ");
  if (!measurement) throw new LineProtocolError("line has no measurement");
  const tags: Record<string, string> = {};
  while (line[i] === ",") {
    const [key, j] = readUntil(line, i + 1, "=", ",= ");
    const [value, k] = readUntil(line, j + 1, ", ", ",= ");
    setKey(tags, key, value);
    i = k;
  }
  if (line[i] !== " ") throw new LineProtocolError(`line for "${measurement}" has no fields`);
  const fields: Record<string, FieldValue> = {};
  i++;
  for (;;) {
    const [key, j] = readUntil(line, i, "=", ",= ");
    if (line[j] !== "=") throw new LineProtocolError(`field "${key}" has no value`);
    let value: FieldValue;
    let k = j + 1;
    if (line[k] === '"') {
      let text = "";
      k++;
      while (k < line.length && line[k] !== '"') {
        if (line[k] === "\\" && (line[k + 1] === '"' || line[k + 1] === "\\")) k++;
        text += line[k];
        k++;
      }
      if (line[k] !== '"') throw new LineProtocolError(`field "${key}" has an unterminated string`);
      value = text;
      k++;
    } else {
      let end = k;
      while (end < line.length && line[end] !== "," && line[end] !== " ") end++;
      value = parseFieldValue(line.slice(k, end), key);
      k = end;
    }
    setKey(fields, key, value);
    if (line[k] === ",") {
      i = k + 1;
      continue;
    }
    i = k;
    break;
  }
  let time: number | undefined;
  if (line[i] === " ") {
    const text = line.slice(i + 1).trim();
    if (text) {
      time = Number(text);
      if (!Number.isSafeInteger(time)) throw new LineProtocolError(`timestamp "${text}" is not an integer`);
    }
  }
  return time === undefined ? { measurement, tags, fields } : { measurement, tags, fields, time };
}

/** A float or int field as a number (ints unwrapped); undefined for strings/booleans/absent. */
export function numericField(value: FieldValue | undefined): number | undefined {
  if (typeof value === "number") return value;
  if (value !== null && typeof value === "object") return value.int;
  return undefined;
}
