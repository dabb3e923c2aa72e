// The person's own word: "too cold", "ok", "too warm" for a room, with its time. Pure.
//
// A vote moves the room's target by a step (too cold → warmer). Memory: the shift is kept between
// votes; it decays with a half-life, so an old complaint about a cold snap does not steer the
// house for ever. A house answers a change over a day or more, so a second vote in the same
// direction within `repeat_h` is the same complaint said again (the room has not had the time to
// change), not a stronger one. "ok" confirms: it stops the shift where it is.

export const VOTES = ["too-cold", "ok", "too-warm"] as const;
export type VoteValue = (typeof VOTES)[number];

/** German and English words on the command line → the vote. */
export const VOTE_WORDS: Readonly<Record<string, VoteValue>> = Object.freeze({
  "too-cold": "too-cold",
  cold: "too-cold",
  "zu-kalt": "too-cold",
  kalt: "too-cold",
  ok: "ok",
  gut: "ok",
  passt: "ok",
  "too-warm": "too-warm",
  warm: "too-warm",
  "zu-warm": "too-warm",
});

export interface Vote {
  room: string;
  vote: VoteValue;
  /** Seconds since the epoch, UTC. */
  time: number;
}

export interface VoteOptions {
  /** K the target moves per vote. */
  step_k: number;
  /** The shift never exceeds this, K. */
  max_k: number;
  /** Half-life of the shift, hours. */
  half_life_h: number;
  /** A same-direction vote within this many hours of the last one counted is a repeat. */
  repeat_h: number;
}

export const DEFAULT_VOTE_OPTIONS: VoteOptions = Object.freeze({ step_k: 0.5, max_k: 2, half_life_h: 21 * 24, repeat_h: 20 });

export interface RoomShift {
  room: string;
  /** K to add to the room's target_c (positive: the person wants it warmer). */
  shift_k: number;
  /** Votes counted (repeats excluded). */
  counted: number;
  last?: Vote;
}

function sign(v: VoteValue): number {
  return v === "too-cold" ? 1 : v === "too-warm" ? -1 : 0;
}

/** Each room's target shift at `now` from its votes (any order). Rooms without votes are absent. */
export function targetShifts(votes: readonly Vote[], now: number, o: VoteOptions = DEFAULT_VOTE_OPTIONS): Map<string, RoomShift> {
  const byRoom = new Map<string, Vote[]>();
  for (const v of votes) if (v.time <= now) (byRoom.get(v.room) ?? byRoom.set(v.room, []).get(v.room)!).push(v);
  const out = new Map<string, RoomShift>();
  const decay = (dt: number) => Math.pow(0.5, dt / 3600 / o.half_life_h);
  for (const [room, list] of byRoom) {
    list.sort((a, b) => a.time - b.time);
    let shift = 0;
    let at = list[0].time;
    let counted = 0;
    let lastCounted: Vote | undefined;
    for (const v of list) {
      shift *= decay(v.time - at);
      at = v.time;
      const s = sign(v.vote);
      if (s === 0) {
        lastCounted = v;
        counted++;
        continue;
      }
      if (lastCounted && sign(lastCounted.vote) === s && v.time - lastCounted.time < o.repeat_h * 3600) continue;
      shift = Math.max(-o.max_k, Math.min(o.max_k, shift + s * o.step_k));
      lastCounted = v;
      counted++;
    }
    shift *= decay(now - at);
    out.set(room, { room, shift_k: Math.round(shift * 100) / 100, counted, last: list[list.length - 1] });
  }
  return out;
}

/** The latest vote per room at `now`. */
export function latestVotes(votes: readonly Vote[], now: number): Map<string, Vote> {
  const out = new Map<string, Vote>();
  for (const v of votes) {
    if (v.time > now) continue;
    const before = out.get(v.room);
    if (!before || v.time >= before.time) out.set(v.room, v);
  }
  return out;
}
