// The Moddable SDK's OneWire bus (modules/drivers/onewire/onewire.js, 8.2.x), typed as the
// natives behave (platform-facts): read(count) returns an ArrayBuffer, search() 8-byte
// ArrayBuffers, reset() whether a presence pulse answered.
declare module "onewire" {
  export default class OneWire {
    constructor(dictionary: { pin: number; [key: string]: unknown });
    close(): void;
    read(): number;
    read(count: number): ArrayBuffer;
    write(data: number | ArrayBuffer | Uint8Array): void;
    /** Reset + MATCH ROM. */
    select(device: ArrayBuffer | Uint8Array): void;
    search(): ArrayBuffer[];
    isPresent(id: ArrayBuffer | Uint8Array): boolean;
    reset(): boolean | number;
    static crc(buffer: ArrayBuffer | Uint8Array, length?: number): number;
    static hex(buffer: ArrayBuffer | Uint8Array): string;
  }
}
