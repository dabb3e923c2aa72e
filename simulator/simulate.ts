// A whole simulated run as line protocol: the temperature readings the house's nodes would write
// (each raw read judged by shared/reading.ts exactly as the firmware judges it: invalid reads are
// counted in node_health, never written as temperatures), one node_health point per node per
// minute, and optionally the ground truth (sim_truth) per circuit and manifold per minute.

import type { House } from "../shared/house/index.js";
import { encodePoint } from "../shared/line-protocol.js";
import { nodeHealthPoint, REJECTION_REASONS, SIM_TRUTH, type RejectionReason } from "../shared/measurements.js";
import { judgeReading, type Previous } from "../shared/reading.js";
import { celsiusText, temperaturePrefix } from "./lines.js";
import { Rng } from "./rng.js";
import { READ_CRC, READ_MISSING, READ_POWER_ON } from "./sensors.js";
import { Twin, type TwinOptions } from "./twin.js";

export interface SimulateOptions {
  start: number;
  days: number;
  seed?: number;
  truth?: boolean;
  sensorFaults?: boolean;
  outputIntervalS?: number;
  spinUpDays?: number;
  weather?: TwinOptions["weather"];
  sensorOffsetSdK?: number;
}

export interface SimulateStats {
  readings: number;
  rejected: number;
  lines: number;
}

export const SIM_FIRMWARE = "sim-0.1.0";
const CHUNK_CHARS = 1 << 18;
const REASON_INDEX: Record<RejectionReason, number> = Object.fromEntries(REJECTION_REASONS.map((r, i) => [r, i])) as Record<RejectionReason, number>;

function round(x: number, digits: number): number {
  const f = Math.pow(10, digits);
  return Math.round(x * f) / f;
}

/** A run that can be advanced in pieces (the CLI writes to InfluxDB between pieces). */
export class Simulation {
  readonly twin: Twin;
  readonly end: number;
  readonly stats: SimulateStats = { readings: 0, rejected: 0, lines: 0 };
  private readonly truth: boolean;
  private readonly prefixes: string[];
  private readonly previous: (Previous | undefined)[];
  private readonly sensorNode: Int32Array;
  /** Per node: rejected counts in REJECTION_REASONS order, then crc_errors. */
  private readonly counters: Int32Array[];
  private readonly expected: Int32Array;
  private readonly healthRng: Rng;

  constructor(house: House, opts: SimulateOptions) {
    if (!(opts.days > 0)) throw new Error("days must be positive");
    this.twin = new Twin(house, { start: opts.start, seed: opts.seed, sensorFaults: opts.sensorFaults, outputIntervalS: opts.outputIntervalS, spinUpDays: opts.spinUpDays, weather: opts.weather, sensorOffsetSdK: opts.sensorOffsetSdK });
    // Whole steps, so that a caller looping `while (time < end)` always arrives.
    this.end = this.twin.start + Math.max(1, Math.round((opts.days * 86400) / this.twin.dt)) * this.twin.dt;
    this.truth = opts.truth ?? false;
    const specs = this.twin.sensors;
    this.prefixes = specs.map((s) => temperaturePrefix(s.node, s.bus, s.rom, true));
    this.previous = specs.map(() => undefined);
    const nodeIdx = new Map(house.nodes.map((n, i) => [n.id, i]));
    this.sensorNode = Int32Array.from(specs.map((s) => nodeIdx.get(s.node) ?? 0));
    this.counters = house.nodes.map(() => new Int32Array(REJECTION_REASONS.length + 1));
    this.expected = new Int32Array(house.nodes.length);
    for (const n of this.sensorNode) this.expected[n]++;
    this.healthRng = new Rng(opts.seed ?? 1, "node-health");
  }

  get time(): number {
    return this.twin.time;
  }

