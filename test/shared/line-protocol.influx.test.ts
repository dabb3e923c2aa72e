import anyTest from "ava";
import { encodeBatch, int, type Point } from "../../shared/line-protocol.js";
import { useInfluxd } from "../helpers/influxd.js";

const { test, influxd } = useInfluxd(anyTest);

const AWKWARD = ["plain", "with space", "comma,inside", "equals=sign", 'double "quote"', "back\\slash", "Küche & Bad – Wärme", "🔥 heiß 🌡️", "mix, of= all \"\\ kinds", "trailing space ", " leading"];

test("awkward strings survive a round trip through a real InfluxDB exactly", async (t) => {
  const db = "roundtrip";
  await influxd().createDatabase(db);
  const points: Point[] = AWKWARD.map((s, i) => ({
    measurement: `m ${i % 2 ? "a,b" : "x"}`,
    // A name cannot carry a backslash before a separator or quote (the encoder refuses it).
    tags: { room: s.replace(/\\(?=[\\ ,="]|$)/g, "\\x"), idx: String(i) },
    fields: { text: s, "field key=,": s, n: 1.5 + i, count: int(i), ok: i % 2 === 0 },
    time: 1_700_000_000 + i,
  }));
  t.is(await influxd().write(db, encodeBatch(points)), 204);
  for (const [i, p] of points.entries()) {
    const results = await influxd().query(`SELECT * FROM "${p.measurement.replace(/"/g, '\\"')}" WHERE "idx" = '${i}'`, db);
    const series = results[0].series?.[0];
    t.truthy(series, `point ${i} was stored`);
    const row = Object.fromEntries(series.columns.map((c: string, k: number) => [c, series.values[0][k]]));
    t.is(row.time, p.time);
    t.is(row.room, p.tags!.room);
    t.is(row.text, AWKWARD[i]);
    t.is(row["field key=,"], AWKWARD[i]);
    t.is(row.n, 1.5 + i);
    t.is(row.count, i);
    t.is(row.ok, i % 2 === 0);
  }
});
