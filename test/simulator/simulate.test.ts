import test from "ava";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { loadHouseFile } from "../../shared/house/load.js";
import { encodePoint, parseLine } from "../../shared/line-protocol.js";
import { REJECTION_REASONS, temperaturePoint } from "../../shared/measurements.js";
import { temperatureLine, temperaturePrefix } from "../../simulator/lines.js";
import { simulate, Twin } from "../../simulator/index.js";
import { START } from "./fixtures.js";

const { house } = loadHouseFile("examples/house.yaml");

function run(seed: number, days: number, truth = false): { text: string; stats: ReturnType<typeof simulate> } {
  const chunks: string[] = [];
  const stats = simulate(house, { start: START, days, seed, truth }, (c) => chunks.push(c));
  return { text: chunks.join(""), stats };
}

test("the fast temperature line is byte-identical to encodePoint(temperaturePoint(…))", (t) => {
  fc.assert(
    fc.property(fc.integer({ min: -55 * 16, max: 125 * 16 }), fc.integer({ min: 0, max: 4_000_000_000 }), fc.boolean(), (sixteenths, time, mapped) => {
      const celsius = sixteenths / 16;
      const r = { node: "hkv-eg-sued", bus: "1", rom: "28-0316a2795f77", mapped, celsius, time };
      return temperatureLine(temperaturePrefix(r.node, r.bus, r.rom, mapped), celsius, time) === encodePoint(temperaturePoint(r)) + "\n";
    }),
  );
  t.pass();
});

test("simulate(): no invalid reading is written, and every rejected read is counted in node_health", (t) => {
  const { text, stats } = run(7, 1, true);
  const lines = text.split("\n").filter((l) => l.length > 0);
  t.is(lines.length, stats.lines);
  const last = new Map<string, { c: number; time: number }>();
  const lastHealth = new Map<string, Record<string, unknown>>();
  let temperatures = 0;
  let truth = 0;
  for (const line of lines) {
    const p = parseLine(line);
    if (p.measurement === "temperature") {
      temperatures++;
      const c = p.fields.celsius as number;
      t.true(typeof c === "number" && Number.isFinite(c));
      if (c < 5 || c > 60 || c === 85) t.fail(`implausible temperature ${line}`);
      const prev = last.get(p.tags.rom);
      if (prev && p.time! - prev.time <= 600 && Math.abs(c - prev.c) > 5 + (p.time! - prev.time)) t.fail(`jump ${line}`);
      last.set(p.tags.rom, { c, time: p.time! });
      t.is(Math.round(c * 16), c * 16, "quantised to 1/16 K");
    } else if (p.measurement === "node_health") {
      lastHealth.set(p.tags.node, p.fields as Record<string, unknown>);
    } else if (p.measurement === "sim_truth") truth++;
  }
  t.is(temperatures, stats.readings);
  t.is(last.size, 31, "all 31 sensors report");
  t.true(stats.rejected > 0, "faults happen");
  let counted = 0;
  for (const fields of lastHealth.values()) for (const r of REJECTION_REASONS) counted += (fields["rejected_" + r] as { int: number }).int;
  t.is(counted, stats.rejected);
  t.is(lastHealth.size, 4);
  t.is(truth, 24 * 60 * (23 + 4), "one truth point per circuit and manifold per minute");
  t.is(stats.readings + stats.rejected, 8640 * 31, "one read per sensor per 10 s");
});

test("simulate() is deterministic per seed", (t) => {
  const hash = (s: string) => createHash("sha256").update(s).digest("hex");
  const a = run(11, 0.25).text;
  const b = run(11, 0.25).text;
  const c = run(12, 0.25).text;
  t.is(hash(a), hash(b));
  t.not(hash(a), hash(c));
});

test("stepping the twin in pieces gives the same run as in one go", (t) => {
  const one = new Twin(house, { start: START, seed: 4, spinUpDays: 0.2 });
  const pieces = new Twin(house, { start: START, seed: 4, spinUpDays: 0.2 });
  const a: number[] = [];
  const b: number[] = [];
  one.runTo(START + 6 * 3600, (s) => s.raw.kind === "value" && a.push(s.raw.celsius));
  for (let h = 1; h <= 6; h++) pieces.runTo(START + h * 3600 - 7, (s) => s.raw.kind === "value" && b.push(s.raw.celsius));
  pieces.runTo(START + 6 * 3600, (s) => s.raw.kind === "value" && b.push(s.raw.celsius));
  t.deepEqual(a, b);
  t.deepEqual(one.truth(), pieces.truth());
});

test("sensors: offsets within range, a lagged surface, and one sensor that dies when faults are on", (t) => {
  const twin = new Twin(house, { start: START, seed: 2, spinUpDays: 0.2 });
  const truth = twin.truth();
  t.is(truth.sensors.length, 31);
  for (const s of truth.sensors) t.true(Math.abs(s.offset_k) <= 1.5);
  t.true(truth.sensors.filter((s) => Math.abs(s.offset_k) <= 0.5).length >= 20, "most are genuine (±0.5 K)");
  const dying = twin.sensors.filter((s) => Number.isFinite(s.diesAt));
  t.is(dying.length, 1);
  t.not(twin.sensorSurfaceC(dying[0].rom), null);
  twin.runTo(dying[0].diesAt + 10);
  t.is(twin.sensorSurfaceC(dying[0].rom), null);
  const quiet = new Twin(house, { start: START, seed: 2, spinUpDays: 0.2, sensorFaults: false });
  t.is(quiet.sensors.filter((s) => Number.isFinite(s.diesAt)).length, 0);
  let bad = 0;
  quiet.runTo(START + 3 * 3600, (s) => s.raw.kind !== "value" && bad++);
  t.is(bad, 0, "no faults when faults are off");
});
