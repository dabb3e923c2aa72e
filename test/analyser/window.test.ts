import test from "ava";
import { DateTime } from "luxon";
import { dailyWindow } from "../../analyser/measurement/window.js";

const berlin = (iso: string) => DateTime.fromISO(iso, { zone: "Europe/Berlin" }).toSeconds();

test("an ordinary day is 24 h, ending at the minute of now", (t) => {
  const w = dailyWindow("Europe/Berlin", berlin("2026-01-15T06:30:42"), 24);
  t.is(w.end - w.start, 24 * 3600);
  t.is(w.end_local, "2026-01-15T06:30:00+01:00");
  t.is(w.start_local, "2026-01-14T06:30:00+01:00");
});

test("the night the clocks go back (last Sunday of October) gives a 25 h window", (t) => {
  // The run on Sunday 25 Oct 06:30 looks back over the night of 03:00 → 02:00.
  const w = dailyWindow("Europe/Berlin", berlin("2026-10-25T06:30:00"), 24);
  t.is(w.end - w.start, 25 * 3600);
  t.is(w.start_local, "2026-10-24T06:30:00+02:00");
  t.is(w.end_local, "2026-10-25T06:30:00+01:00");
});

test("the night the clocks go forward (last Sunday of March) gives a 23 h window", (t) => {
  const w = dailyWindow("Europe/Berlin", berlin("2026-03-29T06:30:00"), 24);
  t.is(w.end - w.start, 23 * 3600);
  t.is(w.start_local, "2026-03-28T06:30:00+01:00");
  t.is(w.end_local, "2026-03-29T06:30:00+02:00");
  // The day after is an ordinary 24 h again.
  const next = dailyWindow("Europe/Berlin", berlin("2026-03-30T06:30:00"), 24);
  t.is(next.end - next.start, 24 * 3600);
});

test("a window that starts before the change and ends after it keeps the wall clock", (t) => {
  const w = dailyWindow("Europe/Berlin", berlin("2026-10-25T12:00:00"), 48);
  t.is(w.end - w.start, 49 * 3600);
  t.is(w.start_local, "2026-10-23T12:00:00+02:00");
});

test("hours beyond whole days are real hours", (t) => {
  const w = dailyWindow("UTC", 1_800_000_000, 30);
  t.is(w.end - w.start, 30 * 3600);
});

test("an unknown time zone is a usage error", (t) => {
  t.throws(() => dailyWindow("Mars/Olympus", 1_800_000_000, 24), { message: /time zone "Mars\/Olympus" is unknown/ });
});
