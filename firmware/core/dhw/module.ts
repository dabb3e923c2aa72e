// The circulation module on a node: reads the line and outlet sensors the node already samples,
// ticks the controller every second (and exactly at a run's deadline), switches the relay
// through the adapter, and hands every run and event to the node's writer as line protocol.
// The same code runs on the device (adapters/dhw-io.ts) and in the virtual node. Portable.

import { encodePoint } from "../../../shared/line-protocol.js";
import { dhwEventPoint, dhwRunPoint } from "../../../shared/dhw-measurements.js";
import type { Platform, Timer } from "../platform.js";
import type { DhwConfig } from "./config.js";
import { DhwController, type Demand, type Sample, type Step } from "./controller.js";

export interface DhwIo {
  setRelay(on: boolean): void;
  /** The relay's read-back contact; undefined where none is wired. */
  readback?(): boolean | undefined;
}

/** A sensor's latest valid reading: celsius and its UTC time; undefined if none. */
export type ReadSensor = (rom: string) => { c: number; time: number } | undefined;

export interface DhwModuleOptions {
  node: string;
  config: DhwConfig;
  platform: Platform;
  io: DhwIo;
  read: ReadSensor;
  /** A reading older than this counts as failed, s (a few sample intervals). */
  staleS: number;
  /** One encoded line for InfluxDB (the node's writer buffers and sends it). */
  emit(line: string): void;
  weights?: readonly number[];
}

const TICK_MS = 1000;

export class DhwModule {
  readonly controller: DhwController;
  private timer: Timer | null = null;
  private capTimer: Timer | null = null;
  private relayOn = false;
  runs = 0;

  constructor(private readonly o: DhwModuleOptions) {
    this.controller = new DhwController(o.config, o.weights);
  }

  private reading(rom: string | undefined, wall: number | undefined): number | null {
    if (!rom || wall === undefined) return null;
    const r = this.o.read(rom);
    if (!r || !Number.isFinite(r.c) || wall - r.time > this.o.staleS) return null;
    return r.c;
  }

  sample(): Sample {
    const p = this.o.platform;
    const wall = p.wallS();
    const s: Sample = { monoS: p.monotonicMs() / 1000, wallS: wall, lineC: this.reading(this.o.config.line_rom, wall), outletC: this.reading(this.o.config.outlet_rom, wall) };
    const rb = this.o.io.readback ? this.o.io.readback() : undefined;
    if (rb !== undefined) s.readback = rb;
    return s;
  }

  start(): void {
    this.o.io.setRelay(false);
    const loop = () => {
      this.tick();
      this.timer = this.o.platform.after(TICK_MS, loop);
    };
    this.timer = this.o.platform.after(TICK_MS, loop);
  }

  stop(): void {
    if (this.timer) this.timer.cancel();
    if (this.capTimer) this.capTimer.cancel();
    this.timer = this.capTimer = null;
    this.o.io.setRelay(false);
    this.relayOn = false;
  }

  tick(): void {
    this.apply(this.controller.tick(this.sample()));
  }

  /** A debounced input edge or an authenticated HTTP call. */
  demand(kind: Demand): void {
    this.apply(this.controller.demand(kind, this.sample()));
  }

  private apply(step: Step): void {
    const o = this.o;
    if (step.relay !== this.relayOn) {
      this.relayOn = step.relay;
      o.io.setRelay(step.relay);
      if (this.capTimer) this.capTimer.cancel();
      this.capTimer = null;
      const deadline = this.controller.deadlineMonoS;
      // Belt and braces: the cap is enforced at its exact second, not at the next tick.
      if (step.relay && deadline !== undefined) this.capTimer = o.platform.after(deadline * 1000 - o.platform.monotonicMs(), () => this.tick());
    }
    for (const r of step.runs) {
      this.runs++;
      o.platform.log(`dhw: ${r.trigger} run ${r.duration_s} s, stopped (${r.reason})`);
      o.emit(encodePoint(dhwRunPoint({ node: o.node, ...r })));
    }
    for (const e of step.events) {
      if (e.kind !== "draw") o.platform.log(`dhw: ${e.kind}`);
      if (e.time > 0) o.emit(encodePoint(dhwEventPoint({ node: o.node, ...e })));
    }
  }

  status(): string {
    return JSON.stringify({ ...this.controller.snapshot(this.sample()), runs: this.runs });
  }
}
