// A thermometer broadcast → records for the node's reading buffer, and a buffered record → its
// line. The node calls these two; everything BLE-specific stays here.

import { encodePoint } from "../../../shared/line-protocol.js";
import { roomTemperaturePoint } from "../../../shared/measurements.js";
import type { Accepted } from "../sampler.js";
import type { SensorEntry, SensorTable } from "../sensor-table.js";
import type { BleGate } from "./gate.js";
import { BLE_BUS, bleIdentity, bleWire, fromRaw, toRaw, type Quantity } from "./record.js";
import type { BleReading } from "./reading.js";

/** The records one broadcast adds (none when the gate says no, or the sensor table is full). */
export function bleRecords(table: SensorTable, gate: BleGate, reading: BleReading, rssi: number, nowS: number): Accepted[] {
  if (gate.judge(reading, nowS) !== "accept") return [];
  const out: Accepted[] = [];
  const add = (quantity: Quantity, value: number | undefined) => {
    if (value === undefined) return;
    const entry = table.found(bleWire(reading.mac, quantity), BLE_BUS);
    if (entry) {
      entry.lastC = quantity === "celsius" ? value : entry.lastC;
      out.push({ entry, raw: toRaw(quantity, value) });
    }
  };
  add("celsius", reading.celsius);
  add("humidity_pct", reading.humidity);
  add("battery_pct", reading.battery);
  add("rssi_dbm", rssi);
  return out;
}

/** The line of a buffered BLE record, or null when the entry is not a BLE one. */
export function bleLine(node: string, entry: SensorEntry, time: number, raw: number): string | null {
  if (entry.bus !== BLE_BUS) return null;
  const id = bleIdentity(entry.wire);
  if (!id) return null;
  return encodePoint(roomTemperaturePoint({ node, mac: id.mac, time, [id.quantity]: fromRaw(id.quantity, raw) }));
}
