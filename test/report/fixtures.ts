// Hand-made analysis and engine results for the report tests: the shapes of the contracts
// (analyser/result.ts, analyser/engine/result.ts), filled deterministically from a house.

import { type House } from "../../shared/house/index.js";
import { loadHouseFile } from "../../shared/house/load.js";
import type { AnalysisResult, CircuitAnalysis, ManifoldAnalysis } from "../../analyser/measurement/result.js";
import type { Action, CircuitVerdict, EngineResult } from "../../analyser/engine/result.js";

export function exampleHouse(language?: "de" | "en"): House {
  const house = loadHouseFile(new URL("../../examples/house.yaml", import.meta.url).pathname).house;
  return language ? { ...house, site: { ...house.site, language } } : house;
}

export interface FixtureOptions {
  balanced?: boolean;
  cycles?: number;
  /** Make the first circuit of every manifold a lockshield action. */
  lockshield?: boolean;
  warnings?: boolean;
  now?: number;
  /** Measured room − target per room, K (room thermometers). */
  rooms?: Record<string, number>;
}

const NOW = Date.UTC(2026, 10, 23, 5, 30) / 1000;

export function fixture(house: House, o: FixtureOptions = {}): { analysis: AnalysisResult; engine: EngineResult } {
  const now = o.now ?? NOW;
  const language = house.site.language;
  const verdicts: CircuitVerdict[] = [];
  const actions: Action[] = [];
  const manifolds: ManifoldAnalysis[] = house.manifolds.map((m, mi) => {
    const circuits: CircuitAnalysis[] = house.circuits
      .filter((c) => c.manifold === m.id)
      .map((c, ci) => {
        const target = 5 + ((ci * 7 + mi) % 5) * 0.4;
        const dev = o.balanced ? ((ci % 3) - 1) * 0.2 : (((ci * 13 + mi * 5) % 9) - 4) * 0.55;
        const spread = target + dev;
        const flow = c.valve.kind === "flow-meter" ? c.valve.setting_lpm * 0.95 : 1.2;
        const status = Math.abs(dev) <= 0.4 ? "nothing-to-do" : "change";
        let action: Action | undefined;
        if (status === "change") {
          const lockshield = o.lockshield && ci === 0;
          action = lockshield
            ? { circuit: c.id, manifold: m.id, room: c.room, valve: "lockshield", from: 1.25, to: dev > 0 ? 1.75 : 1.0, unit: "turns", effect_k: Math.abs(dev), reason: "spread off target" }
            : {
                circuit: c.id,
                manifold: m.id,
                room: c.room,
                valve: "flow-meter",
                from: c.valve.kind === "flow-meter" ? c.valve.setting_lpm : 1,
                to: Math.round(((c.valve.kind === "flow-meter" ? c.valve.setting_lpm : 1) * (dev > 0 ? 1.2 : 0.85)) * 10) / 10,
                unit: "l/min",
                effect_k: Math.abs(dev),
                reason: "spread off target",
              };
          actions.push(action);
        }
        verdicts.push({ circuit: c.id, manifold: m.id, room: c.room, status, spread_k: spread, target_k: target, flow_lpm: flow, action, reason: "fixture" });
        return {
          circuit: c.id,
          manifold: m.id,
          room: c.room,
          rom: c.sensor?.rom,
          status: "ok",
          spread: { median_k: spread, iqr_k: 0.4, ci: { low: spread - 0.2, high: spread + 0.2 }, minutes: 600, segments: 6 },
          return_c: 30 - spread,
          flow: { combined_lpm: { value: flow, sd: 0.1 }, meter_lpm: c.valve.kind === "flow-meter" ? c.valve.setting_lpm : undefined },
          warnings: [],
        } satisfies CircuitAnalysis;
      });
    return { manifold: m.id, name: m.name, status: "ok", supply_c: 32, return_c: 27, circuits, warnings: [] };
  });
  actions.sort((a, b) => b.effect_k - a.effect_k);
  const chosen = actions.slice(0, house.analysis.max_changes);
  for (const v of verdicts) if (v.action && !chosen.includes(v.action)) v.status = "deferred";
  const cycles = o.cycles ?? 4;
  const trend = Array.from({ length: cycles }, (_, i) => ({ cycle: i + 1, date: `2026-11-${String(20 + i).padStart(2, "0")}`, worst_deviation_k: o.balanced ? 2.4 / (i + 1) : 3.1 - i * 0.3 }));
  const worst = Math.max(...verdicts.map((v) => Math.abs(v.spread_k! - v.target_k!)));
  const firstRom = house.circuits[0].sensor?.rom ?? "28-000000000000";
  const analysis: AnalysisResult = {
    site: house.site.name,
    language,
    generated_at: now,
    window: { start: now - 86400, end: now, timezone: house.site.timezone, start_local: "2026-11-22 06:30", end_local: "2026-11-23 06:30" },
    heating: { active_minutes: o.warnings ? 45 : 900, segments: [], starts: 8, outdoor_c: 2 },
    manifolds,
    calibration: [],
    sensors: o.warnings
      ? [
          { rom: firstRom, coverage: 0.2, gaps: 3, longest_gap_min: 600, stuck: false, glitch_rate: 0, reporting_now: false },
          { rom: house.circuits[1].sensor?.rom ?? "28-000000000001", coverage: 1, gaps: 0, longest_gap_min: 0, stuck: true, glitch_rate: 0, reporting_now: true },
        ]
      : [],
    unknown_sensors: o.warnings ? [{ rom: "28-0316a2aaaaaa", node: house.nodes[0].id, bus: "0", last_seen: now - 60 }] : [],
    nodes: house.nodes.map((n, i) => ({ node: n.id, last_seen: now - 30, write_status: o.warnings && i === 1 ? "auth" : "ok", rejected: {} })),
    warnings: [],
  };
  const engine: EngineResult = {
    cycle: cycles,
    policy: house.analysis.policy,
    balanced: !!o.balanced,
    worst_deviation_k: worst,
    trend,
    verdicts,
    actions: o.balanced ? [] : chosen,
    ...(o.rooms ? { room_deviations: Object.entries(o.rooms).map(([room, deviation_k]) => ({ room, deviation_k })) } : {}),
    looks_applied: [],
    warnings: [],
  };
  if (o.balanced) for (const v of verdicts) if (v.status !== "nothing-to-do") v.status = "nothing-to-do";
  return { analysis, engine };
}

/** A much larger house than the example: many circuits per manifold and long room names. */
export function bigHouse(circuitsPerManifold = 40, nameLength = 60): House {
  const base = exampleHouse("en");
  const circuits = base.manifolds.flatMap((m, mi) =>
    Array.from({ length: circuitsPerManifold }, (_, i) => ({
      ...base.circuits[0],
      id: `c${mi}-${i}`,
      manifold: m.id,
      room: `Room ${mi}-${i} ` + "x".repeat(Math.max(0, nameLength - 10)),
      sensor: null,
    })),
  );
  return { ...base, circuits };
}
