// The flash ring: readings that must survive a reboot or outlast the RAM ring.
//
// Layout: block 0 holds the sensor table (9-byte entries: 8 ROM bytes + bus index, append-only,
// so a record's sensor index means the same ROM for the life of the partition) and, behind it
// from byte 2304, the loss counters (12-byte records, append-only, the newest valid one counts:
// magic "C", lost readings u32, dropped bad lines u32, two spare bytes, crc8), so that drops
// before a reboot are still reported after it. Once that log is three quarters full, block 0 is
// erased and the table and the newest counters are written back, but only while the ring is
// empty (see compactCounters); blocks 1… are a
// ring of data sectors. A data sector starts with a 12-byte header (magic "FB", sequence u32,
// base time u32, crc8) followed by 6-byte records (record.ts) written in order.
//
// Recovery after power loss: headers with a bad CRC (torn while being written) are erased; the
// oldest valid sequence is the tail, the newest the head; within a sector the first all-0xFF
// slot is the append position, and a torn record (bad CRC) is skipped. Consumption is tracked
// per sector: a fully sent sector is erased. After a reboot the oldest sector is replayed from
// its start, so up to one sector of already-sent readings is sent again: harmless, because every
// reading keeps its own timestamp and tags, and InfluxDB overwrites an identical point.

import { crc8 } from "../../shared/rom.js";
import type { FlashStore } from "./flash.js";
import { decodeRecord, encodeRecord, MAX_DT_S, RECORD_BYTES } from "./record.js";

const HEADER_BYTES = 12;
const TABLE_ENTRY_BYTES = 9;
/** Where the loss counters start in block 0: behind the largest table (255 entries × 9 bytes). */
const COUNTERS_AT = 2304;
const COUNTER_BYTES = 12;
const COUNTER_MAGIC = 0x43;

/** Losses over the life of the partition, persisted so a reboot does not forget them. */
export interface LossCounters {
  /** Readings lost: the ring full, the hold ring full, RAM full without flash. */
  lost: number;
  /** Lines InfluxDB refused and the node dropped. */
  badLines: number;
}

export interface Reading {
  time: number;
  sensor: number;
  raw: number;
}

interface Sector {
  block: number;
  seq: number;
  base: number;
  /** Records written (valid or torn): the append position. */
  used: number;
}

export class FlashRing {
  readonly slotsPerSector: number;
  private readonly sectors: Sector[] = []; // oldest first
  private tailSlot = 0;
  private nextSeq = 1;
  private free: number[] = [];
  /** Readings dropped since boot because the ring was full (oldest first). */
  dropped = 0;
  private count = 0;
  private counterSlot = 0;
  private counters: LossCounters = { lost: 0, badLines: 0 };
  /** Called when a full ring drops its oldest sector, before the sector is erased. */
  onDrop: ((lost: number) => void) | null = null;

  constructor(private readonly flash: FlashStore) {
    this.slotsPerSector = Math.floor((flash.blockSize - HEADER_BYTES) / RECORD_BYTES);
    if (flash.byteLength / flash.blockSize < 3) throw new Error("flash buffer needs at least 3 blocks");
    this.recover();
    this.recoverCounters();
  }

  get blocks(): number {
    return this.flash.byteLength / this.flash.blockSize;
  }
  /** Readings the ring can hold. */
  get capacity(): number {
    return (this.blocks - 1) * this.slotsPerSector;
  }
  get depth(): number {
    return this.count;
  }

  // ---- sensor table (block 0) ----

  readTable(): { rom: Uint8Array; bus: number }[] {
    const out: { rom: Uint8Array; bus: number }[] = [];
    const max = Math.floor(this.flash.blockSize / TABLE_ENTRY_BYTES);
    for (let i = 0; i < max && i < 255; i++) {
      const e = this.flash.read(i * TABLE_ENTRY_BYTES, TABLE_ENTRY_BYTES);
      if (e[0] === 0xff && e[8] === 0xff) break;
      out.push({ rom: e.slice(0, 8), bus: e[8] });
    }
    return out;
  }

  appendTable(index: number, rom: Uint8Array, bus: number): void {
    const e = new Uint8Array(TABLE_ENTRY_BYTES);
    e.set(rom.subarray(0, 8));
    e[8] = bus;
    this.flash.write(index * TABLE_ENTRY_BYTES, e);
  }

  // ---- loss counters (block 0, behind the table) ----

  private get counterSlots(): number {
    return Math.max(0, Math.floor((this.flash.blockSize - COUNTERS_AT) / COUNTER_BYTES));
  }

