// npm run bench:curve — the heating-curve advisor on held-out houses (issue 21).
//
// Each house: the twin, truth-balanced first (flows set from the true room temperatures, so the
// curve is judged on its own), then 30 simulated days of changing weather in which a person
// follows the advice each morning at the controller. Room data: a thermometer in every room.
// Held-out: random houses 41–43 were never run while the advisor's constants were chosen (those
// were set on the worked examples in test/curve and on random house 31). "Well-set" houses get a
// curve calibrated from the truth first (index room about +0.1 K); the advice there should be keep.
// Ends with ONE JSON line. FB_CURVE_QUICK=1 runs the example house only.

import { fileURLToPath } from "node:url";
import { advise, applyChange, controllerOf, fitDelivered, LAMBDA_DEFAULT, targetAtC, type Controller, type DayObservation, type LastChange } from "../analyser/curve/index.js";
import { type House } from "../shared/house/index.js";
import { loadHouseFile } from "../shared/house/load.js";
import { copAt } from "../simulator/heatpump.js";
import { randomHouse } from "../simulator/random-house.js";
import { Twin } from "../simulator/twin.js";

const DAY = 86_400;
const STEP = 600;
const START = Date.UTC(2026, 0, 5) / 1000;
const DAYS = 30;

interface Job {
  label: string;
  house: House;
  seed: number;
  /** Curve at the start (the installer's); undefined: the house file's. */
  start?: Controller;
  wellSet: boolean;
  example: boolean;
}

interface DayTruth {
  date: string;
  outdoorC: number;
  dev: Map<string, number>;
  heatJ: number;
  electricJ: number;
  starts: number;
  samples: { outdoorC: number; supplyC: number }[];
}

const dateOf = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);

/** One simulated day: hourly room means against their setpoints, energy, starts, heating samples. */
function runDay(twin: Twin, from: number): DayTruth {
  const sums = new Map<string, number>();
  let n = 0;
  let outdoor = 0;
  const samples: DayTruth["samples"] = [];
  const e0 = twin.electricJ();
  const h0 = twin.ledger().heat_pump_j;
  const s0 = twin.truth().heat_pump.starts;
  for (let t = from + STEP; t <= from + DAY; t += STEP) {
    twin.advance(t, null);
    const tr = twin.truth();
    outdoor += tr.outdoor_c;
    if (tr.heat_pump.state === "heating") samples.push({ outdoorC: tr.outdoor_c, supplyC: tr.heat_pump.supply_c });
    for (const [room, c] of twin.roomTemperatures()) sums.set(room, (sums.get(room) ?? 0) + c);
    n++;
  }
  const dev = new Map<string, number>();
  for (const r of twin.rooms) dev.set(r.name, (sums.get(r.name) ?? 0) / n - r.setpointC);
  return { date: dateOf(from), outdoorC: outdoor / n, dev, heatJ: twin.ledger().heat_pump_j - h0, electricJ: twin.electricJ() - e0, starts: twin.truth().heat_pump.starts - s0, samples };
}

/** Truth balancing: every room's flow scaled by its deviation from the house mean, a few rounds. */
function truthBalance(twin: Twin, from: number, rounds: number): number {
  let t = from;
  for (let r = 0; r < rounds; r++) {
    const a = runDay(twin, t);
    const b = runDay(twin, t + DAY);
    t += 2 * DAY;
    const dev = new Map([...a.dev].map(([k, v]) => [k, (v + b.dev.get(k)!) / 2]));
    const mean = [...dev.values()].reduce((s, v) => s + v, 0) / dev.size;
    for (const c of twin.house.circuits) {
      const rel = dev.get(c.room)! - mean;
      const factor = Math.exp(-0.9 * rel);
      const v = twin.valve(c.id);
      if (c.valve.kind === "flow-meter") {
        // Truth balancing may close below the printed scale: it isolates the curve from the valves' range.
        const to = Math.min(c.valve.scale.max, Math.max(0.1, v.flow_lpm * factor));
        twin.setValve(c.id, { setting_lpm: Math.round(to * 100) / 100 });
      } else {
        const max = c.valve.characteristic.max_turns;
        twin.setValve(c.id, { turns_open: Math.min(max, Math.max(0.25, (v.turns_open ?? max) * factor)) });
      }
    }
  }
  return t;
}

/**
 * Calibrate a well-set curve from the truth: the day's coolest room against the (one-day lagged)
 * outdoor temperature over four days, a line where the weather varied enough, moved to +0.15 K.
 */
