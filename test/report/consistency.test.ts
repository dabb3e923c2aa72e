// Issue 23, items 13 and 15: every figure and sentence of the report comes from the same decision
// record (the engine's verdicts), and a house without data gets one line at the top.
import test from "ava";
import { chartRows, bandNames } from "../../analyser/report/chart.js";
import { composeReport, trendSentence } from "../../analyser/report/compose.js";
import { findOutage } from "../../analyser/report/outage.js";
import { words } from "../../analyser/report/i18n.js";
import { EXIT } from "../../shared/exit-codes.js";
import { exampleHouse, fixture } from "./fixtures.js";

/** The fixture with one circuit held out of the band (with its reason) and one manifold waiting. */
function mixedDay(language: "de" | "en") {
  const house = exampleHouse(language);
  const { analysis, engine } = fixture(house);
  const held = engine.verdicts.find((v) => v.status === "nothing-to-do")!;
  held.spread_k = held.target_k! + 0.5;
  held.reason = "would reverse the last change for a small error: held (hysteresis against oscillation)";
  const waitingManifold = house.manifolds.at(-1)!.id;
  for (const v of engine.verdicts.filter((x) => x.manifold === waitingManifold)) {
    v.status = "waiting";
    v.action = undefined;
    v.reason = "a change on this manifold is settling; next judgement after 2026-11-25 06:30";
  }
  engine.actions = engine.actions.filter((a) => a.manifold !== waitingManifold);
  return { house, analysis, engine, held };
}

for (const language of ["de", "en"] as const) {
  test(`the chart colours every bar as its table row says (${language})`, (t) => {
    const { house, analysis, engine, held } = mixedDay(language);
    const report = composeReport(house, analysis, engine);
    const rows = chartRows(analysis, engine, house.analysis.dead_band_k);
    const names = bandNames(language);
    const lines = new Map(report.sections.flatMap((s) => s.lines).map((l) => [l.circuit, l]));
    const w = words(language);
    t.true(rows.length > 0);
    for (const r of rows) {
      const circuit = [...lines.values()].find((l) => r.label === l.room || r.label.endsWith(` · ${l.circuit}`))!;
      t.truthy(circuit, r.label);
      t.is(r.state, circuit.state, `${r.label}: chart ${r.state}, table ${circuit.state}`);
      t.is(r.band, names[circuit.state]);
      // The verdicts behind the colours: a change towards more flow is "too little flow".
      const action = engine.actions.find((a) => a.circuit === circuit.circuit);
      if (action) t.is(r.band, action.to > action.from ? names["too-little"] : names["too-much"]);
      // A row that says "nothing to do" is never coloured as needing a change.
      if (circuit.todo.startsWith(w.nothingToDo)) t.true(r.state === "ok" || r.state === "held");
    }
    const heldLine = lines.get(held.circuit)!;
    t.is(heldLine.state, "held");
    t.true(heldLine.todo.startsWith(`${w.nothingToDo}: `), heldLine.todo);
    t.true(heldLine.todo.length > w.nothingToDo.length + 10, "the row says why");
    t.not(heldLine.todo.includes("hysteresis"), language === "de", "the reason is in the report's language");
  });

  test(`a manifold waiting for the effect keeps its targets in table and chart (${language})`, (t) => {
    const { house, analysis, engine } = mixedDay(language);
    const report = composeReport(house, analysis, engine);
    const waiting = report.sections.at(-1)!.lines;
    t.true(waiting.length > 0);
    for (const l of waiting) {
      t.is(l.state, "waiting");
      t.not(l.target_k, undefined);
      t.true(l.spread.includes(words(language).target));
    }
    const rows = chartRows(analysis, engine, house.analysis.dead_band_k).filter((r) => r.state === "waiting");
    t.is(rows.length, waiting.length);
    for (const r of rows) t.not(r.target_k, undefined);
  });
}

test("the trend sentence says what the chart shows: flat lately after a fall is 'unchanged', with where it began", (t) => {
  const w = words("en");
  const trend = [2.1, 0.6, 0.5, 0.55, 0.5, 0.5, 0.52].map((k, i) => ({ cycle: i + 1, date: "", worst_deviation_k: k }));
  const s = trendSentence(trend, w, "en");
  t.regex(s, /unchanged over the last 6 cycles \(2\.1 K at cycle 1\)/);
  t.regex(trendSentence(trend.slice(0, 3), w, "en"), /down from 2\.1 K over 3 cycles/);
  t.regex(trendSentence(trend.slice(2), w, "en"), /unchanged over 5 cycles/);
});

test("under equal-spread the footer gives the equal-spread rule, never the design policy's", (t) => {
  const house = exampleHouse("de");
  const { analysis, engine } = fixture(house);
  const w = words("de");
  const equal = composeReport(house, analysis, { ...engine, policy: "equal-spread" });
  t.is(equal.policy, w.policyEqualSpread);
  t.false((equal.policy ?? "").includes("größeres ΔT"));
  t.is(composeReport(house, analysis, { ...engine, policy: "design" }).policy, w.policy);
});

test("every node silent: one line at the top, no rows, no list; no data in the database says so", (t) => {
  const house = exampleHouse("en");
  const { analysis, engine } = fixture(house);
  const since = analysis.window.end - 5 * 3600;
  const silent = {
    ...analysis,
    nodes: analysis.nodes.map((n) => ({ ...n, last_seen: since })),
    sensors: house.circuits.filter((c) => c.sensor).map((c) => ({ rom: c.sensor!.rom, node: c.sensor!.node, coverage: 0.7, gaps: 1, longest_gap_min: 300, stuck: false, glitch_rate: 0, reporting_now: false, last_seen: since })),
  };
  const outage = findOutage(house, silent, { kind: "database", name: "floorbalance" });
  t.is(outage?.kind, "silent");
  const report = composeReport(house, silent, engine, outage);
  t.regex(report.headline, new RegExp(`^All ${house.nodes.length} nodes silent since `));
  t.deepEqual(report.sections, []);
  t.deepEqual(report.warnings, []);
  const empty = { ...analysis, nodes: analysis.nodes.map((n) => ({ node: n.node, rejected: {} })), sensors: [] };
  const none = findOutage(house, empty, { kind: "database", name: "floorbalance" });
  t.is(none?.kind, "no-data");
  t.regex(composeReport(house, empty, engine, none).headline, /No data in database "floorbalance"/);
  const de = composeReport(exampleHouse("de"), { ...empty, language: "de" }, engine, none);
  t.regex(de.headline, /Keine Daten in der Datenbank „floorbalance“/);
  // A house with data has no outage, and the exit code for one is its own.
  t.is(findOutage(house, analysis, { kind: "database", name: "floorbalance" }), undefined);
  t.false(Object.entries(EXIT).some(([k, v]) => k !== "noData" && v === EXIT.noData));
});
