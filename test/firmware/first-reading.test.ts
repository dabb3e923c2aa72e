// The first reading after a boot is checked like every other one (issue 23, item 6): against the
// bus's other sensors and against the value kept in flash, so a glitch in it is never written.
import test from "ava";
import { FakeInflux } from "../../firmware/virtual/fake-influx.js";
import { MemoryFlash } from "../../firmware/virtual/flash-double.js";
import { buildRig, type Rig } from "../../firmware/virtual/rig.js";
import { testConfig } from "./helpers.js";

const BOOT = 1_767_225_600;

/** The sensor reads `offsetK` too high during the first seconds after boot, truly otherwise. */
function glitchAtBoot(rig: Rig, rom: string, offsetK: number): void {
  const s = rig.sensors.get(rom)!;
  const truth = s.temperature;
  s.temperature = () => {
    const t = truth();
    return t !== null && rig.platform.monotonicMs() < 5_000 ? t + offsetK : t;
  };
}

function writtenMax(influx: FakeInflux, rom: string): { max: number; count: number } {
  const mine = influx.temperatures().filter((p) => p.rom === rom);
  return { max: Math.max(...mine.map((p) => p.celsius)), count: mine.length };
}

test("a +60 K glitch in the first reading after boot is rejected against the bus's other sensors", async (t) => {
  const influx = new FakeInflux();
  const config = testConfig([3, 0]);
  const rom = config.buses[0].sensors[0].rom;
  const rig = buildRig({ config, transport: influx.transport, bootWallS: BOOT });
  glitchAtBoot(rig, rom, 60);
  rig.node.start();
  await rig.platform.runFor(10 * 60_000);
  const w = writtenMax(influx, rom);
  t.true(w.max < 45, `max written ${w.max}`);
  t.is(rig.node.rejected.jump, 1);
  t.true(w.count >= 58, "the readings after it are written");
  rig.node.stop();
});

test("a lone sensor's first reading after a reboot is checked against its value kept in flash", async (t) => {
  const influx = new FakeInflux();
  const config = testConfig([1, 0]);
  const rom = config.buses[0].sensors[0].rom;
  const flash = new MemoryFlash(16 * 4096);
  const first = buildRig({ config, transport: influx.transport, flash, bootWallS: BOOT, seed: 1 });
  // InfluxDB is away, so the readings go to flash; then the power fails.
  influx.answer = (req) => (req.method === "POST" ? { status: 503, body: "{}" } : undefined);
  first.node.start();
  await first.platform.runFor(5 * 60_000);
  first.node.stop();
  influx.answer = () => undefined;
  const second = buildRig({ config, transport: influx.transport, flash, bootWallS: Math.round(first.platform.trueWallS()) + 20, seed: 2 });
  glitchAtBoot(second, rom, 60);
  second.node.start();
  await second.platform.runFor(10 * 60_000);
  const w = writtenMax(influx, rom);
  t.true(w.max < 45, `max written ${w.max}`);
  t.is(second.node.rejected.jump, 1);
  t.is(second.node.buffer.depth, 0);
  second.node.stop();
});

test("a sensor that really is far from its neighbours loses one reading, not all of them", async (t) => {
  const influx = new FakeInflux();
  const config = testConfig([3, 0]);
  const rom = config.buses[0].sensors[2].rom;
  const rig = buildRig({ config, transport: influx.transport, bootWallS: BOOT });
  const s = rig.sensors.get(rom)!;
  s.temperature = () => 95; // e.g. a boiler flow pipe on the same bus
  rig.node.start();
  await rig.platform.runFor(10 * 60_000);
  t.is(rig.node.rejected.jump, 1);
  t.true(writtenMax(influx, rom).count >= 58);
  rig.node.stop();
});
