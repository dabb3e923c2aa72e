// The state file is checked against its schema on load; the message names the file and the entry.
import test from "ava";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emptyMemory } from "../../analyser/engine/memory.js";
import { loadMemory } from "../../analyser/state/memory-file.js";
import { UserError } from "../../shared/errors.js";

function load(content: object) {
  const file = join(mkdtempSync(join(tmpdir(), "fb-state-")), "state.json");
  writeFileSync(file, JSON.stringify(content));
  return { file, load: () => loadMemory(file) };
}

test("events: [null] is refused with the file and the entry, not an internal error", (t) => {
  const s = load({ ...emptyMemory(), events: [null] });
  const e = t.throws(s.load, { instanceOf: UserError });
  t.true(e!.message.startsWith(s.file));
  t.regex(e!.message, /events\[0\]: .*expected object, received null/);
});

test("garbage in the trend is refused, not kept", (t) => {
  t.throws(load({ ...emptyMemory(), trend: ["garbage"] }).load, { instanceOf: UserError, message: /trend\[0\]/ });
  t.throws(load({ ...emptyMemory(), trend: [{ cycle: 1, date: "2026-01-01", worst_deviation_k: "lots" }] }).load, { instanceOf: UserError, message: /trend\[0\]\.worst_deviation_k/ });
  t.throws(load({ ...emptyMemory(), events: [{ time: 1, cycle: 1, kind: "applied", circuit: "a", manifold: "m", unit: "furlongs", value: 1, text: "" }] }).load, { message: /events\[0\]\.unit/ });
});

test("a valid file, and an older one without observations and trend, load", (t) => {
  const good = { ...emptyMemory(), cycle: 2, trend: [{ cycle: 1, date: "2026-01-01", worst_deviation_k: 0.4 }] };
  t.deepEqual(load(good).load(), good);
  const { observations: _o, trend: _t, ...older } = emptyMemory();
  t.deepEqual(load(older).load(), emptyMemory());
});
