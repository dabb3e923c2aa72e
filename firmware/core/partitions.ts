// The flash layout of every floorbalance node: one table for the firmware (buffer partition
// name and size), the host tools (image size limit, flash offsets) and firmware/partitions.csv
// (generated from this file; test/firmware-delivery/partitions.test.ts keeps them equal).
// Portable: no Node or Moddable imports.
//
// 4 MB flash (ESP32-WROOM-32/-32E, the common DevKitC board). ESP-IDF rules that shape it:
// app partitions start on a 64 KiB boundary, data partitions on a 4 KiB (sector) boundary;
// the second-stage bootloader sits at 0x1000 and the partition table at 0x8000 (ESP32, not
// the newer chips that boot from 0x0).

export const FLASH_SIZE = 0x400000;
export const SECTOR_SIZE = 0x1000;

export interface Partition {
  readonly name: string;
  readonly type: "app" | "data";
  readonly subtype: string;
  readonly offset: number;
  readonly size: number;
  /** Why it is there and why this big. */
  readonly note: string;
}

/** The buffer partition FWCORE's flash ring buffer writes readings into while InfluxDB is away. */
export const READING_BUFFER_PARTITION = "readings";
/**
 * 704 KiB = 176 sectors. With 6-byte records (firmware/core/record.ts) that is ~120 000
 * readings: the largest node (10 sensors every 10 s) rides out ~33 h without InfluxDB, the
 * 7-sensor nodes ~2 days. Sized as what is left of 4 MB after two app slots.
 */
export const READING_BUFFER_SIZE = 0xb0000;

/**
 * One OTA slot: 1.625 MiB. A release Moddable build of this firmware (XS, Wi-Fi, HTTP client
 * and server, OneWire/RMT) is well under 1.2 MiB; the headroom absorbs SDK growth. The OTA
 * endpoint refuses any image larger than this before writing a byte.
 */
export const OTA_SLOT_SIZE = 0x1a0000;

export const PARTITIONS: readonly Partition[] = Object.freeze([
  { name: "nvs", type: "data", subtype: "nvs", offset: 0x9000, size: 0x4000, note: "Wi-Fi calibration, preferences (boot counter for safe mode)" },
  { name: "otadata", type: "data", subtype: "ota", offset: 0xd000, size: 0x2000, note: "which OTA slot boots, and its rollback state" },
  { name: "phy_init", type: "data", subtype: "phy", offset: 0xf000, size: 0x1000, note: "RF calibration data" },
  { name: "ota_0", type: "app", subtype: "ota_0", offset: 0x10000, size: OTA_SLOT_SIZE, note: "firmware slot A" },
  { name: "ota_1", type: "app", subtype: "ota_1", offset: 0x10000 + OTA_SLOT_SIZE, size: OTA_SLOT_SIZE, note: "firmware slot B" },
  {
    name: READING_BUFFER_PARTITION,
    type: "data",
    subtype: "0x40",
    offset: 0x10000 + 2 * OTA_SLOT_SIZE,
    size: READING_BUFFER_SIZE,
    note: "flash ring buffer of readings not yet written to InfluxDB",
  },
] satisfies Partition[]);

/** Where esptool writes each file of a Moddable ESP32 build on the first (USB) flash. */
export const FLASH_IMAGES: readonly { readonly offset: number; readonly file: string }[] = Object.freeze([
  { offset: 0x1000, file: "bootloader.bin" },
  { offset: 0x8000, file: "partition-table.bin" },
  { offset: 0xd000, file: "ota_data_initial.bin" },
  { offset: 0x10000, file: "xs_esp32.bin" },
]);

export function hex(n: number): string {
  return "0x" + n.toString(16);
}

/** The partitions.csv ESP-IDF reads (name, type, subtype, offset, size, flags). */
export function partitionsCsv(): string {
  const lines = [
    "# Generated from firmware/core/partitions.ts by `floorbalance firmware platformio` — edit that file, not this one.",
    "# 4 MB flash: two OTA slots (rollback needs both) and the reading buffer.",
    "# Name,   Type, SubType, Offset, Size, Flags",
  ];
  for (const p of PARTITIONS) lines.push(`${p.name}, ${p.type}, ${p.subtype}, ${hex(p.offset)}, ${hex(p.size)},`);
  return lines.join("\n") + "\n";
}