function truthCurve(twin: Twin, from: number): number {
  let t = from;
  let prev = runDay(twin, t);
  t += DAY;
  for (let i = 0; i < 3; i++) {
    const pts: { x: number; y: number }[] = [];
    for (let d = 0; d < 4; d++) {
      const day = runDay(twin, t);
      t += DAY;
      pts.push({ x: (day.outdoorC + prev.outdoorC) / 2, y: Math.min(...day.dev.values()) });
      prev = day;
    }
    const mx = pts.reduce((s, p) => s + p.x, 0) / pts.length;
    const my = pts.reduce((s, p) => s + p.y, 0) / pts.length;
    const sxx = pts.reduce((s, p) => s + (p.x - mx) ** 2, 0);
    const b = sxx >= 8 ? pts.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx : 0;
    twin.setController(applyChange(twin.controller(), { atRefK: -(my - 0.15) / 0.8, perK: -b / 0.8, refC: mx }, 10));
  }
  return t;
}

interface Outcome {
  label: string;
  wellSet: boolean;
  example: boolean;
  loweredAt0K: number;
  changes: { day: number; deltaAt0K: number }[];
  worstDevK: number;
  indexShortDays: number;
  startsBefore: number;
  startsAfter: number;
  copGainPct: number;
  worstShortWhileLowered: number;
}

function runJob(job: Job): Outcome {
  const twin = new Twin(job.house, { start: START, seed: job.seed, spinUpDays: 2, sensorFaults: false, outputIntervalS: 60, weather: { mean_c: 6, multi_day_sd_k: 3 } });
  if (job.start) twin.setController(job.start);
  let t = truthBalance(twin, START, 5);
  if (job.wellSet) t = truthCurve(twin, t);
  const startController = twin.controller();
  const before = [runDay(twin, t), runDay(twin, t + DAY)];
  t += 2 * DAY;
  const history: DayObservation[] = before.map((d) => ({ date: d.date, outdoorC: d.outdoorC, rooms: [...d.dev].map(([room, deviationK]) => ({ room, deviationK, source: "thermometer" as const })) }));
  let last: LastChange | undefined;
  const changes: Outcome["changes"] = [];
  let worst = 0;
  let indexShortDays = 0;
  let worstShortWhileLowered = 0;
  const after: DayTruth[] = [];
  for (let d = 0; d < DAYS; d++) {
    const today = dateOf(t);
    const advice = advise({ controller: twin.controller(), balanced: true, today, days: history.slice(-10), lastChange: last });
    if ((advice.kind === "lower" || advice.kind === "raise") && advice.next) {
      // Lowering while a room is short would break the first goal: measure it from the truth.
      if (advice.kind === "lower") worstShortWhileLowered = Math.min(worstShortWhileLowered, ...history[history.length - 1].rooms.map((r) => r.deviationK));
      twin.setController(advice.next);
      last = { date: today, deltaAt0K: advice.deltaAt0K ?? 0 };
      changes.push({ day: d, deltaAt0K: advice.deltaAt0K ?? 0 });
    }
    const day = runDay(twin, t);
    t += DAY;
    if (process.env.FB_CURVE_VERBOSE) {
      const idx = [...day.dev].sort((a, b) => a[1] - b[1]);
      console.log(`  ${job.label} day ${d} ${day.date}: ${advice.kind}${advice.deltaAt0K ? ` ${advice.deltaAt0K}` : ""} (${advice.reasons.map((r) => r.code).join(",")}, slope ${advice.slope}${advice.model ? ` model ${advice.index?.room} ${advice.model.devRefK.toFixed(2)}${advice.model.perK >= 0 ? "+" : ""}${advice.model.perK.toFixed(2)}·(θ−${advice.model.refC.toFixed(1)}) seen ${advice.outdoorSeenC?.map((v) => v.toFixed(1)).join("…")}` : ""}); outdoor ${day.outdoorC.toFixed(1)} °C, curve@0 ${targetAtC(twin.controller(), 0).toFixed(1)}, coolest ${idx[0][0]} ${idx[0][1].toFixed(2)}, warmest ${idx[idx.length - 1][0]} ${idx[idx.length - 1][1].toFixed(2)}`);
    }
    after.push(day);
    // The screed lags a day: the room answers to the outdoor temperature of this day and the one before.
    history.push({ date: day.date, outdoorC: (day.outdoorC + (after.length > 1 ? after[after.length - 2].outdoorC : before[1].outdoorC)) / 2, rooms: [...day.dev].map(([room, deviationK]) => ({ room, deviationK, source: "thermometer" as const })) });
    if (changes.length > 0) {
      for (const v of day.dev.values()) worst = Math.max(worst, Math.abs(v));
      if (Math.min(...day.dev.values()) < -0.5) indexShortDays++;
    }
  }
  const fitBefore = fitDelivered(before.flatMap((d) => d.samples).map((s) => ({ outdoorC: s.outdoorC, waterC: s.supplyC })), startController);
  const tail = after.slice(-5);
  const fitAfter = fitDelivered(tail.flatMap((d) => d.samples).map((s) => ({ outdoorC: s.outdoorC, waterC: s.supplyC })), twin.controller());
  const supplyB = fitBefore ? fitBefore.interceptC : targetAtC(startController, 0);
  const supplyA = fitAfter ? fitAfter.interceptC : targetAtC(twin.controller(), 0);
  const copGainPct = (copAt(supplyA, 0) / copAt(supplyB, 0) - 1) * 100;
  const startsPer = (days: DayTruth[]) => days.reduce((s, d) => s + d.starts, 0) / days.length;
  return {
    label: job.label,
    wellSet: job.wellSet,
    example: job.example,
    loweredAt0K: targetAtC(startController, 0) - targetAtC(twin.controller(), 0),
    changes,
    worstDevK: worst,
    indexShortDays,
    startsBefore: startsPer(before),
    startsAfter: startsPer(tail),
    copGainPct,
    worstShortWhileLowered,
  };
}

