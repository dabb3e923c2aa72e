// The BLE room thermometers the nodes hear, for `floorbalance sensors`: per MAC the room the
// house file gives it (or none yet), the node that hears it best, its last reading and age.
import type { ThermometerSeen } from "../analyser/sources/rooms.js";
import type { House } from "../shared/house/index.js";
import type { Lang } from "./render.js";

export interface ThermometerRow {
  mac: string;
  room: string | null;
  node: string;
  celsius: number;
  rssi_dbm?: number;
  battery_pct?: number;
  age_s: number;
  heard_by: number;
}

/** One row per MAC: the node with the strongest signal, the newest reading. */
export function thermometerRows(house: House, seen: readonly ThermometerSeen[], now: number): ThermometerRow[] {
  const roomOf = new Map(house.rooms.flatMap((r) => (r.ble ? [[r.ble.mac, r.name] as const] : [])));
  const byMac = new Map<string, ThermometerSeen[]>();
  for (const s of seen) (byMac.get(s.mac) ?? byMac.set(s.mac, []).get(s.mac)!).push(s);
  return [...byMac].map(([mac, list]) => {
    const best = [...list].sort((a, b) => (b.rssi_dbm ?? -999) - (a.rssi_dbm ?? -999))[0];
    const newest = [...list].sort((a, b) => b.last - a.last)[0];
    return { mac, room: roomOf.get(mac) ?? null, node: best.node, celsius: newest.celsius, rssi_dbm: best.rssi_dbm, battery_pct: newest.battery_pct, age_s: now - newest.last, heard_by: list.length };
  });
}

export function renderThermometers(rows: readonly ThermometerRow[], lang: Lang): string {
  const T = (en: string, de: string) => (lang === "de" ? de : en);
  if (rows.length === 0) return "";
  const out = [T("Room thermometers (Bluetooth LE):", "Raumthermometer (Bluetooth LE):")];
  for (const r of rows) {
    const room = r.room ?? T("not in the house file (rooms[].ble.mac)", "nicht in der Hausdatei (rooms[].ble.mac)");
    const battery = r.battery_pct === undefined ? "" : T(`, battery ${r.battery_pct} %`, `, Batterie ${r.battery_pct} %`);
    out.push(`  ${r.mac}  ${r.celsius.toFixed(2)} °C  ${room}  ${T("heard by", "gehört von")} ${r.node}${r.rssi_dbm === undefined ? "" : ` (${r.rssi_dbm} dBm)`}${r.heard_by > 1 ? ` +${r.heard_by - 1}` : ""}${battery}, ${T(`${Math.round(r.age_s)} s ago`, `vor ${Math.round(r.age_s)} s`)}`);
  }
  return out.join("\n") + "\n";
}
