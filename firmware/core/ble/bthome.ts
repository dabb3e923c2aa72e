// BTHome v2 (https://bthome.io/format/): service data on 16-bit UUID 0xFCD2. The first byte is
// the device information (bit 0 encryption, bit 2 trigger-based, bits 5–7 version = 2); then
// objects, each an id byte and a little-endian value of a size fixed by the id. An unknown id
// ends the parse (its size is unknown), keeping what came before. Encrypted payloads are not
// read: they need the device's bind key, which floorbalance does not hold.

import { fixed, s16le, u16le, type BleReading } from "./reading.js";

export const BTHOME_UUID = 0xfcd2;

/** Object id → value bytes, from the format table (ids 0x00–0x61 and 0xF0–0xF2). 0 = variable (length byte first). */
const SIZES: Readonly<Record<number, number>> = Object.freeze({
  0x00: 1, 0x01: 1, 0x02: 2, 0x03: 2, 0x04: 3, 0x05: 3, 0x06: 2, 0x07: 2, 0x08: 2, 0x09: 1, 0x0a: 3, 0x0b: 3, 0x0c: 2, 0x0d: 2,
  0x0e: 2, 0x0f: 1, 0x10: 1, 0x11: 1, 0x12: 2, 0x13: 2, 0x14: 2, 0x15: 1, 0x16: 1, 0x17: 1, 0x18: 1, 0x19: 1, 0x1a: 1, 0x1b: 1,
  0x1c: 1, 0x1d: 1, 0x1e: 1, 0x1f: 1, 0x20: 1, 0x21: 1, 0x22: 1, 0x23: 1, 0x24: 1, 0x25: 1, 0x26: 1, 0x27: 1, 0x28: 1, 0x29: 1,
  0x2a: 1, 0x2b: 1, 0x2c: 1, 0x2d: 1, 0x2e: 1, 0x2f: 1, 0x3a: 1, 0x3c: 2, 0x3d: 2, 0x3e: 4, 0x3f: 2, 0x40: 2, 0x41: 2, 0x42: 3,
  0x43: 2, 0x44: 2, 0x45: 2, 0x46: 1, 0x47: 2, 0x48: 2, 0x49: 2, 0x4a: 2, 0x4b: 3, 0x4c: 4, 0x4d: 4, 0x4e: 4, 0x4f: 4, 0x50: 4,
  0x51: 2, 0x52: 2, 0x53: 0, 0x54: 0, 0x55: 4, 0x56: 2, 0x57: 1, 0x58: 1, 0x59: 1, 0x5a: 2, 0x5b: 4, 0x5c: 4, 0x5d: 2, 0x5e: 2,
  0x5f: 2, 0x60: 1, 0x61: 2, 0xf0: 2, 0xf1: 4, 0xf2: 3,
});

export type BthomeResult = { ok: true; reading: BleReading } | { ok: false; reason: "encrypted" | "version" | "no-temperature" | "short" };

/** `data`: the service data after the UUID (device information byte first). */
export function parseBthome(data: ArrayLike<number>, mac: string): BthomeResult {
  if (data.length < 1) return { ok: false, reason: "short" };
  const info = data[0] & 0xff;
  if ((info >> 5) !== 2) return { ok: false, reason: "version" };
  if (info & 0x01) return { ok: false, reason: "encrypted" };
  let celsius: number | undefined;
  let humidity: number | undefined;
  let battery: number | undefined;
  let counter: number | undefined;
  let at = 1;
  while (at < data.length) {
    const id = data[at] & 0xff;
    let size = SIZES[id];
    if (size === undefined) break;
    if (size === 0) size = 1 + (at + 1 < data.length ? data[at + 1] & 0xff : 0);
    if (at + 1 + size > data.length) break;
    const v = at + 1;
    // The first of each kind counts: a device with two thermometers sends the room one first.
    if (id === 0x00 && counter === undefined) counter = data[v] & 0xff;
    else if (id === 0x01 && battery === undefined) battery = data[v] & 0xff;
    else if (id === 0x02 && celsius === undefined) celsius = fixed(s16le(data, v) * 0.01, 2);
    else if (id === 0x45 && celsius === undefined) celsius = fixed(s16le(data, v) * 0.1, 1);
    else if (id === 0x57 && celsius === undefined) celsius = (data[v] & 0x80 ? (data[v] & 0xff) - 256 : data[v] & 0xff);
    else if (id === 0x58 && celsius === undefined) celsius = fixed((data[v] & 0x80 ? (data[v] & 0xff) - 256 : data[v] & 0xff) * 0.35, 2);
    else if (id === 0x03 && humidity === undefined) humidity = fixed(u16le(data, v) * 0.01, 2);
    else if (id === 0x2e && humidity === undefined) humidity = data[v] & 0xff;
    at = v + size;
  }
  if (celsius === undefined) return { ok: false, reason: "no-temperature" };
  const reading: BleReading = { format: "bthome", mac, celsius };
  if (humidity !== undefined) reading.humidity = humidity;
  if (battery !== undefined) reading.battery = battery;
  if (counter !== undefined) reading.counter = counter;
  return { ok: true, reading };
}
