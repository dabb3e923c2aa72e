// The simulated person who says how a room feels: "too cold" or "too warm" when the room is
// `threshold_k` or more off its target, sometimes forgetting to say it; nothing when it is fine
// (people complain, they rarely confirm). Pure given its Rng.

import type { Vote } from "../analyser/rooms/votes.js";
import type { Rng } from "./rng.js";

export interface PersonOptions {
  threshold_k: number;
  /** Chance that a room that is off is not voted on that day. */
  forget: number;
}

export const DEFAULT_PERSON: PersonOptions = Object.freeze({ threshold_k: 1, forget: 0.3 });

/** The day's votes: `rooms` maps each room to its true temperature and its target. */
export function personVotes(rooms: ReadonlyMap<string, { true_c: number; target_c: number }>, time: number, rng: Rng, o: PersonOptions = DEFAULT_PERSON): Vote[] {
  const out: Vote[] = [];
  for (const [room, r] of rooms) {
    const off = r.true_c - r.target_c;
    // Every room draws, whether it is off or not, so one room's state does not shift the others' luck.
    const forgets = rng.next() < o.forget;
    if (Math.abs(off) < o.threshold_k || forgets) continue;
    out.push({ room, vote: off < 0 ? "too-cold" : "too-warm", time });
  }
  return out;
}
