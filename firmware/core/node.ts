// The node: decides when to sample, flush and report health, and wires sampler, clock, buffer
// and writer together. Each of those is testable alone; this file only schedules.
//
// Time: readings are stamped with the device clock (SNTP). Before the clock is set they are held
// in a RAM ring with their monotonic time and stamped once it is set (wall = now − age). If SNTP
// never answers, the node asks InfluxDB's /ping after CLOCK_FALLBACK_S and sets the clock from
// the Date header of the answer (to the second). If neither ever works, the hold ring keeps the
// newest HOLD_CAPACITY readings, drops the oldest (counted in `dropped`), and no health point can
// be written (a point needs a timestamp); the serial log says so once a minute.

import { encodePoint } from "../../shared/line-protocol.js";
import { busHealthPoint, nodeHealthPoint, REJECTION_REASONS, temperaturePoint, type RejectionReason, type WriteStatus } from "../../shared/measurements.js";
import { ReadingBuffer } from "./buffer.js";
import { expectedSensors, type NodeConfig } from "./config.js";
import { CONVERSION_TIME_S } from "../../shared/measurements.js";
import { FlashRing, type Reading } from "./flash-ring.js";
import type { FlashStore } from "./flash.js";
import type { OneWireBus } from "./onewire.js";
import type { Platform, Timer } from "./platform.js";
import { RamRing } from "./ram-ring.js";
import { BusSampler, type Accepted } from "./sampler.js";
import { SensorTable } from "./sensor-table.js";
import { rawToCelsius } from "./record.js";
import { BleGate } from "./ble/gate.js";
import { bleLine, bleRecords } from "./ble/intake.js";
import { BLE_BUS } from "./ble/record.js";
import type { BleReading } from "./ble/reading.js";
import { backoffMs, base64, classify, parseHttpDate, statusOf, utf8Length, type Outcome } from "./writer.js";

export interface NodeOptions {
  /** Readings held in RAM before they go to flash. */
  ramCapacity: number;
  /** Readings held before the clock is set. */
  holdCapacity: number;
  /** Lines per POST (a batch is ~95 bytes a line). */
  batchLines: number;
  /**
   * UTF-8 bytes per POST body (at least one line always goes). Bounds the RAM a batch takes and
   * stays below the ESP32's TCP send buffer (8 KB with the SDK's sdkconfig), so even a platform
   * that writes the body in one piece does not fail on a backlog after an outage.
   */
  batchBytes: number;
  searchEveryS: number;
  healthEveryS: number;
  clockFallbackS: number;
  /** The supervisor restarts the loop when no cycle finished for this many intervals. */
  stallIntervals: number;
  /** HTTP timeout, handled by the platform's transport. */
  resetReason?: string;
}

export const DEFAULT_OPTIONS: NodeOptions = Object.freeze({
  ramCapacity: 256,
  holdCapacity: 2048,
  batchLines: 100,
  batchBytes: 6 * 1024,
  searchEveryS: 300,
  healthEveryS: 60,
  clockFallbackS: 60,
  stallIntervals: 6,
});

/** Extra time after the datasheet conversion time before reading (clock tolerance of the timer). */
const CONVERSION_MARGIN_MS = 10;

interface Batch {
  readings: number;
  lines: string[];
  health: number;
  events: number;
}

/** Event lines (queueLine) held while InfluxDB is away; the oldest go first. */
const EVENT_CAPACITY = 256;
/** Event lines per batch: they are rare, readings keep the batch. */
const EVENTS_PER_BATCH = 16;

export interface StatusSnapshot {
  node: string;
  firmware: string;
  uptime_s: number;
  reset_reason: string;
  buses: { id: string; pin: number; shorted: boolean; sensors: { rom: string; mapped: boolean; last_c: number | null; last_time: number | null; age_s: number | null; rejected: number }[] }[];
  buffer: { depth: number; dropped: number };
  write: { status: WriteStatus; http_status: number; last_ok: number | null };
  clock_synced: boolean;
}

