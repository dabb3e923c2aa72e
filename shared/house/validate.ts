// Loading and validating the house file: YAML → schema → cross-references → typed House.
// Every problem names its path in the file, the line and column where known, what is wrong and
// how to fix it. Pure: nothing here reads files, prints or exits (load.ts reads the file).

import { houseJsonSchema } from "./json-schema.js";
import { expandSignalPreset } from "./presets.js";
import { isNode, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { CONVERSION_TIME_S } from "../measurements.js";
import { parseRom } from "../rom.js";
import { house as houseSchema, type HouseParsed } from "./schema.js";
import type { Bus, Circuit, House, Manifold, Node, Pipe, Room, SensorPlacement } from "./types.js";

export type Path = (string | number)[];

export interface HouseIssue {
  severity: "error" | "warning";
  path: Path;
  message: string;
  line?: number;
  column?: number;
}

export class HouseFileError extends Error {
  constructor(
    readonly file: string,
    readonly issues: HouseIssue[],
  ) {
    super(`${file}: ${issues.filter((i) => i.severity === "error").length} error(s) in the house file`);
    this.name = "HouseFileError";
  }
}

export interface LoadedHouse {
  house: House;
  warnings: HouseIssue[];
  file: string;
}

/** `circuits[3].valve.setting_lpm` */
export function formatPath(path: Path): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : out ? `.${part}` : String(part);
  return out || "(top level)";
}

/** One issue as a line for people: `house.yaml:42:7 circuits[3].valve.setting_lpm: … ` */
export function formatIssue(file: string, issue: HouseIssue): string {
  const where = issue.line ? `${file}:${issue.line}:${issue.column ?? 1}` : file;
  return `${where} ${issue.severity}: ${formatPath(issue.path)}: ${issue.message}`;
}

export function parseHouseText(text: string, file = "house.yaml"): LoadedHouse {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const locate = (path: Path): { line?: number; column?: number } => locatePath(doc, lineCounter, path);

  if (doc.errors.length > 0) {
    throw new HouseFileError(
      file,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return { severity: "error" as const, path: [], message: `YAML syntax: ${e.message.split("\n")[0]}`, line: pos?.line, column: pos?.col };
      }),
    );
  }
  const raw = doc.toJS();
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new HouseFileError(file, [{ severity: "error", path: [], message: "the house file must be a mapping with site, influx, nodes, manifolds and circuits" }]);
  }
  const parsed = houseSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    throw new HouseFileError(file, parsed.error.issues.map((issue) => ({ severity: "error" as const, path: issue.path as Path, message: describeZodIssue(issue), ...locate(issue.path as Path) })));
  }
  const { house, issues } = crossCheck(parsed.data);
  const located = issues.map((i) => ({ ...i, ...locate(i.path) }));
  const errors = located.filter((i) => i.severity === "error");
  if (errors.length > 0) throw new HouseFileError(file, located);
  return { house, warnings: located.filter((i) => i.severity === "warning"), file };
}

type JsonSchema = { properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; allOf?: JsonSchema[] };

/** The keys the JSON Schema allows at `path` (union branches merged). */
export function keysAt(schema: JsonSchema, path: Path): string[] {
  const branches = (s: JsonSchema): JsonSchema[] => [s, ...[...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])].flatMap(branches)];
  let nodes = [schema];
  for (const part of path) {
    nodes = nodes.flatMap(branches).flatMap((n) => (typeof part === "number" ? (n.items ? [n.items] : []) : n.properties?.[part] ? [n.properties[part]!] : []));
  }
  return [...new Set(nodes.flatMap(branches).flatMap((n) => Object.keys(n.properties ?? {})))];
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return d[b.length]!;
}

/** The allowed key an unknown one most likely means: a typo, another case, or the key without its unit suffix. */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const k = key.toLowerCase().replace(/[-\s]/g, "_");
  let best: { key: string; d: number } | undefined;
  for (const a of allowed) {
    const stem = a.replace(/_(m2|c|k|w|lpm|s|h|mm|m|kw|pct|bit)$/, "");
    const d = k === stem || k.startsWith(stem + "_") ? 0.5 : Math.min(editDistance(k, a), editDistance(k, stem) + 0.5);
    if (d <= Math.max(1, Math.min(2, Math.floor(a.length / 3))) && (!best || d < best.d)) best = { key: a, d };
  }
  return best?.key;
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type": {
      const received = (issue as { input?: unknown }).input;
      if (received === undefined) return `this field is required (expected ${issue.expected}); add it`;
      return `expected ${issue.expected}, got ${describeValue(received)}`;
    }
    case "unrecognized_keys": {
      const allowed = keysAt(houseJsonSchema(), issue.path as Path);
      const hints = issue.keys.map((k) => [k, closestKey(k, allowed)] as const).filter(([, c]) => c);
      const hint = hints.length === 1 && issue.keys.length === 1 ? `; did you mean \`${hints[0]![1]}\`?` : hints.length ? `; did you mean ${hints.map(([k, c]) => `\`${c}\` for "${k}"`).join(", ")}?` : ": check the spelling (the JSON Schema shared/house.schema.json lists every key)";
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}${hint}`;
    }
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_union": {
      // The union of a ROM string and a {rom, node, bus} object: report the ROM problem itself.
      const inner = (issue as { errors?: z.core.$ZodIssue[][] }).errors?.flat().find((e) => e.code === "custom");
      if (inner) return inner.message;
      return "expected a ROM code (or {rom, node, bus})";
    }
    case "too_small":
      return `${issue.message.replace(/^Too small: /, "too small: ")}`;
    case "too_big":
      return `${issue.message.replace(/^Too big: /, "too big: ")}`;
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function locatePath(doc: Document, lineCounter: LineCounter, path: Path): { line?: number; column?: number } {
  // Walk down as far as the document goes, so a missing key points at its parent.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const pos = lineCounter.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return {};
}

