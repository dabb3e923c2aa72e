// Writing a ROM into the house file the way a careful person would: through the yaml Document
// API, so the user's comments, key order and flow style survive; the ROM leaves any other
// place it was at (one sensor sits on one pipe); the result is validated before it replaces the
// file, and the replacement is atomic (temp file + rename), so an interrupted run never leaves
// a half-written or invalid house file behind.

import { readFileSync } from "node:fs";
import { writeFileAtomic } from "../shared/atomic-file.js";
import { stringifyHouse } from "../shared/house/document.js";
import { isMap, isScalar, parseDocument, type Document } from "yaml";
import { UserError } from "../shared/errors.js";
import { parseHouseText, sensorIndex, type House, type SensorRole } from "../shared/house/index.js";
import { parseRom } from "../shared/rom.js";

export type Target = { kind: "circuit"; circuit: string } | { kind: "supply" | "return"; manifold: string };

export function describeTarget(t: Target, lang: "de" | "en" = "en"): string {
  if (lang === "de") return t.kind === "circuit" ? `Kreis ${t.circuit} (Rücklauf)` : `Verteiler ${t.manifold} ${t.kind === "supply" ? "Vorlauf" : "Rücklauf"}`;
  return t.kind === "circuit" ? `circuit ${t.circuit} (return)` : `manifold ${t.manifold} ${t.kind}`;
}

/** "wohnen-1", "wohnen-1:return", "eg-sued:supply", "eg-sued:return", or a room name with one circuit. */
export function parseTarget(house: House, spec: string): Target {
  const text = spec.trim();
  const colon = text.lastIndexOf(":");
  const name = colon >= 0 ? text.slice(0, colon).trim() : text;
  const role = colon >= 0 ? text.slice(colon + 1).trim().toLowerCase() : "";
  const circuit = house.circuits.find((c) => c.id === name) ?? uniqueRoom(house, name);
  const manifold = house.manifolds.find((m) => m.id === name);
  if (circuit && (role === "" || role === "circuit" || role === "return")) return { kind: "circuit", circuit: circuit.id };
  if (manifold && (role === "supply" || role === "return")) return { kind: role, manifold: manifold.id };
  if (manifold) throw new UserError(`"${spec}": say which sensor of manifold ${manifold.id}: ${manifold.id}:supply or ${manifold.id}:return`);
  if (circuit) throw new UserError(`"${spec}": a circuit has one sensor, its return; write ${circuit.id} or ${circuit.id}:return`);
  const rooms = house.circuits.filter((c) => c.room.toLowerCase() === name.toLowerCase());
  if (rooms.length > 1) throw new UserError(`"${name}" has ${rooms.length} circuits: ${rooms.map((c) => c.id).join(", ")}; name one of them`);
  throw new UserError(`"${spec}" is neither a circuit nor a manifold of this house`, undefined, `circuits: ${house.circuits.map((c) => c.id).join(", ")}; manifolds: ${house.manifolds.map((m) => `${m.id}:supply|return`).join(", ")}`);
}

function uniqueRoom(house: House, name: string) {
  const matches = house.circuits.filter((c) => c.room.toLowerCase() === name.toLowerCase());
  return matches.length === 1 ? matches[0] : undefined;
}

/** What a person can type at the prompt: circuit ids, manifold roles, single-circuit rooms. */
export function completions(house: House): string[] {
  const out = new Set<string>();
  for (const c of house.circuits) out.add(c.id);
  for (const m of house.manifolds) (out.add(`${m.id}:supply`), out.add(`${m.id}:return`));
  for (const c of house.circuits) if (uniqueRoom(house, c.room)) out.add(c.room);
  return [...out].sort();
}

export function completer(house: House): (line: string) => [string[], string] {
  const all = completions(house);
  return (line) => {
    const lower = line.toLowerCase();
    const hits = all.filter((c) => c.toLowerCase().startsWith(lower));
    // A room name typed in part also offers the circuits in that room.
    for (const c of house.circuits) if (c.room.toLowerCase().startsWith(lower) && lower && !hits.includes(c.id)) hits.push(c.id);
    return [hits.length ? hits : all, line];
  };
}

