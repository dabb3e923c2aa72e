// The validated, typed house. Firmware configuration, simulator and analyser consume this and
// never the raw YAML (validation happens once, up front, in validate.ts).

import type { HouseParsed } from "./schema.js";

export type Role = "supply" | "return" | "circuit";

/** Where a sensor sits electrically. `rom` is canonical (28-0316a2794aff). */
export interface SensorPlacement {
  rom: string;
  node: string;
  bus: string;
}

export interface Pipe {
  /** As written, e.g. "16x2". */
  size: string;
  outer_mm: number;
  wall_mm: number;
  /** Inner diameter, m. */
  inner_m: number;
  /** Water volume per metre, litres. */
  litres_per_m: number;
}

type Parsed = HouseParsed;
type ParsedCircuit = Parsed["circuits"][number];
type ParsedManifold = Parsed["manifolds"][number];
type ParsedNode = Parsed["nodes"][number];

export type Valve = ParsedCircuit["valve"];
export type FlowMeterValve = Extract<Valve, { kind: "flow-meter" }>;
export type LockshieldValve = Extract<Valve, { kind: "lockshield" }>;
export type Policy = Parsed["analysis"]["policy"];

export interface Bus {
  id: string;
  pin: number;
}

export interface Node extends Omit<ParsedNode, "buses"> {
  buses: Bus[];
}

export interface Manifold extends Omit<ParsedManifold, "supply" | "return" | "policy"> {
  supply: SensorPlacement | null;
  return: SensorPlacement | null;
  policy: Policy;
}

export interface Circuit extends Omit<ParsedCircuit, "sensor" | "pipe"> {
  sensor: SensorPlacement | null;
  pipe: Pipe;
}

export type HaThermometer = NonNullable<Parsed["rooms"][number]["ha"]>;
/** `mac` is normalised: a4:c1:38:12:34:56. */
export type BleThermometer = NonNullable<Parsed["rooms"][number]["ble"]>;

export interface Room extends Omit<Parsed["rooms"][number], "ble"> {
  ble?: BleThermometer;
  /** Ids of the circuits whose `room` is this room's name. */
  circuits: string[];
}

export interface House extends Omit<Parsed, "nodes" | "manifolds" | "circuits" | "rooms"> {
  nodes: Node[];
  rooms: Room[];
  manifolds: Manifold[];
  circuits: Circuit[];
}

/** What a ROM means in this house. */
export interface SensorRole extends SensorPlacement {
  role: Role;
  manifold: string;
  /** Set for role "circuit". */
  circuit?: string;
}
