// Short-cycling and the heat pump's health (seed 003): count compressor starts and measure run
// and pause lengths, from the compressor state where it is logged or else from the supply/return
// spread; flag short-cycling and name the likely cause from the seed's list. Pure.

export interface CycleStats {
  /** Minutes looked at. */
  minutes: number;
  starts: number;
  startsPerDay: number;
  /** Most starts inside any 60 minutes (the utility allows at most 3, seed 003). */
  maxStartsPerHour: number;
  /** Median length of the runs that ended inside the data, min. */
  medianRunMin: number;
  medianPauseMin: number;
  source: "compressor" | "spread";
}

/** On/off per minute from the heat pump's supply − return (heat flows when the spread is above onK). */
export function onFromSpread(supply: ArrayLike<number>, ret: ArrayLike<number>, onK = 1.5): Uint8Array {
  const on = new Uint8Array(supply.length);
  for (let i = 0; i < supply.length; i++) on[i] = supply[i] - ret[i] > onK ? 1 : 0;
  return on;
}

const median = (v: number[]) => {
  if (v.length === 0) return NaN;
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Statistics of a per-minute on/off series (1 = compressor heating). */
export function cycleStats(on: ArrayLike<number>, source: CycleStats["source"] = "compressor"): CycleStats {
  const n = on.length;
  const startIdx: number[] = [];
  // Maximal constant segments; the first and last are cut by the data's ends and stay out of the medians.
  const segs: { on: boolean; len: number }[] = [];
  for (let i = 0; i < n; i++) {
    const cur = !!on[i];
    if (i > 0 && cur && !on[i - 1]) startIdx.push(i);
    if (segs.length && segs[segs.length - 1].on === cur) segs[segs.length - 1].len++;
    else segs.push({ on: cur, len: 1 });
  }
  const inner = segs.slice(1, -1);
  const runs = inner.filter((g) => g.on).map((g) => g.len);
  const pauses = inner.filter((g) => !g.on).map((g) => g.len);
  let maxPerHour = 0;
  for (let a = 0, b = 0; b < startIdx.length; b++) {
    while (startIdx[b] - startIdx[a] >= 60) a++;
    maxPerHour = Math.max(maxPerHour, b - a + 1);
  }
  return {
    minutes: n,
    starts: startIdx.length,
    startsPerDay: n > 0 ? (startIdx.length * 1440) / n : 0,
    maxStartsPerHour: maxPerHour,
    medianRunMin: median(runs),
    medianPauseMin: median(pauses),
    source,
  };
}

export type ShortCycleCause = "flow-below-minimum" | "overflow-valve" | "curve-too-high" | "unknown";

export interface ShortCycleContext {
  /** Heat pump's water flow while running, l/min, and its minimum (house file). */
  flowLpm?: number;
  minFlowLpm?: number;
  /** Return temperature's rise in the first 10 minutes of runs, K/min (median). */
  returnRiseKPerMin?: number;
  /** Mean outdoor temperature, °C. */
  outdoorC?: number;
  /** The index room's surplus over its target, K (from the advisor). */
  indexSurplusK?: number;
}

export interface ShortCycleVerdict {
  shortCycling: boolean;
  causes: ShortCycleCause[];
}

/**
 * Short-cycling: runs under 20 min in the median, or more than 3 starts in an hour. Causes, from
 * seed 003: a flow below the heat pump's minimum; an overflow valve short-circuiting supply to
 * return (the return climbs within minutes, much faster than a floor can warm); a curve set too
 * high for mild weather (outdoor above +8 °C while the rooms are warm anyway).
 */
export function judgeCycling(s: CycleStats, ctx: ShortCycleContext = {}): ShortCycleVerdict {
  const short = (s.starts >= 3 && s.medianRunMin < 20) || s.maxStartsPerHour > 3;
  if (!short) return { shortCycling: false, causes: [] };
  const causes: ShortCycleCause[] = [];
  if (ctx.flowLpm !== undefined && ctx.minFlowLpm !== undefined && ctx.flowLpm < ctx.minFlowLpm) causes.push("flow-below-minimum");
  if (ctx.returnRiseKPerMin !== undefined && ctx.returnRiseKPerMin > 0.3) causes.push("overflow-valve");
  if (ctx.outdoorC !== undefined && ctx.outdoorC > 8 && (ctx.indexSurplusK === undefined || ctx.indexSurplusK > 0.3)) causes.push("curve-too-high");
  return { shortCycling: true, causes: causes.length ? causes : ["unknown"] };
}
