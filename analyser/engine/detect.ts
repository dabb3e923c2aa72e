// Changes nobody recorded: when a recommendation is pending (not recorded as applied) and the
// circuit's spread has since stepped the way the recommendation predicted, it looks applied.

import type { Memory, MemoryEvent, Observation } from "./memory.js";

export interface Detection {
  event: MemoryEvent;
  evidence: string;
}

/**
 * A pending recommendation looks applied when the spread moved in the predicted direction by at
 * least half the predicted step and more than the dead band (a step the data resolves).
 */
export function detectApplied(
  pending: MemoryEvent[],
  observations: Memory["observations"],
  today: Map<string, Observation>,
  deadBandK: number,
  /** The move of the circuit's peers since `since` (their median), K; default none. */
  commonMode?: (rec: MemoryEvent, since: number) => number,
): Detection[] {
  const found: Detection[] = [];
  for (const rec of pending) {
    if (rec.spread_k === undefined || rec.expected_spread_k === undefined) continue;
    const now = today.get(rec.circuit);
    if (!now) continue;
    const before = latestBefore(observations[rec.circuit] ?? [], rec.time) ?? { spread_k: rec.spread_k, time: rec.time, cycle: rec.cycle };
    const predicted = rec.expected_spread_k - before.spread_k;
    // The weather moves every spread of a house together: only the circuit's move against the
    // others' (common mode removed) is evidence of its own valve.
    const seen = now.spread_k - before.spread_k - (commonMode?.(rec, before.time) ?? 0);
    if (Math.sign(predicted) !== Math.sign(seen)) continue;
    if (Math.abs(seen) < Math.max(deadBandK, 0.5 * Math.abs(predicted))) continue;
    found.push({
      event: rec,
      evidence: `spread ${before.spread_k.toFixed(1)} K → ${now.spread_k.toFixed(1)} K since the recommendation (predicted ${rec.expected_spread_k.toFixed(1)} K)`,
    });
  }
  return found;
}

export function latestBefore(list: Observation[], time: number): Observation | undefined {
  let best: Observation | undefined;
  for (const o of list) if (o.time <= time && (!best || o.time > best.time)) best = o;
  return best;
}

/**
 * The common-mode move of a manifold's spreads since a time: the median move of the circuits that
 * had nothing pending (their valves did not change), K. 0 without such peers.
 */
export function peerMove(
  peers: string[],
  observations: Memory["observations"],
  today: Map<string, Observation>,
  since: number,
): number {
  const moves: number[] = [];
  for (const id of peers) {
    const now = today.get(id);
    const before = latestBefore(observations[id] ?? [], since);
    if (now && before) moves.push(now.spread_k - before.spread_k);
  }
  if (moves.length === 0) return 0;
  moves.sort((a, b) => a - b);
  const mid = moves.length >> 1;
  return moves.length % 2 ? moves[mid]! : (moves[mid - 1]! + moves[mid]!) / 2;
}
