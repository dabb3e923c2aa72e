import test from "ava";
import { DateTime } from "luxon";
import { Simulation } from "../../simulator/index.js";
import { readLineProtocol } from "../../analyser/sources/file.js";
import { analyse } from "../../analyser/measurement/analyse.js";
import { dailyWindow } from "../../analyser/measurement/window.js";
import { applySelection, emptyMemory, recommend, type Memory } from "../../analyser/engine/index.js";
import { composeReport } from "../../analyser/report/compose.js";
import { layoutTerminal } from "../../analyser/report/text.js";
import { layoutDiscord } from "../../analyser/report/discord.js";
import { analyserTexts, isKnownText, templateIndex, TEMPLATE_COUNT, translateText } from "../../analyser/report/translate.js";
import { makeRom, romToCanonical } from "../../shared/rom.js";
import type { House } from "../../shared/house/index.js";
import { exampleHouse, fixture } from "./fixtures.js";

const ROM = "28-0316a2794aff";

/** One English sample per template, and what must be in its German translation. */
const SAMPLES: [string, string[]][] = [
  [`not resolvable without calibration: calibrate ${ROM}`, ["Ohne Kalibrierung nicht auflösbar", ROM, "kalibrieren"]],
  ["manifold Erdgeschoss Nord has no supply sensor in the house file", ["Verteiler Erdgeschoss Nord", "Vorlauffühler"]],
  [`the supply sensor ${ROM} of manifold Obergeschoss is stuck at one value`, [ROM, "Obergeschoss", "hängt"]],
  [`the supply sensor ${ROM} of manifold Obergeschoss is dead (3 % of the window reported)`, [ROM, "Obergeschoss", "ausgefallen", "3 %"]],
  [`the supply sensor ${ROM} of manifold Keller is dead (0 % of the window reported): the whole manifold is left out`, [ROM, "Keller", "ausgefallen", "0 %", "ganze Verteiler"]],
  ["no usable return temperatures on manifold Dach", ["Rücklauftemperaturen", "Dach"]],
  [`the manifold return sensor ${ROM} has too little good data: no mixing estimate of the flows`, [ROM, "Mischungsschätzung"]],
  ["not every circuit return has good data: no mixing estimate of the flows on this manifold", ["Kreisrücklauf", "Mischungsschätzung"]],
  ["no circuit has enough data", ["Kein Kreis"]],
  ["the circuit has no return sensor in the house file", ["Rücklauffühler", "Hausdatei"]],
  [`its return sensor ${ROM} is stuck at one value`, [ROM, "hängt"]],
  [`its return sensor ${ROM} reported only 42 % of the window`, [ROM, "42 %"]],
  ["only 37 heating-active minutes with a settled return (needs 120)", ["37 Heizminuten", "nötig: 120"]],
  ["the heat pump never ran steadily long enough: the spread comes from the second half of its runs and is less certain", ["Wärmepumpe", "zweiten Hälfte"]],
  ["mixing says 1.84 l/min, transit time 2.31 l/min", ["1,84 l/min", "2,31 l/min", "Laufzeit"]],
  ["the two flow estimates disagree: mixing says 1.84 l/min, transit time 2.31 l/min", ["widersprechen", "Mischung ergibt 1,84 l/min", "2,31 l/min"]],
  [`its return sensor ${ROM} is not reporting now`, [ROM, "meldet derzeit nicht"]],
  [`its return sensor ${ROM} glitches in 2.5 % of minutes`, [ROM, "2,5 %"]],
  [`sensor ${ROM} on node hkv-eg-nord bus bus0 is not in the house file (map it with floorbalance identify)`, [ROM, "hkv-eg-nord", "bus0", "floorbalance identify"]],
  ["node hkv-eg-nord rejected 98 readings (crc 3, power_on 90, jump 5)", ["Knoten hkv-eg-nord", "98 Messwerte", "CRC-Fehler 3", "85-°C-Einschaltwert 90", "Sprung 5"]],
  ["node hkv-og has not reported since 2026-11-23T05:10:00+01:00", ["Knoten hkv-og", "23.11.2026 05:10"]],
  ["no heating-active minutes in the window: nothing can be judged", ["Keine Heizminuten"]],
  [`not enough data: its return sensor ${ROM} reported only 12 % of the window`, ["Zu wenig Daten: Sein Rücklauffühler", ROM, "12 %"]],
  ["the analysis has no entry for this circuit", ["Analyse"]],
  ["the analyser could not judge it", ["nicht beurteilen"]],
  ["no spread measured", ["Spreizung"]],
  ["no manifold supply temperature", ["Vorlauftemperatur"]],
  ["no flow estimate for a circuit without a flow meter", ["Durchflussmesser"]],
  ["spread -0.35 K at supply 31.2 °C is not a physical heating state (return at or below the room)", ["-0,35 K", "31,2 °C"]],
  ["spread -0.24 K is zero within the sensors' accuracy: the circuit carries almost no heat for its flow, judged at 0.1 K", ["Spreizung -0,24 K", "fast keine Wärme", "0,1 K"]],
  ["a change on this manifold is settling; next judgement after 2026-11-24 06:30", ["wirkt noch", "24.11.2026 06:30"]],
  ["fewer than two judged circuits on this manifold to compare with", ["zwei beurteilte Kreise"]],
  ["throttling kept small so the total flow stays at or above the heat pump's minimum 12.5 l/min", ["12,5 l/min", "Wärmepumpe"]],
  ["flow cannot fix this room", ["hilft"]],
  ["most demanding circuit: stays fully open, the others are throttled relative to it", ["ganz offen"]],
  ["would reverse the last change for a small error: held (hysteresis against oscillation)", ["Hysterese"]],
  ["within the dead band last time and only a little out now: confirmed at the next judgement before any change", ["Totband", "bestätigen"]],
  ["within the dead band", ["Im Totband"]],
  ["within the measurement's uncertainty (±0.6 K): no change until the data are clearer", ["Messunsicherheit", "±0,6 K"]],
  ["the valve is at the end of its range (0.125 turns); the spread error stays", ["0,125 Umdr."]],
  ["the change would be below what the valve can be set to", ["Ventil"]],
  ["less flow would take the house below the heat pump's minimum flow: held", ["Mindestdurchfluss der Wärmepumpe"]],
  ["the lockshield is open as far as it matters (3.5 turns): opening it fully adds under 5 % flow, the pipe takes the head; the spread error stays", ["3,5 Umdr.", "unter 5 %", "Rohr"]],
  ["spread 6.1 K, target 5.0 K: more flow; deferred: at most 5 changes per cabinet a day, the most effective first", ["Spreizung 6,1 K", "Ziel 5,0 K", "mehr Durchfluss", "verschoben", "höchstens 5 Änderungen je Verteilerschrank"]],
  ["too few flow estimates to fit the manifold's head; lockshield flows are the hydraulic model's at half the pump's set head (their shares hold, their scale is rough)", ["Rücklaufverschraubungen", "halber Förderhöhe"]],
  ["under-supplied as a whole (mean spread 6.6 K against 5.2 K on the other manifolds): its circuits are raised together", ["unterversorgt", "6,6 K", "5,2 K", "gemeinsam angehoben"]],
  ["under-supplied as a whole (mean spread 6.6 K against 5.2 K on the other manifolds): its circuits are raised together; its valves cannot give all of it: throttle the other manifolds' circuits or raise the pump's head", ["unterversorgt", "anderen Verteiler drosseln", "Förderhöhe"]],
  ["Bad OG, Kind 2: flow cannot fix it; raise the heating curve a little instead (about 1 K), then judge again", ["Bad OG, Kind 2:", "Heizkurve", "1 K"]],
  ["most demanding circuit (spread 7.2 K, target 5.0 K): open fully", ["7,2 K", "5,0 K", "ganz öffnen"]],
  ["throttled relative to the index circuit (eg-3), which is already fully open", ["(eg-3)", "gedrosselt"]],
  ["spread 4.1 K, target 5.0 K: less flow", ["4,1 K", "5,0 K", "weniger Durchfluss"]],
  ["spread 6.4 K → 5.1 K since the recommendation (predicted 5.2 K)", ["6,4 K → 5,1 K", "5,2 K"]],
  ["the room needs 97 % of what its floor can give at supply 33.5 °C: more flow barely helps, raise the heating curve", ["97 %", "33,5 °C", "Heizkurve anheben"]],
  ["room-temperature policy needs the outdoor temperature; used equal-spread today", ["Außentemperatur", "gleiche Spreizung"]],
  ["room-temperature policy needs a room temperature for eg-1, eg-4; used equal-spread today", ["eg-1, eg-4", "gleiche Spreizung"]],
  ["design policy needs design_load_w_m2 on every circuit of the manifold; used equal-spread today", ["design_load_w_m2", "Auslegung"]],
];

