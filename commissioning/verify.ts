// verify: does the mapping in the house file agree with the physics? Each heating start is an
// experiment. Pure: house + per-minute readings in, findings with their evidence out.

import { sensorIndex, type Circuit, type House, type Manifold } from "../shared/house/index.js";
import { DEFAULT_STARTS, feedSignal, findStarts, meanOver, onsetAfter, type StartPolicy } from "./heating-starts.js";
import type { RomMinutes } from "./series.js";
import { medianOf } from "./touch.js";

export type FindingKind = "supply-return-swapped" | "order" | "crossed" | "transit-swap" | "transit-misfit";

export interface Finding {
  kind: FindingKind;
  manifold: string;
  /** Circuits concerned (the crossing circuit, the swapped pair, …). */
  circuits: string[];
  roms: string[];
  /** Other manifold for a crossing. */
  other?: string;
  /** Numbers behind the finding, for the report. */
  evidence: Evidence[];
}

export type Evidence =
  | { kind: "colder-supply"; supplyC: number; returnC: number; starts: number; of: number }
  | { kind: "late-supply"; rom: string; behind: string; minutes: number; starts: number; of: number }
  | { kind: "early-return"; minutes: number; firstCircuit: string; starts: number; of: number }
  | { kind: "wired-elsewhere"; rom: string; node: string; bus: string; expectedNode: string }
  | { kind: "follows-supply"; ownRmsK: number; otherRmsK: number; starts: number }
  | { kind: "transit"; circuit: string; measuredMin: number; expectedMin: number; swappedFitMin?: number; currentFitMin?: number };

export interface VerifyResult {
  starts: number[]; // unix s of each heating start used
  findings: Finding[];
  /** Why a check could not run (no starts, sensors without data, lockshield circuits, …). */
  notes: string[];
}

export interface VerifyPolicy extends StartPolicy {
  /** Supply colder than return by more than this while heating = swapped. */
  swapK: number;
  /** Onsets closer than this are "at the same time" (sensor lag differs by about a minute). */
  orderToleranceMin: number;
  /** A return follows another manifold's supply "more closely" when its residual is below this share of its own. */
  crossRatio: number;
  /** …and at least this much smaller, K. */
  crossGapK: number;
  /** Transit: a circuit does not fit when off by more than max(misfitMin, misfitShare·expected). */
  misfitMin: number;
  misfitShare: number;
  /** A pair is a probable swap when the swapped assignment's squared error is below this share of the current one. */
  swapRatio: number;
  swapMinGainMin: number;
}

export const DEFAULT_VERIFY: VerifyPolicy = Object.freeze({
  ...DEFAULT_STARTS,
  swapK: 0.5,
  orderToleranceMin: 1.5,
  crossRatio: 0.5,
  crossGapK: 0.3,
  misfitMin: 4,
  misfitShare: 0.6,
  swapRatio: 0.2,
  // Per-circuit transit delays scatter by ~0.43 min RMS (max ~1.1) over a winter day at 1-minute
  // resolution. 3 min missed every swap of short circuits (2.5–5 min transit) differing by a
  // factor 1.7 (each delay moves by only ~2 min); 1.5 min finds 13 of 16 such planted swaps with
  // no false transit-swap on the example (4 days) or on 8 random houses (2 days each).
  swapMinGainMin: 1.5,
});

/** Transit time of a circuit from its pipe volume and flow setting, minutes (domain.md §3). */
export function expectedTransitMin(circuit: Circuit): number | null {
  if (circuit.valve.kind !== "flow-meter") return null;
  return (circuit.length_m * circuit.pipe.litres_per_m) / circuit.valve.setting_lpm;
}

export function verifyMapping(house: House, data: RomMinutes, policy: VerifyPolicy = DEFAULT_VERIFY): VerifyResult {
  const findings: Finding[] = [];
  const notes: string[] = [];
  findings.push(...wiringFindings(house, data));

  const pairs = house.manifolds.map((m): [string | undefined, string | undefined] => [m.supply?.rom, m.return?.rom]);
  const feed = feedSignal(data, pairs);
  const starts = findStarts(feed, policy);
  if (!starts.length) {
    notes.push("no heating start in the data: the physics checks need at least one (the heat pump starting after a pause of 20 min or more)");
    return { starts: [], findings, notes };
  }
  for (const m of house.manifolds) {
    const found = manifoldFindings(house, m, data, starts, policy, notes);
    findings.push(...found);
  }
  findings.push(...crossingFindings(house, data, starts, policy, findings));
  return { starts: starts.map((k) => data.start + k * 60), findings, notes };
}

