// npm run bench:analyse — speed against a real InfluxDB and accuracy against the simulator.
//
// Speed: a local influxd filled with 30 days of the example house at 10 s, then the per-minute
// rollup `floorbalance influx setup` creates, backfilled as a month of its continuous queries
// would have kept it (setup, not measured); then, in a fresh child process, the bare queries the
// analysis issues (recorded from one read, replayed with the same concurrency), and the full
// analysis (queries + reduction + analysis), with the child's peak RSS.
// Accuracy: the example house and 10 random houses, 7 simulated days each, sensor offsets σ 0.3 K
// (issue 19), analysed day by day (24 h windows, as the daily timer runs it) and scored against
// sim_truth: uncalibrated, after each calibration procedure as a person follows the guidance
// (bench/calibration-runs.ts), after a bath oracle, and (not with --quick) after the bundle with one
// ε for every sensor; the naive "mean of all data of the last 24 h" is scored on the same days.
// Last line: {"bench":"analyse",...} as the issue specifies.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type House } from "../shared/house/index.js";
import { loadHouseFile } from "../shared/house/load.js";
import { analyseDetailed, type AnalyseOptions } from "../analyser/measurement/analyse.js";
import type { SensorCalibration } from "../analyser/calibration/types.js";
import { bundleRun, combineHarvests, falseWindows, harvestRun, inPlaceRun } from "./calibration-runs.js";
import { runAnalysis } from "../analyser/sources/run.js";
import { readLineProtocol } from "../analyser/sources/file.js";
import { readInflux } from "../analyser/sources/influx.js";
import { setupRollup } from "../analyser/sources/rollup-setup.js";
import { merge, readTruth, score, summaryOf, type Score, type Truth } from "../analyser/measurement/score.js";
import type { MinuteSeries } from "../analyser/measurement/series.js";
import { median, quantile } from "../analyser/measurement/stats.js";
import { randomHouse, Simulation } from "../simulator/index.js";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startInfluxd } from "../test/helpers/influxd.js";

/** Wait until influxd's files stop changing (snapshots and compactions done); seconds waited. */
async function awaitCompaction(dir: string, maxS = 120): Promise<number> {
  const listing = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listing(join(d, e.name)) : [`${join(d, e.name)}:${statSync(join(d, e.name)).size}`]));
  const started = Date.now();
  let last = "";
  let stableSince = Date.now();
  while ((Date.now() - started) / 1000 < maxS) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = listing(dir).sort().join("\n");
    if (now !== last || /\.tmp:/.test(now)) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 8000) break;
  }
  return (Date.now() - started) / 1000;
}

const START = 1_767_225_600; // 2026-01-01 00:00 UTC
const DAY = 86_400;
const log = (s: string) => process.stderr.write(s + "\n");
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

// ---------------- child: the measured part ----------------

async function child(url: string, mode: "bare" | "full", start: number, end: number, statementsFile: string): Promise<void> {
  const { house: example } = loadHouseFile("examples/house.yaml");
  const house: House = { ...example, influx: { ...example.influx, url, database: "bench" } };
  const statements: string[] = JSON.parse(readFileSync(statementsFile, "utf8"));
  const t0 = performance.now();
  if (mode === "bare") {
    // The requests the analysis issues (recorded in the parent), the first two (sensor index,
    // rollup fields) before the rest as the analysis does, then 3 in flight; bodies read and dropped.
    const get = async (q: string) => {
      const res = await fetch(`${url}/query?${new URLSearchParams({ q, db: "bench", epoch: "s" })}`);
      await res.text();
    };
    await Promise.all(statements.slice(0, 2).map(get));
    let next = 2;
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        while (next < statements.length) await get(statements[next++]);
      }),
    );
  } else {
    const result = await runAnalysis(house, { kind: "influx", secrets: {} }, end, { lookbackH: (end - start) / 3600 });
    if (result.manifolds.length !== 4) throw new Error("analysis incomplete");
  }
  const wall = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ wall, rss_mb: process.resourceUsage().maxRSS / 1024 }) + "\n");
}

