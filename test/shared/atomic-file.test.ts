import test from "ava";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STALE_TEMP_MS, writeFileAtomic } from "../../shared/atomic-file.js";

test("temp files left by a killed writer are removed by the next write; a live writer's recent one stays", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fb-atomic-"));
  const file = join(dir, "state.json");
  // A real kill -9 mid-write: a child creates its temp file the way writeFileAtomic names it, and dies.
  const child = spawn(process.execPath, ["-e", `require("fs").writeFileSync(${JSON.stringify(dir)} + "/.state.json." + process.pid + "." + Date.now() + ".tmp", "x".repeat(600000)); setInterval(() => {}, 1000)`]);
  await new Promise((r) => setTimeout(r, 400));
  while (!readdirSync(dir).some((f) => f.endsWith(".tmp"))) await new Promise((r) => setTimeout(r, 100));
  const killed = readdirSync(dir)[0]!;
  child.kill("SIGKILL");
  await new Promise((r) => child.once("exit", r));
  const now = Date.now();
  const live = `.state.json.${process.ppid}.${now}.tmp`; // the parent is alive, and the file is recent
  const oldLive = `.state.json.${process.ppid}.${now - STALE_TEMP_MS - 60_000}.tmp`;
  const other = `.other.json.999999999.${now}.tmp`; // another file's temp: not ours to touch
  for (const f of [live, oldLive, other]) writeFileSync(join(dir, f), "x");
  const old = new Date(now - STALE_TEMP_MS - 60_000);
  utimesSync(join(dir, oldLive), old, old);

  writeFileAtomic(file, "{}\n");
  t.is(readFileSync(file, "utf8"), "{}\n");
  const left = readdirSync(dir).sort();
  t.false(left.includes(killed), "the killed writer's temp file is gone");
  t.false(left.includes(oldLive), "an old temp file is gone whoever wrote it");
  t.true(left.includes(live), "a live writer's recent temp file stays");
  t.true(left.includes(other));
});
