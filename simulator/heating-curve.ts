// The heat pump's heating curve as Lambda implements it (seed 004): supply temperature by linear
// interpolation over three support points at −22, 0 and +22 °C outdoor, held flat beyond them,
// plus an offset. The formulas live in analyser/curve (pure, shared with the advisor).

import { lambdaBaseC, type LambdaCurve } from "../analyser/curve/lambda.js";

export type HeatingCurve = LambdaCurve;

export function curveSupplyC(curve: HeatingCurve, outdoorC: number): number {
  return lambdaBaseC(curve, outdoorC) + curve.offset_k;
}
