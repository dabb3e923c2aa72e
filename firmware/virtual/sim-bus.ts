// A simulated OneWire bus with DS18B20s on it, modelling the command set the core uses: reset
// and presence, SEARCH ROM (the real bitwise search over wired-AND responses), MATCH ROM,
// SKIP ROM, CONVERT T, READ SCRATCHPAD (with CRC) and WRITE SCRATCHPAD. Faults are injected per
// device and per bus. Portable (no Node imports), so the same bus runs on XS in the tests.
//
// Timing model (datasheet, standard speed): reset + presence 960 µs; a time slot 65 µs, so a
// byte takes 520 µs. `onBusy` receives the time each operation takes, so a simulated clock can
// advance and the node measures a realistic cycle time.

import { encodeScratchpad } from "../../shared/reading.js";
import { CMD, type OneWireBus } from "../core/onewire.js";

export const RESET_US = 960;
export const SLOT_US = 65;

export interface SimSensorFaults {
  /** Probability that one scratchpad read is corrupted on the wire (CRC error). */
  crcRate?: number;
  /** The next N reads return the power-on scratchpad (85 °C): the sensor browned out. */
  powerOnReads?: number;
  /** Absent from the bus (unplugged / dead). */
  absent?: boolean;
}

export interface SimSensor {
  wire: Uint8Array;
  /** The die temperature now, °C; null = the sensor does not answer. */
  temperature: () => number | null;
  faults: SimSensorFaults;
}

type State = "idle" | "rom" | "match" | "function" | "readScratchpad" | "writeScratchpad";

export class SimBus implements OneWireBus {
  readonly sensors: SimSensor[] = [];
  shorted = false;
  private state: State = "idle";
  private matchBytes: number[] = [];
  private selected: SimSensor[] = [];
  private writeBytes: number[] = [];
  private readonly scratch = new Map<SimSensor, Uint8Array>();
  private resolution = 12;

  constructor(
    private readonly random: () => number,
    private readonly onBusy: (us: number) => void = () => {},
  ) {}

  add(sensor: SimSensor): SimSensor {
    this.sensors.push(sensor);
    return sensor;
  }

  private present(): SimSensor[] {
    return this.sensors.filter((s) => !s.faults.absent && s.temperature() !== null);
  }

  reset(): boolean {
    this.onBusy(RESET_US);
    this.state = "rom";
    this.selected = [];
    return !this.shorted && this.present().length > 0;
  }

  write(byte: number): void {
    this.onBusy(8 * SLOT_US);
    if (this.shorted) return;
    switch (this.state) {
      case "rom":
        if (byte === CMD.SKIP_ROM) {
          this.selected = this.present();
          this.state = "function";
        } else if (byte === CMD.MATCH_ROM) {
          this.matchBytes = [];
          this.state = "match";
        } else this.state = "idle";
        return;
      case "match":
        this.matchBytes.push(byte & 0xff);
        if (this.matchBytes.length === 8) {
          this.selected = this.present().filter((s) => this.matchBytes.every((b, i) => s.wire[i] === b));
          this.state = "function";
        }
        return;
      case "function":
        if (byte === CMD.CONVERT_T) {
          for (const s of this.selected) this.convert(s);
          this.state = "idle";
        } else if (byte === CMD.READ_SCRATCHPAD) this.state = "readScratchpad";
        else if (byte === CMD.WRITE_SCRATCHPAD) {
          this.writeBytes = [];
          this.state = "writeScratchpad";
        } else this.state = "idle";
        return;
      case "writeScratchpad":
        this.writeBytes.push(byte & 0xff);
        if (this.writeBytes.length === 3) {
          this.resolution = ((this.writeBytes[2] >> 5) & 3) + 9;
          this.state = "idle";
        }
        return;
      default:
        return;
    }
  }

  private convert(s: SimSensor): void {
    const t = s.temperature();
    if (t === null) return;
    this.scratch.set(s, encodeScratchpad(t, this.resolution));
  }

  read(count: number): Uint8Array {
    this.onBusy(count * 8 * SLOT_US);
    const out = new Uint8Array(count).fill(this.shorted ? 0x00 : 0xff);
    if (this.shorted || this.state !== "readScratchpad") return out;
    // Wired-AND: every selected device drives the line at once.
    for (const s of this.selected) {
      let pad: Uint8Array;
      if (s.faults.powerOnReads && s.faults.powerOnReads > 0) {
        s.faults.powerOnReads--;
        pad = encodeScratchpad(85, this.resolution);
      } else pad = this.scratch.get(s) ?? encodeScratchpad(85, this.resolution);
      for (let i = 0; i < count && i < 9; i++) out[i] &= pad[i];
    }
    if (this.selected.length === 1 && this.selected[0].faults.crcRate && this.random() < this.selected[0].faults.crcRate) {
      out[Math.floor(this.random() * 8)] ^= 1 << Math.floor(this.random() * 8);
    }
    this.state = "idle";
    return out;
  }

  /** SEARCH ROM as the bus master does it: a bit at a time over wired-AND answers. */
  search(): Uint8Array[] {
    const found: Uint8Array[] = [];
    if (!this.reset()) return found;
    const devices = this.present();
    let lastDiscrepancy = -1;
    let rom = new Uint8Array(8);
    for (;;) {
      let discrepancy = -1;
      let active = devices.slice();
      const next = new Uint8Array(8);
      this.onBusy(8 * SLOT_US + 64 * 3 * SLOT_US);
      for (let bit = 0; bit < 64; bit++) {
        const bitOf = (d: SimSensor) => (d.wire[bit >> 3] >> (bit & 7)) & 1;
        const anyZero = active.some((d) => bitOf(d) === 0);
        const anyOne = active.some((d) => bitOf(d) === 1);
        if (active.length === 0) return found; // nobody answered mid-search
        let dir: number;
        if (anyZero && anyOne) {
          const prev = (rom[bit >> 3] >> (bit & 7)) & 1;
          dir = bit < lastDiscrepancy ? prev : bit === lastDiscrepancy ? 1 : 0;
          if (dir === 0) discrepancy = bit;
        } else dir = anyOne ? 1 : 0;
        if (dir) next[bit >> 3] |= 1 << (bit & 7);
        active = active.filter((d) => bitOf(d) === dir);
      }
      found.push(next);
      rom = next;
      lastDiscrepancy = discrepancy;
      if (lastDiscrepancy < 0) break;
      this.reset();
    }
    return found;
  }
}
