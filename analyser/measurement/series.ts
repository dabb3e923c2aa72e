// Per-minute means: the analyser's only input shape. Every source (line-protocol file,
// InfluxDB) reduces raw readings to this, so the analysis never sees the 10 s raw data.

import type { NodeStatus } from "./result.js";

export interface MinuteSeries {
  /** Unix s, minute-aligned (UTC). */
  start: number;
  /** Length of every array. */
  minutes: number;
  /** Canonical ROM → per-minute mean °C, NaN where missing. */
  byRom: Map<string, Float64Array>;
  /** From node_health. */
  nodes?: NodeStatus[];
  unknownRoms?: { rom: string; node: string; bus: string; last_seen: number }[];
  signals?: { outdoor_c?: Float64Array; heat_pump_heating?: Uint8Array /* 1 heating, 0 not, 255 unknown */ };
  /** Where each ROM was last heard (node, bus) and when (Unix s). Additive to the contract. */
  seen?: Map<string, { node: string; bus: string; last_seen: number }>;
}

export const MINUTE = 60;

/** The minute grid of a window: start floored, end ceiled to whole minutes. */
export function minuteGrid(window: { start: number; end: number }): { start: number; minutes: number } {
  const start = Math.floor(window.start / MINUTE) * MINUTE;
  const end = Math.ceil(window.end / MINUTE) * MINUTE;
  return { start, minutes: Math.max(0, (end - start) / MINUTE) };
}

/** Sums and counts per key and minute; `means()` turns them into NaN-for-missing arrays. */
export class MinuteMeans {
  private readonly sums = new Map<string, Float64Array>();
  private readonly counts = new Map<string, Uint16Array>();
  constructor(
    readonly start: number,
    readonly minutes: number,
  ) {}

  /** Add one value at Unix time `time`; ignored outside the grid. */
  add(key: string, time: number, value: number): void {
    const i = Math.floor((time - this.start) / MINUTE);
    if (i < 0 || i >= this.minutes || !Number.isFinite(value)) return;
    this.addAt(key, i, value);
  }

  addAt(key: string, i: number, value: number): void {
    let sum = this.sums.get(key);
    let count = this.counts.get(key);
    if (!sum || !count) {
      sum = new Float64Array(this.minutes);
      count = new Uint16Array(this.minutes);
      this.sums.set(key, sum);
      this.counts.set(key, count);
    }
    sum[i] += value;
    count[i]++;
  }

  means(): Map<string, Float64Array> {
    const out = new Map<string, Float64Array>();
    for (const [key, sum] of this.sums) {
      const count = this.counts.get(key)!;
      const mean = new Float64Array(this.minutes);
      for (let i = 0; i < this.minutes; i++) mean[i] = count[i] > 0 ? sum[i] / count[i] : NaN;
      out.set(key, mean);
    }
    return out;
  }
}

/** Per-minute heating flag from a state signal's values: 1 heating, 0 not, 255 unknown (forward-filled). */
export function stateToHeating(minutes: number, points: { index: number; heating: boolean }[], holdMinutes = 24 * 60): Uint8Array {
  const out = new Uint8Array(minutes).fill(255);
  const sorted = [...points].sort((a, b) => a.index - b.index);
  let k = 0;
  let last: { index: number; heating: boolean } | undefined;
  for (let i = 0; i < minutes; i++) {
    while (k < sorted.length && sorted[k].index <= i) last = sorted[k++];
    // A state logger writes on change (Home Assistant) or periodically; hold the last value.
    if (last && i - last.index <= holdMinutes) out[i] = last.heating ? 1 : 0;
  }
  return out;
}
