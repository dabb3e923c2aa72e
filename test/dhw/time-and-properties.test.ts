import test from "ava";
import fc from "fast-check";
import { DateTime } from "luxon";
import { DhwController, type Sample } from "../../firmware/core/dhw/controller.js";
import { inWindow, localTime } from "../../firmware/core/dhw/local-time.js";
import { Debouncer, isDemandEdge } from "../../firmware/core/dhw/debounce.js";
import { DrawDetector } from "../../firmware/core/dhw/draw-detect.js";
import { tzRule } from "../../firmware/host/dhw-config.js";
import { dhwConfig, local, localMinuteLuxon, ZONE } from "./helpers.js";

const DST_DAYS = [
  { day: "2026-03-29", hours: 23, offsets: [3600, 7200] },
  { day: "2026-10-25", hours: 25, offsets: [7200, 3600] },
];

for (const d of DST_DAYS) {
  test(`DST day ${d.day}: local time agrees with luxon every minute, the lockout holds at 23:00 and 05:00 local`, (t) => {
    const cfg = dhwConfig();
    const from = Math.round(DateTime.fromISO(d.day, { zone: ZONE }).startOf("day").toSeconds());
    const to = Math.round(DateTime.fromISO(d.day, { zone: ZONE }).startOf("day").plus({ days: 1 }).toSeconds());
    t.is((to - from) / 3600, d.hours);
    const seen = new Set<number>();
    for (let s = from - 3600; s < to + 3600; s += 60) {
      const lt = localTime(cfg.tz, s);
      const lx = DateTime.fromSeconds(s, { zone: ZONE });
      t.is(lt.minute, lx.hour * 60 + lx.minute, lx.toISO()!);
      t.is(lt.weekday, lx.weekday - 1, lx.toISO()!);
      seen.add(lx.offset * 60);
    }
    t.deepEqual([...seen], d.offsets);
    // The controller: a demand at 04:59 is refused, at 05:00 taken; a run at 22:59 stops at 23:00.
    for (const [at, want] of [["04:59", false], ["05:00", true], ["22:59", true], ["23:00", false]] as const) {
      const c = new DhwController(cfg);
      const wall = local(`${d.day}T${at}`);
      t.is(c.demand("motion", { monoS: 0, wallS: wall, lineC: 30, outletC: null }).relay, want, at);
    }
    const c = new DhwController(cfg);
    const start = local(`${d.day}T22:58`);
    t.true(c.demand("door", { monoS: 0, wallS: start, lineC: 30, outletC: null }).relay);
    const stop = c.tick({ monoS: 120, wallS: start + 120, lineC: 31, outletC: null });
    t.is(stop.runs[0]?.reason, "lockout");
  });
}

test("the offset table covers the years ahead and matches luxon at every transition", (t) => {
  const from = Math.round(DateTime.fromISO("2026-01-01T00:00:00Z").toSeconds());
  const rule = tzRule(ZONE, from, 15);
  t.is(rule.transitions.length, 2 * 2 * 15);
  for (let i = 0; i < rule.transitions.length; i += 2) {
    const at = rule.transitions[i];
    t.is(DateTime.fromSeconds(at, { zone: ZONE }).offset * 60, rule.transitions[i + 1]);
    t.not(DateTime.fromSeconds(at - 1, { zone: ZONE }).offset * 60, rule.transitions[i + 1]);
  }
  const ny = tzRule("America/New_York", from, 2);
  t.is(localTime(ny, Math.round(DateTime.fromISO("2026-07-04T12:00", { zone: "America/New_York" }).toSeconds())).minute, 12 * 60);
  t.true(inWindow(23 * 60, 23 * 60, 5 * 60) && inWindow(0, 23 * 60, 5 * 60) && !inWindow(5 * 60, 23 * 60, 5 * 60));
  t.true(inWindow(13 * 60, 12 * 60, 14 * 60) && !inWindow(14 * 60, 12 * 60, 14 * 60));
});

