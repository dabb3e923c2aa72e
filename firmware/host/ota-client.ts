// The host side of an over-the-air update: one PUT /ota with the image's size and SHA-256 in
// headers and the OTA token as a bearer token, then proof that the node rebooted into the new
// version (GET /status, or its node_health in InfluxDB when /status cannot be reached).
// Nothing is resumed or retried blindly: a failed upload leaves the old image booting (the
// device guarantees that), and the person decides whether to run the command again.
// The token is sent only in the Authorization header and never printed.

import { request, type IncomingMessage } from "node:http";
import { OTA_HEADERS } from "../core/ota/update-session.js";
import type { StatusDocument } from "../core/ota/status.js";

export interface Target {
  host: string;
  port: number;
}

export interface UploadResult {
  ok: boolean;
  /** HTTP status, 0 when there was no answer. */
  status: number;
  /** The device's reason (installed, unauthorized, busy, too_large, hash_mismatch, …), or the transport's (unreachable, dropped, timeout). */
  reason: string;
  message: string;
  sent: number;
}

const CHUNK = 16 * 1024;

export function uploadImage(
  target: Target,
  image: Uint8Array,
  opts: { token: string; sha256: string; version?: string; timeoutMs?: number; onProgress?: (sent: number, total: number) => void },
): Promise<UploadResult> {
  return new Promise((done) => {
    let sent = 0;
    let finished = false;
    const finish = (r: Omit<UploadResult, "sent">) => {
      if (finished) return;
      finished = true;
      done({ ...r, sent });
    };
    const headers: Record<string, string> = {
      "content-type": "application/octet-stream",
      "content-length": String(image.byteLength),
      authorization: `Bearer ${opts.token}`,
      [OTA_HEADERS.sha256]: opts.sha256,
    };
    if (opts.version) headers[OTA_HEADERS.version] = opts.version;
    const req = request({ host: target.host, port: target.port, method: "PUT", path: "/ota", headers, timeout: opts.timeoutMs ?? 30_000 });

    let responded = false;
    req.on("response", (res: IncomingMessage) => {
      responded = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => {
        let parsed: { ok?: boolean; reason?: string; message?: string } = {};
        try {
          parsed = JSON.parse(body);
        } catch {
          // a device that is not ours, or a proxy: report the status alone
        }
        const status = res.statusCode ?? 0;
        finish({ ok: status === 200 && parsed.ok === true, status, reason: parsed.reason ?? `http_${status}`, message: parsed.message ?? (body.trim().slice(0, 200) || `HTTP ${status}`) });
      });
      res.on("error", () => finish({ ok: false, status: res.statusCode ?? 0, reason: "dropped", message: "the connection dropped while the device answered" }));
      res.on("close", () => finish({ ok: false, status: res.statusCode ?? 0, reason: "dropped", message: "the connection dropped while the device answered" }));
    });
    req.on("timeout", () => {
      req.destroy();
      finish({ ok: false, status: 0, reason: "timeout", message: `no progress for ${Math.round((opts.timeoutMs ?? 30_000) / 1000)} s` });
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      // A refusal answers before the body is through and then closes: the answer is what counts.
      if (responded) return;
      if (err.code === "ECONNREFUSED" || err.code === "EHOSTUNREACH" || err.code === "ENOTFOUND" || err.code === "EAI_AGAIN") {
        finish({ ok: false, status: 0, reason: "unreachable", message: `cannot reach ${target.host}:${target.port} (${err.code})` });
      } else {
        finish({ ok: false, status: 0, reason: "dropped", message: `the connection dropped after ${sent} of ${image.byteLength} bytes (${err.code ?? err.message})` });
      }
    });

    // Write with backpressure so progress reflects what left this machine, not what was queued.
    const pump = (): void => {
      while (sent < image.byteLength && !finished) {
        const chunk = image.subarray(sent, Math.min(sent + CHUNK, image.byteLength));
        sent += chunk.byteLength;
        opts.onProgress?.(sent, image.byteLength);
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!finished) req.end();
    };
    req.on("socket", (socket) => (socket.connecting ? socket.once("connect", pump) : pump()));
  });
}

