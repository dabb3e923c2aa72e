// The touch test as a person sees it: `floorbalance identify` runs in a real terminal (tmux)
// against a real InfluxDB that a small loop fills with live simulated readings of one node:
// first a heating start that warms every sensor (nobody may be named), then one sensor held in
// a hand (+8 K within a minute; it must be named). The person answers with tab completion;
// the house file gets the ROM, keeps its comments; Ctrl-C leaves it valid.
//
// Simulated time runs 30× faster than the wall clock and stays behind it, so the node's
// readings are always "in the past" for InfluxDB.
import anyTest from "ava";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeBatch } from "../../shared/line-protocol.js";
import { temperaturePoint } from "../../shared/measurements.js";
import { parseHouseText } from "../../shared/house/index.js";
import { useInfluxd } from "../helpers/influxd.js";
import { exampleText, manifoldOf, parse } from "./fixtures.js";

const hasTmux = spawnSync("sh", ["-c", "command -v tmux"]).status === 0;
const { test: influxTest, influxd } = useInfluxd(anyTest);
const test = hasTmux ? influxTest : (anyTest.skip as typeof anyTest);
if (!hasTmux) process.stderr.write("\n*** SKIPPING the identify terminal test: tmux is not installed ***\n\n");

const BIN = fileURLToPath(new URL("../../bin/floorbalance.js", import.meta.url));
// Simulated seconds per real second. 30 lost the hand to a loaded machine (the suite runs files in
// parallel on 2 cores): the confirmation needs a few polls while the hand is still warming.
const SPEED = 15;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("identify names the hand-held sensor (not the heating start), takes the answer with completion, writes it, and Ctrl-C leaves a valid file", async (t) => {
  const house = parse(exampleText());
  const hwr = house.circuits.find((c) => c.id === "hwr")!.sensor!.rom;
  const nord = manifoldOf(house, "eg-nord");
  const roms = [nord.supply!.rom, ...house.circuits.filter((c) => c.manifold === "eg-nord").map((c) => c.sensor!.rom), nord.return!.rom];
  const dir = mkdtempSync(join(tmpdir(), "fb-identify-"));
  const file = join(dir, "house.yaml");
  // hwr's sensor is not known yet: the person is about to find it.
  const text = exampleText()
    .replace("url: http://127.0.0.1:8086", `url: ${influxd().url}`)
    .replace(`sensor: ${hwr}`, "sensor: null # still to identify");
  writeFileSync(file, text);
  t.is(parseHouseText(text).house.circuits.find((c) => c.id === "hwr")!.sensor, null);
  await influxd().createDatabase("floorbalance");

  const socket = `fb-identify-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
  const screen = () => tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "id");
  const waitFor = async (pattern: RegExp, what: string, maxMs = 90_000) => {
    const until = Date.now() + maxMs;
    for (;;) {
      const s = screen();
      if (pattern.test(s)) {
        t.log(`${what} after ${((Date.now() - began) / 1000).toFixed(1)} s`);
        return s;
      }
      if (Date.now() > until) throw new Error(`never saw ${what}; screen:\n${s}`);
      await sleep(200);
    }
  };

  const began = Date.now();
  let writer: Promise<void> | undefined;
  let running = true;
  try {
    tmux("new-session", "-d", "-s", "id", "-x", "220", "-y", "60",
      `FLOORBALANCE_SECRETS=${join(dir, "none.yaml")} ${process.execPath} ${BIN} identify -c ${file} --node hkv-eg-nord --poll 0.5s; echo "EXIT=$?"; sleep 60`);
    await waitFor(/Handtest an Knoten hkv-eg-nord/, "the intro");

    // Ten minutes of quiet history, then live readings.
    const real0 = Date.now() / 1000;
    const sim0 = Math.floor(real0 - 30 * SPEED);
    const base = roms.map((_, i) => 24 + i * 0.6);
    const die = [...base];
    let heatingAt = Infinity;
    let handAt = Infinity;
    const water = (i: number, t: number) => {
      const on = t - heatingAt - (i === 0 ? 0 : 120 + 40 * i);
      const heat = on <= 0 ? 0 : (i === 0 ? 9 : 5) * (1 - Math.exp(-on / 360));
      const hand = roms[i] === hwr && t > handAt ? (33 - base[i] - heat) * (1 - Math.exp(-(t - handAt) / 30)) : 0;
      return base[i] + heat + hand;
    };
    const sample = (t: number) =>
      roms.map((rom, i) => {
        die[i] += (water(i, t) - die[i]) * (1 - Math.exp(-10 / 60));
        return temperaturePoint({ node: "hkv-eg-nord", bus: "0", rom, celsius: Math.round(die[i] * 16) / 16, time: t, mapped: true });
      });
    const history = [];
    for (let t = sim0 - 600; t < sim0; t += 10) history.push(...sample(t));
    t.is(await influxd().write("floorbalance", encodeBatch(history)), 204);
    let simT = sim0;
    writer = (async () => {
      while (running) {
        const target = sim0 + (Date.now() / 1000 - real0) * SPEED;
        while (simT + 10 <= target) {
          simT += 10;
          await influxd().write("floorbalance", encodeBatch(sample(simT)));
        }
        await sleep(100);
      }
    })();

    // A heating start: everything warms; nobody is named.
    heatingAt = sim0 + 20;
    await waitFor(/alle Fühler werden wärmer/, "the heating start noticed");
    while (simT < heatingAt + 180) await sleep(200);
    t.false(/Gefunden/.test(screen()), "no sensor named during the heating start");

    // A hand on hwr's sensor.
    handAt = simT + 10;
    const found = await waitFor(/Gefunden: (28-[0-9a-f]{12})/, "a sensor named");
    t.is(/Gefunden: (28-[0-9a-f]{12})/.exec(found)![1], hwr);
    await waitFor(/Welches Rohr\?/, "the question");
    tmux("send-keys", "-t", "id", "hw", "Tab");
    await waitFor(/Welches Rohr\?.*> hwr\s*$/m, "completion to hwr");
    tmux("send-keys", "-t", "id", "Enter");
    await waitFor(/Eingetragen: 28-[0-9a-f]{12} ist Kreis hwr \(Rücklauf\)/, "the confirmation");
    const written = readFileSync(file, "utf8");
    t.is(parseHouseText(written).house.circuits.find((c) => c.id === "hwr")!.sensor!.rom, hwr);
    t.true(written.includes("# EG Süd") && written.includes(`sensor: ${hwr} # still to identify`), "comments kept");

    tmux("send-keys", "-t", "id", "C-c");
    const end = await waitFor(/EXIT=\d+/, "the exit");
    t.regex(end, /Abgebrochen\. Die Hausdatei ist gültig/);
    t.regex(end, /EXIT=0/);
    t.notThrows(() => parseHouseText(readFileSync(file, "utf8")));
  } finally {
    running = false;
    await writer;
    spawnSync("tmux", ["-L", socket, "kill-server"]);
    rmSync(dir, { recursive: true, force: true });
  }
});
