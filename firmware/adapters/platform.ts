// The core's Platform on an ESP32 under Moddable: timers, the clock, HTTP to InfluxDB, Wi-Fi
// state, heap and the serial log.
import { Request } from "http";
import Instrumentation from "instrumentation";
import Net from "net";
import Time from "time";
import Timer from "timer";
import type { HttpRequest, HttpResponse, Platform, Timer as CoreTimer } from "../core/platform.js";
import { utf8 } from "../core/writer.js";
import type { Network } from "./network.js";

/** Before SNTP the ESP32's clock starts at 1970: anything before 2024 means "not set". */
const CLOCK_SET_AFTER_S = 1_704_067_200;
const HTTP_TIMEOUT_MS = 10_000;

export interface DevicePlatformOptions {
  host: string;
  port: number;
  network: Network;
  resetReason(): string;
  restart(why: string): void;
}

export class DevicePlatform implements Platform {
  private readonly bootTicks = Time.ticks;
  private freeMemoryIndex = Instrumentation.map("System Free Memory");

  constructor(private readonly o: DevicePlatformOptions) {}

  monotonicMs(): number {
    return Time.delta(this.bootTicks);
  }
  wallS(): number | undefined {
    const s = Date.now() / 1000;
    return s >= CLOCK_SET_AFTER_S ? s : undefined;
  }
  setWallS(seconds: number): void {
    Time.set(Math.round(seconds));
  }
  after(ms: number, fn: () => void): CoreTimer {
    const t = Timer.set(fn, ms);
    return { cancel: () => Timer.clear(t) };
  }
  http(req: HttpRequest, done: (response: HttpResponse) => void): void {
    const headers: string[] = [];
    for (const [k, v] of req.headers) headers.push(k, v);
    let finished = false;
    let status = 0;
    let retryAfter: string | undefined;
    let date: string | undefined;
    const finish = (r: HttpResponse) => {
      if (finished) return;
      finished = true;
      Timer.clear(timeout);
      done(r);
    };
    // Content-Length counts UTF-8 bytes (a String's length would count UTF-16 units). The body
    // is streamed (`body: true`): http.js would otherwise send it with one socket.write, which
    // throws "can't write all data" inside the socket callback (an abort on the device) when
    // the body exceeds the free TCP send buffer (tcp_sndbuf, 8 KB with the SDK's sdkconfig).
    // Each Request.requestFragment asks for at most `value` bytes, the room left right now.
    const body = req.body === undefined ? undefined : (utf8(req.body).buffer as ArrayBuffer);
    if (body) headers.push("Content-Length", String(body.byteLength));
    let sent = 0;
    let request: Request;
    try {
      request = new Request({ host: this.o.host, port: this.o.port, method: req.method, path: req.path, headers, body: body ? true : false, response: String });
    } catch (e) {
      done({ status: 0, body: "", error: String(e) });
      return;
    }
    const close = () => {
      try {
        request.close();
      } catch {
        // already closed
      }
    };
    const timeout = Timer.set(() => {
      close();
      finish({ status: 0, body: "", error: "timeout" });
    }, HTTP_TIMEOUT_MS);
    request.callback = (message: number, a?: any, b?: any) => {
      if (message === Request.requestFragment) {
        // undefined ends the body; an empty fragment (no room yet) waits for the next writable.
        if (!body || sent >= body.byteLength) return undefined;
        const n = Math.max(0, Math.min(Number(a) || 0, body.byteLength - sent));
        const fragment = body.slice(sent, sent + n);
        sent += n;
        return fragment;
      }
      if (message < 0) finish({ status: 0, body: "", error: "network" });
      else if (message === Request.status) status = a;
      else if (message === Request.header) {
        const name = String(a).toLowerCase();
        if (name === "retry-after") retryAfter = b;
        else if (name === "date") date = b;
      } else if (message === Request.responseComplete) finish({ status, body: typeof a === "string" ? a : "", retryAfter, date });
    };
  }
  online(): boolean {
    return this.o.network.online;
  }
  rssi(): number {
    return this.online() ? Net.get("RSSI") : 0;
  }
  freeHeap(): number {
    return this.freeMemoryIndex === undefined ? 0 : (Instrumentation.get(this.freeMemoryIndex) ?? 0);
  }
  resetReason(): string {
    return this.o.resetReason();
  }
  restart(why: string): void {
    this.o.restart(why);
  }
  log(line: string): void {
    trace(line + "\n");
  }
  random(): number {
    return Math.random();
  }
}
