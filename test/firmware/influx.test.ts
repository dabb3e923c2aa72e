// The firmware core against a real InfluxDB 1.6 behind a fault-injecting proxy, on simulated time.
import anyTest from "ava";
import { MemoryFlash } from "../../firmware/virtual/flash-double.js";
import { nodeTransport } from "../../firmware/virtual/http-transport.js";
import { buildRig, type Rig } from "../../firmware/virtual/rig.js";
import type { NodeConfig } from "../../firmware/core/config.js";
import { badLines } from "../../firmware/core/writer.js";
import { useInfluxd } from "../helpers/influxd.js";
import { startFaultProxy, type Fault, type FaultProxy } from "./fault-proxy.js";
import { testConfig } from "./helpers.js";

const { test, influxd } = useInfluxd(anyTest);
const H = 3_600_000;
const BOOT = 1_767_225_600; // 2026-01-01T00:00:00Z

let proxy: FaultProxy;
test.serial.before(async () => {
  proxy = await startFaultProxy(influxd().url);
});
test.after.always(async () => {
  await proxy?.close();
});

type Key = string;
function collect(rig: Rig, into: Map<Key, number>) {
  rig.node.onStored = (rom, time, celsius) => into.set(`${rom} ${time}`, celsius);
}

async function perRom(db: string): Promise<Map<string, { count: number; sum: number; first: number; last: number }>> {
  const rows = await influxd().query(`SELECT COUNT(celsius), SUM(celsius) FROM temperature GROUP BY rom`, db);
  const firsts = await influxd().query(`SELECT FIRST(celsius) FROM temperature GROUP BY rom`, db);
  const lasts = await influxd().query(`SELECT LAST(celsius) FROM temperature GROUP BY rom`, db);
  const out = new Map<string, { count: number; sum: number; first: number; last: number }>();
  for (const s of rows[0].series ?? []) out.set(s.tags.rom, { count: s.values[0][1], sum: s.values[0][2], first: 0, last: 0 });
  for (const s of firsts[0].series ?? []) out.get(s.tags.rom)!.first = s.values[0][0];
  for (const s of lasts[0].series ?? []) out.get(s.tags.rom)!.last = s.values[0][0];
  return out;
}

function expectedPerRom(stored: Map<Key, number>) {
  const out = new Map<string, { count: number; sum: number; first: number; last: number }>();
  for (const [key, c] of stored) {
    const [rom, t] = key.split(" ");
    const time = Number(t);
    const e = out.get(rom) ?? { count: 0, sum: 0, first: Infinity, last: -Infinity };
    e.count++;
    e.sum += c;
    e.first = Math.min(e.first, time);
    e.last = Math.max(e.last, time);
    out.set(rom, e);
  }
  return out;
}

function assertExactlyOnce(t: any, got: Awaited<ReturnType<typeof perRom>>, stored: Map<Key, number>) {
  const want = expectedPerRom(stored);
  t.is(got.size, want.size);
  for (const [rom, w] of want) {
    const g = got.get(rom);
    t.truthy(g, rom);
    t.is(g!.count, w.count, `${rom}: count`);
    t.true(Math.abs(g!.sum - w.sum) < 1e-6 * Math.max(1, Math.abs(w.sum)), `${rom}: sum ${g!.sum} vs ${w.sum}`);
    t.is(g!.first, w.first, `${rom}: first timestamp`);
    t.is(g!.last, w.last, `${rom}: last timestamp`);
  }
}

function rigFor(db: string, config: NodeConfig, flash: MemoryFlash | null, bootWallS = BOOT, seed = 1): Rig {
  return buildRig({ config: { ...config, influx: { ...config.influx, database: db } }, transport: nodeTransport(proxy.url), flash, bootWallS, seed });
}

test.serial("a 24-hour outage, then recovery: every valid reading arrives exactly once with its original timestamp", async (t) => {
  const db = "outage24";
  await influxd().createDatabase(db);
  const config = testConfig([5, 5]); // the example's largest node: 10 sensors every 10 s
  const flash = new MemoryFlash(176 * 4096); // the default "readings" partition
  const rig = rigFor(db, config, flash);
  const stored = new Map<Key, number>();
  collect(rig, stored);
  let n = 0;
  proxy.fault = () => undefined;
  rig.node.start();
  await rig.platform.runFor(1 * H);
  const before = stored.size;
  // InfluxDB goes away: alternately a 503 with Retry-After and a cut connection.
  proxy.fault = (req) => (req.url?.startsWith("/write") ? (n++ % 2 ? "drop" : { status: 503, body: '{"error":"down"}', headers: { "Retry-After": "30" } }) : undefined);
  await rig.platform.runFor(24 * H);
  t.is(rig.node.writeStatus === "server" || rig.node.writeStatus === "network", true);
  t.true(rig.node.buffer.depth > 24 * 360 * 10 * 0.99, `buffered ${rig.node.buffer.depth}`);
  t.is(rig.node.dropped, 0);
  proxy.fault = () => undefined;
  await rig.platform.runFor(1 * H);
  t.is(rig.node.buffer.depth, 0);
  t.is(rig.node.writeStatus, "ok");
  t.true(stored.size > before + 24 * 360 * 10 * 0.99);
  assertExactlyOnce(t, await perRom(db), stored);
  rig.node.stop();
});

