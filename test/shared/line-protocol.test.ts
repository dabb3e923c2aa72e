import test from "ava";
import fc from "fast-check";
import { encodeBatch, encodePoint, int, LineProtocolError, parseLine, type FieldValue, type Point } from "../../shared/line-protocol.js";

// Names and tag values that line protocol can carry (shared/line-protocol.ts lists the rules):
// no control characters, no backslash at the end or before a separator, a quote or another backslash.
const text = fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s) && !/\\(?=[\\ ,="]|$)/.test(s));
const tagValue = text;
const key = text.filter((s) => s !== "time");
const field: fc.Arbitrary<FieldValue> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -(2 ** 40), max: 2 ** 40 }).map(int),
  fc.boolean(),
  fc.string({ unit: "grapheme", maxLength: 16 }).filter((s) => !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(s)),
);
const point: fc.Arbitrary<Point> = fc.record({
  measurement: text.filter((s) => s[0] !== "#"),
  tags: fc.dictionary(key, tagValue, { maxKeys: 4 }),
  fields: fc.dictionary(key, field, { minKeys: 1, maxKeys: 4 }),
  time: fc.integer({ min: 0, max: 4_000_000_000 }),
});

test("encoding then parsing gives back the same point (any characters)", (t) => {
  fc.assert(
    fc.property(point, (p) => {
      const line = encodePoint(p);
      const back = parseLine(line);
      t.is(back.measurement, p.measurement);
      t.deepEqual(back.tags, { ...p.tags });
      t.is(back.time, p.time);
      for (const [k, v] of Object.entries(p.fields)) {
        const got = back.fields[k];
        if (typeof v === "number") t.is(got, Object.is(v, -0) ? 0 : v);
        else t.deepEqual(got, v);
      }
      return !line.includes("\n");
    }),
    { numRuns: 400 },
  );
});

test("a key named __proto__ is data, never the prototype", (t) => {
  const back = parseLine(encodePoint({ measurement: "m", tags: { __proto__: "t" } as Record<string, string>, fields: JSON.parse('{"__proto__": "x", "v": 1}'), time: 1 }));
  t.is(Object.getPrototypeOf(back.fields), Object.prototype);
  t.is(Object.getOwnPropertyDescriptor(back.fields, "__proto__")?.value, "x");
  t.is(back.fields.v, 1);
});

test("floats stay floats and integers carry the i suffix", (t) => {
  const line = encodePoint({ measurement: "m", fields: { a: 3, b: int(3), c: 2.5, d: true, e: "x" }, time: 1 });
  t.is(line, 'm a=3.0,b=3i,c=2.5,d=true,e="x" 1');
});

test("escaping follows the InfluxDB reference for each position", (t) => {
  const line = encodePoint({
    measurement: "a b,c=d",
    tags: { "k ey,=": "v al,=ue" },
    fields: { "f ,=": 'q"u\\o' },
    time: 5,
  });
  t.is(line, 'a\\ b\\,c=d,k\\ ey\\,\\==v\\ al\\,\\=ue f\\ \\,\\=="q\\"u\\\\o" 5');
});

test("tags are sorted and a batch ends every line with a newline", (t) => {
  const body = encodeBatch([
    { measurement: "m", tags: { z: "1", a: "2" }, fields: { v: 1 }, time: 1 },
    { measurement: "m", fields: { v: 2 }, time: 2 },
  ]);
  t.is(body, "m,a=2,z=1 v=1.0 1\nm v=2.0 2\n");
});

test("what InfluxDB would reject is refused with a clear error", (t) => {
  const bad: [Point, RegExp][] = [
    [{ measurement: "m", fields: { v: NaN }, time: 1 }, /"v" is NaN/],
    [{ measurement: "m", fields: { v: Infinity }, time: 1 }, /Infinity/],
    [{ measurement: "m", fields: { v: -Infinity }, time: 1 }, /Infinity/],
    [{ measurement: "m", tags: { room: "" }, fields: { v: 1 }, time: 1 }, /tag "room" has an empty value/],
    [{ measurement: "m", tags: { room: "a\nb" }, fields: { v: 1 }, time: 1 }, /line break/],
    [{ measurement: "m", fields: { s: "two\nlines" }, time: 1 }, /line break/],
    [{ measurement: "", fields: { v: 1 }, time: 1 }, /measurement name is empty/],
    [{ measurement: "m", fields: {}, time: 1 }, /no fields/],
    [{ measurement: "m", fields: { v: 1 }, time: 1.5 }, /whole seconds/],
    [{ measurement: "m", fields: { v: int(1.5) }, time: 1 }, /not an integer/],
    [{ measurement: "m", tags: { room: "a\\" }, fields: { v: 1 }, time: 1 }, /ends with a backslash/],
    [{ measurement: "m", tags: { "k\\": "a" }, fields: { v: 1 }, time: 1 }, /tag key "k\\\\" ends with a backslash/],
    [{ measurement: "m", fields: { "f\\": 1 }, time: 1 }, /field key .* ends with a backslash/],
    [{ measurement: "m\\", fields: { v: 1 }, time: 1 }, /measurement .* ends with a backslash/],
  ];
  for (const [p, message] of bad) {
    const err = t.throws(() => encodePoint(p), { instanceOf: LineProtocolError });
    t.regex(err!.message, message);
  }
});

test("the encoder is portable: no Node globals in its source", async (t) => {
  const { readFile } = await import("node:fs/promises");
  for (const file of ["shared/line-protocol.ts", "shared/rom.ts", "shared/measurements.ts", "shared/reading.ts"]) {
    const source = (await readFile(file, "utf8")).replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
    t.notRegex(source, /\bBuffer\b|from "node:|require\(|process\./, file);
  }
});
