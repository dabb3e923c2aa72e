// Shared fixtures for the commissioning tests: the homeowner's house, ROM swaps planted in its
// text, and traces as line protocol.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { encodeBatch } from "../../shared/line-protocol.js";
import { parseHouseText, type House } from "../../shared/house/index.js";
import { temperaturePoint } from "../../shared/measurements.js";
import type { RomTrace } from "../../commissioning/series.js";

export const EXAMPLE = fileURLToPath(new URL("../../examples/house.yaml", import.meta.url));
export const exampleText = () => readFileSync(EXAMPLE, "utf8");

/** The example with og-ost's hobby circuit set to a slow flow: its transit (≈ 11 min) then differs clearly from dusche's (≈ 2.5 min). */
export function houseWithSlowCircuit(): string {
  const text = exampleText().replace(/(- id: hobby[\s\S]*?setting_lpm: )1\.9/, "$10.8");
  if (text === exampleText()) throw new Error("fixture: hobby's setting not found");
  return text;
}

/** Exchange two ROMs in a house file's text (as a person copying them wrongly would). */
export function swapRoms(text: string, a: string, b: string): string {
  if (!text.includes(a) || !text.includes(b)) throw new Error(`fixture: ${a} or ${b} not in the text`);
  return text.split(a).join("\u0000").split(b).join(a).split("\u0000").join(b);
}

export const romOf = (house: House, circuit: string) => house.circuits.find((c) => c.id === circuit)!.sensor!.rom;
export const manifoldOf = (house: House, id: string) => house.manifolds.find((m) => m.id === id)!;
export const parse = (text: string) => parseHouseText(text).house;

export function tracesToLineProtocol(traces: RomTrace[], mapped = true): string {
  const points = traces.flatMap((t) => t.samples.map((s) => temperaturePoint({ node: t.node, bus: t.bus, rom: t.rom, celsius: s.celsius, time: s.time, mapped })));
  return encodeBatch(points);
}
