import test from "ava";
import { heldAt, heldMean, hourly } from "../../analyser/rooms/held.js";

const H = 3600;
// HA writes on change only: 20.0 at 0 h, 20.4 at 2 h, then silence.
const samples = [
  { time: 0, value: 20.0 },
  { time: 2 * H, value: 20.4 },
];

test("a value holds until the next change, with the sensor's offset, and turns stale after the silence", (t) => {
  t.is(heldAt(samples, -1, 6 * H), undefined);
  t.deepEqual(heldAt(samples, 1 * H, 6 * H, -0.2), { celsius: 19.8, since: 0, age_s: H, stale: false });
  t.is(heldAt(samples, 7 * H, 6 * H)!.celsius, 20.4);
  t.false(heldAt(samples, 8 * H, 6 * H)!.stale);
  t.true(heldAt(samples, 8 * H + 1, 6 * H)!.stale);
});

test("the mean weights each value by how long it held, not by how many points carry it", (t) => {
  const m = heldMean(samples, 0, 4 * H, 6 * H)!;
  t.is(Math.round(m.celsius * 100) / 100, 20.2);
  t.is(m.coverage, 1);
  // After 2 h + 6 h the last value is stale: a 0–12 h window is covered for 8 h only.
  const long = heldMean(samples, 0, 12 * H, 6 * H)!;
  t.is(Math.round(long.coverage * 1000) / 1000, 0.667);
  t.is(Math.round(long.celsius * 100) / 100, 20.3);
  t.is(heldMean(samples, 9 * H, 12 * H, 6 * H), undefined, "nothing fresh in the window");
  // A value written before the window carries into it.
  t.is(heldMean(samples, 3 * H, 4 * H, 6 * H)!.celsius, 20.4);
});

test("hourly values are NaN where the sensor was silent too long", (t) => {
  const h = hourly(samples, 0, 10 * H, 6 * H);
  t.is(h.length, 10);
  t.is(h[0], 20);
  t.is(h[5], 20.4);
  t.true(Number.isNaN(h[9]));
});
