// The analyser's and the engine's free texts (warnings, reasons, evidence, notes) in the report's
// language. They are written in English where they are made; a German report translates them
// here, template by template, so the homeowner never reads a mixed-language message. Numbers get
// the decimal comma; ROMs, node ids, circuit ids and room names stay verbatim. A text no template
// knows stays English: information is never lost, and the drift test names it.

import type { AnalysisResult } from "../measurement/result.js";
import type { EngineResult } from "../engine/result.js";
import type { Language } from "./i18n.js";

type Match = RegExpMatchArray;

interface Template {
  pattern: RegExp;
  de: (m: Match, inner: Inner) => string;
}

/** "6.12" → "6,12": only numbers, never ids (a ROM like 28-0316a2794aff has no dot). */
const dec = (s: string): string => s.replace(/(\d)\.(\d)/g, "$1,$2");

const NUM = String.raw`(-?\d+(?:\.\d+)?)`;

/** Anchored: a template matches the whole text, never a part of it. */
const re = (source: string): RegExp => new RegExp(`^${source}$`);

const REJECTION_DE: Record<string, string> = {
  crc: "CRC-Fehler",
  power_on: "85-°C-Einschaltwert",
  disconnected: "getrennt (−127 °C)",
  range: "außerhalb des Bereichs",
  jump: "Sprung",
};

/** "crc 3, power_on 2" → "CRC-Fehler 3, 85-°C-Einschaltwert 2". */
function rejectionParts(parts: string): string {
  return parts
    .split(", ")
    .map((p) => {
      const [reason, count] = p.split(" ");
      return REJECTION_DE[reason] !== undefined && count !== undefined ? `${REJECTION_DE[reason]} ${count}` : p;
    })
    .join(", ");
}

/** "2026-11-23 06:30" (the engine's site-local time) → "23.11.2026 06:30". */
function localDe(s: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}:\d{2})/.exec(s);
  return m ? `${m[3]}.${m[2]}.${m[1]} ${m[4]}` : s;
}

/** A nested text (a reason inside a reason): translated if known (as a sentence), else kept. */
type Inner = (s: string) => string;

/** Thrown by the strict inner translation: a known frame around an unknown text. */
class UnknownText extends Error {}

