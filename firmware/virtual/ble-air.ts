// The air around a virtual node: the house's BLE room thermometers broadcast every 10 s, as bytes,
// with the twin's room temperatures; the node's real parser reads them and the node buffers and
// writes them like a real one. A thermometer is heard by the node of its room's manifold (the
// nearest ESP32), at a signal strength fixed per thermometer.

import { parseAdvertisement } from "../core/ble/advertisement.js";
import type { House } from "../../shared/house/index.js";
import { BLE_EVERY_S, roomThermometers } from "../../simulator/room-thermometers.js";
import { Rng } from "../../simulator/rng.js";
import type { Twin } from "../../simulator/index.js";
import type { Rig } from "./rig.js";

/** Rooms whose BLE thermometer this node hears. */
export function roomsHeardBy(house: House, nodeId: string): string[] {
  const manifoldNode = new Map(house.manifolds.map((m) => [m.id, m.node]));
  return house.rooms
    .filter((r) => r.ble && r.circuits.some((id) => manifoldNode.get(house.circuits.find((c) => c.id === id)?.manifold ?? "") === nodeId))
    .map((r) => r.name);
}

/** Start the broadcasts on the rig's clock; returns how many thermometers this node hears. */
export function startBleAir(rig: Rig, house: House, nodeId: string, twinAt: (wallS: number) => Twin, seed: number): number {
  const heard = new Set(roomsHeardBy(house, nodeId));
  const { ble } = roomThermometers(house.rooms, seed);
  const rng = new Rng(seed, "ble-rssi");
  const senders = [...ble].filter(([room]) => heard.has(room)).map(([room, t]) => ({ room, t, rssi: Math.round(rng.range(-88, -60)) }));
  if (senders.length === 0) return 0;
  const tick = () => {
    const rooms = twinAt(rig.platform.trueWallS()).roomTemperatures();
    for (const s of senders) {
      const trueC = rooms.get(s.room);
      if (trueC === undefined) continue;
      const r = parseAdvertisement(s.t.advertise(trueC), s.t.mac);
      if (r.ok) rig.node.ble(r.reading, s.rssi);
    }
    rig.platform.after(BLE_EVERY_S * 1000, tick);
  };
  rig.platform.after(BLE_EVERY_S * 1000, tick);
  return senders.length;
}
