// The curve's words in German and English: the advice with the exact values to enter, the fitted
// curve, the FHEM commands, the short-cycling verdict and the proof lines. Pure.

import type { Language } from "../report/i18n.js";
import type { Advice, AdviceReason } from "./advisor.js";
import { controls, targetAtC, type Controller } from "./controller.js";
import type { DeliveredCurve } from "./fit.js";
import { LAMBDA_POINTS_C } from "./lambda.js";
import { fhemCommands } from "./luxtronik.js";
import type { CycleStats, ShortCycleVerdict } from "./cycling.js";
import type { Figure, Proof } from "./proof.js";

const num = (v: number, lang: Language, digits = 1) => {
  const s = (Math.round(v * 10 ** digits) / 10 ** digits + 0).toFixed(digits);
  return lang === "de" ? s.replace(".", ",") : s;
};
const signed = (v: number, lang: Language) => (v > 0 ? "+" : v < 0 ? "−" : "±") + num(Math.abs(v), lang);
const pointLabel = (x: number, lang: Language) => `${lang === "de" ? "Stützpunkt" : "Support point"} ${x > 0 ? "+" : x < 0 ? "−" : ""}${Math.abs(x)} °C`;

/** One line per setting that changes: "Stützpunkt 0 °C: 39,0 → 37,5 °C". */
export function settingLines(from: Controller, to: Controller, lang: Language): string[] {
  const out: string[] = [];
  const arrow = (a: number, b: number, unit: string) => `${num(a, lang)} → ${num(b, lang)}${unit}`;
  if (from.kind === "lambda" && to.kind === "lambda") {
    const keys = ["at_minus22_c", "at_0_c", "at_plus22_c"] as const;
    keys.forEach((k, i) => {
      if (from.curve[k] !== to.curve[k]) out.push(`${pointLabel(LAMBDA_POINTS_C[i], lang)}: ${arrow(from.curve[k], to.curve[k], " °C")}`);
    });
  } else if (from.kind === "luxtronik" && to.kind === "luxtronik") {
    const e = lang === "de" ? "Endpunkt" : "End point";
    const p = lang === "de" ? "Parallelverschiebung (Fußpunkt)" : "Offset (foot point)";
    if (from.curve.end_point_c !== to.curve.end_point_c) out.push(`${e} (heatingCurveEndPoint): ${arrow(from.curve.end_point_c, to.curve.end_point_c, " °C")}`);
    if (from.curve.offset_c !== to.curve.offset_c) out.push(`${p} (heatingCurveOffset): ${arrow(from.curve.offset_c, to.curve.offset_c, " °C")}`);
  } else if (from.kind === "generic" && to.kind === "generic") {
    if (from.curve.slope !== to.curve.slope) out.push(`${lang === "de" ? "Steilheit" : "Slope"}: ${num(from.curve.slope, lang, 2)} → ${num(to.curve.slope, lang, 2)}`);
    if (from.curve.shift_k !== to.curve.shift_k) out.push(`${lang === "de" ? "Parallelverschiebung" : "Parallel shift"}: ${arrow(from.curve.shift_k, to.curve.shift_k, " K")}`);
  }
  return out;
}

/** The controller's settings in one line. */
export function describeSettings(c: Controller, lang: Language): string {
  switch (c.kind) {
    case "lambda":
      return `${LAMBDA_POINTS_C.map((x, i) => `${pointLabel(x, lang)} ${num([c.curve.at_minus22_c, c.curve.at_0_c, c.curve.at_plus22_c][i], lang)} °C`).join(", ")}${c.curve.offset_k ? `, ${lang === "de" ? "Offset" : "offset"} ${signed(c.curve.offset_k, lang)} K` : ""}`;
    case "luxtronik":
      return `heatingCurveEndPoint ${num(c.curve.end_point_c, lang)} °C, heatingCurveOffset ${num(c.curve.offset_c, lang)} °C`;
    case "generic":
      return `${lang === "de" ? "Steilheit" : "slope"} ${num(c.curve.slope, lang, 2)}, ${lang === "de" ? "Parallelverschiebung" : "parallel shift"} ${signed(c.curve.shift_k, lang)} K`;
  }
}

