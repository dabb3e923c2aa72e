// The hot-water circulation controller (seed 002, plus learning): a state machine over plain
// data. It is told the time and the temperatures, and what happened (a motion, a door, an HTTP
// call); it answers with the relay state, finished runs and events. No timers, no I/O: the
// module (module.ts) and the simulator drive it.
//
// Rules, in order of precedence:
//  - the pump never runs longer than max_run_s, whatever the inputs (and never longer than
//    fallback_run_s while the line sensor has failed);
//  - nothing runs in the lockout window (a run in progress stops when it begins), nor while the
//    clock is unknown (the window cannot be told);
//  - a holiday stops learning and every run except the daily stagnation run;
//  - a demand (motion, door, HTTP, detected draw) starts a run only below lower_c and after
//    min_pause_s; the run stops at upper_c;
//  - in usual times (learned) the line is kept above lower_c + prerun_margin_k;
//  - line sensor failed: a demand starts a run of fallback_run_s, and the pump time in any hour
//    stays within fallback_max_s_per_h (never more than the seed's 10-on/10-off timer);
//  - a thermal-disinfection cycle (outlet or line ≥ disinfection_c) is not learned from and its
//    outlet rise is not a draw.
// Portable: no Node or Moddable imports.

import type { DhwConfig } from "./config.js";
import { DrawDetector } from "./draw-detect.js";
import { DemandMatrix, slotOf } from "./learning.js";
import { inWindow, localTime, type LocalTime } from "./local-time.js";

export type Demand = "motion" | "door" | "http";
export type RunTrigger = Demand | "draw" | "prerun" | "stagnation";
export type StopReason = "upper" | "cap" | "lockout" | "holiday" | "fallback" | "clock";

export interface Sample {
  /** Seconds since boot: durations are measured on it (a clock set by SNTP does not stretch a run). */
  monoS: number;
  /** UTC seconds, or undefined while the clock is not set. */
  wallS: number | undefined;
  /** Circulation line, °C; null when the sensor has no fresh valid reading. */
  lineC: number | null;
  /** Hot-water outlet, °C; null when absent or failed. */
  outletC: number | null;
  /** The relay's read-back contact, where wired. */
  readback?: boolean;
}

export interface DhwRun {
  /** UTC seconds. */
  start: number;
  stop: number;
  duration_s: number;
  trigger: RunTrigger;
  reason: StopReason;
  line_start_c: number | null;
  line_stop_c: number | null;
  line_max_c: number | null;
  /** Ran on the bounded timer because the line sensor had failed. */
  fallback: boolean;
}

export type DhwEventKind = "draw" | "relay_stuck" | "relay_mismatch" | "sensor_fail" | "sensor_ok" | "disinfection";

export interface DhwEvent {
  kind: DhwEventKind;
  /** UTC seconds (0 while the clock is unknown). */
  time: number;
  line_c: number | null;
  /** For draws: the line was at or above lower_c as the draw began. */
  warm?: boolean;
  /** For draws: the half-hour was a learned usual time. */
  usual?: boolean;
}

export interface Step {
  relay: boolean;
  runs: DhwRun[];
  events: DhwEvent[];
}

/** After a run (or while it runs) the outlet warms from the circulation, not from a tap. */
const DRAW_QUIET_AFTER_RUN_S = 180;
/**
 * A detected draw is learned only this long after its onset, if no disinfection showed up by
 * then: during a disinfection cycle a tap delivers water that only reaches disinfection_c
 * after the detector has fired.
 */
const DRAW_LEARN_DELAY_S = 300;
/** A disinfection cycle is assumed to last at least this long after the last hot reading. */
const DISINFECTION_HOLD_S = 3600;
/** The line stays at or above upper_c this long with no run: the relay seems stuck on. */
export const STUCK_AFTER_S = 1800;
/** Commanded and read-back relay state disagree this long: reported. */
const MISMATCH_AFTER_S = 5;
/** A fallback run needs at least this much of the hour's budget left. */
const MIN_FALLBACK_RUN_S = 60;
/** In fallback, usual times pre-run at most this often. */
const FALLBACK_PRERUN_EVERY_S = 1200;