  private recoverCounters(): void {
    for (let i = 0; i < this.counterSlots; i++) {
      const r = this.flash.read(COUNTERS_AT + i * COUNTER_BYTES, COUNTER_BYTES);
      let blank = true;
      for (let k = 0; k < COUNTER_BYTES; k++) if (r[k] !== 0xff) blank = false;
      if (blank) break;
      this.counterSlot = i + 1;
      // A torn record (power cut while writing it) is skipped; the one before it stands.
      if (r[0] === COUNTER_MAGIC && crc8(r, 11) === r[11]) this.counters = { lost: u32(r, 1), badLines: u32(r, 5) };
    }
  }

  /** The losses persisted before this boot (and since, once saved). */
  loadCounters(): LossCounters {
    return { lost: this.counters.lost, badLines: this.counters.badLines };
  }

  /**
   * Persist the losses if they changed: one 12-byte write. False if they could not be written
   * (the log is full while readings wait in the ring; they are written once it has drained).
   */
  saveCounters(c: LossCounters): boolean {
    if (c.lost === this.counters.lost && c.badLines === this.counters.badLines) return true;
    if (this.counterSlots === 0) return false;
    if (this.counterSlot >= this.counterSlots && !this.compactCounters()) return false;
    const r = new Uint8Array(COUNTER_BYTES).fill(0xff);
    r[0] = COUNTER_MAGIC;
    putU32(r, 1, Math.min(c.lost, 0xffffffff));
    putU32(r, 5, Math.min(c.badLines, 0xffffffff));
    r[11] = crc8(r, 11);
    this.flash.write(COUNTERS_AT + this.counterSlot * COUNTER_BYTES, r);
    this.counterSlot++;
    this.counters = { lost: c.lost, badLines: c.badLines };
    return true;
  }

  /** While the ring is empty, start a fresh log once it is three quarters full (see compactCounters). */
  maintainCounters(): void {
    if (this.counterSlot >= (this.counterSlots * 3) / 4) this.compactCounters();
  }

  /**
   * Erase block 0 and write the table back, then the newest counters. Only while no reading waits
   * in the ring: a power cut in the middle loses the table, and the node then numbers its sensors
   * afresh, which must not meet a stored reading carrying an old number.
   */
  private compactCounters(): boolean {
    if (this.sectors.length > 0) return false;
    const table = this.flash.read(0, COUNTERS_AT);
    let used = 0;
    while (used + TABLE_ENTRY_BYTES <= COUNTERS_AT && !(table[used] === 0xff && table[used + 8] === 0xff)) used += TABLE_ENTRY_BYTES;
    this.flash.erase(0);
    if (used > 0) this.flash.write(0, table.subarray(0, used));
    this.counterSlot = 0;
    const newest = this.counters;
    this.counters = { lost: 0, badLines: 0 };
    if (newest.lost > 0 || newest.badLines > 0) this.saveCounters(newest);
    return true;
  }

  // ---- data ring ----

  private offset(block: number, slot: number): number {
    return block * this.flash.blockSize + HEADER_BYTES + slot * RECORD_BYTES;
  }

  private recover(): void {
    const found: Sector[] = [];
    for (let b = 1; b < this.blocks; b++) {
      const h = this.flash.read(b * this.flash.blockSize, HEADER_BYTES);
      let blank = true;
      for (let i = 0; i < HEADER_BYTES; i++) if (h[i] !== 0xff) blank = false;
      if (blank) {
        // A blank header over a partly written body cannot happen (the header goes first), but
        // an interrupted erase can leave one: check the first slot too.
        if (decodeRecord(this.flash.read(this.offset(b, 0), RECORD_BYTES), 0).kind !== "empty") this.flash.erase(b);
        this.free.push(b);
        continue;
      }
      if (h[0] !== 0x46 || h[1] !== 0x42 || crc8(h, 10) !== h[10]) {
        this.flash.erase(b);
        this.free.push(b);
        continue;
      }
      found.push({ block: b, seq: u32(h, 2), base: u32(h, 6), used: this.usedSlots(b) });
    }
    found.sort((a, b) => a.seq - b.seq);
    for (const s of found) {
      this.sectors.push(s);
      this.count += s.used;
      this.nextSeq = s.seq + 1;
    }
  }

