// Texts for people, in the house's language (German or English). Pure: data in, lines out.

import type { House } from "../shared/house/index.js";
import { describeMapping, formatAge, type Inventory, type SensorEntry } from "./inventory.js";
import type { Evidence, Finding, VerifyResult } from "./verify.js";

export type Lang = "de" | "en";
const T = (lang: Lang, en: string, de: string) => (lang === "de" ? de : en);
const f1 = (x: number) => x.toFixed(1);

const HEALTH: Record<string, [string, string]> = {
  offline: ["OFFLINE", "OFFLINE"],
  stuck: ["STUCK", "HÄNGT"],
  glitchy: ["GLITCHY", "STÖRT"],
  rejected: ["REJECTED", "VERWORFEN"],
  elsewhere: ["ELSEWHERE", "ANDERSWO"],
};

export function renderInventory(house: House, inv: Inventory, lang: Lang): string {
  const out: string[] = [];
  const mapped = inv.groups.flatMap((g) => g.sensors).filter((s) => s.mapping).length;
  const total = inv.groups.reduce((n, g) => n + g.sensors.length, 0);
  out.push(T(lang, `${total} sensors seen, ${mapped} mapped, ${total - mapped} unmapped, ${inv.missing.length} expected but not seen`, `${total} Fühler gesehen, ${mapped} zugeordnet, ${total - mapped} nicht zugeordnet, ${inv.missing.length} erwartet, aber nicht gesehen`));
  for (const g of inv.groups) {
    const known = house.nodes.find((n) => n.id === g.node);
    const pin = known?.buses.find((b) => b.id === g.bus)?.pin;
    const rej = inv.rejectedByNode.get(g.node);
    const rejText = rej && Object.values(rej).some((v) => v > 0) ? `; ${T(lang, "rejected reads on the node", "verworfene Messungen am Knoten")}: ${Object.entries(rej).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(", ")}` : "";
    out.push("");
    out.push(`${T(lang, "node", "Knoten")} ${g.node} ${T(lang, "bus", "Bus")} ${g.bus}${pin !== undefined ? ` (GPIO ${pin})` : ""}${known ? "" : T(lang, " — not in the house file", " — nicht in der Hausdatei")}${rejText}`);
    if (!g.sensors.length) out.push(`  ${T(lang, "(no sensor seen)", "(kein Fühler gesehen)")}`);
    for (const s of g.sensors) out.push("  " + sensorLine(s, lang));
  }
  if (inv.missing.length) {
    out.push("");
    out.push(T(lang, "Expected by the house file but not seen:", "Laut Hausdatei erwartet, aber nicht gesehen:"));
    for (const m of inv.missing) out.push(`  ${m.rom}  ${describeMapping(m, lang)}  (${T(lang, "node", "Knoten")} ${m.node} ${T(lang, "bus", "Bus")} ${m.bus})`);
  }
  return out.join("\n") + "\n";
}

/** Decimal comma in German for every decimal number in a text (ROMs and ids have no "d.d"). */
export function localNumbers(text: string, lang: Lang): string {
  return lang === "de" ? text.replace(/(\d)\.(\d)/g, "$1,$2") : text;
}

// The inventory's health reasons are written in English where they are judged; German readers
// get them translated here, template by template (an unknown one stays as it is).
const WHY_DE: [RegExp, (...m: string[]) => string][] = [
  [/^no reading in the window$/, () => "kein Messwert im Zeitfenster"],
  [/^last reading (.+) ago$/, (a) => `letzter Messwert vor ${a}`],
  [/^the same (.+) °C for (.+)$/, (c, a) => `immer ${c} °C seit ${a}`],
  [/^(\d+) spikes? over (.+) K in (\d+) reads$/, (n, k, r) => `${n} ${n === "1" ? "Ausreißer" : "Ausreißer"} über ${k} K in ${r} Messungen`],
  [/^(\d+) reads? rejected$/, (n) => `${n} ${n === "1" ? "Messung" : "Messungen"} verworfen`],
  [/^house file places it on node (\S+) bus (\S+)$/, (n, b) => `laut Hausdatei an Knoten ${n} Bus ${b}`],
];

