// Damping and limits (domain §5 step 5): move part of the way, never more than a step, keep the
// most demanding (index) circuit open and throttle the others relative to it, never starve the
// heat pump.

import { ENGINE_TUNING } from "./tuning.js";

/** ṁ_new = ṁ·(ṁ* ÷ ṁ)^γ: γ < 1 moves part of the way on a log scale, so model error cannot overshoot. */
export function damp(currentLpm: number, wantedLpm: number, gamma: number): number {
  return currentLpm * Math.pow(wantedLpm / currentLpm, gamma);
}

/** At most ±maxStep relative change per cycle. */
export function clampStep(currentLpm: number, newLpm: number, maxStep: number): number {
  return Math.min(currentLpm * (1 + maxStep), Math.max(currentLpm * (1 - maxStep), newLpm));
}

/** A flow change too small to matter or to set: below max(0.1 l/min, 5 %) (domain §5). */
export function withinFlowDeadBand(currentLpm: number, newLpm: number): boolean {
  return Math.abs(newLpm - currentLpm) < Math.max(ENGINE_TUNING.flowDeadBandLpm, ENGINE_TUNING.readShare * currentLpm);
}

/**
 * Index scaling. `ratios` are wanted/current flow, `headroom` the largest ratio each valve can
 * give (fully open). When a circuit wants more than its valve gives, every wanted flow is scaled
 * down by the same factor, so the index circuit ends fully open and the others are throttled
 * relative to it. Returns the factor (≤ 1) and the index position (−1 when none is limited).
 */
export function indexScaling(ratios: number[], headroom: number[]): { factor: number; index: number } {
  let worst = 1;
  let index = -1;
  for (let i = 0; i < ratios.length; i++) {
    const need = ratios[i]! / Math.max(1e-9, headroom[i]!);
    if (need > worst + 1e-9) {
      worst = need;
      index = i;
    }
  }
  return { factor: 1 / worst, index };
}

/**
 * Keep Σ flow ≥ the heat pump's minimum: reductions are shrunk by one common share until the sum
 * holds (increases are kept). Returns the new flows.
 */
export function keepMinimumFlow(current: number[], proposed: number[], minimumLpm: number): { flows: number[]; limited: boolean } {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  if (sum(proposed) >= minimumLpm - 1e-9) return { flows: proposed, limited: false };
  const increases = proposed.map((p, i) => Math.max(0, p - current[i]!));
  const reductions = proposed.map((p, i) => Math.max(0, current[i]! - p));
  const base = sum(current) + sum(increases);
  const cut = sum(reductions);
  const share = cut > 0 ? Math.max(0, Math.min(1, (base - minimumLpm) / cut)) : 0;
  return { flows: current.map((c, i) => c + increases[i]! - share * reductions[i]!), limited: true };
}
