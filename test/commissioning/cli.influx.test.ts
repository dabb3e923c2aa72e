// The three commands end to end, as the user runs them, against a real InfluxDB 1.6 on
// 127.0.0.1 filled with the twin's readings (and a node's /status served on loopback).
import anyTest from "ava";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeBatch } from "../../shared/line-protocol.js";
import { nodeHealthPoint } from "../../shared/measurements.js";
import { EXIT } from "../../shared/exit-codes.js";
import { useInfluxd, freePort } from "../helpers/influxd.js";
import { houseWithSlowCircuit, manifoldOf, parse, romOf, swapRoms, tracesToLineProtocol } from "./fixtures.js";
import { twinTraces } from "./simdata.js";
import { runCli, spawnCli } from "./run-cli.js";

const { test, influxd } = useInfluxd(anyTest);
const TRUE_TEXT = houseWithSlowCircuit();
const TRUE = parse(TRUE_TEXT);
const START = 1_765_000_800;
const END = START + 24 * 3600;
const dir = mkdtempSync(join(tmpdir(), "fb-commission-"));
const traces = twinTraces(TRUE, { start: START, hours: 24, seed: 11, outputIntervalS: 60 });
const lineProtocol = tracesToLineProtocol(traces);

function houseFile(name: string, text: string, url: string): string {
  const file = join(dir, name);
  writeFileSync(file, text.replace("url: http://127.0.0.1:8086", `url: ${url}`));
  return file;
}

// Secrets: none (the test influxd has no authentication); never the developer's own.
process.env.FLOORBALANCE_SECRETS = join(dir, "none.yaml");
const run = runCli;

test.after.always(() => rmSync(dir, { recursive: true, force: true }));

test.serial.before(async () => {
  await influxd().createDatabase("floorbalance");
  const lines = lineProtocol.split("\n");
  for (let i = 0; i < lines.length; i += 20_000) {
    const status = await influxd().write("floorbalance", lines.slice(i, i + 20_000).join("\n"));
    if (status !== 204) throw new Error(`write failed: ${status}`);
  }
});

test.serial("verify reads a day from InfluxDB: the correct house passes, planted mistakes exit 10 with evidence", async (t) => {
  const good = houseFile("good.yaml", TRUE_TEXT, influxd().url);
  const ok = await run(["verify", "-c", good, "--since", "1d", "--now", String(END)]);
  t.is(ok.code, EXIT.ok, ok.stderr + ok.stdout);
  t.regex(ok.stdout, /Kein wahrscheinlicher Zuordnungsfehler gefunden/);

  let text = swapRoms(TRUE_TEXT, manifoldOf(TRUE, "og-west").supply!.rom, manifoldOf(TRUE, "og-west").return!.rom);
  text = swapRoms(text, romOf(TRUE, "hobby"), romOf(TRUE, "dusche"));
  const bad = houseFile("bad.yaml", text, influxd().url);
  const found = await run(["verify", "-c", bad, "--since", "1d", "--now", String(END), "--json"]);
  t.is(found.code, EXIT.verifyFindings, found.stderr);
  const kinds = JSON.parse(found.stdout).findings.map((f: { kind: string; manifold: string }) => `${f.kind} ${f.manifold}`).sort();
  t.deepEqual(kinds, ["supply-return-swapped og-west", "transit-swap og-ost"]);
});

test.serial("verify --file reads line protocol; a window without heating start says so and why", async (t) => {
  const file = join(dir, "day.lp");
  writeFileSync(file, lineProtocol);
  const bad = houseFile("bad-file.yaml", swapRoms(TRUE_TEXT, romOf(TRUE, "wohnen-2"), romOf(TRUE, "schlafen")), influxd().url);
  const found = await spawnCli(["verify", "-c", bad, "--file", file], { FLOORBALANCE_SECRETS: join(dir, "none.yaml") });
  t.is(found.code, EXIT.verifyFindings, found.stderr);
  t.regex(found.stdout, /Kreis wohnen-2 \(Verteiler eg-sued\) sitzt am Verteiler og-west/);
  t.regex(found.stdout, /meldet sich von Knoten hkv-og-west/);

  // Twenty quiet minutes: no start, so no verdict either way.
  const quiet = join(dir, "quiet.lp");
  writeFileSync(quiet, lineProtocol.split("\n").filter((l) => Number(l.split(" ").at(-1)) < START + 1200).join("\n"));
  const none = await run(["verify", "-c", bad, "--file", quiet]);
  t.is(none.code, EXIT.usage);
  t.regex(none.stderr, /not enough data: no heating start/);
  const missing = await run(["verify", "-c", bad, "--file", join(dir, "nope.lp")]);
  t.is(missing.code, EXIT.usage);
  t.regex(missing.stderr, /cannot read .*nope\.lp/);
});

