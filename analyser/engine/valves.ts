// From a wanted flow to what a person does at the manifold (domain §5 step 6).
// Flow meter: the new reading is the setting. Lockshield: back out the manifold head H_k from
// the current state, k_v* = Q*/√(H_k − R_i·Q*^β), then invert k_v(n) to turns.

import type { Circuit, FlowMeterValve, LockshieldValve } from "../../shared/house/index.js";
import { flowAtHead, kvAtTurns, kvFor, PIPE_EXPONENT, pipeResistanceKpa, turnsForKv, valveDropKpa } from "./physics.js";

/** Round to the meter's scale step and clamp to its printed range. */
export function meterReading(flowLpm: number, scale: FlowMeterValve["scale"]): number {
  const stepped = Math.round(flowLpm / scale.step) * scale.step;
  const clamped = Math.min(scale.max, Math.max(scale.min, stepped));
  // Decimal steps (0.1) accumulate binary error; print what the scale prints.
  const decimals = Math.max(0, Math.ceil(-Math.log10(scale.step) - 1e-9));
  return Number(clamped.toFixed(decimals + 1));
}

/** Turns to the nearest 1/8, within 0…max_turns (a person cannot set finer). */
export function roundTurns(turns: number, maxTurns: number): number {
  const eighths = Math.round(turns * 8) / 8;
  return Math.min(maxTurns, Math.max(1 / 8, eighths));
}

export interface LockshieldState {
  /** Manifold head across pipe + valve, kPa, backed out of the current state. */
  headKpa: number;
  /** Pipe resistance R_i, kPa per (l/min)^1.75. */
  pipeKpa: number;
}

/**
 * Back out R_i and H_k. R_i comes from the pipe (length, bore; domain §2); H_k from the
 * current flow and turns: H_k = R_i·Q^β + (Q/k_v(n))². When memory holds a second state of the
 * same circuit (a different turns setting), both unknowns are solved from the two states.
 */
export function lockshieldState(
  circuit: Circuit,
  valve: LockshieldValve,
  flowLpm: number,
  previous?: { turns: number; flowLpm: number },
): LockshieldState {
  const kvNow = kvAtTurns(valve.turns_open, valve.characteristic);
  let pipeKpa = pipeResistanceKpa(circuit.length_m, circuit.pipe.inner_m);
  if (previous && Math.abs(previous.turns - valve.turns_open) >= 1 / 8 && previous.flowLpm > 0) {
    // Same head, two states: R(Q1^β − Q2^β) = v2 − v1.
    const kvPrev = kvAtTurns(previous.turns, valve.characteristic);
    const dPipe = Math.pow(flowLpm, PIPE_EXPONENT) - Math.pow(previous.flowLpm, PIPE_EXPONENT);
    const dValve = valveDropKpa(previous.flowLpm, kvPrev) - valveDropKpa(flowLpm, kvNow);
    const fitted = dValve / dPipe;
    // Only trust a fit within a factor 3 of the pipe model: flow estimates carry ~10 % error.
    if (Number.isFinite(fitted) && fitted > pipeKpa / 3 && fitted < pipeKpa * 3) pipeKpa = fitted;
  }
  const headKpa = pipeKpa * Math.pow(flowLpm, PIPE_EXPONENT) + valveDropKpa(flowLpm, kvNow);
  return { headKpa, pipeKpa };
}

/** Turns (to 1/8) that give a wanted flow at the backed-out head; max turns when even that is short. */
export function turnsForFlow(targetLpm: number, state: LockshieldState, valve: LockshieldValve): number {
  const left = state.headKpa - state.pipeKpa * Math.pow(targetLpm, PIPE_EXPONENT);
  if (left <= 0) return valve.characteristic.max_turns;
  const n = turnsForKv(kvFor(targetLpm, left), valve.characteristic);
  return roundTurns(Number.isFinite(n) ? n : valve.characteristic.max_turns, valve.characteristic.max_turns);
}

/** The flow a lockshield delivers at some turns, at the backed-out head. */
export function flowAtTurns(turns: number, state: LockshieldState, valve: LockshieldValve): number {
  return flowAtHead(state.headKpa, state.pipeKpa, kvAtTurns(turns, valve.characteristic));
}
