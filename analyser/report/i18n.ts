// The report's words in German and English. One table per language with the same keys, so a
// missing translation is a type error, not a blank in the homeowner's message.

export type Language = "de" | "en";

export interface Words {
  title: (site: string, date: string) => string;
  balanced: (worst: string) => string;
  largestDeviation: (worst: string, room: string) => string;
  notJudged: string;
  trendDown: (from: string, cycles: number) => string;
  trendUp: (from: string, cycles: number) => string;
  trendFlat: (cycles: number) => string;
  /** Flat lately after a fall or rise: "unchanged over the last 4 cycles (2.1 K at cycle 1)". */
  trendFlatSince: (cycles: number, from: string, fromCycle: number) => string;
  /** Every node silent: the one line at the top. */
  outageSilent: (count: number, since: string | undefined) => string;
  /** No data at all in the source. */
  outageNoData: (source: { kind: "database" | "file"; name: string }) => string;
  todayOutage: string;
  /** The equal-spread policy's rule, for the footer when targets differ between manifolds. */
  policyEqualSpread: string;
  todayChanges: (n: number, manifolds: number) => string;
  todayNothing: string;
  todayWaiting: (when: string) => string;
  todayNoData: string;
  nothingToDo: string;
  notEnoughData: string;
  waiting: string;
  deferred: string;
  index: string;
  cannotFix: string;
  turnOpen: (turns: string) => string;
  turnClose: (turns: string) => string;
  turnsAbs: (from: string, to: string) => string;
  target: string;
  flow: string;
  circuitCol: string;
  roomCol: string;
  todoCol: string;
  warningsTitle: string;
  sensorOffline: (what: string) => string;
  sensorStuck: (what: string) => string;
  /** Spreads wider than the dead band because these sensors are not calibrated (issue 19). */
  needsCalibration: (what: string) => string;
  littleHeating: (minutes: number, needed: number) => string;
  unknownSensor: (rom: string, node: string, bus: string) => string;
  nodeWriteFailing: (node: string, status: string) => string;
  nodeSilent: (node: string) => string;
  curveTitle: string;
  policyTitle: string;
  policy: string;
  late: (date: string) => string;
  footer: (cycle: number, policy: string, window: string) => string;
  chartDeltaT: string;
  chartTrend: string;
  chartCycle: string;
  chartWorst: string;
  chartTargetLegend: string;
  continued: string;
  lookedApplied: (room: string, evidence: string) => string;
  /** The engine's policy id ("equal-spread", "mixed", …) as the reader says it. */
  policyName: (policy: string) => string;
  /** A node's last write status id ("auth", "db_missing", …) as the reader says it. */
  writeStatus: (status: string) => string;
}

const POLICY_DE: Record<string, string> = {
  "equal-spread": "gleiche Spreizung",
  design: "Auslegung",
  "transit-time": "Laufzeit",
  "room-temperature": "Raumtemperatur",
  mixed: "gemischt",
};

const WRITE_STATUS_DE: Record<string, string> = {
  partial: "nur teilweise angenommen",
  auth: "Anmeldung abgelehnt",
  db_missing: "Datenbank fehlt",
  too_large: "Paket zu groß",
  server: "Serverfehler",
  network: "Netzwerkfehler",
  refused: "abgewiesen, ohne eine Zeile zu nennen",
};

