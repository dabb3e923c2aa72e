// atc1441 format (https://github.com/atc1441/ATC_MiThermometer#advertising-format-of-the-custom-firmware):
// service data on 16-bit UUID 0x181A, 13 bytes after the UUID, big-endian:
// MAC[6] (most significant byte first), temperature s16 × 0.1 °C, humidity u8 %, battery u8 %,
// battery u16 mV, frame counter u8.

import { fixed, macOf, type BleReading } from "./reading.js";

export const ATC_BYTES = 13;

export function parseAtc(data: ArrayLike<number>): BleReading | undefined {
  if (data.length !== ATC_BYTES) return undefined;
  let t = ((data[6] & 0xff) << 8) | (data[7] & 0xff);
  if (t & 0x8000) t -= 0x10000;
  return { format: "atc", mac: macOf(data, 0, false), celsius: fixed(t * 0.1, 1), humidity: data[8] & 0xff, battery: data[9] & 0xff, counter: data[12] & 0xff };
}
