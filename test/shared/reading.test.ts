import test from "ava";
import fc from "fast-check";
import { decodeScratchpad, encodeScratchpad, judgeReading } from "../../shared/reading.js";

test("a scratchpad round-trips every representable temperature at 12 bit", (t) => {
  fc.assert(
    fc.property(fc.integer({ min: -55 * 16, max: 125 * 16 }), (sixteenths) => {
      const celsius = sixteenths / 16;
      const decoded = decodeScratchpad(encodeScratchpad(celsius));
      return decoded.ok && decoded.celsius === celsius;
    }),
  );
  t.pass();
});

test("corrupt, all-ones and all-zero scratchpads are rejected with their reason", (t) => {
  const pad = encodeScratchpad(31.5);
  pad[0] ^= 0x04;
  t.deepEqual(decodeScratchpad(pad), { ok: false, reason: "crc" });
  t.deepEqual(decodeScratchpad(new Uint8Array(9).fill(0xff)), { ok: false, reason: "disconnected" });
  t.deepEqual(decodeScratchpad(new Uint8Array(9)), { ok: false, reason: "disconnected" });
  t.deepEqual(decodeScratchpad(new Uint8Array(3)), { ok: false, reason: "crc" });
});

test("85 °C is believed only after a reading near 85 °C", (t) => {
  t.deepEqual(judgeReading(85, 100, undefined), { ok: false, reason: "power_on" });
  t.deepEqual(judgeReading(85, 100, { celsius: 30, time: 90 }), { ok: false, reason: "power_on" });
  t.deepEqual(judgeReading(85, 100, { celsius: 84.5, time: 90 }), { ok: true, celsius: 85 });
  t.deepEqual(judgeReading(85.0625, 100, undefined), { ok: true, celsius: 85.0625 });
});

test("−127, NaN, out-of-range values and implausible jumps are rejected", (t) => {
  t.deepEqual(judgeReading(-127, 1, undefined), { ok: false, reason: "disconnected" });
  t.deepEqual(judgeReading(NaN, 1, undefined), { ok: false, reason: "disconnected" });
  t.deepEqual(judgeReading(126, 1, undefined), { ok: false, reason: "range" });
  t.deepEqual(judgeReading(-56, 1, undefined), { ok: false, reason: "range" });
  t.deepEqual(judgeReading(60, 110, { celsius: 30, time: 100 }), { ok: false, reason: "jump" });
  // A hot front: +12 K within a minute is physical.
  t.deepEqual(judgeReading(42, 160, { celsius: 30, time: 100 }), { ok: true, celsius: 42 });
  // An old previous reading does not block a legitimate change after a long gap.
  t.deepEqual(judgeReading(60, 5000, { celsius: 30, time: 100 }), { ok: true, celsius: 60 });
});
