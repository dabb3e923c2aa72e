// Flash doubles with NOR semantics (erase → 0xFF, a write only clears bits), in memory (portable)
// and, in firmware/virtual/file-flash.ts, backed by a file. `cutAfter` simulates a power loss in
// the middle of a write: only that many bytes land, then the write throws.

import type { FlashStore } from "../core/flash.js";

export class PowerLoss extends Error {}

export class MemoryFlash implements FlashStore {
  readonly bytes: Uint8Array;
  writes = 0;
  erases = 0;
  /** Bytes that may still be written before the "power" fails; undefined = no failure. */
  cutAfter: number | undefined;

  constructor(
    readonly byteLength: number,
    readonly blockSize = 4096,
    bytes?: Uint8Array,
  ) {
    this.bytes = bytes ?? new Uint8Array(byteLength).fill(0xff);
  }

  erase(block: number): void {
    this.erases++;
    this.bytes.fill(0xff, block * this.blockSize, (block + 1) * this.blockSize);
  }

  read(offset: number, length: number): Uint8Array {
    return this.bytes.slice(offset, offset + length);
  }

  write(offset: number, data: Uint8Array): void {
    this.writes++;
    let n = data.length;
    if (this.cutAfter !== undefined) n = Math.min(n, this.cutAfter);
    for (let i = 0; i < n; i++) this.bytes[offset + i] &= data[i];
    if (this.cutAfter !== undefined) {
      this.cutAfter -= n;
      if (n < data.length) throw new PowerLoss("power lost during a flash write");
    }
  }
}
