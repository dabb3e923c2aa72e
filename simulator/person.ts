// A person adjusting a valve, with the imprecision of real hands and eyes:
// - a flow meter is read to its scale step, with a ±5 % reading error (float position,
//   parallax), so the flow they leave is the rounded target times (1 + e);
// - a lockshield is turned to the nearest 1/8 turn, and backlash in the spindle leaves it up to
//   0.1 turn short of that in the direction of travel (hysteresis).

import { Rng } from "./rng.js";
import type { Twin } from "./twin.js";

export const READING_ERROR = 0.05;
export const TURN_STEP = 1 / 8;
export const BACKLASH_TURNS = 0.1;

/** How precise a person's hands and eyes are (defaults: READING_ERROR, BACKLASH_TURNS). */
export interface Hands {
  /** A meter is read to within this share of its flow. */
  readingError?: number;
  /** A closing lockshield stops up to this many turns short. */
  backlashTurns?: number;
}

export interface PersonAdjustment {
  circuit: string;
  /** What the person believes they set (and would write into the house file). */
  noted: { setting_lpm?: number; turns_open?: number };
  /** What the valve really is now. */
  actual: { setting_lpm?: number; turns_open?: number };
}

/**
 * Set a circuit's valve as a person would. `rng` (or `seed`) makes the imprecision
 * deterministic. Returns what was noted and what really happened.
 */
export function personAdjust(
  twin: Twin,
  circuitId: string,
  target: { setting_lpm?: number; turns_open?: number },
  rng: Rng | number = 1,
  hands: Hands = {},
): PersonAdjustment {
  const readingError = hands.readingError ?? READING_ERROR;
  const backlash = hands.backlashTurns ?? BACKLASH_TURNS;
  const r = typeof rng === "number" ? new Rng(rng, "person:" + circuitId) : rng;
  const circuit = twin.house.circuits.find((c) => c.id === circuitId);
  if (!circuit) throw new Error(`no circuit "${circuitId}" in this house`);
  const valve = circuit.valve;
  if (valve.kind === "flow-meter") {
    if (target.setting_lpm === undefined) throw new Error(`circuit ${circuitId} has a flow meter; give setting_lpm`);
    const { min, max, step } = valve.scale;
    const noted = Math.min(max, Math.max(min, Math.round(target.setting_lpm / step) * step));
    const error = Math.max(-readingError, Math.min(readingError, r.normal() * (readingError / 2)));
    const actual = noted * (1 + error);
    twin.setValve(circuitId, { setting_lpm: actual });
    return { circuit: circuitId, noted: { setting_lpm: Math.round(noted * 1000) / 1000 }, actual: { setting_lpm: twin.valve(circuitId).flow_lpm } };
  }
  if (target.turns_open === undefined) throw new Error(`circuit ${circuitId} has a lockshield; give turns_open`);
  const current = twin.valve(circuitId).turns_open ?? 0;
  const noted = Math.min(valve.characteristic.max_turns, Math.max(0, Math.round(target.turns_open / TURN_STEP) * TURN_STEP));
  const direction = Math.sign(noted - current);
  const actual = Math.min(valve.characteristic.max_turns, Math.max(0, noted - direction * backlash * r.next()));
  twin.setValve(circuitId, { turns_open: actual });
  return { circuit: circuitId, noted: { turns_open: noted }, actual: { turns_open: actual } };
}