function maxPerWeek(changes: { day: number }[]): number {
  let best = 0;
  for (const c of changes) best = Math.max(best, changes.filter((x) => x.day >= c.day && x.day < c.day + 7).length);
  return best;
}

function reversals(changes: { deltaAt0K: number }[]): number {
  let n = 0;
  for (let i = 1; i < changes.length; i++) if (Math.sign(changes[i].deltaAt0K) * Math.sign(changes[i - 1].deltaAt0K) < 0) n++;
  return n;
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function main(): void {
  const quick = process.env.FB_CURVE_QUICK === "1";
  const first = Number(process.env.FB_CURVE_FIRST_SEED ?? 41);
  const file = loadHouseFile(fileURLToPath(new URL("../examples/house.yaml", import.meta.url))).house;
  // The example's 9 kW machine runs flat out below about +3 °C in the twin: the rooms' shortfall on
  // such days is the machine's, not the curve's. A 12 kW machine isolates the curve.
  const kw = Number(process.env.FB_CURVE_EXAMPLE_KW ?? 12);
  const example: House = { ...file, plant: { ...file.plant, heat_pump: { ...file.plant.heat_pump, nominal_kw: kw } } };
  const factory: Controller = { kind: "lambda", step_k: 0.1, curve: { ...LAMBDA_DEFAULT } };
  const jobs: Job[] = [{ label: "example (factory curve 48.3/39.0/32.0)", house: example, seed: 1, start: factory, wellSet: false, example: true }];
  if (!quick) {
    for (let s = first; s < first + 3; s++) {
      const h = randomHouse(s).house;
      // The installer's safety margin: the house's curve plus 3 K.
      const c = controllerOf(h);
      jobs.push({ label: `random-${s} (+3 K)`, house: h, seed: s, start: applyChange(c, { atRefK: 3, perK: 0, refC: 0 }, 10), wellSet: false, example: false });
    }
    for (let s = first + 3; s < first + 5; s++) jobs.push({ label: `random-${s} (well set)`, house: randomHouse(s).house, seed: s, wellSet: true, example: false });
  }
  const t0 = Date.now();
  const out: Outcome[] = [];
  for (const job of jobs) {
    const o = runJob(job);
    out.push(o);
    console.log(
      `${o.label}: lowered ${o.loweredAt0K.toFixed(1)} K at 0 °C in ${o.changes.length} change(s) [${o.changes.map((c) => `day ${c.day}: ${c.deltaAt0K > 0 ? "+" : ""}${c.deltaAt0K.toFixed(1)}`).join(", ")}], worst room ${o.worstDevK.toFixed(2)} K, index short days ${o.indexShortDays}, starts/day ${o.startsBefore.toFixed(1)} → ${o.startsAfter.toFixed(1)}, COP ${o.copGainPct >= 0 ? "+" : ""}${o.copGainPct.toFixed(1)} %`,
    );
  }
  const advised = out.filter((o) => !o.wellSet);
  const ex = out.find((o) => o.example)!;
  const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;
  console.log(`lowered while a room was short: worst deviation at those moments ${round(Math.min(0, ...out.map((o) => o.worstShortWhileLowered)))} K (0 = never); run time ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  console.log(
    JSON.stringify({
      bench: "curve",
      houses: out.length,
      example_k_lowered_at_0c: round(ex.loweredAt0K, 1),
      median_k_lowered_at_0c: round(median(advised.map((o) => o.loweredAt0K)), 1),
      rooms_worst_dev_k: round(Math.max(...advised.map((o) => o.worstDevK))),
      index_room_short_days: out.reduce((s, o) => s + o.indexShortDays, 0),
      cop_gain_pct: round(median(advised.map((o) => o.copGainPct)), 1),
      starts_per_day_before: round(median(advised.map((o) => o.startsBefore)), 1),
      starts_per_day_after: round(median(advised.map((o) => o.startsAfter)), 1),
      curve_changes_per_week_max: Math.max(...out.map((o) => maxPerWeek(o.changes))),
      reversals: out.reduce((s, o) => s + reversals(o.changes), 0),
      well_set_changes_30d: out.filter((o) => o.wellSet).reduce((s, o) => s + o.changes.length, 0),
    }),
  );
}

main();
