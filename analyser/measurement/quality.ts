// Data quality per sensor: coverage, gaps, stuck values, glitches, reporting now. Pure.

import type { SensorQuality } from "./result.js";

export interface QualityOptions {
  start: number;
  /** End of the window (Unix s); "reporting now" is judged against `now` (default: this). */
  end: number;
  now?: number;
  node?: string;
  bus?: string;
  last_seen?: number;
}

/** A gap shorter than this is the ordinary jitter of a 10 s sampler landing in minutes. */
const GAP_MIN = 3;
/** A value identical for this long is a frozen sensor or a frozen node, not water. */
const STUCK_MIN = 120;
/** A single minute this far off both neighbours, which agree, is a glitch. */
const GLITCH_K = 1.5;
const REPORTING_S = 15 * 60;

/** Indices of glitch minutes (isolated outliers). */
export function glitchMinutes(x: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 1; i + 1 < x.length; i++) {
    const a = x[i - 1];
    const b = x[i + 1];
    if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(x[i])) continue;
    if (Math.abs(a - b) < GLITCH_K / 3 && Math.abs(x[i] - (a + b) / 2) > GLITCH_K) out.push(i);
  }
  return out;
}

export function sensorQuality(rom: string, x: Float64Array | undefined, o: QualityOptions): SensorQuality {
  const n = Math.max(1, Math.round((o.end - o.start) / 60));
  const base: SensorQuality = { rom, coverage: 0, gaps: 0, longest_gap_min: n, stuck: false, glitch_rate: 0, reporting_now: false };
  if (o.node) base.node = o.node;
  if (o.bus) base.bus = o.bus;
  if (!x) return base;
  let present = 0;
  let gaps = 0;
  let run = 0;
  let longest = 0;
  let same = 0;
  let longestSame = 0;
  let lastIndex = -1;
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i])) {
      present++;
      if (run >= GAP_MIN) gaps++;
      run = 0;
      same = lastIndex === i - 1 && x[i] === x[i - 1] ? same + 1 : 0;
      longestSame = Math.max(longestSame, same + 1);
      lastIndex = i;
    } else {
      run++;
      longest = Math.max(longest, run);
      same = 0;
    }
  }
  if (run >= GAP_MIN) gaps++;
  const glitches = glitchMinutes(x).length;
  const last = o.last_seen ?? (lastIndex >= 0 ? o.start + lastIndex * 60 + 59 : undefined);
  const q: SensorQuality = {
    ...base,
    coverage: present / n,
    gaps,
    longest_gap_min: longest,
    stuck: longestSame >= STUCK_MIN,
    glitch_rate: present ? glitches / present : 0,
    reporting_now: last !== undefined && last >= (o.now ?? o.end) - REPORTING_S,
  };
  if (last !== undefined) q.last_seen = last;
  return q;
}

/** The series with glitch minutes removed (NaN) and an offset subtracted. */
export function cleaned(x: Float64Array, offsetK = 0): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] - offsetK;
  for (const i of glitchMinutes(x)) out[i] = NaN;
  return out;
}
