import test from "ava";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assignInFile, assignRom, completer, completions, parseTarget } from "../../commissioning/house-edit.js";
import { UserError } from "../../shared/errors.js";
import { HouseFileError, sensorIndex } from "../../shared/house/index.js";
import { exampleText, manifoldOf, parse, romOf } from "./fixtures.js";

const text = exampleText();
const house = parse(text);

function changedLines(a: string, b: string): string[] {
  const x = a.split("\n");
  const y = b.split("\n");
  const out: string[] = [];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) out.push(`${x[i]} -> ${y[i]}`);
  return out;
}

test("assigning a ROM changes only the lines concerned and keeps comments and flow maps", (t) => {
  const rom = romOf(house, "wohnen-1");
  const result = assignRom(text, rom, { kind: "circuit", circuit: "kueche" });
  const changes = changedLines(text, result.text);
  t.is(changes.length, 2, changes.join("\n"));
  t.true(result.text.includes("# EG Süd"));
  t.true(result.text.includes("valve: { kind: flow-meter, setting_lpm: 3, scale: { min: 0.5, max: 3.0, step: 0.1 } }"));
  const after = sensorIndex(parse(result.text));
  t.is(after.get(rom)?.circuit, "kueche");
  t.is(result.previous?.circuit, "wohnen-1");
  t.is(result.displaced, romOf(house, "kueche"));
  t.false(after.has(romOf(house, "kueche")), "the displaced ROM is unmapped now");
  t.is(parse(result.text).circuits.find((c) => c.id === "wohnen-1")!.sensor, null);
});

test("a ROM on another bus than the node's first is written with its bus; any spelling is stored canonically", (t) => {
  t.throws(() => assignRom(text, "28-nothex", { kind: "circuit", circuit: "kueche" }), { instanceOf: UserError });
  const real = manifoldOf(house, "eg-sued").supply!.rom;
  const res = assignRom(text, real.toUpperCase(), { kind: "circuit", circuit: "gaeste-wc" }, { node: "hkv-eg-sued", bus: "1" });
  const placed = parse(res.text).circuits.find((c) => c.id === "gaeste-wc")!.sensor!;
  t.deepEqual(placed, { rom: real, node: "hkv-eg-sued", bus: "1" });
  t.regex(res.text, new RegExp(`sensor:\\s*\\n\\s+rom: ${real}\\n\\s+bus: "?1"?`));
});

test("re-assigning a ROM to where it already is changes nothing", (t) => {
  const rom = romOf(house, "essen");
  t.is(assignRom(text, rom, { kind: "circuit", circuit: "essen" }).text, text);
});

test("targets: circuits, rooms with one circuit, manifold roles; helpful errors otherwise", (t) => {
  t.deepEqual(parseTarget(house, "kueche"), { kind: "circuit", circuit: "kueche" });
  t.deepEqual(parseTarget(house, "kueche:return"), { kind: "circuit", circuit: "kueche" });
  t.deepEqual(parseTarget(house, "Küche"), { kind: "circuit", circuit: "kueche" });
  t.deepEqual(parseTarget(house, "og-ost:supply"), { kind: "supply", manifold: "og-ost" });
  t.deepEqual(parseTarget(house, "og-ost:return"), { kind: "return", manifold: "og-ost" });
  t.throws(() => parseTarget(house, "og-ost"), { instanceOf: UserError, message: /og-ost:supply or og-ost:return/ });
  t.throws(() => parseTarget(house, "Wohnen/Essen"), { instanceOf: UserError, message: /wohnen-1, wohnen-2, essen/ });
  t.throws(() => parseTarget(house, "kueche:supply"), { instanceOf: UserError, message: /one sensor, its return/ });
  t.throws(() => parseTarget(house, "sauna"), { instanceOf: UserError, message: /neither a circuit nor a manifold/ });
});

test("completion offers circuits, manifold roles and rooms", (t) => {
  const all = completions(house);
  t.true(all.includes("kueche") && all.includes("eg-sued:supply") && all.includes("Küche"));
  const complete = completer(house);
  t.deepEqual(complete("ku")[0], ["kueche"]);
  t.deepEqual(complete("og-ost:s")[0], ["og-ost:supply"]);
  t.true(complete("Wohnen")[0].includes("wohnen-1") && complete("Wohnen")[0].includes("essen"));
});

test("the file is replaced atomically and only with a valid house; no temp files stay", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fb-edit-"));
  const file = join(dir, "house.yaml");
  writeFileSync(file, text);
  assignInFile(file, romOf(house, "speis"), { kind: "circuit", circuit: "flur-eg" });
  t.is(parse(readFileSync(file, "utf8")).circuits.find((c) => c.id === "flur-eg")!.sensor!.rom, romOf(house, "speis"));
  t.deepEqual(readdirSync(dir), ["house.yaml"]);
  // A house file that is broken already is never written over.
  writeFileSync(file, text.replace("timezone: Europe/Berlin", "timezone: [Europe/Berlin"));
  const before = readFileSync(file, "utf8");
  t.throws(() => assignInFile(file, romOf(house, "speis"), { kind: "circuit", circuit: "kueche" }), { instanceOf: HouseFileError });
  t.is(readFileSync(file, "utf8"), before);
  t.deepEqual(readdirSync(dir), ["house.yaml"]);
  rmSync(dir, { recursive: true, force: true });
});