export function deliveredLines(d: DeliveredCurve, current: Controller, lang: Language): string[] {
  const what = controls(current) === "return" ? (lang === "de" ? "Rücklauf" : "return") : lang === "de" ? "Vorlauf" : "supply";
  const at0 = d.interceptC;
  const set0 = targetAtC(current, 0);
  const lines = [
    lang === "de"
      ? `Gelieferte Heizkurve (${d.n} Stunden, außen ${num(d.outdoorMinC, lang)} … ${num(d.outdoorMaxC, lang)} °C): ${what} bei 0 °C ${num(at0, lang)} °C (eingestellt ${num(set0, lang)} °C), ${num(-d.slopeKperK, lang, 2)} K je K kälter, Streuung ±${num(d.scatterK, lang)} K.`
      : `Delivered curve (${d.n} hours, outdoor ${num(d.outdoorMinC, lang)} … ${num(d.outdoorMaxC, lang)} °C): ${what} at 0 °C ${num(at0, lang)} °C (set ${num(set0, lang)} °C), ${num(-d.slopeKperK, lang, 2)} K per K colder, scatter ±${num(d.scatterK, lang)} K.`,
    (lang === "de" ? "In den Begriffen des Reglers: " : "In the controller's terms: ") + describeSettings(d.inTerms, lang),
  ];
  if (!d.slopeKnown)
    lines.push(lang === "de" ? "Steigung aus den Einstellungen übernommen: die Außentemperaturen lagen zu dicht beieinander." : "Slope taken from the settings: the outdoor temperatures were too close together.");
  return lines;
}

function reasonLine(r: AdviceReason, lang: Language): string {
  const de = lang === "de";
  switch (r.code) {
    case "not-balanced":
      return de ? "Erst abgleichen: die Heizkurve kommt dran, wenn die Räume untereinander stimmen." : "Balance first: the curve comes once the rooms agree with each other.";
    case "no-room-data":
      return de ? "Keine Raumtemperaturen und keine Komfort-Rückmeldungen: Heizkurve beibehalten. Ein Raumthermometer im kühlsten Raum macht eine Empfehlung möglich." : "No room temperatures and no comfort votes: keep the curve. A thermometer in the coolest room makes advice possible.";
    case "settling":
      return de ? `Die letzte Änderung wirkt noch nach; Urteil ab ${r.until}.` : `The last change is still settling; judged from ${r.until}.`;
    case "weekly-limit":
      return de ? `Höchstens eine Änderung pro Woche, damit ihre Wirkung sichtbar wird: nächste frühestens am ${r.next}.` : `At most one change a week so its effect can be seen: the next on ${r.next} at the earliest.`;
    case "after-raise":
      return de ? `Kurz nach einer Anhebung wird nicht wieder gesenkt: frühestens am ${r.next}.` : `No lowering soon after a raise: ${r.next} at the earliest.`;
    case "room-short":
      return de ? `${r.room} ist ${num(-r.deviationK, lang)} K unter dem Ziel: nicht senken.` : `${r.room} is ${num(-r.deviationK, lang)} K short of its target: do not lower.`;
    case "index-short":
      return de ? `Der kühlste Raum (${r.room}) liegt ${num(-r.deviationK, lang)} K unter dem Ziel.` : `The coolest room (${r.room}) is ${num(-r.deviationK, lang)} K short of its target.`;
    case "index-surplus":
      return de ? `Auch der kühlste Raum (${r.room}) liegt ${num(r.deviationK, lang)} K über dem Ziel.` : `Even the coolest room (${r.room}) is ${num(r.deviationK, lang)} K above its target.`;
    case "in-band":
      return de ? `Der kühlste Raum (${r.room}) liegt bei ${signed(r.deviationK, lang)} K: Heizkurve passt, beibehalten.` : `The coolest room (${r.room}) is at ${signed(r.deviationK, lang)} K: the curve is right, keep it.`;
  }
}

/** The day's advice, ready to print: headline, reasons, values to enter, FHEM commands. */
export function adviceLines(a: Advice, current: Controller, lang: Language): string[] {
  const de = lang === "de";
  const out: string[] = [];
  if (a.kind === "lower" || a.kind === "raise") {
    const d = a.deltaAt0K ?? 0;
    out.push(
      a.kind === "lower"
        ? de
          ? `Heizkurve senken (${signed(d, lang)} K bei 0 °C außen):`
          : `Lower the heating curve (${signed(d, lang)} K at 0 °C outdoor):`
        : de
          ? `Heizkurve anheben (${signed(d, lang)} K bei 0 °C außen):`
          : `Raise the heating curve (${signed(d, lang)} K at 0 °C outdoor):`,
    );
    out.push(...settingLines(current, a.next!, lang).map((l) => `  ${l}`));
    if (a.next!.kind === "luxtronik") {
      const dev = current.kind === "luxtronik" && current.fhem_device ? current.fhem_device : "<device>";
      out.push(de ? "  In FHEM (0,1er Schritte):" : "  In FHEM (0.1 steps):");
      out.push(...fhemCommands(dev, a.next!.curve as { end_point_c: number; offset_c: number }).map((l) => `    ${l}`));
    }
    out.push(...a.reasons.map((r) => reasonLine(r, lang)));
  } else {
    out.push(a.kind === "keep" ? (de ? "Heizkurve beibehalten." : "Keep the heating curve.") : de ? "Heizkurve: noch warten." : "Heating curve: wait.");
    out.push(...a.reasons.map((r) => reasonLine(r, lang)));
  }
  if (a.slope === "kept-one-temperature" && (a.kind === "lower" || a.kind === "raise"))
    out.push(de ? "Nur die Parallelverschiebung: für die Steigung fehlen zwei deutlich verschiedene Außentemperaturen (≥ 5 K auseinander)." : "Offset only: the slope needs two clearly different outdoor temperatures (≥ 5 K apart).");
  if (a.slope === "moved") out.push(de ? "Der Fehler wächst mit der Kälte: die Steigung ändert sich mit." : "The error grows with cold: the slope changes too.");
  return out;
}

