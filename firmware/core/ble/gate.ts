// Which broadcasts become readings. A thermometer advertises every few seconds; one reading per
// thermometer per `every_s` is plenty for a room (it changes over hours) and keeps the buffer for
// the pipes. A value outside the thermometer's physical range is never written (the same rule as
// for the DS18B20s: no invalid reading is ever stored as a temperature). The number of
// thermometers is capped, so a street full of neighbours' sensors cannot fill the sensor table.

import type { BleReading } from "./reading.js";

export interface BleGateOptions {
  every_s: number;
  max_devices: number;
}

export const DEFAULT_BLE_GATE: BleGateOptions = Object.freeze({ every_s: 60, max_devices: 24 });

/** The LYWSD03MMC's sensor (SHTC3/SHT4x) range, with margin; a room is far inside it. */
export const BLE_CELSIUS_MIN = -40;
export const BLE_CELSIUS_MAX = 85;

export type GateVerdict = "accept" | "too-soon" | "range" | "full";

export function plausible(r: BleReading): boolean {
  if (!(r.celsius >= BLE_CELSIUS_MIN && r.celsius <= BLE_CELSIUS_MAX)) return false;
  if (r.humidity !== undefined && !(r.humidity >= 0 && r.humidity <= 100)) return false;
  return true;
}

export class BleGate {
  private readonly last = new Map<string, number>();
  rejectedRange = 0;

  constructor(readonly options: BleGateOptions = DEFAULT_BLE_GATE) {}

  get devices(): number {
    return this.last.size;
  }

  /** `nowS`: monotonic seconds. */
  judge(r: BleReading, nowS: number): GateVerdict {
    if (!plausible(r)) {
      this.rejectedRange++;
      return "range";
    }
    const prev = this.last.get(r.mac);
    if (prev === undefined && this.last.size >= this.options.max_devices) return "full";
    if (prev !== undefined && nowS - prev < this.options.every_s) return "too-soon";
    this.last.set(r.mac, nowS);
    return "accept";
  }
}