function measure(url: string, mode: "bare" | "full", start: number, end: number, statementsFile: string): { wall: number; rss_mb: number } {
  const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child", url, mode, String(start), String(end), statementsFile], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

/** Run the analysis's read once (setup, not measured) and keep the requests it issued. */
async function recordStatements(url: string, start: number, end: number, file: string): Promise<number> {
  const { house: example } = loadHouseFile("examples/house.yaml");
  const house: House = { ...example, influx: { ...example.influx, url, database: "bench" } };
  const statements: string[] = [];
  await readInflux(house, {}, { start, end }, { onStatement: (q) => statements.push(q), onWarning: (w) => log(`warning: ${w}`) });
  writeFileSync(file, JSON.stringify(statements));
  return statements.length;
}

// ---------------- setup: 30 days into influxd ----------------

async function fill(write: (body: string) => Promise<number>, house: House, days: number): Promise<number> {
  const sim = new Simulation(house, { start: START, days, seed: 1, truth: false });
  let readings = 0;
  for (let t = START; t < sim.end; t += DAY / 4) {
    const chunks: string[] = [];
    sim.run(Math.min(sim.end, t + DAY / 4), (c) => chunks.push(c));
    // Bodies under InfluxDB's 25 MB limit.
    let body = "";
    for (const c of chunks) {
      body += c;
      if (body.length > 8_000_000) {
        const s = await write(body);
        if (s !== 204) throw new Error(`write failed ${s}`);
        body = "";
      }
    }
    if (body) {
      const s = await write(body);
      if (s !== 204) throw new Error(`write failed ${s}`);
    }
    readings = sim.stats.readings;
    process.stderr.write(`\rfilling InfluxDB: day ${((t + DAY / 4 - START) / DAY).toFixed(2)}/${days}, ${(readings / 1e6).toFixed(2)} M readings`);
  }
  process.stderr.write("\n");
  return readings;
}

// ---------------- accuracy ----------------

function appendInto(target: MinuteSeries, part: MinuteSeries): void {
  for (const [rom, x] of part.byRom) {
    const y = target.byRom.get(rom);
    if (!y) target.byRom.set(rom, x);
    else for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) y[i] = x[i];
  }
}
function appendTruth(target: Truth, part: Truth): void {
  for (const key of ["flow", "supply", "ret"] as const) {
    for (const [id, x] of part[key]) {
      const y = target[key].get(id);
      if (!y) target[key].set(id, x);
      else for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) y[i] = x[i];
    }
  }
}

/**
 * A two-point calibration in a stirred bath (domain §4) finds each sensor's offset to a few
 * hundredths of a kelvin: the twin's true offsets plus N(0, 0.03 K), as a stored calibration.
 */
function benchCalibration(sim: Simulation, seed: number): Record<string, number> {
  let s = seed * 7919 + 17;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  return Object.fromEntries(sim.twin.truth().sensors.map((x) => [x.rom, x.offset_k + 0.03 * gauss()]));
}

/** σ of the sensor offsets in the accuracy runs (issue 19): genuine parts N(0, 0.3 K), plus clones and outliers. */
const OFFSET_SD_K = 0.3;

interface Variants {
  raw: Score;
  calibrated: Score;
  bundle: Score;
  inPlace: Score;
  harvested: Score;
  bundleMinutes: number[];
  stoppedMinutes: number[];
  converged: number;
  manifolds: number;
  replace: number;
  falseWindows: number;
}

