// The hot-water circulation's runs and events in the window, read from InfluxDB for the report's
// section (summarised by the pure analyser/report/dhw-section.ts).

import type { House } from "../../shared/house/index.js";
import { dhwQueries, summariseDhw, type DhwRaw, type DhwSummary } from "../report/dhw-section.js";
import { influxRunner, type Runner } from "./influx.js";
import type { Source } from "./run.js";

/** The summary for the report window, or undefined when no node has the module. */
export async function readDhwSummary(run: Runner, house: House, window: { start: number; end: number }): Promise<DhwSummary | undefined> {
  const nodes = house.nodes.filter((n) => n.dhw && n.dhw.enabled).length;
  if (nodes === 0) return undefined;
  return summariseDhw((await run(dhwQueries(window.start, window.end))) as DhwRaw, nodes, window.start, window.end, house.site.timezone);
}

/** The same, for the daily run's source: only InfluxDB holds the module's runs (a --file run has none). */
export function dhwFromSource(house: House, source: Source, window: { start: number; end: number }): Promise<DhwSummary | undefined> {
  return source.kind === "influx" ? readDhwSummary(influxRunner(house, source.secrets), house, window) : Promise.resolve(undefined);
}