interface Running {
  startMono: number;
  startWall: number;
  trigger: RunTrigger;
  lineStart: number | null;
  lineMax: number | null;
  /** The latest monotonic second this run may last to. */
  deadline: number;
  fallback: boolean;
}

export class DhwController {
  readonly matrix: DemandMatrix;
  private readonly draws = new DrawDetector();
  private run: Running | null = null;
  private lastStopMono = -Infinity;
  private lastStartMono = -Infinity;
  /** [startMono, stopMono] of recent runs, for the fallback's hourly budget. */
  private recent: number[] = [];
  private sensorFailed = false;
  private disinfectionUntil = -Infinity;
  private hotSinceMono: number | null = null;
  private stuckReported = false;
  private mismatchSince: number | null = null;
  private mismatchReported = false;
  private holidayOverride: boolean | null = null;
  private booted: number | null = null;
  /** Draws waiting to be learned: flat [dueMono, weekday, minute, day, …]. */
  private pendingDraws: number[] = [];

  constructor(
    readonly config: DhwConfig,
    weights?: readonly number[],
  ) {
    this.matrix = new DemandMatrix(weights);
  }

  get relay(): boolean {
    return this.run !== null;
  }

  /** The monotonic second by which the current run must have stopped (drivers arm a timer on it). */
  get deadlineMonoS(): number | undefined {
    return this.run ? this.run.deadline : undefined;
  }

  get fallback(): boolean {
    return this.sensorFailed;
  }

  /** Holiday switched over HTTP: true/false overrides the house file's periods, null follows them. */
  setHoliday(on: boolean | null): void {
    this.holidayOverride = on;
  }

  holiday(wallS: number | undefined): boolean {
    if (this.holidayOverride !== null) return this.holidayOverride;
    if (wallS === undefined) return false;
    for (const [from, to] of this.config.holidays) if (wallS >= from && wallS < to) return true;
    return false;
  }

  locked(t: LocalTime | null): boolean {
    return t === null || inWindow(t.minute, this.config.lockout_from_min, this.config.lockout_to_min);
  }

  /** Is `t` in (or just before) a learned usual half-hour? */
  usual(t: LocalTime | null): boolean {
    return t !== null && this.config.learning && this.matrix.usual(t, this.config.prerun_lead_min, this.config.usual_weight);
  }

  /** Someone is there: a motion, a door, an HTTP call. */
  demand(kind: Demand, s: Sample): Step {
    return this.step(s, kind);
  }

  /** The clock moved or a reading arrived. Call at least every second while the relay is on. */
  tick(s: Sample): Step {
    return this.step(s, null);
  }

