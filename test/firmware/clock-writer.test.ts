import test from "ava";
import { badLines, base64, classify, parseHttpDate, parseRetryAfter } from "../../firmware/core/writer.js";
import { FakeInflux } from "../../firmware/virtual/fake-influx.js";
import { buildRig } from "../../firmware/virtual/rig.js";
import { testConfig } from "./helpers.js";

const BOOT = 1_767_225_600;

test("readings before SNTP are held and stamped with their true time once the clock is set", async (t) => {
  const influx = new FakeInflux();
  const rig = buildRig({ config: testConfig([2, 0]), transport: influx.transport, bootWallS: BOOT, sntpAfterS: 45 });
  const stored: number[] = [];
  rig.node.onStored = (_rom, time) => stored.push(time);
  rig.node.start();
  await rig.platform.runFor(40_000);
  t.is(stored.length, 0, "nothing is stamped before the clock is set");
  t.is(rig.node.snapshot().clock_synced, false);
  await rig.platform.runFor(80_000);
  const first = Math.min(...stored);
  // The first cycle ran at boot and read ~0.76 s later: stamped as then, not as when SNTP answered.
  t.true(Math.abs(first - BOOT) <= 1, `${first - BOOT}`);
  const times = influx.temperatures().map((p) => p.time).sort((a, b) => a - b);
  t.is(times[0], first);
  t.true(rig.platform.lines.some((l) => l.includes("held reading(s) stamped")));
});

test("if SNTP never answers, the clock is set from InfluxDB's Date header", async (t) => {
  const influx = new FakeInflux();
  const now = BOOT + 123;
  influx.answer = (req) => (req.method === "GET" ? { status: 204, body: "", date: new Date(now * 1000).toUTCString() } : undefined);
  const rig = buildRig({ config: testConfig([1, 0]), transport: influx.transport, bootWallS: BOOT, sntpAfterS: Infinity });
  rig.node.start();
  await rig.platform.runFor(5 * 60_000);
  t.true(rig.node.snapshot().clock_synced);
  const times = influx.temperatures().map((p) => p.time).sort((a, b) => a - b);
  // The Date header has whole seconds, the hold ring too: within a second of the truth.
  t.true(Math.abs(times[0] - (now - 60)) <= 1, `${times[0] - (now - 60)}`);
});

test("if the clock is never set, the hold ring keeps the newest readings and counts what it drops", async (t) => {
  const influx = new FakeInflux();
  influx.answer = () => ({ status: 0, body: "", error: "unreachable" });
  const rig = buildRig({ config: testConfig([2, 0]), transport: influx.transport, sntpAfterS: Infinity, nodeOptions: { holdCapacity: 100 } });
  rig.node.start();
  await rig.platform.runFor(20 * 60_000);
  t.is(rig.node.snapshot().clock_synced, false);
  t.is(rig.node.snapshot().buffer.depth, 100);
  t.true(rig.node.dropped >= 2 * 119 - 100 - 2, String(rig.node.dropped));
  t.is(influx.temperatures().length, 0);
});

test("the supervisor restarts a hung loop, and reboots when that does not help", async (t) => {
  const influx = new FakeInflux();
  const rig = buildRig({ config: testConfig([1, 0]), transport: influx.transport });
  rig.node.start();
  await rig.platform.runFor(60_000);
  const before = rig.node.cycles;
  // A bus that throws: each cycle dies before scheduling the next.
  const bus = rig.buses[0];
  const read = bus.read.bind(bus);
  let broken = 2;
  bus.read = (n: number) => {
    if (broken > 0) {
      broken--;
      throw new Error("bus hung");
    }
    return read(n);
  };
  await rig.platform.runFor(30 * 60_000);
  t.true(rig.platform.lines.some((l) => l.startsWith("supervisor:")));
  t.true(rig.node.cycles > before + 100, "sampling resumed");
  t.deepEqual(rig.platform.restarts, []);
  bus.read = () => {
    throw new Error("bus hung for good");
  };
  await rig.platform.runFor(30 * 60_000);
  t.deepEqual(rig.platform.restarts.slice(0, 1), ["watchdog"]);
});

test("Wi-Fi loss keeps readings (spilled to flash) and they go out when it returns, without a reboot", async (t) => {
  const influx = new FakeInflux();
  const { MemoryFlash } = await import("../../firmware/virtual/flash-double.js");
  const rig = buildRig({ config: testConfig([2, 0]), transport: influx.transport, flash: new MemoryFlash(16 * 4096) });
  const stored = new Set<string>();
  rig.node.onStored = (rom, time) => stored.add(rom + time);
  rig.node.start();
  await rig.platform.runFor(5 * 60_000);
  rig.platform.wifiUp = false;
  await rig.platform.runFor(20 * 60_000);
  t.is(rig.node.writeStatus, "network");
  t.true(rig.node.buffer.flash!.depth > 200);
  rig.platform.wifiUp = true;
  await rig.platform.runFor(2 * 60_000);
  t.is(rig.node.buffer.depth, 0);
  t.is(influx.temperatures().length, stored.size);
  t.deepEqual(rig.platform.restarts, []);
});

test("each InfluxDB answer maps to one rule", (t) => {
  const lines = ["a x=1 1", "b x=2 1"];
  t.deepEqual(classify({ status: 204, body: "" }, lines), { kind: "done" });
  t.deepEqual(classify({ status: 401, body: "" }, lines), { kind: "hold", status: "auth" });
  t.deepEqual(classify({ status: 403, body: "" }, lines), { kind: "hold", status: "auth" });
  t.deepEqual(classify({ status: 404, body: "" }, lines), { kind: "hold", status: "db_missing" });
  t.deepEqual(classify({ status: 413, body: "" }, lines), { kind: "split" });
  t.deepEqual(classify({ status: 503, body: "", retryAfter: "17" }, lines), { kind: "retry", status: "server", retryAfterS: 17 });
  t.deepEqual(classify({ status: 0, body: "", error: "timeout" }, lines), { kind: "retry", status: "network", retryAfterS: undefined });
  t.deepEqual(classify({ status: 400, body: '{"error":"partial write: unable to parse \'b x=2 1\': bad dropped=1"}' }, lines), { kind: "partial", bad: [1] });
  t.deepEqual(badLines('{"error":"partial write: field type conflict: input field \\"x\\" on measurement \\"a\\" is type float, already exists as type integer dropped=1"}', lines), [0]);
  t.deepEqual(badLines("something else entirely", lines), []);
  t.is(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", parseHttpDate("Wed, 21 Oct 2015 07:27:00 GMT")), 60);
  t.is(base64("admin:pässwörd"), Buffer.from("admin:pässwörd").toString("base64"));
});
