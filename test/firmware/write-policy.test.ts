// What the node does with each kind of refusal (issue 23, items 3 and 4): it drops only what
// InfluxDB names, retries everything else with a bounded back-off and counts it, and losses
// before a reboot are still reported in node_health after it.
import test from "ava";
import { backoffMs, BACKOFF_MAX_MS, classify, RETRY_AFTER_MAX_MS } from "../../firmware/core/writer.js";
import { FakeInflux } from "../../firmware/virtual/fake-influx.js";
import { MemoryFlash } from "../../firmware/virtual/flash-double.js";
import { buildRig, type Rig } from "../../firmware/virtual/rig.js";
import { testConfig } from "./helpers.js";

const BOOT = 1_767_225_600;
const H = 3_600_000;
const HTML_400 = "<html><head><title>400 Bad Request</title></head><body><center><h1>400 Bad Request</h1></center><hr><center>nginx</center></body></html>";

function collect(rig: Rig, into: Map<string, number>) {
  rig.node.onStored = (rom, time, celsius) => into.set(`${rom} ${time}`, celsius);
}

function missing(stored: Map<string, number>, influx: FakeInflux): number {
  const written = new Set(influx.temperatures().map((p) => `${p.rom} ${p.time}`));
  let n = 0;
  for (const key of stored.keys()) if (!written.has(key)) n++;
  return n;
}

function lastHealth(influx: FakeInflux): Record<string, unknown> {
  let last: { time: number; fields: Record<string, unknown> } | undefined;
  for (const p of influx.points.values()) if (p.measurement === "node_health" && (!last || p.time > last.time)) last = p;
  if (!last) throw new Error("no node_health written");
  return last.fields;
}

test("an hour of HTML 400s from a reverse proxy drops nothing: retried with back-off, counted", async (t) => {
  const influx = new FakeInflux();
  const rig = buildRig({ config: testConfig([3, 2]), transport: influx.transport, flash: new MemoryFlash(32 * 4096), bootWallS: BOOT });
  const stored = new Map<string, number>();
  collect(rig, stored);
  let refusals = 0;
  influx.answer = (req) => (req.method === "POST" ? (refusals++, { status: 400, body: HTML_400 }) : undefined);
  rig.node.start();
  await rig.platform.runFor(1 * H);
  t.is(rig.node.writeStatus, "refused");
  t.is(rig.node.droppedBadLines, 0);
  t.true(rig.node.buffer.depth >= 360 * 5 * 0.99, `buffered ${rig.node.buffer.depth}`);
  // Bounded exponential back-off: about 1 s, 2 s, 4 s … 5 min, not one try per cycle.
  t.true(refusals >= 10 && refusals <= 30, `${refusals} tries in an hour`);
  influx.answer = () => undefined;
  await rig.platform.runFor(0.5 * H);
  t.is(rig.node.buffer.depth, 0);
  t.is(missing(stored, influx), 0, "every reading arrived");
  t.true(stored.size > 360 * 5);
  const health = lastHealth(influx);
  t.deepEqual(health.write_refused, { int: refusals });
  t.deepEqual(health.dropped_bad_lines, { int: 0 });
  rig.node.stop();
});

test("a persistent 413 splits down to one line, then backs off instead of dropping it", async (t) => {
  const influx = new FakeInflux();
  const rig = buildRig({ config: testConfig([2, 2]), transport: influx.transport, flash: new MemoryFlash(32 * 4096), bootWallS: BOOT });
  const stored = new Map<string, number>();
  collect(rig, stored);
  let tries = 0;
  const oneLine: number[] = [];
  influx.answer = (req) => {
    if (req.method !== "POST") return undefined;
    tries++;
    if (req.body!.trim().split("\n").length === 1) oneLine.push(rig.platform.monotonicMs());
    return { status: 413, body: '{"error":"Request Entity Too Large"}' };
  };
  rig.node.start();
  await rig.platform.runFor(0.5 * H);
  t.is(rig.node.writeStatus, "refused");
  t.is(rig.node.droppedBadLines, 0);
  t.true(oneLine.length >= 5, `${oneLine.length} single-line tries`);
  const gaps = oneLine.slice(1).map((at, i) => at - oneLine[i]);
  t.true(gaps.every((g) => g >= 500), `gaps ${gaps.join(", ")} ms`);
  t.true(gaps[gaps.length - 1] > gaps[0], "the back-off grows");
  t.true(tries < 60, `${tries} tries in half an hour`);
  influx.answer = () => undefined;
  await rig.platform.runFor(1 * H);
  t.is(rig.node.buffer.depth, 0);
  t.is(missing(stored, influx), 0);
  t.true((lastHealth(influx).write_refused as { int: number }).int >= 5);
  rig.node.stop();
});

