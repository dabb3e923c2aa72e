// RAM ring in front of the flash ring. While InfluxDB answers, readings stay in RAM and are sent
// from there (no flash wear). As soon as a write fails, or the RAM ring fills, RAM is spilled to
// flash, so a reboot during an outage loses at most the readings of the current cycle. Flash
// always holds older readings than RAM, so "flash first, then RAM" is oldest-first.

import { FlashRing, type Reading } from "./flash-ring.js";
import { RamRing } from "./ram-ring.js";

export class ReadingBuffer {
  /** Readings dropped from a full RAM ring when there is no flash to spill to. */
  private ramDropped = 0;

  constructor(
    readonly ram: RamRing,
    readonly flash: FlashRing | null,
  ) {}

  get depth(): number {
    return this.ram.depth + (this.flash ? this.flash.depth : 0);
  }
  get dropped(): number {
    return this.ramDropped + (this.flash ? this.flash.dropped : 0);
  }

  push(time: number, sensor: number, raw: number): void {
    if (this.ram.full) {
      if (this.flash) this.spill();
      else this.ramDropped++;
    }
    this.ram.push(time, sensor, raw);
  }

  /** Move everything in RAM to flash. */
  spill(): void {
    if (!this.flash || this.ram.depth === 0) return;
    const all: Reading[] = [];
    this.ram.peek(this.ram.depth, all);
    this.flash.append(all);
    this.ram.consume(all.length);
  }

  /** Oldest-first, without consuming. Torn flash records come back with sensor −1. */
  peek(max: number): Reading[] {
    const out: Reading[] = [];
    const fromFlash = this.flash ? this.flash.peek(max, out) : 0;
    if (fromFlash < max) this.ram.peek(max - fromFlash, out);
    return out;
  }

  consume(n: number): void {
    const fromFlash = this.flash ? Math.min(n, this.flash.depth) : 0;
    if (fromFlash > 0) (this.flash as FlashRing).consume(fromFlash);
    this.ram.consume(n - fromFlash);
  }
}
