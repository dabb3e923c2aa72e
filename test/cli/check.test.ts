import test from "ava";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { houseJsonSchema } from "../../shared/house/json-schema.js";

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ["bin/floorbalance.js", ...args], { encoding: "utf8", env: { ...process.env, FLOORBALANCE_DEBUG: "" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("check on the example exits 0 and reports 4 manifolds, 23 circuits, 31 sensors", (t) => {
  const r = cli("check", "--config", "examples/house.yaml");
  t.is(r.code, 0, r.err);
  t.regex(r.out, /4 nodes, 4 manifolds, 23 circuits, 31 sensors/);
});

test("check on a broken file exits 2 with path, line and fix, and no stack trace", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fb-check-"));
  const file = join(dir, "house.yaml");
  writeFileSync(file, readFileSync("examples/house.yaml", "utf8").replace(/setting_lpm: 0\.5/, "setting_lpm: 0.2"));
  const r = cli("check", "--config", file);
  t.is(r.code, 2);
  t.regex(r.err, /house\.yaml:\d+:\d+ error: circuits\[\d+\]\.valve\.setting_lpm: setting 0\.2 l\/min is outside/);
  t.regex(r.err, /fix it and run floorbalance check again/);
  t.notRegex(r.err, /\bat .*\.ts:\d+/);
});

test("check on a missing file exits 2 with a hint", (t) => {
  const r = cli("check", "--config", "/nonexistent/house.yaml");
  t.is(r.code, 2);
  t.regex(r.err, /does not exist; pass the right one with --config/);
});

test("the committed JSON Schema is the one the schema generates", (t) => {
  const committed = JSON.parse(readFileSync("shared/house.schema.json", "utf8"));
  t.deepEqual(committed, houseJsonSchema(), "run `npm run schema` and commit shared/house.schema.json");
  t.truthy((committed.properties as any).circuits);
});
