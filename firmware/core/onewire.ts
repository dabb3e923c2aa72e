// The seam between the portable core and the wire: the Moddable `onewire` class on the device
// (firmware/adapters/onewire.ts), a simulated bus in Node (firmware/virtual/sim-bus.ts).
// Deliberately the same few operations the Moddable driver exposes natively.

export interface OneWireBus {
  /** Reset pulse; true when at least one device answered with a presence pulse. */
  reset(): boolean;
  /** Write one byte, least significant bit first. */
  write(byte: number): void;
  /** Read `count` bytes. */
  read(count: number): Uint8Array;
  /** SEARCH ROM over the whole bus: the 8-byte ROMs of every device that answered. */
  search(): Uint8Array[];
}

/** 1-Wire ROM and DS18B20 function commands (Maxim DS18B20 datasheet, "ROM/function commands"). */
export const CMD = Object.freeze({
  SEARCH_ROM: 0xf0,
  MATCH_ROM: 0x55,
  SKIP_ROM: 0xcc,
  CONVERT_T: 0x44,
  READ_SCRATCHPAD: 0xbe,
  WRITE_SCRATCHPAD: 0x4e,
});

/** Reset + MATCH ROM: only `rom` listens to what follows. False when nobody is on the bus. */
export function select(bus: OneWireBus, rom: Uint8Array): boolean {
  if (!bus.reset()) return false;
  bus.write(CMD.MATCH_ROM);
  for (let i = 0; i < 8; i++) bus.write(rom[i]);
  return true;
}

/** Reset + SKIP ROM + CONVERT T: every sensor on the bus converts at once. */
export function convertAll(bus: OneWireBus): boolean {
  if (!bus.reset()) return false;
  bus.write(CMD.SKIP_ROM);
  bus.write(CMD.CONVERT_T);
  return true;
}

/** MATCH ROM + READ SCRATCHPAD: the 9 scratchpad bytes (all ones if the sensor is gone). */
export function readScratchpad(bus: OneWireBus, rom: Uint8Array): Uint8Array {
  if (!select(bus, rom)) return new Uint8Array(9).fill(0xff);
  bus.write(CMD.READ_SCRATCHPAD);
  return bus.read(9);
}

/**
 * Set every sensor's resolution in its scratchpad (SKIP ROM + WRITE SCRATCHPAD: TH, TL, config).
 * Not copied to EEPROM: the node sets it again at every boot and after every search, which
 * spares the EEPROM's limited write cycles.
 */
export function setResolution(bus: OneWireBus, resolution: number): boolean {
  if (!bus.reset()) return false;
  bus.write(CMD.SKIP_ROM);
  bus.write(CMD.WRITE_SCRATCHPAD);
  bus.write(0x4b);
  bus.write(0x46);
  bus.write(((resolution - 9) << 5) | 0x1f);
  return true;
}
