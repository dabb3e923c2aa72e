// Heat transfer of one floor circuit (domain.md §1, §3, §5). Pure functions, SI units except
// flows in l/min and temperatures in °C.
//
// The circuit is a counter-flow-free heat exchanger against the room: with water capacity rate
// C = ṁ·c and a conductance UA from the water to the room, the return is
//   θ_R = θ_i + (θ_V − θ_i)·e^(−UA/C),  so  Q = C·(θ_V − θ_i)·(1 − e^(−UA/C)).
// Output therefore reacts to flow sub-linearly (d ln Q / d ln ṁ = NTU·e^−NTU/(1 − e^−NTU)), which
// is why a target is turned into a flow through this model and never by a straight proportion.

import { ENGINE_TUNING } from "./tuning.js";

/** Water: ρ ≈ 0.993 kg/l and c ≈ 4180 J/(kg·K) at 35 °C → W/K per l/min. */
export const WATER_W_PER_K_PER_LPM = (0.993 * 4180) / 60;

/** Heat-capacity rate of a flow, W/K. */
export function capacityRate(flowLpm: number): number {
  return flowLpm * WATER_W_PER_K_PER_LPM;
}

/** Number of transfer units NTU = ln[(θ_V − θ_i)/(θ_R − θ_i)]; NaN where the state is not physical. */
export function ntuFromTemperatures(supplyC: number, returnC: number, roomC: number): number {
  const hot = supplyC - roomC;
  const cold = returnC - roomC;
  if (!(hot > 0) || !(cold > 0) || cold >= hot) return NaN;
  return Math.log(hot / cold);
}

/** UA_i = ṁ_i·c·ln[(θ_V − θ_i)/(θ_R,i − θ_i)] (domain §5 step 2), W/K. */
export function conductanceFromState(flowLpm: number, supplyC: number, returnC: number, roomC: number): number {
  return capacityRate(flowLpm) * ntuFromTemperatures(supplyC, returnC, roomC);
}

/** Heat output at a flow, W. */
export function outputAt(flowLpm: number, ua: number, supplyC: number, roomC: number): number {
  const c = capacityRate(flowLpm);
  if (c <= 0) return 0;
  return c * (supplyC - roomC) * (1 - Math.exp(-ua / c));
}

/** Spread θ_V − θ_R at a flow, K. */
export function spreadAt(flowLpm: number, ua: number, supplyC: number, roomC: number): number {
  const c = capacityRate(flowLpm);
  if (c <= 0) return supplyC - roomC;
  return (supplyC - roomC) * (1 - Math.exp(-ua / c));
}

/**
 * The flow that gives a wanted spread: NTU* = −ln(1 − σ* ÷ (θ_V − θ_i)), ṁ* = UA/(c·NTU*).
 * NaN when the spread is not reachable (σ* ≥ θ_V − θ_i or ≤ 0).
 */
export function flowForSpread(spreadK: number, ua: number, supplyC: number, roomC: number): number {
  const hot = supplyC - roomC;
  if (!(spreadK > 0) || !(spreadK < hot) || !(ua > 0)) return NaN;
  const ntu = -Math.log(1 - spreadK / hot);
  return ua / (WATER_W_PER_K_PER_LPM * ntu);
}

/**
 * Share of the flow-independent ceiling UA·(θ_V − θ_i) a heat demand asks for. Above ~0.85 no
 * reasonable flow delivers it: only a warmer supply (the heating curve) can (domain §5 step 4).
 */
export function demandRatio(heatW: number, ua: number, supplyC: number, roomC: number): number {
  return heatW / (ua * (supplyC - roomC));
}

export const CANNOT_FIX_RATIO = ENGINE_TUNING.cannotFixRatio;

/**
 * Solve Q* = ṁ*·c·(θ_V − θ_i)·(1 − e^(−UA/(ṁ*c))) for ṁ* by bisection on a log scale (the output
 * rises monotonically with flow). Returns NaN when the demand is at or above the ceiling
 * UA·(θ_V − θ_i), which no flow reaches.
 */
export function flowForOutput(heatW: number, ua: number, supplyC: number, roomC: number, bounds = { low: 0.01, high: 50 }): number {
  if (!(heatW > 0) || !(ua > 0) || !(supplyC > roomC)) return NaN;
  if (heatW >= ua * (supplyC - roomC)) return NaN;
  let low = bounds.low;
  let high = bounds.high;
  if (outputAt(high, ua, supplyC, roomC) < heatW) return NaN;
  if (outputAt(low, ua, supplyC, roomC) >= heatW) return low;
  for (let i = 0; i < 80; i++) {
    const mid = Math.sqrt(low * high);
    if (outputAt(mid, ua, supplyC, roomC) < heatW) low = mid;
    else high = mid;
  }
  return Math.sqrt(low * high);
}

// ---- EN 1264 (domain §1) ----

const ALPHA = 10.8; // W/m²K, surface heat-transfer coefficient
const SCREED_LAMBDA = 1.2; // W/mK
const PIPE_OD_M = 0.017; // the K_H tables are for D = 17 mm; the pipe's own OD is used when known

