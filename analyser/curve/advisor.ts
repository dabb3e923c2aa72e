// The curve advisor: once the rooms are balanced, the index room (the one that needs the warmest
// water: the smallest surplus over its target) sets the curve. Rules, in order:
// - no advice before the balance has converged (or, with room data, before the rooms agree
//   within their band): the curve sets all rooms, the valves set them against each other;
// - NEVER lower while any room with data (thermometer or comfort vote) is short of its target;
// - the slope moves only when at least two clearly different outdoor temperatures were seen
//   since the last change, and only when the error grows with cold; otherwise the offset moves;
// - each change is step-limited, at most one a week (its effect must be seen first), and a
//   lowering never follows a raise within two weeks (no see-saw);
// - a curve whose index room sits within the dead band is kept.
// Pure: plain data in, a decision with the exact values to enter out.

import { applyChange, changeAt, sameSettings, targetAtC, type Controller, type CurveChange } from "./controller.js";

export interface RoomDeviation {
  room: string;
  /** Actual − wanted room temperature, K (a comfort vote maps to ±1 K per step). */
  deviationK: number;
  source: "thermometer" | "vote";
}

export interface DayObservation {
  /** Local date, YYYY-MM-DD. */
  date: string;
  /** Mean outdoor temperature over the day's heating, °C. */
  outdoorC: number;
  rooms: RoomDeviation[];
}

export interface LastChange {
  date: string;
  /** Change of the target at 0 °C outdoor, K (negative = lowered). */
  deltaAt0K: number;
}

export interface AdvisorOptions {
  /** Rooms within ± this of their target count as in band, K. */
  bandK: number;
  /** Lower only when every room has at least this surplus, K. */
  lowerAboveK: number;
  /** Raise when the index room is this far short or more, K. */
  raiseBelowK: number;
  /** Surplus the index room is aimed at after a change, K (margin for weather and sensors). */
  aimK: number;
  /** Largest change of any setting in one step, K. */
  maxStepK: number;
  /** Days between changes. */
  minDaysBetween: number;
  /** Days after a raise before a lowering may follow. */
  noReversalDays: number;
  /** Days after a change before its data counts (the floor's screed takes a day or two). */
  settleDays: number;
  /** Outdoor temperatures this far apart are "clearly different", K. */
  clearlyDifferentK: number;
  /** Room temperature change per K of water temperature (domain §6: 0.7–0.85). */
  roomFollowsWater: number;
  /** Days of data the decision looks at (the most recent ones since the last change). */
  lookbackDays: number;
}

export const ADVISOR_DEFAULTS: AdvisorOptions = {
  bandK: 0.5,
  lowerAboveK: 0.3,
  raiseBelowK: -0.3,
  aimK: 0.3,
  maxStepK: 1.5,
  minDaysBetween: 7,
  noReversalDays: 14,
  settleDays: 2,
  clearlyDifferentK: 5,
  roomFollowsWater: 0.8,
  lookbackDays: 7,
};

export interface AdviceInput {
  controller: Controller;
  /** The balance engine's verdict. */
  balanced: boolean;
  /** Today's local date, YYYY-MM-DD. */
  today: string;
  /** Heating days, oldest first. */
  days: DayObservation[];
  lastChange?: LastChange;
  options?: Partial<AdvisorOptions>;
}

export type AdviceKind = "lower" | "raise" | "keep" | "wait";

export type AdviceReason =
  | { code: "not-balanced" }
  | { code: "no-room-data" }
  | { code: "settling"; until: string }
  | { code: "weekly-limit"; next: string }
  | { code: "after-raise"; next: string }
  | { code: "room-short"; room: string; deviationK: number }
  | { code: "index-short"; room: string; deviationK: number }
  | { code: "index-surplus"; room: string; deviationK: number }
  | { code: "in-band"; room: string; deviationK: number };

