// Mirror memory events into InfluxDB (balance_event) so Grafana can annotate them. The state file
// stays the truth: events not yet mirrored are remembered (memory.mirrored) and sent next time.
// A failed write never throws: the daily run goes on and the next run sends the events again.

import { UserError } from "../../shared/errors.js";
import type { House } from "../../shared/house/index.js";
import type { Secrets } from "../../shared/secrets.js";
import { eventLines } from "../engine/events.js";
import type { Memory } from "../engine/memory.js";
import { influxErrorLine, influxWrite } from "../sources/influx.js";

export async function mirrorEvents(house: House, secrets: Secrets, memory: Memory): Promise<{ memory: Memory; sent: number; error?: string }> {
  const from = memory.mirrored ?? 0;
  const events = memory.events.slice(from);
  if (events.length === 0) return { memory, sent: 0 };
  try {
    await influxWrite({ url: house.influx.url, database: house.influx.database, secrets }, house.influx.retention_policy, eventLines(events));
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { memory, sent: 0, error: `balance_event write: ${influxErrorLine(err, secrets)}` };
  }
  return { memory: { ...memory, mirrored: memory.events.length }, sent: events.length };
}