  /** Advance to `until` (at most the end), handing line-protocol text to `sink` in chunks. */
  run(until: number, sink: (chunk: string) => void): void {
    const twin = this.twin;
    const stats = this.stats;
    const prefixes = this.prefixes;
    const previous = this.previous;
    const sensorNode = this.sensorNode;
    const counters = this.counters;
    const crcIdx = REASON_INDEX.crc;
    const powerOnIdx = REASON_INDEX.power_on;
    const disconnectedIdx = REASON_INDEX.disconnected;
    const crcErrorsIdx = REJECTION_REASONS.length;
    let buffer = "";
    let suffixTime = -1;
    let suffix = "";
    const target = Math.min(until, this.end);
    // Minute by minute: samples, then the minute's health and truth points.
    while (twin.time < target) {
      const stepEnd = Math.min(target, (Math.floor(twin.time / 60) + 1) * 60);
      const before = twin.time;
      twin.advance(stepEnd, (s, time, kind, celsius) => {
        const counts = counters[sensorNode[s]];
        if (kind === READ_MISSING) {
          counts[disconnectedIdx]++;
          stats.rejected++;
          return;
        }
        if (kind === READ_CRC) {
          counts[crcIdx]++;
          counts[crcErrorsIdx]++;
          stats.rejected++;
          return;
        }
        const value = kind === READ_POWER_ON ? 85.0 : celsius;
        const prev = previous[s];
        const verdict = judgeReading(value, time, prev);
        if (!verdict.ok) {
          counts[kind === READ_POWER_ON && verdict.reason === "power_on" ? powerOnIdx : REASON_INDEX[verdict.reason]]++;
          stats.rejected++;
          return;
        }
        if (prev === undefined) previous[s] = { celsius: verdict.celsius, time };
        else {
          prev.celsius = verdict.celsius;
          prev.time = time;
        }
        if (time !== suffixTime) {
          suffixTime = time;
          suffix = " " + time + "\n";
        }
        // Same bytes as temperatureLine() (test/simulator/simulate.test.ts), with the time text reused.
        buffer += prefixes[s] + celsiusText(verdict.celsius) + suffix;
        stats.readings++;
        stats.lines++;
        if (buffer.length > CHUNK_CHARS) {
          sink(buffer);
          buffer = "";
        }
      });
      const t = twin.time;
      if (t % 60 === 0 && t > twin.start) {
        buffer += this.minuteLines(t);
        if (buffer.length > CHUNK_CHARS) {
          sink(buffer);
          buffer = "";
        }
      }
      if (twin.time === before) break; // `until` is less than a step ahead
    }
    if (buffer.length > 0) sink(buffer);
  }

  private minuteLines(t: number): string {
    const house = this.twin.house;
    let out = "";
    house.nodes.forEach((node, n) => {
      const counts = this.counters[n];
      const rejected = {} as Record<RejectionReason, number>;
      REJECTION_REASONS.forEach((r, i) => (rejected[r] = counts[i]));
      let alive = 0;
      this.twin.sensors.forEach((s) => {
        if (s.node === node.id && t < s.diesAt) alive++;
      });
      out +=
        encodePoint(
          nodeHealthPoint({
            node: node.id,
            time: t,
            firmware: SIM_FIRMWARE,
            uptime_s: t - this.twin.start,
            reset_reason: "power_on",
            rssi_dbm: -58 - Math.round(this.healthRng.next() * 8),
            free_heap_bytes: 96000 - Math.round(this.healthRng.next() * 4000),
            sensors_found: alive,
            sensors_expected: this.expected[n],
            crc_errors: counts[REJECTION_REASONS.length],
            rejected,
            buffered: 0,
            dropped: 0,
            dropped_bad_lines: 0,
            write_status: "ok",
            write_http_status: 204,
            cycle_ms: 760 + this.expected[n] * 14,
            clock_synced: true,
          }),
        ) + "\n";
      this.stats.lines++;
    });
    if (this.truth) {
      const truth = this.twin.truth();
      for (const c of truth.circuits) {
        out +=
          encodePoint({
            measurement: SIM_TRUTH,
            tags: { circuit: c.id, kind: "circuit" },
            fields: { flow_lpm: round(c.flow_lpm, 4), supply_c: round(c.supply_c, 3), return_c: round(c.return_c, 3), heat_w: round(c.heat_w, 1), room_c: round(c.room_c, 3) },
            time: t,
          }) + "\n";
        this.stats.lines++;
      }
      for (const m of truth.manifolds) {
        out +=
          encodePoint({
            measurement: SIM_TRUTH,
            tags: { circuit: m.id, kind: "manifold" },
            fields: { flow_lpm: round(m.flow_lpm, 4), supply_c: round(m.supply_c, 3), return_c: round(m.return_c, 3) },
            time: t,
          }) + "\n";
        this.stats.lines++;
      }
    }
    return out;
  }
}

export function simulate(house: House, opts: SimulateOptions, sink: (chunk: string) => void): SimulateStats {
  const sim = new Simulation(house, opts);
  sim.run(sim.end, sink);
  return { ...sim.stats };
}
