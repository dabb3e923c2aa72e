// Ordinary least squares for the small fits of the calibration procedures (2–3 columns).

import { invert } from "../measurement/linalg.js";

export interface Fit {
  coef: number[];
  /** Standard errors of the coefficients (residual variance × (XᵀX)⁻¹). */
  se: number[];
  /** RMS of the residuals. */
  rms: number;
  n: number;
}

/** y ≈ X·coef over the rows where y and every column are finite; null if too few rows or singular. */
export function leastSquares(columns: ArrayLike<number>[], y: ArrayLike<number>): Fit | null {
  const p = columns.length;
  const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  const rows: number[] = [];
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) continue;
    let ok = true;
    for (const c of columns) if (!Number.isFinite(c[i])) ok = false;
    if (!ok) continue;
    rows.push(i);
    for (let a = 0; a < p; a++) {
      xty[a] += columns[a][i] * y[i];
      for (let b = 0; b < p; b++) xtx[a][b] += columns[a][i] * columns[b][i];
    }
  }
  if (rows.length <= p + 1) return null;
  const inv = invert(xtx);
  if (!inv) return null;
  const coef = inv.map((row) => row.reduce((s, v, b) => s + v * xty[b], 0));
  let sse = 0;
  for (const i of rows) {
    let f = 0;
    for (let a = 0; a < p; a++) f += coef[a] * columns[a][i];
    sse += (y[i] - f) ** 2;
  }
  const s2 = sse / (rows.length - p);
  return { coef, se: inv.map((row, a) => Math.sqrt(Math.max(0, row[a] * s2))), rms: Math.sqrt(sse / rows.length), n: rows.length };
}

/** Slope of x over minutes [from, to), K per minute (NaN if fewer than 3 finite points). */
export function slopePerMin(x: Float64Array, from: number, to: number): number {
  const t: number[] = [];
  const y: number[] = [];
  for (let i = Math.max(0, from); i < Math.min(x.length, to); i++) if (Number.isFinite(x[i])) (t.push(i), y.push(x[i]));
  if (t.length < 3) return NaN;
  const fit = leastSquares([t.map(() => 1), t], y);
  return fit ? fit.coef[1] : NaN;
}
