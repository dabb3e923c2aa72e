import test from "ava";
import fc from "fast-check";
import { canonicalToWire, crc8, makeRom, parseRom, romToCanonical, type RomSpelling } from "../../shared/rom.js";

// A real DS18B20 ROM in bus order, as DallasTemperature prints it (CRC byte last).
const WIRE = [0x28, 0xff, 0x4a, 0x79, 0xa2, 0x16, 0x03, 0x00];
WIRE[7] = crc8(WIRE, 7);
const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, "0")).join("");

test("crc8 matches the Maxim application note example", (t) => {
  // AN27: ROM 02 1C B8 01 00 00 00 has CRC A2.
  t.is(crc8([0x02, 0x1c, 0xb8, 0x01, 0x00, 0x00, 0x00]), 0xa2);
});

test("every accepted spelling normalises to the w1 form", (t) => {
  const canonical = "28-0316a2794aff";
  t.is(romToCanonical(WIRE), canonical);
  const spellings: [string, RomSpelling][] = [
    [canonical, "w1"],
    [canonical.toUpperCase(), "w1"],
    [hex(WIRE).toUpperCase(), "wire-hex"],
    [WIRE.map((b) => b.toString(16).padStart(2, "0")).join(":"), "wire-hex"],
    [WIRE.map((b) => "0x" + b.toString(16).padStart(2, "0")).join(", "), "wire-hex"],
    ["0x" + hex([...WIRE].reverse()), "esphome"],
    ["0316A2794AFF", "tasmota"],
  ];
  for (const [text, spelling] of spellings) {
    const parsed = parseRom(text);
    t.true(parsed.ok, text);
    if (parsed.ok) {
      t.is(parsed.canonical, canonical, text);
      t.is(parsed.spelling, spelling, text);
    }
  }
});

test("a mistyped digit is caught by the CRC in the spellings that carry it", (t) => {
  const typo = hex(WIRE).replace(/^28ff4a/, "28ff4b");
  const parsed = parseRom(typo);
  t.false(parsed.ok);
  if (!parsed.ok) t.regex(parsed.reason, /CRC/);
  const esphome = parseRom("0x" + hex([...WIRE].reverse()).replace(/ff28$/, "fe28"));
  t.false(esphome.ok);
});

test("non-temperature families and garbage are refused with a hint", (t) => {
  const parsed = parseRom("01-0316a2794aff");
  t.false(parsed.ok);
  if (!parsed.ok) t.regex(parsed.reason, /family/);
  const garbage = parseRom("sensor-one");
  t.false(garbage.ok);
  if (!garbage.ok) t.regex(garbage.hint, /28-0316a2794aff/);
});

test("makeRom, canonical spelling and wire bytes round-trip with a valid CRC", (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (serial) => {
      const wire = makeRom(serial);
      const canonical = romToCanonical(wire);
      const back = canonicalToWire(canonical);
      return crc8(wire, 7) === wire[7] && hex([...back]) === hex([...wire]) && parseRom(hex([...wire])).ok;
    }),
  );
  t.pass();
});
