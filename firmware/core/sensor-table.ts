// Every sensor this node has ever seen, by a stable one-byte index (the index the buffer stores).
// Configured ROMs are mapped; a ROM found on the bus but absent from the configuration is kept
// and written with mapped=no, the form a user maps from. The table is persisted in the flash
// partition's first block, so an index means the same ROM across reboots.

import { canonicalToWire, romToCanonical } from "../../shared/rom.js";
import type { Previous } from "../../shared/reading.js";
import type { NodeConfig } from "./config.js";
import type { FlashRing } from "./flash-ring.js";

export interface SensorEntry {
  index: number;
  rom: string;
  wire: Uint8Array;
  /** Index of its bus in the configuration. */
  bus: number;
  mapped: boolean;
  label: string;
  /** Answered the last search (or was read successfully since). */
  present: boolean;
  previous?: Previous;
  /** The newest reading kept in flash from before this boot (wall seconds), to check the first one against. */
  stored?: { celsius: number; wall: number };
  /** A first reading that was rejected: the next one confirms or replaces it (monotonic seconds). */
  candidate?: Previous;
  lastC?: number;
  lastTime?: number;
  rejected: number;
}

export const MAX_SENSORS = 254;

export class SensorTable {
  readonly entries: SensorEntry[] = [];
  private readonly byRom = new Map<string, SensorEntry>();
  private readonly labels = new Map<string, { bus: number; label: string }>();

  constructor(
    config: NodeConfig,
    private readonly store: FlashRing | null,
  ) {
    config.buses.forEach((bus, b) => {
      for (const s of bus.sensors) this.labels.set(s.rom, { bus: b, label: s.label ?? "" });
    });
    // Persisted order first (stable indexes), then configured ROMs not yet in it.
    if (store) for (const e of store.readTable()) this.insert(e.rom, e.bus, false);
    config.buses.forEach((bus, b) => {
      for (const s of bus.sensors) if (!this.byRom.has(s.rom)) this.insert(canonicalToWire(s.rom), b, true);
    });
  }

  private insert(wire: Uint8Array, bus: number, persist: boolean): SensorEntry | undefined {
    if (this.entries.length >= MAX_SENSORS) return undefined;
    const rom = romToCanonical(wire);
    const known = this.labels.get(rom);
    const entry: SensorEntry = { index: this.entries.length, rom, wire, bus: known ? known.bus : bus, mapped: known !== undefined, label: known ? known.label : "", present: false, rejected: 0 };
    this.entries.push(entry);
    this.byRom.set(rom, entry);
    if (persist && this.store) this.store.appendTable(entry.index, wire, bus);
    return entry;
  }

  get(rom: string): SensorEntry | undefined {
    return this.byRom.get(rom);
  }

  /** The entry for a ROM found on a bus, added (unmapped) if new. A moved sensor follows its bus. */
  found(wire: Uint8Array, bus: number): SensorEntry | undefined {
    const rom = romToCanonical(wire);
    const entry = this.byRom.get(rom) ?? this.insert(wire, bus, true);
    if (entry) entry.bus = bus;
    return entry;
  }

  onBus(bus: number): SensorEntry[] {
    return this.entries.filter((e) => e.bus === bus);
  }
}
