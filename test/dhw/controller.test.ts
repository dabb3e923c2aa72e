import test from "ava";
import { DhwController, type Demand, type Sample } from "../../firmware/core/dhw/controller.js";
import { dhwConfig, local } from "./helpers.js";

// Every trigger × line temperature × time window: a run starts exactly when the trigger comes
// below the lower threshold, outside the lockout, outside a holiday and after the minimum pause.
const TRIGGERS = ["motion", "door", "http", "draw"] as const;
const LINES = [{ c: 20 }, { c: 34.9 }, { c: 35 }, { c: 38 }, { c: 42 }, { c: 50 }];
const WINDOWS = [
  { name: "midday", at: "2026-03-04T12:00", open: true },
  { name: "05:00 (lockout ends)", at: "2026-03-04T05:00", open: true },
  { name: "22:59 (last open minute)", at: "2026-03-04T22:59", open: true },
  { name: "23:00 (lockout begins)", at: "2026-03-04T23:00", open: false },
  { name: "02:30 (lockout)", at: "2026-03-04T02:30", open: false },
  { name: "04:59 (lockout)", at: "2026-03-04T04:59", open: false },
  { name: "holiday", at: "2026-03-04T12:00", open: false, holiday: true },
  { name: "minimum pause", at: "2026-03-04T12:00", open: false, pause: true },
  { name: "clock not set", at: "2026-03-04T12:00", open: false, noClock: true },
];

/** Bring the controller to `wall` with the line at `lineC`, then make the trigger happen. */
function fire(trigger: (typeof TRIGGERS)[number], w: (typeof WINDOWS)[number], lineC: number) {
  const wall = local(w.at);
  const c = new DhwController(dhwConfig(w.holiday ? { holidays: [[wall - 3600, wall + 3600]] } : {}));
  let mono = 1000;
  const s = (over: Partial<Sample> = {}): Sample => ({ monoS: mono, wallS: w.noClock ? undefined : wall + mono - 1000, lineC, outletC: 25, ...over });
  if (w.pause) {
    // A run that ended 60 s ago (min pause 300 s).
    mono -= 200;
    t_ok(c.demand("motion", s({ lineC: 30 })).relay);
    mono += 140;
    t_ok(!c.tick(s({ lineC: 43 })).relay);
    mono += 60;
  }
  c.tick(s());
  if (trigger === "draw") {
    // The outlet rises 0.25 K/s for 40 s: a tap opened.
    let step = c.tick(s());
    for (let i = 1; i <= 8 && !step.relay; i++) {
      mono += 5;
      step = c.tick(s({ outletC: 25 + 1.25 * i }));
      if (step.events.some((e) => e.kind === "draw")) return { c, step, drew: true };
    }
    return { c, step, drew: false };
  }
  return { c, step: c.demand(trigger as Demand, s()), drew: true };
}

function t_ok(v: boolean): void {
  if (!v) throw new Error("fixture precondition failed");
}

for (const trigger of TRIGGERS) {
  for (const w of WINDOWS) {
    test(`${trigger} at ${w.name}: starts only below the lower threshold`, (t) => {
      for (const line of LINES) {
        const { step, drew, c } = fire(trigger, w, line.c);
        const want = w.open && line.c < 35;
        t.is(step.relay, want, `line ${line.c} °C`);
        // Within 3 min of a run the outlet rise is the circulation's, not a tap's: not fed to the detector.
        if (trigger === "draw") t.is(drew, !w.pause, `the rising outlet is a draw (line ${line.c})`);
        if (want) t.is(c.snapshot({ monoS: 0, wallS: local(w.at), lineC: line.c, outletC: null }).relay, true);
      }
    });
  }
}

function running(over: Parameters<typeof dhwConfig>[0] = {}, at = "2026-03-04T12:00") {
  const c = new DhwController(dhwConfig(over));
  const wall0 = local(at);
  const mk = (mono: number, lineC: number | null, extra: Partial<Sample> = {}): Sample => ({ monoS: mono, wallS: wall0 + mono, lineC, outletC: null, ...extra });
  const first = c.demand("motion", mk(0, 30));
  return { c, mk, first };
}

test("a run stops at the upper threshold and is logged with its temperatures", (t) => {
  const { c, mk, first } = running();
  t.true(first.relay);
  t.true(c.tick(mk(60, 38)).relay);
  const stop = c.tick(mk(90, 42));
  t.false(stop.relay);
  t.is(stop.runs.length, 1);
  t.like(stop.runs[0], { trigger: "motion", reason: "upper", duration_s: 90, line_start_c: 30, line_stop_c: 42, line_max_c: 42, fallback: false });
});

