// The memory mirrored into InfluxDB as balance_event points (Grafana annotations).

import { encodeBatch } from "../../shared/line-protocol.js";
import { balanceEventPoint } from "../../shared/measurements.js";
import type { MemoryEvent } from "./memory.js";

export function eventLines(events: MemoryEvent[]): string {
  return encodeBatch(
    events.map((e) =>
      balanceEventPoint({
        manifold: e.manifold,
        circuit: e.circuit,
        kind: e.kind,
        time: Math.round(e.time),
        cycle: e.cycle,
        text: e.text,
        ...(e.unit === "l/min" ? { setting_lpm: e.value } : { turns: e.value }),
      }),
    ),
  );
}

/** Events not yet mirrored: those newer than the memory before this run. */
export function newEvents(before: { events: MemoryEvent[] }, after: { events: MemoryEvent[] }): MemoryEvent[] {
  return after.events.slice(before.events.length);
}
