// `floorbalance analyse` end to end: file source → analysis → engine → report → Discord stand-in.

import test from "ava";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simulate } from "../../simulator/index.js";
import { startDiscordStandIn, violations } from "../helpers/discord-standin.js";
import { exampleHouse } from "./fixtures.js";
import { runCli } from "./cli.js";

const root = new URL("../../", import.meta.url).pathname;
const HOUSE = join(root, "examples/house.yaml");

function run(args: string[], env: Record<string, string | undefined>) {
  return runCli(args, { FLOORBALANCE_DISCORD_WEBHOOK: undefined, ...env, FLOORBALANCE_SECRETS: "/nonexistent" });
}

const dir = mkdtempSync(join(tmpdir(), "fb-analyse-"));
const data = join(dir, "day.lp");
test.before(() => {
  let text = "";
  simulate(exampleHouse(), { start: Date.UTC(2026, 0, 12, 5, 0) / 1000, days: 1, seed: 5, outputIntervalS: 60 }, (c) => (text += c));
  writeFileSync(data, text);
});

test.serial("dry run prints the report and sends nothing; the full run sends once a day; --force again; the token never shows", async (t) => {
  const s = await startDiscordStandIn();
  try {
    const env = { FLOORBALANCE_DISCORD_WEBHOOK: s.url, XDG_STATE_HOME: join(dir, "state") };
    const common = ["analyse", "-c", HOUSE, "--file", data];
    const dry = await run([...common, "--dry-run"], env);
    t.is(dry.code, 0, dry.stderr);
    t.regex(dry.stdout, /^Abgleich Einfamilienhaus Kernsanierung – \d\d\.\d\d\.\d{4}\n═+\n.+\nHeute: /);
    t.regex(dry.stdout, /EG Süd\n\s+Raum\s+Kreis\s+Zu tun\s+ΔT \/ Ziel\s+Durchfluss/);
    t.is(s.requests.length, 0);

    const full = await run(common, env);
    t.is(full.code, 0, full.stderr);
    t.true(s.received.length >= 1);
    t.true(s.received.every((r) => r.wait));
    t.is(s.received[0].files[0].filename, "chart.png");
    t.deepEqual([...s.received[0].files[0].head.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(""), "PNG");
    s.received.forEach((r, i) => t.deepEqual(violations(r.payload, r.files.length), [], `message ${i}`));
    t.regex(full.stderr, /Bericht vom \d{4}-\d\d-\d\d an Discord gesendet/);
    const sent = s.received.length;

    const again = await run(common, env);
    t.is(again.code, 0, again.stderr);
    t.is(s.received.length, sent, "a second run the same day sends nothing");
    t.regex(again.stderr, /schon gesendet; nichts Neues gesendet/);

    const forced = await run([...common, "--force"], env);
    t.is(forced.code, 0, forced.stderr);
    t.is(s.received.length, 2 * sent);

    for (const r of [dry, full, again, forced]) t.false((r.stdout + r.stderr).includes("s3cr3t-t0ken"));
  } finally {
    await s.close();
  }
});

test.serial("Discord refusing the report: exit 6, it stays in the outbox, and the next run sends it", async (t) => {
  const s = await startDiscordStandIn();
  try {
    const env = { FLOORBALANCE_DISCORD_WEBHOOK: s.url, XDG_STATE_HOME: join(dir, "state2") };
    const common = ["analyse", "-c", HOUSE, "--file", data];
    s.faults.push({ kind: "404" });
    const failed = await run(common, env);
    t.is(failed.code, 6, failed.stderr);
    t.regex(failed.stderr, /nicht gesendet: the webhook does not exist/);
    t.false(failed.stderr.includes("s3cr3t-t0ken"));
    t.is(readdirSync(join(dir, "state2/floorbalance/outbox")).filter((f) => f.endsWith(".json")).length, 1);
    const retry = await run(common, env);
    t.is(retry.code, 0, retry.stderr);
    t.true(s.received.length >= 1);
  } finally {
    await s.close();
  }
});

test.serial("no webhook configured: a clear message naming the secret, before any work", async (t) => {
  const r = await run(["analyse", "-c", HOUSE, "--file", data], { XDG_STATE_HOME: join(dir, "state3") });
  t.is(r.code, 7);
  t.regex(r.stderr, /the secret discord_webhook is missing/);
  t.regex(r.stderr, /FLOORBALANCE_DISCORD_WEBHOOK/);
});

test.serial("--json prints the analysis with the engine's decisions and sends nothing", async (t) => {
  const r = await run(["analyse", "-c", HOUSE, "--file", data, "--json"], { XDG_STATE_HOME: join(dir, "state4") });
  t.is(r.code, 0, r.stderr);
  const parsed = JSON.parse(r.stdout);
  t.is(parsed.manifolds.length, 4);
  t.true(Array.isArray(parsed.engine.verdicts));
  t.is(parsed.engine.verdicts.length, 23);
});

test.serial("after a failed delivery, the next run prints the queued report it sends, not a new one", async (t) => {
  const s = await startDiscordStandIn();
  try {
    const env = { FLOORBALANCE_DISCORD_WEBHOOK: s.url, XDG_STATE_HOME: join(dir, "state5") };
    const common = ["analyse", "-c", HOUSE, "--file", data];
    s.faults.push({ kind: "404" });
    const failed = await run(common, env);
    t.is(failed.code, 6, failed.stderr);
    t.regex(failed.stdout, /Zyklus 1 /);
    const retry = await run(common, env);
    t.is(retry.code, 0, retry.stderr);
    // What the terminal (and the journal) shows is what Discord got: the stored cycle-1 report.
    t.regex(retry.stdout, /^Aus dem Postausgang: der Bericht vom \d{4}-\d\d-\d\d, so wie er an Discord geht \(nicht neu berechnet\)\.\n\n/);
    t.true(retry.stdout.endsWith(failed.stdout));
    t.notRegex(retry.stdout, /Zyklus 2 /);
    t.true(s.received.some((r) => JSON.stringify(r.payload).includes("Zyklus 1 ")));
  } finally {
    await s.close();
  }
});

test.serial("no data for the window: one line at the top, exit 11 (EXIT.noData), and the short report is still sent", async (t) => {
  const s = await startDiscordStandIn();
  try {
    const empty = join(dir, "empty.lp");
    writeFileSync(empty, "# nothing came\n");
    const env = { FLOORBALANCE_DISCORD_WEBHOOK: s.url, XDG_STATE_HOME: join(dir, "state-empty") };
    const common = ["analyse", "-c", HOUSE, "--file", empty, "--now", "2026-01-13T06:30:00+01:00"];
    const dry = await run([...common, "--dry-run"], env);
    t.is(dry.code, 11, dry.stderr);
    t.regex(dry.stdout, /Keine Daten in der Datei .*empty\.lp im Zeitfenster/);
    t.is(dry.stdout.match(/Keine Daten/g)?.length, 1, "said once");
    t.false(/nicht genug Daten/i.test(dry.stdout), "no row repeats it");
    const full = await run(common, env);
    t.is(full.code, 11, full.stderr);
    t.is(s.received.length, 1);
    t.regex(JSON.stringify(s.received[0]), /Keine Daten/);
  } finally {
    await s.close();
  }
});

test.serial("a webhook that is not a Discord webhook URL is refused up front, without showing it", async (t) => {
  const r = await run(["analyse", "-c", HOUSE, "--file", data], { FLOORBALANCE_DISCORD_WEBHOOK: "https://example.org/hook/s3cr3t-t0ken", XDG_STATE_HOME: join(dir, "state6") });
  t.is(r.code, 2, r.stderr);
  t.regex(r.stderr, /not a Discord webhook URL \(host example\.org\)/);
  t.false(r.stderr.includes("s3cr3t-t0ken"));
});
