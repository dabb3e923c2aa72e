import test from "ava";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const bin = join(process.cwd(), "bin/floorbalance.js");

test("floorbalance curve: fits the delivered curve from simulated ESPAltherma telemetry and prints the advice with the values to enter", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fb-curve-"));
  const house = readFileSync("examples/house.yaml", "utf8")
    .replace("language: de", "language: en")
    .replace(/(    heating_curve: .*\n)/, "$1  signals: { preset: espaltherma }\n");
  writeFileSync(join(dir, "house.yaml"), house);
  execFileSync("node", [bin, "simulate", "-c", "house.yaml", "--days", "1", "--start", "2026-01-10T00:00:00Z", "--telemetry", "--no-faults", "--out", "sim.lp"], { cwd: dir });
  const out = execFileSync("node", [bin, "curve", "-c", "house.yaml", "--file", "sim.lp", "--room", "Bad=+0.8", "--room", "Küche=+1", "--balanced"], { cwd: dir, encoding: "utf8" });
  t.regex(out, /Delivered curve \(\d+ hours/);
  t.regex(out, /Starts: /);
  t.regex(out, /Lower the heating curve/);
  t.regex(out, /Support point 0 °C: 34\.0 → 33\.\d °C/);
  const short = execFileSync("node", [bin, "curve", "-c", "house.yaml", "--file", "sim.lp", "--room", "Bad=-1", "--balanced"], { cwd: dir, encoding: "utf8" });
  t.notRegex(short, /Lower the heating curve/);
  const bad = spawnSync("node", [bin, "curve", "-c", "house.yaml", "--file", "sim.lp", "--room", "Bad"], { cwd: dir, encoding: "utf8" });
  t.not(bad.status, 0);
  t.regex(bad.stderr, /ROOM=K/);
  t.notRegex(bad.stderr, /at .*\.ts:\d+/, "no stack trace");
});
