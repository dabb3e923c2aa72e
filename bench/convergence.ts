// `npm run bench:convergence`: the closed loop (convergence-loop.ts) on two sets of houses,
// through the same daily cycle the CLI runs (analyser/cycle.ts):
//   tuned     the example house and random seeds 1–20, the houses the engine was developed on;
//   held-out  random seeds 1001–1040, never looked at in detail: only their aggregate line is
//             read. They vary more than the tuned set: mixed valve kinds and pump heads of
//             20–70 kPa (randomHouse heldOut), raw sensor offsets σ 0.1–0.3 K, one house in four
//             without the bath calibration at commissioning, and a person who is late 10–40 % of
//             the time, reads meters to 5–10 % and leaves 0.1–0.2 turn of backlash.
// Each set ends with one JSON line ("set":"tuned" / "set":"held-out"); the held-out line is the
// headline. Houses run in parallel child processes. The example house's engine run goes through
// a real InfluxDB 1.6 when influxd is installed; every other run uses the file source.
//
//   --houses N   N random houses per set (default 20 tuned, 40 held-out; env FB_BENCH_HOUSES)
//   --set NAME   only "tuned" or only "held-out"
//   --baseline   also run the naive baseline (fixed 5 K ± 0.5 K, no memory); its fields are null otherwise
//   --stable K   K balanced houses per set run on for 30 days with a fresh memory (default 3 held-out, 0 tuned)
//   --ablate     then run each set once more per guard (analyser/engine/guards.ts) with that guard off
//   --guards a,b only these guards in the ablation (default: all)

import { fork } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import type { House } from "../shared/house/index.js";
import { loadHouseFile } from "../shared/house/load.js";
import { readInflux } from "../analyser/sources/influx.js";
import { DEFAULT_OFF, GUARDS, type GuardName } from "../analyser/engine/guards.js";
import { randomHouse } from "../simulator/index.js";
import { Rng } from "../simulator/rng.js";
import type { Hands } from "../simulator/person.js";
import { findInfluxd, startInfluxd } from "../test/helpers/influxd.js";
import { RESPONSE_MIN_K, runLoop, type DataPath, type LoopOutcome } from "./convergence-loop.js";

type SetName = "tuned" | "held-out";

function flag(name: string): boolean {
  return process.argv.includes(name);
}
function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const DAYS = Number(process.env.FB_BENCH_DAYS ?? 14);
const HOUSES_OVERRIDE = option("--houses") ?? process.env.FB_BENCH_HOUSES;
const SETS: SetName[] = option("--set") ? [option("--set") as SetName] : ["tuned", "held-out"];
const SET_SEEDS: Record<SetName, { first: number; houses: number; stable: number }> = {
  tuned: { first: 1, houses: Number(HOUSES_OVERRIDE ?? 20), stable: Number(option("--stable") ?? 0) },
  "held-out": { first: 1001, houses: Number(HOUSES_OVERRIDE ?? 40), stable: Number(option("--stable") ?? 3) },
};
const STABILITY_DAYS = 30;
const START = Date.UTC(2026, 0, 12) / 1000;

interface Variant {
  lateProbability: number;
  hands: Hands;
  sensorOffsetSdK: number;
  calibrated: boolean;
}

interface Job {
  set: SetName;
  label: string;
  seed: number;
  strategy: "engine" | "baseline";
  example: boolean;
  influx: boolean;
  /** none; continue = run on 30 days after balanced; fresh = the same with a fresh memory. */
  stability: "none" | "continue" | "fresh";
  off?: GuardName[];
  /** Default-off guards switched on (ablation of DEFAULT_OFF). */
  on?: GuardName[];
}

interface JobResult extends Omit<LoopOutcome, "days" | "memory"> {
  set: SetName;
  label: string;
  seed: number;
  strategy: "engine" | "baseline";
  stability: Job["stability"];
  off?: GuardName[];
  circuits: number;
  ms: number;
  source: string;
}

/** The held-out set's person and sensors, drawn per house from its own stream. */
export function heldOutVariant(seed: number): Variant {
  const r = new Rng(seed, "held-out-variant");
  return {
    lateProbability: r.range(0.1, 0.4),
    hands: { readingError: r.range(0.05, 0.1), backlashTurns: r.range(0.1, 0.2) },
    sensorOffsetSdK: r.range(0.1, 0.3),
    calibrated: r.chance(0.75),
  };
}

