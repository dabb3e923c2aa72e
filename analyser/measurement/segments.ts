// Heating-active minutes: where a spread means something. Pure.
//
// Heat flows when the supply is clearly above the return and the supply is not falling (a
// defrost or a hot-water run pulls the supply down; pump-off lets both drift together). The
// return of a circuit reflects the supply of one transit time (plus the sensor lag) earlier, so a
// minute counts for a circuit only when the supply has been steady over that whole time.

export interface SegmentOptions {
  /** Supply − return above this means heat flows, K. */
  flowingK?: number;
  /** Supply falling faster than this (K/min over 3 min) is a defrost, hot-water run or stop. */
  fallingKPerMin?: number;
  /** Largest supply range over a circuit's look-back that still counts as steady, K. */
  steadyK?: number;
  /** Heat-pump state from a logged signal: 1 heating, 0 not, 255 unknown. */
  heating?: Uint8Array;
}

export interface ManifoldActivity {
  /** Water carries heat (transients included): the minutes the mixing fit uses. */
  flowing: Uint8Array;
  /** Flowing and not ruled out by the heat-pump signal: the heat-carrying spread's minutes. */
  carrying: Uint8Array;
  /** Flowing and the supply is not falling (and the signal, if any, says heating). */
  active: Uint8Array;
  /** Minute indices where heating starts after a pause (for transit times). */
  starts: number[];
  runs: { start: number; end: number }[];
}

export function manifoldActivity(supply: Float64Array, ret: Float64Array, o: SegmentOptions = {}): ManifoldActivity {
  const n = supply.length;
  const flowingK = o.flowingK ?? 1.0;
  const falling = o.fallingKPerMin ?? 0.05;
  const flowing = new Uint8Array(n);
  const active = new Uint8Array(n);
  const carrying = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = supply[i];
    const r = ret[i];
    if (!Number.isFinite(s) || !Number.isFinite(r)) continue;
    if (s - r <= flowingK) continue;
    flowing[i] = 1;
    const signal = o.heating ? o.heating[i] : 255;
    if (signal === 0) continue;
    carrying[i] = 1;
    const back = i >= 3 ? supply[i - 3] : NaN;
    if (Number.isFinite(back) && (s - back) / 3 < -falling) continue;
    active[i] = 1;
  }
  const runs: { start: number; end: number }[] = [];
  const starts: number[] = [];
  let idle = 0;
  for (let i = 0; i < n; i++) {
    if (active[i] && (i === 0 || !active[i - 1])) runs.push({ start: i, end: i + 1 });
    else if (active[i]) runs[runs.length - 1].end = i + 1;
    // A start: flowing after a pause (an on/off pump's minimum off time is ~15 min): the pipes
    // hold water that has cooled towards the floor, so the hot front shows at each return.
    if (flowing[i]) {
      if (idle >= 12 && i > 10) starts.push(i);
      idle = 0;
    } else if (Number.isFinite(supply[i])) idle++;
  }
  return { flowing, carrying, active, starts, runs };
}

/**
 * Minutes that count for one circuit: active now, and active with a steady supply for the
 * `lookbackMin` minutes before (transit time + sensor lag), so the return has caught up.
 */
export function circuitMask(activity: ManifoldActivity, supply: Float64Array, lookbackMin: number, steadyK = 1.0): Uint8Array {
  const n = supply.length;
  const mask = new Uint8Array(n);
  const L = Math.max(1, Math.ceil(lookbackMin));
  let activeRun = 0;
  for (let i = 0; i < n; i++) {
    activeRun = activity.active[i] ? activeRun + 1 : 0;
    if (activeRun <= L) continue;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = i - L; k <= i; k++) {
      const s = supply[k];
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
    if (hi - lo <= steadyK) mask[i] = 1;
  }
  return mask;
}

/**
 * The fallback for an on/off heat pump that never settles (runs of 10–20 min with the supply
 * still rising): the second half of each run (domain §5), once the return has seen the front.
 */
export function secondHalfMask(activity: ManifoldActivity, lookbackMin: number): Uint8Array {
  const mask = new Uint8Array(activity.active.length);
  const L = Math.max(1, Math.ceil(lookbackMin));
  for (const run of activity.runs) {
    const from = Math.max(run.start + L, Math.ceil((run.start + run.end) / 2));
    for (let i = from; i < run.end; i++) mask[i] = 1;
  }
  return mask;
}
