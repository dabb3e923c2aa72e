// The Grafana dashboard, generated from the house file. Readings carry only the sensor ROM, so
// every query filters by `rom` and the dashboard names the series by room: remapping a sensor
// means regenerating the dashboard, never reflashing. InfluxQL cannot subtract two series, so ΔT
// per circuit is computed in Grafana (join by time, then supply − return per circuit).

import { BALANCE_EVENT, NODE_HEALTH, TEMPERATURE } from "../../shared/measurements.js";
import type { House, Manifold } from "../../shared/house/index.js";
import { DHW_RUN } from "../../shared/dhw-measurements.js";
import { parseRom } from "../../shared/rom.js";

export const DATASOURCE_UID = "floorbalance-influxdb";
const DS = { type: "influxdb", uid: DATASOURCE_UID };

export interface Target {
  refId: string;
  query: string;
  alias: string;
  rawQuery: true;
  resultFormat: "time_series" | "table";
  datasource: typeof DS;
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

export function temperatureQuery(rom: string): string {
  return `SELECT mean("celsius") FROM "${TEMPERATURE}" WHERE "rom" = ${quote(rom)} AND $timeFilter GROUP BY time($__interval) fill(null)`;
}

function refId(i: number): string {
  // A…Z, then AA, AB, … (Grafana needs unique refIds per panel).
  return i < 26 ? String.fromCharCode(65 + i) : refId(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26));
}

function target(i: number, query: string, alias: string, format: Target["resultFormat"] = "time_series"): Target {
  return { refId: refId(i), query, alias, rawQuery: true, resultFormat: format, datasource: DS };
}

function words(house: House) {
  return house.site.language === "de"
    ? { supply: "Vorlauf", return: "Rücklauf", sr: "Vorlauf und Rücklauf", dt: "ΔT je Kreis", health: "Knoten", found: "Fühler gefunden", expected: "Fühler erwartet", rssi: "WLAN dBm", buffered: "gepuffert", dropped: "verworfen", rejected: "abgelehnt (CRC)", status: "letzter Schreibstatus", events: "Ventil-Einstellungen" }
    : { supply: "supply", return: "return", sr: "supply and return", dt: "ΔT per circuit", health: "Node", found: "sensors found", expected: "sensors expected", rssi: "Wi-Fi dBm", buffered: "buffered", dropped: "dropped", rejected: "rejected (CRC)", status: "last write status", events: "valve settings" };
}

function timeseries(id: number, title: string, targets: Target[], grid: { x: number; y: number; w: number; h: number }, unit: string, extra: object = {}) {
  return {
    id,
    type: "timeseries",
    title,
    datasource: DS,
    gridPos: grid,
    targets,
    fieldConfig: { defaults: { unit, custom: { spanNulls: 600000, lineWidth: 2 } }, overrides: [] },
    options: { legend: { displayMode: "table", placement: "right", calcs: ["lastNotNull", "mean"] }, tooltip: { mode: "multi" } },
    ...extra,
  };
}

function circuitLabel(house: House, m: Manifold) {
  const circuits = house.circuits.filter((c) => c.manifold === m.id && c.sensor);
  const count = new Map<string, number>();
  for (const c of circuits) count.set(c.room, (count.get(c.room) ?? 0) + 1);
  return circuits.map((c) => ({ circuit: c, label: count.get(c.room)! > 1 ? `${c.room} (${c.id})` : c.room }));
}