test.serial("a reboot in the middle of an outage loses nothing that reached the flash buffer", async (t) => {
  const db = "reboot";
  await influxd().createDatabase(db);
  const config = testConfig([3, 2]);
  const flash = new MemoryFlash(32 * 4096);
  const first = rigFor(db, config, flash);
  const stored = new Map<Key, number>();
  collect(first, stored);
  proxy.fault = () => undefined;
  first.node.start();
  await first.platform.runFor(0.5 * H);
  proxy.fault = (req) => (req.url?.startsWith("/write") ? { status: 500, body: '{"error":"timeout"}' } : undefined);
  await first.platform.runFor(3 * H + 1234);
  const inFlash = first.node.buffer.flash?.depth ?? 0;
  t.true(inFlash > 3 * 360 * 5 * 0.99);
  t.is(first.node.buffer.ram.depth, 0, "during an outage every cycle goes to flash");
  first.node.stop(); // power cut: RAM is gone, the flash stays
  const second = rigFor(db, config, flash, Math.round(first.platform.trueWallS()) + 20, 2);
  collect(second, stored);
  t.true(second.node.buffer.depth >= inFlash, "the rebooted node finds the buffer");
  second.node.start();
  await second.platform.runFor(0.5 * H);
  proxy.fault = () => undefined;
  await second.platform.runFor(1 * H);
  t.is(second.node.buffer.depth, 0);
  assertExactlyOnce(t, await perRom(db), stored);
  second.node.stop();
});

test.serial("a partial write drops only the lines InfluxDB names, counts them, and keeps the rest", async (t) => {
  const db = "partial";
  await influxd().createDatabase(db);
  // A node_health point with an integer `firmware` makes every later node_health line a type
  // conflict: InfluxDB stores the temperatures of each batch and names the health lines.
  t.is(await influxd().write(db, `node_health,node=test-node firmware=1i ${BOOT - 60}`), 204);
  const rig = rigFor(db, testConfig([2, 2]), new MemoryFlash(16 * 4096));
  const stored = new Map<Key, number>();
  collect(rig, stored);
  proxy.fault = () => undefined;
  rig.node.start();
  await rig.platform.runFor(0.5 * H);
  t.true(rig.node.droppedBadLines >= 29, String(rig.node.droppedBadLines));
  assertExactlyOnce(t, await perRom(db), stored);
  const bus = await influxd().query("SELECT COUNT(found) FROM bus_health", db);
  t.true(bus[0].series[0].values[0][1] >= 29 * 2, "bus_health lines in the same batches were kept");
  rig.node.stop();

  // InfluxDB's own words for a parse error name the line; the writer finds it in the batch.
  const lines = ["temperature,node=a,rom=x celsius=1 1", "temperature,node=a,rom=y celsius=oops 1", "temperature,node=a,rom=z celsius=2 1"];
  const res = await fetch(`${influxd().url}/write?db=${db}&precision=s`, { method: "POST", body: lines.join("\n") });
  t.is(res.status, 400);
  t.deepEqual(badLines(await res.text(), lines), [1]);
});

test.serial("a 413 splits the batch until it fits; nothing is lost", async (t) => {
  const db = "split";
  await influxd().createDatabase(db);
  let tooLarge = 0;
  // Ten minutes without InfluxDB build a backlog, so the first batch after it is a full one.
  proxy.fault = (req) => (req.url?.startsWith("/write") ? { status: 503, body: "{}" } : undefined);
  const rig = rigFor(db, testConfig([5, 5]), new MemoryFlash(16 * 4096));
  const stored = new Map<Key, number>();
  collect(rig, stored);
  rig.node.start();
  await rig.platform.runFor(600_000);
  proxy.fault = (req, body) => (req.url?.startsWith("/write") && body.length > 2500 ? (tooLarge++, { status: 413, body: '{"error":"Request Entity Too Large"}' }) : undefined);
  await rig.platform.runFor(0.25 * H);
  t.true(tooLarge > 0);
  t.is(rig.node.buffer.depth, 0);
  assertExactlyOnce(t, await perRom(db), stored);
  rig.node.stop();
});