export interface Advice {
  kind: AdviceKind;
  reasons: AdviceReason[];
  /** The index room and its mean deviation over the days looked at. */
  index?: { room: string; deviationK: number; source: RoomDeviation["source"] };
  /** Whether the slope was allowed to move, and why not. */
  slope: "moved" | "kept-flat-error" | "kept-one-temperature";
  /** The index room's error model: deviation = devRefK + perK·(θ − refC), K. */
  model?: { devRefK: number; perK: number; refC: number };
  /** The outdoor temperatures seen since the last change, °C. */
  outdoorSeenC?: [number, number];
  change?: CurveChange;
  /** New settings to enter (kind lower/raise). */
  next?: Controller;
  /** Change of the target at 0 °C outdoor after rounding, K. */
  deltaAt0K?: number;
}

const DAY_MS = 86_400_000;
const dayNum = (date: string) => Math.round(Date.parse(date + "T00:00:00Z") / DAY_MS);
const dateOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

export function advise(input: AdviceInput): Advice {
  const o = { ...ADVISOR_DEFAULTS, ...input.options };
  const today = dayNum(input.today);
  const last = input.lastChange;
  const sinceChange = last ? today - dayNum(last.date) : Infinity;

  // Days that count: settled after the last change, the most recent lookbackDays of them.
  const settledFrom = last ? dayNum(last.date) + o.settleDays : -Infinity;
  const usable = input.days.filter((d) => dayNum(d.date) >= settledFrom && dayNum(d.date) <= today && d.rooms.length > 0).slice(-o.lookbackDays);
  const withRooms = input.days.some((d) => d.rooms.length > 0);

  if (!withRooms) return { kind: input.balanced ? "keep" : "wait", reasons: [{ code: input.balanced ? "no-room-data" : "not-balanced" }], slope: "kept-one-temperature" };
  if (usable.length === 0) return { kind: "wait", reasons: [{ code: "settling", until: dateOf(settledFrom) }], slope: "kept-one-temperature" };

  // Mean deviation per room over the usable days; the latest day separately (a room short today counts).
  const sums = new Map<string, { sum: number; n: number; source: RoomDeviation["source"] }>();
  for (const d of usable)
    for (const r of d.rooms) {
      const s = sums.get(r.room) ?? { sum: 0, n: 0, source: r.source };
      s.sum += r.deviationK;
      s.n++;
      sums.set(r.room, s);
    }
  const rooms = [...sums.entries()].map(([room, s]) => ({ room, deviationK: s.sum / s.n, source: s.source }));
  const latest = usable[usable.length - 1].rooms;
  rooms.sort((a, b) => a.deviationK - b.deviationK);
  const index = rooms[0];
  const spread = rooms[rooms.length - 1].deviationK - index.deviationK;

  const base: Pick<Advice, "index" | "slope" | "model" | "outdoorSeenC"> = { index, slope: "kept-one-temperature" };
  if (!input.balanced && spread > 2 * o.bandK) return { ...base, kind: "wait", reasons: [{ code: "not-balanced" }] };

  // Short on any day since the last change counts: weather swings the coolest room by up to a
  // kelvin from day to day, and a lowering must hold on the colder days too.
  const shortNow = [...usable.flatMap((d) => d.rooms), ...latest, ...rooms].filter((r) => r.deviationK < 0).sort((a, b) => a.deviationK - b.deviationK)[0];

  // The index room's error against outdoor temperature: one number, or a line when two clearly
  // different outdoor temperatures were seen and the error changes with them (slope).
  // Without an outdoor temperature the change is a parallel shift referred to 0 °C.
  const temps = usable.map((d) => d.outdoorC).filter(Number.isFinite);
  const lo = temps.length ? Math.min(...temps) : 0;
  const hi = temps.length ? Math.max(...temps) : 0;
  const refC = temps.length ? temps.reduce((s, v) => s + v, 0) / temps.length : 0;
  let b = 0;
  let devRef = index.deviationK;
  let slope: Advice["slope"] = "kept-one-temperature";
  if (hi - lo >= o.clearlyDifferentK && usable.length >= 2) {
    // Per day the coolest room (the index room may change with sun and wind), against outdoor.
    const pts = usable.filter((d) => Number.isFinite(d.outdoorC)).map((d) => ({ x: d.outdoorC, y: Math.min(...d.rooms.map((r) => r.deviationK)) }));
    const mx = pts.reduce((s, p) => s + p.x, 0) / pts.length;
    const my = pts.reduce((s, p) => s + p.y, 0) / pts.length;
    const sxx = pts.reduce((s, p) => s + (p.x - mx) ** 2, 0);
    const fit = sxx > 0 ? pts.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx : 0;
    // b > 0: the room is shorter (or less warm) on colder days, the error grows with cold.
    if (Math.abs(fit) * (hi - lo) >= o.bandK / 2) {
      b = fit;
      devRef = my + fit * (refC - mx);
      slope = "moved";
    } else slope = "kept-flat-error";
  }
  const devAt = (x: number) => devRef + b * (x - refC);
  base.model = { devRefK: devRef, perK: b, refC };
  base.outdoorSeenC = [lo, hi];
  const worstPred = Math.min(index.deviationK, devAt(lo), devAt(hi));
  const inBand = (v: number) => v > o.raiseBelowK && v < o.lowerAboveK;
  const wantsRaise = worstPred <= o.raiseBelowK;
  const needsChange = wantsRaise || !inBand(index.deviationK) || (slope === "moved" && (!inBand(devAt(lo)) || !inBand(devAt(hi))));
  if (!needsChange) return { ...base, slope, kind: "keep", reasons: [{ code: "in-band", room: index.room, deviationK: index.deviationK }] };
  // Never lower anywhere while a room with data is short: then only a raise is possible.
  if (shortNow && !wantsRaise) return { ...base, slope, kind: "keep", reasons: [{ code: "room-short", room: shortNow.room, deviationK: shortNow.deviationK }] };
  const surplus: AdviceReason = { code: "index-surplus", room: index.room, deviationK: index.deviationK };
  const short: AdviceReason = { code: "index-short", room: index.room, deviationK: worstPred };

  // One change a week; a lowering never soon after a raise. A room left clearly short (more than
  // the band) is the one exception: comfort first, and the bench counts it.
  if (sinceChange < o.minDaysBetween && !(wantsRaise && worstPred < -o.bandK))
    return { ...base, slope, kind: "wait", reasons: [{ code: "weekly-limit", next: dateOf(dayNum(last!.date) + o.minDaysBetween) }, wantsRaise ? short : surplus] };

  const change: CurveChange = { atRefK: -(devRef - o.aimK) / o.roomFollowsWater, perK: -b / o.roomFollowsWater, refC };
  if (wantsRaise) {
    // A raise is a parallel shift by what the shortest day seen needs: it lowers nowhere, and it
    // does not extrapolate a slope fitted on a few days into weather not seen.
    change.atRefK = -(worstPred - o.aimK) / o.roomFollowsWater;
    change.perK = 0;
  }
  if (!wantsRaise && change.atRefK < 0 && last && last.deltaAt0K > 0 && sinceChange < o.noReversalDays)
    return { ...base, slope, kind: "wait", reasons: [{ code: "after-raise", next: dateOf(dayNum(last.date) + o.noReversalDays) }] };
  const next = applyChange(input.controller, change, o.maxStepK);
  if (sameSettings(next, input.controller)) return { ...base, slope, kind: "keep", reasons: [{ code: "in-band", room: index.room, deviationK: index.deviationK }] };
  const deltaAt0K = Math.round((targetAtC(next, 0) - targetAtC(input.controller, 0)) * 10) / 10 + 0;
  const lowered = targetAtC(next, refC) < targetAtC(input.controller, refC);
  return { index, slope, outdoorSeenC: [lo, hi], kind: lowered ? "lower" : "raise", reasons: [lowered ? surplus : short], change, next, deltaAt0K };
}