const TEMPLATES: Template[] = [
  // ---- analyser/analyse.ts: manifold-wide ----
  { pattern: re("manifold (.+) has no supply sensor in the house file"), de: (m) => `Verteiler ${m[1]} hat keinen Vorlauffühler in der Hausdatei` },
  { pattern: re("the supply sensor (\\S+) of manifold (.+) is stuck at one value"), de: (m) => `der Vorlauffühler ${m[1]} von Verteiler ${m[2]} hängt auf einem Wert` },
  {
    pattern: re(`the supply sensor (\\S+) of manifold (.+) is dead \\(${NUM} % of the window reported\\)`),
    de: (m) => `der Vorlauffühler ${m[1]} von Verteiler ${m[2]} ist ausgefallen (nur ${dec(m[3])} % des Zeitraums gemeldet)`,
  },
  { pattern: re("(.+): the whole manifold is left out"), de: (m, inner) => `${inner(m[1])}: der ganze Verteiler bleibt unbewertet` },
  { pattern: re("no usable return temperatures on manifold (.+)"), de: (m) => `keine brauchbaren Rücklauftemperaturen an Verteiler ${m[1]}` },
  {
    pattern: re("the manifold return sensor (\\S+) has too little good data: no mixing estimate of the flows"),
    de: (m) => `der Rücklauffühler ${m[1]} des Verteilers hat zu wenig gute Daten: keine Mischungsschätzung der Durchflüsse`,
  },
  {
    pattern: re("not every circuit return has good data: no mixing estimate of the flows on this manifold"),
    de: () => "nicht jeder Kreisrücklauf hat gute Daten: keine Mischungsschätzung der Durchflüsse an diesem Verteiler",
  },
  { pattern: re("no circuit has enough data"), de: () => "kein Kreis hat genug Daten" },
  // ---- analyser/analyse.ts: per circuit ----
  { pattern: re("the circuit has no return sensor in the house file"), de: () => "der Kreis hat keinen Rücklauffühler in der Hausdatei" },
  { pattern: re("its return sensor (\\S+) is stuck at one value"), de: (m) => `sein Rücklauffühler ${m[1]} hängt auf einem Wert` },
  { pattern: re(`its return sensor (\\S+) reported only ${NUM} % of the window`), de: (m) => `sein Rücklauffühler ${m[1]} hat nur ${dec(m[2])} % des Zeitraums gemeldet` },
  {
    pattern: re(`only ${NUM} heating-active minutes with a settled return \\(needs ${NUM}\\)`),
    de: (m) => `nur ${dec(m[1])} Heizminuten mit eingeschwungenem Rücklauf (nötig: ${dec(m[2])})`,
  },
  {
    pattern: re("the heat pump never ran steadily long enough: the spread comes from the second half of its runs and is less certain"),
    de: () => "die Wärmepumpe lief nie lange genug gleichmäßig: die Spreizung stammt aus der zweiten Hälfte ihrer Läufe und ist unsicherer",
  },
  {
    pattern: re(`mixing says ${NUM} l/min, transit time ${NUM} l/min`),
    de: (m) => `Mischung ergibt ${dec(m[1])} l/min, Laufzeit ${dec(m[2])} l/min`,
  },
  { pattern: re("the two flow estimates disagree: (.+)"), de: (m, inner) => `die beiden Durchflussschätzungen widersprechen sich: ${inner(m[1])}` },
  { pattern: re("its return sensor (\\S+) is not reporting now"), de: (m) => `sein Rücklauffühler ${m[1]} meldet derzeit nicht` },
  { pattern: re(`its return sensor (\\S+) glitches in ${NUM} % of minutes`), de: (m) => `sein Rücklauffühler ${m[1]} liefert in ${dec(m[2])} % der Minuten Ausreißer` },
  // ---- analyser/analyse.ts: house-wide ----
  {
    pattern: re("sensor (\\S+) on node (.+) bus (.+) is not in the house file \\(map it with floorbalance identify\\)"),
    de: (m) => `Fühler ${m[1]} an Knoten ${m[2]}, Bus ${m[3]} steht nicht in der Hausdatei (mit floorbalance identify zuordnen)`,
  },
  { pattern: re("node (.+) rejected (\\d+) readings \\((.+)\\)"), de: (m) => `Knoten ${m[1]} hat ${m[2]} Messwerte verworfen (${rejectionParts(m[3])})` },
  { pattern: re("node (.+) has not reported since (\\S+)"), de: (m) => `Knoten ${m[1]} meldet sich seit ${localDe(m[2])} nicht` },
  { pattern: re("no heating-active minutes in the window: nothing can be judged"), de: () => "keine Heizminuten im Zeitraum: nichts zu beurteilen" },
  // ---- analyser/engine/state.ts ----
  { pattern: re("not enough data: (.+)"), de: (m, inner) => `zu wenig Daten: ${inner(m[1])}` },
  { pattern: re("the analysis has no entry for this circuit"), de: () => "die Analyse enthält diesen Kreis nicht" },
  { pattern: re("the analyser could not judge it"), de: () => "die Analyse konnte ihn nicht beurteilen" },
  { pattern: re("no spread measured"), de: () => "keine Spreizung gemessen" },
  { pattern: re("no manifold supply temperature"), de: () => "keine Vorlauftemperatur am Verteiler" },
  { pattern: re("no flow estimate for a circuit without a flow meter"), de: () => "keine Durchflussschätzung für einen Kreis ohne Durchflussmesser" },
  {
    pattern: re(`spread ${NUM} K at supply ${NUM} °C is not a physical heating state \\(return at or below the room\\)`),
    de: (m) => `Spreizung ${dec(m[1])} K bei Vorlauf ${dec(m[2])} °C ist kein physikalischer Heizzustand (Rücklauf bei oder unter Raumtemperatur)`,
  },
  // ---- analyser/engine/recommend.ts ----
  {
    pattern: re(`spread ${NUM} K is zero within the sensors' accuracy: the circuit carries almost no heat for its flow, judged at ${NUM} K`),
    de: (m) => `Spreizung ${dec(m[1])} K ist im Rahmen der Fühlergenauigkeit null: der Kreis trägt für seinen Durchfluss fast keine Wärme, beurteilt mit ${dec(m[2])} K`,
  },
  {
    pattern: re("a change on this manifold is settling; next judgement after (.+)"),
    de: (m) => `eine Änderung an diesem Verteiler wirkt noch; nächstes Urteil nach ${localDe(m[1])}`,
  },
  {
    pattern: re("fewer than two judged circuits on this manifold to compare with"),
    de: () => "weniger als zwei beurteilte Kreise an diesem Verteiler zum Vergleich",
  },
  {
    pattern: re(`throttling kept small so the total flow stays at or above the heat pump's minimum ${NUM} l/min`),
    de: (m) => `Drosselung klein gehalten, damit der Gesamtdurchfluss nicht unter das Minimum der Wärmepumpe von ${dec(m[1])} l/min fällt`,
  },
  { pattern: re("flow cannot fix this room"), de: () => "mehr Durchfluss hilft diesem Raum nicht" },
  {
    pattern: re("most demanding circuit: stays fully open, the others are throttled relative to it"),
    de: () => "ungünstigster Kreis: bleibt ganz offen, die anderen werden relativ zu ihm gedrosselt",
  },
  {
    pattern: re("would reverse the last change for a small error: held \\(hysteresis against oscillation\\)"),
    de: () => "würde die letzte Änderung für einen kleinen Fehler umkehren: zurückgehalten (Hysterese gegen Pendeln)",
  },
  {
    pattern: re("within the dead band last time and only a little out now: confirmed at the next judgement before any change"),
    de: () => "letztes Mal im Totband und jetzt nur wenig außerhalb: vor einer Änderung beim nächsten Urteil bestätigen",
  },
  { pattern: re("within the dead band"), de: () => "im Totband" },
  {
    pattern: re(`within the measurement's uncertainty \\(±${NUM} K\\): no change until the data are clearer`),
    de: (m) => `innerhalb der Messunsicherheit (±${dec(m[1])} K): keine Änderung, bis die Daten klarer sind`,
  },
  {
    pattern: re(`the valve is at the end of its range \\(${NUM} (l/min|turns)\\); the spread error stays`),
    de: (m) => `das Ventil ist am Ende seines Bereichs (${dec(m[1])} ${m[2] === "turns" ? "Umdr." : m[2]}); die Abweichung der Spreizung bleibt`,
  },
  {
    pattern: re(`the lockshield is open as far as it matters \\(${NUM} turns\\): opening it fully adds under 5 % flow, the pipe takes the head; the spread error stays`),
    de: (m) => `die Rücklaufverschraubung ist so weit offen, wie es etwas bringt (${dec(m[1])} Umdr.): ganz öffnen brächte unter 5 % mehr Durchfluss, das Rohr nimmt den Differenzdruck; die Abweichung der Spreizung bleibt`,
  },
  { pattern: re("the change would be below what the valve can be set to"), de: () => "die Änderung wäre kleiner als das, was sich am Ventil einstellen lässt" },
  {
    pattern: re("less flow would take the house below the heat pump's minimum flow: held"),
    de: () => "weniger Durchfluss brächte das Haus unter den Mindestdurchfluss der Wärmepumpe: zurückgehalten",
  },
  {
    pattern: re("(.+); deferred: at most (\\d+) changes per cabinet a day, the most effective first"),
    de: (m, inner) => `${inner(m[1])}; verschoben: höchstens ${m[2]} Änderungen je Verteilerschrank und Tag, die wirksamsten zuerst`,
  },
  {
    pattern: re("too few flow estimates to fit the manifold's head; lockshield flows are the hydraulic model's at half the pump's set head \\(their shares hold, their scale is rough\\)"),
    de: () => "zu wenige Durchflussschätzungen, um den Differenzdruck des Verteilers anzupassen; die Durchflüsse der Rücklaufverschraubungen stammen aus dem hydraulischen Modell bei halber Förderhöhe der Pumpe (ihre Anteile stimmen, ihr Maßstab ist grob)",
  },
  {
    pattern: re(`under-supplied as a whole \\(mean spread ${NUM} K against ${NUM} K on the other manifolds\\): its circuits are raised together(; its valves cannot give all of it: throttle the other manifolds' circuits or raise the pump's head)?`),
    de: (m) =>
      `als Ganzes unterversorgt (mittlere Spreizung ${dec(m[1])} K gegenüber ${dec(m[2])} K an den anderen Verteilern): seine Kreise werden gemeinsam angehoben` +
      (m[3] ? "; seine Ventile geben nicht alles her: die Kreise der anderen Verteiler drosseln oder die Förderhöhe der Pumpe erhöhen" : ""),
  },
  {
    pattern: re("(.+): flow cannot fix it; raise the heating curve a little instead \\(about 1 K\\), then judge again"),
    de: (m) => `${m[1]}: mehr Durchfluss hilft nicht; stattdessen die Heizkurve etwas anheben (etwa 1 K), dann neu beurteilen`,
  },
  {
    pattern: re(`most demanding circuit \\(spread ${NUM} K, target ${NUM} K\\): open fully`),
    de: (m) => `ungünstigster Kreis (Spreizung ${dec(m[1])} K, Ziel ${dec(m[2])} K): ganz öffnen`,
  },
  {
    pattern: re("throttled relative to the index circuit \\((.+)\\), which is already fully open"),
    de: (m) => `relativ zum ungünstigsten Kreis (${m[1]}) gedrosselt, der schon ganz offen ist`,
  },
  {
    pattern: re(`spread ${NUM} K, target ${NUM} K: (more|less) flow`),
    de: (m) => `Spreizung ${dec(m[1])} K, Ziel ${dec(m[2])} K: ${m[3] === "more" ? "mehr" : "weniger"} Durchfluss`,
  },
  // ---- the engine's uncertainty guard (issue 19; analyser/calibration/uncertainty.ts gives the data) ----
  {
    pattern: re("not resolvable without calibration: calibrate (.+)"),
    de: (m) => `ohne Kalibrierung nicht auflösbar: ${m[1]} kalibrieren`,
  },
  // ---- analyser/engine/detect.ts ----
  {
    pattern: re(`spread ${NUM} K → ${NUM} K since the recommendation \\(predicted ${NUM} K\\)`),
    de: (m) => `Spreizung ${dec(m[1])} K → ${dec(m[2])} K seit der Empfehlung (vorhergesagt ${dec(m[3])} K)`,
  },
  // ---- analyser/engine/targets.ts ----
  {
    pattern: re(`the room needs ${NUM} % of what its floor can give at supply ${NUM} °C: more flow barely helps, raise the heating curve`),
    de: (m) => `der Raum braucht ${dec(m[1])} % dessen, was sein Boden bei Vorlauf ${dec(m[2])} °C abgeben kann: mehr Durchfluss hilft kaum, Heizkurve anheben`,
  },
  {
    pattern: re("room-temperature policy needs the outdoor temperature; used equal-spread today"),
    de: () => "das Verfahren Raumtemperatur braucht die Außentemperatur; heute gleiche Spreizung verwendet",
  },
  {
    pattern: re("room-temperature policy needs a room temperature for (.+); used equal-spread today"),
    de: (m) => `das Verfahren Raumtemperatur braucht eine Raumtemperatur für ${m[1]}; heute gleiche Spreizung verwendet`,
  },
  {
    pattern: re("design policy needs design_load_w_m2 on every circuit of the manifold; used equal-spread today"),
    de: () => "das Verfahren Auslegung braucht design_load_w_m2 an jedem Kreis des Verteilers; heute gleiche Spreizung verwendet",
  },
];

