// No data, no judgement: when every node has been silent through the window, or the source holds
// no data at all, the report says that once at the top instead of "not enough data" on every row
// and a bullet per sensor (issue 23, item 15). Pure: the analysis in, the one finding out.

import type { House } from "../../shared/house/index.js";
import type { AnalysisResult } from "../measurement/result.js";

export type Outage =
  /** The source holds no reading of this house in the window. */
  | { kind: "no-data"; source: DataSourceName }
  /** Every node silent now; `since` is the last reading any of them sent (Unix s), when there was one. */
  | { kind: "silent"; nodes: string[]; since?: number };

/** Where the readings were looked for: an InfluxDB database or a line-protocol file. */
export interface DataSourceName {
  kind: "database" | "file";
  name: string;
}

export function findOutage(house: House, analysis: AnalysisResult, source: DataSourceName): Outage | undefined {
  const sensors = analysis.sensors;
  const seen = [...sensors.map((s) => s.last_seen), ...analysis.nodes.map((n) => n.last_seen)].filter((t): t is number => t !== undefined);
  const anyData = seen.length > 0 || sensors.some((s) => s.coverage > 0);
  if (!anyData) return { kind: "no-data", source };
  const silent = house.nodes.filter((n) => {
    const own = sensors.filter((s) => s.node === n.id);
    return own.length > 0 && own.every((s) => !s.reporting_now);
  });
  if (silent.length === 0 || silent.length < house.nodes.length) return undefined;
  return { kind: "silent", nodes: silent.map((n) => n.id), since: seen.length ? Math.max(...seen) : undefined };
}