function houseFor(job: Job): House {
  const house = job.example
    ? loadHouseFile(fileURLToPath(new URL("../examples/house.yaml", import.meta.url))).house
    : randomHouse(job.seed, { heldOut: job.set === "held-out" }).house;
  // Sensitivity runs: FB_BENCH_DEAD_BAND=0.25 overrides every house's analysis.dead_band_k.
  const deadBand = process.env.FB_BENCH_DEAD_BAND;
  return deadBand ? { ...house, analysis: { ...house.analysis, dead_band_k: Number(deadBand) } } : house;
}

async function influxPath(house: House): Promise<{ data: DataPath; house: House; stop: () => Promise<void> }> {
  const influxd = await startInfluxd();
  await influxd.createDatabase("floorbalance");
  const h: House = { ...house, influx: { ...house.influx, url: influxd.url, database: "floorbalance" } };
  return {
    house: h,
    stop: () => influxd.stop(),
    data: {
      name: `InfluxDB 1.6 at ${influxd.url}`,
      async write(chunk) {
        const status = await influxd.write("floorbalance", chunk);
        if (status !== 204) throw new Error(`influxd answered ${status}`);
      },
      // No continuous queries run on simulated time: read the raw data (no rollup warning).
      read: (_house, window) => readInflux(h, {}, window, { rollup: false }),
    },
  };
}

async function runJob(job: Job): Promise<JobResult> {
  let house = houseFor(job);
  const t0 = Date.now();
  let data: DataPath | undefined;
  let stop = async () => {};
  if (job.influx) {
    const p = await influxPath(house);
    house = p.house;
    data = p.data;
    stop = p.stop;
  }
  const variant = job.set === "held-out" ? heldOutVariant(job.seed) : undefined;
  try {
    const out = await runLoop(house, {
      seed: job.seed,
      days: DAYS,
      start: START,
      strategy: job.strategy,
      data,
      daysAfterBalanced: job.stability !== "none" ? STABILITY_DAYS : undefined,
      freshMemoryWhenBalanced: job.stability === "fresh",
      engine: job.off || job.on ? { off: job.off, on: job.on } : undefined,
      ...(variant ?? {}),
    });
    const { days, memory, ...rest } = out;
    void days;
    void memory;
    return { ...rest, set: job.set, label: job.label, seed: job.seed, strategy: job.strategy, stability: job.stability, off: job.off, circuits: house.circuits.length, ms: Date.now() - t0, source: data?.name ?? "file source" };
  } finally {
    await stop();
  }
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i]!;
}

const self = fileURLToPath(import.meta.url);
const WORKERS = Math.max(1, Number(process.env.FB_BENCH_WORKERS ?? Math.min(cpus().length, 4)));

function line(r: JobResult): string {
  return (
    `${r.set.padEnd(8)} ${r.label.padEnd(11)} ${r.strategy.padEnd(8)}${r.off ? ` −${r.off.join(",")}` : ""}${r.stability === "fresh" ? " (fresh memory once balanced)" : ""} ${String(r.circuits).padStart(2)} circuits: ` +
    (r.balancedDay !== undefined ? `balanced on day ${r.balancedDay + 1} after ${r.rounds} round(s)` : `NOT balanced in ${DAYS} days (${r.rounds} rounds)`) +
    `, ${r.recommendedChanges} changes, ${r.oscillations} oscillation(s)` +
    (r.changesAfterBalanced !== undefined ? `, ${r.changesAfterBalanced} change(s) in the ${STABILITY_DAYS} balanced days after` : "") +
    ` [${r.source}, ${(r.ms / 1000).toFixed(0)} s]\n`
  );
}

