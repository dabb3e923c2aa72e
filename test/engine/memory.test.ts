import test from "ava";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applySelection, parseSetting, SelectionError } from "../../analyser/engine/apply.js";
import { eventLines } from "../../analyser/engine/events.js";
import { updateValveSettings } from "../../analyser/engine/house-edit.js";
import { emptyMemory, pendingRecommendations } from "../../analyser/engine/memory.js";
import { loadMemory, saveMemory } from "../../analyser/state/memory-file.js";
import { recommend } from "../../analyser/engine/recommend.js";
import { UserError } from "../../shared/errors.js";
import { parseLine } from "../../shared/line-protocol.js";
import { analysisOf, houseOf, lockshield, meter, T0 } from "./fixtures.js";

const house = () => houseOf([{ id: "a", valve: meter(1.5) }, { id: "b", valve: meter(1.5) }, { id: "c", valve: lockshield(2) }]);
const withRecs = () => {
  const h = house();
  return { h, ...recommend(h, analysisOf(h, { a: { spread: 7 }, b: { spread: 3.5 }, c: { spread: 5, flow: 1.5 } }), emptyMemory()) };
};

test("state file round-trips and is written atomically (no temp file left)", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fb-state-"));
  const file = join(dir, "sub", "state.json");
  t.deepEqual(loadMemory(file), emptyMemory());
  const { memory } = withRecs();
  saveMemory(file, memory);
  t.deepEqual(loadMemory(file), memory);
  t.deepEqual(readdirSync(join(dir, "sub")), ["state.json"]);
});

test("a damaged state file is a UserError, not a crash", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fb-state-"));
  const file = join(dir, "state.json");
  writeFileSync(file, "{ half");
  t.throws(() => loadMemory(file), { instanceOf: UserError, message: /not valid JSON/ });
  writeFileSync(file, JSON.stringify({ version: 7 }));
  t.throws(() => loadMemory(file), { instanceOf: UserError, message: /not a floorbalance state file/ });
});

test("apply --all records every open recommendation; then none are open", (t) => {
  const { h, memory, result } = withRecs();
  t.true(result.actions.length >= 2);
  const applied = applySelection(h, memory, { all: true }, T0 + 3600);
  t.is(applied.recorded.length, result.actions.length);
  t.deepEqual(pendingRecommendations(applied.memory), []);
  for (const a of result.actions) t.is(applied.memory.settings[a.circuit]!.value, a.to);
  t.throws(() => applySelection(h, applied.memory, { all: true }, T0 + 7200), { instanceOf: SelectionError });
});

test("apply --circuit records a subset; an unknown or not-recommended circuit is a SelectionError (the CLI gives it exit code 2)", (t) => {
  const { h, memory, result } = withRecs();
  const first = result.actions[0]!.circuit;
  const applied = applySelection(h, memory, { circuits: [first] }, T0 + 3600);
  t.deepEqual(applied.recorded.map((e) => e.circuit), [first]);
  t.is(pendingRecommendations(applied.memory).length, result.actions.length - 1);
  t.throws(() => applySelection(h, memory, { circuits: ["zz"] }, T0), { instanceOf: SelectionError, message: /no circuit "zz"/ });
});

test("apply --set records values read off the meters, checked against the valve", (t) => {
  const h = house();
  const r = applySelection(h, emptyMemory(), { settings: [parseSetting("a=2.4"), parseSetting("c=1.5turns")] }, T0);
  t.is(r.memory.settings.a!.value, 2.4);
  t.is(r.memory.settings.c!.unit, "turns");
  t.throws(() => applySelection(h, emptyMemory(), { settings: [parseSetting("a=3.5")] }, T0), { instanceOf: SelectionError, message: /outside the meter's scale/ });
  t.throws(() => applySelection(h, emptyMemory(), { settings: [parseSetting("c=1.5lpm")] }, T0), { instanceOf: SelectionError, message: /lockshield/ });
  t.throws(() => parseSetting("a:2"), { instanceOf: SelectionError });
  t.deepEqual(parseSetting("a=1,5t"), { circuit: "a", value: 1.5, unit: "turns" });
});

test("house file update keeps comments and changes only the setting", (t) => {
  const text = `# my house
site: { name: T, timezone: Europe/Berlin }
influx: { url: "http://127.0.0.1:8086" }
nodes: [{ id: n1, hostname: n1, buses: [{ pin: 16 }] }]
manifolds: [{ id: m1, name: M1, node: n1 }]
circuits:
  # the bathroom
  - { id: bad, manifold: m1, room: Bad, area_m2: 6, length_m: 40, valve: { kind: flow-meter, setting_lpm: 1.2 } }
  - id: flur
    manifold: m1
    room: Flur
    area_m2: 8
    length_m: 50
    valve: { kind: lockshield, turns_open: 3 } # counted 2024
`;
  const out = updateValveSettings(text, [{ circuit: "bad", value: 0.9, unit: "l/min" }, { circuit: "flur", value: 1.625, unit: "turns" }]);
  t.regex(out, /# my house/);
  t.regex(out, /# the bathroom/);
  t.regex(out, /# counted 2024/);
  t.regex(out, /setting_lpm: 0\.9/);
  t.regex(out, /turns_open: 1\.625/);
});

test("house file update leaves every other line of the example as it was (flow maps stay on one line)", (t) => {
  const text = readFileSync("examples/house.yaml", "utf8");
  const before = text.split("\n");
  const after = updateValveSettings(text, [{ circuit: "bad", value: 1.2, unit: "l/min" }]).split("\n");
  t.is(after.length, before.length);
  const changed = before.map((line, i) => [line, after[i]]).filter(([a, b]) => a !== b);
  t.is(changed.length, 1);
  t.regex(changed[0][1], /^    valve: \{ kind: flow-meter, setting_lpm: 1\.2, scale: \{ min: 0\.5, max: 3\.0, step: 0\.1 \} \}$/);
});

test("balance events mirror into valid balance_event line protocol", (t) => {
  const { memory } = withRecs();
  const lines = eventLines(memory.events).trim().split("\n");
  t.is(lines.length, memory.events.length);
  const p = parseLine(lines[0]!);
  t.is(p.measurement, "balance_event");
  t.is(p.tags.kind, "recommended");
  t.is(p.time, T0);
});
