// Which rooms the daily report asks the person about: the ones it knows least about. Pure.
// A room with a fresh thermometer is never asked (it is measured). The others rank by how little
// is known (no vote ever, then the oldest vote) and by how much of the house they are (heated
// area: a wrong guess there costs the most comfort), so one question a day goes where it helps.

import type { RoomEstimate } from "./estimate.js";

export interface AskCandidate {
  room: string;
  /** Why it is asked: no source at all, or only an old vote. */
  reason: "never" | "old-vote" | "stale-thermometer";
  /** Hours since its last vote (Infinity: never). */
  vote_age_h: number;
}

export function roomsToAsk(estimates: readonly RoomEstimate[], areaByRoom: ReadonlyMap<string, number>, now: number, max = 2): AskCandidate[] {
  const candidates = estimates
    .filter((e) => e.source === "none" || e.source === "vote")
    .map((e) => {
      const age = e.vote ? (now - e.vote.time) / 3600 : Infinity;
      const reason: AskCandidate["reason"] = e.stale ? "stale-thermometer" : e.vote ? "old-vote" : "never";
      // Unknown-ness in [0, 1]: 1 for never asked, rising with the age of the last vote (a week ≈ 0.5).
      const unknown = age === Infinity ? 1 : age / (age + 7 * 24);
      return { room: e.room, reason, vote_age_h: age, score: unknown * Math.sqrt(areaByRoom.get(e.room) ?? 1) };
    })
    // A vote from the last day is fresh enough: asking again only annoys.
    .filter((c) => c.vote_age_h >= 24)
    .sort((a, b) => b.score - a.score || a.room.localeCompare(b.room));
  return candidates.slice(0, max).map(({ room, reason, vote_age_h }) => ({ room, reason, vote_age_h: Math.round(vote_age_h) }));
}

export { areaByRoom } from "./circuits.js";
