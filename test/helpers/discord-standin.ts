// A local stand-in for a Discord webhook on 127.0.0.1. It checks every documented limit and the
// multipart structure, answers 400 with Discord's error shape on a violation, and can be told to
// answer 429 (retry_after + Retry-After), 500, or not at all (a hang, for timeouts).
// Deliberately independent of analyser/report/discord.ts: it restates the limits from
// shared/reference/platform-facts.md, so a splitter bug cannot hide behind a shared constant.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  wait: boolean;
  payload: any;
  files: { field: string; filename: string; type: string; bytes: number; head: Buffer }[];
  /** The message id Discord gave it (only with ?wait=true). */
  id?: string;
}

// "accepted-hang": Discord posts the message (it counts in `received`) but the answer never comes,
// the case that makes a retry post it twice.
export type Fault = { kind: "429"; retryAfterS: number } | { kind: "500" } | { kind: "hang" } | { kind: "404" } | { kind: "accepted-hang" };

export interface StandIn {
  url: string;
  received: Received[];
  /** Every request, including the rejected ones, with the status it got. */
  requests: { status: number; errors: string[] }[];
  /** Faults to answer with, one per request, before answering normally again. */
  faults: Fault[];
  close(): Promise<void>;
}

function partsOf(body: Buffer, boundary: string): { headers: Record<string, string>; data: Buffer }[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { headers: Record<string, string>; data: Buffer }[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) return parts;
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === "--") break;
    pos += 2; // CRLF
    const headerEnd = body.indexOf("\r\n\r\n", pos);
    if (headerEnd < 0) break;
    const headers: Record<string, string> = {};
    for (const line of body.subarray(pos, headerEnd).toString("utf8").split("\r\n")) {
      const i = line.indexOf(":");
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const next = body.indexOf(delimiter, headerEnd + 4);
    if (next < 0) break;
    parts.push({ headers, data: body.subarray(headerEnd + 4, next - 2) });
    pos = next;
  }
  return parts;
}

function len(s: unknown): number {
  return typeof s === "string" ? s.length : 0;
}

/** Every limit Discord documents for an execute-webhook payload. */
export function violations(p: any, fileCount: number): string[] {
  const e: string[] = [];
  if (!p || typeof p !== "object") return ["payload_json is not a JSON object"];
  if (p.content !== undefined && p.content !== null) {
    if (typeof p.content !== "string") e.push("content must be a string");
    else if (p.content.length > 2000) e.push(`content has ${p.content.length} > 2000 characters`);
  }
  const embeds = p.embeds ?? [];
  if (!Array.isArray(embeds)) e.push("embeds must be an array");
  if (embeds.length > 10) e.push(`${embeds.length} > 10 embeds`);
  let total = 0;
  embeds.forEach((m: any, i: number) => {
    if (len(m.title) > 256) e.push(`embeds[${i}].title has ${len(m.title)} > 256`);
    if (len(m.description) > 4096) e.push(`embeds[${i}].description has ${len(m.description)} > 4096`);
    if (len(m.footer?.text) > 2048) e.push(`embeds[${i}].footer.text has ${len(m.footer?.text)} > 2048`);
    if (len(m.author?.name) > 256) e.push(`embeds[${i}].author.name > 256`);
    const fields = m.fields ?? [];
    if (fields.length > 25) e.push(`embeds[${i}] has ${fields.length} > 25 fields`);
    total += len(m.title) + len(m.description) + len(m.footer?.text) + len(m.author?.name);
    fields.forEach((f: any, j: number) => {
      if (!len(f.name)) e.push(`embeds[${i}].fields[${j}].name is empty`);
      if (!len(f.value)) e.push(`embeds[${i}].fields[${j}].value is empty`);
      if (len(f.name) > 256) e.push(`embeds[${i}].fields[${j}].name has ${len(f.name)} > 256`);
      if (len(f.value) > 1024) e.push(`embeds[${i}].fields[${j}].value has ${len(f.value)} > 1024`);
      total += len(f.name) + len(f.value);
    });
    const image = m.image?.url;
    if (typeof image === "string" && image.startsWith("attachment://")) {
      const name = image.slice("attachment://".length);
      if (!(p.attachments ?? []).some((a: any) => a.filename === name)) e.push(`embeds[${i}].image names ${name}, which is not among the attachments`);
    }
  });
  if (total > 6000) e.push(`embeds have ${total} > 6000 characters in all`);
  for (const a of p.attachments ?? []) if (typeof a.id !== "number" || a.id >= fileCount) e.push(`attachment id ${a.id} has no files[${a.id}] part`);
  if (!len(p.content) && embeds.length === 0 && fileCount === 0) e.push("cannot send an empty message");
  return e;
}

