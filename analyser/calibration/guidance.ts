// What `floorbalance calibrate` tells the person, in German and English: every step says what to
// do next and how long it takes. One table per language with the same keys, so a missing
// translation is a type error.

import type { Language } from "../report/i18n.js";

export interface Guidance {
  bundleIntro: (node: string, n: number) => string[];
  bundleNoData: (node: string) => string;
  bundleSettling: string;
  bundleCooling: (covered: string, target: string, minutes: number) => string;
  bundleStalled: (covered: string) => string;
  bundleDone: (minutes: number) => string;
  bundleAfter: string;
  inPlaceIntro: (manifold: string) => string[];
  inPlaceStandby: (minutes: number) => string;
  inPlaceNoStop: string;
  inPlaceStopFound: (time: string) => string;
  inPlaceWaiting: (stoppedMin: number, rom: string, remaining: string, minutes: number) => string;
  inPlaceConverged: (stoppedMin: number) => string;
  inPlaceTimeUp: (stoppedMin: number) => string;
  inPlaceSwitchBack: string;
  inPlaceLimits: string;
  harvestFound: (windows: number, sensors: number) => string;
  harvestNone: string;
  table: { rom: string; offset: string; gain: string; residual: string; sd: string; verdict: string };
  verdict: { ok: string; noisy: string; "far-off": string; gain: string };
  written: (file: string, n: number) => string;
  mirrored: (n: number) => string;
  mirrorFailed: (why: string) => string;
  notWritten: string;
}

