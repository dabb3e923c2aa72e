// The DS18B20 as clamped on a pipe (domain §7, §8):
// - the die follows the pipe wall with a first-order lag τ = 60–180 s;
// - it settles slightly towards the surrounding air: θ_die = θ_w − ε·(θ_w − θ_air), ε 0.02–0.08;
// - a per-sensor offset, N(0, 0.2 K) for genuine parts, N(0, 0.5 K) for clones (≈15 %);
// - noise 0.03 K, then quantisation to the resolution step (0.0625 K at 12 bit);
// - faults (when enabled): 85.0 °C power-on reads, CRC failures, short dropouts (no answer),
//   and one sensor that dies for good part-way through.
// With `SensorModel.offsetSdK` set (issue 19), offsets follow that σ instead: genuine parts
// N(0, σ), clones (≈15 %) N(0, 2.5σ) clamped to ±1.5 K, and ≈4 % outliers 0.8–1.5 K off (the
// far-off parts a bundle calibration flags as "replace"); every part also gets a gain error
// N(0, 0.002) about 25 °C (about 0.05 K over a 25 K span) and noisy parts (≈3 %) read with 3× the noise.

import { RESOLUTION_STEP_K } from "../shared/measurements.js";
import { sensorIndex, type House } from "../shared/house/index.js";
import { Rng } from "./rng.js";

export const READ_VALUE = 0;
export const READ_POWER_ON = 1;
export const READ_CRC = 2;
export const READ_MISSING = 3;

export interface SensorSpec {
  rom: string;
  node: string;
  bus: string;
  role: "supply" | "return" | "circuit";
  manifold: number;
  /** Circuit index for role "circuit", else −1. */
  circuit: number;
  tauS: number;
  epsilon: number;
  offsetK: number;
  clone: boolean;
  stepK: number;
  pPowerOn: number;
  pCrc: number;
  pDropout: number;
  /** Unix time the sensor dies, Infinity if never. */
  diesAt: number;
  /** Relative gain error about GAIN_REFERENCE_C (0 = ideal). */
  gain: number;
  /** Noise sd of a read, K. */
  noiseK: number;
}

/** How the sensors' errors are drawn (issue 19); absent = the default N(0, 0.2 K) model. */
export interface SensorModel {
  /**
   * σ of a genuine part's offset in the default model, K (default 0.2; clones 2.5×). The draws stay
   * on the default stream, so only their scale changes (the convergence bench's held-out houses).
   */
  defaultSdK?: number;
  /** σ of a genuine part's offset, K: switches to the realistic model (own stream, outliers, gain and noise errors). */
  offsetSdK?: number;
  /** One air coupling ε for every sensor (to take ε out of an error budget); default drawn 0.02–0.08. */
  epsilon?: number;
}

export const GAIN_REFERENCE_C = 25;

export const NOISE_K = 0.03;

export function buildSensors(house: House, seed: number, start: number, faults: boolean, model: SensorModel = {}): SensorSpec[] {
  const index = sensorIndex(house);
  const manifoldIdx = new Map(house.manifolds.map((m, i) => [m.id, i]));
  const circuitIdx = new Map(house.circuits.map((c, i) => [c.id, i]));
  const resolution = new Map(house.nodes.map((n) => [n.id, n.resolution]));
  const specs: SensorSpec[] = [];
  for (const role of index.values()) {
    const rng = new Rng(seed, "sensor:" + role.rom);
    const clone = rng.chance(0.15);
    const base = model.defaultSdK ?? 0.2;
    let offset = clone ? clamp(rng.normal() * 2.5 * base, -1.5, 1.5) : clamp(rng.normal() * base, -2.5 * base, 2.5 * base);
    let gain = 0;
    let noiseK = NOISE_K;
    if (model.offsetSdK !== undefined) {
      // A separate stream, so the default model's draws (and every figure built on them) stay as they were.
      const r = new Rng(seed, "sensor-model:" + role.rom);
      const sd = model.offsetSdK;
      offset = clone ? clamp(r.normal() * 2.5 * sd, -1.5, 1.5) : clamp(r.normal() * sd, -2.5 * sd, 2.5 * sd);
      if (r.chance(0.04)) offset = (r.chance(0.5) ? 1 : -1) * r.range(0.8, 1.5);
      gain = r.normal() * 0.002;
      if (r.chance(0.03)) noiseK = 3 * NOISE_K;
    }
    // Drawn in this order whatever the model, so the default draws stay as they were.
    const tauS = rng.range(60, 180);
    const drawnEpsilon = rng.range(0.02, 0.08);
    specs.push({
      rom: role.rom,
      node: role.node,
      bus: role.bus,
      role: role.role,
      manifold: manifoldIdx.get(role.manifold) ?? 0,
      circuit: role.circuit !== undefined ? (circuitIdx.get(role.circuit) ?? -1) : -1,
      tauS,
      epsilon: model.epsilon ?? drawnEpsilon,
      offsetK: Math.round(offset * 1000) / 1000,
      clone,
      stepK: RESOLUTION_STEP_K[resolution.get(role.node) ?? 12] ?? 0.0625,
      pPowerOn: faults ? (clone ? 1e-3 : 2e-4) : 0,
      pCrc: faults ? 3e-4 : 0,
      pDropout: faults ? 2e-4 : 0,
      diesAt: Infinity,
      gain,
      noiseK,
    });
  }
  if (faults && specs.length > 0) {
    // One sensor dies: a circuit return if there is one, some days into the run.
    const rng = new Rng(seed, "sensor-death");
    const candidates = specs.filter((s) => s.role === "circuit");
    const victim = rng.pick(candidates.length > 0 ? candidates : specs);
    victim.diesAt = start + Math.round(rng.range(3, 25) * 86400);
  }
  return specs;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
