// bench:dhw: the hot-water circulation controller (firmware/core/dhw) against the simulated loop
// and household (simulator/dhw-loop.ts, household.ts) for 30 days, next to the seed's timer
// (10 min on / 10 off, 05:00–23:00) over the same days and draws. Then a 3-day line-sensor
// failure, scored on the pump minutes in its worst hour. Figures first, ONE JSON line last.
//
// Held out: the controller's defaults were tuned on household seed 1 only; the JSON line is
// from seed 202 (a house never tuned on). `--seed N` runs another one.
//   npm run bench:dhw [-- --seed N --days D]

import { DateTime } from "luxon";
import { DHW_DEFAULTS, type DhwConfig } from "../firmware/core/dhw/config.js";
import { tzRule } from "../firmware/host/dhw-config.js";
import { household } from "../simulator/household.js";
import { simulateDhw } from "../simulator/dhw-run.js";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const seed = arg("--seed", 202);
const days = arg("--days", 30);
const zone = "Europe/Berlin";
// March: the month crosses the spring DST change (2026-03-29).
const from = "2026-03-02";
const start = DateTime.fromISO(from, { zone });
const startS = Math.round(start.toSeconds());
// A holiday week in the middle: nobody home, the house file says so.
const holidayDays: [number, number] = [16, 22];
const holidayFrom = Math.round(start.plus({ days: holidayDays[0] }).toSeconds());
const holidayTo = Math.round(start.plus({ days: holidayDays[1] + 1 }).toSeconds());

const config: DhwConfig = {
  ...DHW_DEFAULTS,
  relay_pin: 25,
  relay_active_low: false,
  inputs: [],
  line_rom: "28-000000000001",
  outlet_rom: "28-000000000002",
  holidays: [[holidayFrom, holidayTo]],
  tz: tzRule(zone, startS - 86400),
};

const events = household({ from, days, zone, seed, holidayDays });
const base = { config, zone, startS, days, events, disinfectionC: 65 };
const demand = simulateDhw({ ...base, mode: "demand" });
const schedule = simulateDhw({ ...base, mode: "schedule" });
// The line sensor fails for 3 days (after the learned month, so usual-time pre-runs count too).
const failStart = startS;
const failed = simulateDhw({ ...base, days: 3, mode: "demand", weights: demand.weights, sensorFail: [failStart, failStart + 3 * 86400] });

const pct = (a: number, b: number) => (b === 0 ? 0 : Math.round((1000 * a) / b) / 10);
const min = (s: number) => Math.round(s / 6) / 10;
const byTrigger = new Map<string, number>();
const byReason = new Map<string, number>();
for (const run of demand.runs) {
  byTrigger.set(run.trigger, (byTrigger.get(run.trigger) ?? 0) + 1);
  byReason.set(run.reason, (byReason.get(run.reason) ?? 0) + 1);
}

console.log(`household seed ${seed}, ${days} days from ${from} (${zone}), holiday days ${holidayDays[0]}–${holidayDays[1]}, disinfection Sundays 13:00`);
console.log(`demand:   ${demand.runs.length} runs, ${min(demand.pumpS)} pump min (${min(demand.pumpS / days)} a day); triggers ${JSON.stringify(Object.fromEntries(byTrigger))}; stops ${JSON.stringify(Object.fromEntries(byReason))}`);
console.log(`schedule: ${min(schedule.pumpS)} pump min (10/10, 05:00–23:00)`);
console.log(`saving:   ${pct(schedule.pumpS - demand.pumpS, schedule.pumpS)} % of the schedule's pump time (goal ≥ 80 %)`);
console.log(`draws:    ${demand.draws}; warm ${pct(demand.drawsWarm, demand.draws)} % (schedule: ${pct(schedule.drawsWarm, schedule.draws)} %); in learned usual times ${demand.usualDraws}, warm ${pct(demand.usualDrawsWarm, demand.usualDraws)} % (goal ≥ 90 %)`);
console.log(`lockout:  ${demand.lockoutRuns} runs in 23:00–05:00 (goal 0); longest run ${min(demand.longestRunS)} min, cap ${config.max_run_s / 60} min`);
console.log(`sensor failure (3 days): ${failed.runs.length} runs, worst hour ${min(failed.maxPumpSPerHour)} pump min (bound ${config.fallback_max_s_per_h / 60}, the seed's timer 30)`);

console.log(
  JSON.stringify({
    bench: "dhw",
    days,
    pump_minutes: min(demand.pumpS),
    schedule_pump_minutes: min(schedule.pumpS),
    draws: demand.draws,
    draws_warm_pct: pct(demand.drawsWarm, demand.draws),
    usual_time_draws_warm_pct: pct(demand.usualDrawsWarm, demand.usualDraws),
    lockout_runs: demand.lockoutRuns,
    longest_run_min: min(Math.max(demand.longestRunS, failed.longestRunS)),
    cap_min: config.max_run_s / 60,
    sensor_fail_fallback_max_min_per_h: min(failed.maxPumpSPerHour),
  }),
);
