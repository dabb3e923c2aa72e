import test from "ava";
import fc from "fast-check";
import { ReadingBuffer } from "../../firmware/core/buffer.js";
import { FlashRing, type Reading } from "../../firmware/core/flash-ring.js";
import { RamRing } from "../../firmware/core/ram-ring.js";
import { decodeRecord, encodeRecord, RECORD_BYTES } from "../../firmware/core/record.js";
import { MemoryFlash, PowerLoss } from "../../firmware/virtual/flash-double.js";

const T0 = 1_700_000_000;

function readings(n: number, start = T0, step = 10): Reading[] {
  return Array.from({ length: n }, (_, i) => ({ time: start + i * step, sensor: i % 7, raw: (i % 500) - 100 }));
}

test("a record is 6 bytes, exact to 1/16 K, and a torn one is recognised", (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 254 }), fc.integer({ min: -880, max: 2000 }), (dt, sensor, raw) => {
      const b = new Uint8Array(RECORD_BYTES);
      encodeRecord(b, 0, dt, sensor, raw);
      const d = decodeRecord(b, 0);
      return d.kind === "ok" && d.dt === dt && d.sensor === sensor && d.raw === raw;
    }),
  );
  const b = new Uint8Array(RECORD_BYTES).fill(0xff);
  t.is(decodeRecord(b, 0).kind, "empty");
  b[0] = 0x12; // only the first byte landed before power failed
  t.is(decodeRecord(b, 0).kind, "torn");
});

test("the flash ring replays oldest-first across sectors and survives a reboot", (t) => {
  const flash = new MemoryFlash(16 * 4096);
  const ring = new FlashRing(flash);
  const input = readings(2000);
  ring.append(input.slice(0, 1500));
  ring.append(input.slice(1500));
  t.is(ring.depth, 2000);
  const rebooted = new FlashRing(flash);
  t.is(rebooted.depth, 2000);
  const out: Reading[] = [];
  rebooted.peek(2000, out);
  t.deepEqual(out, input);
  rebooted.consume(700);
  const again = new FlashRing(flash);
  // Consumption is per sector: a reboot replays the partly sent oldest sector from its start.
  t.is(again.depth, 2000 - again.slotsPerSector);
  const rest: Reading[] = [];
  again.peek(5000, rest);
  t.deepEqual(rest, input.slice(again.slotsPerSector));
});

test("when full, the ring drops the oldest sector and counts it", (t) => {
  const flash = new MemoryFlash(4 * 4096); // table + 3 data sectors
  const ring = new FlashRing(flash);
  const input = readings(ring.capacity + 100);
  ring.append(input);
  t.is(ring.dropped, ring.slotsPerSector);
  t.is(ring.depth, input.length - ring.slotsPerSector);
  const out: Reading[] = [];
  ring.peek(1e6, out);
  t.deepEqual(out[0], input[ring.slotsPerSector]);
  t.deepEqual(out[out.length - 1], input[input.length - 1]);
});

test("power loss in the middle of a write loses at most the reading being written", (t) => {
  for (const cut of [0, 3, 6 * 10 + 2, 6 * 700, 6 * 700 + 5]) {
    const flash = new MemoryFlash(8 * 4096);
    const ring = new FlashRing(flash);
    const input = readings(1500);
    ring.append(input.slice(0, 100));
    flash.cutAfter = cut;
    t.throws(() => ring.append(input.slice(100)), { instanceOf: PowerLoss });
    flash.cutAfter = undefined;
    const after = new FlashRing(flash);
    const out: Reading[] = [];
    after.peek(1e6, out);
    const good = out.filter((r) => r.sensor >= 0);
    // Everything before the cut is intact and in order; at most one torn record.
    t.deepEqual(good, input.slice(0, good.length), `cut ${cut}`);
    t.true(good.length >= 100 + Math.floor(Math.max(0, cut - 12 * Math.ceil(cut / 4096)) / 6) - 2, `cut ${cut}: ${good.length}`);
    t.true(out.length - good.length <= 1);
    // And the ring keeps appending after the damage.
    after.append(readings(5, T0 + 100_000));
    const all: Reading[] = [];
    after.peek(1e6, all);
    t.deepEqual(all.slice(-5), readings(5, T0 + 100_000));
  }
});

test("a time step backwards or beyond 18 h starts a new sector instead of corrupting dt", (t) => {
  const ring = new FlashRing(new MemoryFlash(8 * 4096));
  const input = [...readings(3), ...readings(3, T0 - 5000), ...readings(3, T0 + 200_000)];
  ring.append(input);
  const out: Reading[] = [];
  ring.peek(100, out);
  t.deepEqual(out, input);
});

test("RAM in front of flash: oldest-first, spill keeps order, without flash a full RAM drops the oldest", (t) => {
  const buf = new ReadingBuffer(new RamRing(50), new FlashRing(new MemoryFlash(8 * 4096)));
  const input = readings(300);
  for (const r of input) buf.push(r.time, r.sensor, r.raw);
  t.is(buf.depth, 300);
  t.is(buf.dropped, 0);
  t.deepEqual(buf.peek(1000), input);
  buf.consume(120);
  t.deepEqual(buf.peek(1000), input.slice(120));
  buf.spill();
  t.deepEqual(buf.peek(1000), input.slice(120));

  const ramOnly = new ReadingBuffer(new RamRing(50), null);
  for (const r of input) ramOnly.push(r.time, r.sensor, r.raw);
  t.is(ramOnly.dropped, 250);
  t.deepEqual(ramOnly.peek(1000), input.slice(250));
});
