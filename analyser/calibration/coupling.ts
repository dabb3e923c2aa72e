// Air coupling: a clamped sensor reads θ_w − ε·(θ_w − θ_air) (domain §7). ε is not an offset: it
// grows with the water-to-air difference, so no isothermal calibration removes it.
//
// Where two sensors see one water at different water-to-air differences (the supply and
// manifold-return sensors during a standby with the pump running, as the water drifts towards
// the floors), the slope of their difference against (θ_w − θ_air) is −(ε_a − ε_b): their
// relative coupling. Otherwise the prior stands. Clamping with paste and wrapping the sensor in
// 10 mm of pipe insulation brings ε to ≈ 0.02–0.08 (the prior below); a bare clip on an
// uninsulated pipe reaches 0.1–0.2 [est, domain §7].

import { leastSquares } from "./regression.js";

/** ε of a clamped, insulated sensor: mean and sd of a uniform 0.02–0.08 [est]. */
export const COUPLING_PRIOR = Object.freeze({ epsilon: 0.05, sd: 0.017 });
/** ε of a sensor clipped on without paste or insulation [est]. */
export const COUPLING_BARE = Object.freeze({ epsilon: 0.15, sd: 0.05 });

/**
 * Relative coupling ε_a − ε_b from paired minutes that see one water; `airC` the cabinet air
 * (e.g. the level an in-place stop converged to). Needs a water-to-air range of ≥ 3 K.
 */
export function pairCoupling(a: ArrayLike<number>, b: ArrayLike<number>, airC: number): { difference: number; sd: number } | null {
  const d: number[] = [];
  const lift: number[] = [];
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) continue;
    d.push(a[i] - b[i]);
    lift.push((a[i] + b[i]) / 2 - airC);
  }
  if (d.length < 20 || Math.max(...lift) - Math.min(...lift) < 3) return null;
  const fit = leastSquares([lift.map(() => 1), lift], d);
  return fit ? { difference: -fit.coef[1], sd: fit.se[1] } : null;
}

/** The error a coupling uncertainty puts on a spread: the two sensors' terms, independent, K (1 sd). */
export function couplingSpreadSd(supplyC: number, returnC: number, airC: number, sdSupply = COUPLING_PRIOR.sd, sdReturn = COUPLING_PRIOR.sd): number {
  return Math.hypot(sdSupply * (supplyC - airC), sdReturn * (returnC - airC));
}
