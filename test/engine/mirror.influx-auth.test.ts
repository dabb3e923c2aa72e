import anyTest, { type TestFn } from "ava";
import { mirrorEvents } from "../../analyser/delivery/mirror.js";
import { emptyMemory } from "../../analyser/engine/memory.js";
import { recommend } from "../../analyser/engine/recommend.js";
import { useInfluxd } from "../helpers/influxd.js";
import { analysisOf, houseOf, meter } from "./fixtures.js";

// The balance_event mirror against an InfluxDB with authentication on: its failures are the
// analyser's classifier's messages (what, where, how to fix), never a thrown error, never a secret.
const { test, influxd } = useInfluxd(anyTest as TestFn, { auth: true });

let created: Promise<void> | undefined;
const ready = () => (created ??= influxd().createDatabase("floorbalance"));

function scene() {
  const base = houseOf([{ id: "a", valve: meter(1.5) }, { id: "b", valve: meter(1.5) }, { id: "c", valve: meter(1.5) }]);
  const house = { ...base, influx: { ...base.influx, url: influxd().url } };
  const { memory } = recommend(house, analysisOf(house, { a: { spread: 7 }, b: { spread: 5 }, c: { spread: 3.5 } }), emptyMemory());
  return { house, memory };
}

test("wrong credentials: the classifier's 'refused' message with its fix, the password redacted, the events kept", async (t) => {
  await ready();
  const { house, memory } = scene();
  t.true(memory.events.length > 0);
  const out = await mirrorEvents(house, { influx_username: "admin", influx_password: "wrong-secret" }, memory);
  t.is(out.sent, 0);
  t.is(out.memory.mirrored ?? 0, 0);
  t.regex(out.error ?? "", new RegExp(`InfluxDB at ${house.influx.url.replace(/[.]/g, "\\.")} refused the user name or password`));
  t.regex(out.error ?? "", /how to fix: check influx_username and influx_password/);
  t.false((out.error ?? "").includes("wrong-secret"));
});

test("no credentials against a server that needs them: it says none is set", async (t) => {
  await ready();
  const { house, memory } = scene();
  const out = await mirrorEvents(house, {}, memory);
  t.is(out.sent, 0);
  t.regex(out.error ?? "", /needs a user name and password, and none is set/);
});

test("good credentials mirror the events", async (t) => {
  await ready();
  const { house, memory } = scene();
  const out = await mirrorEvents(house, { influx_username: "admin", influx_password: "admin" }, memory);
  t.is(out.error, undefined);
  t.is(out.sent, memory.events.length);
  t.is(out.memory.mirrored, memory.events.length);
});