test("every template has a sample, and each sample translates with its numbers and ids intact", (t) => {
  const covered = new Set<number>();
  for (const [en, parts] of SAMPLES) {
    const i = templateIndex(en);
    t.not(i, -1, `no template for: ${en}`);
    covered.add(i);
    t.true(isKnownText(en), en);
    const de = translateText(en, "de");
    t.not(de, en);
    for (const p of parts) t.true(de.includes(p), `"${de}" lacks "${p}"`);
    t.is(translateText(en, "en"), en, "English stays as it is");
  }
  t.is(covered.size, TEMPLATE_COUNT, "a template without a sample");
});

test("a prefix (manifold name, room and circuit) stays verbatim and the rest is translated", (t) => {
  t.is(translateText("Bad OG (og-2): no spread measured", "de"), "Bad OG (og-2): Keine Spreizung gemessen");
  t.is(
    translateText(`Keller: the supply sensor ${ROM} of manifold Keller is stuck at one value: the whole manifold is left out`, "de"),
    `Keller: Der Vorlauffühler ${ROM} von Verteiler Keller hängt auf einem Wert: der ganze Verteiler bleibt unbewertet`,
  );
});

test("unknown texts come back unchanged and are reported as unknown, also inside a known frame", (t) => {
  for (const s of ["the flux capacitor is 1.21 GW", "not enough data: the flux capacitor is empty", "Bad: something new"]) {
    t.false(isKnownText(s), s);
    t.is(translateText(s, "en"), s);
  }
  t.is(translateText("the flux capacitor is 1.21 GW", "de"), "the flux capacitor is 1.21 GW");
  // The frame is translated, the unknown inside kept: nothing lost.
  t.is(translateText("not enough data: the flux capacitor is empty", "de"), "Zu wenig Daten: the flux capacitor is empty");
});

