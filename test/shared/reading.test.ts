import test from "ava";
import fc from "fast-check";
import { decodeScratchpad, DEFAULT_POLICY, encodeScratchpad, judgeReading } from "../../shared/reading.js";

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

test("a first reading is checked against the value kept in flash and the bus's other sensors", (t) => {
  const P = DEFAULT_POLICY;
  // +60 K after a 20 s reboot: more than 5 K + 1 K/s × 20 s from the value in flash.
  t.deepEqual(judgeReading(90, 100, undefined, P, { stored: { celsius: 30, time: 80 } }), { ok: false, reason: "jump" });
  t.deepEqual(judgeReading(31, 100, undefined, P, { stored: { celsius: 30, time: 80 } }), { ok: true, celsius: 31 });
  // +60 K above the median of its neighbours (one of them a glitch too: the median ignores it).
  t.deepEqual(judgeReading(90, 100, undefined, P, { neighbours: [28, 30, 95] }), { ok: false, reason: "jump" });
  t.deepEqual(judgeReading(55, 100, undefined, P, { neighbours: [20, 25, 30] }), { ok: true, celsius: 55 });
  // The next reading consistent with a rejected first one confirms it: a real outlier is not rejected forever.
  t.deepEqual(judgeReading(90.5, 110, undefined, P, { neighbours: [28, 30], candidate: { celsius: 90, time: 100 } }), { ok: true, celsius: 90.5 });
  t.deepEqual(judgeReading(30, 110, undefined, P, { neighbours: [28, 30], candidate: { celsius: 90, time: 100 } }), { ok: true, celsius: 30 });
  // Nothing to check against: accepted, as before; a recent previous reading takes precedence.
  t.deepEqual(judgeReading(90, 100, undefined, P, {}), { ok: true, celsius: 90 });
  t.deepEqual(judgeReading(31, 100, { celsius: 30, time: 90 }, P, { neighbours: [90, 91] }), { ok: true, celsius: 31 });
});
