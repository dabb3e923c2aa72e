// The hot-water circulation module's measurements (firmware/core/dhw): one point per pump run
// and one per event. Part of the one measurement schema (shared/measurements.ts lists them in
// SPECS; docs/measurements.md explains them). Portable: runs unchanged on XS.

import { int, type FieldValue, type Point } from "./line-protocol.js";
import type { MeasurementSpec } from "./measurements.js";

export const DHW_RUN = "dhw_run";
export const DHW_EVENT = "dhw_event";

export const DHW_TRIGGERS = ["motion", "door", "http", "draw", "prerun", "stagnation"] as const;
export const DHW_STOP_REASONS = ["upper", "cap", "lockout", "holiday", "fallback", "clock"] as const;
export const DHW_EVENT_KINDS = ["draw", "relay_stuck", "relay_mismatch", "sensor_fail", "sensor_ok", "disinfection"] as const;

export const DHW_SPECS: readonly MeasurementSpec[] = [
  {
    name: DHW_RUN,
    description: "One hot-water circulation pump run, written when it stops; the timestamp is its start.",
    tags: {
      node: "node id",
      trigger: `what started it: ${DHW_TRIGGERS.join(", ")}`,
      reason: `why it stopped: ${DHW_STOP_REASONS.join(", ")}`,
    },
    fields: {
      duration_s: { type: "integer", unit: "s", description: "pump running time (never above the cap)" },
      stop: { type: "integer", unit: "s", description: "UTC seconds when it stopped" },
      line_start_c: { type: "float", unit: "°C", description: "circulation line at the start (absent when the sensor had failed)" },
      line_stop_c: { type: "float", unit: "°C", description: "circulation line at the stop (absent when the sensor had failed)" },
      line_max_c: { type: "float", unit: "°C", description: "highest line temperature during the run" },
      fallback: { type: "boolean", description: "ran on the bounded timer because the line sensor had failed" },
    },
  },
  {
    name: DHW_EVENT,
    description: "Something the circulation controller noticed: a draw (tap opened), a relay that seems stuck, a sensor failure or recovery, a disinfection cycle.",
    tags: { node: "node id", kind: DHW_EVENT_KINDS.join(", ") },
    fields: {
      sensor_ok: { type: "boolean", description: "the line sensor had a valid reading (always present)" },
      line_c: { type: "float", unit: "°C", description: "circulation line at that moment (absent when the sensor had failed)" },
      warm: { type: "boolean", description: "draws only: the line was at or above the lower threshold as the draw began" },
      usual: { type: "boolean", description: "draws only: it fell in a learned usual half-hour" },
    },
  },
];

export interface DhwRunRecord {
  node: string;
  start: number;
  stop: number;
  duration_s: number;
  trigger: string;
  reason: string;
  line_start_c: number | null;
  line_stop_c: number | null;
  line_max_c: number | null;
  fallback: boolean;
}

function putC(fields: Record<string, FieldValue>, key: string, c: number | null): void {
  // No invalid reading is ever written as a temperature: an unknown one is left out.
  if (c !== null && Number.isFinite(c)) fields[key] = Math.round(c * 100) / 100;
}

export function dhwRunPoint(r: DhwRunRecord): Point {
  const fields: Record<string, FieldValue> = { duration_s: int(Math.round(r.duration_s)), stop: int(Math.round(r.stop)), fallback: r.fallback };
  putC(fields, "line_start_c", r.line_start_c);
  putC(fields, "line_stop_c", r.line_stop_c);
  putC(fields, "line_max_c", r.line_max_c);
  return { measurement: DHW_RUN, tags: { node: r.node, reason: r.reason, trigger: r.trigger }, fields, time: Math.round(r.start) };
}

export interface DhwEventRecord {
  node: string;
  kind: string;
  time: number;
  line_c: number | null;
  warm?: boolean;
  usual?: boolean;
}

export function dhwEventPoint(e: DhwEventRecord): Point {
  const fields: Record<string, FieldValue> = { sensor_ok: e.line_c !== null };
  putC(fields, "line_c", e.line_c);
  if (e.warm !== undefined) fields.warm = e.warm;
  if (e.usual !== undefined) fields.usual = e.usual;
  return { measurement: DHW_EVENT, tags: { kind: e.kind, node: e.node }, fields, time: Math.round(e.time) };
}