// Whatever the inputs (demands, temperatures, failures, holiday switches, irregular ticks): no
// run in the lockout (judged by luxon), no run longer than the cap, every logged run consistent,
// and while the sensor is failed the pump time in any hour within the fallback budget.
test("properties: lockout, cap and the fallback budget hold for any input sequence", (t) => {
  const action = fc.record({
    dt: fc.integer({ min: 1, max: 900 }),
    demand: fc.constantFrom(null, "motion", "door", "http"),
    line: fc.option(fc.double({ min: 5, max: 70, noNaN: true }), { nil: null, freq: 5 }),
    outlet: fc.option(fc.double({ min: 5, max: 70, noNaN: true }), { nil: null }),
    holiday: fc.constantFrom(undefined, undefined, undefined, true, false, null),
    readback: fc.option(fc.boolean(), { nil: undefined }),
  });
  const config = fc.record({
    max_run_s: fc.integer({ min: 30, max: 600 }),
    min_pause_s: fc.integer({ min: 0, max: 1800 }),
    fallback_run_s: fc.integer({ min: 30, max: 600 }),
    fallback_max_s_per_h: fc.integer({ min: 60, max: 1800 }),
    learning: fc.boolean(),
    stagnation_after_h: fc.constantFrom(0, 1, 24),
    lockout_from_min: fc.integer({ min: 0, max: 1439 }),
    lockout_to_min: fc.integer({ min: 0, max: 1439 }),
  });
  fc.assert(
    fc.property(config, fc.array(action, { minLength: 1, maxLength: 300 }), fc.integer({ min: 0, max: 400 * 86400 }), (over, actions, offset) => {
      const cfg = dhwConfig(over);
      const c = new DhwController(cfg);
      let mono = 0;
      let wall = local("2026-01-01T00:00") + offset;
      let onSince: number | null = null;
      const onSpans: [number, number, boolean][] = []; // [from, to, sensorFailed]
      for (const a of actions) {
        // Tick at least every 30 s while the relay is on, as the module does (every second and at the deadline).
        let left = a.dt;
        while (left > 0) {
          const dt = c.relay ? Math.min(left, 1 + (mono % 29)) : left;
          mono += dt;
          wall += dt;
          left -= dt;
          if (a.holiday !== undefined) c.setHoliday(a.holiday);
          const s: Sample = { monoS: mono, wallS: wall, lineC: a.line, outletC: a.outlet, ...(a.readback === undefined ? {} : { readback: a.readback }) };
          const deadline = c.deadlineMonoS;
          const step = left === 0 && a.demand ? c.demand(a.demand, s) : c.tick(s);
          for (const r of step.runs) {
            if (r.duration_s > cfg.max_run_s) return false;
            if (r.fallback && r.duration_s > Math.min(cfg.max_run_s, cfg.fallback_run_s)) return false;
          }
          if (step.relay) {
            if (onSince === null) onSince = mono;
            if (inWindow(localMinuteLuxon(wall), cfg.lockout_from_min, cfg.lockout_to_min)) return false;
            if (mono - onSince > cfg.max_run_s) return false;
            onSpans.push([mono - dt, mono, a.line === null]);
          } else {
            // Stopped: the run may have lasted past the deadline only by the tick's lateness; the log says the cap.
            if (onSince !== null && deadline !== undefined && deadline - onSince > cfg.max_run_s) return false;
            onSince = null;
          }
        }
      }
      return true;
    }),
    { numRuns: 300, seed: 22 },
  );
  t.pass();
});

test("the fallback budget holds in every hour while the line sensor is failed", (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 60, max: 1800 }), fc.integer({ min: 30, max: 600 }), fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 50, maxLength: 400 }), (budget, run, gaps) => {
      const cfg = dhwConfig({ fallback_max_s_per_h: budget, fallback_run_s: run, min_pause_s: 0, max_run_s: 600 });
      const c = new DhwController(cfg);
      const wall0 = local("2026-03-04T06:00");
      const on: number[] = [];
      let m = 0;
      for (const g of gaps) {
        for (let k = 0; k < g; k++) {
          m++;
          const s: Sample = { monoS: m, wallS: wall0 + m, lineC: null, outletC: null };
          const relay = k === g - 1 ? c.demand("motion", s).relay : c.tick(s).relay;
          on.push(relay ? 1 : 0);
        }
      }
      // Second m's relay state stands for [m, m+1): the worst 3600-second window.
      let sum = 0;
      let worst = 0;
      for (let i = 0; i < on.length; i++) {
        sum += on[i];
        if (i >= 3600) sum -= on[i - 3600];
        worst = Math.max(worst, sum);
      }
      return worst <= budget;
    }),
    { numRuns: 60, seed: 7 },
  );
  t.pass();
});

test("debounce: a bouncing contact gives one edge; a door counts both ways, a motion detector on activation", (t) => {
  const d = new Debouncer(50);
  const edges: boolean[] = [];
  for (const [ms, raw] of [[0, true], [5, false], [9, true], [20, false], [22, true], [71, true], [80, true], [200, false], [230, false], [260, false]] as [number, boolean][]) {
    const e = d.sample(raw, ms);
    if (e !== undefined) edges.push(e);
  }
  t.deepEqual(edges, [true, false]);
  t.true(isDemandEdge("door", false) && isDemandEdge("door", true));
  t.true(isDemandEdge("motion", true) && !isDemandEdge("motion", false));
});

test("draw detection: a tap rise fires once; slow drift, noise and small steps do not", (t) => {
  const fire = (series: (i: number) => number, step = 5, n = 80) => {
    const d = new DrawDetector();
    let count = 0;
    for (let i = 0; i < n; i++) if (d.push(i * step, series(i * step))) count++;
    return count;
  };
  t.is(fire((s) => (s < 100 ? 30 : Math.min(52, 30 + 0.3 * (s - 100)))), 1, "tap opened");
  t.is(fire((s) => 30 + 0.005 * s), 0, "slow warming (tank reheating)");
  t.is(fire((s) => 30 + (s % 10 === 0 ? 0.3 : 0)), 0, "noise");
  t.is(fire((s) => (s < 100 ? 30 : 31.2)), 0, "a small step, below 1.5 K");
  // Two draws with a cool-down in between: two detections.
  t.is(fire((s) => (s < 100 ? 30 : s < 300 ? Math.min(50, 30 + 0.3 * (s - 100)) : s < 700 ? 50 - 0.05 * (s - 300) : Math.min(50, 30 + 0.3 * (s - 700))), 5, 200), 2);
});
