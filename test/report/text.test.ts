import test from "ava";
import { renderTerminal } from "../../analyser/report/text.js";
import { composeReport, actionText } from "../../analyser/report/compose.js";
import { turns } from "../../analyser/report/i18n.js";
import { exampleHouse, fixture } from "./fixtures.js";

test("the terminal report starts with the headline and what to do today, then one table per manifold", (t) => {
  const house = exampleHouse("de");
  const { analysis, engine } = fixture(house, { lockshield: true });
  const out = renderTerminal(house, analysis, engine);
  const lines = out.split("\n");
  t.regex(lines[0], /^Abgleich Einfamilienhaus Kernsanierung – 23\.11\.2026$/);
  t.regex(lines[2], /^Größte Abweichung \d,\d K \(.+\), fallend von 3,1 K über 4 Zyklen\.$/);
  t.regex(lines[3], /^Heute: 5 Änderungen an \d Verteilern\.$/);
  for (const m of house.manifolds) t.true(lines.includes(m.name));
  t.regex(out, /Wohnen\/Essen\s+essen\s+2,3 → 2,8 l\/min\s+8,8 \/ 6,6 K/);
  t.regex(out, /Warum nicht überall gleiches ΔT\?/);
});

test("five changes named, the rest deferred: the headline count equals the marked lines", (t) => {
  const house = exampleHouse("en");
  const { analysis, engine } = fixture(house);
  const report = composeReport(house, analysis, engine);
  t.is(report.changes, engine.actions.length);
  t.is(report.sections.reduce((n, s) => n + s.lines.filter((l) => l.kind === "change").length, 0), 5);
});

test("data-quality warnings name the room, the ROM, the node", (t) => {
  const house = exampleHouse("en");
  const { analysis, engine } = fixture(house, { warnings: true });
  const r = composeReport(house, analysis, engine);
  t.true(r.warnings.some((w) => /heating ran only 45 min yesterday \(needed: 120 min\)/.test(w)));
  t.true(r.warnings.some((w) => w.startsWith("Sensor Wohnen/Essen (wohnen-1, 28-0316a279df07) is not reporting")));
  t.true(r.warnings.some((w) => /stuck/.test(w)));
  t.true(r.warnings.some((w) => /Unknown sensor 28-0316a2aaaaaa on hkv-eg-sued\/bus 0/.test(w)));
  t.true(r.warnings.some((w) => /Node hkv-eg-nord: writing to InfluxDB fails \(auth\)/.test(w)));
});

test("balanced: nothing to do; the heating curve comes down only by the values to enter, and never while a room is short", (t) => {
  const house = exampleHouse("en");
  const { analysis, engine } = fixture(house, { balanced: true, rooms: { Bad: 1.2, Küche: 2 } });
  const out = renderTerminal(house, analysis, engine);
  t.regex(out, /Today: nothing to do\./);
  t.regex(out, /Heating curve: Lower the heating curve \(−1\.1 K at 0 °C outdoor\):/);
  t.regex(out, /Support point 0 °C: 34\.0 → 32\.9 °C/);
  t.notRegex(out, /▶/);
  const short = fixture(house, { balanced: true, rooms: { Bad: -5, Duschbad: -5, Küche: 2 } });
  const outShort = renderTerminal(house, short.analysis, short.engine);
  t.notRegex(outShort, /Lower the heating curve|can come down/);
  t.regex(outShort, /Raise the heating curve/);
  const none = fixture(house, { balanced: true });
  t.regex(renderTerminal(house, none.analysis, none.engine), /Keep the heating curve\.\nNo room temperatures/);
});

test("no verdicts at all: the report says not enough data and recommends nothing", (t) => {
  const house = exampleHouse("en");
  const { analysis, engine } = fixture(house);
  const empty = { ...engine, verdicts: [], actions: [], worst_deviation_k: undefined, trend: [] };
  const r = composeReport(house, analysis, empty);
  t.is(r.headline, "No judgement possible yet.");
  t.regex(r.today, /not enough data/);
  t.is(r.changes, 0);
});

test("lockshield turns are said in fractions a person can turn", (t) => {
  t.is(turns(0.5), "½");
  t.is(turns(1.25), "1 ¼");
  t.is(turns(0.75), "¾");
  t.is(turns(2), "2");
  t.is(turns(0.125), "⅛");
  const a = { circuit: "bad", manifold: "m", room: "Bad", valve: "lockshield" as const, from: 1, to: 1.5, unit: "turns" as const, effect_k: 1, reason: "" };
  t.is(actionText(a, "en"), "½ turn open (1 → 1 ½ turns open)");
  t.is(actionText({ ...a, to: 0.75 }, "de"), "¼ Umdrehung schließen (1 → ¾ Umdr. offen)");
});
