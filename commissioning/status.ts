// A node's own view: GET /status (contract in CONTRACTS.md, built by the firmware). Used by
// `sensors --node` when InfluxDB is not there yet (the first power-up on the bench).

import { UserError } from "../shared/errors.js";
import { EXIT } from "../shared/exit-codes.js";
import { parseRom } from "../shared/rom.js";
import type { RomTrace } from "./series.js";

export interface NodeStatusJson {
  node: string;
  firmware?: string;
  uptime_s?: number;
  reset_reason?: string;
  safe_mode?: boolean;
  buses: { id: string; pin?: number; sensors: { rom: string; mapped?: boolean; last_c: number | null; last_time: number | null; age_s: number | null; rejected?: number }[] }[];
  buffer?: { depth: number; dropped: number };
  write?: { status: string; http_status?: number; last_ok?: number | null };
}

export async function fetchStatus(base: string, timeoutMs = 5000): Promise<NodeStatusJson> {
  const url = `${base.replace(/\/+$/, "")}/status`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new UserError(`the node at ${url} cannot be reached (${(err as Error).message})`, EXIT.deviceFailed, "is it powered and on the Wi-Fi? Pass its address with --host if the name does not resolve");
  }
  if (res.status !== 200) throw new UserError(`the node at ${url} answered HTTP ${res.status}`, EXIT.deviceFailed);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new UserError(`the node at ${url} did not send JSON`, EXIT.deviceFailed, "is this a floorbalance node with firmware that serves /status?");
  }
  return checkStatus(body, url);
}

export function checkStatus(body: unknown, where: string): NodeStatusJson {
  const b = body as NodeStatusJson;
  if (!b || typeof b !== "object" || typeof b.node !== "string" || !Array.isArray(b.buses)) {
    throw new UserError(`${where} is not a floorbalance /status answer (no node or buses)`, EXIT.deviceFailed);
  }
  return b;
}

/** The status as traces (one sample each: the last reading) and per-ROM rejected counts. */
export function statusToTraces(status: NodeStatusJson): { traces: RomTrace[]; rejectedByRom: Map<string, number>; now: number } {
  const traces: RomTrace[] = [];
  const rejectedByRom = new Map<string, number>();
  // The node's clock is the one its ages are measured on.
  let now = 0;
  for (const bus of status.buses) {
    for (const s of bus.sensors) {
      const parsed = parseRom(s.rom);
      const rom = parsed.ok ? parsed.canonical : s.rom;
      const samples = s.last_c !== null && s.last_time !== null ? [{ time: s.last_time, celsius: s.last_c }] : [];
      if (s.last_time !== null && s.age_s !== null) now = Math.max(now, s.last_time + s.age_s);
      traces.push({ rom, node: status.node, bus: String(bus.id), samples });
      if (s.rejected) rejectedByRom.set(rom, s.rejected);
    }
  }
  return { traces, rejectedByRom, now: now || Math.floor(Date.now() / 1000) };
}
