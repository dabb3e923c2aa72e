// The Moddable SDK's DS18X20 driver (modules/drivers/onewire/DS18X20.js). Not used by the
// firmware: getTemperature() converts one device at a time (MATCH ROM + CONVERT T, then waits),
// so ten sensors cost ten conversion times per cycle; firmware/core/onewire.ts issues SKIP ROM +
// CONVERT T once per bus instead. Typed for completeness and for diagnostics.
declare module "DS18X20" {
  import type OneWire from "onewire";
  export default class DS18X20 {
    constructor(dictionary: { bus: OneWire; id?: ArrayBuffer | Uint8Array; index?: number });
    /** 9–12 bits; setting it writes the sensor's EEPROM. */
    resolution: number;
    readonly rom: ArrayBuffer;
    /** Starts a conversion and calls back with °C, or null on a CRC failure; without a callback, the previous conversion. */
    getTemperature(callback?: (celsius: number | null) => void): number | null | undefined;
  }
}