test.serial("sensors lists what InfluxDB saw in the last minutes: mapped, unmapped, offline, rejected, missing", async (t) => {
  const db = "sensors";
  await influxd().createDatabase(db);
  const now = START + 3600;
  const recent = traces
    .filter((tr) => tr.rom !== romOf(TRUE, "kueche")) // never seen
    .map((tr) => ({ ...tr, samples: tr.samples.filter((s) => s.time > now - 600 && s.time <= now && !(tr.rom === romOf(TRUE, "bad") && s.time > now - 300)) }));
  const stranger = { rom: "28-0316a2794aff", node: "hkv-og-ost", bus: "0", samples: [{ time: now - 30, celsius: 21.5 }] };
  const health = [0, 1].map((i) =>
    nodeHealthPoint({ node: "hkv-og-ost", time: now - 600 + i * 300, firmware: "t", uptime_s: 1000 + i * 300, reset_reason: "power_on", rssi_dbm: -60, free_heap_bytes: 1, sensors_found: 7, sensors_expected: 7, crc_errors: 0, rejected: { crc: 1 + 4 * i, power_on: 2, disconnected: 0, range: 0, jump: 0 }, buffered: 0, dropped: 0, dropped_bad_lines: 0, write_status: "ok", write_http_status: 204, cycle_ms: 900, clock_synced: true }),
  );
  t.is(await influxd().write(db, tracesToLineProtocol([...recent, stranger]) + "\n" + encodeBatch(health)), 204);
  const file = houseFile("sensors.yaml", TRUE_TEXT.replace("language: de", "language: en").replace("database: floorbalance", `database: ${db}`), influxd().url);
  const out = await run(["sensors", "-c", file, "--since", "10m", "--now", String(now)]);
  t.is(out.code, EXIT.ok, out.stderr);
  t.regex(out.stdout, /31 sensors seen, 30 mapped, 1 unmapped, 1 expected but not seen/);
  t.regex(out.stdout, /node hkv-og-ost bus 0 \(GPIO 16\); rejected reads on the node: crc 4/);
  t.regex(out.stdout, /28-0316a2794aff\s+UNMAPPED\s+21\.50 °C age 30 s/);
  t.regex(out.stdout, new RegExp(`${romOf(TRUE, "bad")}\\s+og-west/bad return .*OFFLINE`));
  t.regex(out.stdout, new RegExp(`Expected by the house file but not seen:\\n  ${romOf(TRUE, "kueche")}  eg-sued/kueche return`));
  t.regex(out.stdout, new RegExp(`${manifoldOf(TRUE, "eg-sued").supply!.rom}\\s+eg-sued manifold supply\\s+\\d+\\.\\d\\d °C age \\d+ s  ok`));
});

test.serial("sensors --node asks the node's /status; unreachable InfluxDB and a missing database get their exit codes", async (t) => {
  const supply = manifoldOf(TRUE, "og-ost").supply!.rom;
  const status = {
    node: "hkv-og-ost", firmware: "0.1.0", uptime_s: 99, reset_reason: "power_on", safe_mode: false,
    buses: [{ id: "0", pin: 16, sensors: [
      { rom: supply, mapped: true, last_c: 31.25, last_time: 1_765_000_000, age_s: 4, rejected: 0 },
      { rom: "28-0316a2794aff", mapped: false, last_c: 19.5, last_time: 1_765_000_000, age_s: 4, rejected: 3 },
    ] }],
    buffer: { depth: 0, dropped: 0 }, write: { status: "ok", http_status: 204, last_ok: 1_765_000_000 },
  };
  const server: Server = createServer((req, res) => {
    res.writeHead(req.url === "/status" ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(status));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  try {
    const file = houseFile("node.yaml", TRUE_TEXT, influxd().url);
    const out = await run(["sensors", "-c", file, "--node", "hkv-og-ost", "--host", `http://127.0.0.1:${port}`]);
    t.is(out.code, EXIT.ok, out.stderr);
    t.regex(out.stdout, new RegExp(`${supply}\\s+og-ost Verteiler-Vorlauf\\s+31,25 °C Alter 4 s  ok`));
    t.regex(out.stdout, /28-0316a2794aff\s+NICHT ZUGEORDNET\s+19,50 °C Alter 4 s\s+VERWORFEN \(3 Messungen verworfen\)/);
    t.regex(out.stdout, /2 Fühler gesehen, 1 zugeordnet, 1 nicht zugeordnet, 6 erwartet, aber nicht gesehen/);
    t.false(out.stdout.includes("hkv-eg-sued"), "only the node asked");
  } finally {
    server.close();
  }
  const closed = await freePort();
  const down = await run(["sensors", "-c", houseFile("down.yaml", TRUE_TEXT, `http://127.0.0.1:${closed}`)]);
  t.is(down.code, EXIT.influxUnreachable, down.stderr);
  t.regex(down.stderr, /cannot be reached/);
  const nodb = await run(["sensors", "-c", houseFile("nodb.yaml", TRUE_TEXT.replace("database: floorbalance", "database: nothere"), influxd().url)]);
  t.is(nodb.code, EXIT.influxNoDatabase, nodb.stderr);
  t.true(readFileSync(join(dir, "nodb.yaml"), "utf8").includes("nothere"));
});
