// One buffered reading, as stored: 6 bytes in flash, 7 in RAM. Not line protocol: the text is
// made only when a batch is sent (~95 bytes a line), so the buffer holds ~15x more readings.
//
// Flash record (little-endian): dt u16 (s since the sector's base time), sensor u8 (index into
// the sensor table, 0xFF = never written), raw i16 (the DS18B20 temperature register in 1/16 K,
// exact), crc8 of the five bytes before it (a record torn by power loss is recognised).

import { crc8 } from "../../shared/rom.js";

export const RECORD_BYTES = 6;
export const NO_SENSOR = 0xff;
export const MAX_DT_S = 0xffff;

export function encodeRecord(out: Uint8Array, at: number, dt: number, sensor: number, raw: number): void {
  out[at] = dt & 0xff;
  out[at + 1] = (dt >> 8) & 0xff;
  out[at + 2] = sensor;
  const r = raw < 0 ? raw + 0x10000 : raw;
  out[at + 3] = r & 0xff;
  out[at + 4] = (r >> 8) & 0xff;
  out[at + 5] = crc8(out.subarray(at, at + 5), 5);
}

export type DecodedRecord = { kind: "empty" } | { kind: "torn" } | { kind: "ok"; dt: number; sensor: number; raw: number };

export function decodeRecord(bytes: Uint8Array, at: number): DecodedRecord {
  let empty = true;
  for (let i = 0; i < RECORD_BYTES; i++) if (bytes[at + i] !== 0xff) empty = false;
  if (empty) return { kind: "empty" };
  if (crc8(bytes.subarray(at, at + 5), 5) !== bytes[at + 5] || bytes[at + 2] === NO_SENSOR) return { kind: "torn" };
  let raw = bytes[at + 3] | (bytes[at + 4] << 8);
  if (raw & 0x8000) raw -= 0x10000;
  return { kind: "ok", dt: bytes[at] | (bytes[at + 1] << 8), sensor: bytes[at + 2], raw };
}

/** Celsius of a raw register value (1/16 K). */
export function rawToCelsius(raw: number): number {
  return raw / 16;
}

export function celsiusToRaw(celsius: number): number {
  return Math.round(celsius * 16);
}
