// Mapping a BLE room thermometer: which one is being warmed in a hand (the touch detector of the
// pipe sensors, tuned for a thermometer in a plastic case that reports once a minute), and
// writing its MAC into a room of the house file (comments and layout kept, validated first).

import { readFileSync } from "node:fs";
import { isMap, parseDocument } from "yaml";
import { writeFileAtomic } from "../shared/atomic-file.js";
import { UserError } from "../shared/errors.js";
import { parseHouseText } from "../shared/house/index.js";
import { normaliseMac } from "../firmware/core/ble/reading.js";
import type { TouchPolicy } from "./touch.js";

/**
 * A hand warms a LYWSD03MMC's sensor through its case by 2–4 K in five minutes; the node keeps one
 * reading a minute. So: a five-minute rise, a ten-minute trend before it, one-minute smoothing,
 * and 1.5 K above the others, well clear of the runner-up.
 */
export const BLE_TOUCH: TouchPolicy = Object.freeze({ riseWindowS: 300, trendWindowS: 600, smoothS: 60, minExcessK: 1.5, leadFactor: 2.5 });

export interface ThermometerAssignment {
  text: string;
  /** The room that had this MAC before (now without one), if any. */
  previousRoom: string | null;
  created: boolean;
}

/** Put `mac` into room `room` (adding the room with `targetC` when the rooms list lacks it). */
export function assignThermometer(text: string, room: string, mac: string, targetC = 20, file = "house.yaml"): ThermometerAssignment {
  const canonical = normaliseMac(mac);
  if (!canonical) throw new UserError(`"${mac}" is not a MAC address`, undefined, "write it like A4:C1:38:12:34:56");
  const { house } = parseHouseText(text, file);
  const doc = parseDocument(text, { keepSourceTokens: true });
  const previous = house.rooms.findIndex((r) => r.ble?.mac === canonical && r.name !== room);
  if (previous >= 0) doc.deleteIn(["rooms", previous, "ble"]);
  const i = house.rooms.findIndex((r) => r.name === room);
  let created = false;
  if (i >= 0) {
    const ble = doc.getIn(["rooms", i, "ble"], true);
    if (isMap(ble)) ble.set("mac", canonical);
    else doc.setIn(["rooms", i, "ble"], doc.createNode({ mac: canonical }));
  } else {
    if (!house.circuits.some((c) => c.room === room)) throw new UserError(`no room "${room}" in the house file`, undefined, `rooms: ${[...new Set(house.circuits.map((c) => c.room))].join(", ")}`);
    if (!doc.has("rooms")) doc.set("rooms", doc.createNode([]));
    doc.addIn(["rooms"], doc.createNode({ name: room, target_c: targetC, ble: { mac: canonical } }));
    created = true;
  }
  const out = doc.toString({ lineWidth: 0 });
  parseHouseText(out, file); // never hand back an invalid file
  return { text: out, previousRoom: previous >= 0 ? house.rooms[previous].name : null, created };
}

export function assignThermometerInFile(file: string, room: string, mac: string, targetC?: number): ThermometerAssignment {
  const result = assignThermometer(readFileSync(file, "utf8"), room, mac, targetC, file);
  writeFileAtomic(file, result.text);
  return result;
}
