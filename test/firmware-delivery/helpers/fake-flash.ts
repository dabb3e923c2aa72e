// A fake ESP32 flash with two OTA slots and a boot pointer, for the update state machine.
// `commit()` does what esp_ota_end + esp_ota_set_boot_partition do: check the image, switch.
import { createHash } from "node:crypto";
import type { Digest, UpdateSlot } from "../../../firmware/core/ota/update-session.js";

export class FakeFlash {
  slots: [Uint8Array, Uint8Array];
  boot: 0 | 1 = 0;
  opened = 0;
  cancelled = 0;
  /** Make the n-th write throw (a flash failure). */
  failWriteAt = -1;
  /** esp_ota_end's image check: by default an ESP32 image starts with the magic byte 0xE9. */
  validImage = (image: Uint8Array) => image[0] === 0xe9;

  constructor(readonly capacity: number, running: Uint8Array) {
    this.slots = [running.slice(), new Uint8Array(0)];
  }

  get bootImage(): Uint8Array {
    return this.slots[this.boot];
  }

  openSlot = (): UpdateSlot => {
    this.opened++;
    const target = this.boot === 0 ? 1 : 0;
    let parts: Uint8Array[] | undefined;
    let writes = 0;
    return {
      capacity: this.capacity,
      begin: () => {
        parts = [];
        this.slots[target] = new Uint8Array(0); // esp_ota_begin erases as it goes
      },
      write: (chunk) => {
        if (!parts) throw new Error("not begun");
        if (writes++ === this.failWriteAt) throw new Error("flash write failed");
        parts.push(chunk.slice());
      },
      cancel: () => {
        this.cancelled++;
        parts = undefined;
      },
      commit: () => {
        if (!parts) throw new Error("not begun");
        const image = Buffer.concat(parts);
        if (!this.validImage(image)) throw new Error("esp_ota_end: invalid image");
        this.slots[target] = new Uint8Array(image);
        this.boot = target;
      },
    };
  };
}

export function nodeDigest(): Digest {
  const h = createHash("sha256");
  return { write: (c) => void h.update(c), hex: () => h.digest("hex") };
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A deterministic fake app image: magic byte, then a seeded pattern. */
export function fakeImage(bytes: number, seed = 1): Uint8Array {
  const out = new Uint8Array(bytes);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  out[0] = 0xe9;
  return out;
}
