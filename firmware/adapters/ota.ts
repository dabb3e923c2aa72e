// The device side of UpdateSlot and Digest: Moddable's legacy "ota" module (esp_ota_begin /
// write / end / set_boot_partition on the next OTA partition) and crypt's SHA-256. Thin: every
// decision is in firmware/core/ota/update-session.ts.

import OTA from "ota";
import { Digest as CryptDigest } from "crypt";
import type { Digest, UpdateSlot } from "../core/ota/update-session.js";
import { OTA_SLOT_SIZE } from "../core/partitions.js";

/** The native calls take an ArrayBuffer; copy only when the view is a slice of a larger one. */
function bufferOf(chunk: Uint8Array): ArrayBuffer {
  const whole = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;
  return (whole ? chunk.buffer : chunk.slice().buffer) as ArrayBuffer;
}

export function openSlot(): UpdateSlot {
  let ota: OTA | undefined;
  return {
    capacity: OTA_SLOT_SIZE,
    begin() {
      ota = new OTA(); // erases as it goes (OTA_WITH_SEQUENTIAL_WRITES): no long pause up front
    },
    write(chunk) {
      if (!ota) throw new Error("not begun");
      ota.write(bufferOf(chunk));
    },
    cancel() {
      try {
        ota?.cancel();
      } catch {
        // esp_ota_end on a half-written image fails by design; the boot partition is untouched either way
      }
      ota = undefined;
    },
    commit() {
      if (!ota) throw new Error("not begun");
      const writer = ota;
      ota = undefined;
      writer.complete();
    },
  };
}

export function createDigest(): Digest {
  const digest = new CryptDigest("SHA256");
  return {
    write(chunk) {
      digest.write(bufferOf(chunk));
    },
    hex() {
      const bytes = new Uint8Array(digest.close());
      let out = "";
      for (let i = 0; i < bytes.length; i++) out += (bytes[i]! < 16 ? "0" : "") + bytes[i]!.toString(16);
      return out;
    },
  };
}