const de: Words = {
  title: (site, date) => `Abgleich ${site} – ${date}`,
  balanced: (worst) => `Abgeglichen: größte Abweichung ${worst}.`,
  largestDeviation: (worst, room) => `Größte Abweichung ${worst} (${room})`,
  notJudged: "Noch kein Urteil möglich",
  needsCalibration: (what) => `Ohne Kalibrierung nicht auflösbar (die Unsicherheit der Spreizung ist größer als das Totband): ${what} kalibrieren – floorbalance calibrate`,
  trendDown: (from, cycles) => `, fallend von ${from} über ${cycles} Zyklen.`,
  trendUp: (from, cycles) => `, steigend von ${from} über ${cycles} Zyklen.`,
  trendFlat: (cycles) => `, unverändert über ${cycles} Zyklen.`,
  trendFlatSince: (cycles, from, fromCycle) => `, unverändert über die letzten ${cycles} Zyklen (${from} in Zyklus ${fromCycle}).`,
  outageSilent: (count, since) => (count === 1 ? `Der Knoten meldet sich nicht${since ? ` seit ${since}` : ""}: keine Messwerte, kein Urteil.` : `Alle ${count} Knoten melden sich nicht${since ? ` seit ${since}` : ""}: keine Messwerte, kein Urteil.`),
  outageNoData: (source) => `Keine Daten ${source.kind === "database" ? `in der Datenbank „${source.name}“` : `in der Datei ${source.name}`} im Zeitfenster: kein Urteil möglich.`,
  todayOutage: "Heute: nichts verstellen. Bitte Stromversorgung, WLAN und InfluxDB der Knoten prüfen.",
  policyEqualSpread: "Ziel ist gleiches ΔT innerhalb jedes Verteilers; zwischen den Verteilern darf es sich mit den Räumen unterscheiden.",
  todayChanges: (n, m) => `Heute: ${n} ${n === 1 ? "Änderung" : "Änderungen"} an ${m} ${m === 1 ? "Verteiler" : "Verteilern"}.`,
  todayNothing: "Heute: nichts zu tun.",
  todayWaiting: (when) => `Heute: nichts verstellen – die letzten Änderungen wirken noch (Urteil ab ${when}).`,
  todayNoData: "Heute: nichts verstellen – zu wenig Daten (siehe Hinweise).",
  nothingToDo: "nichts zu tun",
  notEnoughData: "zu wenig Daten",
  waiting: "wartet auf Wirkung",
  deferred: "später",
  index: "bleibt ganz offen (ungünstigster Kreis)",
  cannotFix: "ganz offen reicht nicht – Heizkurve anheben",
  turnOpen: (t) => `${t} Umdrehung öffnen`,
  turnClose: (t) => `${t} Umdrehung schließen`,
  turnsAbs: (from, to) => `${from} → ${to} Umdr. offen`,
  target: "Ziel",
  flow: "Durchfluss",
  circuitCol: "Kreis",
  roomCol: "Raum",
  todoCol: "Zu tun",
  warningsTitle: "Hinweise zur Datenqualität",
  sensorOffline: (w) => `Fühler ${w} meldet nicht mehr.`,
  sensorStuck: (w) => `Fühler ${w} zeigt immer denselben Wert (hängt?).`,
  littleHeating: (m, n) => `Gestern wurde nur ${m} min geheizt (nötig: ${n} min) – kein belastbares Urteil.`,
  unknownSensor: (rom, node, bus) => `Unbekannter Fühler ${rom} an ${node}/Bus ${bus} – in der Hausdatei zuordnen.`,
  nodeWriteFailing: (node, status) => `Knoten ${node}: Schreiben nach InfluxDB scheitert (${status}).`,
  nodeSilent: (node) => `Knoten ${node} meldet sich nicht.`,
  curveTitle: "Heizkurve",
  policyTitle: "Warum nicht überall gleiches ΔT?",
  policy: "Ziel ist die Wärme, die jeder Raum braucht – nicht gleiches ΔT: Räume mit wenig Bedarf bekommen ein größeres ΔT.",
  late: (date) => `⏰ Verspätet zugestellt – Bericht vom ${date}.`,
  footer: (cycle, policy, window) => `Zyklus ${cycle} · Verfahren ${policy} · Daten ${window}`,
  chartDeltaT: "ΔT je Kreis gegen Ziel (K)",
  chartTrend: "Größte Abweichung je Zyklus (K)",
  chartCycle: "Zyklus",
  chartWorst: "Abweichung (K)",
  chartTargetLegend: "Ziel",
  continued: "Forts.",
  lookedApplied: (room, ev) => `${room}: sieht nach einer nicht eingetragenen Änderung aus (${ev}).`,
  policyName: (p) => POLICY_DE[p] ?? p,
  writeStatus: (s) => WRITE_STATUS_DE[s] ?? s,
};