/** How many templates the table knows (the tests check each has a sample). */
export const TEMPLATE_COUNT = TEMPLATES.length;

/** Which template matches the whole text (no prefix handling): its index, or -1. */
export function templateIndex(text: string): number {
  return TEMPLATES.findIndex((t) => t.pattern.test(text));
}

/**
 * The German text, or undefined when no template knows it. A prefix the report or the analyser
 * puts in front ("Obergeschoss: …", "Bad (og-3): …") is kept verbatim and the rest translated.
 */
function translateDe(text: string, strict = false): string | undefined {
  const inner: Inner = (s) => {
    const de = translateDe(s, strict);
    if (de === undefined && strict) throw new UnknownText(s);
    return de === undefined ? s : sentence(de);
  };
  for (const t of TEMPLATES) {
    const m = text.match(t.pattern);
    if (m) return t.de(m, inner);
  }
  for (let i = text.indexOf(": "); i >= 0; i = text.indexOf(": ", i + 1)) {
    const rest = translateDe(text.slice(i + 2), strict);
    if (rest !== undefined) return `${text.slice(0, i)}: ${sentence(rest)}`;
  }
  return undefined;
}

/** A German sentence starts with a capital ("Der Vorlauffühler …"); ids and numbers stay as they are. */
function sentence(s: string): string {
  return /^\p{Ll}/u.test(s) ? s[0].toUpperCase() + s.slice(1) : s;
}

