// The per-minute rollup against a real influxd: `setupRollup` (what `floorbalance influx setup`
// runs) and the analysis reading it. Continuous queries run on wall-clock time, so the tests
// build the rollup with the setup's backfill (the same SELECT … INTO) up to a chosen "now".
import anyTest, { type ExecutionContext, type TestFn } from "ava";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT } from "../../shared/exit-codes.js";
import { UserError } from "../../shared/errors.js";
import { encodePoint } from "../../shared/line-protocol.js";
import { temperaturePoint } from "../../shared/measurements.js";
import { readInflux } from "../../analyser/sources/influx.js";
import { cqName, gapRuns, GAP_MERGE_MIN, rollupRoms } from "../../analyser/sources/rollup.js";
import { setupRollup } from "../../analyser/sources/rollup-setup.js";
import type { MinuteSeries } from "../../analyser/measurement/series.js";
import { freePort, useInfluxd } from "../helpers/influxd.js";
import { ROMS, smallHouse, smallHouseYaml } from "./fixture.js";

const { test, influxd } = useInfluxd(anyTest as TestFn);
const HOURS = 6;
const START = 1_800_000_000 - (1_800_000_000 % 3600);
const END = START + HOURS * 3600;
const window = { start: START, end: END };
const UNMAPPED = "28-0316a27a4b74";
const NEWCOMER = "28-0316a27a5c21";

/** 10 s readings: a slow swing with some ripple per sensor, some minutes thin (2 readings), one sensor silent for 7 minutes. */
function readings(roms: string[], from: number, to: number, seed = 1): string {
  const lines: string[] = [];
  roms.forEach((rom, k) => {
    for (let t = from; t < to; t += 10) {
      const c = 25 + 3 * k + 2 * Math.sin(t / 1800 + k + seed) + 0.07 * Math.sin(t * 1.37 + seed);
      const minute = Math.floor((t - START) / 60);
      if (rom === ROMS.circuits[2] && minute >= 100 && minute < 107) continue;
      if (minute % 37 === 5 && (t % 60) / 10 >= 2) continue;
      lines.push(encodePoint(temperaturePoint({ node: "n1", bus: "0", rom, celsius: Math.round(c * 1e4) / 1e4, time: t, mapped: rom !== UNMAPPED })));
    }
  });
  return lines.join("\n") + "\n";
}

const ROLLED = [ROMS.supply, ROMS.ret, ...ROMS.circuits, UNMAPPED];
const houseAt = (database: string) => ({ ...smallHouse(), influx: { url: influxd().url, database, retention_policy: "autogen" } });

async function load(database: string, body: string): Promise<void> {
  await influxd().createDatabase(database);
  const status = await influxd().write(database, body);
  if (status !== 204) throw new Error(`write failed: ${status}`);
}

/** Read both ways; return the rollup read's statements and warnings. */
async function bothWays(database: string) {
  const statements: string[] = [];
  const warnings: string[] = [];
  const rolled = await readInflux(houseAt(database), {}, window, { chunkS: 2 * 3600, onStatement: (q) => statements.push(q), onWarning: (w) => warnings.push(w) });
  const raw = await readInflux(houseAt(database), {}, window, { chunkS: 2 * 3600, rollup: false, onWarning: (w) => warnings.push(`raw: ${w}`) });
  return { rolled, raw, statements, warnings };
}

function assertSame(t: ExecutionContext, a: MinuteSeries, b: MinuteSeries): void {
  t.deepEqual([...a.byRom.keys()].sort(), [...b.byRom.keys()].sort());
  let compared = 0;
  for (const [rom, x] of b.byRom) {
    const y = a.byRom.get(rom)!;
    for (let i = 0; i < x.length; i++) {
      if (Number.isNaN(x[i]) !== Number.isNaN(y[i]) || Math.abs(x[i] - y[i]) > 1e-9) return void t.fail(`${rom} minute ${i}: rollup ${y[i]}, raw ${x[i]}`);
      if (!Number.isNaN(x[i])) compared++;
    }
  }
  t.true(compared > 0);
  t.deepEqual([...a.seen!].sort(), [...b.seen!].sort());
  t.deepEqual(a.nodes, b.nodes);
}