function accuracy(house: House, seed: number, days: number, epsilon?: number): Variants {
  const sim = new Simulation(house, { start: START, days, seed, truth: true, sensorModel: { offsetSdK: OFFSET_SD_K, epsilon } });
  const window = { start: START, end: START + days * DAY };
  const data: MinuteSeries = { start: START, minutes: days * 1440, byRom: new Map() };
  const truth: Truth = { start: START, minutes: days * 1440, flow: new Map(), supply: new Map(), ret: new Map() };
  const bundle = bundleRun(house, sim, seed);
  let inPlace: ReturnType<typeof inPlaceRun> | undefined;
  const cuts: SensorCalibration[][] = [];
  // Side procedures at these times (the twin itself runs on as if nothing happened): the in-place
  // calibration on the warm-up day, power cuts on the following days.
  const events: [number, (ordinary: string) => void][] = [
    [START + 12 * 3600, (ordinary) => (inPlace = inPlaceRun(house, sim, ordinary, seed))],
    [START + DAY + 3 * 3600, (ordinary) => cuts.push(...harvestRun(house, [{ ordinary, sim, minutes: 60, seed: seed + 1 }]))],
    [START + 2 * DAY + 15 * 3600, (ordinary) => cuts.push(...harvestRun(house, [{ ordinary, sim, minutes: 90, seed: seed + 2 }]))],
  ];
  for (let t = START; t < sim.end; t += DAY) {
    const chunks: string[] = [];
    for (const [at, run] of events) {
      if (at < t || at >= t + DAY || at >= sim.end) continue;
      const before = chunks.length;
      sim.run(at, (c) => chunks.push(c));
      run(chunks.slice(Math.max(0, before - 1)).join(""));
    }
    sim.run(t + DAY, (c) => chunks.push(c));
    const text = chunks.join("");
    appendInto(data, readLineProtocol(text, window));
    appendTruth(truth, readTruth(text, window));
  }
  const harvested = combineHarvests(cuts);
  const variants: Record<"raw" | "calibrated" | "bundle" | "inPlace" | "harvested", Score[]> = { raw: [], calibrated: [], bundle: [], inPlace: [], harvested: [] };
  const calibration = benchCalibration(sim, seed);
  const options: Record<keyof typeof variants, AnalyseOptions> = {
    raw: {},
    calibrated: { calibration, calibrationSd: Object.fromEntries(Object.keys(calibration).map((r) => [r, 0.03])) },
    bundle: bundle.options,
    inPlace: inPlace?.options ?? {},
    harvested,
  };
  // Day by day, as the daily run sees it; the first day is the twin's warm-up.
  for (let d = 1; d < days; d++) {
    const from = d * 1440;
    const day: MinuteSeries = { start: START + d * DAY, minutes: 1440, byRom: new Map([...data.byRom].map(([rom, x]) => [rom, x.slice(from, from + 1440)])) };
    const dayTruth: Truth = {
      start: day.start,
      minutes: 1440,
      flow: new Map([...truth.flow].map(([k, x]) => [k, x.slice(from, from + 1440)])),
      supply: new Map([...truth.supply].map(([k, x]) => [k, x.slice(from, from + 1440)])),
      ret: new Map([...truth.ret].map(([k, x]) => [k, x.slice(from, from + 1440)])),
    };
    for (const k of Object.keys(variants) as (keyof typeof variants)[]) variants[k].push(score(house, analyseDetailed(house, day, options[k]), day, dayTruth));
  }
  return {
    raw: merge(variants.raw),
    calibrated: merge(variants.calibrated),
    bundle: merge(variants.bundle),
    inPlace: merge(variants.inPlace),
    harvested: merge(variants.harvested),
    bundleMinutes: bundle.minutes,
    stoppedMinutes: inPlace?.stoppedMin ?? [],
    converged: inPlace?.converged ?? 0,
    manifolds: house.manifolds.length,
    replace: bundle.replace,
    falseWindows: falseWindows(house, data),
  };
}

