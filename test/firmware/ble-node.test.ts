// A room thermometer's broadcast through the firmware node: the same buffer (RAM, then flash while
// InfluxDB is away), the same batches and write rules as the DS18B20 readings.
import test from "ava";
import { parseAdvertisement } from "../../firmware/core/ble/advertisement.js";
import { BleGate } from "../../firmware/core/ble/gate.js";
import { bleIdentity, bleWire, fromRaw, toRaw } from "../../firmware/core/ble/record.js";
import { FakeInflux } from "../../firmware/virtual/fake-influx.js";
import { MemoryFlash } from "../../firmware/virtual/flash-double.js";
import { buildRig } from "../../firmware/virtual/rig.js";
import { encodeAdvertisement } from "../../simulator/ble-broadcast.js";
import { testConfig } from "./helpers.js";

const MAC = "a4:c1:38:12:34:56";
const boot = 1_767_225_600;

function heard(celsius: number, counter: number) {
  const r = parseAdvertisement(encodeAdvertisement("pvvx", { mac: MAC, celsius, humidity: 45.5, battery: 80, counter }), "ff:ff:ff:ff:ff:ff");
  if (!r.ok) throw new Error(r.reason);
  return r.reading;
}

test("a BLE id round-trips and can never be a temperature sensor's ROM family", (t) => {
  const w = bleWire(MAC, "humidity_pct");
  t.deepEqual(bleIdentity(w), { quantity: "humidity_pct", mac: MAC });
  t.is(bleIdentity(Uint8Array.from([0x28, 1, 2, 3, 4, 5, 6, 7])), undefined);
  for (const [q, v] of [["celsius", -12.34], ["humidity_pct", 99.99], ["battery_pct", 100], ["rssi_dbm", -97]] as const) t.is(fromRaw(q, toRaw(q, v)), v);
});

test("the gate keeps one reading per thermometer per minute, refuses implausible values and caps the devices", (t) => {
  const gate = new BleGate({ every_s: 60, max_devices: 2 });
  const r = (mac: string, celsius = 21) => ({ format: "pvvx" as const, mac, celsius });
  t.is(gate.judge(r("a"), 0), "accept");
  t.is(gate.judge(r("a"), 30), "too-soon");
  t.is(gate.judge(r("a"), 61), "accept");
  t.is(gate.judge(r("b", 120), 61), "range");
  t.is(gate.judge({ ...r("b"), humidity: 140 }, 61), "range");
  t.is(gate.judge(r("b"), 61), "accept");
  t.is(gate.judge(r("c"), 61), "full");
  t.is(gate.rejectedRange, 2);
});

test("broadcasts become room_temperature points with the DS18B20 readings, and survive an outage through flash", async (t) => {
  const influx = new FakeInflux();
  const flash = new MemoryFlash(16 * 4096);
  const rig = buildRig({ config: testConfig([2]), transport: influx.transport, flash, bootWallS: boot, nodeOptions: { healthEveryS: 600 } });
  rig.node.start();
  await rig.platform.runFor(5_000);
  t.is(rig.node.ble(heard(21.37, 1), -71), 4, "celsius, humidity, battery and RSSI");
  t.is(rig.node.ble(heard(21.4, 2), -70), 0, "a second broadcast within the minute is not kept");
  await rig.platform.runFor(30_000);
  // InfluxDB goes away; the next reading waits (spilled to flash) and arrives after it is back.
  influx.answer = () => ({ status: 503, body: "" });
  await rig.platform.runFor(40_000);
  t.is(rig.node.ble(heard(21.62, 3), -69), 4);
  await rig.platform.runFor(20_000);
  t.true(rig.node.buffer.flash!.depth >= 4, "waiting in flash");
  influx.answer = () => undefined;
  await rig.platform.runFor(120_000);
  const rooms = [...influx.points.values()].filter((p) => p.measurement === "room_temperature").sort((a, b) => a.time - b.time);
  t.is(rooms.length, 2, "four lines each, merged into one point per reading");
  t.deepEqual(rooms[0].tags, { mac: MAC, node: "test-node" });
  t.deepEqual(rooms[0].fields, { celsius: 21.37, humidity_pct: 45.5, battery_pct: { int: 80 }, rssi_dbm: { int: -71 } });
  t.is(rooms[1].fields.celsius, 21.62);
  t.true(influx.temperatures().length > 20, "the pipe sensors are written as before");
  t.false(influx.temperatures().some((r) => r.rom.startsWith("b")), "no BLE record is ever written as a pipe temperature");
});
