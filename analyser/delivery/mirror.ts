// Mirror memory events into InfluxDB (balance_event) so Grafana can annotate them. The state file
// stays the truth: events not yet mirrored are remembered (memory.mirrored) and sent next time.

import type { House } from "../../shared/house/index.js";
import type { Secrets } from "../../shared/secrets.js";
import { eventLines } from "../engine/events.js";
import type { Memory } from "../engine/memory.js";

export async function mirrorEvents(house: House, secrets: Secrets, memory: Memory, fetchImpl: typeof fetch = fetch): Promise<{ memory: Memory; sent: number; error?: string }> {
  const from = memory.mirrored ?? 0;
  const events = memory.events.slice(from);
  if (events.length === 0) return { memory, sent: 0 };
  const url = new URL("write", house.influx.url.endsWith("/") ? house.influx.url : house.influx.url + "/");
  url.searchParams.set("db", house.influx.database);
  url.searchParams.set("rp", house.influx.retention_policy);
  url.searchParams.set("precision", "s");
  const headers: Record<string, string> = { "content-type": "text/plain" };
  if (secrets.influx_username && secrets.influx_password) {
    headers.authorization = "Basic " + Buffer.from(`${secrets.influx_username}:${secrets.influx_password}`).toString("base64");
  }
  try {
    const res = await fetchImpl(url, { method: "POST", headers, body: eventLines(events), signal: AbortSignal.timeout(10_000) });
    if (res.status !== 204) return { memory, sent: 0, error: `InfluxDB answered ${res.status} to the balance_event write` };
  } catch (e) {
    return { memory, sent: 0, error: `InfluxDB not reachable for the balance_event write (${(e as Error).message})` };
  }
  return { memory: { ...memory, mirrored: memory.events.length }, sent: events.length };
}
