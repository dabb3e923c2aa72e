// `npm run bench:convergence`: the closed loop on the example house and 20 random houses, our
// engine against the naive baseline (fixed 5 K ± 0.5 K, deviation → turns, no memory).
// Houses run in parallel child processes (one per core). The example house's engine run goes
// through a real InfluxDB 1.6 (test/helpers/influxd.ts) when influxd is installed; every other run
// uses the analyser's file source (same analyser, faster). Prints one JSON line last.

import { fork } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { type House } from "../shared/house/index.js";
import { loadHouseFile } from "../shared/house/load.js";
import { readInflux } from "../analyser/sources/influx.js";
import { randomHouse } from "../simulator/index.js";
import { findInfluxd, startInfluxd } from "../test/helpers/influxd.js";
import { RESPONSE_MIN_K, runLoop, type DataPath, type LoopOutcome } from "./convergence-loop.js";

const DAYS = Number(process.env.FB_BENCH_DAYS ?? 14);
const RANDOM_HOUSES = Number(process.env.FB_BENCH_HOUSES ?? 20);
// Held-out houses: the engine was tuned against seeds 1–20; FB_BENCH_FIRST_SEED=21 runs others.
const FIRST_SEED = Number(process.env.FB_BENCH_FIRST_SEED ?? 1);
const STABILITY_DAYS = 30;
const START = Date.UTC(2026, 0, 12) / 1000;

interface Job {
  label: string;
  seed: number;
  strategy: "engine" | "baseline";
  example: boolean;
  influx: boolean;
  stability: boolean;
}

interface JobResult extends Omit<LoopOutcome, "days" | "memory"> {
  label: string;
  strategy: "engine" | "baseline";
  circuits: number;
  ms: number;
  source: string;
  daysRun: number;
}

