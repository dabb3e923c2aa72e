// When a freshly installed image has proven itself. Until it has, any reset (crash, watchdog,
// power) makes the bootloader start the previous image again (see boot-slots.ts); once it has,
// the adapter calls esp_ota_mark_app_valid_cancel_rollback() through FFI. If the proof does not
// come within the deadline, the image gives up on itself and rolls back at once rather than
// collecting readings it cannot deliver for hours.
// Portable: no Node or Moddable imports.

import type { ImageState } from "./boot-slots.js";

/** What "healthy" means for a new image. The default is the issue's: sensors read and one InfluxDB write. */
export interface HealthCondition {
  /** At least one valid reading from the configured sensors. */
  sensorsRead: boolean;
  /** At least one write InfluxDB answered 204. Off for a site whose InfluxDB is often away. */
  influxWrite: boolean;
  /** Stay up at least this long too (catches slow leaks that crash after a minute). */
  minUptimeS: number;
  /** Give up and roll back when the condition is not met this long after boot. */
  deadlineS: number;
}

export const DEFAULT_HEALTH: HealthCondition = Object.freeze({ sensorsRead: true, influxWrite: true, minUptimeS: 0, deadlineS: 300 });

export interface Probation {
  /** Whether this image still needs to prove itself (it booted in pending_verify). */
  readonly pending: boolean;
  readonly sensorsRead: boolean;
  readonly influxWrite: boolean;
  readonly verdict: "valid" | "rollback" | undefined;
}

export type ProbationEvent = { kind: "sensors_read" } | { kind: "influx_write_ok" } | { kind: "tick" };
export type ProbationAction = "none" | "mark_valid" | "rollback";

/** At boot, from the running slot's state (esp_ota_get_state_partition). */
export function startProbation(running: ImageState): Probation {
  const pending = running === "pending_verify";
  return { pending, sensorsRead: false, influxWrite: false, verdict: pending ? undefined : "valid" };
}

export function observe(p: Probation, event: ProbationEvent, uptimeS: number, condition: HealthCondition = DEFAULT_HEALTH): { probation: Probation; action: ProbationAction } {
  if (p.verdict) return { probation: p, action: "none" };
  const next: Probation = {
    ...p,
    sensorsRead: p.sensorsRead || event.kind === "sensors_read",
    influxWrite: p.influxWrite || event.kind === "influx_write_ok",
  };
  const healthy = (!condition.sensorsRead || next.sensorsRead) && (!condition.influxWrite || next.influxWrite) && uptimeS >= condition.minUptimeS;
  if (healthy) return { probation: { ...next, verdict: "valid" }, action: "mark_valid" };
  if (uptimeS >= condition.deadlineS) return { probation: { ...next, verdict: "rollback" }, action: "rollback" };
  return { probation: next, action: "none" };
}

/** For /status: what the image is still waiting for. */
export function probationSummary(p: Probation, uptimeS: number, condition: HealthCondition = DEFAULT_HEALTH): { state: string; waiting_for: string[]; deadline_s?: number } {
  if (!p.pending) return { state: "valid", waiting_for: [] };
  if (p.verdict) return { state: p.verdict === "valid" ? "valid" : "rolling_back", waiting_for: [] };
  const waiting: string[] = [];
  if (condition.sensorsRead && !p.sensorsRead) waiting.push("sensors_read");
  if (condition.influxWrite && !p.influxWrite) waiting.push("influx_write");
  if (uptimeS < condition.minUptimeS) waiting.push("uptime");
  return { state: "pending_verify", waiting_for: waiting, deadline_s: Math.max(0, condition.deadlineS - uptimeS) };
}
