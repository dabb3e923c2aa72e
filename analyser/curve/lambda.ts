// Lambda heat pumps' heating curve (seed 004): the supply temperature by linear interpolation over
// three support points at −22 / 0 / +22 °C outdoor (each 15–75 °C, 0.1 K steps), held flat beyond
// them; a flow-line offset, the room-thermometer adjustment and the ECO reduction are added on top,
// and the result is rounded to one decimal as the integration does. Pure.

export interface LambdaCurve {
  /** Supply at −22 °C outdoor (Kaltpunkt), °C. */
  at_minus22_c: number;
  /** Supply at 0 °C outdoor (Mittelpunkt), °C. */
  at_0_c: number;
  /** Supply at +22 °C outdoor (Warmpunkt), °C. */
  at_plus22_c: number;
  /** Flow-line offset, K (−10…+10). */
  offset_k: number;
}

export const LAMBDA_POINTS_C = [-22, 0, 22] as const;
export const LAMBDA_MIN_C = 15;
export const LAMBDA_MAX_C = 75;
export const LAMBDA_DEFAULT: LambdaCurve = { at_minus22_c: 48.3, at_0_c: 39.0, at_plus22_c: 32.0, offset_k: 0 };

/** The interpolated value alone (no offset), °C. */
export function lambdaBaseC(curve: LambdaCurve, outdoorC: number): number {
  if (outdoorC >= 22) return curve.at_plus22_c;
  if (outdoorC > 0) return curve.at_0_c + (outdoorC * (curve.at_plus22_c - curve.at_0_c)) / 22;
  if (outdoorC > -22) return curve.at_minus22_c + ((outdoorC + 22) * (curve.at_0_c - curve.at_minus22_c)) / 22;
  return curve.at_minus22_c;
}

export interface LambdaExtras {
  /** Room thermometer: adjustment = (target − actual − offset) × factor. */
  room?: { targetC: number; actualC: number; offsetK?: number; factor?: number };
  /** ECO reduction (−10…0 K), applied while the circuit is in ECO mode. */
  ecoReductionK?: number;
}

/** Lambda's room-thermometer adjustment, K. */
export function lambdaRoomAdjustmentK(room: NonNullable<LambdaExtras["room"]>): number {
  return (room.targetC - room.actualC - (room.offsetK ?? 0)) * (room.factor ?? 1);
}

/** The final flow-line temperature as the integration computes it, rounded to 0.1 °C. */
export function lambdaFlowC(curve: LambdaCurve, outdoorC: number, extras: LambdaExtras = {}): number {
  let v = lambdaBaseC(curve, outdoorC) + curve.offset_k;
  if (extras.room) v += lambdaRoomAdjustmentK(extras.room);
  if (extras.ecoReductionK) v += extras.ecoReductionK;
  return Math.round(v * 10) / 10;
}

/** Hat functions of the three support points at outdoor θ (they sum to 1): the curve is Σ pᵢ·hᵢ(θ). */
export function lambdaWeights(outdoorC: number): [number, number, number] {
  if (outdoorC <= -22) return [1, 0, 0];
  if (outdoorC >= 22) return [0, 0, 1];
  if (outdoorC <= 0) {
    const w = (outdoorC + 22) / 22;
    return [1 - w, w, 0];
  }
  const w = outdoorC / 22;
  return [0, 1 - w, w];
}
