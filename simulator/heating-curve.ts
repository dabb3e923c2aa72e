// The heat pump's heating curve as Lambda implements it (seed 004): supply temperature by linear
// interpolation over three support points at −22, 0 and +22 °C outdoor, held flat beyond them,
// plus an offset.

export interface HeatingCurve {
  at_minus22_c: number;
  at_0_c: number;
  at_plus22_c: number;
  offset_k: number;
}

export function curveSupplyC(curve: HeatingCurve, outdoorC: number): number {
  let base: number;
  if (outdoorC <= -22) base = curve.at_minus22_c;
  else if (outdoorC <= 0) base = curve.at_minus22_c + ((curve.at_0_c - curve.at_minus22_c) * (outdoorC + 22)) / 22;
  else if (outdoorC < 22) base = curve.at_0_c + ((curve.at_plus22_c - curve.at_0_c) * outdoorC) / 22;
  else base = curve.at_plus22_c;
  return base + curve.offset_k;
}