export async function startDiscordStandIn(): Promise<StandIn> {
  const state: Omit<StandIn, "url" | "close"> = { received: [], requests: [], faults: [] };
  const hung: ServerResponse[] = [];
  let nextId = 1;
  const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const reject = (errors: string[]) => {
      state.requests.push({ status: 400, errors });
      answer(res, 400, { code: 50035, message: "Invalid Form Body", errors });
    };
    if (req.method !== "POST" || !/^\/api\/webhooks\/\d+\/[\w-]+$/.test(url.pathname)) {
      state.requests.push({ status: 404, errors: ["unknown webhook"] });
      return answer(res, 404, { code: 10015, message: "Unknown Webhook" });
    }
    const fault = state.faults.shift();
    if (fault?.kind === "hang") return void hung.push(res);
    const acceptedHang = fault?.kind === "accepted-hang";
    if (fault?.kind === "404") {
      state.requests.push({ status: 404, errors: [] });
      return answer(res, 404, { code: 10015, message: "Unknown Webhook" });
    }
    if (fault?.kind === "500") {
      state.requests.push({ status: 500, errors: [] });
      return answer(res, 500, { message: "Internal Server Error" });
    }
    if (fault?.kind === "429") {
      state.requests.push({ status: 429, errors: [] });
      return answer(res, 429, { message: "You are being rate limited.", retry_after: fault.retryAfterS, global: false }, {
        "retry-after": String(Math.ceil(fault.retryAfterS)),
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset-after": String(fault.retryAfterS),
      });
    }
    const type = req.headers["content-type"] ?? "";
    const boundary = /^multipart\/form-data;\s*boundary=("?)([^";]+)\1/i.exec(type)?.[2];
    let payload: any;
    const files: Received["files"] = [];
    if (boundary) {
      const parts = partsOf(raw, boundary);
      for (const part of parts) {
        const disposition = part.headers["content-disposition"] ?? "";
        const name = /\bname="([^"]*)"/.exec(disposition)?.[1];
        const filename = /\bfilename="([^"]*)"/.exec(disposition)?.[1];
        if (name === "payload_json") {
          try {
            payload = JSON.parse(part.data.toString("utf8"));
          } catch {
            return reject(["payload_json is not valid JSON"]);
          }
        } else if (name && /^files\[\d+\]$/.test(name)) {
          if (!filename) return reject([`${name} has no filename`]);
          files.push({ field: name, filename, type: part.headers["content-type"] ?? "", bytes: part.data.length, head: Buffer.from(part.data.subarray(0, 8)) });
        } else return reject([`unexpected multipart field ${name}`]);
      }
      if (payload === undefined) return reject(["multipart body without payload_json"]);
      files.forEach((f, i) => {
        if (f.field !== `files[${i}]`) payload.__order_error = `expected files[${i}], got ${f.field}`;
      });
    } else if (/^application\/json/i.test(type)) {
      try {
        payload = JSON.parse(raw.toString("utf8"));
      } catch {
        return reject(["body is not valid JSON"]);
      }
    } else return reject([`unsupported content-type ${type}`]);
    const errors = violations(payload, files.length);
    if (payload.__order_error) errors.push(payload.__order_error);
    if (errors.length > 0) return reject(errors);
    const wait = url.searchParams.get("wait") === "true";
    state.received.push({ path: url.pathname, wait, payload, files, ...(wait ? { id: String(nextId) } : {}) });
    if (acceptedHang) {
      nextId++;
      return void hung.push(res);
    }
    state.requests.push({ status: wait ? 200 : 204, errors: [] });
    if (!wait) {
      res.writeHead(204);
      return res.end();
    }
    answer(res, 200, { id: String(nextId++), ...payload });
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/api/webhooks/123456789/s3cr3t-t0ken`,
    close: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
