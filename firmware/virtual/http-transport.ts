// The virtual node's HTTP transport in Node: one request at a time to InfluxDB, with a timeout.
// The lenient parser: InfluxDB's X-Influxdb-Error header quotes a refused line byte for byte, and
// a control character in it must not turn a 400 into a network error (shared/influx-fetch.ts).

import { request as httpRequest } from "node:http";
import type { HttpRequest, HttpResponse } from "../core/platform.js";
import type { Transport } from "./sim-platform.js";

export function nodeTransport(baseUrl: string, timeoutMs = 10_000): Transport {
  const base = new URL(baseUrl);
  return (req: HttpRequest, done: (r: HttpResponse) => void) => {
    let finished = false;
    const finish = (r: HttpResponse) => {
      if (!finished) {
        finished = true;
        done(r);
      }
    };
    const headers: Record<string, string> = {};
    for (const [k, v] of req.headers) headers[k] = v;
    const body = req.body === undefined ? undefined : Buffer.from(req.body, "utf8");
    if (body) headers["Content-Length"] = String(body.length);
    const r = httpRequest({ host: base.hostname, port: base.port || 80, method: req.method, path: req.path, headers, timeout: timeoutMs, insecureHTTPParser: true }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        finish({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          retryAfter: header(res.headers["retry-after"]),
          date: header(res.headers["date"]),
        }),
      );
      res.on("error", (e) => finish({ status: 0, body: "", error: e.message }));
    });
    r.on("timeout", () => {
      r.destroy();
      finish({ status: 0, body: "", error: "timeout" });
    });
    r.on("error", (e) => finish({ status: 0, body: "", error: e.message }));
    if (body) r.write(body);
    r.end();
  };
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
