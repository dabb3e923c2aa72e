// A stand-in ESP32 on 127.0.0.1: node:http in front of the real portable update state machine,
// a fake flash, ESP-IDF's bootloader model and the /status builder. It restarts after an
// install, boots whatever the bootloader model says, and can be told to misbehave.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterReset, installed, markedValid, type SlotTable } from "../../../firmware/core/ota/boot-slots.js";
import { outcomeBody, UpdateEndpoint, type UpdatePolicy } from "../../../firmware/core/ota/update-session.js";
import { statusJson } from "../../../firmware/core/ota/status.js";
import { FakeFlash, fakeImage, nodeDigest } from "./fake-flash.js";

export interface StandInOptions {
  node: string;
  token: string;
  firmware: string;
  /** The new image crashes before it is healthy: the bootloader goes back to the old one. */
  newImageCrashes?: boolean;
  /** Destroy the connection after this many body bytes. */
  dropAfterBytes?: number;
  /** How long the "restart" takes, ms. */
  restartMs?: number;
  policy?: Partial<UpdatePolicy>;
}

export class StandInDevice {
  readonly flash: FakeFlash;
  table: SlotTable = { boot: 0, states: ["valid", "undefined"] };
  versions: [string, string];
  bootedAt = Date.now();
  down = false;
  uploads = 0;
  readonly log: string[] = [];
  #server: Server;
  #endpoint: UpdateEndpoint;
  #sockets = new Set<Socket>();
  #pendingVersion: string | undefined;

  constructor(readonly o: StandInOptions) {
    this.flash = new FakeFlash(2 * 1024 * 1024, fakeImage(1024, 7));
    this.versions = [o.firmware, ""];
    const openSlot = () => {
      const slot = this.flash.openSlot();
      return {
        ...slot,
        commit: () => {
          slot.commit();
          this.table = installed(this.table);
          this.versions[this.table.boot] = this.#pendingVersion ?? "unknown";
        },
      };
    };
    this.#endpoint = new UpdateEndpoint({ token: o.token, openSlot, createDigest: nodeDigest, now: () => Date.now() }, o.policy);
    this.#server = createServer((req, res) => this.#handle(req, res));
    this.#server.on("connection", (s) => {
      this.#sockets.add(s);
      s.on("close", () => this.#sockets.delete(s));
    });
  }

  get firmware(): string {
    return this.versions[this.table.boot];
  }

  async listen(): Promise<number> {
    await new Promise<void>((r) => this.#server.listen(0, "127.0.0.1", r));
    return (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }

  #restart(): void {
    this.down = true;
    for (const s of this.#sockets) s.destroy();
    setTimeout(() => {
      this.table = afterReset(this.table);
      if (this.o.newImageCrashes && this.table.states[this.table.boot] === "pending_verify") this.table = afterReset(this.table); // panics at once
      if (this.table.states[this.table.boot] === "pending_verify") this.table = markedValid(this.table); // sensors + write: healthy
      this.bootedAt = Date.now();
      this.down = false;
    }, this.o.restartMs ?? 200);
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.down) return void req.socket.destroy();
    const json = (status: number, body: string) => {
      res.writeHead(status, { "content-type": "application/json", connection: "close" });
      res.end(body);
    };
    if (req.method === "GET" && req.url === "/status") {
      return json(
        200,
        statusJson({
          node: this.o.node,
          firmware: this.firmware,
          uptime_s: (Date.now() - this.bootedAt) / 1000,
          reset_reason: "software",
          safe_mode: false,
          now: Math.floor(Date.now() / 1000),
          buses: [],
          buffer: { depth: 0, dropped: 0 },
          write: { status: "ok", http_status: 204, last_ok: null },
          image: { state: this.table.states[this.table.boot] === "pending_verify" ? "pending_verify" : "valid", waiting_for: [] },
          ota: { busy: this.#endpoint.busy },
        }),
      );
    }
    if (req.method !== "PUT" || req.url !== "/ota") return json(404, "{}");
    this.uploads++;
    const h = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const opened = this.#endpoint.open({ authorization: h("authorization"), contentLength: h("content-length"), sha256: h("x-firmware-sha256"), version: h("x-firmware-version") });
    if (opened.kind === "refused") {
      this.log.push(`refused ${opened.status} ${opened.reason}`);
      // As Moddable's server does: a drained body is read to its end before the answer goes out.
      if (opened.drain) req.on("end", () => json(opened.status, outcomeBody(opened))).resume();
      else {
        res.on("finish", () => req.socket.destroy());
        json(opened.status, outcomeBody(opened));
      }
      return;
    }
    this.#pendingVersion = h("x-firmware-version");
    let received = 0;
    req.on("data", (chunk: Buffer) => {
      received += chunk.byteLength;
      if (this.o.dropAfterBytes !== undefined && received >= this.o.dropAfterBytes) {
        opened.write(chunk.subarray(0, chunk.byteLength - (received - this.o.dropAfterBytes)), Date.now());
        req.socket.destroy(); // Wi-Fi gone
        return;
      }
      opened.write(chunk, Date.now());
    });
    req.on("end", () => {
      const outcome = opened.finish();
      this.log.push(`${outcome.kind} ${outcome.reason}`);
      json(outcome.status, outcomeBody(outcome));
      if (outcome.kind === "installed") res.on("finish", () => setTimeout(() => this.#restart(), 20));
    });
    req.on("close", () => {
      if (!opened.done) this.log.push(`aborted ${opened.disconnected().reason}`);
    });
  }
}
