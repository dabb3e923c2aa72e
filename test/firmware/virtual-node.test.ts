import anyTest from "ava";
import { spawnSync } from "node:child_process";
import { useInfluxd } from "../helpers/influxd.js";

const { test, influxd } = useInfluxd(anyTest);

function cli(args: string[]) {
  return spawnSync(process.execPath, ["bin/floorbalance.js", ...args], { encoding: "utf8", env: { ...process.env, FLOORBALANCE_SECRETS: "/nonexistent" } });
}

test("virtual-node runs the firmware core on the house twin and writes the node's sensors to InfluxDB", async (t) => {
  await influxd().createDatabase("floorbalance");
  const r = cli(["virtual-node", "-c", "examples/house.yaml", "--node", "hkv-eg-nord", "--influx", influxd().url, "--speed", "max", "--duration", "20m", "--start", "2026-01-15T06:00:00Z"]);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stderr, /found 28-0316a2797244 eg-nord supply/);
  const rows = await influxd().query(`SELECT COUNT(celsius) FROM temperature WHERE node = 'hkv-eg-nord' GROUP BY rom`, "floorbalance");
  const series = rows[0].series ?? [];
  t.is(series.length, 7, "supply, return and five circuits");
  for (const s of series) t.true(s.values[0][1] >= 115 && s.values[0][1] <= 124, `${s.tags.rom}: ${s.values[0][1]}`);
  const temps = await influxd().query(`SELECT MIN(celsius), MAX(celsius) FROM temperature`, "floorbalance");
  const [, min, max] = temps[0].series[0].values[0];
  t.true(min > 10 && max < 60, `${min} … ${max}`);
});

test("virtual-node refuses an unknown node with a clear message", (t) => {
  const bad = cli(["virtual-node", "-c", "examples/house.yaml", "--node", "nope", "--influx", "http://127.0.0.1:1"]);
  t.is(bad.status, 2);
  t.regex(bad.stderr, /no node "nope"/);
  t.notRegex(bad.stderr, /at .*\.ts:\d+/);
});
