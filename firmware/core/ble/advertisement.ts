// One BLE advertisement (the raw AD structures: length, type, data …) → a room-thermometer
// reading, or why not. Only 16-bit service data (AD type 0x16) is looked at; the UUID is
// little-endian in front of the data. BTHome has no MAC of its own inside, so the sender's
// address is its identity; pvvx and atc carry the MAC and that one wins (it is the one on the
// label, also when the radio uses a random address).

import { ATC_BYTES, parseAtc } from "./atc.js";
import { BTHOME_UUID, parseBthome } from "./bthome.js";
import { ENVIRONMENTAL_SENSING_UUID, parsePvvx, PVVX_BYTES } from "./pvvx.js";
import type { BleReading } from "./reading.js";

export const AD_SERVICE_DATA_16 = 0x16;

export type AdvertisementResult = { ok: true; reading: BleReading } | { ok: false; reason: "not-a-thermometer" | "malformed" | "encrypted" };

/** Each 16-bit service data element in the advertisement: [uuid, data]. Stops at a malformed length. */
export function serviceData16(ad: ArrayLike<number>): { uuid: number; data: ArrayLike<number> }[] {
  const out: { uuid: number; data: ArrayLike<number> }[] = [];
  let at = 0;
  while (at < ad.length) {
    const len = ad[at] & 0xff;
    if (len === 0) break;
    if (at + 1 + len > ad.length) break;
    if ((ad[at + 1] & 0xff) === AD_SERVICE_DATA_16 && len >= 3) {
      const uuid = (ad[at + 2] & 0xff) | ((ad[at + 3] & 0xff) << 8);
      const data: number[] = [];
      for (let i = at + 4; i < at + 1 + len; i++) data.push(ad[i] & 0xff);
      out.push({ uuid, data });
    }
    at += 1 + len;
  }
  return out;
}

/** `address`: the sender's address as the radio reports it (used by BTHome only). */
export function parseAdvertisement(ad: ArrayLike<number>, address: string): AdvertisementResult {
  let seen = false;
  for (const sd of serviceData16(ad)) {
    if (sd.uuid === BTHOME_UUID) {
      seen = true;
      const r = parseBthome(sd.data, address);
      if (r.ok) return r;
      if (r.reason === "encrypted") return { ok: false, reason: "encrypted" };
    } else if (sd.uuid === ENVIRONMENTAL_SENSING_UUID) {
      seen = true;
      const r = sd.data.length === PVVX_BYTES ? parsePvvx(sd.data) : sd.data.length === ATC_BYTES ? parseAtc(sd.data) : undefined;
      if (r) return { ok: true, reading: r };
    }
  }
  return { ok: false, reason: seen ? "malformed" : "not-a-thermometer" };
}
