// Flow estimate 1: mixing at the return collector (domain §4).
//
//   θ_RM(t) = Σ w_i·θ_R,i(t) + Σ u_i·dθ_R,i/dt + c,   w ≥ 0, Σw = 1
//
// The manifold return is the flow-weighted mix of the circuit returns. The derivative terms
// (u_i ≈ w_i × the i-th sensor's extra delay relative to the manifold-return sensor) absorb the
// per-circuit delay and sensor-lag differences, which matter most in the start-up transients that
// carry most of the information. The constant c absorbs the unidentifiable offsets (Σ w_i b_i).
// Flow-meter readings enter as a Gaussian prior on w with ~15 % spread.

import { invert, largestEigenvalue, projectSimplex, zeros, type Matrix } from "./linalg.js";

export interface MixingInput {
  manifoldReturn: Float64Array;
  circuitReturns: Float64Array[];
  /** Minutes to use (water flowing). */
  mask: Uint8Array;
  /** Prior shares (sum 1) and their relative spread, or undefined without meters. */
  prior?: number[];
  priorRelSd?: number;
  /** Fit the per-circuit delay terms u_i (default on: the sensors' lags differ by up to 2 min). */
  lagTerms?: boolean;
  /** Minutes of residual autocorrelation (default CORRELATION_MIN). */
  correlationMin?: number;
}

export interface MixingFit {
  shares: number[];
  sd: number[];
  minutes: number;
  residualK: number;
}

/**
 * Minutes of autocorrelation in the residual: the effective sample size is n / this. The misfit
 * is structured (sensor lags, static errors) over a heating cycle, not white noise; against the
 * simulator the data alone leave the shares ~40 % off, so the meters' prior must keep its weight.
 */
const CORRELATION_MIN = 60;

export function fitMixing(input: MixingInput): MixingFit | null {
  const k = input.circuitReturns.length;
  const correlation = input.correlationMin ?? CORRELATION_MIN;
  const y = input.manifoldReturn;
  const xs = input.circuitReturns;
  const n = y.length;
  const rows: number[] = [];
  for (let t = 1; t + 1 < n; t++) {
    if (!input.mask[t] || !Number.isFinite(y[t])) continue;
    let ok = true;
    for (const x of xs) if (!Number.isFinite(x[t - 1]) || !Number.isFinite(x[t]) || !Number.isFinite(x[t + 1])) ok = false;
    if (ok) rows.push(t);
  }
  if (k === 0 || rows.length < 30) return null;
  const p = input.lagTerms === false ? k : 2 * k;
  // Design: k levels, k central derivatives; everything centred (the constant c drops out).
  const feature = (t: number, j: number): number => (j < k ? xs[j][t] : (xs[j - k][t + 1] - xs[j - k][t - 1]) / 2);
  const means = new Array<number>(p).fill(0);
  let yMean = 0;
  for (const t of rows) {
    for (let j = 0; j < p; j++) means[j] += feature(t, j);
    yMean += y[t];
  }
  for (let j = 0; j < p; j++) means[j] /= rows.length;
  yMean /= rows.length;
  const H: Matrix = zeros(p);
  const g = new Array<number>(p).fill(0);
  let yy = 0;
  for (const t of rows) {
    const f = new Array<number>(p);
    for (let j = 0; j < p; j++) f[j] = feature(t, j) - means[j];
    const yc = y[t] - yMean;
    yy += yc * yc;
    for (let a = 0; a < p; a++) {
      g[a] += f[a] * yc;
      for (let b = a; b < p; b++) H[a][b] += f[a] * f[b];
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) H[a][b] = H[b][a];

  const solve = (sigma2: number): number[] => {
    // Objective: |y − Fβ|²/σ² + Σ((w−prior)/s)² + small ridge on u; w on the simplex.
    const Q: Matrix = H.map((row) => row.map((x) => x / sigma2 / correlation));
    const q = g.map((x) => x / sigma2 / correlation);
    for (let j = 0; j < k; j++) {
      if (input.prior) {
        const s = Math.max(0.02, (input.priorRelSd ?? 0.15) * input.prior[j]);
        Q[j][j] += 1 / (s * s);
        q[j] += input.prior[j] / (s * s);
      }
      if (p > k) Q[k + j][k + j] += 1e-6 * (H[k + j][k + j] / sigma2 + 1);
    }
    const L = largestEigenvalue(Q) || 1;
    let beta = new Array<number>(p).fill(0).map((_, j) => (j < k ? (input.prior ? input.prior[j] : 1 / k) : 0));
    // Accelerated projected gradient (FISTA).
    let z = [...beta];
    let tk = 1;
    for (let it = 0; it < 3000; it++) {
      const grad = Q.map((row, a) => row.reduce((s, x, b) => s + x * z[b], 0) - q[a]);
      const step = z.map((x, a) => x - grad[a] / L);
      const w = projectSimplex(step.slice(0, k));
      const next = [...w, ...step.slice(k)];
      const tNext = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
      z = next.map((x, a) => x + ((tk - 1) / tNext) * (x - beta[a]));
      const moved = next.reduce((s, x, a) => s + Math.abs(x - beta[a]), 0);
      beta = next;
      tk = tNext;
      if (moved < 1e-10) break;
    }
    return beta;
  };
  const rss = (beta: number[]): number => {
    let s = yy;
    for (let a = 0; a < p; a++) {
      s -= 2 * beta[a] * g[a];
      for (let b = 0; b < p; b++) s += beta[a] * H[a][b] * beta[b];
    }
    return Math.max(s, 1e-12);
  };
  // First pass without prior weight knowledge of the noise, then with the fitted residual.
  let sigma2 = yy / rows.length / 100 + 1e-6;
  let beta = solve(sigma2);
  sigma2 = rss(beta) / Math.max(1, rows.length - p);
  beta = solve(sigma2);
  sigma2 = rss(beta) / Math.max(1, rows.length - p);

  // Uncertainty: inverse Hessian, inflated for the residual's autocorrelation.
  const info: Matrix = H.map((row) => row.map((x) => x / sigma2 / correlation));
  for (let j = 0; j < k; j++) {
    if (input.prior) {
      const s = Math.max(0.02, (input.priorRelSd ?? 0.15) * input.prior[j]);
      info[j][j] += 1 / (s * s);
    }
    if (p > k) info[k + j][k + j] += 1e-6;
  }
  const cov = invert(info);
  const sd = beta.slice(0, k).map((_, j) => {
    const v = cov ? cov[j][j] : NaN;
    return Number.isFinite(v) && v > 0 ? Math.min(1, Math.sqrt(v)) : 1;
  });
  return { shares: beta.slice(0, k), sd, minutes: rows.length, residualK: Math.sqrt(sigma2) };
}