  /** Append position: records are written in order, so the first empty slot ends the sector. */
  private usedSlots(block: number): number {
    let lo = 0;
    let hi = this.slotsPerSector;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (decodeRecord(this.flash.read(this.offset(block, mid), RECORD_BYTES), 0).kind === "empty") hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private openSector(base: number): Sector {
    if (this.free.length === 0) this.dropOldestSector();
    const block = this.free.shift() as number;
    const h = new Uint8Array(HEADER_BYTES).fill(0xff);
    h[0] = 0x46;
    h[1] = 0x42;
    putU32(h, 2, this.nextSeq);
    putU32(h, 6, base);
    h[10] = crc8(h, 10);
    this.flash.write(block * this.flash.blockSize, h);
    const s: Sector = { block, seq: this.nextSeq++, base, used: 0 };
    this.sectors.push(s);
    return s;
  }

  private dropOldestSector(): void {
    const s = this.sectors.shift() as Sector;
    const lost = s.used - this.tailSlot;
    this.dropped += lost;
    this.count -= lost;
    this.tailSlot = 0;
    // Counted (and persisted by the hook) before the erase: a power cut between the two
    // over-counts a sector that is then still sent, never forgets one that is gone.
    if (this.onDrop) this.onDrop(lost);
    this.flash.erase(s.block);
    this.free.push(s.block);
  }

  /** Append readings (oldest first). A new sector starts when time runs backwards or dt overflows. */
  append(readings: readonly Reading[]): void {
    if (readings.length === 0) return;
    // Group consecutive records of one sector into one flash write.
    let head = this.sectors[this.sectors.length - 1];
    let pending = new Uint8Array(readings.length * RECORD_BYTES);
    let n = 0;
    const flush = () => {
      if (n > 0) this.flash.write(this.offset(head.block, head.used - n), pending.subarray(0, n * RECORD_BYTES));
      n = 0;
    };
    for (const r of readings) {
      if (!head || head.used >= this.slotsPerSector || r.time < head.base || r.time - head.base > MAX_DT_S) {
        flush();
        head = this.openSector(r.time);
      }
      encodeRecord(pending, n * RECORD_BYTES, r.time - head.base, r.sensor, r.raw);
      n++;
      head.used++;
      this.count++;
    }
    flush();
  }

  /** Up to `max` readings from the tail, oldest first, without consuming them. */
  peek(max: number, out: Reading[]): number {
    let taken = 0;
    let slot = this.tailSlot;
    for (let i = 0; i < this.sectors.length && taken < max; i++) {
      const s = this.sectors[i];
      const want = Math.min(s.used - slot, max - taken);
      if (want > 0) {
        const bytes = this.flash.read(this.offset(s.block, slot), want * RECORD_BYTES);
        for (let k = 0; k < want; k++) {
          const d = decodeRecord(bytes, k * RECORD_BYTES);
          // A torn record still counts as a slot: it is consumed like the others, never sent.
          out.push(d.kind === "ok" ? { time: s.base + d.dt, sensor: d.sensor, raw: d.raw } : { time: 0, sensor: -1, raw: 0 });
          taken++;
        }
      }
      slot = 0;
    }
    return taken;
  }

  /**
   * The newest reading of each sensor found in the newest `maxSectors` sectors, sent or not: what
   * the node checks a sensor's first reading after a boot against. Cheap: a few sector reads.
   */
  newestPerSensor(maxSectors = 2): Map<number, Reading> {
    const out = new Map<number, Reading>();
    for (let i = this.sectors.length - 1; i >= 0 && i >= this.sectors.length - maxSectors; i--) {
      const s = this.sectors[i];
      if (s.used === 0) continue;
      const bytes = this.flash.read(this.offset(s.block, 0), s.used * RECORD_BYTES);
      for (let k = s.used - 1; k >= 0; k--) {
        const d = decodeRecord(bytes, k * RECORD_BYTES);
        if (d.kind === "ok" && !out.has(d.sensor)) out.set(d.sensor, { time: s.base + d.dt, sensor: d.sensor, raw: d.raw });
      }
    }
    return out;
  }

  /** Mark the `n` oldest readings as sent; erase sectors that are done. */
  consume(n: number): void {
    let left = n;
    while (left > 0 && this.sectors.length > 0) {
      const s = this.sectors[0];
      const step = Math.min(left, s.used - this.tailSlot);
      this.tailSlot += step;
      this.count -= step;
      left -= step;
      if (this.tailSlot < s.used) break;
      this.sectors.shift();
      this.flash.erase(s.block);
      this.free.push(s.block);
      this.tailSlot = 0;
    }
  }
}

function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;
}

function putU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}