test("a German report of hand-made results translates warnings, reasons and evidence; English is unchanged", (t) => {
  const build = (language: "de" | "en") => {
    const house = exampleHouse(language);
    const { analysis, engine } = fixture(house, { warnings: true });
    const c = house.circuits[0];
    const v = engine.verdicts.find((x) => x.circuit === c.id)!;
    Object.assign(v, { status: "not-enough-data", reason: `not enough data: its return sensor ${ROM} reported only 12 % of the window`, action: undefined });
    engine.actions = engine.actions.filter((a) => a.circuit !== c.id);
    analysis.warnings = [...analysis.warnings, "node hkv-eg-nord rejected 98 readings (crc 3, power_on 95)"];
    engine.looks_applied = [{ circuit: house.circuits[1].id, evidence: "spread 6.4 K → 5.1 K since the recommendation (predicted 5.2 K)" }];
    return { report: composeReport(house, analysis, engine), room: c.room };
  };
  const de = build("de");
  const en = build("en");
  const deText = layoutTerminal(de.report);
  t.true(deText.includes(`zu wenig Daten: Sein Rücklauffühler ${ROM} hat nur 12 % des Zeitraums gemeldet`));
  t.true(deText.includes("Knoten hkv-eg-nord hat 98 Messwerte verworfen (CRC-Fehler 3, 85-°C-Einschaltwert 95)"));
  t.true(deText.includes("Spreizung 6,4 K → 5,1 K seit der Empfehlung (vorhergesagt 5,2 K)"));
  t.false(deText.includes("rejected"));
  t.true(deText.includes("Verfahren gleiche Spreizung"));
  t.false(deText.includes("zu wenig Daten: Zu wenig Daten"), "said once");
  const enText = layoutTerminal(en.report);
  t.true(enText.includes("node hkv-eg-nord rejected 98 readings (crc 3, power_on 95)"));
  t.true(enText.includes(`not enough data: its return sensor ${ROM} reported only 12 % of the window`));
});

