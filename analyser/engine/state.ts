// The engine's view of one circuit today: what the analysis measured, what the valve is set to
// (memory first: it is newer than the house file), and the conductance UA backed out of it.

import type { Circuit, House, Manifold } from "../../shared/house/index.js";
import type { AnalysisResult, CircuitAnalysis, ManifoldAnalysis } from "../measurement/result.js";
import type { Unit } from "./result.js";
import type { Memory } from "./memory.js";
import { conductanceFromState } from "./physics.js";
import { ENGINE_TUNING } from "./tuning.js";

/**
 * A heat-carrying spread below this is judged at this: the circuit carries almost no heat for its
 * flow (over-supplied). The sensors on the pipe read low by a share of the water's excess over the
 * cabinet air, different per sensor, so a spread that is truly a few tenths can read slightly
 * below zero. Leaving it unjudged left it over-supplied for good and its flow out of its
 * manifold's mean, which then missed by half a kelvin (the loop's held-out houses).
 */
export const NEAR_ZERO_SPREAD_K = ENGINE_TUNING.nearZeroSpreadK;
/** Below this a spread is not near zero but a sensor or mapping fault: not judged. */
export const LOWEST_PLAUSIBLE_SPREAD_K = ENGINE_TUNING.lowestPlausibleSpreadK;

/** Room temperature assumed when the house file names none (living rooms, EN 12831). */
export const DEFAULT_ROOM_C = ENGINE_TUNING.defaultRoomC;

export interface CircuitState {
  circuit: Circuit;
  manifold: Manifold;
  supplyC: number;
  returnC: number;
  spreadK: number;
  /** Half width of the spread's 90 % interval, K. */
  spreadUncertaintyK: number;
  /** The measured spread when it was near zero and is judged at NEAR_ZERO_SPREAD_K instead. */
  nearZeroMeasuredK?: number;
  roomC: number;
  /** Measured room temperature, when a room sensor gives one. */
  measuredRoomC?: number;
  targetRoomC: number;
  flowLpm: number;
  ua: number;
  setting: number;
  unit: Unit;
}

export type StateOrReason = { ok: true; state: CircuitState } | { ok: false; reason: string };

export function currentSetting(circuit: Circuit, memory: Memory): { value: number; unit: Unit } {
  const remembered = memory.settings[circuit.id];
  const unit: Unit = circuit.valve.kind === "flow-meter" ? "l/min" : "turns";
  if (remembered && remembered.unit === unit) return { value: remembered.value, unit };
  return { value: circuit.valve.kind === "flow-meter" ? circuit.valve.setting_lpm : circuit.valve.turns_open, unit };
}

export function circuitState(
  house: House,
  circuit: Circuit,
  manifoldAnalysis: ManifoldAnalysis | undefined,
  analysis: CircuitAnalysis | undefined,
  memory: Memory,
  rooms: Record<string, number> | undefined,
  /** A lockshield's flow from the manifold's hydraulics (hydraulic-flow.ts), before its own estimate. */
  modelFlowLpm?: number,
): StateOrReason {
  const manifold = house.manifolds.find((m) => m.id === circuit.manifold)!;
  if (!analysis) return { ok: false, reason: "the analysis has no entry for this circuit" };
  if (analysis.status !== "ok") return { ok: false, reason: analysis.reason ?? "the analyser could not judge it" };
  // Balancing compares heat-carrying spreads (every minute heat flows): they exist for long
  // circuits that never settle, and they are what shares the heat. The settled one stands in
  // when an older analysis has no heat-carrying spread.
  const measured = analysis.heat_spread
    ? { spreadK: analysis.heat_spread.mean_k, ci: analysis.heat_spread.ci, supplyC: analysis.heat_spread.supply_c }
    : analysis.spread
      ? { spreadK: analysis.spread.median_k, ci: analysis.spread.ci, supplyC: manifoldAnalysis?.supply_c }
      : undefined;
  if (!measured) return { ok: false, reason: "no spread measured" };
  const supplyC = measured.supplyC;
  if (supplyC === undefined || !Number.isFinite(supplyC)) return { ok: false, reason: "no manifold supply temperature" };
  const setting = currentSetting(circuit, memory);
  let flowLpm: number | undefined;
  if (circuit.valve.kind === "flow-meter") flowLpm = setting.value;
  else flowLpm = modelFlowLpm ?? ownFlowEstimate(analysis);
  if (flowLpm === undefined || !(flowLpm > 0)) return { ok: false, reason: "no flow estimate for a circuit without a flow meter" };
  const measuredRoomC = rooms?.[circuit.id];
  const targetRoomC = circuit.room_temperature?.target_c ?? circuit.room_model?.setpoint_c ?? DEFAULT_ROOM_C;
  const nearZero = measured.spreadK < NEAR_ZERO_SPREAD_K && measured.spreadK >= LOWEST_PLAUSIBLE_SPREAD_K && supplyC - (measuredRoomC ?? targetRoomC) > 2;
  const spreadK = nearZero ? NEAR_ZERO_SPREAD_K : measured.spreadK;
  const returnC = supplyC - spreadK;
  // Without a room sensor the room is assumed at its target, but a room that heats is below its
  // circuit's return: an under-supplied room is colder than its target, and assuming it warm
  // would make its state look unphysical or its NTU huge. At most half a spread below the return
  // (NTU ≤ ln 3 ≈ 1.1, beyond any EN 1264 design) keeps the model in the range floors work in.
  // A near-zero spread says nothing about the room but that it is well below the water.
  const roomC = measuredRoomC ?? (nearZero ? targetRoomC : Math.min(targetRoomC, returnC - 0.5 * spreadK));
  const ua = conductanceFromState(flowLpm, supplyC, returnC, roomC);
  if (!(ua > 0) || !(spreadK > 0.05)) {
    return { ok: false, reason: `spread ${spreadK.toFixed(2)} K at supply ${supplyC.toFixed(1)} °C is not a physical heating state (return at or below the room)` };
  }
  const ci = measured.ci;
  return {
    ok: true,
    state: {
      circuit,
      manifold,
      supplyC,
      returnC,
      spreadK,
      spreadUncertaintyK: Math.max(0, (ci.high - ci.low) / 2),
      ...(nearZero ? { nearZeroMeasuredK: measured.spreadK } : {}),
      roomC,
      measuredRoomC,
      targetRoomC,
      flowLpm,
      ua,
      setting: setting.value,
      unit: setting.unit,
    },
  };
}

export function analysisOf(analysis: AnalysisResult, circuitId: string): { manifold?: ManifoldAnalysis; circuit?: CircuitAnalysis } {
  for (const m of analysis.manifolds) {
    const c = m.circuits.find((x) => x.circuit === circuitId);
    if (c) return { manifold: m, circuit: c };
  }
  return {};
}

/** The analyser's own flow estimate for a circuit without a meter: combined, else either one. */
export function ownFlowEstimate(analysis: CircuitAnalysis | undefined): number | undefined {
  return analysis?.flow.combined_lpm?.value ?? analysis?.flow.mixing_lpm?.value ?? analysis?.flow.transit_lpm?.value;
}