export class FirmwareNode {
  readonly options: NodeOptions;
  readonly table: SensorTable;
  readonly samplers: BusSampler[];
  readonly buffer: ReadingBuffer;
  readonly rejected: Record<RejectionReason, number>;
  private readonly hold: RamRing;
  private holdDropped = 0;
  private readonly ring: FlashRing | null;
  /** Readings lost before this boot (persisted in the flash ring). */
  private readonly lostBefore: number;
  private lastPersistS = 0;
  private healthLines: string[] = [];
  private eventLines: string[] = [];
  private batch: Batch | null = null;
  private inFlight = false;
  private inFlightSince = 0;
  private notBefore = 0;
  private attempt = 0;
  private maxLines: number;
  private timers: Timer[] = [];
  private flushTimer: Timer | null = null;
  private lastBeat = 0;
  private stalls = 0;
  private lastSearch = -Infinity;
  private lastHealth = -Infinity;
  private askedClock = -Infinity;
  private readonly writePath: string;
  private readonly headers: [string, string][];
  private running = false;
  writeStatus: WriteStatus = "none";
  httpStatus = 0;
  lastOk: number | null = null;
  /** Lines InfluxDB refused and the node dropped, over the life of the flash partition. */
  droppedBadLines: number;
  /** Writes refused without naming a line (a 400 that names none, a 413 for one line): kept and retried. */
  writeRefused = 0;
  /** Event lines dropped because EVENT_CAPACITY was full. */
  droppedEvents = 0;
  cycleMs = 0;
  cycles = 0;
  /** Lines POSTed and acknowledged, for tests and benchmarks. */
  linesWritten = 0;
  /** Room thermometers heard over BLE (firmware/core/ble): one reading per thermometer per minute. */
  readonly bleGate = new BleGate();
  /** Observer for tests: every reading as it enters the buffer, stamped. */
  onStored: ((rom: string, time: number, celsius: number) => void) | null = null;

  constructor(
    readonly config: NodeConfig,
    private readonly platform: Platform,
    buses: OneWireBus[],
    flash: FlashStore | null,
    options: Partial<NodeOptions> = {},
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    const ring = flash ? new FlashRing(flash) : null;
    // Losses before this boot stay counted: node_health reports them over the partition's life.
    const before = ring ? ring.loadCounters() : { lost: 0, badLines: 0 };
    this.lostBefore = before.lost;
    this.droppedBadLines = before.badLines;
    if (ring) ring.onDrop = () => this.persistCounters();
    this.ring = ring;
    this.table = new SensorTable(config, ring);
    // Each sensor's newest value kept in flash: its first reading after this boot is checked against it.
    if (ring) {
      ring.newestPerSensor().forEach((r, sensor) => {
        const e = this.table.entries[sensor];
        if (e) e.stored = { celsius: rawToCelsius(r.raw), wall: r.time };
      });
    }
    this.buffer = new ReadingBuffer(new RamRing(this.options.ramCapacity), ring);
    this.hold = new RamRing(this.options.holdCapacity);
    this.maxLines = this.options.batchLines;
    this.rejected = { crc: 0, power_on: 0, disconnected: 0, range: 0, jump: 0 };
    const log = (line: string) => platform.log(line);
    this.samplers = config.buses.map((b, i) => new BusSampler(i, b, buses[i], this.table, this.rejected, config.resolution, log));
    const db = config.influx;
    this.writePath = `/write?db=${encodeURIComponent(db.database)}&rp=${encodeURIComponent(db.retention_policy)}&precision=s`;
    this.headers = [["Content-Type", "text/plain; charset=utf-8"]];
    if (config.influx_username) this.headers.push(["Authorization", "Basic " + base64(config.influx_username + ":" + (config.influx_password ?? ""))]);
  }

  private get monoS(): number {
    return this.platform.monotonicMs() / 1000;
  }

  start(): void {
    this.running = true;
    const c = this.config;
    this.platform.log(`floorbalance ${c.firmware} node ${c.node}: ${c.buses.length} bus(es), ${expectedSensors(c)} sensor(s) expected, every ${c.interval_s} s at ${c.resolution} bit; buffer ${this.buffer.depth} reading(s) waiting`);
    for (const s of this.samplers) this.platform.log(`bus ${s.config.id} on pin ${s.config.pin}: ${s.config.sensors.length} expected`);
    this.lastBeat = this.platform.monotonicMs();
    this.cycle();
    this.supervise();
  }

  stop(): void {
    this.running = false;
    for (const t of this.timers) t.cancel();
    this.timers = [];
    if (this.flushTimer) this.flushTimer.cancel();
    this.flushTimer = null;
  }

  private schedule(ms: number, fn: () => void): void {
    const t = this.platform.after(Math.max(0, ms), () => {
      const i = this.timers.indexOf(t);
      if (i >= 0) this.timers.splice(i, 1);
      if (this.running) fn();
    });
    this.timers.push(t);
  }

  // ---- sampling ----

