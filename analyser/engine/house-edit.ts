// Write applied settings back into the house file, keeping the user's comments and layout
// (yaml Document API), and only if the result still validates.

import { parseDocument, isMap, isSeq } from "yaml";
import { parseHouseText } from "../../shared/house/index.js";
import { stringifyHouse } from "../../shared/house/document.js";
import type { Unit } from "./result.js";

export function updateValveSettings(text: string, settings: { circuit: string; value: number; unit: Unit }[], file = "house.yaml"): string {
  const doc = parseDocument(text);
  const circuits = doc.get("circuits");
  if (!isSeq(circuits)) throw new Error("the house file has no circuits list");
  for (const s of settings) {
    const index = circuits.items.findIndex((item) => isMap(item) && item.get("id") === s.circuit);
    if (index < 0) throw new Error(`circuit ${s.circuit} is not in the house file`);
    doc.setIn(["circuits", index, "valve", s.unit === "l/min" ? "setting_lpm" : "turns_open"], s.value);
  }
  const out = stringifyHouse(doc);
  parseHouseText(out, file); // throws HouseFileError if the edit broke something
  return out;
}