test("a line that never gets warm stops at the cap, to the second, even with late ticks and more demands", (t) => {
  for (const tickEvery of [1, 7, 60, 299, 400]) {
    const { c, mk } = running();
    t.is(c.deadlineMonoS, 300);
    let stopped = null;
    for (let m = tickEvery; m <= 1000 && !stopped; m += tickEvery) {
      const d = c.demand("door", mk(m - 0.5, 33));
      const s = c.tick(mk(m, 33));
      if (!s.relay) stopped = d.runs[0] ?? s.runs[0];
    }
    t.truthy(stopped, `tick every ${tickEvery} s`);
    t.is(stopped!.reason, "cap");
    t.is(stopped!.duration_s, 300, "the logged duration never exceeds the cap");
  }
});

test("a run in progress stops when the lockout begins", (t) => {
  const { c, mk, first } = running({}, "2026-03-04T22:58");
  t.true(first.relay);
  t.true(c.tick(mk(59, 31)).relay, "22:58:59");
  const s = c.tick(mk(120, 31));
  t.false(s.relay);
  t.is(s.runs[0].reason, "lockout");
});

test("the minimum pause holds after every stop reason", (t) => {
  const { c, mk } = running();
  c.tick(mk(60, 42));
  t.false(c.demand("motion", mk(60 + 299, 30)).relay);
  t.true(c.demand("motion", mk(60 + 300, 30)).relay);
});

test("holiday: no runs, no learning; the stagnation run still comes once a day", (t) => {
  const wall0 = local("2026-03-04T12:00");
  const c = new DhwController(dhwConfig({ learning: true, stagnation_after_h: 24, holidays: [[wall0 - 86400, wall0 + 5 * 86400]] }));
  const runs: string[] = [];
  for (let m = 0; m < 3 * 86400; m += 60) {
    const s: Sample = { monoS: m, wallS: wall0 + m, lineC: 25, outletC: null };
    const step = m % 3600 === 0 ? c.demand("motion", s) : c.tick(s);
    for (const r of step.runs) runs.push(r.trigger);
  }
  t.true(runs.length >= 2 && runs.length <= 3, runs.join());
  t.true(runs.every((r) => r === "stagnation"));
  t.is(Math.max(...c.matrix.weights), 0, "nothing learned on holiday");
  c.setHoliday(false);
  t.false(c.holiday(wall0));
});

test("learning: a usual half-hour is pre-run before it begins, when the line is cold", (t) => {
  const c = new DhwController(dhwConfig({ learning: true }));
  const at = (iso: string, mono: number, lineC: number): Sample => ({ monoS: mono, wallS: local(iso), lineC, outletC: null });
  // Two Wednesdays with a shower at 06:40: +40, then ×0.98^7 + 40 ≈ 74.7.
  c.demand("motion", at("2026-03-04T06:40", 0, 40));
  c.demand("motion", at("2026-03-11T06:40", 7 * 86400, 40));
  const w = c.matrix.weight(2 * 48 + 13);
  t.true(Math.abs(w - (40 * 0.98 ** 7 + 40)) < 1e-9, String(w));
  // The next Wednesday: at 06:14 nothing, at 06:15 (15 min ahead) a pre-run starts.
  t.false(c.tick(at("2026-03-18T06:14", 14 * 86400, 30)).relay);
  const pre = c.tick(at("2026-03-18T06:15", 14 * 86400 + 60, 30));
  t.true(pre.relay);
  // The same time on Thursday is not usual.
  const d = new DhwController(dhwConfig({ learning: true }), c.matrix.weights);
  t.false(d.tick(at("2026-03-19T06:20", 0, 30)).relay);
  // In usual times the line is kept above lower + margin (37 °C), not just above 35.
  const e = new DhwController(dhwConfig({ learning: true }), c.matrix.weights);
  t.true(e.tick(at("2026-03-18T06:45", 0, 36.5)).relay);
  t.false(new DhwController(dhwConfig({ learning: true }), c.matrix.weights).tick(at("2026-03-18T06:45", 0, 37.5)).relay);
});

test("learning counts a half-hour once a day and decays at local midnight", (t) => {
  const c = new DhwController(dhwConfig({ learning: true }));
  const s = (iso: string): Sample => ({ monoS: 0, wallS: local(iso), lineC: 50, outletC: null });
  for (const m of ["10", "12", "20", "29"]) c.demand("motion", s(`2026-03-04T07:${m}`));
  t.is(c.matrix.weight(2 * 48 + 14), 40);
  c.tick(s("2026-03-05T00:00"));
  t.is(Math.round(c.matrix.weight(2 * 48 + 14) * 1000) / 1000, 39.2);
});

