// The engine's memory: every recommendation and every applied setting, with time, plus the
// few observations the engine needs to see a change in the data. Pure updates here; the file
// I/O (atomic: temp file + fsync + rename, so a crash mid-write never loses the old state) is in
// memory-file.ts.

import type { TrendPoint, Unit } from "./result.js";
import { memorySchemaProblem } from "./memory-schema.js";

export type EventKind = "recommended" | "applied" | "detected";

export interface MemoryEvent {
  /** Unix s (UTC). */
  time: number;
  cycle: number;
  kind: EventKind;
  circuit: string;
  manifold: string;
  unit: Unit;
  /** Setting in l/min or turns open. */
  value: number;
  from?: number;
  text: string;
  /** Recommendations: the spread when recommended, and the spread the change should give. */
  spread_k?: number;
  expected_spread_k?: number;
  /** Detections: what in the data showed it. */
  evidence?: string;
}

export interface Observation {
  cycle: number;
  time: number;
  spread_k: number;
  flow_lpm?: number;
  /** The judged error against the policy target and the dead band it was judged with, K. */
  error_k?: number;
  band_k?: number;
}

export interface Memory {
  version: 1;
  /** Number of the last engine run (0 = never ran). */
  cycle: number;
  last_run?: number;
  events: MemoryEvent[];
  /** Last known setting per circuit (applied or detected), newer than the house file's. */
  settings: Record<string, { value: number; unit: Unit; time: number }>;
  /** Recent judged spreads per circuit (the last few), to detect unrecorded changes. */
  observations: Record<string, Observation[]>;
  trend: TrendPoint[];
  /** How many events have been mirrored into InfluxDB (balance_event). */
  mirrored?: number;
}

export const OBSERVATIONS_KEPT = 8;
export const TREND_KEPT = 60;

export function emptyMemory(): Memory {
  return { version: 1, cycle: 0, events: [], settings: {}, observations: {}, trend: [] };
}

/** The recommendations of the latest cycle that recommended anything, not yet applied or detected. */
export function pendingRecommendations(memory: Memory): MemoryEvent[] {
  const pending = new Map<string, MemoryEvent>();
  for (const e of memory.events) {
    if (e.kind === "recommended") pending.set(e.circuit, e);
    else pending.delete(e.circuit);
  }
  return [...pending.values()];
}

/** The time of the last applied or detected change per circuit. */
export function lastChange(memory: Memory, circuit: string): MemoryEvent | undefined {
  for (let i = memory.events.length - 1; i >= 0; i--) {
    const e = memory.events[i]!;
    if (e.circuit === circuit && e.kind !== "recommended") return e;
  }
  return undefined;
}

/** The last applied/detected changes of a circuit, newest first. */
export function changesOf(memory: Memory, circuit: string): MemoryEvent[] {
  return memory.events.filter((e) => e.circuit === circuit && e.kind !== "recommended").reverse();
}

/** Record a setting the user made (or the engine detected). Pure: returns a new memory. */
export function recordSetting(memory: Memory, event: Omit<MemoryEvent, "cycle"> & { cycle?: number }): Memory {
  const full: MemoryEvent = { ...event, cycle: event.cycle ?? memory.cycle };
  return {
    ...memory,
    events: [...memory.events, full],
    settings: { ...memory.settings, [full.circuit]: { value: full.value, unit: full.unit, time: full.time } },
  };
}

/** Check of a parsed state file against its schema; returns what is wrong and where, or undefined. */
export function memoryProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return "it is not a JSON object";
  return memorySchemaProblem(value);
}