  private cycle(): void {
    const started = this.platform.monotonicMs();
    if (this.monoS - this.lastSearch >= this.options.searchEveryS) {
      this.lastSearch = this.monoS;
      for (const s of this.samplers) s.search();
    }
    let any = false;
    for (const s of this.samplers) if (s.found > 0 && s.convert()) any = true;
    const waitMs = any ? CONVERSION_TIME_S[this.config.resolution] * 1000 + CONVERSION_MARGIN_MS : 0;
    this.schedule(waitMs, () => {
      const accepted: Accepted[] = [];
      const nowS = this.monoS;
      const wall = this.platform.wallS();
      for (const s of this.samplers) s.read(nowS, accepted, wall === undefined ? undefined : wall - nowS);
      this.store(accepted);
      const done = this.platform.monotonicMs();
      this.cycleMs = done - started;
      this.cycles++;
      this.lastBeat = done;
      this.stalls = 0;
      this.housekeeping();
      // Drift-free: the next cycle starts one interval after this one started.
      this.schedule(started + this.config.interval_s * 1000 - this.platform.monotonicMs(), () => this.cycle());
    });
  }

  private store(accepted: Accepted[]): void {
    const wall = this.platform.wallS();
    if (wall !== undefined) this.releaseHold(wall);
    const monoS = Math.floor(this.monoS);
    for (const a of accepted) {
      a.entry.lastTime = wall;
      if (wall !== undefined) this.push(Math.round(wall), a.entry.index, a.raw);
      else {
        if (this.hold.full) this.holdDropped++;
        this.hold.push(monoS, a.entry.index, a.raw);
      }
    }
    // While writes fail, every cycle goes to flash at once: a reboot then loses nothing.
    if (this.writeStatus !== "ok" && this.writeStatus !== "none") this.buffer.spill();
  }

  /** A room thermometer's broadcast (from the BLE scan adapter): buffered like a DS18B20 reading. */
  ble(reading: BleReading, rssi: number): number {
    const records = bleRecords(this.table, this.bleGate, reading, rssi, this.monoS);
    if (records.length > 0) this.store(records);
    return records.length;
  }

  private push(time: number, sensor: number, raw: number): void {
    this.buffer.push(time, sensor, raw);
    if (this.onStored && this.table.entries[sensor].bus !== BLE_BUS) this.onStored(this.table.entries[sensor].rom, time, rawToCelsius(raw));
  }

  private releaseHold(wall: number): void {
    if (this.hold.depth === 0) return;
    const held: Reading[] = [];
    this.hold.peek(this.hold.depth, held);
    this.hold.consume(held.length);
    const nowMono = this.monoS;
    for (const r of held) this.push(Math.round(wall - (nowMono - r.time)), r.sensor, r.raw);
    this.platform.log(`clock set: ${held.length} held reading(s) stamped`);
  }

  // ---- health, clock, flushing ----

  private housekeeping(): void {
    const mono = this.monoS;
    const wall = this.platform.wallS();
    if (wall === undefined && mono >= this.options.clockFallbackS && mono - this.askedClock >= 60) {
      this.askedClock = mono;
      this.platform.log("clock not set by SNTP: asking InfluxDB's /ping for the time");
      if (this.platform.online()) this.askClock();
    }
    // Ring drops and dropped lines are persisted as they happen; hold-ring drops (the clock never
    // set) come one per reading, so they are persisted every ten minutes at most.
    if (mono - this.lastPersistS >= 600) this.persistCounters();
    if (this.ring && this.ring.depth === 0) this.ring.maintainCounters();
    if (wall !== undefined && mono - this.lastHealth >= this.options.healthEveryS) {
      this.lastHealth = mono;
      this.queueHealth(Math.round(wall));
    }
    this.flush();
  }

  private askClock(): void {
    this.platform.http({ method: "GET", path: "/ping", headers: [] }, (res) => {
      const t = res.date ? parseHttpDate(res.date) : undefined;
      if (t !== undefined && this.platform.wallS() === undefined) {
        this.platform.setWallS(t);
        this.platform.log(`clock set from InfluxDB's Date header: ${t}`);
      }
    });
  }

  health() {
    const time = Math.round(this.platform.wallS() ?? 0);
    let found = 0;
    let crc = 0;
    for (const s of this.samplers) {
      found += s.found;
      crc += s.crcErrors;
    }
    return nodeHealthPoint({
      node: this.config.node,
      time,
      firmware: this.config.firmware,
      uptime_s: this.monoS,
      reset_reason: this.platform.resetReason(),
      rssi_dbm: this.platform.rssi(),
      free_heap_bytes: this.platform.freeHeap(),
      sensors_found: found,
      sensors_expected: expectedSensors(this.config),
      crc_errors: crc,
      rejected: this.rejected,
      buffered: this.buffer.depth + this.hold.depth,
      dropped: this.dropped,
      dropped_bad_lines: this.droppedBadLines,
      write_refused: this.writeRefused,
      write_status: this.writeStatus,
      write_http_status: this.httpStatus,
      cycle_ms: this.cycleMs,
      clock_synced: this.platform.wallS() !== undefined,
    });
  }

