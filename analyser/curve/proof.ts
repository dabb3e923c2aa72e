// The proof, in kelvin and kWh: supply at the same outdoor temperature before and after, the COP
// gain (measured where electrical power and heat are logged, else estimated at 2.5 %/K, domain §6),
// energy per heating degree-day, and starts per day. Every figure says whether it was measured or
// estimated. Pure.

export const COP_GAIN_PER_K = 0.025;
/** Heating degree-days G20/15 (VDI 3807): Σ (20 − θ_day) over days with a mean below 15 °C. */
export const HDD_ROOM_C = 20;
export const HDD_LIMIT_C = 15;

export interface Figure {
  value: number;
  measured: boolean;
}

export interface PeriodData {
  /** Heating-active (outdoor, supply) samples. */
  samples: { outdoorC: number; supplyC: number }[];
  /** Daily mean outdoor temperatures, °C. */
  dailyOutdoorC: number[];
  /** Heat delivered, kWh (logged or from flow × spread). */
  heatKwh?: number;
  /** Electrical energy, kWh, where logged. */
  electricKwh?: number;
  starts?: number;
  days: number;
}

export interface Proof {
  referenceOutdoorC: number;
  supplyBeforeC?: Figure;
  supplyAfterC?: Figure;
  loweredK?: Figure;
  copGainPct?: Figure;
  copBefore?: Figure;
  copAfter?: Figure;
  kwhPerHddBefore?: Figure;
  kwhPerHddAfter?: Figure;
  startsPerDayBefore?: Figure;
  startsPerDayAfter?: Figure;
}

export function heatingDegreeDays(dailyOutdoorC: number[]): number {
  return dailyOutdoorC.reduce((s, t) => s + (t < HDD_LIMIT_C ? HDD_ROOM_C - t : 0), 0);
}

/** Supply at θref from a local linear fit of the samples within ±window K (falls back to all). */
export function supplyAtC(samples: PeriodData["samples"], refC: number, windowK = 3): number | undefined {
  let pts = samples.filter((p) => Math.abs(p.outdoorC - refC) <= windowK);
  if (pts.length < 5) pts = samples;
  if (pts.length < 2) return undefined;
  const mx = pts.reduce((s, p) => s + p.outdoorC, 0) / pts.length;
  const my = pts.reduce((s, p) => s + p.supplyC, 0) / pts.length;
  const sxx = pts.reduce((s, p) => s + (p.outdoorC - mx) ** 2, 0);
  const b = sxx > 1 ? pts.reduce((s, p) => s + (p.outdoorC - mx) * (p.supplyC - my), 0) / sxx : 0;
  return my + b * (refC - mx);
}

const fig = (value: number, measured: boolean): Figure => ({ value, measured });

export function proveSaving(before: PeriodData, after: PeriodData, referenceOutdoorC = 0): Proof {
  const out: Proof = { referenceOutdoorC };
  const sb = supplyAtC(before.samples, referenceOutdoorC);
  const sa = supplyAtC(after.samples, referenceOutdoorC);
  if (sb !== undefined && sa !== undefined) {
    out.supplyBeforeC = fig(sb, true);
    out.supplyAfterC = fig(sa, true);
    out.loweredK = fig(sb - sa, true);
  }
  const copB = before.heatKwh !== undefined && before.electricKwh ? before.heatKwh / before.electricKwh : undefined;
  const copA = after.heatKwh !== undefined && after.electricKwh ? after.heatKwh / after.electricKwh : undefined;
  if (copB !== undefined && copA !== undefined) {
    out.copBefore = fig(copB, true);
    out.copAfter = fig(copA, true);
    out.copGainPct = fig((copA / copB - 1) * 100, true);
  } else if (out.loweredK) out.copGainPct = fig(out.loweredK.value * COP_GAIN_PER_K * 100, false);
  const energy = (p: PeriodData) => p.electricKwh ?? p.heatKwh;
  const measuredEnergy = (p: PeriodData) => p.electricKwh !== undefined || p.heatKwh !== undefined;
  const hb = heatingDegreeDays(before.dailyOutdoorC);
  const ha = heatingDegreeDays(after.dailyOutdoorC);
  if (energy(before) !== undefined && hb > 0) out.kwhPerHddBefore = fig(energy(before)! / hb, measuredEnergy(before));
  if (energy(after) !== undefined && ha > 0) out.kwhPerHddAfter = fig(energy(after)! / ha, measuredEnergy(after));
  if (before.starts !== undefined && before.days > 0) out.startsPerDayBefore = fig(before.starts / before.days, true);
  if (after.starts !== undefined && after.days > 0) out.startsPerDayAfter = fig(after.starts / after.days, true);
  return out;
}
