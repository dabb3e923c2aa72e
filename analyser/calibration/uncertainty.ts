// How sure a spread is: an interval from every source the measurement has, so the engine acts
// only on errors beyond it and never calls a circuit balanced that the sensors cannot resolve.
// Sources (1 sd each, independent, added in quadrature):
// - noise: the scatter of the segment (or cycle) medians, as the spread's own interval has it;
// - coverage: a sensor that reported only part of the window leaves gaps the rest must stand
//   for: noise × (1/√coverage − 1);
// - calibration: each sensor's offset sd; uncalibrated UNCALIBRATED_SD_K (the datasheet's
//   ±0.5 K read as 2σ; clones are worse);
// - air coupling: sd_ε × (θ − θ_air) per sensor (calibration/coupling.ts), θ_air the cabinet's
//   air, taken as CABINET_AIR_C [est] (it cancels where it is shared; only its sd term remains).
// The relative half-width leaves out the supply sensor's terms: they are common to every circuit
// of a manifold, so they cancel when circuits are compared with each other (what balancing does).

import type { SpreadUncertainty } from "../measurement/result.js";
import { round, Z90 } from "../measurement/stats.js";
import { COUPLING_PRIOR } from "./coupling.js";

export const UNCALIBRATED_SD_K = 0.25;
export const CABINET_AIR_C = 21;
/** A calibration with a larger sd than this does not count as calibrated. */
export const CALIBRATED_SD_K = 0.1;

export interface SensorState {
  rom?: string;
  /** Offset sd from a calibration, undefined if none. */
  sd_k?: number;
  /** Mean temperature the sensor saw over the spread's minutes, °C. */
  level_c: number;
  coverage: number;
}

export function spreadUncertainty(value: number, noiseSdK: number, supply: SensorState, ret: SensorState, deadBandK: number): SpreadUncertainty {
  const cal = (s: SensorState) => s.sd_k ?? UNCALIBRATED_SD_K;
  const coupling = (s: SensorState) => COUPLING_PRIOR.sd * Math.abs(s.level_c - CABINET_AIR_C);
  const coverage = noiseSdK * (1 / Math.sqrt(Math.max(0.05, Math.min(supply.coverage, ret.coverage))) - 1);
  const calibration = Math.hypot(cal(supply), cal(ret));
  const air = Math.hypot(coupling(supply), coupling(ret));
  const total = Math.hypot(noiseSdK, coverage, calibration, air);
  const relative = Math.hypot(noiseSdK, coverage, cal(ret), coupling(ret));
  const calibrate = [supply, ret].filter((s) => s.rom && cal(s) > CALIBRATED_SD_K).map((s) => s.rom!);
  return {
    interval: { low: round(value - Z90 * total), high: round(value + Z90 * total) },
    noise_k: round(noiseSdK),
    coverage_k: round(coverage),
    calibration_k: round(calibration),
    coupling_k: round(air),
    relative_half_width_k: round(Z90 * relative),
    resolvable: Z90 * relative <= deadBandK,
    calibrate,
  };
}

/** The noise sd inside an interval that already holds `extraSdK` of calibration (spreadStats, heatSpread). */
export function noiseOf(ci: { low: number; high: number }, extraSdK: number): number {
  const se = (ci.high - ci.low) / 2 / Z90;
  return Math.sqrt(Math.max(0, se * se - extraSdK * extraSdK));
}
