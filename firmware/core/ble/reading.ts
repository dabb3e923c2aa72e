// What a room thermometer's broadcast says, whatever its format. Portable: runs unchanged on XS.
// The MAC is the thermometer's identity (lower-case, colon-separated, as printed on its label
// or shown by its firmware's web flasher: a4:c1:38:12:34:56).

export type BleFormat = "bthome" | "pvvx" | "atc";

export interface BleReading {
  format: BleFormat;
  /** a4:c1:38:12:34:56 */
  mac: string;
  /** Air temperature, °C. */
  celsius: number;
  /** Relative humidity, % (absent when the broadcast has none). */
  humidity?: number;
  /** Battery level, % (absent when the broadcast has none). */
  battery?: number;
  /** The thermometer's own packet/measurement counter, when it sends one: repeats are the same reading. */
  counter?: number;
}

function hex2(n: number): string {
  return (n < 16 ? "0" : "") + n.toString(16);
}

/** `a4:c1:38:12:34:56` from 6 bytes, most significant first. */
export function macOf(bytes: ArrayLike<number>, at: number, reversed: boolean): string {
  let s = "";
  for (let i = 0; i < 6; i++) s += (i ? ":" : "") + hex2(bytes[reversed ? at + 5 - i : at + i] & 0xff);
  return s;
}

/** Normalise a MAC as users write it (A4:C1:38:12:34:56, a4-c1-38-12-34-56, a4c138123456); undefined if it is not one. */
export function normaliseMac(text: string): string | undefined {
  const hex = text.toLowerCase().replace(/[:\-\s]/g, "");
  if (!/^[0-9a-f]{12}$/.test(hex)) return undefined;
  let s = "";
  for (let i = 0; i < 12; i += 2) s += (i ? ":" : "") + hex.slice(i, i + 2);
  return s;
}

export function u16le(b: ArrayLike<number>, at: number): number {
  return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8);
}

export function s16le(b: ArrayLike<number>, at: number): number {
  const v = u16le(b, at);
  return v & 0x8000 ? v - 0x10000 : v;
}

/** Round away binary noise from fixed-point scaling (0.01 K steps stay 0.01 K steps). */
export function fixed(value: number, digits: number): number {
  const f = Math.pow(10, digits);
  return Math.round(value * f) / f;
}
