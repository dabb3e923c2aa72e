// The module's HTTP endpoints, as pure request → response: POST /dhw/trigger starts a run on
// demand, POST /dhw/holiday?on=1|0|auto switches holiday mode, GET /dhw/status shows the state.
// POSTs carry the OTA token (`Authorization: Bearer …`), compared in constant time like PUT /ota.
// The adapter (adapters/dhw-io.ts) only moves bytes. Portable.

import { bearerToken, equalConstantTime } from "../ota/constant-time.js";

export interface DhwHttpTarget {
  demand(kind: "http"): void;
  setHoliday(on: boolean | null): void;
  status(): string;
}

export interface DhwHttpAnswer {
  status: number;
  body: string;
}

function answer(status: number, ok: boolean, message: string): DhwHttpAnswer {
  return { status, body: JSON.stringify({ ok, message }) };
}

export function handleDhwRequest(method: string, url: string, authorization: string | undefined, token: string, target: DhwHttpTarget): DhwHttpAnswer {
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? "" : url.slice(q + 1);
  if (path === "/dhw/status" && method === "GET") return { status: 200, body: target.status() };
  if (path !== "/dhw/trigger" && path !== "/dhw/holiday") return answer(404, false, "GET /dhw/status, POST /dhw/trigger or POST /dhw/holiday?on=1|0|auto");
  if (method !== "POST") return answer(405, false, "use POST");
  if (!equalConstantTime(bearerToken(authorization), token)) return answer(401, false, "send the node's OTA token as Authorization: Bearer …");
  if (path === "/dhw/trigger") {
    target.demand("http");
    return answer(200, true, "demand noted");
  }
  const m = /(?:^|&)on=(1|0|auto)(?:&|$)/.exec(query);
  if (!m) return answer(400, false, "say on=1, on=0 or on=auto");
  target.setHoliday(m[1] === "auto" ? null : m[1] === "1");
  return answer(200, true, `holiday ${m[1]}`);
}