test("a thermal-disinfection cycle is not learned from: not even a tap opened during it", (t) => {
  const c = new DhwController(dhwConfig({ learning: true }));
  const wall0 = local("2026-03-08T13:00");
  const events: string[] = [];
  for (let m = 0; m <= 600; m += 10) {
    const outlet = Math.min(66, 40 + 0.1 * m); // the tank heats to 65 °C: the outlet rises fast
    const step = c.tick({ monoS: m, wallS: wall0 + m, lineC: 30, outletC: outlet });
    events.push(...step.events.map((e) => e.kind));
  }
  t.true(events.includes("disinfection"));
  t.is(events.filter((e) => e === "draw").length, 1, "the tap is seen once, before the water is known to be that hot");
  t.is(Math.max(...c.matrix.weights), 0);
  // The same draw without disinfection is learned, 5 min after its onset.
  const d = new DhwController(dhwConfig({ learning: true }));
  for (let m = 0; m <= 600; m += 10) d.tick({ monoS: m, wallS: wall0 + m, lineC: 30, outletC: Math.min(50, 40 + 0.1 * m) });
  t.is(Math.max(...d.matrix.weights), 40);
});

test("line sensor failure: runs on a bounded timer, never over the hourly budget, and recovers", (t) => {
  const c = new DhwController(dhwConfig({ learning: false }));
  const wall0 = local("2026-03-04T08:00");
  const events: string[] = [];
  let on = 0;
  const perMinute: number[] = [];
  for (let m = 0; m < 4 * 3600; m += 10) {
    const s: Sample = { monoS: m, wallS: wall0 + m, lineC: m < 3 * 3600 ? null : 30, outletC: null };
    const step = m % 60 === 0 ? c.demand("motion", s) : c.tick(s); // someone there all the time
    events.push(...step.events.map((e) => e.kind));
    for (const r of step.runs) if (r.fallback) t.true(r.duration_s <= 180, `fallback run ${r.duration_s} s`);
    if (step.relay) on += 10;
    perMinute.push(step.relay ? 10 : 0);
  }
  t.deepEqual(events.filter((e) => e.startsWith("sensor")), ["sensor_fail", "sensor_ok"]);
  let worst = 0;
  for (let i = 0; i + 360 <= 3 * 360; i++) worst = Math.max(worst, perMinute.slice(i, i + 360).reduce((a, b) => a + b, 0));
  t.true(worst <= 600, `worst hour ${worst} s`);
  t.true(worst >= 420, `the fallback still runs (${worst} s in the worst hour)`);
  t.true(on > 0);
});

test("a run whose sensor fails mid-run ends within the fallback run time", (t) => {
  const { c, mk } = running();
  t.true(c.tick(mk(100, 33)).relay);
  const s = c.tick(mk(110, null));
  t.true(s.relay);
  t.true(s.events.some((e) => e.kind === "sensor_fail"));
  const end = c.tick(mk(180, null));
  t.false(end.relay);
  t.is(end.runs[0].reason, "fallback");
  t.is(end.runs[0].duration_s, 180);
});

test("a hot line with no run for long is reported as a stuck relay, once", (t) => {
  const c = new DhwController(dhwConfig());
  const wall0 = local("2026-03-04T09:00");
  const kinds: string[] = [];
  for (let m = 0; m <= 3 * 3600; m += 60) kinds.push(...c.tick({ monoS: m, wallS: wall0 + m, lineC: 45, outletC: null }).events.map((e) => e.kind));
  t.deepEqual(kinds, ["relay_stuck"]);
  // A line that cools as it should is never reported.
  const d = new DhwController(dhwConfig());
  const quiet: string[] = [];
  for (let m = 0; m <= 3 * 3600; m += 60) quiet.push(...d.tick({ monoS: m, wallS: wall0 + m, lineC: 20 + 25 * Math.exp(-m / 2700), outletC: null }).events.map((e) => e.kind));
  t.deepEqual(quiet, []);
});

test("the read-back contact disagreeing with the relay is reported", (t) => {
  const { c, mk } = running();
  const kinds: string[] = [];
  for (let m = 1; m <= 10; m++) kinds.push(...c.tick(mk(m, 33, { readback: false })).events.map((e) => e.kind));
  t.deepEqual(kinds, ["relay_mismatch"]);
  const d = new DhwController(dhwConfig());
  const wall0 = local("2026-03-04T12:00");
  const k2: string[] = [];
  for (let m = 0; m <= 10; m++) k2.push(...d.tick({ monoS: m, wallS: wall0 + m, lineC: 40, outletC: null, readback: true }).events.map((e) => e.kind));
  t.deepEqual(k2, ["relay_stuck"], "on without a command: stuck");
});

test("stagnation: a hygiene run after 24 h without one, outside the lockout", (t) => {
  const c = new DhwController(dhwConfig({ stagnation_after_h: 24 }));
  const wall0 = local("2026-03-04T12:00");
  const starts: number[] = [];
  for (let m = 0; m <= 50 * 3600; m += 60) {
    const s = c.tick({ monoS: m, wallS: wall0 + m, lineC: 25, outletC: null });
    if (s.relay && c.snapshot({ monoS: m, wallS: wall0 + m, lineC: 25, outletC: null }).run_s === 0) starts.push(m);
  }
  t.deepEqual(starts.map((m) => m / 3600), [24, 48]);
});