/** Whether templates know this text completely (nested reasons too; a "name: " prefix is kept). */
export function isKnownText(text: string): boolean {
  try {
    return translateDe(text, true) !== undefined;
  } catch (e) {
    if (e instanceof UnknownText) return false;
    throw e;
  }
}

/** The text in the report's language; unknown texts come back unchanged. */
export function translateText(text: string, language: Language): string {
  if (language !== "de") return text;
  const de = translateDe(text);
  return de === undefined ? text : sentence(de);
}

/** Every free text the analyser and the engine hand to the report, each exactly once. */
export function analyserTexts(analysis: AnalysisResult, engine: EngineResult): string[] {
  const out: string[] = [...analysis.warnings];
  for (const m of analysis.manifolds) {
    if (m.reason) out.push(m.reason);
    out.push(...m.warnings);
    for (const c of m.circuits) {
      if (c.reason) out.push(c.reason);
      if (c.flow.disagreement) out.push(c.flow.disagreement);
      out.push(...c.warnings);
    }
  }
  out.push(...engine.warnings);
  for (const v of engine.verdicts) out.push(v.reason);
  for (const a of engine.actions) out.push(a.reason);
  for (const l of engine.looks_applied) out.push(l.evidence);
  if (engine.heating_curve) out.push(engine.heating_curve.note);
  return [...new Set(out.filter((s) => s !== ""))];
}