function whyText(why: string, lang: Lang): string {
  if (lang === "de") {
    for (const [re, to] of WHY_DE) {
      const m = re.exec(why);
      if (m) return localNumbers(to(...m.slice(1)), lang);
    }
  }
  return localNumbers(why, lang);
}

function sensorLine(s: SensorEntry, lang: Lang): string {
  const value = s.last_c === null ? "   —    " : `${localNumbers(s.last_c.toFixed(2), lang).padStart(6)} °C`;
  const age = s.age_s === null ? "" : ` ${T(lang, "age", "Alter")} ${localNumbers(formatAge(s.age_s), lang)}`;
  const where = s.mapping ? describeMapping(s.mapping, lang) : T(lang, "UNMAPPED", "NICHT ZUGEORDNET");
  const health = s.health.length ? "  " + s.health.map((h) => `${HEALTH[h.kind][lang === "de" ? 1 : 0]} (${whyText(h.why, lang)})`).join(", ") : "  ok";
  return `${s.rom}  ${where.padEnd(28)} ${value}${age}${health}`;
}

export function renderVerify(house: House, result: VerifyResult, lang: Lang): string {
  const out: string[] = [];
  out.push(T(lang, `Checked against ${result.starts.length} heating start${result.starts.length === 1 ? "" : "s"}.`, `Geprüft an ${result.starts.length} Heizstart${result.starts.length === 1 ? "" : "s"}.`));
  if (!result.findings.length) out.push(T(lang, "No likely mapping mistake found.", "Kein wahrscheinlicher Zuordnungsfehler gefunden."));
  else out.push(T(lang, `${result.findings.length} likely mistake${result.findings.length === 1 ? "" : "s"}:`, `${result.findings.length} wahrscheinliche${result.findings.length === 1 ? "r" : ""} Fehler:`));
  for (const f of result.findings) {
    out.push("");
    out.push(`* ${title(f, lang)}`);
    for (const e of f.evidence) out.push(`    ${evidence(e, lang)}`);
    out.push(`    ${T(lang, "fix", "Abhilfe")}: ${fix(f, lang)}`);
  }
  for (const n of result.notes) out.push(`${T(lang, "note", "Hinweis")}: ${n}`);
  return out.join("\n") + "\n";
}

function title(f: Finding, lang: Lang): string {
  switch (f.kind) {
    case "supply-return-swapped":
      return T(lang, `manifold ${f.manifold}: supply and return sensors swapped`, `Verteiler ${f.manifold}: Vorlauf- und Rücklauffühler vertauscht`);
    case "order":
      return T(lang, `manifold ${f.manifold}: sensors warm in the wrong order`, `Verteiler ${f.manifold}: Fühler erwärmen sich in falscher Reihenfolge`);
    case "crossed":
      return T(lang, `circuit ${f.circuits.join(", ") || f.roms.join(", ")} (manifold ${f.manifold}) sits on manifold ${f.other ?? "?"}`, `Kreis ${f.circuits.join(", ") || f.roms.join(", ")} (Verteiler ${f.manifold}) sitzt am Verteiler ${f.other ?? "?"}`);
    case "transit-swap":
      return T(lang, `circuits ${f.circuits.join(" and ")} (manifold ${f.manifold}): sensors probably swapped`, `Kreise ${f.circuits.join(" und ")} (Verteiler ${f.manifold}): Fühler wahrscheinlich vertauscht`);
    case "transit-misfit":
      return T(lang, `circuit ${f.circuits[0]}: transit time does not fit its length and flow setting`, `Kreis ${f.circuits[0]}: Laufzeit passt nicht zu Länge und Durchflusseinstellung`);
  }
}

