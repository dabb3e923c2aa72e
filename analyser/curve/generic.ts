// A generic heating curve as most controllers present it: a slope (Steilheit) and a parallel shift
// (Niveau) around a foot point of 20 °C: supply = foot + shift + slope·(foot − θe). Pure.

export interface GenericCurve {
  slope: number;
  shift_k: number;
  /** The room-side foot point, °C (20 unless the controller says otherwise). */
  foot_c: number;
}

export function genericSupplyC(curve: GenericCurve, outdoorC: number): number {
  return curve.foot_c + curve.shift_k + curve.slope * (curve.foot_c - outdoorC);
}