export function getStatus(target: Target, timeoutMs = 5000): Promise<StatusDocument> {
  return new Promise((resolve, reject) => {
    const req = request({ host: target.host, port: target.port, method: "GET", path: "/status", timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => {
        if (res.statusCode !== 200) return reject(new Error(`GET /status answered ${res.statusCode}`));
        try {
          resolve(JSON.parse(body) as StatusDocument);
        } catch {
          reject(new Error("GET /status did not answer JSON"));
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error("GET /status timed out")));
    req.on("error", reject);
    req.end();
  });
}

export interface Confirmation {
  ok: boolean;
  /** What the node runs now, as far as we could see. */
  firmware?: string;
  via: "status" | "influx" | "none";
  message: string;
}

/**
 * After a 200 from PUT /ota: wait for the node to come back, then check it runs `expected`
 * (when known) and that the image has passed its health check (image.state valid), because
 * until then a reset still rolls it back. A node that comes back on its old version was rolled
 * back; that is a failure.
 */
export async function confirmUpdate(
  target: Target,
  opts: {
    expected?: string;
    previous?: string;
    /** Time of the 200, ms (Date.now()). */
    installedAt: number;
    timeoutMs: number;
    pollMs?: number;
    now?: () => number;
    sleep?: (ms: number) => Promise<void>;
    /** The node's firmware from node_health written after installedAt, for when /status is out of reach. */
    fromInflux?: () => Promise<string | undefined>;
    onWait?: (what: string) => void;
  },
): Promise<Confirmation> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const pollMs = opts.pollMs ?? 2000;
  const deadline = opts.installedAt + opts.timeoutMs;
  let seen: StatusDocument | undefined;
  while (now() < deadline) {
    await sleep(pollMs);
    let doc: StatusDocument;
    try {
      doc = await getStatus(target, Math.min(5000, Math.max(500, pollMs * 2)));
    } catch {
      opts.onWait?.("waiting for the node to come back");
      continue;
    }
    const sinceInstall = (now() - opts.installedAt) / 1000;
    if (doc.uptime_s > sinceInstall + 2) {
      opts.onWait?.("waiting for the node to restart");
      continue; // the answer comes from before the restart
    }
    seen = doc;
    if (opts.expected !== undefined && doc.firmware !== opts.expected) {
      const rolledBack = opts.previous !== undefined && doc.firmware === opts.previous;
      return { ok: false, firmware: doc.firmware, via: "status", message: rolledBack ? `the node restarted on its previous firmware ${doc.firmware}: the new image was rolled back (see the serial log)` : `the node runs ${doc.firmware}, not ${opts.expected}` };
    }
    const state = doc.image?.state ?? "valid";
    if (state === "valid") return { ok: true, firmware: doc.firmware, via: "status", message: `${doc.node} runs ${doc.firmware}${doc.image ? " and passed its health check" : ""}` };
    if (state === "rolling_back") return { ok: false, firmware: doc.firmware, via: "status", message: "the new image failed its health check and is rolling back" };
    opts.onWait?.(`new image running, waiting for its health check (${(doc.image?.waiting_for ?? []).join(", ") || "…"})`);
  }
  if (!seen && opts.fromInflux) {
    const firmware = await opts.fromInflux().catch(() => undefined);
    if (firmware !== undefined) {
      const ok = opts.expected === undefined || firmware === opts.expected;
      return { ok, firmware, via: "influx", message: ok ? `node_health in InfluxDB shows firmware ${firmware} since the update` : `node_health in InfluxDB shows firmware ${firmware}, not ${opts.expected}` };
    }
  }
  if (seen) return { ok: false, firmware: seen.firmware, via: "status", message: `the new image runs but has not passed its health check within ${Math.round(opts.timeoutMs / 1000)} s (waiting for ${(seen.image?.waiting_for ?? []).join(", ")})` };
  return { ok: false, via: "none", message: `the node did not come back within ${Math.round(opts.timeoutMs / 1000)} s` };
}

/** A one-line progress bar for a terminal (stderr): `[#########-----------]  45%  702/1560 KiB`. */
export function progressBar(sent: number, total: number, width = 30): string {
  const fraction = total > 0 ? Math.min(1, sent / total) : 1;
  const filled = Math.round(fraction * width);
  const pct = String(Math.floor(fraction * 100)).padStart(3);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${pct}%  ${Math.round(sent / 1024)}/${Math.round(total / 1024)} KiB`;
}
