import test from "ava";
import { buildInventory, judgeHealth } from "../../commissioning/inventory.js";
import { renderInventory } from "../../commissioning/render.js";
import type { RomTrace } from "../../commissioning/series.js";
import { exampleText, manifoldOf, parse, romOf } from "./fixtures.js";

const house = parse(exampleText());
const NOW = 1_750_000_600;
const series = (from: number, to: number, f: (i: number) => number) => {
  const out = [];
  for (let t = from, i = 0; t <= to; t += 10, i++) out.push({ time: t, celsius: f(i) });
  return out;
};
const quiet = (i: number) => 28 + 0.0625 * ((i * 7) % 3);

test("health: offline, stuck, glitchy each from their own evidence; a quiet healthy sensor is ok", (t) => {
  t.deepEqual(judgeHealth(series(NOW - 600, NOW, quiet), NOW, 10), []);
  t.deepEqual(judgeHealth(series(NOW - 600, NOW - 300, quiet), NOW, 10).map((h) => h.kind), ["offline"]);
  t.deepEqual(judgeHealth(series(NOW - 600, NOW, () => 27.5), NOW, 10).map((h) => h.kind), ["stuck"]);
  t.deepEqual(judgeHealth(series(NOW - 600, NOW, (i) => (i % 15 === 7 ? 31 : quiet(i))), NOW, 10).map((h) => h.kind), ["glitchy"]);
  // A real ramp (heating start) is neither glitchy nor stuck.
  t.deepEqual(judgeHealth(series(NOW - 600, NOW, (i) => 25 + i * 0.15), NOW, 10), []);
});

test("the inventory groups per node and bus, names mapped and unmapped sensors, and lists the missing", (t) => {
  const supply = manifoldOf(house, "eg-sued").supply!.rom;
  const speis = romOf(house, "speis"); // on bus 1 of hkv-eg-sued
  const stranger = "28-0316a2794aff";
  const traces: RomTrace[] = [
    { rom: supply, node: "hkv-eg-sued", bus: "0", samples: series(NOW - 600, NOW, quiet) },
    { rom: speis, node: "hkv-eg-sued", bus: "1", samples: series(NOW - 600, NOW - 400, quiet) },
    { rom: stranger, node: "hkv-eg-sued", bus: "0", samples: series(NOW - 600, NOW, () => 30) },
    { rom: romOf(house, "hwr"), node: "hkv-eg-sued", bus: "0", samples: series(NOW - 600, NOW, quiet) },
  ];
  const inv = buildInventory({ house, traces, now: NOW, rejectedByNode: new Map([["hkv-eg-sued", { crc: 3, power_on: 0 }]]) });
  const bus0 = inv.groups.find((g) => g.node === "hkv-eg-sued" && g.bus === "0")!;
  const bus1 = inv.groups.find((g) => g.node === "hkv-eg-sued" && g.bus === "1")!;
  t.deepEqual(bus1.sensors.map((s) => [s.rom, s.mapping?.circuit, s.health.map((h) => h.kind)]), [[speis, "speis", ["offline"]]]);
  const unmapped = bus0.sensors.find((s) => s.rom === stranger)!;
  t.is(unmapped.mapping, null);
  t.deepEqual(unmapped.health.map((h) => h.kind), ["stuck"]);
  t.is(bus0.sensors.find((s) => s.rom === supply)!.mapping?.role, "supply");
  t.is(bus0.sensors.find((s) => s.rom === supply)!.age_s, 0);
  t.deepEqual(bus0.sensors.find((s) => s.rom === romOf(house, "hwr"))!.health.map((h) => h.kind), ["elsewhere"]);
  t.is(inv.missing.length, 31 - 3);
  t.false(inv.missing.some((m) => m.rom === supply || m.rom === speis));
  t.true(inv.groups.some((g) => g.node === "hkv-og-ost" && g.sensors.length === 0), "an empty bus is listed too");

  const text = renderInventory(house, inv, "en");
  t.regex(text, /4 sensors seen, 3 mapped, 1 unmapped, 28 expected but not seen/);
  t.regex(text, /node hkv-eg-sued bus 1 \(GPIO 17\)/);
  t.regex(text, new RegExp(`${stranger}\\s+UNMAPPED\\s+30\\.00 °C age 0 s\\s+STUCK`));
  t.regex(text, /rejected reads on the node: crc 3/);
  const de = renderInventory(house, inv, "de");
  t.regex(de, /NICHT ZUGEORDNET/);
  // German throughout: decimal commas and the health reasons translated, not English in brackets.
  t.regex(de, new RegExp(`${stranger}\\s+NICHT ZUGEORDNET\\s+30,00 °C Alter 0 s\\s+\\S+ \\(immer 30,00 °C seit \\d+ min\\)`));
  t.regex(de, /\(letzter Messwert vor \d+ min\)/);
  t.regex(de, /\(laut Hausdatei an Knoten \S+ Bus \S+\)/);
  t.notRegex(de, /last reading|the same|house file places/);
});