/**
 * The analysis and the engine result with their free texts in the report's language: the one
 * place where those texts enter the report. English comes back as it is (the same objects).
 */
export function localiseTexts(analysis: AnalysisResult, engine: EngineResult, language: Language): { analysis: AnalysisResult; engine: EngineResult } {
  if (language !== "de") return { analysis, engine };
  const t = (s: string) => translateText(s, language);
  const opt = (s: string | undefined) => (s === undefined ? s : t(s));
  return {
    analysis: {
      ...analysis,
      warnings: analysis.warnings.map(t),
      manifolds: analysis.manifolds.map((m) => ({
        ...m,
        reason: opt(m.reason),
        warnings: m.warnings.map(t),
        circuits: m.circuits.map((c) => ({
          ...c,
          reason: opt(c.reason),
          warnings: c.warnings.map(t),
          flow: c.flow.disagreement === undefined ? c.flow : { ...c.flow, disagreement: t(c.flow.disagreement) },
        })),
      })),
    },
    engine: {
      ...engine,
      warnings: engine.warnings.map(t),
      verdicts: engine.verdicts.map((v) => ({ ...v, reason: t(v.reason), ...(v.action ? { action: { ...v.action, reason: t(v.action.reason) } } : {}) })),
      actions: engine.actions.map((a) => ({ ...a, reason: t(a.reason) })),
      looks_applied: engine.looks_applied.map((l) => ({ ...l, evidence: t(l.evidence) })),
      ...(engine.heating_curve ? { heating_curve: { ...engine.heating_curve, note: t(engine.heating_curve.note) } } : {}),
    },
  };
}