export interface Assignment {
  text: string;
  /** Where the ROM was mapped before (now cleared), if anywhere. */
  previous: SensorRole | null;
  /** The ROM that was at the target before (now unmapped), if any. */
  displaced: string | null;
}

/**
 * The house file text with `rom` at `target`. `placement` is where the ROM reports from; it is
 * written out (as {rom, node, bus}) only where it differs from the default the file implies.
 */
export function assignRom(text: string, rom: string, target: Target, placement?: { node: string; bus: string }, file = "house.yaml"): Assignment {
  const { house } = parseHouseText(text, file);
  const parsed = parseRom(rom);
  if (!parsed.ok) throw new UserError(`"${rom}" is not a ROM code: ${parsed.reason}`, undefined, parsed.hint);
  const canonical = parsed.canonical;
  const index = sensorIndex(house);
  const previous = index.get(canonical) ?? null;

  const doc = parseDocument(text, { keepSourceTokens: true });
  // Clear the ROM wherever it is now.
  const path = pathOf(house, target);
  if (previous && pathOf(house, roleTarget(previous)).join("/") !== path.join("/")) doc.setIn(pathOf(house, roleTarget(previous)), null);
  const current = sensorAt(house, target);
  const displaced = current && current.rom !== canonical ? current.rom : null;

  const manifoldId = target.kind === "circuit" ? house.circuits.find((c) => c.id === target.circuit)!.manifold : target.manifold;
  const defaultNode = house.manifolds.find((m) => m.id === manifoldId)!.node;
  const node = house.nodes.find((n) => n.id === (placement?.node ?? defaultNode));
  const where = placement && node ? { node: placement.node, bus: placement.bus } : undefined;
  const value: string | Record<string, string> =
    !where || (where.node === defaultNode && where.bus === node!.buses[0].id)
      ? canonical
      : { rom: canonical, ...(where.node !== defaultNode ? { node: where.node } : {}), bus: where.bus };
  setKeepingStyle(doc, path, value);
  // lineWidth 0: never re-fold the user's long lines or one-line flow maps.
  const out = stringifyHouse(doc);
  parseHouseText(out, file); // never hand back an invalid file
  return { text: out, previous, displaced };
}

function roleTarget(s: SensorRole): Target {
  return s.role === "circuit" ? { kind: "circuit", circuit: s.circuit! } : { kind: s.role, manifold: s.manifold };
}

function pathOf(house: House, target: Target): (string | number)[] {
  if (target.kind === "circuit") {
    const i = house.circuits.findIndex((c) => c.id === target.circuit);
    if (i < 0) throw new UserError(`no circuit "${target.circuit}" in the house file`);
    return ["circuits", i, "sensor"];
  }
  const i = house.manifolds.findIndex((m) => m.id === target.manifold);
  if (i < 0) throw new UserError(`no manifold "${target.manifold}" in the house file`);
  return ["manifolds", i, target.kind];
}

export function sensorAt(house: House, target: Target) {
  if (target.kind === "circuit") return house.circuits.find((c) => c.id === target.circuit)?.sensor ?? null;
  const m = house.manifolds.find((x) => x.id === target.manifold);
  return m ? m[target.kind] : null;
}

function setKeepingStyle(doc: Document, path: (string | number)[], value: string | Record<string, string>): void {
  const existing = doc.getIn(path, true);
  if (typeof value === "string" && isScalar(existing)) {
    existing.value = value; // keeps the comment that sits on this line
    return;
  }
  if (typeof value === "string" && isMap(existing)) {
    // {rom, node, bus} → a plain ROM is enough now; keep the map's style, drop the overrides.
    existing.set("rom", value);
    existing.delete("node");
    existing.delete("bus");
    return;
  }
  doc.setIn(path, doc.createNode(value));
}


/** Read, assign, validate, replace. Returns what changed. */
export function assignInFile(file: string, rom: string, target: Target, placement?: { node: string; bus: string }): Assignment {
  const result = assignRom(readFileSync(file, "utf8"), rom, target, placement, file);
  writeFileAtomic(file, result.text);
  return result;
}
