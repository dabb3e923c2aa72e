import test from "ava";
import { parseAdvertisement } from "../../firmware/core/ble/advertisement.js";
import { DEFAULT_PERSON, personVotes } from "../../simulator/comfort-person.js";
import { BleThermometer, HA_OFFSET_K, HaThermometer } from "../../simulator/room-thermometers.js";
import { Rng } from "../../simulator/rng.js";

test("an HA thermometer: own offset within ±0.3 K, 0.1 K steps, written only on change, as HA's integration writes it", (t) => {
  const offsets: number[] = [];
  for (let s = 0; s < 50; s++) offsets.push(new HaThermometer("sensor.x", "°C", new Rng(s, "ha")).offsetK);
  t.true(offsets.every((o) => Math.abs(o) <= HA_OFFSET_K));
  t.true(Math.max(...offsets) - Math.min(...offsets) > 0.3, "they differ");
  const ha = new HaThermometer("sensor.wohnen", "°C", new Rng(1, "ha"));
  const points: NonNullable<ReturnType<HaThermometer["observe"]>>[] = [];
  for (let i = 0; i < 120; i++) {
    const p = ha.observe(i * 60, 21 + 0.002 * i);
    if (p) points.push(p);
  }
  t.true(points.length >= 2 && points.length <= 4, `${points.length} changes in 0.24 K`);
  t.deepEqual(points[0].tags, { domain: "sensor", entity_id: "wohnen" });
  t.is(points[0].measurement, "°C");
  for (const p of points) t.is(Math.round((p.fields.value as number) * 10) / 10, p.fields.value as number);
});

test("a BLE thermometer broadcasts bytes the firmware parses, with its own offset", (t) => {
  for (const format of ["pvvx", "bthome", "atc"] as const) {
    const b = new BleThermometer("a4:c1:38:00:00:07", format, new Rng(3, format));
    const r = parseAdvertisement(b.advertise(21.5), "a4:c1:38:00:00:07");
    t.true(r.ok && r.reading.mac === "a4:c1:38:00:00:07" && Math.abs(r.reading.celsius - (21.5 + b.offsetK)) <= 0.05 + 1e-9, format);
  }
});

test("the simulated person votes when a room is 1 K or more off, sometimes forgets, never votes on a fine room", (t) => {
  const rooms = new Map([
    ["Bad", { true_c: 21.8, target_c: 23 }],
    ["Schlafen", { true_c: 20.1, target_c: 19 }],
    ["Flur", { true_c: 20.6, target_c: 20 }],
  ]);
  const rng = new Rng(9, "person");
  let bad = 0;
  let flur = 0;
  for (let day = 0; day < 200; day++) {
    const v = personVotes(rooms, day * 86400, rng);
    for (const x of v) {
      if (x.room === "Bad") {
        bad++;
        t.is(x.vote, "too-cold");
      }
      if (x.room === "Schlafen") t.is(x.vote, "too-warm");
      if (x.room === "Flur") flur++;
    }
  }
  t.is(flur, 0);
  t.true(bad > 200 * (1 - DEFAULT_PERSON.forget) - 25 && bad < 200 * (1 - DEFAULT_PERSON.forget) + 25, String(bad));
});
