import test from "ava";
import { readFileSync } from "node:fs";
import { assignThermometer, BLE_TOUCH } from "../../commissioning/thermometer-edit.js";
import { detectTouch } from "../../commissioning/touch.js";
import { HouseFileError, parseHouseText } from "../../shared/house/index.js";

const BASE = readFileSync("examples/house.yaml", "utf8");
const withRooms = (rooms: string) => BASE.replace("\nanalysis:", `\nrooms:\n${rooms}\nanalysis:`);

test("rooms: targets, thermometers and their circuits; MACs normalised; defaults documented in the schema", (t) => {
  const { house, warnings } = parseHouseText(
    withRooms(`  - name: Wohnen/Essen
    target_c: 21
    ha: { entity_id: sensor.wohnen_temperatur, offset_k: -0.2 }
  - name: Bad
    target_c: 23
    ble: { mac: A4-C1-38-00-00-01 }
`),
  );
  t.is(warnings.filter((w) => w.path[0] === "rooms").length, 0);
  const living = house.rooms[0];
  t.deepEqual(living.circuits.length, 3, "the living/dining room has three circuits");
  t.like(living.ha!, { entity_id: "sensor.wohnen_temperatur", measurement: "°C", offset_k: -0.2, stale_after_h: 6 });
  t.like(house.rooms[1].ble!, { mac: "a4:c1:38:00:00:01", offset_k: 0, stale_after_h: 1 });
  t.deepEqual(parseHouseText(BASE).house.rooms, [], "rooms are optional");
});

test("rooms: a name no circuit uses is a warning with a near match; a thermometer in two rooms is an error", (t) => {
  const { warnings } = parseHouseText(withRooms(`  - name: bad\n    target_c: 23\n`));
  t.regex(warnings.find((w) => w.path[0] === "rooms")!.message, /no circuit has room "bad" \(did you mean "Bad"[,?]/);
  const e = t.throws(() => parseHouseText(withRooms(`  - name: Bad\n    target_c: 23\n    ble: { mac: a4c138000001 }\n  - name: Küche\n    target_c: 20\n    ble: { mac: A4:C1:38:00:00:01 }\n`)), { instanceOf: HouseFileError });
  t.true(e!.issues.some((i) => i.path.join(".") === "rooms.1.ble.mac" && /already the one of room "Bad"/.test(i.message) && i.line !== undefined));
  const bad = t.throws(() => parseHouseText(withRooms(`  - name: Bad\n    target_c: 35\n    ha: { entity_id: "Sensor Bad" }\n`)), { instanceOf: HouseFileError });
  t.true(bad!.issues.some((i) => i.path.join(".") === "rooms.0.target_c"));
  t.true(bad!.issues.some((i) => i.path.join(".") === "rooms.0.ha.entity_id" && /sensor\.wohnzimmer_temperature/.test(i.message)));
});

test("identify --ble writes the MAC into the room, keeping comments, moving it from another room", (t) => {
  const text = withRooms(`  # the bathroom's thermometer hangs by the door
  - name: Bad
    target_c: 23
    ble: { mac: a4:c1:38:00:00:09 }
`);
  const a = assignThermometer(text, "Bad", "A4:C1:38:00:00:01");
  t.regex(a.text, /# the bathroom's thermometer hangs by the door/);
  t.is(parseHouseText(a.text).house.rooms[0].ble!.mac, "a4:c1:38:00:00:01");
  const b = assignThermometer(a.text, "Küche", "a4:c1:38:00:00:01", 20);
  t.true(b.created);
  t.is(b.previousRoom, "Bad");
  const rooms = parseHouseText(b.text).house.rooms;
  t.is(rooms.find((r) => r.name === "Bad")!.ble, undefined);
  t.like(rooms.find((r) => r.name === "Küche")!, { target_c: 20, ble: { mac: "a4:c1:38:00:00:01" } });
  t.throws(() => assignThermometer(text, "Keller", "a4:c1:38:00:00:01"), { message: /no room "Keller"/ });
});

test("the hand-warming test names the thermometer warmed in a hand, minute readings through a case", (t) => {
  const now = 10_000;
  const trace = (rom: string, warm: boolean) => ({
    rom,
    node: "n",
    bus: "ble",
    samples: Array.from({ length: 30 }, (_, i) => {
      const time = now - (29 - i) * 60;
      const held = warm && time > now - 6 * 60 ? Math.min(3, (time - (now - 6 * 60)) / 100) : 0;
      return { time, celsius: 20.5 + held + 0.02 * Math.sin(i) };
    }),
  });
  const v = detectTouch([trace("a4:c1:38:00:00:01", false), trace("a4:c1:38:00:00:02", true), trace("a4:c1:38:00:00:03", false)], now, BLE_TOUCH);
  t.is(v.kind, "named");
  t.is(v.kind === "named" ? v.rom : "", "a4:c1:38:00:00:02");
  const quiet = detectTouch([trace("a4:c1:38:00:00:01", false), trace("a4:c1:38:00:00:03", false)], now, BLE_TOUCH);
  t.is(quiet.kind, "waiting");
});
