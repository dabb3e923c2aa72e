// A room thermometer that reports on change (Home Assistant writes a value only when it changes;
// a BLE thermometer through the nodes once a minute): the value holds until the next one, and a
// value older than the source's usual silence is stale. Pure.

export interface Sample {
  /** Seconds since the epoch, UTC. */
  time: number;
  value: number;
}

export interface Held {
  /** The held value with the sensor's offset applied, °C. */
  celsius: number;
  /** When it was written. */
  since: number;
  /** Seconds since it was written. */
  age_s: number;
  stale: boolean;
}

/** The value held at `t` (samples sorted by time), or undefined before the first. */
export function heldAt(samples: readonly Sample[], t: number, staleAfterS: number, offsetK = 0): Held | undefined {
  let lo = 0;
  let hi = samples.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid].time <= t) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (at < 0) return undefined;
  const s = samples[at];
  const age = t - s.time;
  return { celsius: s.value + offsetK, since: s.time, age_s: age, stale: age > staleAfterS };
}

export interface HeldMean {
  /** Time-weighted mean of the held value over the fresh part of the window, °C (offset applied). */
  celsius: number;
  /** Share of the window covered by fresh (not stale) values, 0…1. */
  coverage: number;
  min: number;
  max: number;
}

/**
 * The time-weighted mean over [start, end) of the held value: a value held for 3 h counts 3 h,
 * however few points carry it. Time after a value went stale (no change for `staleAfterS`) counts
 * for nothing. Undefined when no fresh value covers any of the window.
 */
export function heldMean(samples: readonly Sample[], start: number, end: number, staleAfterS: number, offsetK = 0): HeldMean | undefined {
  let weighted = 0;
  let covered = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    const next = i + 1 < samples.length ? samples[i + 1].time : Infinity;
    const from = Math.max(start, s.time);
    const to = Math.min(end, next, s.time + staleAfterS);
    if (to <= from) continue;
    weighted += s.value * (to - from);
    covered += to - from;
    min = Math.min(min, s.value);
    max = Math.max(max, s.value);
  }
  if (covered <= 0) return undefined;
  return { celsius: weighted / covered + offsetK, coverage: covered / (end - start), min: min + offsetK, max: max + offsetK };
}

/** Hourly held values over [start, end): the series the response fit reads (NaN where stale or before the first). */
export function hourly(samples: readonly Sample[], start: number, end: number, staleAfterS: number, offsetK = 0): number[] {
  const out: number[] = [];
  for (let t = start; t < end; t += 3600) {
    const m = heldMean(samples, t, Math.min(end, t + 3600), staleAfterS, offsetK);
    out.push(m && m.coverage > 0.5 ? m.celsius : NaN);
  }
  return out;
}
