// One view over the three controllers the house file can name: what the curve asks for at an
// outdoor temperature, and how a wanted change Δ(θ) = a + b·(θ − θref) becomes new settings in the
// controller's own terms, rounded to what it accepts. Pure.

import { genericSupplyC, type GenericCurve } from "./generic.js";
import { LAMBDA_MAX_C, LAMBDA_MIN_C, LAMBDA_POINTS_C, lambdaBaseC, type LambdaCurve } from "./lambda.js";
import { luxFit, luxReturnTargetC, type LuxCurve } from "./luxtronik.js";

export type Controller =
  | { kind: "lambda"; step_k: number; curve: LambdaCurve }
  | { kind: "luxtronik"; step_k: number; curve: LuxCurve; fhem_device?: string }
  | { kind: "generic"; step_k: number; curve: GenericCurve };

/** What the controller's target temperature is: Lambda and generic aim the supply, Luxtronik the return. */
export function controls(c: Controller): "supply" | "return" {
  return c.kind === "luxtronik" ? "return" : "supply";
}

/** The controller's target at outdoor θ, °C (supply, or return for Luxtronik). */
export function targetAtC(c: Controller, outdoorC: number): number {
  switch (c.kind) {
    case "lambda":
      return lambdaBaseC(c.curve, outdoorC) + c.curve.offset_k;
    case "luxtronik":
      return luxReturnTargetC(c.curve, outdoorC);
    case "generic":
      return genericSupplyC(c.curve, outdoorC);
  }
}

/** A wanted change of the target: Δ(θ) = atRefK + perK·(θ − refC), K. */
export interface CurveChange {
  atRefK: number;
  /** K of change per K of outdoor temperature (negative: more change when colder). */
  perK: number;
  refC: number;
}

export const changeAt = (d: CurveChange, outdoorC: number) => d.atRefK + d.perK * (outdoorC - d.refC);

/** Round v to a multiple of the step. */
function quantise(v: number, step: number, mode: "nearest" | "down" | "up"): number {
  const q = v / step;
  const n = mode === "nearest" ? Math.round(q) : mode === "down" ? Math.floor(q + 1e-9) : Math.ceil(q - 1e-9);
  return Math.round(n * step * 10) / 10 + 0;
}

/**
 * New settings for a wanted change. Each changed value moves by at most `maxStepK` and lands on
 * the controller's step; lowerings round towards less change, raisings towards more, so the
 * rounding never leaves a room short.
 */
export function applyChange(c: Controller, d: CurveChange, maxStepK: number): Controller {
  const limit = (v: number) => Math.max(-maxStepK, Math.min(maxStepK, v));
  // Lowering rounds up (less lowering), raising rounds up (more warmth): both err on comfort.
  const move = (from: number, delta: number) => (Math.abs(limit(delta)) < c.step_k / 2 ? from : quantise(from + limit(delta), c.step_k, "up"));
  switch (c.kind) {
    case "lambda": {
      const [cold, mid, warm] = LAMBDA_POINTS_C.map((x) => changeAt(d, x));
      const clampC = (v: number) => Math.max(LAMBDA_MIN_C, Math.min(LAMBDA_MAX_C, v));
      return {
        ...c,
        curve: {
          ...c.curve,
          at_minus22_c: clampC(move(c.curve.at_minus22_c, cold)),
          at_0_c: clampC(move(c.curve.at_0_c, mid)),
          at_plus22_c: clampC(move(c.curve.at_plus22_c, warm)),
        },
      };
    }
    case "generic": {
      // T(θ) + Δ(θ): shift moves by Δ(foot), the slope by −perK (slope multiplies foot − θ).
      const foot = c.curve.foot_c;
      const slope = Math.max(0, Math.round((c.curve.slope - d.perK) * 100) / 100);
      return { ...c, curve: { ...c.curve, slope, shift_k: move(c.curve.shift_k, changeAt(d, foot)) } };
    }
    case "luxtronik": {
      // Two far-apart points (FHEM's advice: e.g. −7 and +7 °C) moved by Δ, refitted on the step grid.
      const pts = [-7, 7].map((x) => ({ outdoorC: x, returnC: luxReturnTargetC(c.curve, x) + limit(changeAt(d, x)) }));
      const fit = luxFit(pts, c.step_k, c.curve);
      return { ...c, curve: { end_point_c: fit.end_point_c, offset_c: fit.offset_c } };
    }
  }
}

export function sameSettings(a: Controller, b: Controller): boolean {
  return JSON.stringify(a.curve) === JSON.stringify(b.curve);
}
