// The node's small web server on Moddable's legacy "http" Server: GET /status and PUT /ota,
// in normal and in safe mode. It translates server callbacks into calls on the update state
// machine (firmware/core/ota/update-session.ts) and nothing more; the SDK example
// examples/network/http/httpserverputfile shows the same callback sequence.

import { Server } from "http";
import Timer from "timer";
import { OTA_HEADERS, outcomeBody, type Outcome, type Refusal, type UpdateEndpoint, type UpdateSession } from "../core/ota/update-session.js";

export interface DeviceServerOptions {
  port?: number;
  endpoint: UpdateEndpoint;
  /** The /status JSON (firmware/core/ota/status.ts). */
  status(): string;
  /** Milliseconds, monotonic. */
  now(): number;
  /** A new image is the boot image and the answer has gone out: restart into it. */
  installed(outcome: Outcome): void;
  log(line: string): void;
}

interface Exchange {
  path?: string;
  method?: string;
  headers: Record<string, string>;
  session?: UpdateSession;
  result?: Refusal | Outcome;
  body?: string;
  status?: number;
}

const WANTED = [OTA_HEADERS.authorization, OTA_HEADERS.contentLength, OTA_HEADERS.sha256, OTA_HEADERS.version];

export function startDeviceServer(options: DeviceServerOptions): Server {
  const server = new Server({ port: options.port ?? 80 });
  let uploading: { request: any; exchange: Exchange } | undefined;

  const hangUp = (request: any): void => {
    try {
      (server as any).detach(request).close();
    } catch {
      // already gone
    }
  };

  // A stalled body never produces a callback, so the clock has to look.
  Timer.repeat(() => {
    const outcome = options.endpoint.tick();
    if (outcome && uploading) {
      options.log(`ota: ${outcome.reason}: ${outcome.message}`);
      hangUp(uploading.request);
      uploading = undefined;
    }
  }, 1000);

  server.callback = function (this: any, message: number, value?: any, etc?: any): any {
    const x: Exchange = (this.exchange ??= { headers: {} });
    switch (message) {
      case Server.status:
        x.path = String(value).split("?")[0];
        x.method = etc;
        break;
      case Server.header:
        if (WANTED.includes(value)) x.headers[value] = etc;
        break;
      case Server.headersComplete:
        if (x.path === "/ota" && x.method === "PUT") {
          const opened = options.endpoint.open({
            authorization: x.headers[OTA_HEADERS.authorization],
            contentLength: x.headers[OTA_HEADERS.contentLength],
            sha256: x.headers[OTA_HEADERS.sha256],
            version: x.headers[OTA_HEADERS.version],
          });
          delete x.headers[OTA_HEADERS.authorization]; // do not keep the token around
          if (opened.kind === "refused") {
            x.result = opened;
            options.log(`ota: refused (${opened.status} ${opened.reason})`);
            if (!opened.drain) Timer.set(() => hangUp(this), 0);
            return false; // discard the body, then answer
          }
          x.session = opened;
          uploading = { request: this, exchange: x };
          options.log(`ota: receiving ${opened.expected} bytes`);
          return true; // body in fragments: it never sits in RAM whole
        }
        return false;
      case Server.requestFragment: {
        const chunk = this.read(ArrayBuffer) as ArrayBuffer;
        x.session?.write(new Uint8Array(chunk), options.now());
        break;
      }
      case Server.requestComplete:
        if (x.session) {
          x.result = x.session.finish();
          uploading = undefined;
          options.log(`ota: ${x.result.reason}: ${x.result.message}`);
        }
        break;
      case Server.prepareResponse:
        return respond(x, options);
      case Server.responseComplete:
        if (x.result?.kind === "installed") options.installed(x.result);
        break;
      case Server.error:
        if (x.session && !x.session.done) {
          const outcome = x.session.disconnected();
          options.log(`ota: ${outcome.reason}: ${outcome.message}`);
        }
        if (uploading?.exchange === x) uploading = undefined;
        break;
    }
  } as any;
  return server;
}

function respond(x: Exchange, options: DeviceServerOptions): { status: number; headers: string[]; body: string } {
  const json = ["content-type", "application/json", "cache-control", "no-store"];
  if (x.result) {
    const headers = [...json];
    if (x.result.kind === "refused" && x.result.retryAfterS !== undefined) headers.push("retry-after", String(x.result.retryAfterS));
    return { status: x.result.status, headers, body: outcomeBody(x.result) };
  }
  if (x.path === "/status" && x.method === "GET") return { status: 200, headers: json, body: options.status() };
  if (x.path === "/" && x.method === "GET") return { status: 302, headers: ["location", "/status"], body: "" };
  return { status: 404, headers: json, body: JSON.stringify({ ok: false, message: "GET /status or PUT /ota" }) };
}
