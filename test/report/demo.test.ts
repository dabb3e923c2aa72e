import test from "ava";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDemo } from "../../cli/commands/demo.js";
import { violations } from "../helpers/discord-standin.js";
import { exampleHouse } from "./fixtures.js";

test("the demo runs the whole chain offline and writes the payload, the chart and the readings", async (t) => {
  const out = mkdtempSync(join(tmpdir(), "fb-demo-"));
  const r = await runDemo({ house: exampleHouse(), out, days: 2, firstDay: "2026-01-05", seed: 1, readings: true });
  t.is(r.cycles.length, 2);
  t.is(r.engine.cycle, 2);
  t.is(r.engine.trend.length, 2);
  const payload = JSON.parse(readFileSync(r.files.payload, "utf8"));
  for (const m of Array.isArray(payload) ? payload : [payload]) t.deepEqual(violations(m, m.attachments ? 1 : 0), []);
  t.deepEqual([...readFileSync(r.files.chart).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  t.true(statSync(r.files.readings!).size > 1_000_000);
  t.regex(readFileSync(r.files.readings!, "utf8").slice(0, 200), /^temperature,bus=\S+,mapped=yes,node=\S+,rom=28-[0-9a-f]{12} celsius=/);
  t.true(existsSync(r.files.state));
  t.regex(r.terminal, /^Abgleich Einfamilienhaus Kernsanierung – 06\.01\.2026\n/);
  // What the engine told the simulated homeowner on day one was done: the memory has it.
  t.is(r.memory.events.filter((e) => e.kind === "applied").length, r.cycles.reduce((n, c) => n + c.changes.length, 0));
});

test("by default the demo keeps no readings file (it was 188 MB for a week)", async (t) => {
  const out = mkdtempSync(join(tmpdir(), "fb-demo-"));
  const r = await runDemo({ house: exampleHouse(), out, days: 1, firstDay: "2026-01-05", seed: 1 });
  t.false(existsSync(join(out, "readings.lp")));
  t.is(r.files.readings, undefined);
  t.true(statSync(r.files.payload).size > 0);
});