/** K_H = B·a_B·a_T^m_T·a_u^m_u·a_D^m_D for type A systems, W/m²K. */
export function khTypeA(floor: { covering_r: number; spacing_m: number; screed_m: number }, pipeOuterM = PIPE_OD_M): number {
  const B = 6.7;
  const su = floor.screed_m;
  const aB = (1 / ALPHA + 0.045) / (1 / ALPHA + su / SCREED_LAMBDA + floor.covering_r);
  // a_T by covering resistance (EN 1264-2 table), interpolated.
  const aT = interpolate([0, 0.05, 0.1, 0.15], [1.23, 1.188, 1.156, 1.134], floor.covering_r);
  const mT = 1 - floor.spacing_m / 0.075;
  // a_u and a_D depend on T and R_λB in the standard's tables; their mid values are used.
  const aU = interpolate([0, 0.05, 0.1, 0.15], [1.069, 1.056, 1.043, 1.037], floor.covering_r);
  const mU = 100 * (0.045 - su);
  const aD = interpolate([0, 0.05, 0.1, 0.15], [1.013, 1.013, 1.012, 1.011], floor.covering_r);
  const mD = 250 * (pipeOuterM - 0.02);
  return B * aB * Math.pow(aT, mT) * Math.pow(aU, mU) * Math.pow(aD, mD);
}

function interpolate(xs: number[], ys: number[], x: number): number {
  if (x <= xs[0]!) return ys[0]!;
  for (let i = 1; i < xs.length; i++) {
    if (x <= xs[i]!) {
      const t = (x - xs[i - 1]!) / (xs[i]! - xs[i - 1]!);
      return ys[i - 1]! + t * (ys[i]! - ys[i - 1]!);
    }
  }
  return ys[ys.length - 1]!;
}

/**
 * EN 1264-3 design spreads. The room with the highest Δθ_H = q/K_H (the design room) gets
 * σ_des; Δθ_V,des = Δθ_H,des + σ_des/2 (+ σ²/(12Δθ_H) when σ/Δθ_H > 0.5); every other room gets
 * σ_j = 3Δθ_H,j[√(1 + 4(Δθ_V,des − Δθ_H,j)/(3Δθ_H,j)) − 1]. Returns σ_j per input and Δθ_V,des.
 */
export function designSpreads(rooms: { excessK: number }[], sigmaDesignK = 5): { spreads: number[]; supplyExcessK: number } {
  const design = Math.max(...rooms.map((r) => r.excessK));
  let supplyExcess = design + sigmaDesignK / 2;
  if (sigmaDesignK / design > 0.5) supplyExcess += (sigmaDesignK * sigmaDesignK) / (12 * design);
  const spreads = rooms.map((r) => {
    const h = r.excessK;
    if (h >= design) return sigmaDesignK;
    return 3 * h * (Math.sqrt(1 + (4 * (supplyExcess - h)) / (3 * h)) - 1);
  });
  return { spreads, supplyExcessK: supplyExcess };
}

// ---- Hydraulics (domain §2) ----

/** Turbulent pipe fit Δp/L ≈ a·Q^1.75 (Pa/m, Q in l/min), a ∝ d^−4.75 (Blasius), +20 % for bends. */
export function pipeResistanceKpa(lengthM: number, innerM: number): number {
  const a16 = 40.4; // Pa/m at 1 l/min for ID 12 mm
  const a = a16 * Math.pow(0.012 / innerM, 4.75);
  return (1.2 * a * lengthM) / 1000;
}

export const PIPE_EXPONENT = 1.75;

/** Valve drop Δp[bar] = (Q[m³/h]/k_v)², in kPa with Q in l/min. */
export function valveDropKpa(flowLpm: number, kv: number): number {
  const q = (flowLpm * 60) / 1000;
  return 100 * (q / kv) * (q / kv);
}

/** k_v that drops a head at a flow. */
export function kvFor(flowLpm: number, headKpa: number): number {
  const q = (flowLpm * 60) / 1000;
  return q / Math.sqrt(headKpa / 100);
}

/** Lockshield characteristic k_v(n) = k_vs(1 − e^(−n/n₀)) (domain §2). */
export function kvAtTurns(turns: number, c: { kvs: number; n0_turns: number }): number {
  return c.kvs * (1 - Math.exp(-Math.max(0, turns) / c.n0_turns));
}

/** Inverse of kvAtTurns; Infinity when k_v ≥ k_vs (fully open is not enough). */
export function turnsForKv(kv: number, c: { kvs: number; n0_turns: number }): number {
  if (kv <= 0) return 0;
  if (kv >= c.kvs) return Infinity;
  return -c.n0_turns * Math.log(1 - kv / c.kvs);
}

/**
 * Flow through pipe + valve at a manifold head: R·Q^1.75 + (Q/k_v)² = H. Newton from the right:
 * the drop is convex and increasing in Q, so it converges monotonically, from the smaller of the
 * two flows either part alone would pass (where the drop is at least H). The network solve
 * (network.ts) calls this for every circuit at every trial head: bisection was its cost.
 */
export function flowAtHead(headKpa: number, pipeKpa: number, kv: number): number {
  if (!(headKpa > 0) || !(kv > 0)) return 0;
  const k = valveDropKpa(1, kv);
  let q = Math.sqrt(headKpa / k);
  if (pipeKpa > 0) q = Math.min(q, Math.pow(headKpa / pipeKpa, 1 / PIPE_EXPONENT));
  for (let i = 0; i < 60; i++) {
    const pipe = pipeKpa * Math.pow(q, PIPE_EXPONENT);
    const f = pipe + k * q * q - headKpa;
    const slope = (PIPE_EXPONENT * pipe) / q + 2 * k * q;
    const next = q - f / slope;
    if (!(next > 0 && next < q)) return q;
    if (q - next < q * 1e-13) return next;
    q = next;
  }
  return q;
}

/** The root of an increasing function on [low, high], by bisection (the ends when it has none there). */
export function rootIncreasing(f: (x: number) => number, low: number, high: number, iterations = 50): number {
  if (f(low) >= 0) return low;
  if (f(high) <= 0) return high;
  for (let i = 0; i < iterations; i++) {
    const mid = (low + high) / 2;
    if (f(mid) < 0) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