const en: Words = {
  title: (site, date) => `Balance ${site} – ${date}`,
  balanced: (worst) => `Balanced: largest deviation ${worst}.`,
  largestDeviation: (worst, room) => `Largest deviation ${worst} (${room})`,
  notJudged: "No judgement possible yet",
  needsCalibration: (what) => `Not resolvable without calibration (the spread's uncertainty is wider than the dead band): calibrate ${what} – floorbalance calibrate`,
  trendDown: (from, cycles) => `, down from ${from} over ${cycles} cycles.`,
  trendUp: (from, cycles) => `, up from ${from} over ${cycles} cycles.`,
  trendFlat: (cycles) => `, unchanged over ${cycles} cycles.`,
  trendFlatSince: (cycles, from, fromCycle) => `, unchanged over the last ${cycles} cycles (${from} at cycle ${fromCycle}).`,
  outageSilent: (count, since) => (count === 1 ? `The node is silent${since ? ` since ${since}` : ""}: no readings, no judgement.` : `All ${count} nodes silent${since ? ` since ${since}` : ""}: no readings, no judgement.`),
  outageNoData: (source) => `No data in ${source.kind === "database" ? `database "${source.name}"` : `the file ${source.name}`} for the window: no judgement possible.`,
  todayOutage: "Today: leave the valves alone. Check the nodes' power, Wi-Fi and InfluxDB.",
  policyEqualSpread: "The target is equal ΔT within each manifold; between manifolds it may differ with the rooms they heat.",
  todayChanges: (n, m) => `Today: ${n} ${n === 1 ? "change" : "changes"} on ${m} ${m === 1 ? "manifold" : "manifolds"}.`,
  todayNothing: "Today: nothing to do.",
  todayWaiting: (when) => `Today: leave the valves alone – the last changes are still settling (judged from ${when}).`,
  todayNoData: "Today: leave the valves alone – not enough data (see notes).",
  nothingToDo: "nothing to do",
  notEnoughData: "not enough data",
  waiting: "waiting for the last change to settle",
  deferred: "later",
  index: "stays fully open (most demanding circuit)",
  cannotFix: "fully open is not enough – raise the heating curve",
  turnOpen: (t) => `${t} turn open`,
  turnClose: (t) => `${t} turn closed`,
  turnsAbs: (from, to) => `${from} → ${to} turns open`,
  target: "target",
  flow: "flow",
  circuitCol: "Circuit",
  roomCol: "Room",
  todoCol: "To do",
  warningsTitle: "Data-quality notes",
  sensorOffline: (w) => `Sensor ${w} is not reporting.`,
  sensorStuck: (w) => `Sensor ${w} shows the same value all the time (stuck?).`,
  littleHeating: (m, n) => `The heating ran only ${m} min yesterday (needed: ${n} min) – no reliable judgement.`,
  unknownSensor: (rom, node, bus) => `Unknown sensor ${rom} on ${node}/bus ${bus} – map it in the house file.`,
  nodeWriteFailing: (node, status) => `Node ${node}: writing to InfluxDB fails (${status}).`,
  nodeSilent: (node) => `Node ${node} is silent.`,
  curveTitle: "Heating curve",
  policyTitle: "Why not equal ΔT everywhere?",
  policy: "The target is the heat each room needs, not equal ΔT: rooms with a low demand get a larger ΔT.",
  late: (date) => `⏰ Delivered late – report of ${date}.`,
  footer: (cycle, policy, window) => `Cycle ${cycle} · policy ${policy} · data ${window}`,
  chartDeltaT: "ΔT per circuit against target (K)",
  chartTrend: "Largest deviation per cycle (K)",
  chartCycle: "cycle",
  chartWorst: "deviation (K)",
  chartTargetLegend: "target",
  continued: "cont.",
  lookedApplied: (room, ev) => `${room}: looks like a change nobody recorded (${ev}).`,
  policyName: (p) => p,
  writeStatus: (s) => s,
};

export const WORDS: Readonly<Record<Language, Words>> = Object.freeze({ de, en });

export function words(language: Language): Words {
  return WORDS[language] ?? en;
}

/** Numbers the way the reader writes them: decimal comma in German. */
export function num(value: number, digits: number, language: Language): string {
  const s = value.toFixed(digits);
  return language === "de" ? s.replace(".", ",") : s;
}

const EIGHTHS = ["", "⅛", "¼", "⅜", "½", "⅝", "¾", "⅞"];