function houseFor(job: Job): House {
  const house = job.example ? loadHouseFile(fileURLToPath(new URL("../examples/house.yaml", import.meta.url))).house : randomHouse(job.seed).house;
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
      read: (hh, window) => readInflux(h, {}, window, { rollup: false }),
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
  try {
    const out = await runLoop(house, {
      seed: job.seed,
      days: DAYS,
      start: START,
      strategy: job.strategy,
      data,
      daysAfterBalanced: job.stability ? STABILITY_DAYS : undefined,
    });
    const { days, memory, ...rest } = out;
    void memory;
    return { ...rest, label: job.label, strategy: job.strategy, circuits: house.circuits.length, ms: Date.now() - t0, source: data?.name ?? "file source", daysRun: days.length };
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

async function main(): Promise<void> {
  if (process.argv[2] === "--job") {
    const job = JSON.parse(process.argv[3]!) as Job;
    const result = await runJob(job);
    process.send!(result);
    return;
  }
  const influxOk = findInfluxd() !== null && process.env.FB_BENCH_NO_INFLUX === undefined;
  const jobs: Job[] = [];
  jobs.push({ label: "example", seed: 1, strategy: "engine", example: true, influx: influxOk, stability: true });
  jobs.push({ label: "example", seed: 1, strategy: "baseline", example: true, influx: false, stability: false });
  for (let i = FIRST_SEED; i < FIRST_SEED + RANDOM_HOUSES; i++) {
    jobs.push({ label: `random-${i}`, seed: i, strategy: "engine", example: false, influx: false, stability: false });
    jobs.push({ label: `random-${i}`, seed: i, strategy: "baseline", example: false, influx: false, stability: false });
  }
  const results: JobResult[] = [];
  const self = fileURLToPath(import.meta.url);
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
      const r = result;
      process.stdout.write(
        `${r.label.padEnd(10)} ${r.strategy.padEnd(8)} ${String(r.circuits).padStart(2)} circuits: ` +
          (r.balancedDay !== undefined ? `balanced on day ${r.balancedDay + 1} after ${r.rounds} round(s)` : `NOT balanced in ${DAYS} days (${r.rounds} rounds)`) +
          `, ${r.recommendedChanges} changes, ${r.oscillations} oscillation(s)` +
          (r.supplyC !== undefined ? `, supply ${r.supplyC.toFixed(1)} °C → could drop to ${r.supplyCouldDropToC!.toFixed(1)} °C` : "") +
          (r.changesAfterBalanced !== undefined ? `, ${r.changesAfterBalanced} change(s) in the ${STABILITY_DAYS} balanced days after` : "") +
          ` [${r.source}, ${(r.ms / 1000).toFixed(0)} s]\n`,
      );
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: Math.max(1, Math.min(cpus().length, 4)) }, worker));
  const summary = (strategy: "engine" | "baseline") => {
    const rs = results.filter((r) => r.strategy === strategy && !r.label.endsWith("*"));
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
  };
  // The stability run needs a balanced house: the example house when it balanced, else the
  // first random house that did (run once more, kept running 30 days after it balanced).
  if (!results.some((r) => r.changesAfterBalanced !== undefined)) {
    const balanced = results.find((r) => r.strategy === "engine" && r.balancedDay !== undefined);
    const job = balanced && jobs.find((j) => j.label === balanced.label && j.strategy === "engine");
    if (job) {
      jobs.push({ ...job, label: `${job.label}*`, stability: true });
      await worker();
    }
  }
  const ours = summary("engine");
  const base = summary("baseline");
  const stability = results.find((r) => r.strategy === "engine" && r.changesAfterBalanced !== undefined);
  // The model's fidelity: how far each applied change moved its circuit's judged error, as a
  // share of what the engine expected (1 = landed where aimed).
  const fidelity = (valve: "flow-meter" | "lockshield") => {
    const ratios = results.filter((r) => r.strategy === "engine" && !r.label.endsWith("*")).flatMap((r) => r.responses.filter((x) => x.valve === valve).map((x) => x.observedK / x.expectedK));
    return ratios.length === 0
      ? `${valve}: no change to judge`
      : `${valve}: ${ratios.length} changes, observed ÷ expected p10 ${quantile(ratios, 0.1).toFixed(2)}, median ${quantile(ratios, 0.5).toFixed(2)}, p90 ${quantile(ratios, 0.9).toFixed(2)}`;
  };
  process.stdout.write(
    `\nengine:   median ${ours.median_rounds} rounds (p95 ${ours.p95_rounds}), median ${ours.median_days} days, ${ours.oscillations} oscillations, ${ours.unbalanced_at_end} of ${ours.houses} unbalanced after ${DAYS} days\n` +
      `baseline: median ${base.median_rounds} rounds (p95 ${base.p95_rounds}), median ${base.median_days} days, ${base.oscillations} oscillations, ${base.unbalanced_at_end} of ${base.houses} unbalanced after ${DAYS} days\n` +
      `model response (changes expected to move the spread by ≥ ${RESPONSE_MIN_K} K): ${fidelity("flow-meter")}; ${fidelity("lockshield")}\n` +
      `stability: ${stability ? `${stability.changesAfterBalanced} change(s) recommended in ${STABILITY_DAYS} days on the balanced ${stability.label} house` : "no balanced house to run it on"}\n` +
      `(dead band: ${process.env.FB_BENCH_DEAD_BAND ? `${process.env.FB_BENCH_DEAD_BAND} K for every house` : "each house's analysis.dead_band_k, default 0.4 K"}; ` +
      `a house never balanced counts ${DAYS} rounds; wall time ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`,
  );
  process.stdout.write(
    JSON.stringify({
      bench: "convergence",
      houses: ours.houses,
      median_rounds: ours.median_rounds,
      p95_rounds: ours.p95_rounds,
      median_days: ours.median_days,
      oscillations: ours.oscillations,
      unbalanced_at_end: ours.unbalanced_at_end,
      balanced_spurious_changes_30d: stability?.changesAfterBalanced ?? null,
      baseline_median_rounds: base.median_rounds,
      baseline_p95_rounds: base.p95_rounds,
      baseline_unbalanced_at_end: base.unbalanced_at_end,
    }) + "\n",
  );
}

await main();