function evidence(e: Evidence, lang: Lang): string {
  switch (e.kind) {
    case "colder-supply":
      return T(lang, `while heating the supply sensor read ${f1(e.supplyC)} °C, the return ${f1(e.returnC)} °C (colder supply in ${e.starts} of ${e.of} starts)`, `beim Heizen zeigte der Vorlauffühler ${f1(e.supplyC)} °C, der Rücklauf ${f1(e.returnC)} °C (Vorlauf kälter in ${e.starts} von ${e.of} Starts)`);
    case "late-supply":
      return T(lang, `the supply sensor ${e.rom} warmed ${f1(e.minutes)} min after ${e.behind === "return" ? "the manifold return" : `circuit ${e.behind}`} (${e.starts} of ${e.of} starts)`, `der Vorlauffühler ${e.rom} erwärmte sich ${f1(e.minutes)} min nach ${e.behind === "return" ? "dem Verteiler-Rücklauf" : `Kreis ${e.behind}`} (${e.starts} von ${e.of} Starts)`);
    case "early-return":
      return T(lang, `the manifold return warmed ${f1(e.minutes)} min before the first circuit return (${e.firstCircuit}) in ${e.starts} of ${e.of} starts; it is a mix of them and cannot lead`, `der Verteiler-Rücklauf erwärmte sich ${f1(e.minutes)} min vor dem ersten Kreis-Rücklauf (${e.firstCircuit}) in ${e.starts} von ${e.of} Starts; als Mischung kann er nicht vorauslaufen`);
    case "wired-elsewhere":
      return T(lang, `its ROM ${e.rom} reports from node ${e.node} bus ${e.bus}, the house file expects node ${e.expectedNode}`, `sein ROM ${e.rom} meldet sich von Knoten ${e.node} Bus ${e.bus}, die Hausdatei erwartet Knoten ${e.expectedNode}`);
    case "follows-supply":
      return T(lang, `its return follows the other manifold's supply with ${e.otherRmsK.toFixed(2)} K residual, its own with ${e.ownRmsK.toFixed(2)} K`, `sein Rücklauf folgt dem Vorlauf des anderen Verteilers mit ${e.otherRmsK.toFixed(2)} K Rest, dem eigenen mit ${e.ownRmsK.toFixed(2)} K`);
    case "transit": {
      const base = T(lang, `${e.circuit}: transit ${f1(e.measuredMin)} min measured, ${f1(e.expectedMin)} min expected from length and setting`, `${e.circuit}: Laufzeit ${f1(e.measuredMin)} min gemessen, ${f1(e.expectedMin)} min erwartet aus Länge und Einstellung`);
      if (e.swappedFitMin === undefined) return base;
      return base + T(lang, `; as mapped the pair is off by ${f1(e.currentFitMin!)} min, swapped by ${f1(e.swappedFitMin)} min`, `; wie zugeordnet liegt das Paar ${f1(e.currentFitMin!)} min daneben, vertauscht ${f1(e.swappedFitMin)} min`);
    }
  }
}

function fix(f: Finding, lang: Lang): string {
  switch (f.kind) {
    case "supply-return-swapped":
      return T(lang, `exchange the ROMs of ${f.manifold}'s supply and return in the house file: floorbalance identify --assign ${f.roms[0]}=${f.manifold}:return --assign ${f.roms[1]}=${f.manifold}:supply`, `ROMs von Vor- und Rücklauf ${f.manifold} in der Hausdatei tauschen: floorbalance identify --assign ${f.roms[0]}=${f.manifold}:return --assign ${f.roms[1]}=${f.manifold}:supply`);
    case "transit-swap":
      return T(lang, `exchange the two ROMs: floorbalance identify --assign ${f.roms[0]}=${f.circuits[1]} --assign ${f.roms[1]}=${f.circuits[0]} (or check by touch)`, `die beiden ROMs tauschen: floorbalance identify --assign ${f.roms[0]}=${f.circuits[1]} --assign ${f.roms[1]}=${f.circuits[0]} (oder per Handtest prüfen)`);
    case "crossed":
      return T(lang, `check by touch which pipe ${f.roms[0]} is clamped to (floorbalance identify --node …) and correct the house file`, `per Handtest prüfen, an welchem Rohr ${f.roms[0]} sitzt (floorbalance identify --node …), und die Hausdatei korrigieren`);
    default:
      return T(lang, `check the sensors by touch (floorbalance identify) and the flow-meter reading`, `Fühler per Handtest prüfen (floorbalance identify) und die Durchflussanzeige ablesen`);
  }
}