export function parsePipe(size: string): Pipe {
  const [outer, wall] = size.split("x").map(Number);
  const inner_m = (outer - 2 * wall) / 1000;
  return { size, outer_mm: outer, wall_mm: wall, inner_m, litres_per_m: (Math.PI / 4) * inner_m * inner_m * 1000 };
}

type RawSensor = NonNullable<HouseParsed["circuits"][number]["sensor"]>;

function crossCheck(parsed: HouseParsed): { house: House; issues: HouseIssue[] } {
  const issues: HouseIssue[] = [];
  const error = (path: Path, message: string) => issues.push({ severity: "error", path, message });
  const warn = (path: Path, message: string) => issues.push({ severity: "warning", path, message });

  const nodes: Node[] = parsed.nodes.map((n) => ({ ...n, buses: n.buses.map((b, i): Bus => ({ id: b.id ?? String(i), pin: b.pin })) }));
  const nodeById = new Map<string, Node>();
  nodes.forEach((n, i) => {
    if (nodeById.has(n.id)) error(["nodes", i, "id"], `node id "${n.id}" is used twice; give each ESP32 its own id`);
    nodeById.set(n.id, n);
    const busIds = new Set<string>();
    const pins = new Set<number>();
    n.buses.forEach((b, j) => {
      if (busIds.has(b.id)) error(["nodes", i, "buses", j, "id"], `bus id "${b.id}" is used twice on node ${n.id}`);
      if (pins.has(b.pin)) error(["nodes", i, "buses", j, "pin"], `GPIO ${b.pin} is used by two buses on node ${n.id}`);
      busIds.add(b.id);
      pins.add(b.pin);
    });
    // The conversion has to finish inside the interval, with room for the reads and the write.
    const conversion = CONVERSION_TIME_S[n.resolution];
    if (n.interval_s < conversion * 2) {
      warn(["nodes", i, "interval_s"], `an interval of ${n.interval_s} s leaves little room for a ${n.resolution}-bit conversion (${conversion} s); readings may be skipped — use ${Math.ceil(conversion * 2)} s or more, or a lower resolution`);
    }
  });

  const romSeen = new Map<string, string>();
  const place = (raw: RawSensor | null | undefined, defaultNode: string, path: Path): SensorPlacement | null => {
    if (raw === null || raw === undefined) return null;
    const spec = typeof raw === "string" ? { rom: raw } : raw;
    const romPath = typeof raw === "string" ? path : [...path, "rom"];
    const parsedRom = parseRom(spec.rom);
    if (!parsedRom.ok) return null; // already reported by the schema
    const rom = parsedRom.canonical;
    if (rom.startsWith("10-")) {
      warn(romPath, `ROM ${rom} is a DS18S20 (family 10): it measures in 0.5 K steps (9 bit), too coarse for spreads of a few tenths of a kelvin, and its register is scaled unlike a DS18B20's, which the firmware assumes; replace it with a DS18B20 (family 28)`);
    }
    const nodeId = "node" in spec && spec.node ? spec.node : defaultNode;
    const node = nodeById.get(nodeId);
    if (!node) {
      error(typeof raw === "string" ? path : [...path, "node"], `sensor ${rom} is on node "${nodeId}", which is not among the nodes (${[...nodeById.keys()].join(", ")}); add the node or fix the id`);
      return null;
    }
    const busId = "bus" in spec && spec.bus !== undefined ? spec.bus : node.buses[0].id;
    if (!node.buses.some((b) => b.id === busId)) {
      error([...path, "bus"], `bus "${busId}" does not exist on node ${node.id} (it has ${node.buses.map((b) => b.id).join(", ")})`);
    }
    const previous = romSeen.get(rom);
    if (previous) error(romPath, `ROM ${rom} is already used at ${previous}; each sensor can sit on one pipe only`);
    else romSeen.set(rom, formatPath(romPath));
    return { rom, node: node.id, bus: busId };
  };

  const manifoldById = new Map<string, Manifold>();
  const manifolds: Manifold[] = parsed.manifolds.map((m, i) => {
    if (manifoldById.has(m.id)) error(["manifolds", i, "id"], `manifold id "${m.id}" is used twice`);
    if (!nodeById.has(m.node)) error(["manifolds", i, "node"], `node "${m.node}" is not among the nodes (${[...nodeById.keys()].join(", ")}); add it under nodes or fix the id`);
    const out: Manifold = {
      ...m,
      supply: place(m.supply, m.node, ["manifolds", i, "supply"]),
      return: place(m.return, m.node, ["manifolds", i, "return"]),
      policy: m.policy ?? parsed.analysis.policy,
    };
    if (!m.supply) warn(["manifolds", i, "supply"], `manifold ${m.id} has no supply sensor yet: it cannot be analysed until one is mapped (floorbalance identify)`);
    if (!m.return) warn(["manifolds", i, "return"], `manifold ${m.id} has no return sensor yet: flow shares cannot be estimated`);
    manifoldById.set(m.id, out);
    return out;
  });

  const circuitIds = new Set<string>();
  const circuits: Circuit[] = parsed.circuits.map((c, i) => {
    if (circuitIds.has(c.id)) error(["circuits", i, "id"], `circuit id "${c.id}" is used twice`);
    circuitIds.add(c.id);
    const manifold = manifoldById.get(c.manifold);
    if (!manifold) error(["circuits", i, "manifold"], `manifold "${c.manifold}" is not among the manifolds (${[...manifoldById.keys()].join(", ")}); fix the id or add the manifold`);
    if (c.length_m > 120) warn(["circuits", i, "length_m"], `${c.length_m} m is longer than the 120 m a 16 mm circuit is usually laid to; check the length (transit time and pressure drop grow with it)`);
    if (!c.sensor) warn(["circuits", i, "sensor"], `circuit ${c.id} (${c.room}) has no return sensor yet`);
    if (c.room_temperature === undefined && (manifold?.policy ?? parsed.analysis.policy) === "room-temperature") {
      error(["circuits", i, "room_temperature"], `the room-temperature policy needs a room_temperature source for ${c.room}; add one or choose another policy`);
    }
    if (c.design_load_w_m2 === undefined && (manifold?.policy ?? parsed.analysis.policy) === "design") {
      error(["circuits", i, "design_load_w_m2"], `the design policy needs a design load for ${c.room}; add design_load_w_m2 or choose another policy`);
    }
    return { ...c, sensor: place(c.sensor, manifold?.node ?? c.manifold, ["circuits", i, "sensor"]), pipe: parsePipe(c.pipe) };
  });
  manifolds.forEach((m, i) => {
    if (!circuits.some((c) => c.manifold === m.id)) warn(["manifolds", i], `manifold ${m.id} has no circuits`);
  });

  const outdoor = parsed.plant.outdoor_sensor;
  if (outdoor) place(outdoor, outdoor.node, ["plant", "outdoor_sensor"]);
  const plant = { ...parsed.plant, signals: expandSignalPreset(parsed.plant.signals) };
  return { house: { ...parsed, plant, nodes, manifolds, circuits, rooms: crossCheckRooms(parsed, circuits, error, warn) }, issues };
}