/** Analyse one day of simulated readings with a house that differs from the one simulated. */
function analyseDay(house: House, text: string, at: number) {
  const window = dailyWindow(house.site.timezone, at, house.analysis.lookback_h);
  return analyse(house, readLineProtocol(text, window, { signals: house.plant.signals }), { now: at });
}

test("drift guard: every analyser and engine text of a faulty simulated house is known to the German table", (t) => {
  const simulated = exampleHouse("de");
  const tz = simulated.site.timezone;
  const runAt = (day: number) => DateTime.fromISO("2026-01-05T06:30", { zone: tz }).plus({ days: day }).toSeconds();
  const start = runAt(0) - simulated.analysis.lookback_h * 3600;
  const sim = new Simulation(simulated, { start, days: (runAt(2) - start) / 86400, seed: 7, sensorFaults: true });
  // What the analyser is told differs from what is wired: a manifold's supply sensor that does not
  // exist (dead), a circuit whose sensor is not in the house file (unknown ROM, no return sensor),
  // and a manifold without a supply sensor at all.
  const ghost = romToCanonical(makeRom(0xdead01));
  const [m0, m1] = simulated.manifolds;
  const unmapped = simulated.circuits.find((c) => c.manifold === m1.id)!;
  const faulty: House = {
    ...simulated,
    manifolds: simulated.manifolds.map((m) => (m === m0 ? { ...m, supply: { ...m.supply!, rom: ghost } } : m === simulated.manifolds[2] ? { ...m, supply: null } : m)),
    circuits: simulated.circuits.map((c) => (c === unmapped ? { ...c, sensor: null } : c)),
  };
  let memory: Memory = emptyMemory();
  let faultyMemory: Memory = emptyMemory();
  const seen = new Set<string>();
  const reports: string[] = [];
  for (let day = 0; day < 3; day++) {
    const at = runAt(day);
    let text = "";
    sim.run(at, (chunk) => (text += chunk));
    for (const [house, which] of [[simulated, "simulated"], [faulty, "faulty"]] as const) {
      const analysis = analyseDay(house, text, at);
      const { result: engine, memory: next } = recommend(house, analysis, which === "faulty" ? faultyMemory : memory, { now: at });
      if (which === "faulty") faultyMemory = next;
      else {
        // The homeowner does as told, so the next mornings see settling manifolds and detections.
        memory = applySelection(house, next, { settings: engine.actions.map((a) => ({ circuit: a.circuit, value: a.to, unit: a.unit })) }, at + 3600).memory;
      }
      const report = composeReport(house, analysis, engine);
      const rendered = layoutTerminal(report) + JSON.stringify(layoutDiscord(report, { username: house.discord.username }));
      reports.push(rendered);
      for (const s of analyserTexts(analysis, engine)) {
        seen.add(s);
        t.true(isKnownText(s), `no German template for: ${s}`);
      }
    }
  }
  // The scenario must really produce the texts it guards, or the guard cannot fail.
  const all = [...seen].join("\n");
  for (const marker of ["rejected", "is dead", "no supply sensor", "not in the house file", "no return sensor", "not enough data"]) t.true(all.includes(marker), `scenario lacks "${marker}"`);
  t.true(seen.size >= 10, `only ${seen.size} texts`);
  // And none of them reaches the German report in English.
  const german = reports.join("\n");
  for (const s of seen) t.false(german.includes(s) && /[a-z]{3}/.test(s), `English in the German report: ${s}`);
});
