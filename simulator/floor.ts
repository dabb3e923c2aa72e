// The heated floor after EN 1264-2 (type A, pipe in the screed). K_H is taken from the domain
// table (computed with B = 6.7, α = 10.8, 45 mm screed, λ_E = 1.2, D = 17 mm), interpolated in
// covering resistance R_λB and spacing T, and corrected for other screed thicknesses with the
// standard's a_B and a_u^m_u factors. The table is exact for what the house files use; outside
// it (R_λB > 0.15) K_H scales with a_B, the factor that carries R_λB in the standard.

export const ALPHA_FLOOR = 10.8; // W/(m²K), EN 1264 total surface coefficient
const LAMBDA_SCREED = 1.2; // W/(mK)
const S_U0 = 0.045; // m, the table's screed cover
/** Downward resistance to the structure below, m²K/W (EN 1264-4 minimum between heated floors 0.75; typical 1.5). */
export const R_DOWN = 1.5;

const TABLE_R = [0, 0.1, 0.15];
const TABLE_T = [0.1, 0.15, 0.2, 0.3];
const TABLE_K = [
  [6.5, 5.6, 4.9, 3.7],
  [3.8, 3.4, 3.1, 2.5],
  [3.1, 2.9, 2.6, 2.2],
];

function aB(coveringR: number, screedM: number): number {
  return (1 / ALPHA_FLOOR + S_U0 / 1.0) / (1 / ALPHA_FLOOR + screedM / LAMBDA_SCREED + coveringR);
}

function interp(xs: number[], ys: number[], x: number): number {
  if (x <= xs[0]) return ys[0] + ((ys[1] - ys[0]) * (x - xs[0])) / (xs[1] - xs[0]);
  for (let i = 1; i < xs.length; i++) {
    if (x <= xs[i] || i === xs.length - 1) return ys[i - 1] + ((ys[i] - ys[i - 1]) * (x - xs[i - 1])) / (xs[i] - xs[i - 1]);
  }
  return ys[ys.length - 1];
}

/** EN 1264 K_H, W/(m²K): q = K_H·Δθ_H (upward, to the room). */
export function floorKH(floor: { covering_r: number; spacing_m: number; screed_m: number }): number {
  const r = Math.max(0, floor.covering_r);
  const rowAt = (row: number[]) => interp(TABLE_T, row, floor.spacing_m);
  let k: number;
  if (r <= 0.15) {
    const atR = TABLE_R.map((_, i) => rowAt(TABLE_K[i]));
    k = interp(TABLE_R, atR, r);
  } else {
    k = rowAt(TABLE_K[2]) * (aB(r, S_U0) / aB(0.15, S_U0));
  }
  // Screed thickness: a_B(s_u)/a_B(45 mm)·a_u^(100·(0.045 − s_u)) with a_u ≈ 1.06 (T = 0.15 m).
  const s = floor.screed_m;
  k *= (aB(r, s) / aB(r, S_U0)) * Math.pow(1.06, 100 * (S_U0 - s));
  return Math.max(0.5, k);
}

/**
 * Conductance water → floor (screed at the pipe plane), W/(m²K), chosen so that cell by cell
 * the upward flux is K_H·(θ_w − θ_i) when the structure below is at room temperature:
 * 1/K_ws = α/((α + U_d)·K_H) − 1/(α + U_d), U_d = 1/R_u. (Domain §8 uses 1/K_H − 1/α, the
 * same with U_d = 0.)
 */
export function waterToFloorK(kH: number, rDown = R_DOWN): number {
  const ud = 1 / rDown;
  const inv = ALPHA_FLOOR / ((ALPHA_FLOOR + ud) * kH) - 1 / (ALPHA_FLOOR + ud);
  return 1 / inv;
}

/** Heat capacity of screed and pipe zone per m², J/(m²K): ρc ≈ 2.0 MJ/(m³K) over s_u + 27 mm. */
export function screedCapacity(screedM: number): number {
  return 2.0e6 * (screedM + 0.027);
}

/** EN 1264 mean water-to-room temperature difference (log mean). */
export function logMeanDelta(supplyC: number, returnC: number, roomC: number): number {
  const a = supplyC - roomC;
  const b = returnC - roomC;
  if (a <= 0 || b <= 0) return NaN;
  if (Math.abs(a - b) < 1e-9) return a;
  return (a - b) / Math.log(a / b);
}
