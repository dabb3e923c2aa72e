// The core's OneWireBus over Moddable's OneWire class: each instance is its own RMT channel on
// the ESP32, so every configured pin is a bus of its own.
import OneWire from "onewire";
import type { OneWireBus } from "../core/onewire.js";

export class ModdableOneWire implements OneWireBus {
  private readonly wire: OneWire;

  constructor(pin: number) {
    this.wire = new OneWire({ pin });
  }
  reset(): boolean {
    return !!this.wire.reset();
  }
  write(byte: number): void {
    this.wire.write(byte & 0xff);
  }
  read(count: number): Uint8Array {
    // The SDK types read(count) as number | Uint8Array (a number only for read() without a
    // count); its esp32 and sim natives hand back `count` bytes in a buffer, which this copies.
    const got = this.wire.read(count);
    return typeof got === "number" ? Uint8Array.of(got) : new Uint8Array(got);
  }
  search(): Uint8Array[] {
    return this.wire.search().map((rom) => new Uint8Array(rom));
  }
}