function crossCheckRooms(parsed: HouseParsed, circuits: Circuit[], error: (path: Path, message: string) => void, warn: (path: Path, message: string) => void): Room[] {
  const names = new Map<string, number>();
  const macs = new Map<string, string>();
  const entities = new Map<string, string>();
  const circuitRooms = [...new Set(circuits.map((c) => c.room))];
  return parsed.rooms.map((r, i) => {
    if (names.has(r.name)) error(["rooms", i, "name"], `room "${r.name}" is listed twice; merge the two entries`);
    names.set(r.name, i);
    const own = circuits.filter((c) => c.room === r.name).map((c) => c.id);
    if (own.length === 0) {
      const near = circuitRooms.filter((n) => n.toLowerCase() === r.name.toLowerCase() || n.toLowerCase().includes(r.name.toLowerCase()) || r.name.toLowerCase().includes(n.toLowerCase()));
      warn(["rooms", i, "name"], `no circuit has room "${r.name}"${near.length ? ` (did you mean ${near.map((n) => `"${n}"`).join(", ")}?)` : ""}; the name must match the circuits' room field exactly`);
    }
    let ble: Room["ble"];
    if (r.ble) {
      const mac = r.ble.mac.toLowerCase().replace(/-/g, ":").replace(/^([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/, "$1:$2:$3:$4:$5:$6");
      const before = macs.get(mac);
      if (before !== undefined) error(["rooms", i, "ble", "mac"], `thermometer ${mac} is already the one of room "${before}"; one thermometer can sit in one room only`);
      macs.set(mac, r.name);
      ble = { ...r.ble, mac };
    }
    if (r.ha) {
      const before = entities.get(r.ha.entity_id);
      if (before !== undefined) error(["rooms", i, "ha", "entity_id"], `${r.ha.entity_id} is already the thermometer of room "${before}"`);
      entities.set(r.ha.entity_id, r.name);
    }
    return { ...r, ble, circuits: own };
  });
}
