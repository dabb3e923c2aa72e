// Room thermometers for the twin: what Home Assistant would log and what a BLE thermometer would
// broadcast, from the twin's true room air temperature.
//
// Home Assistant: each thermometer has its own offset (uniform ±0.3 K by default) and a 0.1 K
// resolution, and HA's InfluxDB integration writes a value only when it changes (measurement =
// the unit, tag entity_id = the object id, tag domain, field value).
// BLE: a LYWSD03MMC-like thermometer with custom firmware broadcasts every 10 s in one of the three
// formats, with its own (smaller, ±0.2 K) offset and 0.01 K steps (0.1 K in the atc format).

import type { Point } from "../shared/line-protocol.js";
import { haObjectId, type Room } from "../shared/house/index.js";
import { encodeAdvertisement, type BroadcastFormat } from "./ble-broadcast.js";
import { Rng } from "./rng.js";

export const HA_OFFSET_K = 0.3;
export const HA_RESOLUTION_K = 0.1;
export const BLE_OFFSET_K = 0.2;
export const BLE_EVERY_S = 10;

export class HaThermometer {
  readonly offsetK: number;
  private last: number | undefined;

  constructor(
    readonly entityId: string,
    readonly measurement: string,
    rng: Rng,
    offsetMaxK = HA_OFFSET_K,
  ) {
    this.offsetK = rng.range(-offsetMaxK, offsetMaxK);
  }

  /** The point HA would write at `time` for a room at `trueC`, or null when the shown value did not change. */
  observe(time: number, trueC: number): Point | null {
    const shown = Math.round((trueC + this.offsetK) / HA_RESOLUTION_K) * HA_RESOLUTION_K;
    const value = Math.round(shown * 10) / 10;
    if (this.last !== undefined && value === this.last) return null;
    this.last = value;
    return { measurement: this.measurement, tags: { domain: "sensor", entity_id: haObjectId(this.entityId) }, fields: { value }, time };
  }
}

export class BleThermometer {
  readonly offsetK: number;
  private counter = 0;

  constructor(
    readonly mac: string,
    readonly format: BroadcastFormat,
    rng: Rng,
    offsetMaxK = BLE_OFFSET_K,
  ) {
    this.offsetK = rng.range(-offsetMaxK, offsetMaxK);
  }

  /** The advertisement bytes it sends for a room at `trueC`. */
  advertise(trueC: number, humidity = 45): Uint8Array {
    this.counter = (this.counter + 1) & 0xff;
    return encodeAdvertisement(this.format, { mac: this.mac, celsius: trueC + this.offsetK, humidity, battery: 87, counter: this.counter });
  }
}

/** One thermometer per named source of each room of the house file. */
export function roomThermometers(rooms: readonly Room[], seed: number): { ha: Map<string, HaThermometer>; ble: Map<string, BleThermometer> } {
  const rng = new Rng(seed, "room-thermometers");
  const formats: BroadcastFormat[] = ["pvvx", "bthome", "atc"];
  const ha = new Map<string, HaThermometer>();
  const ble = new Map<string, BleThermometer>();
  rooms.forEach((r, i) => {
    if (r.ha) ha.set(r.name, new HaThermometer(r.ha.entity_id, r.ha.measurement, rng.fork(r.name + "/ha")));
    if (r.ble) ble.set(r.name, new BleThermometer(r.ble.mac, formats[i % formats.length], rng.fork(r.name + "/ble")));
  });
  return { ha, ble };
}

/** The points Home Assistant writes at `time` for the twin's room temperatures (only the changed ones). */
export function haPoints(ha: ReadonlyMap<string, HaThermometer>, roomC: ReadonlyMap<string, number>, time: number): Point[] {
  const out: Point[] = [];
  for (const [room, t] of ha) {
    const c = roomC.get(room);
    if (c === undefined) continue;
    const p = t.observe(time, c);
    if (p) out.push(p);
  }
  return out;
}
