// The commissioning tools' view of the readings: per-ROM samples with the node and bus each ROM
// reported from. Where a ROM is wired (its node and bus tags) is evidence in itself: a sensor
// clamped to another manifold's pipe is wired to that manifold's ESP32.

import { parseLine, numericField, LineProtocolError } from "../shared/line-protocol.js";
import { TEMPERATURE } from "../shared/measurements.js";
import { parseRom } from "../shared/rom.js";
import { UserError } from "../shared/errors.js";

export interface Sample {
  time: number; // unix s
  celsius: number;
}

export interface RomTrace {
  rom: string;
  node: string;
  bus: string;
  samples: Sample[]; // ascending time
}

/** Per-minute means, NaN where nothing was read. Shape-compatible with the analyser's MinuteSeries. */
export interface RomMinutes {
  start: number; // minute-aligned unix s
  minutes: number;
  byRom: Map<string, Float64Array>;
  /** Where each ROM reported from (last node/bus tag seen). */
  placement: Map<string, { node: string; bus: string }>;
}

/** Temperature readings from line protocol text; other measurements are ignored. */
export function tracesFromLineProtocol(text: string, file = "input"): RomTrace[] {
  const byRom = new Map<string, RomTrace>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith("#") || !line.startsWith(TEMPERATURE)) continue;
    let point;
    try {
      point = parseLine(line);
    } catch (err) {
      if (err instanceof LineProtocolError) throw new UserError(`${file}:${i + 1}: not valid line protocol: ${err.message}`, undefined, "give a file written by `floorbalance simulate` or exported from InfluxDB");
      throw err;
    }
    if (point.measurement !== TEMPERATURE || point.time === undefined) continue;
    const celsius = numericField(point.fields.celsius);
    const rom = point.tags?.rom;
    if (celsius === undefined || !rom) continue;
    const parsed = parseRom(rom);
    addSample(byRom, parsed.ok ? parsed.canonical : rom, point.tags?.node ?? "?", point.tags?.bus ?? "?", { time: Number(point.time), celsius });
  }
  return sortTraces([...byRom.values()]);
}

export function addSample(byRom: Map<string, RomTrace>, rom: string, node: string, bus: string, sample: Sample): void {
  let trace = byRom.get(rom);
  if (!trace) byRom.set(rom, (trace = { rom, node, bus, samples: [] }));
  trace.node = node;
  trace.bus = bus;
  trace.samples.push(sample);
}

export function sortTraces(traces: RomTrace[]): RomTrace[] {
  for (const t of traces) t.samples.sort((a, b) => a.time - b.time);
  return traces.sort((a, b) => (a.node + a.bus + a.rom < b.node + b.bus + b.rom ? -1 : 1));
}

/** Per-minute means over [start, end). */
export function toMinutes(traces: RomTrace[], window?: { start: number; end: number }): RomMinutes {
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of traces) for (const s of t.samples) (lo = Math.min(lo, s.time)), (hi = Math.max(hi, s.time));
  const start = Math.floor((window?.start ?? (Number.isFinite(lo) ? lo : 0)) / 60) * 60;
  const end = window?.end ?? (Number.isFinite(hi) ? hi + 1 : start);
  const minutes = Math.max(0, Math.ceil((end - start) / 60));
  const byRom = new Map<string, Float64Array>();
  const placement = new Map<string, { node: string; bus: string }>();
  for (const t of traces) {
    const sum = new Float64Array(minutes);
    const n = new Uint32Array(minutes);
    for (const s of t.samples) {
      const k = Math.floor((s.time - start) / 60);
      if (k < 0 || k >= minutes) continue;
      sum[k] += s.celsius;
      n[k]++;
    }
    const mean = new Float64Array(minutes);
    for (let k = 0; k < minutes; k++) mean[k] = n[k] ? sum[k] / n[k] : NaN;
    byRom.set(t.rom, mean);
    placement.set(t.rom, { node: t.node, bus: t.bus });
  }
  return { start, minutes, byRom, placement };
}

/** "10m", "2d", "36h", "90s" → seconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) throw new UserError(`${flag} ${text} is not a duration`, undefined, "write it like 90s, 10m, 36h or 2d");
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "s" | "m" | "h" | "d"];
}
