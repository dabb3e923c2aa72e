// Runs the circulation controller (firmware/core/dhw) against the simulated loop and household,
// or the seed's 10-on/10-off timer against the same household, and scores both: pump time,
// draws that found the line warm (overall and in learned usual times), runs in the lockout
// window, the longest run, and the pump minutes in the worst hour. Local time for the scoring
// comes from luxon, independent of the controller's own offset table.

import { DateTime } from "luxon";
import type { DhwConfig } from "../firmware/core/dhw/config.js";
import { DhwController, type DhwRun } from "../firmware/core/dhw/controller.js";
import { inWindow, localTime } from "../firmware/core/dhw/local-time.js";
import { DemandMatrix } from "../firmware/core/dhw/learning.js";
import { DhwLoop, type DhwLoopOptions } from "./dhw-loop.js";
import type { HouseholdEvent } from "./household.js";

export interface DhwSimOptions {
  config: DhwConfig;
  zone: string;
  /** UTC seconds of the first step. */
  startS: number;
  days: number;
  events: readonly HouseholdEvent[];
  /** "demand": the controller; "schedule": the seed's timer (10 on / 10 off from `scheduleFrom` to `scheduleTo` local). */
  mode: "demand" | "schedule";
  stepS?: number;
  loop?: Partial<DhwLoopOptions>;
  /** The line sensor reads nothing during [from, to) UTC seconds. */
  sensorFail?: [number, number];
  /** Thermal disinfection: the tank is heated to this on Sundays at 13:00 local. */
  disinfectionC?: number;
  /** Start the controller with a learned matrix (e.g. from a previous run). */
  weights?: readonly number[];
  scheduleFrom?: string;
  scheduleTo?: string;
}

export interface DhwSimResult {
  pumpS: number;
  runs: DhwRun[];
  draws: number;
  drawsWarm: number;
  usualDraws: number;
  usualDrawsWarm: number;
  /** Runs with any pump time in the lockout window (local, from luxon). */
  lockoutRuns: number;
  longestRunS: number;
  /** The most pump seconds in any 60-minute window (of the sensor-failure period when there is one). */
  maxPumpSPerHour: number;
  weights: number[];
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

export function simulateDhw(o: DhwSimOptions): DhwSimResult {
  const step = o.stepS ?? 10;
  const loop = new DhwLoop(o.loop);
  const ctl = new DhwController(o.config, o.weights);
  const endS = o.startS + o.days * 86400;
  const schedFrom = minutesOf(o.scheduleFrom ?? "05:00");
  const schedTo = minutesOf(o.scheduleTo ?? "23:00");
  const localMinute = (t: number) => {
    const d = DateTime.fromSeconds(t, { zone: o.zone });
    return d.hour * 60 + d.minute;
  };
  const lockFrom = o.config.lockout_from_min;
  const lockTo = o.config.lockout_to_min;
  let ev = 0;
  const openDraws: { until: number; lpm: number }[] = [];
  const r: DhwSimResult = { pumpS: 0, runs: [], draws: 0, drawsWarm: 0, usualDraws: 0, usualDrawsWarm: 0, lockoutRuns: 0, longestRunS: 0, maxPumpSPerHour: 0, weights: [] };
  const onTrace: number[] = []; // pump seconds per step, for the worst hour
  let runOn = false;
  let runInLockout = false;
  let runStart = 0;
  let lastDisinfectionDay = -1;
  let learnedDay = -1;
  let learned = new DemandMatrix();
  for (let t = o.startS; t < endS; t += step) {
    const mono = t - o.startS;
    const failed = o.sensorFail !== undefined && t >= o.sensorFail[0] && t < o.sensorFail[1];
    const sample = () => ({ monoS: mono, wallS: t, lineC: failed ? null : loop.lineSensorC, outletC: loop.outletSensorC });
    const minute = localMinute(t);
    const lt = localTime(o.config.tz, t);
    if (lt.day !== learnedDay) {
      // What was learned by local midnight, decayed into today.
      learnedDay = lt.day;
      learned = new DemandMatrix(ctl.matrix.weights);
      learned.roll(lt.day - 1);
      learned.roll(lt.day);
    }
    // Disinfection on Sundays at 13:00.
    if (o.disinfectionC !== undefined) {
      const d = DateTime.fromSeconds(t, { zone: o.zone });
      if (d.weekday === 7 && d.hour === 13 && d.ordinal !== lastDisinfectionDay) {
        lastDisinfectionDay = d.ordinal;
        loop.disinfectToC = o.disinfectionC;
      }
    }
    // The household: motions and doors ask the controller; draws open the tap.
    while (ev < o.events.length && o.events[ev].t < t + step) {
      const e = o.events[ev++];
      if (e.kind === "draw") {
        r.draws++;
        const warm = loop.lineC >= o.config.lower_c;
        // Usual = learned before today: a motion seconds before the draw must not make its own slot usual.
        const usual = o.mode === "demand" && o.config.learning && learned.usual(lt, o.config.prerun_lead_min, o.config.usual_weight);
        if (warm) r.drawsWarm++;
        if (usual) {
          r.usualDraws++;
          if (warm) r.usualDrawsWarm++;
        }
        openDraws.push({ until: t + (e.durationS ?? 60), lpm: e.lpm ?? 5 });
      } else if (o.mode === "demand") {
        ctl.demand(e.kind, sample());
      }
    }
    for (let i = openDraws.length - 1; i >= 0; i--) if (openDraws[i].until <= t) openDraws.splice(i, 1);
    loop.drawLpm = openDraws.reduce((a, d) => a + d.lpm, 0);

    let on: boolean;
    if (o.mode === "demand") {
      const s = ctl.tick(sample());
      for (const run of s.runs) {
        r.runs.push(run);
        if (run.duration_s > r.longestRunS) r.longestRunS = run.duration_s;
      }
      on = s.relay;
    } else {
      on = inWindow(minute, schedFrom, schedTo) && Math.floor((t - o.startS) / 600) % 2 === 0;
    }
    // Independent scoring of runs (luxon's local time, not the controller's).
    if (on && !runOn) {
      runStart = t;
      runInLockout = false;
    }
    if (on && inWindow(minute, lockFrom, lockTo)) runInLockout = true;
    if (!on && runOn) {
      if (runInLockout) r.lockoutRuns++;
      if (o.mode === "schedule" && t - runStart > r.longestRunS) r.longestRunS = t - runStart;
    }
    runOn = on;
    loop.pump = on;
    loop.step(step);
    if (on) r.pumpS += step;
    if (!o.sensorFail || failed) onTrace.push(on ? step : 0);
    else onTrace.push(0);
  }
  if (runOn && runInLockout) r.lockoutRuns++;
  const perHour = Math.round(3600 / step);
  let sum = 0;
  for (let i = 0; i < onTrace.length; i++) {
    sum += onTrace[i];
    if (i >= perHour) sum -= onTrace[i - perHour];
    if (sum > r.maxPumpSPerHour) r.maxPumpSPerHour = sum;
  }
  r.weights = ctl.matrix.weights.slice();
  return r;
}