const causeText: Record<string, { de: string; en: string }> = {
  "flow-below-minimum": { de: "Durchfluss unter dem Mindestdurchfluss der Wärmepumpe", en: "flow below the heat pump's minimum" },
  "overflow-valve": { de: "Überströmventil schließt Vor- und Rücklauf kurz (thermischer Kurzschluss)", en: "overflow valve short-circuits supply to return (thermal short circuit)" },
  "curve-too-high": { de: "Heizkurve für mildes Wetter zu hoch", en: "curve too high for mild weather" },
  unknown: { de: "Ursache unklar", en: "cause unclear" },
};

export function cyclingLines(s: CycleStats, v: ShortCycleVerdict, lang: Language): string[] {
  const de = lang === "de";
  const base = de
    ? `Starts: ${num(s.startsPerDay, lang)} pro Tag (höchstens ${s.maxStartsPerHour} in einer Stunde), Laufzeit im Median ${num(s.medianRunMin, lang, 0)} min, Pause ${num(s.medianPauseMin, lang, 0)} min.`
    : `Starts: ${num(s.startsPerDay, lang)} a day (at most ${s.maxStartsPerHour} in an hour), median run ${num(s.medianRunMin, lang, 0)} min, pause ${num(s.medianPauseMin, lang, 0)} min.`;
  if (!v.shortCycling) return [base];
  return [base, (de ? "Takten! Wahrscheinliche Ursache: " : "Short-cycling! Likely cause: ") + v.causes.map((c) => causeText[c][lang]).join("; ") + "."];
}

export function proofLines(p: Proof, lang: Language): string[] {
  const de = lang === "de";
  const tag = (f: Figure) => (f.measured ? (de ? "gemessen" : "measured") : de ? "geschätzt" : "estimated");
  const out: string[] = [];
  if (p.supplyBeforeC && p.supplyAfterC && p.loweredK)
    out.push(
      de
        ? `Vorlauf bei ${num(p.referenceOutdoorC, lang)} °C außen: vorher ${num(p.supplyBeforeC.value, lang)} °C, jetzt ${num(p.supplyAfterC.value, lang)} °C (${signed(-p.loweredK.value, lang)} K, ${tag(p.loweredK)}).`
        : `Supply at ${num(p.referenceOutdoorC, lang)} °C outdoor: before ${num(p.supplyBeforeC.value, lang)} °C, now ${num(p.supplyAfterC.value, lang)} °C (${signed(-p.loweredK.value, lang)} K, ${tag(p.loweredK)}).`,
    );
  if (p.copGainPct)
    out.push(
      p.copGainPct.measured
        ? de
          ? `COP: vorher ${num(p.copBefore!.value, lang, 2)}, jetzt ${num(p.copAfter!.value, lang, 2)} (${signed(p.copGainPct.value, lang)} %, gemessen).`
          : `COP: before ${num(p.copBefore!.value, lang, 2)}, now ${num(p.copAfter!.value, lang, 2)} (${signed(p.copGainPct.value, lang)} %, measured).`
        : de
          ? `COP-Gewinn etwa ${signed(p.copGainPct.value, lang)} % (geschätzt mit 2,5 % je K; Strom und Wärme werden nicht erfasst).`
          : `COP gain about ${signed(p.copGainPct.value, lang)} % (estimated at 2.5 % per K; power and heat are not logged).`,
    );
  if (p.kwhPerHddBefore && p.kwhPerHddAfter)
    out.push(
      de
        ? `Energie je Heizgradtag: vorher ${num(p.kwhPerHddBefore.value, lang, 2)} kWh, jetzt ${num(p.kwhPerHddAfter.value, lang, 2)} kWh (${tag(p.kwhPerHddAfter)}).`
        : `Energy per heating degree-day: before ${num(p.kwhPerHddBefore.value, lang, 2)} kWh, now ${num(p.kwhPerHddAfter.value, lang, 2)} kWh (${tag(p.kwhPerHddAfter)}).`,
    );
  if (p.startsPerDayBefore && p.startsPerDayAfter)
    out.push(de ? `Starts pro Tag: vorher ${num(p.startsPerDayBefore.value, lang)}, jetzt ${num(p.startsPerDayAfter.value, lang)}.` : `Starts per day: before ${num(p.startsPerDayBefore.value, lang)}, now ${num(p.startsPerDayAfter.value, lang)}.`);
  return out;
}
