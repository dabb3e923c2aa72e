// The one SDK module the firmware uses that ships no declaration: the legacy ESP32 OTA writer
// (Moddable SDK 8.2.3, build/devices/esp32/modules/ota/ota.js; natives in ota.c). mcconfig's
// TypeScript stage sees this file because manifest_delivery.json lists it as the module "ota"
// (a .d.ts in "modules" becomes a tsconfig "paths" entry). Everything else (crypt, flash,
// onewire, wifi, mc/ffi …) is typed by the SDK itself or by mcconfig from the manifest's "ffi".

declare module "ota" {
  /** The legacy ESP32 OTA writer: esp_ota_begin() on the next OTA partition (sequential writes). */
  export default class OTA {
    constructor();
    /** esp_ota_write(); throws "write failed". */
    write(data: ArrayBuffer): void;
    /** esp_ota_end() without switching: the boot partition stays as it is. */
    cancel(): void;
    /** esp_ota_end() (validates the image) then esp_ota_set_boot_partition(); throws on either failure. */
    complete(): void;
  }
}