  /** Readings lost over the life of the flash partition: before this boot and since. */
  get dropped(): number {
    return this.lostBefore + this.buffer.dropped + this.holdDropped;
  }

  /** Persist the loss counters (a no-op when unchanged or without flash). */
  private persistCounters(): void {
    this.lastPersistS = this.monoS;
    if (this.ring) this.ring.saveCounters({ lost: this.dropped, badLines: this.droppedBadLines });
  }

  private queueHealth(time: number): void {
    const lines = [encodePoint({ ...this.health(), time })];
    for (const s of this.samplers) {
      lines.push(encodePoint(busHealthPoint({ node: this.config.node, bus: s.config.id, time, pin: s.config.pin, found: s.found, expected: s.expected, crc_errors: s.crcErrors, shorted: s.shorted })));
    }
    this.healthLines.push(...lines);
    // Health is a snapshot with cumulative counters: when it cannot be sent, the newest is enough.
    const cap = 4 * (1 + this.samplers.length);
    if (this.healthLines.length > cap) this.healthLines.splice(0, this.healthLines.length - cap);
  }

  /** A finished line from another module (the dhw circulation's runs): sent with the next batch. */
  queueLine(line: string): void {
    this.eventLines.push(line);
    if (this.eventLines.length > EVENT_CAPACITY) {
      this.eventLines.shift();
      this.droppedEvents++;
    }
  }

  private line(r: Reading): string | null {
    const e = this.table.entries[r.sensor];
    if (!e || r.sensor < 0) return null;
    const ble = bleLine(this.config.node, e, r.time, r.raw);
    if (ble !== null) return ble;
    const bus = this.config.buses[e.bus];
    return encodePoint(temperaturePoint({ node: this.config.node, bus: bus ? bus.id : String(e.bus), rom: e.rom, celsius: rawToCelsius(r.raw), time: r.time, mapped: e.mapped }));
  }

  private nextBatch(): Batch | null {
    // Health rides along with readings but never takes more than a quarter of a batch (lines and
    // bytes), and a batch never exceeds maxLines or batchBytes (so a 413 always makes progress).
    // Each line costs its UTF-8 bytes plus the newline.
    const budget = this.options.batchBytes;
    const healthMax = Math.min(this.healthLines.length, Math.ceil(this.maxLines / 4));
    let bytes = 0;
    let health = 0;
    while (health < healthMax) {
      const n = utf8Length(this.healthLines[health]) + 1;
      if (health > 0 && bytes + n > budget / 4) break;
      bytes += n;
      health++;
    }
    const peeked = this.buffer.peek(this.maxLines - health);
    const lines: string[] = [];
    let readings = 0;
    for (const r of peeked) {
      const l = this.line(r);
      if (l) {
        const n = utf8Length(l) + 1;
        if (lines.length + health > 0 && bytes + n > budget) break;
        bytes += n;
        lines.push(l);
      }
      readings++;
    }
    for (let i = 0; i < health; i++) lines.push(this.healthLines[i]);
    const events = Math.min(this.eventLines.length, EVENTS_PER_BATCH);
    for (let i = 0; i < events; i++) lines.push(this.eventLines[i]);
    if (readings === 0 && health === 0 && events === 0) return null;
    return { readings, lines, health, events };
  }

  /** Send the oldest batch, unless one is in flight or the back-off has not expired. */
  flush(): void {
    if (!this.running || this.inFlight || this.platform.wallS() === undefined) return;
    const now = this.platform.monotonicMs();
    if (now < this.notBefore) {
      if (!this.flushTimer) this.flushTimer = this.platform.after(this.notBefore - now, () => {
        this.flushTimer = null;
        this.flush();
      });
      return;
    }
    if (!this.platform.online()) {
      this.writeStatus = "network";
      this.httpStatus = 0;
      return;
    }
    if (!this.batch) this.batch = this.nextBatch();
    const batch = this.batch;
    if (!batch) return;
    if (batch.lines.length === 0) return this.finish(batch);
    this.inFlight = true;
    this.inFlightSince = now;
    this.platform.http({ method: "POST", path: this.writePath, headers: this.headers, body: batch.lines.join("\n") + "\n" }, (res) => {
      this.inFlight = false;
      this.httpStatus = res.status;
      const outcome = classify(res, batch.lines, this.platform.wallS());
      this.apply(batch, outcome);
    });
  }

