// fetch() for InfluxDB, tolerant of the one header InfluxDB fills with client data. Node only.
//
// InfluxDB 1.x repeats its error message in an `X-Influxdb-Error` header, and a parse error
// quotes the offending line there byte for byte. A control character in that line (U+0000–U+001F
// but the tab, U+007F) makes the header invalid HTTP: Node's fetch (undici) and node:http both
// refuse the whole answer (HPE_INVALID_HEADER_TOKEN), so a clear 400 would look like "InfluxDB
// unreachable". When that happens the request is repeated once with Node's lenient parser, which
// reads the status and the body (the body carries the same message as JSON). Repeating is safe:
// a write is idempotent (same points, same timestamps), a query reads.

import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface InfluxFetchInit {
  method: string;
  body?: string;
  headers?: Record<string, string>;
  /** Give up after this many milliseconds (default: fetch's own, 30 s on the lenient repeat). */
  timeoutMs?: number;
}

/** True for the error fetch throws when it cannot parse the answer's head. */
export function isUnparsableAnswer(err: unknown): boolean {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === "string" && cause.code.startsWith("HPE_");
}

export async function influxFetch(url: URL | string, init: InfluxFetchInit): Promise<Response> {
  try {
    const signal = init.timeoutMs === undefined ? undefined : AbortSignal.timeout(init.timeoutMs);
    return await fetch(url, { method: init.method, body: init.body, headers: init.headers, signal });
  } catch (err) {
    if (!isUnparsableAnswer(err)) throw err;
    return lenientRequest(new URL(url), init, init.timeoutMs);
  }
}

/** The same request through node:http with the lenient parser; the answer as a fetch Response. */
export function lenientRequest(url: URL, init: InfluxFetchInit, timeoutMs = 30_000): Promise<Response> {
  const body = init.body === undefined ? undefined : Buffer.from(init.body, "utf8");
  const headers: Record<string, string> = { ...init.headers };
  if (body) headers["content-length"] = String(body.length);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: init.method, headers, insecureHTTPParser: true, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const out = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          // Keep what a Headers object can hold; the unparsable header is what we work around.
          if (v === undefined) continue;
          try {
            out.set(k, Array.isArray(v) ? v.join(", ") : v);
          } catch {
            /* not a valid header value: dropped */
          }
        }
        const status = res.statusCode ?? 0;
        const nullBody = status === 204 || status === 304;
        resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers: out }));
      });
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on("error", reject);
    req.end(body);
  });
}