const de: Guidance = {
  bundleIntro: (node, n) => [
    `Bündel-Kalibrierung für Knoten ${node} (${n} Fühler), bevor die Fühler montiert werden. Ihre Zeit: etwa 75–90 Minuten, davon 10 Minuten Arbeit.`,
    "1. (5 min) Knoten eingeschaltet und im WLAN lassen. Alle Fühler dieses Knotens zusammen in einen Topf mit 45–55 °C warmem Leitungswasser legen (Deckel drauf, Topf in ein Handtuch wickeln). Ohne Topf: die Fühler mit Klebeband zu einem Bündel wickeln und in ein Handtuch einschlagen.",
    "2. (60–75 min) Nichts anfassen. Das Wasser soll um mindestens 10 K abkühlen; dieses Programm wartet, bis das Bündel ruhig ist, und sagt, wann es reicht.",
    "3. (5 min) Ergebnis prüfen, Fühler wieder montieren. Ein Fühler mit „ersetzen“ sollte getauscht werden.",
  ],
  bundleNoData: (node) => `Noch keine Messwerte von Knoten ${node} im Zeitraum. Ist der Knoten eingeschaltet und verbunden? In einer Minute erneut versuchen.`,
  bundleSettling: "Das Bündel ist noch nicht ruhig (die Fühler gleichen sich ans Wasser an). Weiter warten, etwa 5–10 Minuten.",
  bundleCooling: (covered, target, minutes) => `Das Wasser kühlt ab: ${covered} von ${target} K erreicht. Noch etwa ${minutes} Minuten warten, nichts anfassen.`,
  bundleStalled: (covered) => `Das Wasser kühlt kaum noch (${covered} K erreicht). Etwas kaltes Wasser zugießen, umrühren, und 30 Minuten weiter warten – oder mit weniger Bereich ohne Steigung (nur Offset) auswerten.`,
  bundleDone: (minutes) => `Fertig: genug Bereich nach ${minutes} Minuten. Die Fühler können aus dem Wasser.`,
  bundleAfter: "Nächster Schritt (10–20 min): Fühler wie geplant montieren (Wärmeleitpaste, Schelle, 10 mm Isolierung darüber). Die Kalibrierung gehört zum Fühler (ROM) und bleibt, auch wenn er an ein anderes Rohr kommt.",
  inPlaceIntro: (manifold) => [
    `Kalibrierung vor Ort am Verteiler ${manifold}. Ihre Zeit: 45 Minuten Bereitschaft, dann 1–2 Stunden Umwälzung aus; Arbeit etwa 10 Minuten.`,
    "1. (45 min) Wärmepumpe auf Bereitschaft (oder nur Warmwasser) stellen, die Fußbodenpumpe läuft weiter. Vor- und Rücklauffühler des Verteilers sehen dann dasselbe Wasser.",
    "2. (60–120 min) Die Fußboden-Umwälzung anhalten: Heizkreispumpe aus, oder Vor- und Rücklauf-Kugelhähne des Verteilers schließen. Die Uhrzeit notieren (--stopped-at). Dieses Programm erkennt, wann alle Fühler auf einer Temperatur liegen.",
    "3. Wenn das Programm es sagt (spätestens nach 2 Stunden): Umwälzung und Wärmepumpe wieder einschalten.",
  ],
  inPlaceStandby: (minutes) => `Bereitschaft mit laufender Pumpe: ${minutes} Minuten gesehen. Nach 45 Minuten die Umwälzung anhalten.`,
  inPlaceStopFound: (time) => `Stillstand der Umwälzung in den Daten erkannt um ${time}. Falls das nicht stimmt: die notierte Uhrzeit mit --stopped-at angeben.`,
  inPlaceNoStop: "Noch kein Stillstand der Umwälzung in den Daten zu sehen. Umwälzung anhalten und die Uhrzeit mit --stopped-at angeben, dann in 30 Minuten erneut aufrufen.",
  inPlaceWaiting: (stoppedMin, rom, remaining, minutes) => `Umwälzung seit ${stoppedMin} Minuten aus. Fühler ${rom} ist noch ${remaining} K von seinem Endwert entfernt: noch etwa ${minutes} Minuten warten (höchstens bis 120 Minuten).`,
  inPlaceConverged: (stoppedMin) => `Alle Fühler liegen nach ${stoppedMin} Minuten auf einer Temperatur.`,
  inPlaceTimeUp: (stoppedMin) => `${stoppedMin} Minuten sind um; nicht alle Fühler haben sich beruhigt. Ihre Unsicherheit steht in der Tabelle.`,
  inPlaceSwitchBack: "Jetzt Umwälzung und Wärmepumpe wieder einschalten.",
  inPlaceLimits: "Hinweis: vor Ort bleiben dicke Vor-/Rücklaufrohre oft wärmer als die Luft, und der warme Estrich zieht am Rücklaufrohr. Genauer ist die Bündel-Kalibrierung vor der Montage.",
  harvestFound: (windows, sensors) => `${windows} Stillstände der Umwälzung in den Daten gefunden; ${sensors} Fühler daraus kalibriert (nach Güte gewichtet).`,
  harvestNone: "Keine Stillstände der Umwälzung in den Daten gefunden (Sommer, Stromausfall, Pumpenpausen). Für eine Kalibrierung: floorbalance calibrate bundle oder in-place.",
  table: { rom: "Fühler", offset: "Offset K", gain: "Steigung", residual: "Rest K", sd: "± K", verdict: "Urteil" },
  verdict: { ok: "gut", noisy: "ersetzen (rauscht)", "far-off": "ersetzen (weit daneben)", gain: "ersetzen (Steigung)" },
  written: (file, n) => `${n} Fühler in ${file} gespeichert. Die Messwerte bleiben roh; die Auswertung rechnet die Kalibrierung ein.`,
  mirrored: (n) => `${n} Kalibrierungen nach InfluxDB (sensor_calibration) gespiegelt, für Grafana.`,
  mirrorFailed: (why) => `Spiegeln nach InfluxDB fehlgeschlagen (${why}); die Datei ist gespeichert; später mit floorbalance calibrate mirror nachholen.`,
  notWritten: "Noch nichts gespeichert: die Messung ist nicht fertig.",
};

