// Changes nobody recorded: when a recommendation is pending (not recorded as applied) and the
// circuit's spread has since stepped the way the recommendation predicted, it looks applied.

import { median } from "../measurement/stats.js";
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
  /** How the circuit's peers' spreads moved since `since`; default not at all. */
  commonMode?: (rec: MemoryEvent, since: number) => PeerMove,
): Detection[] {
  const found: Detection[] = [];
  for (const rec of pending) {
    if (rec.spread_k === undefined || rec.expected_spread_k === undefined) continue;
    const now = today.get(rec.circuit);
    if (!now) continue;
    const before = latestBefore(observations[rec.circuit] ?? [], rec.time) ?? { spread_k: rec.spread_k, time: rec.time, cycle: rec.cycle };
    const predicted = rec.expected_spread_k - before.spread_k;
    // The weather moves every spread of a house together, in proportion (a spread is the load
    // over the flow): only the circuit's move against the others' factor is evidence of its own
    // valve. An additive common mode carried a large spread's move onto a small one (the loop's
    // logs: a late person's changes "looked applied" on the next day, and were lost).
    const peers = commonMode?.(rec, before.time) ?? NO_MOVE;
    const seen = now.spread_k - before.spread_k * peers.factor;
    if (Math.sign(predicted) !== Math.sign(seen)) continue;
    // The peers' own scatter is what the weather alone does to one circuit: a move within twice
    // it is no evidence.
    if (Math.abs(seen) < Math.max(deadBandK, 0.5 * Math.abs(predicted), 2 * peers.scatter * before.spread_k)) continue;
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

export interface PeerMove {
  /** The median factor the peers' spreads moved by. */
  factor: number;
  /** Its scatter between the peers: 1.4826 × the median absolute deviation (a robust sd). */
  scatter: number;
}

const NO_MOVE: PeerMove = { factor: 1, scatter: 0 };

/**
 * The common-mode move of a manifold's spreads since a time, from the circuits that had nothing
 * pending (their valves did not change). No move without such peers.
 */
export function peerMove(
  peers: string[],
  observations: Memory["observations"],
  today: Map<string, Observation>,
  since: number,
): PeerMove {
  const moves: number[] = [];
  for (const id of peers) {
    const now = today.get(id);
    const before = latestBefore(observations[id] ?? [], since);
    if (now && before && before.spread_k > 0 && now.spread_k > 0) moves.push(now.spread_k / before.spread_k);
  }
  if (moves.length === 0) return NO_MOVE;
  const factor = median(moves);
  return { factor, scatter: moves.length < 2 ? 0 : 1.4826 * median(moves.map((m) => Math.abs(m - factor))) };
}
