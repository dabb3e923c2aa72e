// DS18B20 ROM codes. Portable: runs unchanged on XS (no Node APIs, no Buffer).
//
// On the wire a ROM is 8 bytes: family code, 48-bit serial (least significant byte first), CRC8.
// The canonical spelling is Linux w1's `28-0316a2794aff`: family, dash, serial as a 48-bit
// number. It is what every reading carries as its `rom` tag. The house file also accepts the
// spellings users copy out of other tools; those that include the CRC byte are checked.

export const DS18B20_FAMILY = 0x28;

/** Families of 1-Wire temperature sensors this project reads (DS18S20, DS1822, DS18B20, MAX31850). */
export const TEMPERATURE_FAMILIES: readonly number[] = Object.freeze([0x10, 0x22, 0x28, 0x3b]);

/** Dallas/Maxim CRC8 (polynomial x^8 + x^5 + x^4 + 1, reflected 0x8C), as used for ROM and scratchpad. */
export function crc8(bytes: ArrayLike<number>, length: number = bytes.length): number {
  let crc = 0;
  for (let i = 0; i < length; i++) {
    let byte = bytes[i] & 0xff;
    for (let bit = 0; bit < 8; bit++) {
      const mix = (crc ^ byte) & 0x01;
      crc >>= 1;
      if (mix) crc ^= 0x8c;
      byte >>= 1;
    }
  }
  return crc;
}

function hex2(n: number): string {
  return (n < 16 ? "0" : "") + n.toString(16);
}

/** Canonical spelling of 8 wire bytes (or 7: family + serial). */
export function romToCanonical(wire: ArrayLike<number>): string {
  let serial = "";
  for (let i = 6; i >= 1; i--) serial += hex2(wire[i] & 0xff);
  return hex2(wire[0] & 0xff) + "-" + serial;
}

/** The 8 wire bytes of a canonical ROM, with its CRC computed. */
export function canonicalToWire(canonical: string): Uint8Array {
  const bytes = new Uint8Array(8);
  bytes[0] = parseInt(canonical.slice(0, 2), 16);
  const serial = canonical.slice(3);
  for (let i = 1; i <= 6; i++) bytes[i] = parseInt(serial.slice(12 - 2 * i, 14 - 2 * i), 16);
  bytes[7] = crc8(bytes, 7);
  return bytes;
}

/** Build a valid ROM from a family code and a 48-bit serial (used by simulators and tests). */
export function makeRom(serial: number, family: number = DS18B20_FAMILY): Uint8Array {
  const bytes = new Uint8Array(8);
  bytes[0] = family;
  let s = serial;
  for (let i = 1; i <= 6; i++) {
    bytes[i] = s % 256;
    s = Math.floor(s / 256);
  }
  bytes[7] = crc8(bytes, 7);
  return bytes;
}

export type RomSpelling = "w1" | "wire-hex" | "esphome" | "tasmota";

export type RomParse =
  | { ok: true; canonical: string; spelling: RomSpelling; crcChecked: boolean }
  | { ok: false; reason: string; hint: string };

const HEX = /^[0-9a-f]+$/;

/**
 * Parse any accepted spelling:
 * - `28-0316a2794aff`: Linux w1 (no CRC byte, so nothing to check);
 * - `28FF4A79A2160303`, `28:FF:4A:…`, `28 ff 4a …`, `0x28, 0xFF, …`: the 8 wire bytes in bus
 *   order, as Arduino's DallasTemperature prints them (CRC checked);
 * - `0x030316A2794AFF28`: ESPHome's uint64 address, family code in the lowest byte (CRC checked);
 * - `0316A2794AFF`: Tasmota's id, the serial only (a DS18B20 is assumed).
 */
export function parseRom(input: string): RomParse {
  const text = String(input).trim().toLowerCase();
  const w1 = /^([0-9a-f]{2})-([0-9a-f]{12})$/.exec(text);
  if (w1) return checkFamily(w1[1] + "-" + w1[2], "w1", false);

  if (/^0x[0-9a-f]{16}$/.test(text)) {
    // ESPHome: the uint64 built little-endian from the wire bytes, printed most significant first.
    const wire = new Uint8Array(8);
    for (let i = 0; i < 8; i++) wire[i] = parseInt(text.slice(16 - 2 * i, 18 - 2 * i), 16);
    return checkWire(wire, "esphome");
  }

  const compact = text.replace(/0x/g, "").replace(/[\s:,{}-]/g, "");
  if (compact.length === 16 && HEX.test(compact)) {
    const wire = new Uint8Array(8);
    for (let i = 0; i < 8; i++) wire[i] = parseInt(compact.slice(2 * i, 2 * i + 2), 16);
    return checkWire(wire, "wire-hex");
  }
  if (compact.length === 12 && HEX.test(compact) && !text.includes(" ") && !text.includes(":")) {
    return checkFamily("28-" + compact, "tasmota", false);
  }
  return {
    ok: false,
    reason: `"${input}" is not a ROM code`,
    hint: "write it as 28-0316a2794aff (Linux w1), as 16 hex digits in bus order (28FF4A79A2160303), as ESPHome's 0x… address, or as Tasmota's 12-digit id",
  };
}

function checkWire(wire: Uint8Array, spelling: RomSpelling): RomParse {
  const expected = crc8(wire, 7);
  if (expected !== wire[7]) {
    return {
      ok: false,
      reason: `ROM ${romToCanonical(wire)} fails its CRC check (last byte is ${hex2(wire[7])}, the first seven give ${hex2(expected)})`,
      hint: "a digit is probably mistyped: copy the ROM again from the sensor list (floorbalance sensors) or the device log",
    };
  }
  return checkFamily(romToCanonical(wire), spelling, true);
}

function checkFamily(canonical: string, spelling: RomSpelling, crcChecked: boolean): RomParse {
  const family = parseInt(canonical.slice(0, 2), 16);
  if (!TEMPERATURE_FAMILIES.includes(family)) {
    return {
      ok: false,
      reason: `ROM ${canonical} has family code ${canonical.slice(0, 2)}, which is not a 1-Wire temperature sensor`,
      hint: "a DS18B20's ROM starts with 28 in bus order (or ends with 28 in ESPHome's 0x… form)",
    };
  }
  return { ok: true, canonical, spelling, crcChecked };
}
