// The second witness of an update: the firmware version a node reported in its node_health
// points (shared/measurements.ts) since a given time, read from InfluxDB 1.x's /query. Used when
// the node's /status cannot be reached from where the OTA client runs.

import type { House } from "../../shared/house/index.js";
import type { Secrets } from "../../shared/secrets.js";
import { influxRequest } from "../../analyser/sources/influx.js";

export function firmwareQuery(house: House, node: string, sinceS: number): string {
  const rp = house.influx.retention_policy.replace(/"/g, "");
  return `SELECT last("firmware") FROM "${rp}"."node_health" WHERE "node" = '${node.replace(/['\\]/g, "")}' AND time > ${Math.floor(sinceS)}s`;
}

/** The node's newest firmware string since `sinceS` (unix s), or undefined (none, or InfluxDB unreachable or refusing: this is a second witness only, so any failure means "unknown"). */
export async function firmwareFromInflux(house: House, node: string, secrets: Secrets, sinceS: number): Promise<string | undefined> {
  const target = { url: house.influx.url, database: house.influx.database, secrets };
  try {
    const params = { db: house.influx.database, epoch: "s", q: firmwareQuery(house, node, sinceS) };
    const res = await influxRequest(target, "query", { method: "GET", params, timeoutMs: 5000 });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { results?: { error?: string; series?: { values?: unknown[][] }[] }[] };
    const value = body.results?.[0]?.series?.[0]?.values?.[0]?.[1];
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}