  private step(s: Sample, demand: RunTrigger | null): Step {
    const out: Step = { relay: false, runs: [], events: [] };
    const c = this.config;
    if (this.booted === null) this.booted = s.monoS;
    const wall = s.wallS;
    const time = wall === undefined ? 0 : Math.round(wall);
    const local = wall === undefined ? null : localTime(c.tz, wall);
    if (local && c.learning) this.matrix.roll(local.day);
    const holiday = this.holiday(wall);
    const locked = this.locked(local);

    // Sensor health: a missing reading switches to the bounded timer at once.
    const failed = s.lineC === null;
    if (failed !== this.sensorFailed) {
      this.sensorFailed = failed;
      out.events.push({ kind: failed ? "sensor_fail" : "sensor_ok", time, line_c: s.lineC });
      // A deadline only ever moves closer: a sensor that recovers does not lengthen a fallback run.
      if (this.run) this.run.deadline = Math.min(this.run.deadline, this.deadlineFor(this.run.startMono, failed));
    }

    // Thermal disinfection: hot water far above normal, at the outlet or in the line.
    const hot = (s.outletC !== null && s.outletC >= c.disinfection_c) || (s.lineC !== null && s.lineC >= c.disinfection_c);
    if (hot) {
      if (s.monoS >= this.disinfectionUntil) out.events.push({ kind: "disinfection", time, line_c: s.lineC });
      this.disinfectionUntil = s.monoS + DISINFECTION_HOLD_S;
    }
    const disinfecting = s.monoS < this.disinfectionUntil;
    if (disinfecting) this.pendingDraws = [];
    const p = this.pendingDraws;
    while (p.length >= 4 && p[0] <= s.monoS) {
      if (c.learning && !holiday) this.matrix.record({ weekday: p[1], minute: p[2], day: p[3] });
      p.splice(0, 4);
    }

    // A tap opened? Only when the pump has not just moved water past the outlet.
    if (s.outletC !== null && c.draw_detect) {
      const quiet = !this.run && s.monoS - this.lastStopMono >= DRAW_QUIET_AFTER_RUN_S;
      if (!quiet) this.draws.reset();
      else if (this.draws.push(s.monoS, s.outletC) && !disinfecting) {
        const warm = s.lineC !== null && s.lineC >= c.lower_c;
        out.events.push({ kind: "draw", time, line_c: s.lineC, warm, usual: this.usual(local) });
        if (local) this.pendingDraws.push(s.monoS + DRAW_LEARN_DELAY_S, local.weekday, local.minute, local.day);
        if (demand === null) demand = "draw";
      }
    }

    // Learn: someone is there and wants hot water (not on holiday, not from a disinfection).
    if (demand !== null && demand !== "draw" && local && c.learning && !holiday && !disinfecting) this.matrix.record(local);

    if (this.run && s.lineC !== null && (this.run.lineMax === null || s.lineC > this.run.lineMax)) this.run.lineMax = s.lineC;
    if (this.run) this.maybeStop(s, local, holiday, out);
    else this.maybeStart(s, local, holiday, locked, demand);

    this.watchRelay(s, time, disinfecting, out);
    out.relay = this.run !== null;
    return out;
  }

  private deadlineFor(startMono: number, fallback: boolean): number {
    const c = this.config;
    let limit = c.max_run_s;
    if (fallback) limit = Math.min(limit, c.fallback_run_s, Math.max(0, c.fallback_max_s_per_h - this.usedInHour(startMono, startMono)));
    return startMono + limit;
  }

  private maybeStop(s: Sample, local: LocalTime | null, holiday: boolean, out: Step): void {
    const run = this.run as Running;
    const c = this.config;
    let reason: StopReason | null = null;
    if (s.monoS >= run.deadline) reason = run.fallback || this.sensorFailed ? "fallback" : "cap";
    else if (local === null) reason = "clock";
    else if (this.locked(local)) reason = "lockout";
    else if (holiday && run.trigger !== "stagnation") reason = "holiday";
    else if (!this.sensorFailed && s.lineC !== null && s.lineC >= c.upper_c) reason = "upper";
    if (reason === null) return;
    const stop = s.wallS === undefined ? run.startWall : Math.round(s.wallS);
    // The duration is the monotonic one, clamped to the deadline the run had: a late tick never
    // shows (or lets through) more than the cap.
    const duration = Math.min(s.monoS, run.deadline) - run.startMono;
    out.runs.push({
      start: run.startWall,
      stop,
      duration_s: Math.round(duration),
      trigger: run.trigger,
      reason,
      line_start_c: run.lineStart,
      line_stop_c: s.lineC,
      line_max_c: run.lineMax,
      fallback: run.fallback,
    });
    this.recent.push(run.startMono, run.startMono + duration);
    this.lastStopMono = s.monoS;
    this.run = null;
  }

