// Valve characteristics. Δp[bar] = (Q[m³/h]/kv)², the definition of kv.

/** A flow-meter valve (Taco-Setter style) fully open: kvs ≈ 1.0–1.2 m³/h (domain §2). */
export const FLOW_METER_KVS = 1.2;
/** Smallest kv a flow-meter valve can be set to before it is shut. */
export const FLOW_METER_KV_MIN = 0.02;

export function valveDropPa(flowLpm: number, kv: number): number {
  if (flowLpm <= 0) return 0;
  if (kv <= 0) return Infinity;
  const q = (flowLpm * 60) / 1000; // m³/h
  const r = q / kv;
  return r * r * 1e5;
}

export function valveDropSlope(flowLpm: number, kv: number): number {
  if (flowLpm <= 0) return 0;
  return (2 * valveDropPa(flowLpm, kv)) / flowLpm;
}

/** kv that drops `dpPa` at `flowLpm`. */
export function kvFor(flowLpm: number, dpPa: number): number {
  const q = (flowLpm * 60) / 1000;
  return q / Math.sqrt(dpPa / 1e5);
}

/** Lockshield: kv(n) = kvs·(1 − e^(−n/n0)); most of its authority lies in the last turn before closed. */
export function lockshieldKv(turns: number, kvs: number, n0: number): number {
  if (turns <= 0) return 0;
  return kvs * (1 - Math.exp(-turns / n0));
}

/** Turns that give a kv (inverse of lockshieldKv), clamped to the valve's range. */
export function lockshieldTurns(kv: number, kvs: number, n0: number, maxTurns: number): number {
  if (kv <= 0) return 0;
  if (kv >= kvs * (1 - Math.exp(-maxTurns / n0))) return maxTurns;
  return -n0 * Math.log(1 - kv / kvs);
}
