// The RAM ring in front of the flash ring: 7 bytes a reading in three typed arrays (no object
// per reading, so the XS heap does not grow with the buffer).

import type { Reading } from "./flash-ring.js";

export class RamRing {
  private readonly times: Uint32Array;
  private readonly sensors: Uint8Array;
  private readonly raws: Int16Array;
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.times = new Uint32Array(capacity);
    this.sensors = new Uint8Array(capacity);
    this.raws = new Int16Array(capacity);
  }

  static readonly BYTES_PER_READING = 4 + 1 + 2;

  get depth(): number {
    return this.size;
  }
  get full(): boolean {
    return this.size === this.capacity;
  }

  push(time: number, sensor: number, raw: number): void {
    const at = (this.head + this.size) % this.capacity;
    this.times[at] = time;
    this.sensors[at] = sensor;
    this.raws[at] = raw;
    if (this.size < this.capacity) this.size++;
    else this.head = (this.head + 1) % this.capacity;
  }

  peek(max: number, out: Reading[], skip = 0): number {
    let n = 0;
    for (let i = skip; i < this.size && n < max; i++, n++) {
      const at = (this.head + i) % this.capacity;
      out.push({ time: this.times[at], sensor: this.sensors[at], raw: this.raws[at] });
    }
    return n;
  }

  consume(n: number): void {
    const k = Math.min(n, this.size);
    this.head = (this.head + k) % this.capacity;
    this.size -= k;
  }
}
