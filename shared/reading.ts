// From raw DS18B20 bytes to a valid temperature, or a counted rejection. Portable: runs
// unchanged on XS. Used by the firmware core on the device and by the simulator and virtual
// nodes in Node, so every path into InfluxDB applies the same rules.

import type { RejectionReason } from "./measurements.js";
import { crc8 } from "./rom.js";

/** DS18B20 datasheet: the temperature register after power-on, before any conversion. */
export const POWER_ON_C = 85.0;
/** DallasTemperature's DEVICE_DISCONNECTED_C, as other drivers hand it on. */
export const DISCONNECTED_C = -127.0;
export const SENSOR_MIN_C = -55;
export const SENSOR_MAX_C = 125;

export interface ValidationPolicy {
  /** Largest plausible change of a pipe-surface temperature, K per second. */
  maxJumpKPerS: number;
  /** Smallest jump always allowed, K (covers noise and quantisation over short intervals). */
  minJumpAllowanceK: number;
  /** A reading of exactly 85 °C is accepted only if the previous one was within this many K. */
  powerOnNearK: number;
  /** Readings older than this are not used as "previous" for the jump test, s. */
  previousMaxAgeS: number;
  /**
   * A sensor's first reading (after a boot, or after 10 min without one) may lie at most this
   * far from the median of the other sensors on its bus in the same cycle, K.
   */
  neighbourSpanK: number;
}

// A water pipe at a manifold cannot change faster than the heat pump's supply ramps: a cold
// circuit hit by a hot front rises ~20 K within a minute or two, and the sensor's own lag
// (τ 1–3 min) smooths it further. 1 K/s leaves margin above that and still stops glitches.
export const DEFAULT_POLICY: ValidationPolicy = Object.freeze({
  maxJumpKPerS: 1.0,
  minJumpAllowanceK: 5,
  powerOnNearK: 2,
  previousMaxAgeS: 600,
  // Pipes on one floor-heating manifold lie between a cold return (~15 °C) and the hottest
  // supply (~55 °C): 40 K from the bus median covers that and still stops a +60 K glitch.
  neighbourSpanK: 40,
});

export type Decoded = { ok: true; celsius: number } | { ok: false; reason: RejectionReason };

function allBytes(bytes: ArrayLike<number>, length: number, value: number): boolean {
  for (let i = 0; i < length; i++) if ((bytes[i] & 0xff) !== value) return false;
  return true;
}

/**
 * Decode a 9-byte scratchpad. All-ones (nobody answered) counts as "disconnected"; any other CRC
 * mismatch as "crc". The temperature register is a signed 16-bit value in 1/16 K; unused low
 * bits at lower resolutions are masked as the datasheet says they are undefined.
 */
export function decodeScratchpad(bytes: ArrayLike<number>, resolution = 12): Decoded {
  if (bytes.length < 9) return { ok: false, reason: "crc" };
  if (allBytes(bytes, 9, 0xff) || allBytes(bytes, 9, 0x00)) return { ok: false, reason: "disconnected" };
  if (crc8(bytes, 8) !== (bytes[8] & 0xff)) return { ok: false, reason: "crc" };
  let raw = ((bytes[1] & 0xff) << 8) | (bytes[0] & 0xff);
  if (raw & 0x8000) raw -= 0x10000;
  const mask = resolution >= 12 ? ~0 : ~((1 << (12 - resolution)) - 1);
  return { ok: true, celsius: (raw & mask) / 16 };
}

/** Encode a temperature as a DS18B20 scratchpad (for simulated buses). */
export function encodeScratchpad(celsius: number, resolution = 12): Uint8Array {
  const bytes = new Uint8Array(9);
  let raw = Math.round(celsius * 16);
  if (raw < 0) raw += 0x10000;
  bytes[0] = raw & 0xff;
  bytes[1] = (raw >> 8) & 0xff;
  bytes[2] = 0x4b; // TH register (datasheet default)
  bytes[3] = 0x46; // TL register
  bytes[4] = ((resolution - 9) << 5) | 0x1f; // configuration register
  bytes[5] = 0xff;
  bytes[6] = 0x0c;
  bytes[7] = 0x10;
  bytes[8] = crc8(bytes, 8);
  return bytes;
}

export interface Previous {
  celsius: number;
  /** Seconds (any monotonic clock, same as `now`). */
  time: number;
}

/**
 * What a sensor's first reading is checked against when there is no recent previous one (after a
 * boot, or after the sensor was silent): without it a glitch in the very first read would be
 * written (a +60 K one was).
 */
export interface FirstReadingContext {
  /** The sensor's newest reading kept in flash from before the boot (time on the clock of `now`). */
  stored?: Previous;
  /** This cycle's plausible readings of the other sensors on the same bus. */
  neighbours?: readonly number[];
  /** The sensor's last first reading that was rejected: the next one confirms or replaces it. */
  candidate?: Previous;
}

function jumpAllowed(from: Previous, now: number, policy: ValidationPolicy): number {
  return policy.minJumpAllowanceK + policy.maxJumpKPerS * Math.max(0, now - from.time);
}

export function median(values: readonly number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Judge a decoded temperature against the sensor's range, the power-on value and the previous
 * accepted reading of the same sensor. Pure: the caller keeps `previous`. Without a recent
 * previous reading, `first` supplies the references a first reading is checked against: two
 * consecutive consistent first readings confirm each other; otherwise the reading must be within
 * the jump allowance of the value kept in flash and within `neighbourSpanK` of the bus's median.
 * A first reading that fails counts as a `jump`. With no reference at all it is accepted.
 */
export function judgeReading(celsius: number, now: number, previous: Previous | undefined, policy: ValidationPolicy = DEFAULT_POLICY, first?: FirstReadingContext): Decoded {
  if (!Number.isFinite(celsius)) return { ok: false, reason: "disconnected" };
  if (celsius <= DISCONNECTED_C + 0.001) return { ok: false, reason: "disconnected" };
  if (celsius < SENSOR_MIN_C || celsius > SENSOR_MAX_C) return { ok: false, reason: "range" };
  const recent = previous !== undefined && now - previous.time <= policy.previousMaxAgeS ? previous : undefined;
  if (celsius === POWER_ON_C) {
    // 85.0 exactly is the power-on register value; only believe it if the pipe really was there.
    if (!recent || Math.abs(recent.celsius - POWER_ON_C) > policy.powerOnNearK) return { ok: false, reason: "power_on" };
  }
  if (recent) {
    if (Math.abs(celsius - recent.celsius) > jumpAllowed(recent, now, policy)) return { ok: false, reason: "jump" };
    return { ok: true, celsius };
  }
  if (first) {
    const c = first.candidate;
    if (c && now - c.time <= policy.previousMaxAgeS && Math.abs(celsius - c.celsius) <= jumpAllowed(c, now, policy)) return { ok: true, celsius };
    if (first.stored && Math.abs(celsius - first.stored.celsius) > jumpAllowed(first.stored, now, policy)) return { ok: false, reason: "jump" };
    if (first.neighbours && first.neighbours.length > 0 && Math.abs(celsius - median(first.neighbours)) > policy.neighbourSpanK) return { ok: false, reason: "jump" };
  }
  return { ok: true, celsius };
}

/** Plausible enough to serve as a neighbour for another sensor's first reading. */
export function plausibleNeighbour(celsius: number): boolean {
  return Number.isFinite(celsius) && celsius > DISCONNECTED_C + 0.001 && celsius >= SENSOR_MIN_C && celsius <= SENSOR_MAX_C && celsius !== POWER_ON_C;
}