const en: Guidance = {
  bundleIntro: (node, n) => [
    `Bundle calibration for node ${node} (${n} sensors), before the sensors are mounted. Your time: about 75–90 minutes, 10 of them hands-on.`,
    "1. (5 min) Keep the node powered and on Wi-Fi. Put all of this node's sensors together into a pot of 45–55 °C warm tap water (lid on, pot wrapped in a towel). Without a pot: tape the sensors into one bundle and wrap it in a towel.",
    "2. (60–75 min) Leave it alone. The water should cool by at least 10 K; this tool waits for a steady bundle and tells you when it has enough.",
    "3. (5 min) Check the result, mount the sensors. Replace a sensor marked \"replace\".",
  ],
  bundleNoData: (node) => `No readings from node ${node} in the window yet. Is the node powered and connected? Try again in a minute.`,
  bundleSettling: "The bundle is not steady yet (the sensors are still taking the water's temperature). Wait about 5–10 more minutes.",
  bundleCooling: (covered, target, minutes) => `The water is cooling: ${covered} of ${target} K covered. Wait about ${minutes} more minutes, don't touch it.`,
  bundleStalled: (covered) => `The water has almost stopped cooling (${covered} K covered). Add a little cold water, stir, and wait 30 more minutes – or accept a fit without gain (offsets only).`,
  bundleDone: (minutes) => `Done: enough range after ${minutes} minutes. Take the sensors out of the water.`,
  bundleAfter: "Next (10–20 min): mount the sensors as planned (thermal paste, clamp, 10 mm insulation over it). The calibration belongs to the sensor (its ROM) and stays with it if it moves to another pipe.",
  inPlaceIntro: (manifold) => [
    `In-place calibration at manifold ${manifold}. Your time: 45 minutes of standby, then 1–2 hours with the circulation stopped; about 10 minutes hands-on.`,
    "1. (45 min) Put the heat pump into standby (or hot water only); the floor pump keeps running. The manifold's supply and return sensors then see the same water.",
    "2. (60–120 min) Stop the floor circulation: switch the floor pump off, or close the manifold's supply and return ball valves. Note the time (--stopped-at). This tool sees when every sensor has levelled off at one temperature.",
    "3. When this tool says so (after 2 hours at the latest): switch the circulation and the heat pump back on.",
  ],
  inPlaceStandby: (minutes) => `Standby with the pump running: ${minutes} minutes seen. After 45 minutes, stop the circulation.`,
  inPlaceStopFound: (time) => `Found the stop of the circulation in the data at ${time}. If that is wrong, give the time you noted with --stopped-at.`,
  inPlaceNoStop: "No stop of the circulation in the data yet. Stop it, give the time with --stopped-at, and run this again in 30 minutes.",
  inPlaceWaiting: (stoppedMin, rom, remaining, minutes) => `Circulation stopped for ${stoppedMin} minutes. Sensor ${rom} is still ${remaining} K from its level: wait about ${minutes} more minutes (120 minutes at most).`,
  inPlaceConverged: (stoppedMin) => `Every sensor has levelled off at one temperature after ${stoppedMin} minutes.`,
  inPlaceTimeUp: (stoppedMin) => `${stoppedMin} minutes are up; not every sensor has levelled off. Their uncertainty is in the table.`,
  inPlaceSwitchBack: "Switch the circulation and the heat pump back on now.",
  inPlaceLimits: "Note: in place, thick supply/return pipes often stay warmer than the air, and the warm screed pulls at a return pipe. The bundle calibration before mounting is more accurate.",
  harvestFound: (windows, sensors) => `Found ${windows} stops of the circulation in the data; calibrated ${sensors} sensors from them (weighted by quality).`,
  harvestNone: "No stops of the circulation in the data (summer, power cuts, pump pauses). To calibrate: floorbalance calibrate bundle or in-place.",
  table: { rom: "sensor", offset: "offset K", gain: "gain", residual: "resid. K", sd: "± K", verdict: "verdict" },
  verdict: { ok: "good", noisy: "replace (noisy)", "far-off": "replace (far off)", gain: "replace (gain)" },
  written: (file, n) => `Saved ${n} sensors to ${file}. Readings stay raw; the analysis applies the calibration.`,
  mirrored: (n) => `Mirrored ${n} calibrations to InfluxDB (sensor_calibration) for Grafana.`,
  mirrorFailed: (why) => `Mirroring to InfluxDB failed (${why}); the file is saved; mirror it later with floorbalance calibrate mirror.`,
  notWritten: "Nothing saved yet: the measurement is not finished.",
};

export const GUIDANCE: Readonly<Record<Language, Guidance>> = Object.freeze({ de, en });
