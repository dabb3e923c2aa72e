import test from "ava";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ["bin/floorbalance.js", ...args], { encoding: "utf8", env: { ...process.env, FLOORBALANCE_DEBUG: "" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), "fb-apply-"));
  const house = join(dir, "house.yaml");
  copyFileSync("examples/house.yaml", house);
  return { dir, house, state: join(dir, "state.json") };
}

test("apply --set records meter readings in the state file and the house file, keeping comments", (t) => {
  const w = workspace();
  const r = cli("apply", "--config", w.house, "--state", w.state, "--no-influx", "--set", "bad=1.2", "--at", "2026-01-15T08:30");
  t.is(r.code, 0, r.err);
  // The example house reports in German: so does the command, with German dates.
  t.regex(r.out, /^1 Änderung in \S+state\.json eingetragen:/);
  // Applied 08:30 site time; the default settle time (analysis.settle_h, 20 h) ends 04:30 next day.
  t.regex(r.out, /wartet 20 h .*nächstes Urteil nach 16\.01\.2026 04:30/);
  t.notRegex(r.out, /recorded|the engine waits/);
  const state = JSON.parse(readFileSync(w.state, "utf8"));
  t.is(state.settings.bad.value, 1.2);
  t.is(state.events[0].kind, "applied");
  const text = readFileSync(w.house, "utf8");
  t.regex(text, /# The homeowner's house/);
  t.regex(text, /id: bad[\s\S]*?setting_lpm: 1\.2/);
});

test("apply without open recommendations, or with a bad value, exits 2 with a hint and no stack trace", (t) => {
  const w = workspace();
  const none = cli("apply", "--config", w.house, "--state", w.state, "--no-influx", "--all");
  t.is(none.code, 2);
  t.regex(none.err, /no open recommendations/);
  t.regex(none.err, /how to fix/);
  const bad = cli("apply", "--config", w.house, "--state", w.state, "--no-influx", "--set", "bad=9");
  t.is(bad.code, 2);
  t.regex(bad.err, /outside the meter's scale/);
  t.notRegex(bad.err, /\bat .*\.ts:\d+/);
});
