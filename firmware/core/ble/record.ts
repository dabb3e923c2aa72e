// How a thermometer reading rides in the node's reading buffer (the same RAM and flash rings, the
// same batches and write rules as the DS18B20 readings). A buffer record is (time, sensor index,
// i16 raw); a room reading has up to four quantities, so each quantity of each thermometer gets
// its own entry in the sensor table, with an 8-byte id that cannot be a 1-Wire ROM met on a bus:
// family byte 0xB0 + quantity, the MAC (least significant byte first, as a ROM's serial), CRC8.
// Each quantity is sent as its own line with the same tags and time; InfluxDB merges them into
// one point. The table is persisted in flash, so an index means the same thermometer after a reboot.

import { crc8 } from "../../../shared/rom.js";

/** The pseudo bus index BLE entries carry in the sensor table (no OneWire bus has it). */
export const BLE_BUS = 0xfe;
export const BLE_FAMILY = 0xb0;

export const QUANTITIES = ["celsius", "humidity_pct", "battery_pct", "rssi_dbm"] as const;
export type Quantity = (typeof QUANTITIES)[number];

/** Raw i16 units per quantity: centi-°C, centi-%, %, dBm. */
const SCALE: Readonly<Record<Quantity, number>> = Object.freeze({ celsius: 100, humidity_pct: 100, battery_pct: 1, rssi_dbm: 1 });

export function bleWire(mac: string, quantity: Quantity): Uint8Array {
  const hex = mac.replace(/:/g, "");
  const wire = new Uint8Array(8);
  wire[0] = BLE_FAMILY + QUANTITIES.indexOf(quantity);
  for (let i = 1; i <= 6; i++) wire[i] = parseInt(hex.slice(12 - 2 * i, 14 - 2 * i), 16);
  wire[7] = crc8(wire, 7);
  return wire;
}

/** The quantity and MAC of a sensor-table id, or undefined for a 1-Wire ROM. */
export function bleIdentity(wire: ArrayLike<number>): { quantity: Quantity; mac: string } | undefined {
  const q = (wire[0] & 0xff) - BLE_FAMILY;
  if (q < 0 || q >= QUANTITIES.length) return undefined;
  let mac = "";
  for (let i = 6; i >= 1; i--) mac += (i < 6 ? ":" : "") + ((wire[i] & 0xff) < 16 ? "0" : "") + (wire[i] & 0xff).toString(16);
  return { quantity: QUANTITIES[q], mac };
}

export function toRaw(quantity: Quantity, value: number): number {
  const raw = Math.round(value * SCALE[quantity]);
  return raw > 32767 ? 32767 : raw < -32768 ? -32768 : raw;
}

export function fromRaw(quantity: Quantity, raw: number): number {
  return raw / SCALE[quantity];
}
