// Lockshield flows from the manifold's hydraulics (domain §2, §4). Every circuit on a manifold
// sees one head H_k, and its flow at that head follows from what the house file knows: pipe
// length and bore, the valve's characteristic and today's turns. Only H_k is unknown, and it is
// fitted to the analyser's flow estimates of all the manifold's lockshield circuits together.
//
// Why: a single circuit's estimate (mixing shares, transit times) is 40–70 % off against the
// twin (the loop's logs), and a change judged on it lands anywhere on a valve whose ⅛ turn moves
// the flow by a third. One head fitted to five to twelve estimates averages their errors down,
// and the shares between the circuits then come from the hydraulics, which the turns set.

import type { Circuit } from "../../shared/house/index.js";
import { median } from "../measurement/stats.js";
import { flowAtHead, kvAtTurns, pipeResistanceKpa, rootIncreasing } from "./physics.js";

export interface LockshieldCircuit {
  circuit: Circuit;
  /** Turns open today (memory first, then the house file). */
  turns: number;
  /** The analyser's flow estimate, l/min, when it has one. */
  estimateLpm?: number;
}

/** Fewest estimates a head is fitted to (below that, see lockshieldFlows). */
export const MIN_ESTIMATES = 2;

/** Model flow at a head, l/min. */
export function lockshieldFlowAt(headKpa: number, c: LockshieldCircuit): number {
  const v = c.circuit.valve;
  if (v.kind !== "lockshield") return NaN;
  return flowAtHead(headKpa, pipeResistanceKpa(c.circuit.length_m, c.circuit.pipe.inner_m), kvAtTurns(c.turns, v.characteristic));
}

/**
 * The head at which the model's flows match the estimates in the median (log ratio, robust to the
 * odd estimate that is far off), by bisection on a log scale: each model flow rises with the head.
 * Undefined with fewer than MIN_ESTIMATES estimates.
 */
export function fitManifoldHead(circuits: LockshieldCircuit[]): number | undefined {
  const used = circuits.filter((c) => c.circuit.valve.kind === "lockshield" && c.turns > 0 && c.estimateLpm !== undefined && c.estimateLpm > 0);
  if (used.length < MIN_ESTIMATES) return undefined;
  const misfit = (h: number) => median(used.map((c) => Math.log(c.estimateLpm!) - Math.log(lockshieldFlowAt(h, c))));
  const low = Math.log(0.05);
  const high = Math.log(500);
  if (misfit(Math.exp(low)) <= 0 || misfit(Math.exp(high)) >= 0) return undefined;
  return Math.exp(rootIncreasing((x) => -misfit(Math.exp(x)), low, high, 60));
}

/**
 * Share of the pump's set head assumed across a manifold when no estimate fits one: the heat
 * pump's exchanger, the feeder and a proportional pump's lower head at part flow take the rest.
 * Only the scale of the flows rests on it; their shares come from the turns.
 */
export const HEAD_SHARE_OF_PUMP = 0.5;

/**
 * Every lockshield circuit's flow at the fitted head, by circuit id. A circuit without an
 * estimate of its own gets one too. With fewer than MIN_ESTIMATES estimates on the manifold the
 * head is HEAD_SHARE_OF_PUMP of the pump's set head (`pumpHeadKpa`), or, without that, the map is
 * empty and each circuit keeps the analyser's own estimate.
 */
export function lockshieldFlows(circuits: LockshieldCircuit[], pumpHeadKpa?: number): { flows: Map<string, number>; fitted: boolean } {
  const out = new Map<string, number>();
  const fittedHead = fitManifoldHead(circuits);
  const head = fittedHead ?? (pumpHeadKpa !== undefined ? HEAD_SHARE_OF_PUMP * pumpHeadKpa : undefined);
  if (head === undefined) return { flows: out, fitted: false };
  for (const c of circuits) {
    const q = lockshieldFlowAt(head, c);
    if (Number.isFinite(q) && q > 0) out.set(c.circuit.id, q);
  }
  return { flows: out, fitted: fittedHead !== undefined };
}