  private finish(batch: Batch): void {
    this.buffer.consume(batch.readings);
    this.healthLines.splice(0, batch.health);
    this.eventLines.splice(0, batch.events);
    this.batch = null;
    this.flush();
  }

  private apply(batch: Batch, outcome: Outcome): void {
    this.writeStatus = statusOf(outcome);
    switch (outcome.kind) {
      case "done":
        this.attempt = 0;
        this.linesWritten += batch.lines.length;
        this.lastOk = this.platform.wallS() ?? null;
        if (this.maxLines < this.options.batchLines) this.maxLines = Math.min(this.options.batchLines, this.maxLines * 2);
        return this.finish(batch);
      case "partial": {
        const bad = outcome.bad;
        this.droppedBadLines += bad.length;
        this.persistCounters();
        this.platform.log(`write: InfluxDB refused ${bad.length} line(s); dropped, the rest is resent`);
        batch.lines = batch.lines.filter((_, i) => bad.indexOf(i) < 0);
        return this.flush();
      }
      case "stored":
        // InfluxDB kept every line but `dropped` it did not name (e.g. beyond the retention policy).
        this.attempt = 0;
        this.linesWritten += batch.lines.length - outcome.dropped;
        this.droppedBadLines += outcome.dropped;
        this.persistCounters();
        this.platform.log(`write: InfluxDB stored the batch but dropped ${outcome.dropped} line(s) it did not name`);
        return this.finish(batch);
      case "split":
        this.maxLines = Math.max(1, Math.floor(batch.lines.length / 2));
        this.batch = null;
        return this.flush();
      case "hold":
      case "retry": {
        if (outcome.kind === "retry" && outcome.status === "refused") this.writeRefused++;
        this.buffer.spill();
        const wait = backoffMs(outcome, this.attempt++, this.platform.random());
        this.notBefore = this.platform.monotonicMs() + wait;
        if (this.attempt === 1) this.platform.log(`write: ${this.writeStatus} (HTTP ${this.httpStatus}); keeping ${this.buffer.depth} reading(s), next try in ${Math.round(wait / 1000)} s`);
        return this.flush();
      }
    }
  }

  // ---- supervisor ----

  /** A software watchdog: if no cycle finished for `stallIntervals` intervals, restart the loop; if that fails twice, restart the device. */
  private supervise(): void {
    const period = this.config.interval_s * 1000;
    const check = () => {
      const now = this.platform.monotonicMs();
      // A lost HTTP callback must not stop writing for good (the transport has its own timeout).
      if (this.inFlight && now - this.inFlightSince > 2 * 60 * 1000) {
        this.platform.log("supervisor: write never answered; trying again");
        this.inFlight = false;
      }
      const silent = now - this.lastBeat;
      if (silent > this.options.stallIntervals * period) {
        this.stalls++;
        this.platform.log(`supervisor: no sample cycle for ${Math.round(silent / 1000)} s (${this.stalls})`);
        if (this.stalls > 2) return this.platform.restart("watchdog");
        this.stop();
        this.running = true;
        this.inFlight = false;
        this.lastBeat = this.platform.monotonicMs();
        this.cycle();
      }
      this.platform.after(period, check);
    };
    this.platform.after(period, check);
  }

  /** What GET /status shows (FWDELIVERY serialises it). No secrets. */
  snapshot(): StatusSnapshot {
    const wall = this.platform.wallS();
    return {
      node: this.config.node,
      firmware: this.config.firmware,
      uptime_s: Math.round(this.monoS),
      reset_reason: this.platform.resetReason(),
      buses: this.samplers.map((s) => ({
        id: s.config.id,
        pin: s.config.pin,
        shorted: s.shorted,
        sensors: this.table.onBus(s.index).map((e) => ({
          rom: e.rom,
          mapped: e.mapped,
          last_c: e.lastC ?? null,
          last_time: e.lastTime ?? null,
          age_s: e.lastTime !== undefined && wall !== undefined ? Math.round(wall - e.lastTime) : null,
          rejected: e.rejected,
        })),
      })),
      buffer: { depth: this.buffer.depth + this.hold.depth, dropped: this.dropped },
      write: { status: this.writeStatus, http_status: this.httpStatus, last_ok: this.lastOk },
      clock_synced: wall !== undefined,
    };
  }
}
