// The curve the house actually receives: from heating-active samples (outdoor, supply or return),
// a straight line with its scatter, and the same data in the controller's own terms (Lambda's
// three points plus offset, Luxtronik's end point and foot point on the return, or a generic slope
// and shift). Pure.

import { targetAtC as targetOf, type Controller } from "./controller.js";
import { lambdaWeights } from "./lambda.js";
import { luxFit } from "./luxtronik.js";

export interface CurveSample {
  outdoorC: number;
  /** Supply (Lambda, generic) or return (Luxtronik) the heat pump delivered, °C. */
  waterC: number;
}

export interface DeliveredCurve {
  n: number;
  /** water = interceptC + slopeKperK·θ. */
  interceptC: number;
  slopeKperK: number;
  /** Residual standard deviation, K. */
  scatterK: number;
  outdoorMinC: number;
  outdoorMaxC: number;
  /** True when the outdoor range is wide enough (≥ minSpanK) to say anything about the slope. */
  slopeKnown: boolean;
  /** The delivered curve in the controller's terms (values outside the data are today's settings, moved by the fitted level). */
  inTerms: Controller;
}

export const MIN_SPAN_K = 5;

export function lineAt(c: Pick<DeliveredCurve, "interceptC" | "slopeKperK">, outdoorC: number): number {
  return c.interceptC + c.slopeKperK * outdoorC;
}

/** Ordinary least squares; with too narrow an outdoor range the slope is taken from `priorSlope`. */
function line(samples: CurveSample[], minSpanK: number, priorSlope: number): { a: number; b: number; sd: number; known: boolean } {
  const n = samples.length;
  const mx = samples.reduce((s, p) => s + p.outdoorC, 0) / n;
  const my = samples.reduce((s, p) => s + p.waterC, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of samples) {
    sxx += (p.outdoorC - mx) ** 2;
    sxy += (p.outdoorC - mx) * (p.waterC - my);
    lo = Math.min(lo, p.outdoorC);
    hi = Math.max(hi, p.outdoorC);
  }
  const known = hi - lo >= minSpanK && sxx > 0;
  const b = known ? sxy / sxx : priorSlope;
  const a = my - b * mx;
  let ss = 0;
  for (const p of samples) ss += (p.waterC - a - b * p.outdoorC) ** 2;
  return { a, b, sd: Math.sqrt(ss / Math.max(1, n - (known ? 2 : 1))), known };
}

/** Bin by 1 K of outdoor temperature (median water per bin) so a grid fit stays cheap and robust. */
function binned(samples: CurveSample[]): CurveSample[] {
  const bins = new Map<number, number[]>();
  for (const p of samples) {
    const k = Math.round(p.outdoorC);
    const list = bins.get(k) ?? [];
    list.push(p.waterC);
    bins.set(k, list);
  }
  return [...bins.entries()].map(([k, v]) => {
    v.sort((x, y) => x - y);
    return { outdoorC: k, waterC: v[Math.floor(v.length / 2)] };
  });
}

/** Fit the delivered curve; `current` gives the controller's kind, step and today's settings. */
export function fitDelivered(samples: CurveSample[], current: Controller, minSpanK = MIN_SPAN_K): DeliveredCurve | undefined {
  const ok = samples.filter((p) => Number.isFinite(p.outdoorC) && Number.isFinite(p.waterC));
  if (ok.length < 2) return undefined;
  const priorSlope = setSlope(current, ok);
  const { a, b, sd, known } = line(ok, minSpanK, priorSlope);
  const lo = Math.min(...ok.map((p) => p.outdoorC));
  const hi = Math.max(...ok.map((p) => p.outdoorC));
  return { n: ok.length, interceptC: a, slopeKperK: b, scatterK: sd, outdoorMinC: lo, outdoorMaxC: hi, slopeKnown: known, inTerms: inTerms(current, ok, { a, b }, known) };
}

/** Slope of today's settings over the data's outdoor range, K per K. */
function setSlope(c: Controller, samples: CurveSample[]): number {
  const lo = Math.min(...samples.map((p) => p.outdoorC));
  const hi = Math.max(...samples.map((p) => p.outdoorC));
  const x0 = (lo + hi) / 2 - 5;
  const x1 = (lo + hi) / 2 + 5;
  return (targetOf(c, x1) - targetOf(c, x0)) / (x1 - x0);
}


function inTerms(c: Controller, samples: CurveSample[], l: { a: number; b: number }, slopeKnown: boolean): Controller {
  const round1 = (v: number) => Math.round(v * 10) / 10 + 0;
  switch (c.kind) {
    case "lambda": {
      // Regress on the three hat functions with a ridge towards today's points, so a support point
      // the data never reached stays where it is set (plus the level shift the data shows).
      const meanResidual = samples.reduce((s, p) => s + p.waterC - targetOf(c, p.outdoorC), 0) / samples.length;
      const prior = [c.curve.at_minus22_c, c.curve.at_0_c, c.curve.at_plus22_c].map((v) => v + meanResidual);
      const A = [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ];
      const rhs = [0, 0, 0];
      const ridge = slopeKnown ? 0.5 : 1e3;
      for (const p of samples) {
        const w = lambdaWeights(p.outdoorC);
        const y = p.waterC - c.curve.offset_k;
        for (let i = 0; i < 3; i++) {
          rhs[i] += w[i] * y;
          for (let j = 0; j < 3; j++) A[i][j] += w[i] * w[j];
        }
      }
      for (let i = 0; i < 3; i++) {
        A[i][i] += ridge;
        rhs[i] += ridge * (prior[i] - c.curve.offset_k);
      }
      const p = solve3(A, rhs);
      return { ...c, curve: { ...c.curve, at_minus22_c: round1(p[0]), at_0_c: round1(p[1]), at_plus22_c: round1(p[2]) } };
    }
    case "luxtronik": {
      const pts = slopeKnown ? binned(samples).map((p) => ({ outdoorC: p.outdoorC, returnC: p.waterC })) : [-7, 7].map((x) => ({ outdoorC: x, returnC: l.a + l.b * x }));
      const fit = luxFit(pts.length >= 2 ? pts : [-7, 7].map((x) => ({ outdoorC: x, returnC: l.a + l.b * x })), 0.1, c.curve);
      return { ...c, curve: { end_point_c: fit.end_point_c, offset_c: fit.offset_c } };
    }
    case "generic": {
      const foot = c.curve.foot_c;
      const slope = -l.b;
      return { ...c, curve: { ...c.curve, slope: Math.round(slope * 100) / 100, shift_k: round1(l.a + l.b * foot - foot) } };
    }
  }
}

function solve3(A: number[][], b: number[]): number[] {
  const m = A.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < 3; col++) {
    let piv = col;
    for (let r = col + 1; r < 3; r++) if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
    [m[col], m[piv]] = [m[piv], m[col]];
    for (let r = 0; r < 3; r++) {
      if (r === col) continue;
      const f = m[r][col] / m[col][col];
      for (let k = col; k < 4; k++) m[r][k] -= f * m[col][k];
    }
  }
  return [m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]];
}

