// Target policies (issue 7): what each circuit should do, as a wanted flow ṁ* from the heat-
// transfer model, the spread that flow gives, and today's error in the policy's own unit.
// Targets of the spread policies are relative within a manifold: scaling every flow of a
// manifold together leaves the balance as it is, so the index logic may rescale them.

import type { Policy } from "../../shared/house/index.js";
import { circuitVolumeL } from "../../shared/house/index.js";
import {
  CANNOT_FIX_RATIO,
  capacityRate,
  demandRatio,
  designSpreads,
  flowForOutput,
  flowForSpread,
  khTypeA,
  spreadAt,
} from "./physics.js";
import type { CircuitState } from "./state.js";
import { ENGINE_TUNING } from "./tuning.js";

/** Rooms within this of their target are left alone (domain §5: room error < 0.3 K). */
export const ROOM_DEAD_BAND_K = ENGINE_TUNING.roomDeadBandK;

/** Above this share of the ceiling the wanted flow is more than ~3× today's: never worth it. */
export const HOPELESS_RATIO = ENGINE_TUNING.hopelessRatio;

export interface Target {
  circuit: string;
  /** Wanted flow, l/min, before damping and limits. */
  flowLpm: number;
  /** Spread the wanted flow gives, K. */
  spreadK: number;
  /** Measured minus target: spread K, or room K for room-temperature. */
  errorK: number;
  /** |errorK| below this is noise or within tolerance. */
  deadBandK: number;
  /** Set when no flow reaches the target: the heating curve has to. */
  cannotFix?: string;
  /**
   * The demand is above ~85 % of the floor's ceiling UA·(θ_V − θ_i): flow helps little there, so
   * the circuit cannot be fixed if its valve cannot give the wanted flow (the planner decides).
   */
  nearCeiling?: string;
}

export interface PolicyOutcome {
  targets: Target[];
  /** The policy actually used (design or room-temperature fall back without their inputs). */
  policy: Policy;
  warnings: string[];
}

/** Flow-weighted mean spread of a set of circuits, K. */
export function weightedMeanSpread(states: { flowLpm: number; spreadK: number }[]): number {
  let flow = 0;
  let sum = 0;
  for (const s of states) {
    flow += s.flowLpm;
    sum += s.flowLpm * s.spreadK;
  }
  return flow > 0 ? sum / flow : NaN;
}

function spreadTarget(s: CircuitState, spreadK: number, deadBandK: number): Target {
  const flow = flowForSpread(spreadK, s.ua, s.supplyC, s.roomC);
  const errorK = s.spreadK - spreadK;
  if (!Number.isFinite(flow)) {
    return { circuit: s.circuit.id, flowLpm: s.flowLpm, spreadK, errorK, deadBandK, cannotFix: `a spread of ${spreadK.toFixed(1)} K is not reachable at supply ${s.supplyC.toFixed(1)} °C` };
  }
  return { circuit: s.circuit.id, flowLpm: flow, spreadK, errorK, deadBandK };
}

/**
 * The spread targets of a whole manifold scaled by one factor (balance between manifolds): the
 * shape within the manifold stays, its level moves. Targets that cannot be fixed stay as they are.
 */
export function scaledSpreadTargets(states: CircuitState[], targets: Target[], scale: number): Target[] {
  return targets.map((t, i) => (t.cannotFix ? t : spreadTarget(states[i]!, t.spreadK * scale, t.deadBandK)));
}

/** equal-spread: the manifold's flow-weighted mean spread, shifted by the circuit's comfort bias. */
export function equalSpreadTargets(states: CircuitState[], deadBandK: number): Target[] {
  const mean = weightedMeanSpread(states);
  return states.map((s) => spreadTarget(s, mean + s.circuit.comfort_bias_k, deadBandK));
}

/**
 * design: EN 1264-3 σ_j from each room's design excess Δθ_H = q/K_H. The standard's spreads are
 * for design conditions; at part load all differences scale together (linear system curve), so
 * the shape is kept and scaled to today's flow-weighted mean spread.
 */
export function designShape(states: CircuitState[]): number[] | undefined {
  if (states.some((s) => s.circuit.design_load_w_m2 === undefined)) return undefined;
  const rooms = states.map((s) => ({ excessK: s.circuit.design_load_w_m2! / khTypeA(s.circuit.floor, s.circuit.pipe.outer_mm / 1000) }));
  return designSpreads(rooms).spreads;
}

