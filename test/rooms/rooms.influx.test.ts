// The three room sources end to end against a real InfluxDB on 127.0.0.1: BLE broadcasts (bytes)
// through a virtual node's firmware core into InfluxDB and back as room temperatures; Home
// Assistant's change-only points; `check --influx` warning about a typo and a stale thermometer;
// `sensors` listing the BLE thermometer; `comfort` recording a vote.
import anyTest from "ava";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { estimateRooms } from "../../analyser/rooms/estimate.js";
import { loadVotes } from "../../analyser/rooms/votes-file.js";
import { readRoomReadings } from "../../analyser/sources/rooms.js";
import { influxSource } from "../../commissioning/influx.js";
import { deriveNodeConfig } from "../../firmware/host/config.js";
import { runVirtualNode } from "../../firmware/virtual/run.js";
import { parseHouseText } from "../../shared/house/index.js";
import { encodeBatch, type Point } from "../../shared/line-protocol.js";
import { Twin } from "../../simulator/index.js";
import { Rng } from "../../simulator/rng.js";
import { HaThermometer } from "../../simulator/room-thermometers.js";
import { runCli } from "../commissioning/run-cli.js";
import { useInfluxd } from "../helpers/influxd.js";

const { test, influxd } = useInfluxd(anyTest);
const dir = mkdtempSync(join(tmpdir(), "fb-rooms-"));
process.env.FLOORBALANCE_SECRETS = join(dir, "none.yaml");
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

const NOW = Math.floor(Date.now() / 1000);
const START = NOW - 3600;
const ROOMS = `
rooms:
  - name: Wohnen/Essen
    target_c: 21
    ble: { mac: A4:C1:38:00:00:01 }
  - name: Küche
    target_c: 20
    ha: { entity_id: sensor.kueche_temperatur, offset_k: -0.2 }
  - name: Bad
    target_c: 23
    ha: { entity_id: sensor.bad_temperatur }
  - name: Schlafen
    target_c: 19
    ha: { entity_id: sensor.schlafen_temperatur }
  - name: Flur EG
    target_c: 20
`;

function houseText(url: string): string {
  const base = readFileSync("examples/house.yaml", "utf8").replace("url: http://127.0.0.1:8086", `url: ${url}`);
  return base.replace("\nanalysis:", `${ROOMS}\nanalysis:`);
}

test.serial("BLE bytes → virtual node → InfluxDB → room temperature; HA change-only points held; check and sensors warn and list", async (t) => {
  await influxd().createDatabase("floorbalance");
  const text = houseText(influxd().url);
  const file = join(dir, "house.yaml");
  writeFileSync(file, text);
  const { house } = parseHouseText(text, file);

  // 20 simulated minutes of the node at the living room's manifold, as fast as it goes.
  const logs: string[] = [];
  const run = await runVirtualNode({ house, config: deriveNodeConfig(house, "hkv-eg-sued"), influxUrl: influxd().url, speed: Infinity, durationS: 20 * 60, startS: START, seed: 3, log: (l) => logs.push(l) });
  t.true(run.linesWritten > 0);
  t.true(logs.some((l) => /BLE: 1 room thermometer/.test(l)), logs.join("\n"));
  const truth = new Twin(house, { start: START, seed: 3, sensorFaults: false });
  truth.runTo(START + 10 * 60);
  const trueLiving = truth.roomTemperatures().get("Wohnen/Essen")!;

  // Home Assistant: the kitchen on change over the last day, the bathroom under another spelling,
  // the bedroom last heard two days ago.
  const rng = new Rng(5, "ha");
  const kitchen = new HaThermometer("sensor.kueche_temperatur", "°C", rng.fork("k"));
  const points: Point[] = [];
  for (let s = NOW - 24 * 3600; s < NOW; s += 300) {
    const p = kitchen.observe(s, 20.6 + 0.4 * Math.sin((2 * Math.PI * (s - NOW)) / 86400));
    if (p) points.push(p);
  }
  points.push({ measurement: "°C", tags: { domain: "sensor", entity_id: "bad_temperature" }, fields: { value: 22.1 }, time: NOW - 600 });
  points.push({ measurement: "°C", tags: { domain: "sensor", entity_id: "schlafen_temperatur" }, fields: { value: 18.7 }, time: NOW - 48 * 3600 });
  t.true(points.length > 10 && points.length < 24 * 12, "written on change only");
  t.is(await influxd().write("floorbalance", encodeBatch(points)), 204);

  const source = influxSource(house, {});
  const readings = await readRoomReadings(source, house, { start: START, end: START + 20 * 60 });
  const ble = readings.ble.get("a4:c1:38:00:00:01")!;
  t.true(ble.length >= 15 && ble.length <= 21, `one reading a minute: ${ble.length}`);
  const est = new Map(estimateRooms(house.rooms, readings, [], { start: START, end: START + 20 * 60 }).map((e) => [e.room, e]));
  const living = est.get("Wohnen/Essen")!;
  t.is(living.source, "ble");
  t.true(Math.abs(living.temperature_c! - trueLiving) < 0.35, `${living.temperature_c} vs true ${trueLiving}`);

  const day = await readRoomReadings(source, house, { start: NOW - 12 * 3600, end: NOW });
  const dayEst = new Map(estimateRooms(house.rooms, day, [], { start: NOW - 12 * 3600, end: NOW }).map((e) => [e.room, e]));
  t.is(dayEst.get("Küche")!.source, "ha");
  t.true(Math.abs(dayEst.get("Küche")!.temperature_c! - (20.6 + kitchen.offsetK - 0.2)) < 0.4);
  t.like(dayEst.get("Bad")!, { source: "none", temperature_c: null, stale: true });
  t.like(dayEst.get("Schlafen")!, { source: "none", temperature_c: null, stale: true });
  t.like(dayEst.get("Flur EG")!, { source: "none", temperature_c: null, stale: false });

  const check = await runCli(["check", "-c", file, "--influx"]);
  t.is(check.code, 0, check.stderr);
  t.regex(check.stdout, /Raum Küche: Home Assistant sensor\.kueche_temperatur ok/);
  t.regex(check.stdout, /Warnung: Raum Bad: InfluxDB hat kein Home Assistant sensor\.bad_temperatur — gemeint vielleicht bad_temperature\?/);
  t.regex(check.stdout, /Warnung: Raum Schlafen: Home Assistant sensor\.schlafen_temperatur hat seit 48 h nichts geschrieben/);
  t.regex(check.stdout, /Raum Wohnen\/Essen: BLE a4:c1:38:00:00:01 ok/);
  t.regex(check.stdout, /  2 warnings\n/);
  const offline = await runCli(["check", "-c", file]);
  t.regex(offline.stdout, /nicht gegen InfluxDB geprüft/);

  const sensors = await runCli(["sensors", "-c", file, "--since", "2h"]);
  t.is(sensors.code, 0, sensors.stderr);
  t.regex(sensors.stdout, /Raumthermometer \(Bluetooth LE\):\n\s+a4:c1:38:00:00:01\s+\d+\.\d\d °C\s+Wohnen\/Essen\s+gehört von hkv-eg-sued \(-\d+ dBm\)/);

  const vote = await runCli(["comfort", "-c", file, "Wohnen/Essen", "zu-kalt"]);
  t.is(vote.code, 0, vote.stderr);
  t.deepEqual(loadVotes(join(dir, "house.comfort.json")).map((v) => [v.room, v.vote]), [["Wohnen/Essen", "too-cold"]]);
});
