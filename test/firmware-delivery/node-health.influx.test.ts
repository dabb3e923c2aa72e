// The OTA client's second witness: the firmware a node reported in node_health, from a real
// InfluxDB 1.6, only from points written after the update.
import anyTest from "ava";
import { loadHouseFile } from "../../shared/house/load.js";
import { encodeBatch } from "../../shared/line-protocol.js";
import { firmwareFromInflux } from "../../firmware/host/node-health.js";
import { useInfluxd } from "../helpers/influxd.js";
import { ROOT } from "./helpers/cli.js";

const { test, influxd } = useInfluxd(anyTest);
const { house } = loadHouseFile(`${ROOT}/examples/house.yaml`);

test("the newest firmware a node reported after the update, or nothing", async (t) => {
  await influxd().createDatabase("floorbalance");
  const point = (node: string, firmware: string, time: number) => ({ measurement: "node_health", tags: { node }, fields: { firmware }, time });
  const t0 = 1_800_000_000;
  t.is(await influxd().write("floorbalance", encodeBatch([point("hkv-eg-sued", "0.1.0", t0 - 60), point("hkv-eg-sued", "0.2.0", t0 + 30), point("hkv-eg-nord", "9.9.9", t0 + 40)])), 204);
  const at = { ...house, influx: { ...house.influx, url: influxd().url } };
  t.is(await firmwareFromInflux(at, "hkv-eg-sued", {}, t0), "0.2.0");
  t.is(await firmwareFromInflux(at, "hkv-eg-sued", {}, t0 + 31), undefined, "nothing newer than the update");
  t.is(await firmwareFromInflux(at, "hkv-og-ost", {}, t0), undefined, "another node's points do not count");
  t.is(await firmwareFromInflux({ ...at, influx: { ...at.influx, url: "http://127.0.0.1:9" } }, "hkv-eg-sued", {}, t0), undefined, "unreachable: no witness, no exception");
});