/** A ROM wired to another node than the house file says: it sits on another manifold's pipes. */
function wiringFindings(house: House, data: RomMinutes): Finding[] {
  const out: Finding[] = [];
  for (const s of sensorIndex(house).values()) {
    const at = data.placement.get(s.rom);
    if (!at || at.node === s.node) continue;
    const other = house.manifolds.find((m) => m.node === at.node && m.id !== s.manifold);
    out.push({
      kind: "crossed",
      manifold: s.manifold,
      circuits: s.circuit ? [s.circuit] : [],
      roms: [s.rom],
      other: other?.id,
      evidence: [{ kind: "wired-elsewhere", rom: s.rom, node: at.node, bus: at.bus, expectedNode: s.node }],
    });
  }
  return out;
}

function manifoldFindings(house: House, m: Manifold, data: RomMinutes, starts: number[], p: VerifyPolicy, notes: string[]): Finding[] {
  const out: Finding[] = [];
  const circuits = house.circuits.filter((c) => c.manifold === m.id && c.sensor && data.byRom.has(c.sensor.rom));
  const supply = m.supply && data.byRom.get(m.supply.rom);
  const ret = m.return && data.byRom.get(m.return.rom);
  if (!supply || !ret) {
    notes.push(`manifold ${m.id}: ${!supply ? "supply" : "return"} sensor ${!supply ? (m.supply ? "has no data" : "is not mapped") : m.return ? "has no data" : "is not mapped"}; its checks are skipped`);
  }

  // Swapped supply and return: while heating, the supply must be the warmer.
  let colder = 0;
  let judged = 0;
  const sDiffs: number[] = [];
  const rs: number[] = [];
  if (supply && ret) {
    for (const k of starts) {
      const s = meanOver(supply, k + 30, k + p.followMinutes);
      const r = meanOver(ret, k + 30, k + p.followMinutes);
      if (Number.isNaN(s) || Number.isNaN(r)) continue;
      judged++;
      sDiffs.push(s);
      rs.push(r);
      if (s < r - p.swapK) colder++;
    }
  }
  const swapped = judged > 0 && colder * 2 > judged;
  if (swapped) {
    out.push({
      kind: "supply-return-swapped",
      manifold: m.id,
      circuits: [],
      roms: [m.supply!.rom, m.return!.rom],
      evidence: [{ kind: "colder-supply", supplyC: medianOf(sDiffs), returnC: medianOf(rs), starts: colder, of: judged }],
    });
  }

  // Order of the warm front: supply first, circuits after their transit, the manifold's return after them.
  const onsets = (rom: string | undefined) => starts.map((k) => (rom ? onsetAfter(data.byRom.get(rom), k, p)?.minutes ?? NaN : NaN));
  const supplyOn = onsets(m.supply?.rom);
  const returnOn = onsets(m.return?.rom);
  const circuitOn = new Map(circuits.map((c) => [c.id, onsets(c.sensor!.rom)]));
  if (!swapped && supply) {
    // A circuit sensor that warms clearly before the supply sensor: the two are probably exchanged.
    let worst: { circuit: string; rom: string; minutes: number; starts: number; of: number } | null = null;
    for (const c of circuits) {
      const on = circuitOn.get(c.id)!;
      const { lead, count, of } = leadOver(supplyOn, on, p.orderToleranceMin);
      if (count * 2 > of && (!worst || lead > worst.minutes)) worst = { circuit: c.id, rom: c.sensor!.rom, minutes: lead, starts: count, of };
    }
    if (ret) {
      const { lead, count, of } = leadOver(supplyOn, returnOn, p.orderToleranceMin);
      if (count * 2 > of && (!worst || lead > worst.minutes)) worst = { circuit: "", rom: m.return!.rom, minutes: lead, starts: count, of };
    }
    if (worst) {
      out.push({
        kind: "order",
        manifold: m.id,
        circuits: worst.circuit ? [worst.circuit] : [],
        roms: [m.supply!.rom, worst.rom],
        evidence: [{ kind: "late-supply", rom: m.supply!.rom, behind: worst.circuit || "return", minutes: worst.minutes, starts: worst.starts, of: worst.of }],
      });
    }
  }
  if (!swapped && ret && circuits.length) {
    // The manifold's return is the mix of the circuit returns: it cannot warm before all of them.
    const firstCircuit = starts.map((_, i) => Math.min(...circuits.map((c) => circuitOn.get(c.id)![i]).filter((x) => !Number.isNaN(x))));
    const { lead, count, of } = leadOver(firstCircuit, returnOn, p.orderToleranceMin);
    if (count * 2 > of) {
      const firstId = circuits.reduce((a, c) => (medianOf(circuitOn.get(c.id)!.filter((x) => !Number.isNaN(x))) < medianOf(circuitOn.get(a.id)!.filter((x) => !Number.isNaN(x))) ? c : a)).id;
      out.push({
        kind: "order",
        manifold: m.id,
        circuits: [],
        roms: [m.return!.rom],
        evidence: [{ kind: "early-return", minutes: lead, firstCircuit: firstId, starts: count, of }],
      });
    }
  }

  // Transit time against length and flow setting.
  if (supply && ret) out.push(...transitFindings(m, circuits, supplyOn.map((s, i) => (swapped ? returnOn[i] : s)), circuitOn, p, notes));
  return out;
}

