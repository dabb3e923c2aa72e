// The encoder's promise, checked against a real influxd 1.6: whatever it encodes reads back
// identically (one value at a time and in batches, without touching its neighbours), and what
// InfluxDB would misread is refused with a LineProtocolError. Bounded to a few seconds.
import anyTest from "ava";
import fc from "fast-check";
import { encodePoint, LineProtocolError, type Point } from "../../shared/line-protocol.js";
import { useInfluxd } from "../helpers/influxd.js";

const { test, influxd } = useInfluxd(anyTest);

// Mostly ordinary characters, often a separator or quote, sometimes something hazardous: most
// values are writable, and the ones that are not are still tried often enough.
const unit = fc.oneof(
  { weight: 40, arbitrary: fc.constantFrom("a", "Z", "0", "ü", "ß", "–", "🔥", "é", "\u00a0") },
  { weight: 12, arbitrary: fc.constantFrom(" ", ",", "=", '"', "'", "#", "\t") },
  { weight: 3, arbitrary: fc.constant("\\") },
  { weight: 1, arbitrary: fc.constantFrom("\n", "\r", "\u0000", "\u0001", "\u007f", "\ud800", "\udfff") },
);
const text = (minLength: number) => fc.string({ unit, minLength, maxLength: 8 });
interface Sample {
  m: string;
  tk: string;
  tv: string;
  fk: string;
  fv: string;
}
const sample: fc.Arbitrary<Sample> = fc.record({ m: text(1), tk: text(0), tv: text(1), fk: text(0), fv: text(0) });

let clock = 1_700_000_000;
/** Keys get a prefix, so a tag key never meets a field key of the same name in one measurement. */
function point(s: Sample): Point {
  return { measurement: s.m, tags: { ["t" + s.tk]: s.tv }, fields: { ["f" + s.fk]: s.fv }, time: clock++ };
}

/** The line, or null if the encoder refuses it (and then only with a LineProtocolError). */
function encodeOrRefuse(p: Point): string | null {
  try {
    return encodePoint(p);
  } catch (err) {
    if (!(err instanceof LineProtocolError)) throw err;
    if (!/InfluxDB|line protocol|UTF-8|reserved|empty/.test(err.message)) throw new Error(`unclear refusal: ${err.message}`);
    return null;
  }
}

/** Every point stored in `db` between two times, by time. */
async function readBack(db: string, from: number, to: number): Promise<Map<number, { measurement: string; row: Record<string, unknown> }[]>> {
  const results = await influxd().query(`SELECT * FROM /.*/ WHERE time >= ${from}s AND time <= ${to}s`, db);
  const out = new Map<number, { measurement: string; row: Record<string, unknown> }[]>();
  for (const s of results[0].series ?? []) {
    for (const v of s.values) {
      const row: Record<string, unknown> = {};
      s.columns.forEach((c: string, k: number) => v[k] !== null && c !== "time" && (row[c] = v[k]));
      const list = out.get(v[0]) ?? [];
      list.push({ measurement: s.name, row });
      out.set(v[0], list);
    }
  }
  return out;
}

function expected(p: Point): { measurement: string; row: Record<string, unknown> } {
  return { measurement: p.measurement, row: { ...p.tags, ...p.fields } };
}

