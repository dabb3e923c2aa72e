// Checking the room thermometers the house file names against what InfluxDB holds: is each
// there, is it fresh, and for a typo the nearest names that are. Pure; `check` and the report use it.

import { haObjectId, type Room } from "../../shared/house/index.js";

export { haObjectId };


export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** Up to `max` names close to `wanted`: small edit distance, or one contains the other. */
export function nearMatches(wanted: string, names: readonly string[], max = 3): string[] {
  const w = wanted.toLowerCase();
  return names
    .map((n) => ({ n, d: editDistance(w, n.toLowerCase()), sub: n.toLowerCase().includes(w) || w.includes(n.toLowerCase()) }))
    .filter((c) => c.d <= Math.max(2, Math.floor(w.length / 4)) || c.sub)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, max)
    .map((c) => c.n);
}

export interface SignalSeen {
  /** Last time a value was written, s UTC. */
  last: number;
  celsius: number;
}

export interface SignalFinding {
  room: string;
  source: "ha" | "ble";
  /** entity_id or MAC as the house file names it. */
  id: string;
  kind: "ok" | "missing" | "stale";
  age_h?: number;
  celsius?: number;
  /** For a missing one: what InfluxDB has that looks like it. */
  suggestions: string[];
}

/**
 * `ha`: object id → last value; `ble`: MAC → last value (everything InfluxDB has, not only the
 * named ones, so near matches can be offered).
 */
export function checkSignals(rooms: readonly Room[], ha: ReadonlyMap<string, SignalSeen>, ble: ReadonlyMap<string, SignalSeen>, now: number): SignalFinding[] {
  const out: SignalFinding[] = [];
  const judge = (room: string, source: "ha" | "ble", id: string, key: string, seen: SignalSeen | undefined, names: string[], staleH: number) => {
    if (!seen) {
      out.push({ room, source, id, kind: "missing", suggestions: nearMatches(key, names) });
      return;
    }
    const age = (now - seen.last) / 3600;
    out.push({ room, source, id, kind: age > staleH ? "stale" : "ok", age_h: Math.round(age * 10) / 10, celsius: seen.celsius, suggestions: [] });
  };
  for (const r of rooms) {
    if (r.ha) {
      const key = haObjectId(r.ha.entity_id);
      judge(r.name, "ha", r.ha.entity_id, key, ha.get(key), [...ha.keys()], r.ha.stale_after_h);
    }
    if (r.ble) judge(r.name, "ble", r.ble.mac, r.ble.mac, ble.get(r.ble.mac), [...ble.keys()], r.ble.stale_after_h);
  }
  return out;
}
