// One OneWire bus: search, one simultaneous conversion, then read each sensor present.
// The node runs one sampler per bus and starts all conversions before waiting once, so several
// buses convert in parallel and the cycle costs one conversion time plus the reads.

import { decodeScratchpad, DEFAULT_POLICY, judgeReading, plausibleNeighbour, type Decoded as DecodeResult, type FirstReadingContext } from "../../shared/reading.js";
import { crc8, TEMPERATURE_FAMILIES } from "../../shared/rom.js";
import type { RejectionReason } from "../../shared/measurements.js";
import type { BusConfig } from "./config.js";
import { convertAll, readScratchpad, setResolution, type OneWireBus } from "./onewire.js";
import type { SensorEntry, SensorTable } from "./sensor-table.js";
import { celsiusToRaw } from "./record.js";

/** A read that failed its CRC is tried again within the cycle, at most this often. */
export const READ_RETRIES = 2;

export interface Accepted {
  entry: SensorEntry;
  raw: number;
}

export class BusSampler {
  found = 0;
  expected: number;
  crcErrors = 0;
  shorted = false;
  private searches = 0;

  constructor(
    readonly index: number,
    readonly config: BusConfig,
    private readonly bus: OneWireBus,
    private readonly table: SensorTable,
    private readonly rejected: Record<RejectionReason, number>,
    private readonly resolution: number,
    private readonly log: (line: string) => void,
  ) {
    this.expected = config.sensors.length;
  }

  /** SEARCH ROM: marks who is present, adds unknown ROMs, logs what changed. */
  search(): void {
    const seen = new Set<string>();
    const wasShorted = this.shorted;
    this.shorted = !this.bus.reset();
    const roms = this.shorted ? [] : this.bus.search();
    for (const wire of roms) {
      if (crc8(wire, 7) !== wire[7]) {
        this.crcErrors++;
        continue;
      }
      if (TEMPERATURE_FAMILIES.indexOf(wire[0]) < 0) continue; // another kind of 1-Wire device
      const entry = this.table.found(wire, this.index);
      if (!entry) continue;
      seen.add(entry.rom);
      if (!entry.present) this.log(`bus ${this.config.id}: found ${entry.rom} ${entry.mapped ? entry.label || "mapped" : "UNMAPPED (add it to the house file)"}`);
    }
    let found = 0;
    for (const e of this.table.onBus(this.index)) {
      const now = seen.has(e.rom);
      if (e.present && !now) this.log(`bus ${this.config.id}: lost ${e.rom} ${e.label}`);
      if (this.searches === 0 && !now && e.mapped) this.log(`bus ${this.config.id}: MISSING ${e.rom} ${e.label} (expected, did not answer)`);
      e.present = now;
      if (now) found++;
    }
    if (this.shorted && !wasShorted) this.log(`bus ${this.config.id} (pin ${this.config.pin}): no presence pulse: shorted or nothing connected`);
    this.found = found;
    this.searches++;
    if (found > 0) setResolution(this.bus, this.resolution);
  }

  /** SKIP ROM + CONVERT T. False if the bus is shorted or empty. */
  convert(): boolean {
    this.shorted = !convertAll(this.bus);
    return !this.shorted;
  }

  /**
   * Read every present sensor, then judge each reading; `nowS` is monotonic seconds, `wallOffsetS`
   * (wall − monotonic, when the clock is set) places the values kept in flash on that clock. All
   * reads come first, so a sensor's first reading can be checked against its bus neighbours.
   */
  read(nowS: number, out: Accepted[], wallOffsetS?: number): void {
    if (this.shorted) return;
    const reads: { e: SensorEntry; d: DecodeResult }[] = [];
    for (const e of this.table.onBus(this.index)) {
      if (!e.present) continue;
      let d: DecodeResult = { ok: false, reason: "crc" };
      for (let attempt = 0; attempt <= READ_RETRIES; attempt++) {
        d = decodeScratchpad(readScratchpad(this.bus, e.wire), this.resolution);
        if (d.ok) break;
        if (d.reason === "crc") this.crcErrors++;
      }
      reads.push({ e, d });
    }
    for (let i = 0; i < reads.length; i++) {
      const e = reads[i].e;
      let d = reads[i].d;
      if (d.ok) d = judgeReading(d.celsius, nowS, e.previous, DEFAULT_POLICY, this.firstContext(e, nowS, reads, i, wallOffsetS));
      if (!d.ok) {
        this.rejected[d.reason]++;
        e.rejected++;
        // All ones after the retries: the sensor has gone; the next search looks for it again.
        if (d.reason === "disconnected") e.present = false;
        continue;
      }
      e.previous = { celsius: d.celsius, time: nowS };
      e.candidate = undefined;
      e.lastC = d.celsius;
      out.push({ entry: e, raw: celsiusToRaw(d.celsius) });
    }
  }

  /** References for a reading without a recent previous one; undefined when it has one. */
  private firstContext(e: SensorEntry, nowS: number, reads: { e: SensorEntry; d: DecodeResult }[], self: number, wallOffsetS?: number): FirstReadingContext | undefined {
    if (e.previous && nowS - e.previous.time <= DEFAULT_POLICY.previousMaxAgeS) return undefined;
    const neighbours: number[] = [];
    for (let k = 0; k < reads.length; k++) {
      const d = reads[k].d;
      if (k !== self && d.ok && plausibleNeighbour(d.celsius)) neighbours.push(d.celsius);
    }
    const stored = e.stored && wallOffsetS !== undefined ? { celsius: e.stored.celsius, time: e.stored.wall - wallOffsetS } : undefined;
    const context: FirstReadingContext = { neighbours, stored, candidate: e.candidate };
    // If this one is rejected, it is the candidate the next reading may confirm.
    const d = reads[self].d;
    if (d.ok) e.candidate = { celsius: d.celsius, time: nowS };
    return context;
  }
}