// ---------------- main ----------------

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--child") return child(args[1], args[2] as "bare" | "full", Number(args[3]), Number(args[4]), args[5]);
  const quick = args.includes("--quick");
  // --houses N: the example and N−1 random houses (a short variant while iterating).
  const num = (x: number, d = 3) => (Number.isFinite(x) ? round(x, d) : null);
  const speedDays = quick ? 3 : 30;
  const accuracyDays = quick ? 3 : 7;
  // --speed-only: skip the accuracy runs (their fields print as null).
  const housesFlag = args.indexOf("--houses");
  const randomHouses = housesFlag >= 0 ? Math.max(0, Number(args[housesFlag + 1]) - 1) : quick ? 2 : 10;
  const speedOnly = args.includes("--speed-only");

  const { house } = loadHouseFile("examples/house.yaml");
  // --accuracy-only: skip the (long) InfluxDB fill; the speed figures print as null.
  let speed = { wall: NaN, query: NaN, rss: NaN, readings: 0 };
  let daily = { wall: NaN, query: NaN, rss: NaN };
  // A server that has run for a month keeps that history compacted (InfluxDB snapshots and
  // compacts shards hours after writes stop); load the month, then let it reach that state.
  const influxd = args.includes("--accuracy-only") ? undefined : await startInfluxd({ compactPromptly: true });
  if (influxd) {
    const work = mkdtempSync(join(tmpdir(), "floorbalance-bench-"));
    try {
      await influxd.createDatabase("bench");
      const readings = await fill((body) => influxd.write("bench", body), house, speedDays);
      const settled = await awaitCompaction(influxd.dir);
      log(`compaction: the data directory settled after ${settled.toFixed(0)} s`);
      const start = START;
      const end = START + speedDays * DAY;
      // A server that has run the month with `floorbalance influx setup`'s continuous queries holds
      // the per-minute rollup of it: the setup's backfill builds the same (not measured).
      const t0 = performance.now();
      const setup = await setupRollup({ ...house, influx: { ...house.influx, url: influxd.url, database: "bench" } }, {}, { now: end });
      log(`rollup: ${setup.roms.length} sensors, ${((setup.backfill?.points ?? 0) / 1e6).toFixed(2)} M minute means backfilled in ${((performance.now() - t0) / 1000).toFixed(1)} s; compaction settled after ${(await awaitCompaction(influxd.dir)).toFixed(0)} s`);
      const month = join(work, "month.json");
      const day = join(work, "day.json");
      log(`requests the analysis issues: ${await recordStatements(influxd.url, start, end, month)} for ${speedDays} days, ${await recordStatements(influxd.url, end - DAY, end, day)} for the last 24 h`);
      // Warm the server's caches the same way for both measurements; then bare and full in turns,
      // so load from other work on the machine falls on both alike.
      measure(influxd.url, "bare", start, end, month);
      const bare: { wall: number; rss_mb: number }[] = [];
      const full: { wall: number; rss_mb: number }[] = [];
      for (let k = 0; k < 3; k++) {
        bare.push(measure(influxd.url, "bare", start, end, month));
        full.push(measure(influxd.url, "full", start, end, month));
      }
      log(`  runs: bare ${bare.map((x) => x.wall.toFixed(2)).join(", ")} s; full ${full.map((x) => x.wall.toFixed(2)).join(", ")} s`);
      speed = { wall: median(full.map((x) => x.wall)), query: median(bare.map((x) => x.wall)), rss: Math.max(...full.map((x) => x.rss_mb)), readings };
      // The daily run's own window (24 h) in the same 30-day database.
      const bareDay = measure(influxd.url, "bare", end - DAY, end, day);
      const fullDay = measure(influxd.url, "full", end - DAY, end, day);
      daily = { wall: fullDay.wall, query: bareDay.wall, rss: fullDay.rss_mb };
    } finally {
      await influxd.stop();
      rmSync(work, { recursive: true, force: true });
    }
    log(`speed: ${(speed.readings / 1e6).toFixed(2)} M readings over ${speedDays} days`);
    log(`  full analysis        ${speed.wall.toFixed(2)} s   (goal ≤ 10 s)`);
    log(`  bare aggregate queries ${speed.query.toFixed(2)} s`);
    log(`  ratio                ${(speed.wall / speed.query).toFixed(2)}     (goal ≤ 1.5)`);
    log(`  peak RSS             ${speed.rss.toFixed(0)} MB  (goal ≤ 300 MB)`);
    log(`  daily 24 h window in the same database: full ${daily.wall.toFixed(2)} s, bare queries ${daily.query.toFixed(2)} s, ratio ${(daily.wall / daily.query).toFixed(2)}, peak RSS ${daily.rss.toFixed(0)} MB`);
  }

  const runs: Variants[] = [];
  const noCoupling: Score[] = [];
  log(`accuracy: ${accuracyDays} simulated days per house, sensor offsets σ ${OFFSET_SD_K} K (clones, outliers), scored per daily window`);
  const houses: [string, House, number][] = speedOnly ? [] : [["example", house, 1]];
  for (let i = 0; i < (speedOnly ? 0 : randomHouses); i++) houses.push([`random-${101 + i}`, randomHouse(101 + i).house, 101 + i]);
  const k2 = (s: Score) => summaryOf(s).dt_error_k.toFixed(2);
  for (const [name, h, seed] of houses) {
    const v = accuracy(h, seed, accuracyDays);
    runs.push(v);
    // The same house with one ε for every sensor: what is left of the bundle's error without the air coupling.
    if (!quick) noCoupling.push(accuracy(h, seed, accuracyDays, 0.05).bundle);
    const f = summaryOf(v.calibrated);
    log(
      `  ${name.padEnd(11)} ΔT uncalibrated ${k2(v.raw)}  bundle ${k2(v.bundle)}  in place ${k2(v.inPlace)}  harvested ${k2(v.harvested)}  bath ${f.dt_error_k.toFixed(2)} K  (naive ${f.naive_dt_error_k.toFixed(2)})` +
        `  share ${(f.flow_share_error * 100).toFixed(1)} %  transit ${(f.transit_flow_error * 100).toFixed(1)} %  judged ${f.circuits_ok}` +
        `  | bundle ${v.bundleMinutes.join("/")} min, stopped ${v.stoppedMinutes.join("/")} min (${v.converged}/${v.manifolds} levelled), replace ${v.replace}, false stop windows ${v.falseWindows}`,
    );
  }
  const pick = (k: "raw" | "calibrated" | "bundle" | "inPlace" | "harvested") => merge(runs.map((r) => r[k]));
  const all = summaryOf(pick("calibrated"));
  const med = (k: Parameters<typeof pick>[0]) => median(pick(k).dtErrorsK);
  const p95 = (k: Parameters<typeof pick>[0]) => quantile(pick(k).dtErrorsK, 0.95);
  const bundleMin = runs.flatMap((r) => r.bundleMinutes);
  const stoppedMin = runs.flatMap((r) => r.stoppedMinutes);
  const noCouplingMedian = noCoupling.length ? median(merge(noCoupling).dtErrorsK) : NaN;
  const noCouplingP95 = noCoupling.length ? quantile(merge(noCoupling).dtErrorsK, 0.95) : NaN;
  log("");
  log(`                              median     p95     goal (issue 19)`);
  log(`  ΔT error, uncalibrated    ${med("raw").toFixed(3).padStart(7)} K ${p95("raw").toFixed(3).padStart(7)} K   (only the isothermal self-calibration)`);
  log(`  ΔT error, bundle          ${med("bundle").toFixed(3).padStart(7)} K ${p95("bundle").toFixed(3).padStart(7)} K   ≤ 0.1 / ≤ 0.2 K`);
  log(`  ΔT error, in place        ${med("inPlace").toFixed(3).padStart(7)} K ${p95("inPlace").toFixed(3).padStart(7)} K   ≤ 0.1 / ≤ 0.2 K`);
  log(`  ΔT error, harvested       ${med("harvested").toFixed(3).padStart(7)} K ${p95("harvested").toFixed(3).padStart(7)} K   (two power cuts)`);
  log(`  ΔT error, bath (oracle)   ${med("calibrated").toFixed(3).padStart(7)} K ${p95("calibrated").toFixed(3).padStart(7)} K   (true offsets + N(0, 0.03 K))`);
  if (noCoupling.length) log(`  ΔT error, bundle, one ε   ${noCouplingMedian.toFixed(3).padStart(7)} K ${noCouplingP95.toFixed(3).padStart(7)} K   (every sensor's air coupling 0.05: the offset part alone)`);
  log(`  naive 24 h mean           ${all.naive_dt_error_k.toFixed(3).padStart(7)} K`);
  log(`  person's time: bundle ${median(bundleMin).toFixed(0)} min median (max ${Math.max(...bundleMin)}) in the pot + ≈ 10 min hands-on (goal < 90); in place 45 min standby + ${median(stoppedMin).toFixed(0)} min stopped (max ${Math.max(...stoppedMin)}; goal < 120)`);
  log(`  flow share error        ${(all.flow_share_error * 100).toFixed(1).padStart(8)} %   (meters as shares: ${(all.naive_share_error * 100).toFixed(1)} %)   ≤ 10 %`);
  log(`  transit flow error      ${(all.transit_flow_error * 100).toFixed(1).padStart(8)} %   ≤ 15 %`);
  log(`  circuits judged         ${all.circuits_ok}`);
  process.stdout.write(
    JSON.stringify({
      bench: "analyse",
      wall_s: num(speed.wall),
      query_s: num(speed.query),
      ratio: num(speed.wall / speed.query),
      peak_rss_mb: num(speed.rss, 1),
      dt_error_k: num(all.dt_error_k),
      flow_share_error: num(all.flow_share_error),
      transit_flow_error: num(all.transit_flow_error),
      naive_dt_error_k: num(all.naive_dt_error_k),
      dt_error_k_uncalibrated: num(med("raw")),
      dt_error_k_bundle: num(med("bundle")),
      dt_error_k_in_place: num(med("inPlace")),
      dt_error_k_harvested: num(med("harvested")),
      dt_error_k_p95_bundle: num(p95("bundle")),
      dt_error_k_p95_in_place: num(p95("inPlace")),
      dt_error_k_bundle_one_epsilon: num(noCouplingMedian),
      bundle_minutes: num(median(bundleMin), 0),
      in_place_stopped_minutes: num(median(stoppedMin), 0),
    }) + "\n",
  );
}

await main();