  private maybeStart(s: Sample, local: LocalTime | null, holiday: boolean, locked: boolean, demand: RunTrigger | null): void {
    const c = this.config;
    if (locked || local === null || s.wallS === undefined) return;
    if (s.monoS - this.lastStopMono < c.min_pause_s) return;
    let trigger: RunTrigger | null = null;
    const stagnant = c.stagnation_after_h > 0 && s.monoS - Math.max(this.lastStartMono, this.booted ?? s.monoS) >= c.stagnation_after_h * 3600;
    if (stagnant) trigger = "stagnation";
    else if (holiday) trigger = null;
    else if (this.sensorFailed) {
      if (demand !== null) trigger = demand;
      else if (this.usual(local) && s.monoS - this.lastStartMono >= FALLBACK_PRERUN_EVERY_S) trigger = "prerun";
    } else {
      const line = s.lineC as number;
      if (demand !== null && line < c.lower_c) trigger = demand;
      else if (this.usual(local) && line < c.lower_c + c.prerun_margin_k) trigger = "prerun";
    }
    if (trigger === null) return;
    const deadline = this.deadlineFor(s.monoS, this.sensorFailed);
    if (this.sensorFailed && deadline - s.monoS < MIN_FALLBACK_RUN_S) return;
    this.run = { startMono: s.monoS, startWall: Math.round(s.wallS), trigger, lineStart: s.lineC, lineMax: s.lineC, deadline, fallback: this.sensorFailed };
    this.lastStartMono = s.monoS;
  }

  /** Pump seconds within the hour before `atMono` (runs in the list, plus the current one up to `nowMono`). */
  private usedInHour(atMono: number, nowMono: number): number {
    const from = atMono - 3600;
    const r = this.recent;
    while (r.length >= 2 && r[1] <= from) r.splice(0, 2);
    let used = 0;
    for (let i = 0; i < r.length; i += 2) used += Math.max(0, r[i + 1] - Math.max(r[i], from));
    if (this.run) used += Math.max(0, nowMono - Math.max(this.run.startMono, from));
    return used;
  }

  private watchRelay(s: Sample, time: number, disinfecting: boolean, out: Step): void {
    const c = this.config;
    // Hot line, no run for long, no disinfection: the pump seems to run although the relay is off.
    if (!this.run && s.lineC !== null && s.lineC >= c.upper_c && !disinfecting && s.monoS - this.lastStopMono >= STUCK_AFTER_S) {
      if (this.hotSinceMono === null) this.hotSinceMono = s.monoS;
      if (!this.stuckReported && s.monoS - this.hotSinceMono >= STUCK_AFTER_S) {
        this.stuckReported = true;
        out.events.push({ kind: "relay_stuck", time, line_c: s.lineC });
      }
    } else {
      this.hotSinceMono = null;
      if (s.lineC !== null && s.lineC < c.lower_c) this.stuckReported = false;
    }
    if (s.readback === undefined) return;
    if (s.readback !== (this.run !== null)) {
      if (this.mismatchSince === null) this.mismatchSince = s.monoS;
      if (!this.mismatchReported && s.monoS - this.mismatchSince >= MISMATCH_AFTER_S) {
        this.mismatchReported = true;
        out.events.push({ kind: s.readback ? "relay_stuck" : "relay_mismatch", time, line_c: s.lineC });
      }
    } else {
      this.mismatchSince = null;
      this.mismatchReported = false;
    }
  }

  /** For GET /dhw/status. */
  snapshot(s: Sample): { relay: boolean; fallback: boolean; holiday: boolean; usual: boolean; locked: boolean; slot: number | null; run_s: number | null } {
    const local = s.wallS === undefined ? null : localTime(this.config.tz, s.wallS);
    return {
      relay: this.run !== null,
      fallback: this.sensorFailed,
      holiday: this.holiday(s.wallS),
      usual: this.usual(local),
      locked: this.locked(local),
      slot: local ? slotOf(local) : null,
      run_s: this.run ? Math.round(s.monoS - this.run.startMono) : null,
    };
  }
}
