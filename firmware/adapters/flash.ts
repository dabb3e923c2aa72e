// The core's FlashStore over a raw flash partition (Moddable "flash"; partition "readings" in
// firmware/partitions.csv). Offsets are relative to the partition.
import Flash from "flash";
import type { FlashStore } from "../core/flash.js";

export class PartitionFlash implements FlashStore {
  private readonly flash: Flash;
  readonly blockSize: number;
  readonly byteLength: number;

  constructor(partition: string) {
    this.flash = new Flash(partition);
    this.blockSize = this.flash.blockSize;
    this.byteLength = this.flash.byteLength;
  }
  erase(block: number): void {
    this.flash.erase(block);
  }
  read(offset: number, length: number): Uint8Array {
    return new Uint8Array(this.flash.read(offset, length) as ArrayBuffer);
  }
  write(offset: number, bytes: Uint8Array): void {
    // Moddable wants an ArrayBuffer-backed buffer starting at 0.
    const copy = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
    this.flash.write(offset, bytes.length, copy as ArrayBuffer);
  }
}
