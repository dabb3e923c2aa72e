// A Platform on simulated time: timers fire in order as the test (or the virtual node) advances
// the clock; OneWire operations advance it by their modelled duration. HTTP is delegated to a
// transport (a real one in Node, a fake one on XS). Portable: no Node imports.

import type { HttpRequest, HttpResponse, Platform, Timer } from "../core/platform.js";

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export type Transport = (request: HttpRequest, done: (response: HttpResponse) => void) => void;

/** A small deterministic PRNG (mulberry32), so every simulated run repeats exactly. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SimPlatformOptions {
  /** Wall-clock time at boot (Unix s); undefined = SNTP has not set the clock yet. */
  bootWallS?: number;
  /** Simulated seconds after boot at which SNTP sets the clock (default: already set). */
  sntpAfterS?: number;
  transport: Transport;
  seed?: number;
  log?: (line: string) => void;
}

export class SimPlatform implements Platform {
  private nowMs = 0;
  private seq = 0;
  private queue: Pending[] = [];
  private wallOffsetS: number | undefined;
  private readonly trueBootWallS: number;
  private inFlight = 0;
  private settled: (() => void) | null = null;
  wifiUp = true;
  restarts: string[] = [];
  readonly lines: string[] = [];
  readonly random: () => number;

  constructor(private readonly options: SimPlatformOptions) {
    this.trueBootWallS = options.bootWallS ?? 1_700_000_000;
    if (options.sntpAfterS === undefined) this.wallOffsetS = this.trueBootWallS;
    else if (Number.isFinite(options.sntpAfterS)) this.after(options.sntpAfterS * 1000, () => (this.wallOffsetS = this.trueBootWallS));
    this.random = seeded(options.seed ?? 1);
  }

  monotonicMs(): number {
    return this.nowMs;
  }
  wallS(): number | undefined {
    return this.wallOffsetS === undefined ? undefined : this.wallOffsetS + this.nowMs / 1000;
  }
  setWallS(seconds: number): void {
    this.wallOffsetS = seconds - this.nowMs / 1000;
  }
  /** The true time (what SNTP would say), for tests. */
  trueWallS(): number {
    return this.trueBootWallS + this.nowMs / 1000;
  }
  /** OneWire operations take time. */
  busy(us: number): void {
    this.nowMs += us / 1000;
  }

  after(ms: number, fn: () => void): Timer {
    const p: Pending = { at: this.nowMs + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1].at > p.at || (this.queue[i - 1].at === p.at && this.queue[i - 1].seq > p.seq))) i--;
    this.queue.splice(i, 0, p);
    return { cancel: () => (p.cancelled = true) };
  }

  http(request: HttpRequest, done: (response: HttpResponse) => void): void {
    this.inFlight++;
    this.options.transport(request, (response) => {
      this.inFlight--;
      done(response);
      if (this.inFlight === 0 && this.settled) {
        const s = this.settled;
        this.settled = null;
        s();
      }
    });
  }

  online(): boolean {
    return this.wifiUp;
  }
  rssi(): number {
    return this.wifiUp ? -61 : -127;
  }
  freeHeap(): number {
    return 120_000;
  }
  resetReason(): string {
    return "power_on";
  }
  restart(why: string): void {
    this.restarts.push(why);
  }
  log(line: string): void {
    this.lines.push(line);
    if (this.options.log) this.options.log(line);
  }

  private idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => (this.settled = resolve));
  }

  /** Advance simulated time to `untilMs`, firing timers in order and waiting for HTTP between them. */
  async runUntil(untilMs: number): Promise<void> {
    for (;;) {
      await this.idle();
      const next = this.queue[0];
      if (!next || next.at > untilMs) break;
      this.queue.shift();
      if (next.cancelled) continue;
      if (next.at > this.nowMs) this.nowMs = next.at;
      // As on the device: an exception ends that callback, is logged, and the runtime goes on.
      try {
        next.fn();
      } catch (e) {
        this.log(`exception: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    await this.idle();
    if (this.nowMs < untilMs) this.nowMs = untilMs;
  }

  async runFor(ms: number): Promise<void> {
    return this.runUntil(this.nowMs + ms);
  }
}
