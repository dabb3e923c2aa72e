// pvvx custom format (https://github.com/pvvx/ATC_MiThermometer#custom-format-all-data-little-endian):
// service data on 16-bit UUID 0x181A, 15 bytes after the UUID, all little-endian:
// MAC[6] (least significant byte first), temperature s16 × 0.01 °C, humidity u16 × 0.01 %,
// battery u16 mV, battery u8 %, measurement counter u8, flags u8.

import { fixed, macOf, s16le, u16le, type BleReading } from "./reading.js";

export const ENVIRONMENTAL_SENSING_UUID = 0x181a;
export const PVVX_BYTES = 15;

export function parsePvvx(data: ArrayLike<number>): BleReading | undefined {
  if (data.length !== PVVX_BYTES) return undefined;
  return {
    format: "pvvx",
    mac: macOf(data, 0, true),
    celsius: fixed(s16le(data, 6) * 0.01, 2),
    humidity: fixed(u16le(data, 8) * 0.01, 2),
    battery: data[12] & 0xff,
    counter: data[13] & 0xff,
  };
}
