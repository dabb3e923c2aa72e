// The circulation module's hardware: the relay output, the optional relay read-back, the motion
// detector and door contact inputs (ECMA-419 `embedded:io/digital`), and POST /dhw/… on port
// 8080 (Moddable's "http" Server; the OTA server keeps port 80). Everything that decides lives
// in firmware/core/dhw; this file only moves levels and bytes.

import Digital from "embedded:io/digital";
import { Server } from "http";
import Timer from "timer";
import type { NodeConfig } from "../core/config.js";
import { Debouncer, isDemandEdge } from "../core/dhw/debounce.js";
import { handleDhwRequest } from "../core/dhw/http.js";
import { DhwModule } from "../core/dhw/module.js";
import type { FirmwareNode } from "../core/node.js";
import type { Platform } from "../core/platform.js";

export const DHW_HTTP_PORT = 8080;
/** Inputs are polled: a detector's output lasts seconds, a door contact bounces for milliseconds. */
const POLL_MS = 10;

export interface DhwIoOptions {
  config: NodeConfig;
  node: FirmwareNode;
  platform: Platform;
  log(line: string): void;
}

export function startDhw(o: DhwIoOptions): DhwModule | null {
  const d = o.config.dhw;
  if (!d) return null;
  const relay = new Digital({ pin: d.relay_pin, mode: Digital.Output });
  relay.write(d.relay_active_low ? 1 : 0); // off before anything else happens
  // The auxiliary contact closes to ground while the relay is on (input with pull-up).
  const readback = d.readback_pin === undefined ? undefined : new Digital({ pin: d.readback_pin, mode: Digital.InputPullUp });
  const module = new DhwModule({
    node: o.config.node,
    config: d,
    platform: o.platform,
    io: {
      setRelay: (on) => relay.write(on !== d.relay_active_low ? 1 : 0),
      readback: () => (readback ? readback.read() === 0 : undefined),
    },
    read: (rom) => {
      const e = o.node.table.get(rom);
      return e && e.lastC !== undefined && e.lastTime !== undefined ? { c: e.lastC, time: e.lastTime } : undefined;
    },
    staleS: 3 * o.config.interval_s + 5,
    emit: (line) => o.node.queueLine(line),
  });

  const inputs = d.inputs.map((i) => {
    const pin = new Digital({ pin: i.pin, mode: i.active_low ? Digital.InputPullUp : Digital.Input });
    const level = () => (pin.read() === 1) !== i.active_low;
    return { i, level, debouncer: new Debouncer(i.debounce_ms, level(), o.platform.monotonicMs()) };
  });
  if (inputs.length > 0) {
    Timer.repeat(() => {
      const now = o.platform.monotonicMs();
      for (const x of inputs) {
        const edge = x.debouncer.sample(x.level(), now);
        if (edge !== undefined && isDemandEdge(x.i.kind, edge)) module.demand(x.i.kind);
      }
    }, POLL_MS);
  }

  if (d.http_trigger) serve(module, o.config.ota_token ?? "", o.log);
  module.start();
  o.log(`dhw: relay on GPIO ${d.relay_pin}, ${inputs.length} input(s), line ${d.line_rom}${d.outlet_rom ? `, outlet ${d.outlet_rom}` : ""}`);
  return module;
}

function serve(module: DhwModule, token: string, log: (line: string) => void): void {
  const server = new Server({ port: DHW_HTTP_PORT });
  const target = { demand: () => module.demand("http"), setHoliday: (on: boolean | null) => module.controller.setHoliday(on), status: () => module.status() };
  server.callback = function (this: any, message: number, value?: any, etc?: any): any {
    const x: { url?: string; method?: string; authorization?: string } = (this.exchange ??= {});
    switch (message) {
      case Server.status:
        x.url = String(value);
        x.method = etc;
        break;
      case Server.header:
        if (value === "authorization") x.authorization = etc;
        break;
      case Server.prepareResponse: {
        const a = handleDhwRequest(x.method ?? "", x.url ?? "", x.authorization, token, target);
        x.authorization = undefined; // do not keep the token around
        if (a.status !== 200) log(`dhw http: ${x.method} ${x.url} → ${a.status}`);
        return { status: a.status, headers: ["content-type", "application/json", "cache-control", "no-store"], body: a.body };
      }
    }
  } as any;
}