test("each HTTP answer maps to its documented decision", (t) => {
  const lines = ["a x=1 1", "b x=2 1"];
  t.deepEqual(classify({ status: 400, body: HTML_400 }, lines), { kind: "retry", status: "refused" });
  t.deepEqual(classify({ status: 400, body: "" }, lines), { kind: "retry", status: "refused" });
  t.deepEqual(classify({ status: 400, body: '{"error":"something we cannot attribute"}' }, lines), { kind: "retry", status: "refused" });
  t.deepEqual(classify({ status: 400, body: '{"error":"unable to parse \'b x=2 1\': bad"}' }, lines), { kind: "partial", bad: [1] });
  t.deepEqual(classify({ status: 400, body: '{"error":"partial write: points beyond retention policy dropped=2"}' }, lines), { kind: "stored", dropped: 2 });
  t.deepEqual(classify({ status: 413, body: "" }, lines), { kind: "split" });
  t.deepEqual(classify({ status: 413, body: "" }, ["a x=1 1"]), { kind: "retry", status: "refused" });
  t.deepEqual(classify({ status: 429, body: "", retryAfter: "7" }, lines), { kind: "retry", status: "server", retryAfterS: 7 });
  t.deepEqual(classify({ status: 408, body: "" }, lines), { kind: "retry", status: "server", retryAfterS: undefined });
  t.deepEqual(classify({ status: 502, body: "<html>bad gateway</html>" }, lines), { kind: "retry", status: "server", retryAfterS: undefined });
  t.deepEqual(classify({ status: 418, body: "" }, lines), { kind: "retry", status: "refused", retryAfterS: undefined });
  t.deepEqual(classify({ status: 0, body: "", error: "timeout" }, lines), { kind: "retry", status: "network", retryAfterS: undefined });
  // Bounded: the cap holds for any attempt and any jitter, and a huge Retry-After is capped too.
  for (const attempt of [0, 5, 30, 1000]) for (const r of [0, 0.5, 0.999]) t.true(backoffMs({ kind: "retry", status: "refused" }, attempt, r) <= BACKOFF_MAX_MS);
  t.is(backoffMs({ kind: "retry", status: "server", retryAfterS: 86_400 }, 0, 0), RETRY_AFTER_MAX_MS);
  // The jitter comes from the caller's random source: same input, same wait.
  t.is(backoffMs({ kind: "retry", status: "server" }, 3, 0.25), backoffMs({ kind: "retry", status: "server" }, 3, 0.25));
});

test("a reboot in the middle of an outage that overflows the flash ring: every lost reading is reported in node_health", async (t) => {
  const influx = new FakeInflux();
  const config = testConfig([3, 2]); // 5 sensors every 10 s: 1 800 readings an hour
  const flash = new MemoryFlash(4 * 4096); // 3 data sectors: 2 040 readings
  const stored = new Map<string, number>();
  const first = buildRig({ config, transport: influx.transport, flash, bootWallS: BOOT, seed: 1 });
  collect(first, stored);
  first.node.start();
  await first.platform.runFor(0.25 * H);
  influx.answer = (req) => (req.method === "POST" ? { status: 503, body: '{"error":"down"}' } : undefined);
  await first.platform.runFor(2 * H);
  const lostBeforeReboot = first.node.dropped;
  t.true(lostBeforeReboot >= 680, `${lostBeforeReboot} lost before the reboot`);
  first.node.stop(); // power cut: RAM, and the health lines queued in it, are gone
  const second = buildRig({ config, transport: influx.transport, flash, bootWallS: Math.round(first.platform.trueWallS()) + 20, seed: 2 });
  collect(second, stored);
  t.is(second.node.dropped, lostBeforeReboot, "the rebooted node remembers the losses");
  second.node.start();
  await second.platform.runFor(1 * H);
  influx.answer = () => undefined;
  await second.platform.runFor(1 * H);
  t.is(second.node.buffer.depth, 0);
  const lost = missing(stored, influx);
  t.true(lost > lostBeforeReboot, `${lost} lost in all`);
  t.deepEqual(lastHealth(influx).dropped, { int: lost }, "node_health accounts for every reading that never arrived");
  second.node.stop();
});

test("the loss counters survive a torn write and a full log (block 0 compaction keeps the sensor table)", async (t) => {
  const { FlashRing } = await import("../../firmware/core/flash-ring.js");
  const flash = new MemoryFlash(4 * 4096);
  const ring = new FlashRing(flash);
  const rom = new Uint8Array([0x28, 1, 2, 3, 4, 5, 6, 0x99]);
  ring.appendTable(0, rom, 1);
  // While readings wait in the ring, a full log is not compacted (the table must not be at risk).
  ring.append([{ time: 1000, sensor: 0, raw: 320 }]);
  let saved = 0;
  for (let i = 1; i <= 200; i++) if (ring.saveCounters({ lost: i, badLines: i * 2 })) saved = i;
  t.true(saved > 100 && saved < 200, `${saved} records fit`);
  t.deepEqual(new FlashRing(flash).loadCounters(), { lost: saved, badLines: saved * 2 });
  ring.consume(1);
  for (let i = 201; i <= 400; i++) t.true(ring.saveCounters({ lost: i, badLines: i * 2 }));
  let again = new FlashRing(flash);
  t.deepEqual(again.loadCounters(), { lost: 400, badLines: 800 });
  t.deepEqual(again.readTable(), [{ rom, bus: 1 }], "the table is written back after the log was compacted");
  flash.cutAfter = 5; // power fails in the middle of the next counter record
  t.throws(() => again.saveCounters({ lost: 401, badLines: 800 }));
  flash.cutAfter = undefined;
  again = new FlashRing(flash);
  t.deepEqual(again.loadCounters(), { lost: 400, badLines: 800 }, "a torn record is skipped; the one before it stands");
  again.saveCounters({ lost: 402, badLines: 801 });
  t.deepEqual(new FlashRing(flash).loadCounters(), { lost: 402, badLines: 801 });
});
