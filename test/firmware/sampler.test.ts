import test from "ava";
import { FakeInflux } from "../../firmware/virtual/fake-influx.js";
import { buildRig } from "../../firmware/virtual/rig.js";
import { rom, testConfig } from "./helpers.js";

const MIN = 60_000;

function rig(perBus: number[] = [3, 2], seed = 1) {
  const influx = new FakeInflux();
  const config = testConfig(perBus);
  const r = buildRig({ config, transport: influx.transport, seed });
  return { ...r, influx, config };
}

test("a cycle reads every configured sensor on every bus, one conversion per cycle", async (t) => {
  const { node, platform, influx, config } = rig();
  node.start();
  await platform.runFor(5 * MIN);
  const temps = influx.temperatures();
  const roms = new Set(temps.map((p) => p.rom));
  t.is(roms.size, 5);
  for (const b of config.buses) for (const s of b.sensors) t.true(roms.has(s.rom));
  // 5 minutes at 10 s: 30 cycles (±1 at the edges) per sensor.
  t.true(temps.length >= 5 * 29 && temps.length <= 5 * 31, String(temps.length));
  // The cycle costs one 12-bit conversion (750 ms) plus the reads, not one conversion per sensor.
  t.true(node.cycleMs >= 750 && node.cycleMs < 900, String(node.cycleMs));
  t.true(platform.lines.some((l) => l.includes("bus 0 on pin 16")));
});

test("CRC errors are retried within the cycle and counted; no corrupted value is written", async (t) => {
  const { node, platform, influx, sensors, config } = rig([3, 0], 3);
  const noisy = config.buses[0].sensors[0].rom;
  (sensors.get(noisy) as any).faults.crcRate = 0.5;
  node.start();
  await platform.runFor(10 * MIN);
  const crc = node.samplers[0].crcErrors;
  t.true(crc > 20, `crc errors ${crc}`);
  // With two retries most cycles recover: rejected only when all three reads fail (~1/8).
  const rejected = node.rejected.crc;
  t.true(rejected > 0 && rejected < crc / 2, `rejected ${rejected} of ${crc}`);
  const values = influx.temperatures().filter((p) => p.rom === noisy);
  t.true(values.length > 40);
  for (const v of values) t.true(v.celsius > 20 && v.celsius < 40, String(v.celsius));
});

test("85 °C power-on reads are rejected and counted; -127/absent sensors never reach InfluxDB", async (t) => {
  const { node, platform, influx, sensors, config } = rig([2, 0]);
  const a = config.buses[0].sensors[0].rom;
  (sensors.get(a) as any).faults.powerOnReads = 3;
  node.start();
  await platform.runFor(2 * MIN);
  t.is(node.rejected.power_on, 3);
  for (const p of influx.temperatures()) {
    t.not(p.celsius, 85);
    t.true(p.celsius > -55);
  }
  t.true(platform.lines.every((l) => !l.includes("UNMAPPED")));
});

test("a missing sensor is reported, and found when it is plugged in later; an unknown ROM is written as mapped=no", async (t) => {
  const { node, platform, influx, sensors, config, plug } = rig([3, 0]);
  const late = config.buses[0].sensors[2].rom;
  (sensors.get(late) as any).faults.absent = true;
  node.start();
  await platform.runFor(2 * MIN);
  t.is(node.samplers[0].found, 2);
  t.true(platform.lines.some((l) => l.includes(`MISSING ${late}`)));
  t.is(influx.temperatures().filter((p) => p.rom === late).length, 0);
  (sensors.get(late) as any).faults.absent = false;
  const stranger = rom(0x777777, 0x28);
  plug(0, stranger);
  await platform.runFor(6 * MIN); // the search every 5 minutes finds both
  t.is(node.samplers[0].found, 4);
  t.true(influx.temperatures().some((p) => p.rom === late));
  const unknown = [...influx.points.values()].filter((p) => p.measurement === "temperature" && p.tags.rom === stranger);
  t.true(unknown.length > 0);
  t.true(unknown.every((p) => p.tags.mapped === "no"));
  t.true(platform.lines.some((l) => l.includes(stranger) && l.includes("UNMAPPED")));
  const health = [...influx.points.values()].filter((p) => p.measurement === "node_health");
  t.true(health.length >= 7);
  t.is((health[0].fields.sensors_expected as any).int ?? health[0].fields.sensors_expected, 3);
});

test("a shorted bus is reported in bus health and does not stop the other bus", async (t) => {
  const { node, platform, influx, buses, config } = rig([2, 2]);
  buses[0].shorted = true;
  node.start();
  await platform.runFor(3 * MIN);
  t.true(node.samplers[0].shorted);
  const roms = new Set(influx.temperatures().map((p) => p.rom));
  t.deepEqual([...roms].sort(), config.buses[1].sensors.map((s) => s.rom).sort());
  const busHealth = [...influx.points.values()].filter((p) => p.measurement === "bus_health" && p.tags.bus === "0");
  t.true(busHealth.length > 0 && busHealth.every((p) => p.fields.shorted === true));
  t.true(platform.lines.some((l) => l.includes("shorted")));
});

test("sensors sharing a family code and differing in one serial bit are all found; other 1-Wire families are ignored", async (t) => {
  const influx = new FakeInflux();
  const config = testConfig([0]);
  const r = buildRig({ config, transport: influx.transport });
  const twins = [rom(0x100000), rom(0x100001), rom(0x900000), rom(0x100000, 0x10)];
  for (const x of twins) r.plug(0, x);
  r.plug(0, rom(0x100000, 0x01)); // a DS2401 silicon serial number on the same bus
  r.node.start();
  await r.platform.runFor(MIN);
  const found = new Set(influx.temperatures().map((p) => p.rom));
  t.deepEqual([...found].sort(), twins.sort());
});
