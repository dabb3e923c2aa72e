import anyTest from "ava";
import { parseHouseText } from "../../shared/house/index.js";
import { deriveNodeConfig } from "../../firmware/host/config.js";
import { buildDhwRig } from "../../firmware/virtual/dhw-rig.js";
import { nodeTransport } from "../../firmware/virtual/http-transport.js";
import { household } from "../../simulator/household.js";
import { dhwReportLines } from "../../analyser/report/dhw-section.js";
import { readDhwSummary } from "../../analyser/sources/dhw.js";
import { useInfluxd } from "../helpers/influxd.js";
import { local, localMinuteLuxon, withDhw, ZONE } from "./helpers.js";

const { test, influxd } = useInfluxd(anyTest);

test("the virtual node runs the circulation module on the simulated loop and its runs reach InfluxDB as dhw_run", async (t) => {
  await influxd().createDatabase("floorbalance");
  const { house } = parseHouseText(withDhw(), "house.yaml");
  const config = deriveNodeConfig(house, "hkv-eg-nord");
  const boot = local("2026-03-04T04:30"); // a Wednesday, before the lockout ends
  const end = local("2026-03-04T08:30");
  const events = household({ from: "2026-03-04", days: 1, zone: ZONE, seed: 3 }).filter((e) => e.t < end - 600);
  const v = buildDhwRig({ config, transport: nodeTransport(influxd().url), bootWallS: boot, events, seed: 4 });
  v.rig.node.start();
  v.module.start();
  // The line sensor breaks for the last half hour: the fallback timer runs, bounded.
  v.rig.platform.after((end - 1800 - boot) * 1000, () => (v.loop.sensorFailed = true));
  await v.rig.platform.runFor((end - boot) * 1000);
  v.module.stop();
  await v.rig.platform.runFor(60_000); // the last lines go out
  v.rig.node.stop();

  t.true(v.module.runs >= 2, `${v.module.runs} runs`);
  const rows = await influxd().query(`SELECT * FROM dhw_run WHERE node = 'hkv-eg-nord'`, "floorbalance");
  const s = rows[0].series?.[0];
  t.truthy(s, "dhw_run points arrived");
  const col = (name: string) => s.columns.indexOf(name);
  t.is(s.values.length, v.module.runs, "every run is logged once");
  for (const row of s.values) {
    const start = Date.parse(row[col("time")]) / 1000;
    t.true(row[col("duration_s")] > 0 && row[col("duration_s")] <= 300, `duration ${row[col("duration_s")]}`);
    t.false(localMinuteLuxon(start) < 5 * 60, `no run in the lockout: ${row[col("time")]}`);
    t.true(["upper", "cap", "lockout", "fallback"].includes(row[col("reason")]), row[col("reason")]);
    if (row[col("line_stop_c")] !== null) t.true(row[col("line_stop_c")] > 10 && row[col("line_stop_c")] < 70);
  }
  const reasons = s.values.map((r: any[]) => r[col("reason")]);
  t.true(reasons.includes("upper"), reasons.join());
  // The relay really drove the simulated pump, and it never ran in the lockout or past the cap.
  for (let i = 0; i + 1 < v.relay.length; i += 2) {
    t.true(v.relay[i][1] && !v.relay[i + 1][1]);
    t.true(v.relay[i + 1][0] - v.relay[i][0] <= 300.5, `relay on ${v.relay[i + 1][0] - v.relay[i][0]} s`);
    t.true(localMinuteLuxon(v.relay[i][0]) >= 5 * 60);
  }
  const eventRows = await influxd().query(`SELECT COUNT(sensor_ok) FROM dhw_event GROUP BY kind`, "floorbalance");
  const kinds = (eventRows[0].series ?? []).map((x: any) => x.tags.kind);
  t.true(kinds.includes("sensor_fail"), kinds.join());
  // The report reads the same points back: its run count and pump minutes are the module's.
  const summary = await readDhwSummary((q) => influxd().query(q, "floorbalance"), house, { start: boot, end: end + 3600 });
  t.is(summary!.runs, v.module.runs);
  const pumpS = v.relay.reduce((a, [tm, on], i) => a + (on ? (v.relay[i + 1]?.[0] ?? tm) - tm : 0), 0);
  t.true(Math.abs(summary!.pump_min - pumpS / 60) < 0.2, `${summary!.pump_min} vs ${pumpS / 60}`);
  t.regex(dhwReportLines(summary, "en")[0], new RegExp(`^Hot-water circulation: ${v.module.runs} runs`));
  // The line temperatures are ordinary readings too.
  const temps = await influxd().query(`SELECT MAX(celsius) FROM temperature WHERE rom = '28-0316a27970c1'`, "floorbalance");
  t.true(temps[0].series[0].values[0][1] > 40);
});
