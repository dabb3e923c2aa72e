// The DS18B20 as clamped on a pipe (domain §7, §8):
// - the die follows the pipe wall with a first-order lag τ = 60–180 s;
// - it settles slightly towards the surrounding air: θ_die = θ_w − ε·(θ_w − θ_air), ε 0.02–0.08;
// - a per-sensor offset, N(0, 0.2 K) for genuine parts, N(0, 0.5 K) for clones (≈15 %);
// - noise 0.03 K, then quantisation to the resolution step (0.0625 K at 12 bit);
// - faults (when enabled): 85.0 °C power-on reads, CRC failures, short dropouts (no answer),
//   and one sensor that dies for good part-way through.

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
}

export const NOISE_K = 0.03;

/** `offsetSdK`: σ of a genuine sensor's offset (clones: 2.5× that). */
export function buildSensors(house: House, seed: number, start: number, faults: boolean, offsetSdK = 0.2): SensorSpec[] {
  const index = sensorIndex(house);
  const manifoldIdx = new Map(house.manifolds.map((m, i) => [m.id, i]));
  const circuitIdx = new Map(house.circuits.map((c, i) => [c.id, i]));
  const resolution = new Map(house.nodes.map((n) => [n.id, n.resolution]));
  const specs: SensorSpec[] = [];
  for (const role of index.values()) {
    const rng = new Rng(seed, "sensor:" + role.rom);
    const clone = rng.chance(0.15);
    const offset = clone ? clamp(rng.normal() * 2.5 * offsetSdK, -1.5, 1.5) : clamp(rng.normal() * offsetSdK, -2.5 * offsetSdK, 2.5 * offsetSdK);
    specs.push({
      rom: role.rom,
      node: role.node,
      bus: role.bus,
      role: role.role,
      manifold: manifoldIdx.get(role.manifold) ?? 0,
      circuit: role.circuit !== undefined ? (circuitIdx.get(role.circuit) ?? -1) : -1,
      tauS: rng.range(60, 180),
      epsilon: rng.range(0.02, 0.08),
      offsetK: Math.round(offset * 1000) / 1000,
      clone,
      stepK: RESOLUTION_STEP_K[resolution.get(role.node) ?? 12] ?? 0.0625,
      pPowerOn: faults ? (clone ? 1e-3 : 2e-4) : 0,
      pCrc: faults ? 3e-4 : 0,
      pDropout: faults ? 2e-4 : 0,
      diesAt: Infinity,
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
