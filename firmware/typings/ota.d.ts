// Typings for the Moddable modules the delivery adapters use that @moddable/typings lacks.
// Read from the Moddable SDK 8.2.x sources: build/devices/esp32/modules/ota/ota.js,
// modules/crypt/digest/crypt.js (documentation/crypt/crypt.md), typings/mc/ffi.d.ts.

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

declare module "crypt" {
  export class Digest {
    constructor(type: "MD5" | "SHA1" | "SHA224" | "SHA256" | "SHA384" | "SHA512");
    write(message: string | ArrayBuffer): void;
    /** The digest; frees the state, call once. */
    close(): ArrayBuffer;
  }
}

declare module "mc/ffi" {
  /** Functions declared in the manifest's "ffi" section, bound by mcconfig's generated glue. */
  interface FFI {
    fb_ota_running_state(): number;
    fb_ota_mark_valid(): number;
    fb_ota_rollback(): number;
    fb_reset_reason(): number;
    fb_restart(): void;
  }
  const FFI: { new (): FFI };
  export default FFI;
}
