// Room feedback on the curve (seed 003): shift the return target by the rooms' deviation times a
// factor (usually 1–5), or by FHEM's quadratic law, clamped to the −5…+5 K that
// `returnTemperatureSetBack` accepts. Deviation = actual − wanted room temperature (warm is +). Pure.

export const SETBACK_LIMIT_K = 5;

const clamp = (v: number) => Math.max(-SETBACK_LIMIT_K, Math.min(SETBACK_LIMIT_K, v));
const tenth = (v: number) => Math.round(v * 10) / 10 + 0; // + 0 turns −0 into 0

/** Linear: set-back = −deviation × factor, K. */
export function linearSetBackK(deviationK: number, factor: number): number {
  if (!(factor >= 1 && factor <= 5)) throw new Error(`factor ${factor} is outside 1–5 (seed 003)`);
  return clamp(tenth(-deviationK * factor));
}

/**
 * Quadratic (seed 003's FHEM line): −int(10·((δ·1.45 + 1)² − 1) + 0.5)/10, reaching −5 K at +1 K.
 * The seed gives it for warm rooms; a cool room gets the mirror image (a raise).
 */
export function quadraticSetBackK(deviationK: number): number {
  const a = Math.abs(deviationK);
  const v = Math.floor(10 * ((a * 1.45 + 1) ** 2 - 1) + 0.5) / 10;
  return clamp(tenth(deviationK >= 0 ? -v : v));
}

export interface SetBackRow {
  deviationK: number;
  setBackK: number;
}

/** The table a user enters into a FHEM notify (or reads off): deviations −range…+range in 0.1 K. */
export function setBackTable(law: { kind: "linear"; factor: number } | { kind: "quadratic" }, rangeK = 1): SetBackRow[] {
  const rows: SetBackRow[] = [];
  const n = Math.round(rangeK * 10);
  for (let i = -n; i <= n; i++) {
    const d = i / 10;
    rows.push({ deviationK: d, setBackK: law.kind === "linear" ? linearSetBackK(d, law.factor) : quadraticSetBackK(d) });
  }
  return rows;
}
