// Room thermometers from InfluxDB: Home Assistant's (measurement = unit, tag entity_id = the
// object id, field value, written on change) and the nodes' BLE ones (room_temperature, tag mac).
// The imperative edge of analyser/rooms/: small queries bounded by a window.

import type { Source } from "../../commissioning/influx.js";
import { haObjectId, type House } from "../../shared/house/index.js";
import { ROOM_TEMPERATURE } from "../../shared/measurements.js";
import type { Sample } from "../rooms/held.js";
import type { RoomReadings } from "../rooms/estimate.js";
import type { SignalSeen } from "../rooms/signals.js";
import { quoteIdent, quoteString } from "./influxql.js";

function samplesOf(series: { columns: string[]; values: unknown[][] }[], field: string): Sample[] {
  const out: Sample[] = [];
  for (const s of series) {
    const ti = s.columns.indexOf("time");
    const vi = s.columns.indexOf(field);
    for (const row of s.values) if (typeof row[vi] === "number" && Number.isFinite(row[vi])) out.push({ time: Number(row[ti]), value: row[vi] as number });
  }
  return out.sort((a, b) => a.time - b.time);
}

/**
 * Every named thermometer's samples over the window, plus, for HA, the last value written before
 * it (a value written on change holds into the window). `lookbackS` bounds that backward search.
 */
export async function readRoomReadings(source: Source, house: House, window: { start: number; end: number }, lookbackS = 3 * 86400): Promise<RoomReadings> {
  const ha = new Map<string, Sample[]>();
  const ble = new Map<string, Sample[]>();
  const within = `time >= ${Math.floor(window.start)}s AND time < ${Math.ceil(window.end)}s`;
  for (const r of house.rooms) {
    if (r.ha) {
      const m = quoteIdent(r.ha.measurement);
      const tag = `"entity_id" = ${quoteString(haObjectId(r.ha.entity_id))}`;
      const [inside, before] = await Promise.all([
        source.query(`SELECT "value" FROM ${m} WHERE ${tag} AND ${within}`),
        source.query(`SELECT LAST("value") AS "value" FROM ${m} WHERE ${tag} AND time >= ${Math.floor(window.start - lookbackS)}s AND time < ${Math.floor(window.start)}s`),
      ]);
      ha.set(r.ha.entity_id, [...samplesOf(before, "value"), ...samplesOf(inside, "value")]);
    }
    if (r.ble) {
      ble.set(r.ble.mac, samplesOf(await source.query(`SELECT "celsius" FROM ${quoteIdent(ROOM_TEMPERATURE)} WHERE "mac" = ${quoteString(r.ble.mac)} AND ${within}`), "celsius"));
    }
  }
  return { ha, ble };
}

/** Last value of every HA entity in `measurement` since `since` (object id → last), for check's near matches. */
export async function lastHaValues(source: Source, measurement: string, since: number): Promise<Map<string, SignalSeen>> {
  const series = await source.query(`SELECT LAST("value") AS "value" FROM ${quoteIdent(measurement)} WHERE time >= ${Math.floor(since)}s GROUP BY "entity_id"`);
  return lastPerTag(series, "entity_id", "value");
}

export interface ThermometerSeen extends SignalSeen {
  mac: string;
  node: string;
  rssi_dbm?: number;
  battery_pct?: number;
  humidity_pct?: number;
}

/** Every BLE thermometer heard since `since`, per MAC and node: what `floorbalance sensors` lists. */
export async function bleThermometers(source: Source, since: number): Promise<ThermometerSeen[]> {
  const from = `FROM ${quoteIdent(ROOM_TEMPERATURE)} WHERE time >= ${Math.floor(since)}s GROUP BY "mac", "node"`;
  // One selector alone returns its point's time; several together return the window's start.
  const [times, values] = await Promise.all([
    source.query(`SELECT LAST("celsius") AS "celsius" ${from}`),
    source.query(`SELECT LAST("rssi_dbm") AS "rssi_dbm", LAST("battery_pct") AS "battery_pct", LAST("humidity_pct") AS "humidity_pct" ${from}`),
  ]);
  const key = (tags: Record<string, string> | undefined) => `${tags?.mac ?? "?"}|${tags?.node ?? "?"}`;
  const extra = new Map(values.map((s) => [key(s.tags), s]));
  const out: ThermometerSeen[] = [];
  for (const s of times) {
    const row = s.values[0];
    const celsius = row?.[s.columns.indexOf("celsius")];
    if (typeof celsius !== "number") continue;
    const e = extra.get(key(s.tags));
    const col = (name: string) => {
      const v = e?.values[0]?.[e.columns.indexOf(name)];
      return typeof v === "number" ? v : undefined;
    };
    out.push({ mac: s.tags?.mac ?? "?", node: s.tags?.node ?? "?", last: Number(row[s.columns.indexOf("time")]), celsius, rssi_dbm: col("rssi_dbm"), battery_pct: col("battery_pct"), humidity_pct: col("humidity_pct") });
  }
  return out.sort((a, b) => a.mac.localeCompare(b.mac) || (b.rssi_dbm ?? -999) - (a.rssi_dbm ?? -999));
}

function lastPerTag(series: { tags?: Record<string, string>; columns: string[]; values: unknown[][] }[], tag: string, field: string): Map<string, SignalSeen> {
  const out = new Map<string, SignalSeen>();
  for (const s of series) {
    const row = s.values[0];
    const key = s.tags?.[tag];
    if (!row || !key) continue;
    const v = row[s.columns.indexOf(field)];
    if (typeof v === "number") out.set(key, { last: Number(row[s.columns.indexOf("time")]), celsius: v });
  }
  return out;
}

/** The newest value of every BLE thermometer (MAC → last), merging the nodes that heard it. */
export function lastBleValues(seen: readonly ThermometerSeen[]): Map<string, SignalSeen> {
  const out = new Map<string, SignalSeen>();
  for (const t of seen) {
    const before = out.get(t.mac);
    if (!before || t.last > before.last) out.set(t.mac, { last: t.last, celsius: t.celsius });
  }
  return out;
}

/** Every BLE thermometer's readings in the window, one trace per MAC (for the hand-warming test). */
export async function bleTraces(source: Source, window: { start: number; end: number }): Promise<{ rom: string; node: string; bus: string; samples: { time: number; celsius: number }[] }[]> {
  const series = await source.query(`SELECT "celsius" FROM ${quoteIdent(ROOM_TEMPERATURE)} WHERE time >= ${Math.floor(window.start)}s AND time < ${Math.ceil(window.end)}s GROUP BY "mac", "node"`);
  const byMac = new Map<string, { rom: string; node: string; bus: string; samples: { time: number; celsius: number }[] }>();
  for (const s of series) {
    const mac = s.tags?.mac ?? "?";
    const trace = byMac.get(mac) ?? byMac.set(mac, { rom: mac, node: s.tags?.node ?? "?", bus: "ble", samples: [] }).get(mac)!;
    for (const p of samplesOf([s], "celsius")) trace.samples.push({ time: p.time, celsius: p.value });
  }
  for (const t of byMac.values()) t.samples.sort((a, b) => a.time - b.time);
  return [...byMac.values()];
}
