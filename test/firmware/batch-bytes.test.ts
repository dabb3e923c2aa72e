// A POST body is capped in bytes, not only in lines: the ESP32 holds a batch in RAM and its TCP
// send buffer is 8 KB, so an outage's backlog must go out in pieces below the cap, none lost.
import test from "ava";
import fc from "fast-check";
import type { HttpRequest, HttpResponse } from "../../firmware/core/platform.js";
import { DEFAULT_OPTIONS } from "../../firmware/core/node.js";
import { utf8, utf8Length } from "../../firmware/core/writer.js";
import { FakeInflux } from "../../firmware/virtual/fake-influx.js";
import { MemoryFlash } from "../../firmware/virtual/flash-double.js";
import { buildRig } from "../../firmware/virtual/rig.js";
import { testConfig } from "./helpers.js";

function recordingInflux() {
  const influx = new FakeInflux();
  const bodies: string[] = [];
  const transport = (req: HttpRequest, done: (r: HttpResponse) => void) => {
    if (req.method === "POST") bodies.push(req.body ?? "");
    influx.transport(req, done);
  };
  return { influx, bodies, transport };
}

async function outageBacklog(nodeOptions: { batchBytes?: number; batchLines?: number } = {}) {
  const { influx, bodies, transport } = recordingInflux();
  // Two full buses (8 + 5 circuits' worth), health every cycle: a 10-minute outage leaves ~800 lines.
  const rig = buildRig({ config: testConfig([8, 5]), transport, flash: new MemoryFlash(16 * 4096), nodeOptions: { healthEveryS: 10, ...nodeOptions } });
  const stored = new Set<string>();
  rig.node.onStored = (rom, time) => stored.add(rom + time);
  rig.node.start();
  await rig.platform.runFor(60_000);
  rig.platform.wifiUp = false;
  await rig.platform.runFor(10 * 60_000);
  const backlog = rig.node.buffer.depth;
  rig.platform.wifiUp = true;
  await rig.platform.runFor(3 * 60_000);
  return { influx, bodies, rig, stored, backlog };
}

test("the default cap keeps every POST body at or below 6 KB, and an outage backlog still arrives whole", async (t) => {
  t.is(DEFAULT_OPTIONS.batchBytes, 6 * 1024);
  const { influx, bodies, rig, stored, backlog } = await outageBacklog();
  t.true(backlog > 600, `backlog ${backlog}`);
  const sizes = bodies.map((b) => Buffer.byteLength(b));
  t.true(Math.max(...sizes) <= 6 * 1024, `largest body ${Math.max(...sizes)} B`);
  // The cap, not the 100-line limit, is what split the backlog: 100 lines would be ~9.5 KB.
  t.true(Math.max(...sizes) > 5 * 1024, `largest body ${Math.max(...sizes)} B`);
  t.is(rig.node.buffer.depth, 0);
  t.is(influx.temperatures().length, stored.size);
  t.is(rig.node.dropped, 0);
});

test("a smaller configured cap is honoured too; health still rides along", async (t) => {
  const { influx, bodies, rig, stored } = await outageBacklog({ batchBytes: 1500 });
  const sizes = bodies.map((b) => Buffer.byteLength(b));
  t.true(Math.max(...sizes) <= 1500, `largest body ${Math.max(...sizes)} B`);
  t.true(bodies.every((b) => b.length > 0 && b.endsWith("\n")));
  t.is(rig.node.buffer.depth, 0);
  t.is(influx.temperatures().length, stored.size);
  t.true([...influx.points.values()].some((p) => p.measurement === "node_health"));
});

test("a cap below one line still sends one line per POST (progress beats the cap)", async (t) => {
  const { influx, bodies, rig, stored } = await outageBacklog({ batchBytes: 10 });
  t.true(bodies.length > 0);
  t.true(bodies.every((b) => b.split("\n").filter(Boolean).length === 1));
  t.is(rig.node.buffer.depth, 0);
  t.is(influx.temperatures().length, stored.size);
});

test("utf8Length counts what utf8 writes, which is what Node writes", (t) => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), fc.integer({ min: 0, max: 3 }), (text, k) => {
      // A lone high surrogate in the middle too (fast-check rarely makes one).
      const s = text.slice(0, k) + "\ud83c" + text.slice(k);
      t.is(utf8Length(s), utf8(s).length);
      t.is(utf8Length(text), utf8(text).length);
      if (!/[\ud800-\udfff]/.test(text)) t.deepEqual(Buffer.from(utf8(text)), Buffer.from(text, "utf8"));
    }),
  );
  t.is(utf8Length("28-0316a2794aff"), 15);
  t.is(utf8Length("Küche ✓ 🌡"), Buffer.byteLength("Küche ✓ 🌡"));
  t.deepEqual(Buffer.from(utf8("Küche ✓ 🌡")), Buffer.from("Küche ✓ 🌡"));
});

test("offline, only the newest four health snapshots wait (the XS host run B: 8 cycles, 9 s offline → 6 node_health)", async (t) => {
  const influx = new FakeInflux();
  const boot = 1_767_225_600;
  const rig = buildRig({ config: testConfig([3, 2], { interval_s: 2 }), transport: influx.transport, bootWallS: boot, nodeOptions: { healthEveryS: 1 } });
  rig.platform.wifiUp = false;
  rig.node.start();
  await rig.platform.runFor(9_000);
  rig.platform.wifiUp = true;
  // Cycles read at ~0.8, 2.8 … 14.8 s: five while offline, the sixth queues its health before the
  // first flush, so the queue held six snapshots and kept the newest four (a snapshot carries
  // cumulative counters: older ones add nothing the newest lacks). Readings lose nothing.
  await rig.platform.runFor(6_500);
  t.is(rig.node.cycles, 8);
  const health = [...influx.points.values()].filter((p) => p.measurement === "node_health").map((p) => p.time).sort((a, b) => a - b);
  t.is(health.length, 6);
  // Stamped to the second: the snapshots of 0.8 and 2.8 s (t = 1, 3) were the ones let go.
  t.deepEqual(health.map((s) => s - boot), [5, 7, 9, 11, 13, 15]);
  t.is([...influx.points.values()].filter((p) => p.measurement === "bus_health").length, 12);
  t.is(influx.temperatures().length, 8 * 5);
});