async function writeAndCheck(db: string, points: Point[]): Promise<string | null> {
  const written: Point[] = [];
  const lines: string[] = [];
  for (const p of points) {
    const line = encodeOrRefuse(p);
    if (line !== null) {
      written.push(p);
      lines.push(line);
    }
  }
  // A neighbour after every batch: a line that swallows the next one shows here.
  const neighbour: Point = { measurement: "neighbour", tags: { k: "v" }, fields: { f: "n" }, time: clock++ };
  written.push(neighbour);
  lines.push(encodePoint(neighbour));
  const status = await influxd().write(db, lines.join("\n") + "\n");
  if (status !== 204) return `HTTP ${status} for ${JSON.stringify(lines)}`;
  const back = await readBack(db, written[0].time!, neighbour.time!);
  for (const p of written) {
    const got = back.get(p.time!) ?? [];
    const want = expected(p);
    if (got.length !== 1 || got[0].measurement !== want.measurement || JSON.stringify(got[0].row) !== JSON.stringify(Object.fromEntries(Object.entries(want.row).sort()))) {
      return `wrote ${JSON.stringify(encodePoint(p))}, read back ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
    }
  }
  return null;
}

test.serial("one value at a time: what the encoder writes reads back identically, and its neighbour too", async (t) => {
  const db = "fuzz_one";
  await influxd().createDatabase(db);
  let refused = 0;
  await fc.assert(
    fc.asyncProperty(sample, async (s) => {
      const p = point(s);
      if (encodeOrRefuse(p) === null) refused++;
      const failure = await writeAndCheck(db, [p]);
      if (failure) throw new Error(failure);
    }),
    { numRuns: 250, seed: 23, includeErrorInReport: true },
  );
  t.true(refused > 25 && refused < 225, `${refused} of 250 refused`);
});

test.serial("in batches: refused values never cost their neighbours", async (t) => {
  const db = "fuzz_batch";
  await influxd().createDatabase(db);
  await fc.assert(
    fc.asyncProperty(fc.array(sample, { minLength: 2, maxLength: 25 }), async (samples) => {
      const failure = await writeAndCheck(db, samples.map(point));
      if (failure) throw new Error(failure);
    }),
    { numRuns: 60, seed: 24, includeErrorInReport: true },
  );
  t.pass();
});

test.serial("what the encoder refuses, InfluxDB would misread: the issue's tag value swallows the next line", async (t) => {
  const db = "fuzz_refused";
  await influxd().createDatabase(db);
  const bad: Point = { measurement: "m", tags: { t: "\\ \\," }, fields: { f: ' "\' \' \'=' }, time: 100 };
  const error = t.throws(() => encodePoint(bad), { instanceOf: LineProtocolError });
  t.regex(error!.message, /backslash/);
  // Escaped the way the encoder used to, the line and the one after it are both lost.
  const naive = 'm,t=\\\\ \\\\, f=" \\"\' \' \'=" 100\nm,t=next f="n" 101\n';
  t.is(await influxd().write(db, naive), 400);
  t.deepEqual(await readBack(db, 100, 101), new Map());
  for (const [what, p] of [
    ["trailing backslash in a tag value", { measurement: "m", tags: { t: "a\\" }, fields: { f: 1 } }],
    ["backslash before a backslash", { measurement: "m", tags: { t: "a\\\\b" }, fields: { f: 1 } }],
    ["backslash before a comma in a key", { measurement: "m", fields: { "a\\,": 1 } }],
    ["backslash before a double quote in a measurement", { measurement: '\\"', fields: { f: 1 } }],
    ["line break in a string", { measurement: "m", fields: { f: "a\nb" } }],
    ["control character in a tag value", { measurement: "m", tags: { t: "a\u0001" }, fields: { f: 1 } }],
    ["control character in a string", { measurement: "m", fields: { f: "a\u0000" } }],
    ["lone surrogate", { measurement: "m", fields: { f: "\ud800" } }],
    ["comment-like measurement", { measurement: "#m", fields: { f: 1 } }],
    ["reserved key", { measurement: "m", tags: { time: "x" }, fields: { f: 1 } }],
  ] as [string, Point][]) {
    t.throws(() => encodePoint({ ...p, time: 1 }), { instanceOf: LineProtocolError }, what);
  }
  // A tab inside a string and a backslash before an ordinary character are fine.
  t.is(await writeAndCheck(db, [{ measurement: "m", tags: { t: "a\\b" }, fields: { f: "x\ty\\" }, time: clock++ }]), null);
});
