// Luxtronik 2.0's heating curve (seed 003, FHEM module LUXTRONIK2): a RETURN-temperature target
// from two constants, heatingCurveEndPoint E and heatingCurveOffset O (the foot point):
//
//   T_R(θe) = O + (E − 20)·(O − θe) / (20 − (θe − O)/2)
//
// (FHEM 23_LUXTRONIK2.pm, LUXTRONIK2_getHeatingCurveReturnTemperature; rounded there to 0.1 K).
// FHEM's `get <device> heatingCurveParameter θ1 T1 θ2 T2` finds E and O for two (outdoor, target)
// points in 0.1 steps; the controller's own menu accepts 0.5 steps only. Pure.

export interface LuxCurve {
  /** heatingCurveEndPoint, °C. */
  end_point_c: number;
  /** heatingCurveOffset (foot point), °C. */
  offset_c: number;
}

/** Return-temperature target at outdoor θ, °C (unrounded). */
export function luxReturnTargetC(curve: LuxCurve, outdoorC: number): number {
  const { end_point_c: e, offset_c: o } = curve;
  return o + ((e - 20) * (o - outdoorC)) / (20 - (outdoorC - o) / 2);
}

/** As FHEM shows it: rounded half up to 0.1 K. */
export function luxReturnTargetRoundedC(curve: LuxCurve, outdoorC: number): number {
  return Math.floor(10 * luxReturnTargetC(curve, outdoorC) + 0.5) / 10;
}

export interface LuxPoint {
  outdoorC: number;
  returnC: number;
}

const E_RANGE: [number, number] = [20, 70];
const O_RANGE: [number, number] = [5, 35];

/**
 * The E and O on a `step` grid (0.1 for FHEM, 0.5 at the controller) whose targets come closest to
 * the points: least worst error, then least squared error, then the grid point nearest `near`
 * (today's setting) so an already-good setting is kept. Two points give FHEM's fit; more points
 * give a least-squares fit of logged data in the controller's own terms.
 */
export function luxFit(points: LuxPoint[], step = 0.1, near?: LuxCurve): LuxCurve & { worstK: number } {
  if (points.length < 2) throw new Error("a Luxtronik curve needs at least two (outdoor, target) points");
  const nE = Math.round((E_RANGE[1] - E_RANGE[0]) / step);
  const nO = Math.round((O_RANGE[1] - O_RANGE[0]) / step);
  let best = { end_point_c: NaN, offset_c: NaN, worstK: Infinity, sq: Infinity, dist: Infinity };
  for (let i = 0; i <= nE; i++) {
    const e = Math.round((E_RANGE[0] + i * step) * 10) / 10;
    for (let j = 0; j <= nO; j++) {
      const o = Math.round((O_RANGE[0] + j * step) * 10) / 10;
      let worst = 0;
      let sq = 0;
      for (const p of points) {
        const d = luxReturnTargetC({ end_point_c: e, offset_c: o }, p.outdoorC) - p.returnC;
        worst = Math.max(worst, Math.abs(d));
        sq += d * d;
      }
      const dist = near ? Math.abs(e - near.end_point_c) + Math.abs(o - near.offset_c) : 0;
      const better =
        points.length > 2
          ? sq < best.sq - 1e-12 || (Math.abs(sq - best.sq) <= 1e-12 && dist < best.dist)
          : worst < best.worstK - 1e-9 || (Math.abs(worst - best.worstK) <= 1e-9 && (sq < best.sq - 1e-12 || (Math.abs(sq - best.sq) <= 1e-12 && dist < best.dist)));
      if (better) best = { end_point_c: e, offset_c: o, worstK: worst, sq, dist };
    }
  }
  return { end_point_c: best.end_point_c, offset_c: best.offset_c, worstK: best.worstK };
}

/** FHEM's command that sets the fitted constants (FHEM accepts 0.1 steps). */
export function fhemCommands(device: string, curve: LuxCurve): string[] {
  return [`set ${device} heatingCurveEndPoint ${curve.end_point_c.toFixed(1)}`, `set ${device} heatingCurveOffset ${curve.offset_c.toFixed(1)}`];
}
