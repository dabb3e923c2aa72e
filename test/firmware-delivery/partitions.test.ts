// The partition table: fits 4 MB, obeys ESP-IDF's alignment, and the committed CSV is the one
// firmware/core/partitions.ts generates.
import test from "ava";
import { readFileSync } from "node:fs";
import { FLASH_IMAGES, FLASH_SIZE, OTA_SLOT_SIZE, PARTITIONS, READING_BUFFER_PARTITION, partitionsCsv } from "../../firmware/core/partitions.js";

test("two equal OTA slots, the reading buffer, contiguous and aligned, ending exactly at 4 MB", (t) => {
  let end = PARTITIONS[0]!.offset;
  for (const p of PARTITIONS) {
    t.is(p.offset, end, `${p.name} follows the previous partition`);
    t.is(p.offset % (p.type === "app" ? 0x10000 : 0x1000), 0, `${p.name} aligned`);
    t.is(p.size % 0x1000, 0, `${p.name} a whole number of sectors`);
    end = p.offset + p.size;
  }
  t.is(end, FLASH_SIZE);
  t.deepEqual(PARTITIONS.filter((p) => p.type === "app").map((p) => [p.subtype, p.size]), [["ota_0", OTA_SLOT_SIZE], ["ota_1", OTA_SLOT_SIZE]]);
  t.truthy(PARTITIONS.find((p) => p.name === READING_BUFFER_PARTITION && p.type === "data"));
  t.true(PARTITIONS.some((p) => p.subtype === "ota" && p.type === "data"), "otadata is what rollback lives in");
  const appStart = PARTITIONS.find((p) => p.subtype === "ota_0")!.offset;
  t.is(FLASH_IMAGES.find((f) => f.file === "xs_esp32.bin")!.offset, appStart, "the USB flash writes the app into ota_0");
  t.is(FLASH_IMAGES.find((f) => f.file === "ota_data_initial.bin")!.offset, PARTITIONS.find((p) => p.name === "otadata")!.offset);
});

test("firmware/partitions.csv is generated from partitions.ts", (t) => {
  t.is(readFileSync(new URL("../../firmware/partitions.csv", import.meta.url), "utf8"), partitionsCsv());
});
