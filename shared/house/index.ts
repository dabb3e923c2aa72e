// Derived views of a validated house. Pure functions over the typed House.

import type { Circuit, House, Manifold, SensorRole } from "./types.js";

export * from "./types.js";
export { formatIssue, formatPath, HouseFileError, parseHouseText, parsePipe, type HouseIssue, type LoadedHouse } from "./validate.js";

/** ROM → what it measures. The single place circuits are resolved from ROMs. */
export function sensorIndex(house: House): Map<string, SensorRole> {
  const index = new Map<string, SensorRole>();
  for (const m of house.manifolds) {
    if (m.supply) index.set(m.supply.rom, { ...m.supply, role: "supply", manifold: m.id });
    if (m.return) index.set(m.return.rom, { ...m.return, role: "return", manifold: m.id });
  }
  for (const c of house.circuits) {
    if (c.sensor) index.set(c.sensor.rom, { ...c.sensor, role: "circuit", manifold: c.manifold, circuit: c.id });
  }
  return index;
}

export function circuitsOf(house: House, manifold: string): Circuit[] {
  return house.circuits.filter((c) => c.manifold === manifold);
}

export function manifoldOf(house: House, circuit: Circuit): Manifold {
  const m = house.manifolds.find((x) => x.id === circuit.manifold);
  if (!m) throw new Error(`circuit ${circuit.id} has no manifold ${circuit.manifold}`);
  return m;
}

/** Water volume of a circuit's pipe, litres. */
export function circuitVolumeL(circuit: Circuit): number {
  return circuit.length_m * circuit.pipe.litres_per_m;
}

/** Sensors expected per node and bus. */
export function sensorsOfNode(house: House, nodeId: string): SensorRole[] {
  return [...sensorIndex(house).values()].filter((s) => s.node === nodeId);
}

/** What Home Assistant's InfluxDB integration writes as the entity_id tag: the object id, without the domain (its own tag). */
export function haObjectId(entityId: string): string {
  const dot = entityId.indexOf(".");
  return dot >= 0 ? entityId.slice(dot + 1) : entityId;
}