/** How much `b` leads `a` (a later than b), counting starts where it does by more than tol. */
function leadOver(a: number[], b: number[], tol: number): { lead: number; count: number; of: number } {
  const leads: number[] = [];
  let count = 0;
  let of = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) continue;
    of++;
    const lead = a[i] - b[i];
    if (lead > tol) (count++, leads.push(lead));
  }
  return { lead: leads.length ? medianOf(leads) : 0, count, of };
}

function transitFindings(m: Manifold, circuits: Circuit[], supplyOn: number[], circuitOn: Map<string, number[]>, p: VerifyPolicy, notes: string[]): Finding[] {
  const rows: { c: Circuit; measured: number; expected: number }[] = [];
  for (const c of circuits) {
    const expected = expectedTransitMin(c);
    if (expected === null) {
      notes.push(`circuit ${c.id}: a lockshield has no flow setting, so its transit time is not checked`);
      continue;
    }
    const delays = circuitOn.get(c.id)!.map((x, i) => x - supplyOn[i]).filter((x) => !Number.isNaN(x));
    if (!delays.length) {
      notes.push(`circuit ${c.id}: its return did not rise clearly after any heating start; transit not checked`);
      continue;
    }
    rows.push({ c, measured: medianOf(delays), expected });
  }
  if (rows.length < 3) return [];
  // The sensors' lag and the front's smearing in the cold slab add about the same to every
  // circuit: one offset per manifold, taken as the median so a swapped pair cannot move it.
  const offset = medianOf(rows.map((r) => r.measured - r.expected));
  const err = (measured: number, expected: number) => measured - offset - expected;
  const out: Finding[] = [];
  const used = new Set<string>();
  const candidates: { i: number; j: number; now: number; swapped: number }[] = [];
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const now = err(rows[i].measured, rows[i].expected) ** 2 + err(rows[j].measured, rows[j].expected) ** 2;
      const swapped = err(rows[j].measured, rows[i].expected) ** 2 + err(rows[i].measured, rows[j].expected) ** 2;
      if (swapped < p.swapRatio * now && Math.sqrt(now) - Math.sqrt(swapped) > p.swapMinGainMin) candidates.push({ i, j, now, swapped });
    }
  }
  candidates.sort((a, b) => b.now - b.swapped - (a.now - a.swapped));
  for (const { i, j, now, swapped } of candidates) {
    const a = rows[i];
    const b = rows[j];
    if (used.has(a.c.id) || used.has(b.c.id)) continue;
    used.add(a.c.id), used.add(b.c.id);
    out.push({
      kind: "transit-swap",
      manifold: m.id,
      circuits: [a.c.id, b.c.id],
      roms: [a.c.sensor!.rom, b.c.sensor!.rom],
      evidence: [
        { kind: "transit", circuit: a.c.id, measuredMin: a.measured - offset, expectedMin: a.expected, currentFitMin: Math.sqrt(now / 2), swappedFitMin: Math.sqrt(swapped / 2) },
        { kind: "transit", circuit: b.c.id, measuredMin: b.measured - offset, expectedMin: b.expected },
      ],
    });
  }
  for (const r of rows) {
    if (used.has(r.c.id)) continue;
    const e = err(r.measured, r.expected);
    if (Math.abs(e) > Math.max(p.misfitMin, p.misfitShare * r.expected)) {
      out.push({ kind: "transit-misfit", manifold: m.id, circuits: [r.c.id], roms: [r.c.sensor!.rom], evidence: [{ kind: "transit", circuit: r.c.id, measuredMin: r.measured - offset, expectedMin: r.expected }] });
    }
  }
  return out;
}

