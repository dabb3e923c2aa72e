// Two real runs of the command (each start costs seconds: tsx compiles the whole CLI).
import test from "ava";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT } from "../../shared/exit-codes.js";
import { UserError } from "../../shared/errors.js";
import type { AnalysisResult } from "../../analyser/measurement/result.js";
import { parseLookback, parseNow, summary } from "../../cli/commands/analyse.js";
import { analyse } from "../../analyser/measurement/analyse.js";
import { freePort } from "../helpers/influxd.js";
import { smallHouseYaml, synthetic } from "./fixture.js";
import { toLineProtocol } from "./lines.js";

const dir = mkdtempSync(join(tmpdir(), "fb-analyse-cli-"));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));
const syn = synthetic({ hours: 30 });
writeFileSync(join(dir, "data.lp"), toLineProtocol(syn.data));
writeFileSync(join(dir, "house.yaml"), smallHouseYaml());

function cli(house: string, ...args: string[]) {
  return spawnSync(process.execPath, ["bin/floorbalance.js", "analyse", "--analysis-only", "-c", join(dir, house), "--calibration", join(dir, "cal.json"), ...args], {
    encoding: "utf8",
    env: { ...process.env, FLOORBALANCE_INFLUX_PASSWORD: "hunter2-secret", FLOORBALANCE_INFLUX_USERNAME: "fb" },
  });
}

// --analysis-only: the analyser's own output (REPORT's daily run adds engine, report and delivery).
test("analyse --analysis-only --json --file --now prints the typed result for that window", (t) => {
  const now = syn.data.start + 26 * 3600;
  const r = cli("house.yaml", "--json", "--file", join(dir, "data.lp"), "--now", String(now));
  t.is(r.status, EXIT.ok, r.stderr);
  const result = JSON.parse(r.stdout) as AnalysisResult;
  t.is(result.site, "Test");
  t.is(result.window.timezone, "Europe/Berlin");
  t.is(result.window.end, now);
  t.is(result.window.end - result.window.start, 24 * 3600);
  const a = result.manifolds[0].circuits[0];
  t.is(a.circuit, "a");
  t.is(a.status, "ok");
  t.true(a.spread!.ci.low < a.spread!.median_k && a.spread!.median_k < a.spread!.ci.high);
  t.truthy(a.flow.transit_lpm);
  t.truthy(a.quality);
  t.deepEqual(a.warnings, []);
});

test("an unreachable InfluxDB is one message and its exit code, never a stack or the password", async (t) => {
  const port = await freePort();
  writeFileSync(join(dir, "house-down.yaml"), smallHouseYaml(undefined, `http://127.0.0.1:${port}`));
  const r = cli("house-down.yaml", "--json");
  t.is(r.status, EXIT.influxUnreachable);
  t.regex(r.stderr, /cannot be reached/);
  t.notRegex(r.stderr, /\bat .*\.ts:\d+/);
  t.false(r.stderr.includes("hunter2-secret"));
  t.is(r.stdout, "");
});

test("the summary names every circuit with its spread and interval", (t) => {
  const text = summary(analyse(syn.house, syn.data));
  t.regex(text, /M1/);
  for (const id of ["a", "b", "c"]) t.regex(text, new RegExp(`\\n  ${id} +ΔT \\d+\\.\\d\\d K \\[\\d+\\.\\d\\d…\\d+\\.\\d\\d\\]`));
});

test("--now and --lookback are checked", (t) => {
  t.is(parseNow("1800000000"), 1_800_000_000);
  t.is(parseNow("2026-01-15T06:30:00+01:00"), 1_768_455_000);
  t.throws(() => parseNow("yesterday-ish"), { instanceOf: UserError, message: /--now "yesterday-ish" is not a time/ });
  t.is(parseLookback("36"), 36);
  t.throws(() => parseLookback("-1"), { instanceOf: UserError });
});
