// Mirror memory events into InfluxDB (balance_event) so Grafana can annotate them. The state file
// stays the truth: events not yet mirrored are remembered (memory.mirrored) and sent next time.
// A failed write never throws: the daily run goes on and the next run sends the events again.

import { UserError } from "../../shared/errors.js";
import type { House } from "../../shared/house/index.js";
import { redact, type Secrets } from "../../shared/secrets.js";
import { eventLines } from "../engine/events.js";
import type { Memory } from "../engine/memory.js";
import { influxAnswerError, influxRequest, type InfluxHttpTarget } from "../sources/influx.js";

export async function mirrorEvents(house: House, secrets: Secrets, memory: Memory): Promise<{ memory: Memory; sent: number; error?: string }> {
  const from = memory.mirrored ?? 0;
  const events = memory.events.slice(from);
  if (events.length === 0) return { memory, sent: 0 };
  const target: InfluxHttpTarget = { url: house.influx.url, database: house.influx.database, secrets };
  try {
    const params = { db: house.influx.database, rp: house.influx.retention_policy, precision: "s" };
    const res = await influxRequest(target, "write", { method: "POST", params, body: eventLines(events), timeoutMs: 10_000 });
    if (res.status !== 204) throw await influxAnswerError(target, res);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    // The classifier's what and where, then how to fix it; secrets never leave in it.
    const text = `balance_event write: ${err.message}${err.hint ? `; how to fix: ${err.hint}` : ""}`;
    return { memory, sent: 0, error: redact(text, secrets) };
  }
  return { memory: { ...memory, mirrored: memory.events.length }, sent: events.length };
}
