// The file source: line protocol (as `floorbalance simulate` writes it) → per-minute means.
// Serves the same analysis without InfluxDB (demo, tests).

import { UserError } from "../../shared/errors.js";
import { LineProtocolError, numericField, parseLine, type FieldValue } from "../../shared/line-protocol.js";
import { NODE_HEALTH, REJECTION_REASONS, TEMPERATURE } from "../../shared/measurements.js";
import type { House } from "../../shared/house/index.js";
import { minuteGrid, MinuteMeans, stateToHeating, type MinuteSeries } from "../measurement/series.js";
import { nodeStatuses, type HealthPoint } from "./health.js";

export type Signals = House["plant"]["signals"];

interface SignalRef {
  measurement: string;
  field: string;
  tags: Record<string, string>;
}

function matches(ref: SignalRef, measurement: string, tags: Record<string, string>): boolean {
  if (ref.measurement !== measurement) return false;
  for (const [k, v] of Object.entries(ref.tags)) if (tags[k] !== v) return false;
  return true;
}

export function isHeatingValue(value: FieldValue | undefined, heating: readonly (string | number)[]): boolean {
  if (value === undefined) return false;
  const v = typeof value === "object" ? value.int : value;
  return heating.some((h) => String(h) === String(v));
}

export function readLineProtocol(text: string, window: { start: number; end: number }, options: { signals?: Signals } = {}): MinuteSeries {
  const grid = minuteGrid(window);
  const temps = new MinuteMeans(grid.start, grid.minutes);
  const outdoor = new MinuteMeans(grid.start, grid.minutes);
  const states: { index: number; heating: boolean }[] = [];
  const health: HealthPoint[] = [];
  const seen = new Map<string, { node: string; bus: string; last_seen: number }>();
  const { outdoor_temperature, heat_pump_state } = options.signals ?? {};
  const end = grid.start + grid.minutes * 60;
  let lineNo = 0;
  let from = 0;
  while (from < text.length) {
    let to = text.indexOf("\n", from);
    if (to < 0) to = text.length;
    const line = text.slice(from, to).trim();
    from = to + 1;
    lineNo++;
    if (!line || line[0] === "#") continue;
    // Cheap pre-filter on the timestamp before the full parse: most lines of a long file are outside.
    const space = line.lastIndexOf(" ");
    const t = Number(line.slice(space + 1));
    if (Number.isFinite(t) && (t < grid.start || t >= end)) continue;
    let p;
    try {
      p = parseLine(line);
    } catch (err) {
      if (err instanceof LineProtocolError) throw new UserError(`line ${lineNo} of the data file is not valid line protocol: ${err.message}`, undefined, "pass a file written by `floorbalance simulate` or exported from InfluxDB with precision s");
      throw err;
    }
    if (p.time === undefined) continue;
    if (p.measurement === TEMPERATURE) {
      const rom = p.tags.rom;
      const c = numericField(p.fields.celsius);
      if (!rom || c === undefined) continue;
      temps.add(rom, p.time, c);
      const prev = seen.get(rom);
      if (!prev || prev.last_seen <= p.time) seen.set(rom, { node: p.tags.node ?? "?", bus: p.tags.bus ?? "?", last_seen: p.time });
    } else if (p.measurement === NODE_HEALTH) {
      const rejected: Record<string, number> = {};
      for (const reason of REJECTION_REASONS) rejected[reason] = numericField(p.fields["rejected_" + reason]) ?? 0;
      const w = p.fields.write_status;
      const fw = p.fields.firmware;
      health.push({
        node: p.tags.node ?? "?",
        time: p.time,
        uptime_s: numericField(p.fields.uptime_s),
        rejected,
        write_status: typeof w === "string" ? w : undefined,
        dropped: numericField(p.fields.dropped),
        buffered: numericField(p.fields.buffered),
        firmware: typeof fw === "string" ? fw : undefined,
      });
    }
    if (outdoor_temperature && matches(outdoor_temperature, p.measurement, p.tags)) {
      const v = numericField(p.fields[outdoor_temperature.field]);
      if (v !== undefined) outdoor.add("outdoor", p.time, v);
    }
    if (heat_pump_state && matches(heat_pump_state, p.measurement, p.tags)) {
      states.push({ index: Math.floor((p.time - grid.start) / 60), heating: isHeatingValue(p.fields[heat_pump_state.field], heat_pump_state.heating) });
    }
  }
  const series: MinuteSeries = { start: grid.start, minutes: grid.minutes, byRom: temps.means(), nodes: nodeStatuses(health), seen };
  if (outdoor_temperature || heat_pump_state) {
    series.signals = {};
    if (outdoor_temperature) series.signals.outdoor_c = outdoor.means().get("outdoor") ?? new Float64Array(grid.minutes).fill(NaN);
    if (heat_pump_state) series.signals.heat_pump_heating = stateToHeating(grid.minutes, states);
  }
  return series;
}
