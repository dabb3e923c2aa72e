// InfluxDB v1 line protocol, seconds precision. Portable: runs unchanged on XS.
//
// Escaping follows the InfluxDB 1.x reference:
//   measurement:            comma, space
//   tag keys/values, field keys: comma, equals sign, space
//   string field values:    double quote, backslash
// Anything InfluxDB would reject (NaN, ±Infinity, empty keys or tag values, newlines) is
// refused here with a LineProtocolError, so a bad value never costs a whole batch.

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

function refuseNewline(what: string, text: string): void {
  if (text.indexOf("\n") >= 0 || text.indexOf("\r") >= 0) {
    throw new LineProtocolError(`${what} ${JSON.stringify(text)} contains a line break, which line protocol cannot carry`);
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

// A trailing backslash would escape the separator that follows it; line protocol has no way
// to write one there, so InfluxDB would read a different point.
function refuseTrailingBackslash(what: string, text: string): void {
  if (text[text.length - 1] === "\\") throw new LineProtocolError(`${what} ${JSON.stringify(text)} ends with a backslash, which line protocol cannot carry`);
}

export function escapeMeasurement(name: string): string {
  if (name.length === 0) throw new LineProtocolError("measurement name is empty");
  refuseNewline("measurement", name);
  refuseTrailingBackslash("measurement", name);
  return escapeWith(name, ", ");
}

export function escapeKey(key: string, what = "key"): string {
  if (key.length === 0) throw new LineProtocolError(`${what} is empty`);
  refuseNewline(what, key);
  refuseTrailingBackslash(what, key);
  return escapeWith(key, ",= ");
}

export function escapeTagValue(value: string, key: string): string {
  if (value.length === 0) throw new LineProtocolError(`tag "${key}" has an empty value, which InfluxDB rejects`);
  refuseNewline(`tag "${key}"`, value);
  refuseTrailingBackslash(`tag "${key}"`, value);
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
    refuseNewline(`field "${key}"`, value);
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
