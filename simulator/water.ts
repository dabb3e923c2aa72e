// Water properties at the 30–40 °C of a floor-heating circuit. Taken as constants: over 25–45 °C
// density changes 0.6 % and heat capacity 0.1 %; viscosity changes ~±15 %, which the pressure
// drop sees only weakly (turbulent ∝ ν^0.25).

/** kg/m³ at 35 °C. */
export const WATER_DENSITY = 994;
/** J/(kg·K). */
export const WATER_CP = 4178;
/** Kinematic viscosity at 35 °C, m²/s (the domain table's reference). */
export const WATER_NU = 0.727e-6;
/** J/(l·K): heat capacity of one litre. */
export const WATER_C_PER_LITRE = (WATER_DENSITY * WATER_CP) / 1000;

/** Capacity flow ṁ·c in W/K for a volume flow in l/min. */
export function capacityFlowWK(flowLpm: number): number {
  return (flowLpm / 60) * WATER_C_PER_LITRE;
}

/**
 * One time step of a chain of well-mixed water cells (upwind, implicit in the transport term).
 * Sweeping from the inlet makes the implicit scheme explicit to compute and unconditionally
 * stable, and it is exactly conservative: what a cell gains is inflow − outflow − heat to the
 * slab, all evaluated with the same new temperatures. With N cells the chain behaves like N
 * tanks in series, so a front arrives after volume/flow with a spread of about τ/√N.
 *
 * `temps` (cells offset..offset+n) are updated in place; `slab` holds the wall temperature each
 * cell exchanges with (conductance `kCell` W/K per cell); the heat each cell gave to its wall
 * during the step (J) is written to `heatOut`. Returns the outlet temperature.
 */
export function stepCellChain(
  temps: Float64Array,
  slab: Float64Array | null,
  heatOut: Float64Array | null,
  offset: number,
  n: number,
  inletC: number,
  capCellJK: number,
  flowWK: number,
  kCell: number,
  dt: number,
): number {
  const a = capCellJK / dt;
  const inv = 1 / (a + flowWK + kCell);
  let prev = inletC;
  for (let k = offset, end = offset + n; k < end; k++) {
    const s = slab === null ? 0 : slab[k];
    const t = (a * temps[k] + flowWK * prev + kCell * s) * inv;
    temps[k] = t;
    if (heatOut !== null) heatOut[k] = kCell * (t - s) * dt;
    prev = t;
  }
  return prev;
}
