// floorbalance calibrate as a person runs it, on line-protocol files of the simulated procedures:
// each call says where the procedure stands and what comes next; when finished it writes the
// calibration file beside the house file, keyed by ROM.
import test from "ava";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../commissioning/run-cli.js";
import { fixture, START } from "./fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "fb-calibrate-"));
process.env.FLOORBALANCE_SECRETS = join(dir, "none.yaml");
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

function houseFile(name: string, language: "de" | "en"): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, readFileSync("examples/house.yaml", "utf8").replace(/language: \w+/, `language: ${language}`));
  return file;
}

test.serial("bundle: waiting, then cooling with the minutes left, then the fit written beside the house file", async (t) => {
  const f = fixture();
  const house = houseFile("bundle", "en");
  const data = join(dir, "bundle.lp");
  writeFileSync(data, f.bundle.text);
  const args = ["calibrate", "bundle", "-c", house, "--node", f.bundle.node, "--file", data];
  const calFile = join(dir, "bundle.calibration.json");

  const settling = await runCli([...args, "--now", String(START + 4 * 60)]);
  t.is(settling.code, 0);
  t.regex(settling.stdout, /not steady yet.*5–10 more minutes/);
  t.regex(settling.stdout, /Nothing saved yet/);
  const cooling = await runCli([...args, "--now", String(START + 30 * 60)]);
  t.regex(cooling.stdout, /The water is cooling: \d+\.\d of 10 K covered\. Wait about \d+ more minutes/);
  t.false(existsSync(calFile));

  const done = await runCli([...args, "--now", String(START + 81 * 60)]);
  t.is(done.code, 0, done.stderr);
  t.regex(done.stdout, /Done: enough range after \d+ minutes/);
  t.regex(done.stdout, /Next \(10–20 min\): mount the sensors/);
  const cal = JSON.parse(readFileSync(calFile, "utf8"));
  const roms = f.sensors.filter((s) => s.node === f.bundle.node).map((s) => s.rom).sort();
  t.deepEqual(Object.keys(cal.sensors).sort(), roms);
  for (const rom of roms) {
    t.is(cal.sensors[rom].method, "bundle");
    t.true(cal.sensors[rom].sd_k < 0.05);
    t.is(typeof cal.sensors[rom].gain, "number");
  }
  // The relative offsets match the planted ones.
  const [a, b] = roms;
  const truth = new Map(f.sensors.map((s) => [s.rom, s.offsetK]));
  t.true(Math.abs(cal.sensors[a].offset_k - cal.sensors[b].offset_k - (truth.get(a)! - truth.get(b)!)) < 0.06);
});

test.serial("in place (German): found stop and the wait, then switch back and the offsets written; bundle entries of other ROMs kept", async (t) => {
  const f = fixture();
  const house = houseFile("inplace", "de");
  const data = join(dir, "inplace.lp");
  writeFileSync(data, f.inPlace.text);
  const calFile = join(dir, "inplace.calibration.json");
  writeFileSync(calFile, JSON.stringify({ version: 1, sensors: { "28-00000000beef": { offset_k: 0.1, sd_k: 0.02, method: "bundle", group: "node:x", updated: 1 } } }));
  const args = ["calibrate", "in-place", "-c", house, "--manifold", f.inPlace.manifold, "--file", data];

  const waiting = await runCli([...args, "--now", String(f.inPlace.stoppedAt + 40 * 60), "--stopped-at", String(f.inPlace.stoppedAt)]);
  t.is(waiting.code, 0, waiting.stderr);
  t.regex(waiting.stdout, /Umwälzung seit 40 Minuten aus\. .* noch etwa \d+ Minuten warten/);
  t.regex(waiting.stdout, /Noch nichts gespeichert/);

  const found = await runCli([...args, "--now", String(f.inPlace.endsAt + 60)]);
  t.is(found.code, 0, found.stderr);
  t.regex(found.stdout, /Stillstand der Umwälzung in den Daten erkannt um/);
  t.regex(found.stdout, /Jetzt Umwälzung und Wärmepumpe wieder einschalten/);
  t.regex(found.stdout, /Fühler in .*inplace\.calibration\.json gespeichert/);
  const cal = JSON.parse(readFileSync(calFile, "utf8"));
  t.is(cal.sensors["28-00000000beef"].method, "bundle");
  const m = f.house.manifolds.find((x) => x.id === f.inPlace.manifold)!;
  t.is(cal.sensors[m.supply!.rom].method, "standby-pair");
  t.true(Object.values<any>(cal.sensors).filter((e) => e.method === "in-place").length >= 5);
});

test.serial("bad input: an unknown node and a stop time outside the data are clear errors with exit code 2", async (t) => {
  const f = fixture();
  const house = houseFile("bad", "en");
  const data = join(dir, "bad.lp");
  writeFileSync(data, f.bundle.text);
  const node = await runCli(["calibrate", "bundle", "-c", house, "--node", "nope", "--file", data]);
  t.is(node.code, 2);
  t.regex(node.stderr, /no node "nope" in the house file/);
  const stop = await runCli(["calibrate", "in-place", "-c", house, "--manifold", f.inPlace.manifold, "--file", data, "--stopped-at", "2020-01-01T00:00:00Z"]);
  t.is(stop.code, 2);
  t.regex(stop.stderr, /--stopped-at is outside the data/);
});
