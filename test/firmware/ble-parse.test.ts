// Byte vectors from the formats' published descriptions: bthome.io/format (and the worked example
// in Bluetooth-Devices/bthome-ble#118), the pvvx custom format and the atc1441 format in
// github.com/pvvx/ATC_MiThermometer's README.
import test from "ava";
import fc from "fast-check";
import { parseAdvertisement, serviceData16 } from "../../firmware/core/ble/advertisement.js";
import { parseAtc } from "../../firmware/core/ble/atc.js";
import { parseBthome } from "../../firmware/core/ble/bthome.js";
import { parsePvvx } from "../../firmware/core/ble/pvvx.js";
import { normaliseMac } from "../../firmware/core/ble/reading.js";
import { encodeAdvertisement, type BroadcastFormat } from "../../simulator/ble-broadcast.js";

const hex = (s: string) => Uint8Array.from(s.replace(/\s/g, "").match(/../g)!.map((h) => parseInt(h, 16)));
const MAC = "a4:c1:38:12:34:56";

test("BTHome v2: the format page's temperature and humidity example (25.06 °C, 50.55 %)", (t) => {
  const r = parseBthome(hex("40 02ca09 03bf13"), MAC);
  t.deepEqual(r, { ok: true, reading: { format: "bthome", mac: MAC, celsius: 25.06, humidity: 50.55 } });
});

test("BTHome v2: a LYWSD03MMC's packet id, battery, temperature, humidity and voltage", (t) => {
  // 40 | 00 3f packet 63 | 01 5e battery 94 % | 02 8208 21.78 °C | 03 ac17 60.60 % | 0c 830b 2.947 V
  const r = parseBthome(hex("40 003f 015e 028208 03ac17 0c830b"), MAC);
  t.deepEqual(r, { ok: true, reading: { format: "bthome", mac: MAC, celsius: 21.78, humidity: 60.6, battery: 94, counter: 63 } });
});

test("BTHome v2: the 0.1 K temperature (0x45), the 1 % humidity (0x2E) and negative values", (t) => {
  const a = parseBthome(hex("40 451301 2e23"), MAC);
  t.true(a.ok && a.reading.celsius === 27.5 && a.reading.humidity === 35);
  const b = parseBthome(hex("40 02 18fc"), MAC); // −10.00 °C
  t.true(b.ok && b.reading.celsius === -10);
});

test("BTHome v2: encrypted, other versions, no temperature and unknown objects", (t) => {
  t.deepEqual(parseBthome(hex("41 02ca09"), MAC), { ok: false, reason: "encrypted" });
  t.deepEqual(parseBthome(hex("20 02ca09"), MAC), { ok: false, reason: "version" });
  t.deepEqual(parseBthome(hex("40 015e"), MAC), { ok: false, reason: "no-temperature" });
  // An unknown id ends the parse; what came before it counts.
  const r = parseBthome(hex("40 02ca09 fe0102 03bf13"), MAC);
  t.true(r.ok && r.reading.celsius === 25.06 && r.reading.humidity === undefined);
  // A value cut short is not read.
  t.deepEqual(parseBthome(hex("40 02ca"), MAC), { ok: false, reason: "no-temperature" });
});

test("pvvx custom format: 15 bytes little-endian with the MAC reversed", (t) => {
  // MAC 56 34 12 38 c1 a4 | 2130 = 21.30 °C | 4500 = 45.00 % | 3000 mV | 85 % | counter 7 | flags 0
  t.deepEqual(parsePvvx(hex("563412 38c1a4 5208 9411 b80b 55 07 00")), { format: "pvvx", mac: MAC, celsius: 21.3, humidity: 45, battery: 85, counter: 7 });
  t.is(parsePvvx(hex("563412 38c1a4 5208 9411 b80b 55 07")), undefined, "14 bytes is not pvvx");
  t.is(parsePvvx(hex("563412 38c1a4 f6ff 9411 b80b 55 07 00"))!.celsius, -0.1);
});

test("atc1441 format: 13 bytes big-endian with the MAC in order", (t) => {
  // MAC | 00d5 = 21.3 °C | 2d = 45 % | 55 = 85 % | 0bb8 = 3000 mV | counter 7
  t.deepEqual(parseAtc(hex("a4c138 123456 00d5 2d 55 0bb8 07")), { format: "atc", mac: MAC, celsius: 21.3, humidity: 45, battery: 85, counter: 7 });
  t.is(parseAtc(hex("a4c138 123456 fff6 2d 55 0bb8 07"))!.celsius, -1);
});

test("an advertisement: the service data is found among the AD structures, the MAC in the payload wins", (t) => {
  // flags | complete name "ATC_123456" | service data 0x181A (atc)
  const ad = hex("020106 0b09 4154435f313233343536 1016 1a18 a4c138123456 00d5 2d 55 0bb8 07");
  const r = parseAdvertisement(ad, "11:22:33:44:55:66");
  t.true(r.ok && r.reading.mac === MAC && r.reading.format === "atc");
  t.deepEqual(serviceData16(hex("020106 0516 d2fc 40 57")), [{ uuid: 0xfcd2, data: [0x40, 0x57] }]);
  t.deepEqual(parseAdvertisement(hex("020106 0eff 4c00 0215 0102030405060708"), MAC), { ok: false, reason: "not-a-thermometer" });
  t.deepEqual(parseAdvertisement(hex("020106 0616 1a18 a4c138"), MAC), { ok: false, reason: "malformed" });
  t.deepEqual(parseAdvertisement(hex("020106 0716 d2fc 41 02ca09"), MAC), { ok: false, reason: "encrypted" });
  t.deepEqual(parseAdvertisement(hex("020106 ff16"), MAC), { ok: false, reason: "not-a-thermometer" }, "a length past the end stops");
});

test("the simulator's broadcasts parse back to what it meant, in every format", (t) => {
  fc.assert(
    fc.property(fc.constantFrom<BroadcastFormat>("bthome", "pvvx", "atc"), fc.integer({ min: -2000, max: 4000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 255 }), (format, centi, hum, battery, counter) => {
      const celsius = centi / 100;
      const r = parseAdvertisement(encodeAdvertisement(format, { mac: MAC, celsius, humidity: hum, battery, counter }), MAC);
      if (!r.ok) return false;
      const step = format === "atc" ? 0.05 + 1e-9 : 0.005 + 1e-9;
      return r.reading.mac === MAC && Math.abs(r.reading.celsius - celsius) <= step && r.reading.battery === battery && r.reading.counter === counter && Math.abs((r.reading.humidity ?? -1) - hum) < 0.01;
    }),
  );
  t.pass();
});

test("MACs as users write them", (t) => {
  t.is(normaliseMac("A4:C1:38:12:34:56"), MAC);
  t.is(normaliseMac("a4-c1-38-12-34-56"), MAC);
  t.is(normaliseMac("A4C138123456"), MAC);
  t.is(normaliseMac("A4:C1:38:12:34"), undefined);
});