/** Raw per-minute aggregates that are not confined to one sensor (the expensive kind). */
const wideRaw = (statements: string[]) => statements.flatMap((q) => q.split(";")).filter((q) => /FROM "temperature" /.test(q) && /GROUP BY time\(1m\)/.test(q) && !/"rom" = '/.test(q));
const rollupReads = (statements: string[]) => statements.filter((q) => /^SELECT .* FROM "temperature_1m"/.test(q));

test("setup keeps a rollup of every sensor, and the analysis reads the same minute means from it", async (t) => {
  await load("rolled", readings(ROLLED, START, END));
  const report = await setupRollup(houseAt("rolled"), {}, { now: END });
  t.false(report.createdDatabase);
  t.deepEqual(report.roms, [...ROLLED].sort());
  t.deepEqual(report.backfill && { start: report.backfill.start, end: report.backfill.end }, { start: START, end: END });
  const cqs = (await influxd().query("SHOW CONTINUOUS QUERIES"))[0].series.find((s: { name: string }) => s.name === "rolled").values;
  t.deepEqual(cqs.map((row: string[]) => row[0]).sort(), ROLLED.map(cqName).sort());
  t.regex(cqs[0][1], /RESAMPLE EVERY 1m FOR 1h BEGIN SELECT mean\(celsius\) AS "28-[0-9a-f]{12}" INTO rolled\.autogen\.temperature_1m FROM rolled\.autogen\.temperature WHERE rom = '28-[0-9a-f]{12}' GROUP BY time\(1m\) END/);

  const { rolled, raw, statements, warnings } = await bothWays("rolled");
  assertSame(t, rolled, raw);
  t.deepEqual(warnings, []);
  t.is(rollupReads(statements).length, 3);
  t.deepEqual(wideRaw(statements), []);
  // The silent sensor's 7 minutes are asked of the raw data (which has none either), nothing else.
  const gaps = statements.flatMap((q) => q.split(";")).filter((q) => /"rom" = '/.test(q));
  t.is(gaps.length, 1);
  t.regex(gaps[0], new RegExp(`time >= ${START + 100 * 60}s AND time < ${START + 107 * 60}s AND "rom" = '${ROMS.circuits[2]}'`));
});

test("minutes the rollup lacks (its newest, late readings, a new sensor) come from the raw data", async (t) => {
  const cut = END - 50 * 60;
  await load("lag", readings(ROLLED, START, END));
  await setupRollup(houseAt("lag"), {}, { now: cut });
  // After the rollup was made: a sensor added, and late readings in the silent sensor's gap.
  const late: string[] = [];
  for (let t = START + 100 * 60; t < START + 107 * 60; t += 10) late.push(encodePoint(temperaturePoint({ node: "n1", bus: "0", rom: ROMS.circuits[2], celsius: 31.5 + (t % 60) / 100, time: t, mapped: true })));
  await influxd().write("lag", readings([NEWCOMER], START, END, 3) + late.join("\n") + "\n");

  const { rolled, raw, statements, warnings } = await bothWays("lag");
  assertSame(t, rolled, raw);
  t.false(Number.isNaN(rolled.byRom.get(ROMS.circuits[2])![103]));
  t.is(rolled.byRom.get(NEWCOMER)!.filter(Number.isFinite).length, HOURS * 60);
  t.deepEqual(wideRaw(statements), []);
  t.deepEqual(warnings, [`the rollup in InfluxDB database "lag" lacks 1 sensor(s) (${NEWCOMER}), read from raw data; run floorbalance influx setup again`]);
  // Re-running setup takes the newcomer in and leaves nothing to the raw data but the last 50 minutes.
  const again = await setupRollup(houseAt("lag"), {}, { now: cut });
  t.true(again.roms.includes(NEWCOMER));
  t.deepEqual(again.replaced, []);
});

test("a rollup that stopped while readings go on is read around, with a hint at the continuous queries", async (t) => {
  await load("stale", readings(ROLLED, START, END));
  await setupRollup(houseAt("stale"), {}, { now: START + 3 * 3600 });
  const { rolled, raw, warnings } = await bothWays("stale");
  assertSame(t, rolled, raw);
  t.is(warnings.length, 1);
  t.regex(warnings[0], new RegExp(`rollup in InfluxDB database "stale" ends at ${new Date((START + 3 * 3600 - 60) * 1000).toISOString()} though readings go on; check that InfluxDB runs continuous queries`));
});

test("a database without the rollup is read from raw data, with one notice", async (t) => {
  await load("plain", readings(ROLLED, START, START + 3600));
  const { rolled, raw, statements, warnings } = await bothWays("plain");
  assertSame(t, rolled, raw);
  t.deepEqual(rollupReads(statements), []);
  t.deepEqual(warnings, ['InfluxDB database "plain" has no per-minute rollup; run floorbalance influx setup for a faster analysis']);
});

test("setup creates a missing database, is idempotent, and replaces a changed continuous query", async (t) => {
  const first = await setupRollup(houseAt("fresh"), {}, { now: END });
  t.true(first.createdDatabase);
  t.is(first.backfill, undefined); // no readings yet
  t.deepEqual(first.roms, [ROMS.supply, ROMS.ret, ...ROMS.circuits].sort());
  await influxd().query(`DROP CONTINUOUS QUERY "${cqName(ROMS.supply)}" ON "fresh"`);
  await influxd().query(`CREATE CONTINUOUS QUERY "${cqName(ROMS.supply)}" ON "fresh" BEGIN SELECT max("celsius") AS "x" INTO "fresh"."autogen"."temperature_1m" FROM "fresh"."autogen"."temperature" GROUP BY time(5m) END`);
  const second = await setupRollup(houseAt("fresh"), {}, { now: END });
  t.false(second.createdDatabase);
  t.deepEqual(second.replaced, [ROMS.supply]);
  const third = await setupRollup(houseAt("fresh"), {}, { now: END });
  t.deepEqual(third.replaced, []);
  const cqs = (await influxd().query("SHOW CONTINUOUS QUERIES"))[0].series.find((s: { name: string }) => s.name === "fresh").values;
  t.is(cqs.length, 5);
  t.false(cqs.some((row: string[]) => /max\(/.test(row[1])));
});

test("setup against an unreachable server is one clear error with its own exit code", async (t) => {
  const port = await freePort();
  const house = { ...smallHouse(), influx: { url: `http://127.0.0.1:${port}`, database: "x", retention_policy: "autogen" } };
  const err = await t.throwsAsync(setupRollup(house, {}, { now: END }), { instanceOf: UserError });
  t.is(err!.exitCode, EXIT.influxUnreachable);
});

test("floorbalance influx setup runs from the command line", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fb-influx-setup-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "house.yaml"), smallHouseYaml(undefined, influxd().url).replace("influx: {", 'influx: { database: "clidb",'));
  // The command backfills up to the real now: readings from the last hours.
  const from = Math.floor(Date.now() / 1000 / 3600) * 3600 - 3 * 3600;
  await load("clidb", readings(ROLLED, from, from + 3600));
  const r = spawnSync(process.execPath, ["bin/floorbalance.js", "influx", "setup", "-c", join(dir, "house.yaml")], { encoding: "utf8" });
  t.is(r.status, EXIT.ok, r.stderr);
  t.regex(r.stdout, /6 continuous queries keep "temperature_1m"/);
  t.regex(r.stdout, /backfilled .* 360 sensor-minutes/);
});

test("the rollup's sensors are float fields named by a canonical ROM", (t) => {
  t.deepEqual(rollupRoms([["28-0316a2795f77", "float"], ["celsius", "float"], ["28-0316a2796bb7", "integer"], ["28-0316A2797244", "float"]]), ["28-0316a2795f77"]);
});

test("missing minutes become runs per sensor, near runs joined", (t) => {
  const have = new Uint8Array(200).fill(1);
  have.fill(0, 10, 12);
  have.fill(0, 12 + GAP_MERGE_MIN - 1, 12 + GAP_MERGE_MIN);
  have.fill(0, 190, 200);
  t.deepEqual(gapRuns(["a", "b", "c"], new Map([["a", have], ["b", new Uint8Array(200).fill(1)]]), 200), [
    { rom: "a", from: 10, to: 12 + GAP_MERGE_MIN },
    { rom: "a", from: 190, to: 200 },
    { rom: "c", from: 0, to: 200 },
  ]);
});
