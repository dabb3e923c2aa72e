import test from "ava";
import { DateTime } from "luxon";
import { parseHouseText } from "../../shared/house/index.js";
import { dashboard } from "../../analyser/report/grafana.js";
import { dhwReportLines, scheduleMinutes, summariseDhw } from "../../analyser/report/dhw-section.js";
import { local, withDhw, ZONE } from "./helpers.js";

test("the seed's 10/10 timer runs 540 minutes a day, also on both DST days", (t) => {
  for (const day of ["2026-03-04", "2026-03-29", "2026-10-25"]) {
    const start = local(`${day}T00:00`);
    const end = Math.round(DateTime.fromISO(day, { zone: ZONE }).plus({ days: 1 }).toSeconds());
    t.is(scheduleMinutes(start, end, ZONE), 540, day);
  }
  // A window from 06:30 to 06:30 the next day: 18 h of schedule, 9 h on.
  t.is(scheduleMinutes(local("2026-03-04T06:30"), local("2026-03-05T06:30"), ZONE), 540);
  t.is(scheduleMinutes(local("2026-03-04T22:00"), local("2026-03-04T23:30"), ZONE), 30);
});

test("the report section: runs, pump minutes, minutes saved, draws that found the line cold, in German and English", (t) => {
  const raw = [
    { series: [{ columns: ["time", "runs", "pump_s"], values: [[0, 14, 14 * 150]] }] },
    { series: [{ tags: { kind: "draw" }, columns: ["time", "n"], values: [[0, 21]] }, { tags: { kind: "relay_stuck" }, columns: ["time", "n"], values: [[0, 1]] }] },
    { series: [{ columns: ["time", "n"], values: [[0, 3]] }] },
  ];
  const s = summariseDhw(raw, 1, local("2026-03-04T06:30"), local("2026-03-05T06:30"), ZONE);
  t.like(s, { runs: 14, pump_min: 35, schedule_min: 540, saved_min: 505, draws: 21, draws_cold: 3, relay_stuck: 1, sensor_fail: 0 });
  const de = dhwReportLines(s, "de");
  const en = dhwReportLines(s, "en");
  t.is(de[0], "Warmwasser-Zirkulation: 14 Läufe, 35 Pumpenminuten, 505 Minuten weniger als das 10/10-Zeitprogramm (540).");
  t.is(en[0], "Hot-water circulation: 14 runs, 35 pump minutes, 505 minutes less than the 10/10 timer (540).");
  t.regex(de[1], /^3 von 21 Zapfungen fanden die Leitung kalt/);
  t.regex(en[1], /^3 of 21 draws found the line cold/);
  t.is(de.length, 3, "the stuck relay is named");
  t.deepEqual(dhwReportLines(undefined, "de"), []);
  // No draws detected (no outlet sensor): no draw line.
  t.is(dhwReportLines(summariseDhw([{}, {}, {}], 1, 0, 3600, ZONE), "en").length, 1);
});

test("the Grafana dashboard gets a circulation panel for each node with the module", (t) => {
  const without = JSON.stringify(dashboard(parseHouseText(withDhw((b) => b + "\n      enabled: false"), "house.yaml").house));
  t.false(without.includes("dhw_run"));
  const d = dashboard(parseHouseText(withDhw(), "house.yaml").house) as { panels: { title: string; targets?: { query: string }[] }[] };
  const panel = d.panels.find((p) => p.title === "Warmwasser-Zirkulation hkv-eg-nord");
  t.truthy(panel);
  t.regex(panel!.targets![0].query, /FROM "dhw_run" WHERE "node" = 'hkv-eg-nord'/);
  t.regex(panel!.targets![1].query, /'28-0316a27970c1'/);
});
