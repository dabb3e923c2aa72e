// Hand-made analyses and a small steady-state plant (the NTU model with hidden true UAs and a
// shared manifold head) for testing the engine without the simulator.

import { parseHouseText, type House } from "../../shared/house/index.js";
import type { AnalysisResult, CircuitAnalysis } from "../../analyser/measurement/result.js";

export interface CircuitSpec {
  id: string;
  room?: string;
  manifold?: string;
  area?: number;
  length?: number;
  valve: string;
  extra?: string;
}

export function houseOf(circuits: CircuitSpec[], opts: { manifolds?: string[]; analysis?: string; plant?: string; policy?: Record<string, string> } = {}): House {
  const manifolds = opts.manifolds ?? ["m1"];
  const yaml = `
site: { name: Test, timezone: Europe/Berlin, language: en }
influx: { url: "http://127.0.0.1:8086" }
nodes: [{ id: n1, hostname: n1, buses: [{ pin: 16 }] }]
${opts.plant ?? "plant: { heat_pump: { min_flow_lpm: 2 } }"}
manifolds:
${manifolds.map((m) => `  - { id: ${m}, name: ${m.toUpperCase()}, node: n1${opts.policy?.[m] ? `, policy: ${opts.policy[m]}` : ""} }`).join("\n")}
circuits:
${circuits
  .map(
    (c) =>
      `  - { id: ${c.id}, manifold: ${c.manifold ?? manifolds[0]}, room: ${c.room ?? c.id.toUpperCase()}, area_m2: ${c.area ?? 15}, length_m: ${c.length ?? 80}, valve: ${c.valve}${c.extra ? ", " + c.extra : ""} }`,
  )
  .join("\n")}
analysis: { ${opts.analysis ?? ""} }
`;
  return parseHouseText(yaml).house;
}

export function meter(lpm: number): string {
  return `{ kind: flow-meter, setting_lpm: ${lpm} }`;
}

export function lockshield(turns: number): string {
  return `{ kind: lockshield, turns_open: ${turns} }`;
}

export interface CircuitReading {
  spread: number;
  flow?: number;
  status?: "ok" | "not-enough-data";
  ciHalf?: number;
}

export const T0 = Date.UTC(2026, 0, 15, 5, 30) / 1000;

export function analysisOf(house: House, readings: Record<string, CircuitReading>, opts: { supply?: number; now?: number; outdoor?: number } = {}): AnalysisResult {
  const now = opts.now ?? T0;
  const supply = opts.supply ?? 33;
  return {
    site: house.site.name,
    language: "en",
    generated_at: now,
    window: { start: now - 86400, end: now, timezone: house.site.timezone, start_local: "", end_local: "" },
    heating: { active_minutes: 900, segments: [], starts: 10, outdoor_c: opts.outdoor ?? 2, supply_c: supply },
    manifolds: house.manifolds.map((m) => ({
      manifold: m.id,
      name: m.name,
      status: "ok",
      supply_c: supply,
      circuits: house.circuits
        .filter((c) => c.manifold === m.id)
        .map((c): CircuitAnalysis => {
          const r = readings[c.id];
          if (!r || r.status === "not-enough-data") {
            return { circuit: c.id, manifold: m.id, room: c.room, status: "not-enough-data", reason: "only 40 heating minutes (120 needed)", flow: {}, warnings: [] };
          }
          const half = r.ciHalf ?? 0.1;
          return {
            circuit: c.id,
            manifold: m.id,
            room: c.room,
            status: "ok",
            spread: { median_k: r.spread, iqr_k: 0.3, ci: { low: r.spread - half, high: r.spread + half }, minutes: 900, segments: 10 },
            return_c: supply - r.spread,
            flow: {
              ...(r.flow !== undefined ? { combined_lpm: { value: r.flow, sd: 0.1 } } : {}),
              ...(c.valve.kind === "flow-meter" ? { meter_lpm: c.valve.setting_lpm } : {}),
            },
            warnings: [],
          };
        }),
      warnings: [],
    })),
    calibration: [],
    sensors: [],
    unknown_sensors: [],
    nodes: [],
    warnings: [],
  };
}
