// The report's heating-curve section: once the balance has converged (or the rooms agree), the
// curve advisor's advice for today with the exact values to enter. Replaces the old "the curve can
// come down by about 1 K" hint, which said so while rooms with thermometers were short. Pure.

import { DateTime } from "luxon";
import type { House } from "../../shared/house/index.js";
import { adviceLines, advise, controllerOf, type DayObservation } from "../curve/index.js";
import type { EngineResult } from "../engine/result.js";
import type { AnalysisResult } from "../measurement/result.js";
import type { Language } from "./i18n.js";

/** The section's text, or undefined while there is nothing to say about the curve yet. */
export function curveSection(house: House, analysis: AnalysisResult, engine: EngineResult, language: Language): string | undefined {
  const raise = engine.heating_curve && engine.heating_curve.lower_by_k === 0 ? engine.heating_curve.note : undefined;
  const rooms = engine.room_deviations ?? [];
  if (!engine.balanced && rooms.length === 0) return raise;
  const zone = analysis.window.timezone || "UTC";
  const today = DateTime.fromSeconds(analysis.window.end, { zone }).toISODate() ?? "1970-01-01";
  const day: DayObservation = {
    date: DateTime.fromSeconds(analysis.window.end - 3600, { zone }).toISODate() ?? today,
    outdoorC: analysis.heating.outdoor_c ?? NaN,
    rooms: rooms.map((r) => ({ room: r.room, deviationK: r.deviation_k, source: "thermometer" as const })),
  };
  const last = house.plant.heat_pump.curve_changed;
  const controller = controllerOf(house);
  const advice = advise({ controller, balanced: engine.balanced, today, days: [day], lastChange: last ? { date: last.date, deltaAt0K: last.delta_at_0_k } : undefined });
  if (advice.kind === "wait" && advice.reasons[0]?.code === "not-balanced") return raise;
  return [...(raise ? [raise] : []), ...adviceLines(advice, controller, language)].join("\n");
}
