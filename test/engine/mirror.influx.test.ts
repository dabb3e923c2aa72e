import anyTest from "ava";
import { mirrorEvents } from "../../analyser/delivery/mirror.js";
import { emptyMemory } from "../../analyser/engine/memory.js";
import { recommend } from "../../analyser/engine/recommend.js";
import { useInfluxd } from "../helpers/influxd.js";
import { analysisOf, houseOf, meter } from "./fixtures.js";

const { test, influxd } = useInfluxd(anyTest);

test("memory events are mirrored into InfluxDB as balance_event, once, and kept when InfluxDB is away", async (t) => {
  await influxd().createDatabase("floorbalance");
  const base = houseOf([{ id: "a", valve: meter(1.5) }, { id: "b", valve: meter(1.5) }, { id: "c", valve: meter(1.5) }]);
  const house = { ...base, influx: { ...base.influx, url: influxd().url } };
  const { memory, result } = recommend(house, analysisOf(house, { a: { spread: 7 }, b: { spread: 5 }, c: { spread: 3.5 } }), emptyMemory());
  t.true(result.actions.length >= 2);
  const first = await mirrorEvents(house, {}, memory);
  t.is(first.error, undefined);
  t.is(first.sent, memory.events.length);
  const again = await mirrorEvents(house, {}, first.memory);
  t.is(again.sent, 0);
  const rows = await influxd().query(`SELECT "setting_lpm", "text", "kind", "circuit" FROM "balance_event"`, "floorbalance");
  const values = rows[0].series[0].values as unknown[][];
  t.is(values.length, memory.events.length);
  t.true(values.every((v) => v[3] === "recommended"));
  // Nothing listens here: the error is reported, the events stay unmirrored.
  const away = await mirrorEvents({ ...house, influx: { ...house.influx, url: "http://127.0.0.1:9" } }, {}, memory);
  t.regex(away.error ?? "", /InfluxDB at http:\/\/127\.0\.0\.1:9 cannot be reached/);
  t.regex(away.error ?? "", /how to fix: check that influxd runs/);
  t.is(away.memory.mirrored ?? 0, 0);
});

test("a missing database is the classifier's 'no database' error with its fix, and nothing counts as mirrored", async (t) => {
  const base = houseOf([{ id: "a", valve: meter(1.5) }, { id: "b", valve: meter(1.5) }, { id: "c", valve: meter(1.5) }]);
  const house = { ...base, influx: { ...base.influx, url: influxd().url, database: "never_created" } };
  const { memory } = recommend(house, analysisOf(house, { a: { spread: 7 }, b: { spread: 5 }, c: { spread: 3.5 } }), emptyMemory());
  t.true(memory.events.length > 0);
  const out = await mirrorEvents(house, {}, memory);
  t.is(out.sent, 0);
  t.is(out.memory.mirrored ?? 0, 0);
  t.regex(out.error ?? "", /has no database "never_created"/);
  t.regex(out.error ?? "", /how to fix: create it \(CREATE DATABASE "never_created"\)/);
});
