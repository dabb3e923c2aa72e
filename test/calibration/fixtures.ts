// Simulated calibration runs for the tests: the example house with σ 0.3 K sensor offsets, the
// bundle procedure for one node and the in-place procedure for one manifold, as line protocol.

import { type House } from "../../shared/house/index.js";
import { loadHouseFile } from "../../shared/house/load.js";
import { Simulation } from "../../simulator/index.js";
import { simulateBundle, simulateInPlace } from "../../simulator/calibration.js";
import type { SensorSpec } from "../../simulator/sensors.js";

export const START = 1_767_225_600; // 2026-01-01 00:00 UTC

export interface Fixture {
  house: House;
  sensors: readonly SensorSpec[];
  bundle: { node: string; text: string; start: number };
  inPlace: { manifold: string; text: string; standbyAt: number; stoppedAt: number; endsAt: number };
}

let cached: Fixture | undefined;

export function fixture(): Fixture {
  if (cached) return cached;
  const { house } = loadHouseFile("examples/house.yaml");
  const sim = new Simulation(house, { start: START, days: 1, seed: 7, sensorFaults: false, spinUpDays: 1, sensorModel: { offsetSdK: 0.3 } });
  const node = house.nodes[0].id;
  const bundle = simulateBundle(house, sim.twin.sensors.filter((s) => s.node === node), { seed: 7, start: START, minutes: 80 });
  // Ordinary operation for 10 h, then the in-place procedure from the twin's state.
  const chunks: string[] = [];
  sim.run(START + 10 * 3600, (c) => chunks.push(c));
  const standbyAt = sim.time;
  const run = simulateInPlace(house, sim.twin.sensors, sim.twin.sensorSurroundings(), { seed: 7, start: standbyAt, standbyMinutes: 45, stopMinutes: 120 });
  cached = {
    house,
    sensors: sim.twin.sensors,
    bundle: { node, text: bundle.text, start: START },
    inPlace: { manifold: house.manifolds[0].id, text: chunks.join("").split("\n").filter((l) => !l.startsWith("temperature") || Number(l.slice(l.lastIndexOf(" ") + 1)) >= standbyAt - 3600).join("\n") + "\n" + run.text, standbyAt, stoppedAt: run.stoppedAt, endsAt: run.endsAt },
  };
  return cached;
}
