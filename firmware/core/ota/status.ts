// The GET /status document: what a person mounting sensors opens in a browser, and what
// `floorbalance sensors --node` and `floorbalance firmware ota` read. Built field by field from
// an explicit list, never by copying the configuration, so no secret (Wi-Fi, InfluxDB, OTA
// token) can end up in it. Contract: /tmp/fb CONTRACTS.md "GET /status".
// Portable: no Node or Moddable imports.

export interface SensorSnapshot {
  rom: string;
  mapped: boolean;
  /** Last valid reading, °C, or null before the first. */
  last_c: number | null;
  /** Unix s of that reading, or null. */
  last_time: number | null;
  /** Reads rejected since boot (CRC, power-on, disconnected, range, jump). */
  rejected: number;
}

export interface StatusSource {
  node: string;
  firmware: string;
  uptime_s: number;
  reset_reason: string;
  safe_mode: boolean;
  /** Device clock, unix s; 0 while SNTP has not set it (ages are then omitted). */
  now: number;
  /** `shorted`: the bus answered no reset with a presence pulse (a wiring fault to look for while mounting). */
  buses: { id: string; pin: number; shorted?: boolean; sensors: SensorSnapshot[] }[];
  buffer: { depth: number; dropped: number };
  write: { status: string; http_status: number; last_ok: number | null };
  /** Rollback state of the running image (see rollback.ts probationSummary). */
  image?: { state: string; waiting_for: string[]; deadline_s?: number };
  ota?: { busy: boolean; last?: string };
}

export interface StatusDocument {
  node: string;
  firmware: string;
  uptime_s: number;
  reset_reason: string;
  safe_mode: boolean;
  buses: { id: string; pin: number; shorted?: boolean; sensors: { rom: string; mapped: boolean; last_c: number | null; last_time: number | null; age_s: number | null; rejected: number }[] }[];
  buffer: { depth: number; dropped: number };
  write: { status: string; http_status: number; last_ok: number | null };
  image?: { state: string; waiting_for: string[]; deadline_s?: number };
  ota?: { busy: boolean; last?: string };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function buildStatus(s: StatusSource): StatusDocument {
  const doc: StatusDocument = {
    node: s.node,
    firmware: s.firmware,
    uptime_s: Math.floor(s.uptime_s),
    reset_reason: s.reset_reason,
    safe_mode: s.safe_mode,
    buses: s.buses.map((bus) => ({
      id: bus.id,
      pin: bus.pin,
      ...(bus.shorted !== undefined ? { shorted: bus.shorted } : {}),
      sensors: bus.sensors.map((x) => ({
        rom: x.rom,
        mapped: x.mapped,
        last_c: x.last_c === null ? null : round2(x.last_c),
        last_time: x.last_time,
        age_s: x.last_time !== null && s.now > 0 ? Math.max(0, s.now - x.last_time) : null,
        rejected: x.rejected,
      })),
    })),
    buffer: { depth: s.buffer.depth, dropped: s.buffer.dropped },
    write: { status: s.write.status, http_status: s.write.http_status, last_ok: s.write.last_ok },
  };
  if (s.image) doc.image = { state: s.image.state, waiting_for: [...s.image.waiting_for], ...(s.image.deadline_s !== undefined ? { deadline_s: s.image.deadline_s } : {}) };
  if (s.ota) doc.ota = { busy: s.ota.busy, ...(s.ota.last ? { last: s.ota.last } : {}) };
  return doc;
}

export function statusJson(s: StatusSource): string {
  return JSON.stringify(buildStatus(s));
}