export function designTargets(states: CircuitState[], deadBandK: number, shape: number[]): Target[] {
  const mean = weightedMeanSpread(states);
  const shapeMean = weightedMeanSpread(states.map((s, i) => ({ flowLpm: s.flowLpm, spreadK: shape[i]! })));
  return states.map((s, i) => spreadTarget(s, (shape[i]! * mean) / shapeMean + s.circuit.comfort_bias_k, deadBandK));
}

/** transit-time: equal transit time, so flow ∝ circuit volume (seed 003's hydraulic method). */
export function transitTimeTargets(states: CircuitState[], deadBandK: number): Target[] {
  const total = states.reduce((a, s) => a + s.flowLpm, 0);
  const volume = states.reduce((a, s) => a + circuitVolumeL(s.circuit), 0);
  return states.map((s) => {
    const flow = (total * circuitVolumeL(s.circuit)) / volume;
    const spreadK = spreadAt(flow, s.ua, s.supplyC, s.roomC);
    return { circuit: s.circuit.id, flowLpm: flow, spreadK, errorK: s.spreadK - spreadK, deadBandK };
  });
}

/**
 * room-temperature: Q* = Q·(θ_set − θ_e)/(θ_i − θ_e) (domain §5 step 3), then ṁ* from the NTU
 * model by bisection. A room that would need more than ~85 % of UA·(θ_V − θ_i) cannot be fixed
 * by flow.
 */
export function roomTemperatureTargets(states: CircuitState[], outdoorC: number): Target[] {
  return states.map((s) => {
    const roomC = s.measuredRoomC!;
    const errorK = roomC - s.targetRoomC;
    const heatW = capacityRate(s.flowLpm) * s.spreadK;
    const wanted = (heatW * (s.targetRoomC - outdoorC)) / Math.max(0.5, roomC - outdoorC);
    const ratio = demandRatio(wanted, s.ua, s.supplyC, roomC);
    const flow = flowForOutput(wanted, s.ua, s.supplyC, roomC);
    const base = { circuit: s.circuit.id, errorK, deadBandK: ROOM_DEAD_BAND_K };
    const why = `the room needs ${(ratio * 100).toFixed(0)} % of what its floor can give at supply ${s.supplyC.toFixed(1)} °C: more flow barely helps, raise the heating curve`;
    if (ratio > HOPELESS_RATIO || !Number.isFinite(flow)) return { ...base, flowLpm: s.flowLpm, spreadK: s.spreadK, cannotFix: why };
    const target: Target = { ...base, flowLpm: flow, spreadK: spreadAt(flow, s.ua, s.supplyC, roomC) };
    return ratio > CANNOT_FIX_RATIO && errorK < 0 ? { ...target, nearCeiling: why } : target;
  });
}

/** The targets of one manifold under its policy, with honest fallbacks. */
export function manifoldTargets(policy: Policy, states: CircuitState[], deadBandK: number, outdoorC: number | undefined): PolicyOutcome {
  const warnings: string[] = [];
  if (policy === "room-temperature") {
    const missing = states.filter((s) => s.measuredRoomC === undefined).map((s) => s.circuit.id);
    if (missing.length === 0 && outdoorC !== undefined) return { targets: roomTemperatureTargets(states, outdoorC), policy, warnings };
    warnings.push(
      outdoorC === undefined
        ? "room-temperature policy needs the outdoor temperature; used equal-spread today"
        : `room-temperature policy needs a room temperature for ${missing.join(", ")}; used equal-spread today`,
    );
    return { targets: equalSpreadTargets(states, deadBandK), policy: "equal-spread", warnings };
  }
  if (policy === "design") {
    const shape = designShape(states);
    if (shape) return { targets: designTargets(states, deadBandK, shape), policy, warnings };
    warnings.push("design policy needs design_load_w_m2 on every circuit of the manifold; used equal-spread today");
    return { targets: equalSpreadTargets(states, deadBandK), policy: "equal-spread", warnings };
  }
  if (policy === "transit-time") return { targets: transitTimeTargets(states, deadBandK), policy, warnings };
  return { targets: equalSpreadTargets(states, deadBandK), policy: "equal-spread", warnings };
}
