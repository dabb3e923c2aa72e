// A fault-injecting HTTP proxy in front of influxd, bound to 127.0.0.1. (npm moxy was the
// suggestion, but its server listens on all interfaces with no host option, which the house
// rules forbid; this is 60 lines of node:http instead.)
// `fault(req, body)` returns a canned answer, "drop" (the connection is cut: a network error),
// or undefined to forward to influxd unchanged.

import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Fault = { status: number; body?: string; headers?: Record<string, string> } | "drop" | undefined;

export interface FaultProxy {
  url: string;
  fault: (req: IncomingMessage, body: Buffer) => Fault;
  forwarded: number;
  injected: number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const to = new URL(target);
  const proxy: FaultProxy = { url: "", fault: () => undefined, forwarded: 0, injected: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const f = proxy.fault(req, body);
      if (f === "drop") {
        proxy.injected++;
        req.socket.destroy();
        return;
      }
      if (f) {
        proxy.injected++;
        res.writeHead(f.status, { "Content-Type": "application/json", ...(f.headers ?? {}) });
        res.end(f.body ?? "");
        return;
      }
      proxy.forwarded++;
      const up = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on("error", () => req.socket.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return proxy;
}
