// The raw flash the buffer lives on: a partition on the device (firmware/adapters/flash.ts over
// Moddable's "flash"), a memory or file double in Node (firmware/virtual/flash-double.ts).
// NOR-flash semantics: erase sets a whole block to 0xFF; a write can only clear bits.

export interface FlashStore {
  readonly blockSize: number;
  readonly byteLength: number;
  erase(block: number): void;
  read(offset: number, length: number): Uint8Array;
  write(offset: number, bytes: Uint8Array): void;
}
