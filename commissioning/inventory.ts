// What is on the buses: every sensor seen, grouped per node and bus, with its mapping from the
// house file, its last reading and a health verdict; plus what the house file expects but
// nobody has seen. Pure: the readings come in as traces, the clock as `now`.

import { sensorIndex, type House, type SensorRole } from "../shared/house/index.js";
import type { RomTrace, Sample } from "./series.js";

export type Health = "offline" | "stuck" | "glitchy" | "rejected" | "elsewhere";

export interface SensorEntry {
  rom: string;
  node: string;
  bus: string;
  mapping: SensorRole | null;
  last_c: number | null;
  last_time: number | null;
  age_s: number | null;
  samples: number;
  rejected: number;
  health: { kind: Health; why: string }[];
}

export interface BusGroup {
  node: string;
  bus: string;
  sensors: SensorEntry[];
}

export interface Inventory {
  now: number;
  groups: BusGroup[];
  /** In the house file, never seen in the window. */
  missing: SensorRole[];
  /** Rejected reads per node over the window (from node_health or /status), by reason. */
  rejectedByNode: Map<string, Record<string, number>>;
}

export interface HealthPolicy {
  /** A sensor is offline after this many missed intervals (and at least minOfflineS). */
  offlineIntervals: number;
  minOfflineS: number;
  /** Identical values over at least this span (and stuckSamples reads) mean a frozen sensor. */
  stuckSpanS: number;
  stuckSamples: number;
  /** A spike: a reading off both neighbours by more than this, in the same direction. */
  spikeK: number;
  /** Glitchy when spikes are at least this many, or this share of the reads. */
  glitchCount: number;
  glitchShare: number;
}

export const DEFAULT_HEALTH: HealthPolicy = Object.freeze({
  offlineIntervals: 3,
  minOfflineS: 120,
  // A 12-bit DS18B20 on a pipe jitters by at least one LSB (0.0625 K) within minutes; exactly the
  // same value for 8 minutes is a frozen scratchpad or a replayed buffer, not a quiet pipe.
  stuckSpanS: 480,
  stuckSamples: 30,
  spikeK: 1.0,
  glitchCount: 3,
  glitchShare: 0.05,
});

export interface InventoryInput {
  house: House;
  traces: RomTrace[];
  now: number;
  /** Per-ROM rejected reads (from a node's /status). */
  rejectedByRom?: Map<string, number>;
  rejectedByNode?: Map<string, Record<string, number>>;
  policy?: HealthPolicy;
}

export function buildInventory(input: InventoryInput): Inventory {
  const { house, traces, now } = input;
  const policy = input.policy ?? DEFAULT_HEALTH;
  const index = sensorIndex(house);
  const intervalOf = new Map(house.nodes.map((n) => [n.id, n.interval_s]));
  const groups = new Map<string, BusGroup>();
  // Every bus the house file declares gets a group, so an empty bus shows as empty.
  for (const n of house.nodes) for (const b of n.buses) groups.set(`${n.id}\u0000${b.id}`, { node: n.id, bus: b.id, sensors: [] });

  for (const trace of traces) {
    const mapping = index.get(trace.rom) ?? null;
    const last = trace.samples.at(-1);
    const rejected = input.rejectedByRom?.get(trace.rom) ?? 0;
    const entry: SensorEntry = {
      rom: trace.rom,
      node: trace.node,
      bus: trace.bus,
      mapping,
      last_c: last ? last.celsius : null,
      last_time: last ? last.time : null,
      age_s: last ? Math.max(0, now - last.time) : null,
      samples: trace.samples.length,
      rejected,
      health: judgeHealth(trace.samples, now, intervalOf.get(trace.node) ?? 10, policy),
    };
    if (rejected > 0) entry.health.push({ kind: "rejected", why: `${rejected} read${rejected === 1 ? "" : "s"} rejected` });
    if (mapping && (mapping.node !== trace.node || mapping.bus !== trace.bus)) {
      entry.health.push({ kind: "elsewhere", why: `house file places it on node ${mapping.node} bus ${mapping.bus}` });
    }
    const key = `${trace.node}\u0000${trace.bus}`;
    if (!groups.has(key)) groups.set(key, { node: trace.node, bus: trace.bus, sensors: [] });
    groups.get(key)!.sensors.push(entry);
  }
  const seen = new Set(traces.map((t) => t.rom));
  const missing = [...index.values()].filter((s) => !seen.has(s.rom));
  const order = (s: SensorEntry) => (s.mapping ? `0${s.mapping.manifold}\u0000${roleOrder(s.mapping)}` : `1${s.rom}`);
  for (const g of groups.values()) g.sensors.sort((a, b) => (order(a) < order(b) ? -1 : 1));
  return { now, groups: [...groups.values()], missing, rejectedByNode: input.rejectedByNode ?? new Map() };
}

function roleOrder(s: SensorRole): string {
  return s.role === "supply" ? "0" : s.role === "return" ? "2" : `1${s.circuit}`;
}

export function judgeHealth(samples: Sample[], now: number, intervalS: number, policy: HealthPolicy = DEFAULT_HEALTH): { kind: Health; why: string }[] {
  const out: { kind: Health; why: string }[] = [];
  const last = samples.at(-1);
  if (!last) return [{ kind: "offline", why: "no reading in the window" }];
  const offlineAfter = Math.max(policy.offlineIntervals * intervalS, policy.minOfflineS);
  if (now - last.time > offlineAfter) out.push({ kind: "offline", why: `last reading ${formatAge(now - last.time)} ago` });

  const span = last.time - samples[0].time;
  if (samples.length >= policy.stuckSamples && span >= policy.stuckSpanS && samples.every((s) => s.celsius === last.celsius)) {
    out.push({ kind: "stuck", why: `the same ${last.celsius.toFixed(2)} °C for ${formatAge(span)}` });
  }
  let spikes = 0;
  for (let i = 1; i + 1 < samples.length; i++) {
    const up = samples[i].celsius - samples[i - 1].celsius;
    const down = samples[i].celsius - samples[i + 1].celsius;
    if (Math.abs(up) > policy.spikeK && Math.abs(down) > policy.spikeK && Math.sign(up) === Math.sign(down)) spikes++;
  }
  if (spikes >= policy.glitchCount || (spikes > 0 && spikes >= policy.glitchShare * samples.length && samples.length >= 20)) {
    out.push({ kind: "glitchy", why: `${spikes} spike${spikes === 1 ? "" : "s"} over ${policy.spikeK} K in ${samples.length} reads` });
  }
  return out;
}

export function formatAge(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

/** Where a mapped sensor sits, for people: "eg-sued manifold supply", "eg-sued/wohnen-1 return". */
export function describeMapping(s: SensorRole | null, lang: "de" | "en" = "en"): string {
  const de = lang === "de";
  if (!s) return de ? "nicht zugeordnet" : "unmapped";
  if (s.role === "circuit") return `${s.manifold}/${s.circuit} ${de ? "Rücklauf" : "return"}`;
  if (de) return `${s.manifold} Verteiler-${s.role === "supply" ? "Vorlauf" : "Rücklauf"}`;
  return `${s.manifold} manifold ${s.role}`;
}
