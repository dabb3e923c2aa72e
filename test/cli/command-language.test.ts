// Every command speaks the house file's language, numbers included (the example house is German).
import test from "ava";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../report/cli.js";

const root = new URL("../../", import.meta.url).pathname;
const HOUSE = join(root, "examples/house.yaml");

test.serial("grafana speaks German for a German house", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fb-lang-"));
  const r = await runCli(["grafana", HOUSE, "--out", dir], { FLOORBALANCE_SECRETS: "/nonexistent" });
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^geschrieben: /);
  t.regex(r.stdout, /dann Grafana neu starten/);
  t.notRegex(r.stdout, /\bwrote\b|restart Grafana/);
});

test.serial("simulate's summary is German, with German thousands separators", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fb-lang-"));
  const r = await runCli(["simulate", HOUSE, "--days", "0.05", "--start", "2026-01-05", "--out", join(dir, "x.lp")]);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /^0,05 Tage ab 2026-01-05T00:00:00\.000Z simuliert: \d{1,3}(\.\d{3})+ Messwerte, \d+ ungültige Lesungen in node_health gezählt, \d{1,3}(\.\d{3})* Zeilen nach /m);
  t.notRegex(r.stderr, /\breadings\b/);
});
