// How slowly a room answers: a first-order room-and-screed response fitted per room from hourly
// data, when a change can have shown, and which hours to leave out because something other than
// the heating moved the room (an open window, the sun, a night set-back). Pure.
//
// Model (hourly, Δt = 1 h): T[k+1] − T[k] = (Δt/τ)·(K_u·u[k] + K_x·x[k] + c − T[k]), with T the
// room temperature, u the heat the room's circuits deliver (W; any proxy proportional to it
// works) and x the outdoor temperature. A linear least-squares fit of ΔT on (T, u, x, 1) gives
// a = −Δt/τ' and b; the exact discretisation is α = 1 + a, τ = −Δt / ln α, and the steady-state
// gain per unit of u is b / (1 − α).

import { invert } from "../measurement/linalg.js";

export interface HourlyRoom {
  /** Room temperature, °C (NaN where unknown). */
  room_c: number[];
  /** Mean return temperature of the room's circuits, °C (NaN where unknown). */
  return_c: number[];
  /** Heat the room's circuits deliver, W (or a proxy proportional to it; 0 when the heating is off). */
  heat: number[];
  /** Outdoor temperature, °C. */
  outdoor_c: number[];
}

export type Exclusion = "open-window" | "gain" | "set-back";

export interface ExcludeOptions {
  /** A room drop at least this big within an hour, with the return unchanged, is an open window, K. */
  drop_k: number;
  /** The return counts as unchanged within this, K. */
  return_still_k: number;
  /** A room rise at least this big within an hour with no heat delivered is a gain (sun, people, oven), K. */
  rise_k: number;
  /** Heat below this share of its median is "no heat flow" / a set-back. */
  low_heat_share: number;
  /** Hours left out after an open window (the room recovers). */
  recover_h: number;
}

export const DEFAULT_EXCLUDE: ExcludeOptions = Object.freeze({ drop_k: 0.5, return_still_k: 0.3, rise_k: 0.4, low_heat_share: 0.3, recover_h: 3 });

/** Per hour: why it is left out, or null. */
export function exclusions(h: HourlyRoom, o: ExcludeOptions = DEFAULT_EXCLUDE): (Exclusion | null)[] {
  const n = h.room_c.length;
  const out: (Exclusion | null)[] = new Array(n).fill(null);
  const positive = h.heat.filter((q) => q > 0).sort((a, b) => a - b);
  const medianHeat = positive.length ? positive[positive.length >> 1] : 0;
  const low = (k: number) => !(h.heat[k] > o.low_heat_share * medianHeat);
  for (let k = 0; k < n; k++) {
    if (medianHeat > 0 && low(k)) out[k] = "set-back";
  }
  for (let k = 1; k < n; k++) {
    const dRoom = h.room_c[k] - h.room_c[k - 1];
    const dReturn = Math.abs(h.return_c[k] - h.return_c[k - 1]);
    if (dRoom <= -o.drop_k && out[k - 1] === "gain") {
      out[k] = "gain"; // the gain receding, not a window
    } else if (dRoom <= -o.drop_k && dReturn <= o.return_still_k) {
      for (let j = k - 1; j < Math.min(n, k + o.recover_h); j++) out[j] = "open-window";
    } else if (dRoom >= o.rise_k && low(k - 1)) {
      out[k - 1] = "gain";
      out[k] = "gain";
    }
  }
  return out;
}

export interface ResponseFit {
  /** Time constant, hours: 63 % of a step has shown after τ. */
  tau_h: number;
  /** K of room temperature per unit of heat input (steady state). */
  gain_k_per_unit: number;
  /** K of room temperature per K outdoor (steady state). */
  outdoor_gain: number;
  /** RMS of the one-hour prediction error, K. */
  rms_k: number;
  /** Hours used. */
  hours: number;
  excluded: number;
}

export type FitResult = { ok: true; fit: ResponseFit } | { ok: false; reason: "too-few-hours" | "no-excitation" | "unstable" };

export function fitResponse(h: HourlyRoom, minHours = 36, o: ExcludeOptions = DEFAULT_EXCLUDE): FitResult {
  const ex = exclusions(h, o);
  const rows: number[][] = [];
  const ys: number[] = [];
  for (let k = 0; k + 1 < h.room_c.length; k++) {
    if (ex[k] || ex[k + 1]) continue;
    const vals = [h.room_c[k], h.room_c[k + 1], h.heat[k], h.outdoor_c[k]];
    if (!vals.every(Number.isFinite)) continue;
    rows.push([h.room_c[k], h.heat[k], h.outdoor_c[k], 1]);
    ys.push(h.room_c[k + 1] - h.room_c[k]);
  }
  const excluded = ex.filter((e) => e !== null).length;
  if (rows.length < minHours) return { ok: false, reason: "too-few-hours" };
  // Normal equations on scaled columns (heat in W is large next to °C).
  const scale = [1, 0, 1, 1].map((_, j) => Math.max(1e-9, Math.sqrt(rows.reduce((s, r) => s + r[j] * r[j], 0) / rows.length)));
  const m = 4;
  const ata = Array.from({ length: m }, () => new Array(m).fill(0));
  const aty = new Array(m).fill(0);
  rows.forEach((r, i) => {
    for (let a = 0; a < m; a++) {
      aty[a] += (r[a] / scale[a]) * ys[i];
      for (let b = 0; b < m; b++) ata[a][b] += (r[a] / scale[a]) * (r[b] / scale[b]);
    }
  });
  const inv = invert(ata);
  if (!inv) return { ok: false, reason: "no-excitation" };
  const coef = inv.map((row) => row.reduce((s, v, j) => s + v * aty[j], 0)).map((c, j) => c / scale[j]);
  const alpha = 1 + coef[0];
  if (!(alpha > 0 && alpha < 1)) return { ok: false, reason: "unstable" };
  const tau = -1 / Math.log(alpha);
  let sq = 0;
  rows.forEach((r, i) => {
    const e = ys[i] - (coef[0] * r[0] + coef[1] * r[1] + coef[2] * r[2] + coef[3]);
    sq += e * e;
  });
  return { ok: true, fit: { tau_h: tau, gain_k_per_unit: coef[1] / (1 - alpha), outdoor_gain: coef[2] / (1 - alpha), rms_k: Math.sqrt(sq / rows.length), hours: rows.length, excluded } };
}

/**
 * When a change made at `changeTime` can have shown in the room: the time by which `share` of the
 * room's step has happened (86 % = 2 τ). Null when the whole step is smaller than what the room's
 * thermometer can tell (`noiseK`): that change will never show in the room, only in the returns.
 */
export function expectedShownAt(changeTime: number, tauH: number, stepK: number, noiseK: number, share = 0.86): number | null {
  if (Math.abs(stepK) * share < noiseK) return null;
  return changeTime + Math.round(-tauH * Math.log(1 - share) * 3600);
}

/** Heat a circuit delivers, W, from its flow and its supply and return temperatures. */
export function circuitHeatW(flowLpm: number, supplyC: number, returnC: number): number {
  return (flowLpm / 60) * 4186 * (supplyC - returnC);
}