/** Run jobs in parallel child processes; `quiet` prints nothing per house (the held-out set in ablation). */
async function runAll(jobs: Job[], print: (r: JobResult) => boolean): Promise<JobResult[]> {
  const results: JobResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const result = await new Promise<JobResult>((resolve, reject) => {
        const child = fork(self, ["--job", JSON.stringify(job)], { execArgv: ["--import=tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
        let got: JobResult | undefined;
        child.on("message", (m) => (got = m as JobResult));
        child.on("exit", (code) => (got ? resolve(got) : reject(new Error(`${job.label} ${job.strategy} exited ${code}`))));
      });
      results.push(result);
      if (print(result)) process.stdout.write(line(result));
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  return results;
}

function housesOf(set: SetName, influxOk: boolean, strategy: "engine" | "baseline", off?: GuardName[]): Job[] {
  const { first, houses } = SET_SEEDS[set];
  const jobs: Job[] = [];
  if (set === "tuned") jobs.push({ set, label: "example", seed: 1, strategy, example: true, influx: influxOk && strategy === "engine" && !off, stability: strategy === "engine" && !off ? "continue" : "none", off });
  for (let i = first; i < first + houses; i++) jobs.push({ set, label: `random-${i}`, seed: i, strategy, example: false, influx: false, stability: "none", off });
  return jobs;
}

interface Summary {
  houses: number;
  median_rounds: number;
  p95_rounds: number;
  median_days: number;
  oscillations: number;
  unbalanced_at_end: number;
}

function summarise(rs: JobResult[]): Summary {
  const rounds = rs.map((r) => (r.balancedDay !== undefined ? r.rounds : Math.max(r.rounds, DAYS)));
  const daysTo = rs.map((r) => (r.balancedDay !== undefined ? r.balancedDay + 1 : DAYS));
  return {
    houses: rs.length,
    median_rounds: quantile(rounds, 0.5),
    p95_rounds: quantile(rounds, 0.95),
    median_days: quantile(daysTo, 0.5),
    oscillations: rs.reduce((s, r) => s + r.oscillations, 0),
    unbalanced_at_end: rs.filter((r) => r.balancedDay === undefined).length,
  };
}

function fidelity(rs: JobResult[], valve: "flow-meter" | "lockshield"): string {
  const ratios = rs.flatMap((r) => r.responses.filter((x) => x.valve === valve).map((x) => x.observedK / x.expectedK));
  return ratios.length === 0
    ? `${valve}: no change to judge`
    : `${valve}: ${ratios.length} changes, observed ÷ expected p10 ${quantile(ratios, 0.1).toFixed(2)}, median ${quantile(ratios, 0.5).toFixed(2)}, p90 ${quantile(ratios, 0.9).toFixed(2)}`;
}

async function runSet(set: SetName, influxOk: boolean): Promise<Record<string, unknown>> {
  const t0 = Date.now();
  // Held-out houses are never printed one by one: only the aggregate is read.
  const show = (r: JobResult) => r.set === "tuned";
  const jobs = housesOf(set, influxOk, "engine");
  if (flag("--baseline")) jobs.push(...housesOf(set, influxOk, "baseline"));
  const results = await runAll(jobs, show);
  const engine = results.filter((r) => r.strategy === "engine");
  // Stability, continuing the memory: the example house when it had a balanced, quiet day to
  // count from, else the first house of the set that balanced, run once more.
  const later: Job[] = [];
  let stability = engine.find((r) => r.changesAfterBalanced !== undefined);
  const balanced = engine.filter((r) => r.balancedDay !== undefined).sort((a, b) => a.seed - b.seed);
  if (!stability && balanced[0]) later.push({ ...jobs.find((j) => j.label === balanced[0]!.label && j.strategy === "engine")!, influx: false, stability: "continue" });
  // Houses balanced in truth, with a fresh memory: the engine starts again from the settings the
  // person noted. They must get no change beyond their sensors' uncertainty.
  for (const b of balanced.filter((r) => r.label !== "example").slice(0, SET_SEEDS[set].stable)) {
    later.push({ ...jobs.find((j) => j.label === b.label && j.strategy === "engine")!, influx: false, stability: "fresh" });
  }
  const extra = await runAll(later, show);
  stability ??= extra.find((r) => r.stability === "continue" && r.changesAfterBalanced !== undefined);
  const fresh = extra.filter((r) => r.stability === "fresh" && r.changesAfterBalanced !== undefined);
  const ours = summarise(engine);
  const base = flag("--baseline") ? summarise(results.filter((r) => r.strategy === "baseline")) : undefined;
  process.stdout.write(
    `\n${set}: engine median ${ours.median_rounds} rounds (p95 ${ours.p95_rounds}), median ${ours.median_days} days, ${ours.oscillations} oscillations, ${ours.unbalanced_at_end} of ${ours.houses} unbalanced after ${DAYS} days\n` +
      (base ? `${set}: baseline median ${base.median_rounds} rounds (p95 ${base.p95_rounds}), ${base.oscillations} oscillations, ${base.unbalanced_at_end} of ${base.houses} unbalanced\n` : "") +
      `${set}: model response (changes expected to move the spread by ≥ ${RESPONSE_MIN_K} K): ${fidelity(engine, "flow-meter")}; ${fidelity(engine, "lockshield")}\n` +
      `${set}: stability: ${stability ? `${stability.changesAfterBalanced} change(s) in ${STABILITY_DAYS} days on the balanced ${set === "tuned" ? stability.label : "house"}` : "no balanced house to run it on"}` +
      (fresh.length ? `; balanced in truth with a fresh memory: ${fresh.map((r) => r.changesAfterBalanced).join(", ")} change(s) in ${STABILITY_DAYS} days on ${fresh.length} house(s)` : "") +
      `\n(${set}: dead band ${process.env.FB_BENCH_DEAD_BAND ? `${process.env.FB_BENCH_DEAD_BAND} K for every house` : "each house's analysis.dead_band_k, default 0.4 K"}; ` +
      `a house never balanced counts ${DAYS} rounds; wall time ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`,
  );
  return {
    bench: "convergence",
    set,
    ...ours,
    balanced_spurious_changes_30d: stability?.changesAfterBalanced ?? null,
    truth_balanced_houses: fresh.length,
    truth_balanced_changes_30d: fresh.length ? fresh.reduce((s, r) => s + (r.changesAfterBalanced ?? 0), 0) : null,
    baseline_median_rounds: base?.median_rounds ?? null,
    baseline_p95_rounds: base?.p95_rounds ?? null,
    baseline_unbalanced_at_end: base?.unbalanced_at_end ?? null,
  };
}

async function ablate(influxOk: boolean, full: Map<SetName, Summary>): Promise<void> {
  process.stdout.write(`\nablation: each guard off in turn (engine only, file source)\n`);
  const rows: { guard: GuardName; set: SetName; s: Summary }[] = [];
  const chosen = option("--guards") ? (option("--guards")!.split(",") as GuardName[]) : [...GUARDS];
  for (const guard of chosen) {
    if (!GUARDS.includes(guard)) throw new Error(`unknown guard ${guard}; known: ${GUARDS.join(", ")}`);
    for (const set of SETS) {
      // A guard that is off by default is switched on instead: its row says what it would change.
      const jobs = DEFAULT_OFF.includes(guard) ? housesOf(set, influxOk, "engine", []).map((j) => ({ ...j, off: undefined, on: [guard], influx: false, stability: "none" as const })) : housesOf(set, influxOk, "engine", [guard]);
      const rs = await runAll(jobs, () => false);
      const s = summarise(rs);
      rows.push({ guard, set, s });
      process.stdout.write(JSON.stringify({ bench: "convergence-ablation", guard, switched: DEFAULT_OFF.includes(guard) ? "on" : "off", set, ...s }) + "\n");
    }
  }
  const cell = (s: Summary | undefined) => (s ? `${s.median_rounds} / ${s.p95_rounds}, ${s.unbalanced_at_end} unbal., ${s.oscillations} osc.` : "–");
  process.stdout.write(`\n| guard off | ${SETS.map((s) => `${s}: median / p95 rounds, unbalanced, oscillations`).join(" | ")} |\n|---|${SETS.map(() => "---").join("|")}|\n`);
  process.stdout.write(`| (none) | ${SETS.map((set) => cell(full.get(set))).join(" | ")} |\n`);
  for (const guard of chosen) process.stdout.write(`| ${guard}${DEFAULT_OFF.includes(guard) ? " (switched on)" : ""} | ${SETS.map((set) => cell(rows.find((r) => r.guard === guard && r.set === set)?.s)).join(" | ")} |\n`);
}

async function main(): Promise<void> {
  if (process.argv[2] === "--job") {
    const job = JSON.parse(process.argv[3]!) as Job;
    const result = await runJob(job);
    process.send!(result);
    return;
  }
  const influxOk = findInfluxd() !== null && process.env.FB_BENCH_NO_INFLUX === undefined;
  const t0 = Date.now();
  const lines: Record<string, unknown>[] = [];
  const full = new Map<SetName, Summary>();
  for (const set of SETS) {
    const l = await runSet(set, influxOk);
    lines.push(l);
    full.set(set, l as unknown as Summary);
  }
  if (flag("--ablate")) await ablate(influxOk, full);
  process.stdout.write(`(total wall time ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  // One JSON line per set, the held-out set last: the headline.
  for (const l of lines) process.stdout.write(JSON.stringify(l) + "\n");
}

await main();
