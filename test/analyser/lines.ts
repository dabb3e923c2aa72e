// Minute series → line protocol (one reading per sensor per minute), so a test can feed the same
// data through the file source, InfluxDB and the analysis.

import { encodePoint } from "../../shared/line-protocol.js";
import { temperaturePoint } from "../../shared/measurements.js";
import type { MinuteSeries } from "../../analyser/measurement/series.js";

export function toLineProtocol(data: MinuteSeries, node = "n1", bus = "0"): string {
  const lines: string[] = [];
  for (let i = 0; i < data.minutes; i++) {
    for (const [rom, x] of data.byRom) {
      if (!Number.isFinite(x[i])) continue;
      lines.push(encodePoint(temperaturePoint({ node, bus, rom, celsius: Math.round(x[i] * 1e4) / 1e4, time: data.start + i * 60 + 30, mapped: true })));
    }
  }
  return lines.join("\n") + "\n";
}
