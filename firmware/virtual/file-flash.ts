// A file-backed flash double for the virtual node: the buffer survives restarting the process,
// as the partition survives a reboot on the device.

import { closeSync, existsSync, openSync, readFileSync, writeSync } from "node:fs";
import { MemoryFlash } from "./flash-double.js";

export class FileFlash extends MemoryFlash {
  private readonly fd: number;

  constructor(
    readonly path: string,
    byteLength: number,
    blockSize = 4096,
  ) {
    const bytes = existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined;
    super(byteLength, blockSize, bytes && bytes.length === byteLength ? bytes : undefined);
    this.fd = openSync(path, existsSync(path) ? "r+" : "w+");
    if (!bytes || bytes.length !== byteLength) writeSync(this.fd, this.bytes, 0, byteLength, 0);
  }

  override erase(block: number): void {
    super.erase(block);
    writeSync(this.fd, this.bytes, block * this.blockSize, this.blockSize, block * this.blockSize);
  }

  override write(offset: number, data: Uint8Array): void {
    super.write(offset, data);
    writeSync(this.fd, this.bytes, offset, data.length, offset);
  }

  close(): void {
    closeSync(this.fd);
  }
}
