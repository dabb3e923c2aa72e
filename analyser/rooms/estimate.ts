// Each room's temperature from what is known about it: its Home Assistant thermometer, its BLE
// thermometer, the person's latest vote, or nothing. Pure. Never the room's target in place of a
// reading: a room nobody measured or voted on has temperature null and says so.

import type { Room } from "../../shared/house/index.js";
import { heldMean, type Sample } from "./held.js";
import { latestVotes, targetShifts, type Vote, type VoteOptions, DEFAULT_VOTE_OPTIONS } from "./votes.js";

export type RoomSource = "ha" | "ble" | "ha+ble" | "vote" | "none";

/** A thermometer named in the house file that the data does not back up: a warning in check and in the report. */
export interface SignalProblem {
  room: string;
  source: "ha" | "ble";
  /** entity_id or MAC. */
  id: string;
  kind: "missing" | "stale";
  /** Hours since its last value (stale only). */
  age_h?: number;
}

export interface RoomEstimate {
  room: string;
  circuits: string[];
  target_c: number;
  /** The person's votes as a target shift, K (applies with a thermometer). */
  target_shift_k: number;
  /** target_c + target_shift_k with a thermometer; target_c when the estimate is a vote (it is relative to the wish already). */
  effective_target_c: number;
  /** Mean room temperature over the window, °C; null when nothing says it. */
  temperature_c: number | null;
  /** Half-width of the interval the true mean lies in, K (null with no temperature). */
  interval_k: number | null;
  /** temperature_c − effective_target_c, K (null with no temperature). */
  deviation_k: number | null;
  source: RoomSource;
  /** A thermometer is named but gave nothing fresh in the window (temperature_c then comes from another source or is null). */
  stale: boolean;
  problems: SignalProblem[];
  vote?: Vote;
}

export interface RoomReadings {
  /** entity_id → change-only samples (raw, without offset), sorted, including the last one before the window. */
  ha: ReadonlyMap<string, readonly Sample[]>;
  /** MAC → samples, sorted. */
  ble: ReadonlyMap<string, readonly Sample[]>;
}

export interface EstimateOptions {
  /** A thermometer must cover this share of the window with fresh values to count. */
  min_coverage: number;
  /** Uncertainty of an HA thermometer after its offset (typical room sensors ±0.3 K) plus half its 0.1 K step. */
  ha_interval_k: number;
  /** Uncertainty of a BLE thermometer (SHTC3/SHT4x ±0.2 K) plus half its 0.01 K step. */
  ble_interval_k: number;
  /** How far a vote says the room is off (the person votes when about this far off), K. */
  vote_k: number;
  /** A vote older than this says nothing about today's room, hours. */
  vote_valid_h: number;
  votes: VoteOptions;
}

export const DEFAULT_ESTIMATE_OPTIONS: EstimateOptions = Object.freeze({
  min_coverage: 0.5,
  ha_interval_k: 0.35,
  ble_interval_k: 0.21,
  vote_k: 1,
  vote_valid_h: 48,
  votes: DEFAULT_VOTE_OPTIONS,
});

interface Measured {
  celsius: number;
  interval: number;
}

function measure(room: string, source: "ha" | "ble", id: string, samples: readonly Sample[] | undefined, staleAfterS: number, offset: number, interval: number, window: { start: number; end: number }, o: EstimateOptions, problems: SignalProblem[]): Measured | undefined {
  if (!samples || samples.length === 0) {
    problems.push({ room, source, id, kind: "missing" });
    return undefined;
  }
  const m = heldMean(samples, window.start, window.end, staleAfterS, offset);
  if (!m || m.coverage < o.min_coverage) {
    const last = samples[samples.length - 1].time;
    problems.push({ room, source, id, kind: "stale", age_h: Math.round(((window.end - last) / 3600) * 10) / 10 });
    return undefined;
  }
  return { celsius: m.celsius, interval };
}

export function estimateRooms(rooms: readonly Room[], readings: RoomReadings, votes: readonly Vote[], window: { start: number; end: number }, o: EstimateOptions = DEFAULT_ESTIMATE_OPTIONS): RoomEstimate[] {
  const shifts = targetShifts(votes, window.end, o.votes);
  const latest = latestVotes(votes, window.end);
  return rooms.map((r): RoomEstimate => {
    const problems: SignalProblem[] = [];
    const ha = r.ha ? measure(r.name, "ha", r.ha.entity_id, readings.ha.get(r.ha.entity_id), r.ha.stale_after_h * 3600, r.ha.offset_k, o.ha_interval_k, window, o, problems) : undefined;
    const ble = r.ble ? measure(r.name, "ble", r.ble.mac, readings.ble.get(r.ble.mac), r.ble.stale_after_h * 3600, r.ble.offset_k, o.ble_interval_k, window, o, problems) : undefined;
    const shift = shifts.get(r.name)?.shift_k ?? 0;
    const vote = latest.get(r.name);
    const base = { room: r.name, circuits: r.circuits, target_c: r.target_c, target_shift_k: shift, stale: problems.length > 0 && !(ha && ble), problems, vote };
    const named = r.ha !== undefined || r.ble !== undefined;
    if (ha || ble) {
      // Two thermometers: inverse-variance weighted mean.
      const parts = [ha, ble].filter((m): m is Measured => m !== undefined);
      const w = parts.map((p) => 1 / (p.interval * p.interval));
      const sumW = w.reduce((a, b) => a + b, 0);
      const celsius = parts.reduce((a, p, i) => a + p.celsius * w[i], 0) / sumW;
      const target = r.target_c + shift;
      return { ...base, stale: problems.length > 0, effective_target_c: target, temperature_c: round2(celsius), interval_k: round2(1 / Math.sqrt(sumW)), deviation_k: round2(celsius - target), source: ha && ble ? "ha+ble" : ha ? "ha" : "ble" };
    }
    if (vote && window.end - vote.time <= o.vote_valid_h * 3600) {
      const off = vote.vote === "too-cold" ? -o.vote_k : vote.vote === "too-warm" ? o.vote_k : 0;
      return { ...base, stale: named, effective_target_c: r.target_c, temperature_c: r.target_c + off, interval_k: o.vote_k, deviation_k: off, source: "vote" };
    }
    return { ...base, stale: named, effective_target_c: r.target_c + shift, temperature_c: null, interval_k: null, deviation_k: null, source: "none" };
  });
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