test.serial("Retry-After is honoured; without it the back-off grows from about a second", async (t) => {
  const db = "retry";
  await influxd().createDatabase(db);
  const rig = rigFor(db, testConfig([1, 0]), new MemoryFlash(16 * 4096));
  const attempts: { at: number; answer: number }[] = [];
  let answers = [503, 503, 500, 500, 500];
  proxy.fault = (req): Fault => {
    if (!req.url?.startsWith("/write")) return undefined;
    const status = answers.shift();
    attempts.push({ at: rig.platform.monotonicMs(), answer: status ?? 204 });
    if (status === undefined) return undefined;
    return { status, body: "{}", headers: status === 503 ? { "Retry-After": "120" } : {} };
  };
  rig.node.start();
  await rig.platform.runFor(0.5 * H);
  const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i].at);
  t.true(gaps[0] >= 120_000, `after the first 503: ${gaps[0]} ms`);
  t.true(gaps[1] >= 120_000, `after the second 503: ${gaps[1]} ms`);
  t.true(gaps[2] < 10_000 && gaps[2] >= 1_000, `after a plain 500: ${gaps[2]} ms`);
  t.true(gaps[3] > gaps[2] * 0.9, "the back-off grows");
  t.is(attempts[5].answer, 204);
  t.is(rig.node.buffer.depth, 0);
  rig.node.stop();
});

test.serial("401 and 404 keep everything, back off and report it; nothing is lost when they clear", async (t) => {
  const db = "auth";
  await influxd().createDatabase(db);
  const rig = rigFor(db, testConfig([2, 0]), new MemoryFlash(16 * 4096));
  const stored = new Map<Key, number>();
  collect(rig, stored);
  proxy.fault = (req) => (req.url?.startsWith("/write") ? { status: 401, body: '{"error":"authorization failed"}' } : undefined);
  rig.node.start();
  await rig.platform.runFor(0.5 * H);
  t.is(rig.node.writeStatus, "auth");
  t.is(rig.node.snapshot().write.status, "auth");
  proxy.fault = (req) => (req.url?.startsWith("/write") ? { status: 404, body: '{"error":"database not found: \\"auth\\""}' } : undefined);
  await rig.platform.runFor(0.5 * H);
  t.is(rig.node.writeStatus, "db_missing");
  proxy.fault = () => undefined;
  await rig.platform.runFor(0.5 * H);
  t.is(rig.node.buffer.depth, 0);
  assertExactlyOnce(t, await perRom(db), stored);
  const health = await influxd().query(`SELECT write_status FROM node_health`, db);
  const statuses = new Set(health[0].series[0].values.map((v: any[]) => v[1]));
  // Health waiting to be sent keeps only the newest few minutes: the 404 phase and the recovery.
  t.true(statuses.has("db_missing") && statuses.has("ok"), [...statuses].join(","));
  rig.node.stop();
});

test.serial("no invalid reading (85 °C power-on, −127, CRC failure, jump) ever reaches InfluxDB as a temperature", async (t) => {
  const db = "invalid";
  await influxd().createDatabase(db);
  const config = testConfig([3, 3]);
  const rig = rigFor(db, config, new MemoryFlash(16 * 4096));
  const roms = config.buses.flatMap((b) => b.sensors.map((s) => s.rom));
  const spiky = rig.sensors.get(roms[1])!;
  const base = spiky.temperature;
  let cycle = 0;
  spiky.temperature = () => (++cycle % 17 === 0 ? (base() ?? 0) + 40 : base()); // glitches of +40 K
  rig.sensors.get(roms[0])!.faults.crcRate = 0.6;
  rig.sensors.get(roms[2])!.faults.powerOnReads = 50;
  rig.sensors.get(roms[3])!.temperature = () => -127; // a DallasTemperature-style disconnected value
  rig.sensors.get(roms[4])!.temperature = () => 130; // outside the sensor's range
  proxy.fault = () => undefined;
  rig.node.start();
  await rig.platform.runFor(1 * H);
  const r = rig.node.rejected;
  t.true(r.crc > 0 && r.power_on >= 50 && r.jump > 0 && r.range > 0 && r.disconnected > 0, JSON.stringify(r));
  const bad = await influxd().query(`SELECT COUNT(celsius) FROM temperature WHERE celsius = 85 OR celsius <= -55 OR celsius > 125 OR celsius > 60`, db);
  t.is(bad[0].series, undefined, "no 85, −127, out-of-range or glitch value stored");
  const health = await influxd().query(`SELECT LAST(rejected_power_on), LAST(rejected_jump), LAST(rejected_crc) FROM node_health`, db);
  t.true(health[0].series[0].values[0][1] >= 50);
  rig.node.stop();
});
