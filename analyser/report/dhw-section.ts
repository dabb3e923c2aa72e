// The daily report's hot-water circulation section (firmware/core/dhw): runs, pump minutes,
// minutes saved against the seed's timer (10 min on / 10 off from 05:00 to 23:00), and how often
// someone waited for warm water (a detected draw that found the line cold). Reading is one
// InfluxQL request over the report's window; summarising and wording are pure.

import { DateTime } from "luxon";
import { DHW_EVENT, DHW_RUN } from "../../shared/dhw-measurements.js";
import { num, type Language } from "./i18n.js";

/** The seed's schedule: 10 on / 10 off inside this local window. */
export const SEED_SCHEDULE = Object.freeze({ fromH: 5, toH: 23, share: 0.5 });

export interface DhwSummary {
  nodes: number;
  runs: number;
  pump_min: number;
  schedule_min: number;
  saved_min: number;
  draws: number;
  draws_cold: number;
  /** Fault events in the window: relay seemed stuck, line sensor failed. */
  relay_stuck: number;
  sensor_fail: number;
}

/** Minutes the seed's 10/10 timer would have run in [start, end) (per node), DST-safe. */
export function scheduleMinutes(start: number, end: number, zone: string): number {
  let on = 0;
  let day = DateTime.fromSeconds(start, { zone }).startOf("day");
  while (day.toSeconds() < end) {
    const from = Math.max(start, day.set({ hour: SEED_SCHEDULE.fromH }).toSeconds());
    const to = Math.min(end, day.set({ hour: SEED_SCHEDULE.toH }).toSeconds());
    if (to > from) on += (to - from) / 60;
    day = day.plus({ days: 1 });
  }
  return on * SEED_SCHEDULE.share;
}

export function dhwQueries(start: number, end: number): string {
  const w = `time >= ${start}s AND time < ${end}s`;
  return [
    `SELECT count("duration_s") AS "runs", sum("duration_s") AS "pump_s" FROM "${DHW_RUN}" WHERE ${w}`,
    `SELECT count("sensor_ok") AS "n" FROM "${DHW_EVENT}" WHERE ${w} GROUP BY "kind"`,
    `SELECT count("sensor_ok") AS "n" FROM "${DHW_EVENT}" WHERE ${w} AND "kind" = 'draw' AND "warm" = false`,
  ].join("; ");
}

/** InfluxDB's answer to dhwQueries, as the influx client returns it. */
export type DhwRaw = { series?: { tags?: Record<string, string>; columns: string[]; values: unknown[][] }[] }[];

export function summariseDhw(raw: DhwRaw, nodes: number, start: number, end: number, zone: string): DhwSummary {
  const first = (r: DhwRaw[number] | undefined, col: string): number => {
    const s = r?.series?.[0];
    const i = s ? s.columns.indexOf(col) : -1;
    return s && i >= 0 ? Number(s.values[0][i]) || 0 : 0;
  };
  const kinds = new Map<string, number>();
  for (const s of raw[1]?.series ?? []) kinds.set(s.tags?.kind ?? "", Number(s.values[0][1]) || 0);
  const pump = first(raw[0], "pump_s") / 60;
  const schedule = scheduleMinutes(start, end, zone) * nodes;
  return {
    nodes,
    runs: first(raw[0], "runs"),
    pump_min: pump,
    schedule_min: schedule,
    saved_min: Math.max(0, schedule - pump),
    draws: kinds.get("draw") ?? 0,
    draws_cold: first(raw[2], "n"),
    relay_stuck: (kinds.get("relay_stuck") ?? 0) + (kinds.get("relay_mismatch") ?? 0),
    sensor_fail: kinds.get("sensor_fail") ?? 0,
  };
}


/** The section's lines in the reader's language. */
export function dhwReportLines(s: DhwSummary | undefined, language: Language): string[] {
  if (!s) return [];
  const de = language === "de";
  const m = (x: number) => num(Math.round(x), 0, language);
  const out = [
    de
      ? `Warmwasser-Zirkulation: ${s.runs} Läufe, ${m(s.pump_min)} Pumpenminuten, ${m(s.saved_min)} Minuten weniger als das 10/10-Zeitprogramm (${m(s.schedule_min)}).`
      : `Hot-water circulation: ${s.runs} runs, ${m(s.pump_min)} pump minutes, ${m(s.saved_min)} minutes less than the 10/10 timer (${m(s.schedule_min)}).`,
  ];
  if (s.draws > 0) out.push(de ? `${s.draws_cold} von ${s.draws} Zapfungen fanden die Leitung kalt (jemand wartete auf warmes Wasser).` : `${s.draws_cold} of ${s.draws} draws found the line cold (someone waited for warm water).`);
  if (s.relay_stuck > 0) out.push(de ? `Achtung: Das Pumpenrelais scheint zu kleben (Leitung heiß ohne Lauf); bitte prüfen.` : `Warning: the pump relay seems stuck on (line hot with no run); please check it.`);
  if (s.sensor_fail > 0) out.push(de ? `Der Zirkulationsfühler fiel ${s.sensor_fail}× aus; die Pumpe lief dann nach dem begrenzten Ersatz-Zeitplan.` : `The circulation sensor failed ${s.sensor_fail}×; the pump then ran on the bounded fallback timer.`);
  return out;
}
