// When is hot water wanted? A 7 × 48 matrix of half-hours (Monday 00:00 first) with decaying
// weights, as esphome-hotcirc keeps it: +40 when hot water is wanted in a half-hour (once per
// half-hour and day, so a busy bathroom does not count ten times), ×0.98 at every local midnight.
// A weekly habit settles near 40 / (1 − 0.98^7) ≈ 300; a one-off fades below any useful
// threshold within days. Portable: no Node or Moddable imports.

import type { LocalTime } from "./local-time.js";

export const SLOTS_PER_DAY = 48;
export const SLOTS = 7 * SLOTS_PER_DAY;
export const DEMAND_GAIN = 40;
export const DAILY_DECAY = 0.98;
/** Weights never grow past this (a slot used every day of a long life stays comparable). */
export const MAX_WEIGHT = 1000;

export function slotOf(t: LocalTime): number {
  return t.weekday * SLOTS_PER_DAY + Math.floor(t.minute / 30);
}

/** The slot `aheadMin` minutes after `t` (wrapping into the next day and week). */
export function slotAhead(t: LocalTime, aheadMin: number): number {
  const week = 7 * 1440;
  const m = (((t.weekday * 1440 + t.minute + aheadMin) % week) + week) % week;
  return Math.floor(m / 30);
}

export class DemandMatrix {
  readonly weights: number[];
  private day: number | undefined;
  private marked: number[] = [];

  constructor(weights?: readonly number[]) {
    this.weights = [];
    for (let i = 0; i < SLOTS; i++) this.weights.push(weights && i < weights.length ? weights[i] : 0);
  }

  /** Apply the daily decay for every local midnight passed since the last call. */
  roll(day: number): void {
    if (this.day === undefined) this.day = day;
    // Bounded: after two months every weight is ×0.3 anyway; more would only cost time.
    let n = Math.min(60, day - this.day);
    if (n > 0) {
      this.marked = [];
      let f = 1;
      while (n-- > 0) f *= DAILY_DECAY;
      for (let i = 0; i < SLOTS; i++) this.weights[i] *= f;
    }
    if (day > this.day) this.day = day;
  }

  /** Hot water was wanted at `t`. Returns whether the weight grew (false: already counted today). */
  record(t: LocalTime): boolean {
    this.roll(t.day);
    const slot = slotOf(t);
    if (this.marked.indexOf(slot) >= 0) return false;
    this.marked.push(slot);
    this.weights[slot] = Math.min(MAX_WEIGHT, this.weights[slot] + DEMAND_GAIN);
    return true;
  }

  weight(slot: number): number {
    return this.weights[slot];
  }

  /** A usual time now, or one starting within `leadMin` minutes. */
  usual(t: LocalTime, leadMin: number, threshold: number): boolean {
    return this.weights[slotOf(t)] >= threshold || this.weights[slotAhead(t, leadMin)] >= threshold;
  }
}
