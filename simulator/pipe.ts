// Pipe friction by Darcy–Weisbach with λ = max(64/Re, 0.3164·Re^−0.25) (laminar / Blasius),
// which is continuous near Re ≈ 1200 and reproduces the domain table (16x2: 40/136/276 Pa/m at
// 1/2/3 l/min). Bends and fittings add about 20 % in a real circuit (domain §8).

import { WATER_DENSITY, WATER_NU } from "./water.js";

export const BEND_FACTOR = 1.2;

export function areaM2(innerM: number): number {
  return (Math.PI / 4) * innerM * innerM;
}

export function reynolds(flowLpm: number, innerM: number): number {
  const v = flowLpm / 60000 / areaM2(innerM);
  return (v * innerM) / WATER_NU;
}

export function frictionFactor(re: number): number {
  if (re <= 0) return 0;
  return Math.max(64 / re, 0.3164 * Math.pow(re, -0.25));
}

/** Straight-pipe pressure drop per metre, Pa/m. */
export function pressureDropPaPerM(flowLpm: number, innerM: number): number {
  if (flowLpm <= 0) return 0;
  const v = flowLpm / 60000 / areaM2(innerM);
  const re = (v * innerM) / WATER_NU;
  return ((frictionFactor(re) / innerM) * WATER_DENSITY * v * v) / 2;
}

/** Its derivative d(Δp/L)/dQ, Pa/m per l/min (laminar ∝ Q, Blasius ∝ Q^1.75). */
export function pressureDropSlope(flowLpm: number, innerM: number): number {
  if (flowLpm <= 0) {
    // Laminar limit at Q → 0: Δp/L = 32·ρ·ν·v/D².
    return (32 * WATER_DENSITY * WATER_NU) / (innerM * innerM) / 60000 / areaM2(innerM);
  }
  const re = reynolds(flowLpm, innerM);
  const laminar = 64 / re >= 0.3164 * Math.pow(re, -0.25);
  return ((laminar ? 1 : 1.75) * pressureDropPaPerM(flowLpm, innerM)) / flowLpm;
}