export function dashboard(house: House): object {
  const w = words(house);
  const panels: object[] = [];
  let id = 1;
  let y = 0;
  for (const m of house.manifolds) {
    panels.push({ id: id++, type: "row", title: m.name, collapsed: false, gridPos: { x: 0, y: y++, w: 24, h: 1 }, panels: [] });
    const sr: Target[] = [];
    if (m.supply) sr.push(target(sr.length, temperatureQuery(m.supply.rom), w.supply));
    if (m.return) sr.push(target(sr.length, temperatureQuery(m.return.rom), w.return));
    const circuits = circuitLabel(house, m);
    for (const { circuit, label } of circuits) sr.push(target(sr.length, temperatureQuery(circuit.sensor!.rom), `${w.return} ${label}`));
    panels.push(timeseries(id++, `${m.name}: ${w.sr}`, sr, { x: 0, y, w: 12, h: 9 }, "celsius"));
    if (m.supply && circuits.length > 0) {
      const dt: Target[] = [target(0, temperatureQuery(m.supply.rom), w.supply)];
      circuits.forEach(({ circuit, label }, i) => dt.push(target(i + 1, temperatureQuery(circuit.sensor!.rom), label)));
      const transformations = [
        { id: "joinByField", options: { byField: "Time", mode: "outer" } },
        ...circuits.map(({ label }) => ({
          id: "calculateField",
          options: { mode: "binary", binary: { left: w.supply, operator: "-", right: label }, alias: `ΔT ${label}`, replaceFields: false },
        })),
        { id: "organize", options: { excludeByName: Object.fromEntries([w.supply, ...circuits.map((c) => c.label)].map((n) => [n, true])) } },
      ];
      panels.push(timeseries(id++, `${m.name}: ${w.dt}`, dt, { x: 12, y, w: 12, h: 9 }, "kelvin", { transformations }));
    }
    y += 9;
  }
  panels.push({ id: id++, type: "row", title: w.health, collapsed: false, gridPos: { x: 0, y: y++, w: 24, h: 1 }, panels: [] });
  house.nodes.forEach((n, i) => {
    const q = (field: string, agg = "last") => `SELECT ${agg}("${field}") FROM "${NODE_HEALTH}" WHERE "node" = ${quote(n.id)} AND $timeFilter GROUP BY time($__interval) fill(null)`;
    const targets = [
      target(0, q("sensors_found"), w.found),
      target(1, q("sensors_expected"), w.expected),
      target(2, q("rssi_dbm"), w.rssi),
      target(3, q("buffered"), w.buffered),
      target(4, q("dropped"), w.dropped),
      target(5, q("rejected_crc"), w.rejected),
    ];
    panels.push(timeseries(id++, `${w.health} ${n.id}`, targets, { x: (i % 2) * 12, y: y + Math.floor(i / 2) * 8, w: 12, h: 8 }, "short"));
  });
  y += Math.ceil(house.nodes.length / 2) * 8;
  panels.push({
    id: id++,
    type: "table",
    title: w.status,
    datasource: DS,
    gridPos: { x: 0, y, w: 24, h: 6 },
    targets: [target(0, `SELECT last("write_status") AS "write_status", last("firmware") AS "firmware", last("uptime_s") AS "uptime_s" FROM "${NODE_HEALTH}" WHERE $timeFilter GROUP BY "node"`, w.status, "table")],
  });
  y += 6;
  // Hot-water circulation (firmware/core/dhw): the line temperature and the pump minutes per interval.
  for (const n of house.nodes.filter((x) => x.dhw && x.dhw.enabled)) {
    const d = n.dhw!;
    const rom = parseRom(typeof d.line_sensor === "string" ? d.line_sensor : d.line_sensor.rom);
    const de = house.site.language === "de";
    const targets = [target(0, `SELECT sum("duration_s") / 60 FROM "${DHW_RUN}" WHERE "node" = ${quote(n.id)} AND $timeFilter GROUP BY time($__interval) fill(0)`, de ? "Pumpenminuten" : "pump minutes")];
    if (rom.ok) targets.push(target(1, temperatureQuery(rom.canonical), de ? "Zirkulationsleitung °C" : "circulation line °C"));
    panels.push(timeseries(id++, `${de ? "Warmwasser-Zirkulation" : "Hot-water circulation"} ${n.id}`, targets, { x: 0, y, w: 24, h: 8 }, "short"));
    y += 8;
  }
  return {
    uid: `floorbalance-${slug(house.site.name)}`.slice(0, 40),
    title: `floorbalance – ${house.site.name}`,
    tags: ["floorbalance"],
    timezone: house.site.timezone,
    schemaVersion: 39,
    version: 1,
    editable: true,
    refresh: "5m",
    time: { from: "now-2d", to: "now" },
    annotations: {
      list: [
        {
          name: w.events,
          datasource: DS,
          enable: true,
          iconColor: "orange",
          query: `SELECT "text", "circuit", "kind" FROM "${BALANCE_EVENT}" WHERE $timeFilter`,
          textColumn: "text",
          tagsColumn: "circuit,kind",
        },
      ],
    },
    panels,
  };
}

function slug(s: string): string {
  return s.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "house";
}

/** Every InfluxQL query in a dashboard (panel targets and annotations), for tests and checks. */
export function dashboardQueries(d: any): string[] {
  const out: string[] = [];
  const walk = (panels: any[]) => {
    for (const p of panels ?? []) {
      for (const t of p.targets ?? []) if (typeof t.query === "string") out.push(t.query);
      walk(p.panels);
    }
  };
  walk(d.panels);
  for (const a of d.annotations?.list ?? []) if (typeof a.query === "string") out.push(a.query);
  return out;
}

export function datasourceProvisioning(house: House): string {
  return `# Grafana provisioning: the InfluxDB 1.x data source the floorbalance dashboard uses.
# Copy to /etc/grafana/provisioning/datasources/. Credentials come from Grafana's environment
# (\${VAR} is expanded by Grafana when it reads this file): set FLOORBALANCE_INFLUX_USERNAME and
# FLOORBALANCE_INFLUX_PASSWORD for grafana-server, e.g. in /etc/default/grafana-server. This file
# holds no secret.
apiVersion: 1
datasources:
  - name: floorbalance InfluxDB
    uid: ${DATASOURCE_UID}
    type: influxdb
    access: proxy
    url: ${house.influx.url}
    jsonData:
      dbName: ${house.influx.database}
      httpMode: POST
      timeInterval: ${house.nodes.reduce((a, n) => Math.max(a, n.interval_s), 10)}s
    user: \${FLOORBALANCE_INFLUX_USERNAME}
    secureJsonData:
      password: \${FLOORBALANCE_INFLUX_PASSWORD}
`;
}

export function dashboardProvisioning(dir: string): string {
  return `# Grafana provisioning: load the floorbalance dashboard JSON from ${dir}.
# Copy to /etc/grafana/provisioning/dashboards/.
apiVersion: 1
providers:
  - name: floorbalance
    folder: floorbalance
    type: file
    disableDeletion: false
    updateIntervalSeconds: 60
    options:
      path: ${dir}
`;
}
