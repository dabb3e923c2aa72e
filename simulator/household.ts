// A household's hot-water day for the circulation controller: people walk into the bathroom
// (motion detector), the guest WC (door contact) and the kitchen (no sensor), and open taps.
// Weekdays and weekends differ; a holiday week has nobody at home. Times are the site's local
// time (luxon, DST-safe); every random choice comes from the seeded Rng.

import { DateTime } from "luxon";
import { Rng } from "./rng.js";

export type HouseholdEventKind = "motion" | "door" | "draw";

export interface HouseholdEvent {
  /** UTC seconds. */
  t: number;
  kind: HouseholdEventKind;
  /** Draws: tap flow, l/min, and how long it stays open, s. */
  lpm?: number;
  durationS?: number;
  /** What the draw is for, for the figures. */
  what?: string;
}

export interface HouseholdOptions {
  /** First local day (YYYY-MM-DD). */
  from: string;
  days: number;
  zone: string;
  seed: number;
  /** Days (0-based from `from`) nobody is at home. */
  holidayDays?: [number, number];
}

/** A person at a wash basin or shower: motion first, the tap 20–90 s later. */
function bathroom(out: HouseholdEvent[], rng: Rng, t: number, shower: boolean): void {
  out.push({ t, kind: "motion" });
  const open = t + rng.int(20, 90);
  out.push({ t: open, kind: "draw", lpm: shower ? 8 : 5, durationS: shower ? rng.int(240, 480) : rng.int(30, 120), what: shower ? "shower" : "basin" });
}

function guestWc(out: HouseholdEvent[], rng: Rng, t: number): void {
  out.push({ t, kind: "door" });
  out.push({ t: t + rng.int(60, 180), kind: "draw", lpm: 4, durationS: rng.int(15, 40), what: "hands" });
}

function kitchen(out: HouseholdEvent[], rng: Rng, t: number): void {
  out.push({ t, kind: "draw", lpm: 6, durationS: rng.int(30, 150), what: "kitchen" });
}

export function household(o: HouseholdOptions): HouseholdEvent[] {
  const rng = new Rng(o.seed, "household");
  const out: HouseholdEvent[] = [];
  const first = DateTime.fromISO(o.from, { zone: o.zone }).startOf("day");
  for (let d = 0; d < o.days; d++) {
    if (o.holidayDays && d >= o.holidayDays[0] && d <= o.holidayDays[1]) continue;
    const day = first.plus({ days: d });
    const weekend = day.weekday >= 6;
    const at = (hour: number, sdMin: number): number => {
      const minutes = hour * 60 + rng.normal() * sdMin;
      return Math.round(day.plus({ minutes: Math.max(5 * 60 + 5, Math.min(22 * 60 + 50, minutes)) }).toSeconds());
    };
    // Morning: two people, showers on most days.
    const wake = weekend ? 8.5 : 6.5;
    bathroom(out, rng, at(wake, weekend ? 25 : 10), rng.chance(0.8));
    bathroom(out, rng, at(wake + 0.4, weekend ? 25 : 10), rng.chance(0.6));
    kitchen(out, rng, at(wake + 0.7, 10));
    if (weekend) kitchen(out, rng, at(12.5, 20));
    // Evening: cooking and dishes, then the bathroom.
    kitchen(out, rng, at(18.5, 15));
    kitchen(out, rng, at(19.5, 15));
    bathroom(out, rng, at(21.75, 15), false);
    bathroom(out, rng, at(22.0, 15), false);
    // The guest WC and stray visits, any time of the day.
    const visits = rng.int(2, weekend ? 6 : 4);
    for (let i = 0; i < visits; i++) guestWc(out, rng, Math.round(day.plus({ minutes: rng.range(7 * 60, 22 * 60) }).toSeconds()));
    if (rng.chance(0.5)) bathroom(out, rng, Math.round(day.plus({ minutes: rng.range(9 * 60, 20 * 60) }).toSeconds()), false);
  }
  return out.sort((a, b) => a.t - b.t);
}
