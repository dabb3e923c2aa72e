// Every InfluxQL query of the generated dashboard, run against a real InfluxDB filled by the
// simulator: each must return data (a dashboard that queries the wrong tag shows empty panels).

import anyTest from "ava";
import { dashboard, dashboardQueries, DATASOURCE_UID, datasourceProvisioning } from "../../analyser/report/grafana.js";
import { eventLines } from "../../analyser/engine/events.js";
import { simulate } from "../../simulator/index.js";
import { useInfluxd } from "../helpers/influxd.js";
import { exampleHouse } from "./fixtures.js";

const { test, influxd } = useInfluxd(anyTest);

const START = Date.UTC(2026, 0, 12, 6, 0) / 1000;
const HOURS = 3;

function grafanaMacros(query: string): string {
  return query.replace(/\$timeFilter/g, `time >= ${START}s AND time <= ${START + HOURS * 3600}s`).replace(/\$__interval/g, "1m");
}

test("every dashboard query returns data from a simulated house; series are named by room", async (t) => {
  const house = exampleHouse();
  const db = house.influx.database;
  await influxd().createDatabase(db);
  let batch: string[] = [];
  let pending: Promise<number>[] = [];
  const flush = () => {
    if (batch.length > 0) pending.push(influxd().write(db, batch.join("")));
    batch = [];
  };
  simulate(house, { start: START, days: HOURS / 24, seed: 3 }, (chunk) => {
    batch.push(chunk);
    if (batch.length >= 8) flush();
  });
  flush();
  const events = eventLines([
    { time: START + 1800, cycle: 1, kind: "applied", circuit: "wohnen-1", manifold: "eg-sued", unit: "l/min", value: 2.6, from: 2.1, text: "Wohnen/Essen: 2.1 → 2.6 l/min" },
  ]);
  pending.push(influxd().write(db, events));
  t.true((await Promise.all(pending)).every((s) => s === 204));

  const d: any = dashboard(house);
  const queries = dashboardQueries(d);
  // supply/return + ΔT per manifold, node health per node, write status, the annotation.
  t.true(queries.length >= 4 * 2 + house.nodes.length + 2, `${queries.length} queries`);
  for (const q of queries) {
    t.notRegex(q, /"(manifold|circuit)" =/, "temperature readings carry only the ROM");
    const results = await influxd().query(grafanaMacros(q), db);
    const values = (results[0]?.series ?? []).flatMap((s: any) => s.values.filter((row: any[]) => row.slice(1).some((v) => v !== null)));
    t.true(values.length > 0, `no data for: ${q}`);
  }
  const aliases = d.panels.flatMap((p: any) => (p.targets ?? []).map((x: any) => x.alias));
  t.true(aliases.includes("Wohnen/Essen (wohnen-1)"));
  t.true(aliases.includes("Speisekammer"));
  t.true(d.panels.every((p: any) => p.type === "row" || p.datasource.uid === DATASOURCE_UID));
  t.regex(datasourceProvisioning(house), new RegExp(`uid: ${DATASOURCE_UID}\\n`));
  t.notRegex(datasourceProvisioning(house), /password: [^$]/);
});

test("a sensor remapped in the house file moves to the other room's series without touching the data", (t) => {
  const house = exampleHouse();
  const [a, b] = [house.circuits[0], house.circuits[1]];
  const swapped = { ...house, circuits: house.circuits.map((c) => (c === a ? { ...a, sensor: b.sensor } : c === b ? { ...b, sensor: a.sensor } : c)) };
  const find = (h: typeof house, alias: string) =>
    (dashboard(h) as any).panels.flatMap((p: any) => p.targets ?? []).find((x: any) => x.alias === alias)?.query as string;
  t.true(find(house, "Rücklauf Wohnen/Essen (wohnen-1)").includes(a.sensor!.rom));
  t.true(find(swapped, "Rücklauf Wohnen/Essen (wohnen-1)").includes(b.sensor!.rom));
});