/**
 * A circuit return follows its manifold's supply, shifted by its transit time. One that is
 * explained far better by another manifold's supply hangs on that manifold.
 */
function crossingFindings(house: House, data: RomMinutes, starts: number[], p: VerifyPolicy, already: Finding[]): Finding[] {
  const out: Finding[] = [];
  const flagged = new Set(already.filter((f) => f.kind === "crossed").flatMap((f) => f.roms));
  const feeds = new Map(house.manifolds.map((m) => [m.id, feedSignal(data, [[m.supply?.rom, m.return?.rom]])]));
  for (const c of house.circuits) {
    if (!c.sensor || flagged.has(c.sensor.rom)) continue;
    const series = data.byRom.get(c.sensor.rom);
    const own = feeds.get(c.manifold);
    if (!series || !own) continue;
    const ownRms = medianOf(starts.map((k) => lagFitRms(series, own, k, p.followMinutes)).filter(Number.isFinite));
    let best: { id: string; rms: number } | null = null;
    for (const m of house.manifolds) {
      if (m.id === c.manifold) continue;
      const rms = medianOf(starts.map((k) => lagFitRms(series, feeds.get(m.id)!, k, p.followMinutes)).filter(Number.isFinite));
      if (Number.isFinite(rms) && (!best || rms < best.rms)) best = { id: m.id, rms };
    }
    // Supplies fed by one heat pump look alike; only a clear gap (a manifold behind a mixing
    // station, a long feeder) is evidence, not the residual noise of two near-identical fits.
    if (best && Number.isFinite(ownRms) && ownRms - best.rms >= p.crossGapK && best.rms < p.crossRatio * ownRms) {
      out.push({ kind: "crossed", manifold: c.manifold, circuits: [c.id], roms: [c.sensor.rom], other: best.id, evidence: [{ kind: "follows-supply", ownRmsK: ownRms, otherRmsK: best.rms, starts: starts.length }] });
    }
  }
  return out;
}

/** Residual of return(t) ≈ a + b·feed(t − τ), best τ in 0…40 min, over one start's window. */
export function lagFitRms(ret: Float64Array, feed: Float64Array, start: number, follow: number): number {
  let best = Infinity;
  for (let lag = 0; lag <= 40; lag++) {
    let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
    for (let t = start - 10; t < start + follow; t++) {
      const y = ret[t];
      const x = feed[t - lag];
      if (t - lag < 0 || t >= ret.length || Number.isNaN(x) || Number.isNaN(y)) continue;
      n++, (sx += x), (sy += y), (sxx += x * x), (sxy += x * y), (syy += y * y);
    }
    if (n < 20) continue;
    const vx = sxx - (sx * sx) / n;
    const vy = syy - (sy * sy) / n;
    const cxy = sxy - (sx * sy) / n;
    if (vx <= 0) continue;
    const b = Math.max(0, cxy / vx); // a return follows its feed; it never moves against it
    const sse = vy - 2 * b * cxy + b * b * vx;
    best = Math.min(best, Math.sqrt(Math.max(0, sse) / n));
  }
  return best;
}
