// floorbalance calibrate bundle against a real InfluxDB 1.6 on 127.0.0.1: the readings come from
// the server, the calibration file is written beside the house file and mirrored back to the
// server as sensor_calibration points (for Grafana).
import anyTest from "ava";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useInfluxd } from "../helpers/influxd.js";
import { runCli } from "../commissioning/run-cli.js";
import { fixture, START } from "./fixtures.js";

const { test, influxd } = useInfluxd(anyTest);
const dir = mkdtempSync(join(tmpdir(), "fb-calibrate-influx-"));
process.env.FLOORBALANCE_SECRETS = join(dir, "none.yaml");
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

test.serial("bundle from InfluxDB: fitted, written beside the house file and mirrored as sensor_calibration", async (t) => {
  const f = fixture();
  const db = influxd();
  await db.createDatabase("floorbalance");
  t.is(await db.write("floorbalance", f.bundle.text), 204);
  const house = join(dir, "house.yaml");
  writeFileSync(house, readFileSync("examples/house.yaml", "utf8").replace(/url: http:\/\/127\.0\.0\.1:8086/, `url: ${db.url}`).replace(/language: \w+/, "language: en"));
  const run = await runCli(["calibrate", "bundle", "-c", house, "--node", f.bundle.node, "--now", String(START + 82 * 60)]);
  t.is(run.code, 0, run.stderr);
  t.regex(run.stdout, /Done: enough range/);
  t.regex(run.stdout, /Mirrored 10 calibrations to InfluxDB/);
  const cal = JSON.parse(readFileSync(join(dir, "house.calibration.json"), "utf8"));
  t.is(Object.keys(cal.sensors).length, 10);
  const rows = await db.query('SELECT "offset_k", "sd_k", "gain", "rom" FROM "sensor_calibration"', "floorbalance");
  const values: any[][] = rows[0]?.series?.[0]?.values ?? [];
  t.is(values.length, 10);
  const rom = Object.keys(cal.sensors)[0];
  const row = values.find((v) => v[4] === rom)!;
  t.is(row[1], cal.sensors[rom].offset_k);
});

test.serial("calibrate mirror into a database that does not exist: the classifier's message and fix, exit code 4", async (t) => {
  const db = influxd();
  const house = join(dir, "house.yaml");
  writeFileSync(house, readFileSync("examples/house.yaml", "utf8").replace(/url: http:\/\/127\.0\.0\.1:8086/, `url: ${db.url}`).replace(/language: \w+/, "language: en").replace(/database: \w+/, "database: not_there"));
  t.true(existsSync(join(dir, "house.calibration.json")), "the bundle test above (serial, first) wrote the calibration file");
  const run = await runCli(["calibrate", "mirror", "-c", house]);
  t.is(run.code, 4, run.stderr);
  t.regex(run.stderr, /InfluxDB at http:\/\/127\.0\.0\.1:\d+ has no database "not_there"/);
  t.regex(run.stderr, /how to fix: create it \(CREATE DATABASE "not_there"\)/);
  t.notRegex(run.stderr, /at .+\.ts:\d+/, "no stack trace");
});