/** Turns as a person counts them on a lockshield: whole turns and eighths (¼ ½ ¾ …). */
export function turns(value: number): string {
  const eighths = Math.round(Math.abs(value) * 8);
  const whole = Math.floor(eighths / 8);
  const frac = EIGHTHS[eighths % 8];
  if (whole === 0) return frac || "0";
  return frac ? `${whole} ${frac}` : String(whole);
}

/** Lines about delivery itself (outbox, repeats, refused reports), in the report's language. */
export interface DeliveryWords {
  /** Header of a part that may have reached Discord already (its first post got no answer). */
  repeat: (date: string) => string;
  /** Refused reports moved to the dead-letter folder, named in the next report that goes out. */
  deadLetter: (dates: string[], folder: string) => string;
  /** Terminal header when the run prints a report from the outbox instead of a fresh one. */
  queued: (date: string) => string;
  /** The report of the day already went out; what the terminal shows is that report. */
  alreadySent: (date: string) => string;
  sent: (date: string, late: boolean) => string;
  failed: (date: string, why: string) => string;
  notTried: string;
  nothingNew: (date: string) => string;
  deadLettered: (date: string, why: string, file: string) => string;
  /** `what` is "file: reason". */
  quarantined: (what: string, to: string) => string;
}

const deliveryDe: DeliveryWords = {
  repeat: (date) => `🔁 Wiederholung – dieser Teil des Berichts vom ${date} kam vielleicht schon an.`,
  deadLetter: (dates, folder) => `⚠️ Discord hat ${dates.length === 1 ? `den Bericht vom ${dates[0]}` : `die Berichte vom ${dates.join(", ")}`} abgelehnt; abgelegt in ${folder}.`,
  queued: (date) => `Aus dem Postausgang: der Bericht vom ${date}, so wie er an Discord geht (nicht neu berechnet).`,
  alreadySent: (date) => `Der Bericht vom ${date}, so wie er an Discord ging (nicht neu berechnet).`,
  sent: (date, late) => `Bericht vom ${date} ${late ? "verspätet " : ""}an Discord gesendet.`,
  failed: (date, why) => `Bericht vom ${date} nicht gesendet: ${why}. Er bleibt im Postausgang und geht beim nächsten Lauf raus.`,
  notTried: "nicht versucht: ein früherer Bericht konnte nicht gesendet werden",
  nothingNew: (date) => `Der Bericht vom ${date} wurde schon gesendet; nichts Neues gesendet (--force sendet ihn erneut).`,
  deadLettered: (date, why, file) => `Discord lehnt den Bericht vom ${date} dauerhaft ab (${why}); er liegt jetzt in ${file} und blockiert keine weiteren Berichte.`,
  quarantined: (what, to) => `Postausgang-Eintrag beschädigt: ${what}; verschoben nach ${to}, der Lauf geht weiter.`,
};

const deliveryEn: DeliveryWords = {
  repeat: (date) => `🔁 Repeat – this part of the report of ${date} may have arrived already.`,
  deadLetter: (dates, folder) => `⚠️ Discord refused ${dates.length === 1 ? `the report of ${dates[0]}` : `the reports of ${dates.join(", ")}`}; kept in ${folder}.`,
  queued: (date) => `From the outbox: the report of ${date}, as it goes to Discord (not computed anew).`,
  alreadySent: (date) => `The report of ${date}, as it went to Discord (not computed anew).`,
  sent: (date, late) => `report of ${date} sent to Discord${late ? " (late)" : ""}.`,
  failed: (date, why) => `report of ${date} not sent: ${why}. It stays in the outbox and goes out on the next run.`,
  notTried: "not tried: an earlier report could not be sent",
  nothingNew: (date) => `the report of ${date} was already sent; nothing new sent (--force sends it again).`,
  deadLettered: (date, why, file) => `Discord refuses the report of ${date} for good (${why}); it is now in ${file} and blocks no later report.`,
  quarantined: (what, to) => `damaged outbox entry: ${what}; moved to ${to}, the run goes on.`,
};

export function deliveryWords(language: Language): DeliveryWords {
  return language === "de" ? deliveryDe : deliveryEn;
}

/** A count the way the reader writes it (12.345 in German, 12,345 in English). */
export function count(value: number, language: Language): string {
  return value.toLocaleString(language === "de" ? "de-DE" : "en-GB", { maximumFractionDigits: 0 });
}
