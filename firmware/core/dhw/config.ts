// What the hot-water circulation module consumes: the node's `dhw` section of the house file,
// resolved by the host (firmware/host/dhw-config.ts) into plain numbers. The device never sees
// YAML, dates or zone names: local time comes from `tz` (precomputed UTC offset transitions).
// Portable: no Node or Moddable imports.

import type { TzRule } from "./local-time.js";

export type DhwInputKind = "motion" | "door";

export interface DhwInputConfig {
  pin: number;
  kind: DhwInputKind;
  /** The contact pulls the pin low when active (reed to ground, open-collector detector). */
  active_low: boolean;
  debounce_ms: number;
}

export interface DhwConfig {
  relay_pin: number;
  relay_active_low: boolean;
  /** A GPIO that reads the relay's contact (auxiliary contact / opto on the pump side). */
  readback_pin?: number;
  inputs: DhwInputConfig[];
  /** Canonical ROM of the DS18B20 on the circulation line (return, near the pump). */
  line_rom: string;
  /** Canonical ROM of the DS18B20 on the hot-water outlet of the tank (draw detection). */
  outlet_rom?: string;
  /** Start only below this line temperature, °C. */
  lower_c: number;
  /** Stop at this line temperature, °C. */
  upper_c: number;
  /** Hard cap of one run, s. */
  max_run_s: number;
  /** Minimum pause between the end of one run and the next start, s. */
  min_pause_s: number;
  /** Lockout window in local minutes of the day [from, to); from > to wraps over midnight. */
  lockout_from_min: number;
  lockout_to_min: number;
  learning: boolean;
  /** Weight from which a half-hour counts as a usual time. */
  usual_weight: number;
  /** Pre-run this many minutes before a usual half-hour. */
  prerun_lead_min: number;
  /** In usual times the line is kept above lower_c + this margin, K. */
  prerun_margin_k: number;
  /** Holiday periods, [from, to) in UTC seconds. */
  holidays: [number, number][];
  /** A hygiene run after this many hours without one; 0 = off. */
  stagnation_after_h: number;
  /** Outlet or line at or above this is a thermal-disinfection cycle, °C. */
  disinfection_c: number;
  draw_detect: boolean;
  /** Line sensor failed: a run on demand lasts this long, s. */
  fallback_run_s: number;
  /** Line sensor failed: pump time in any hour never exceeds this, s (the seed's 10/10 timer: 1800). */
  fallback_max_s_per_h: number;
  /** POST /dhw/… with the OTA token triggers a run. */
  http_trigger: boolean;
  tz: TzRule;
}

/** The controller's own defaults (the house schema has the same ones, in minutes and °C). */
export const DHW_DEFAULTS = Object.freeze({
  lower_c: 35,
  upper_c: 42,
  max_run_s: 300,
  min_pause_s: 300,
  lockout_from_min: 23 * 60,
  lockout_to_min: 5 * 60,
  learning: true,
  usual_weight: 30,
  prerun_lead_min: 15,
  prerun_margin_k: 2,
  stagnation_after_h: 24,
  disinfection_c: 60,
  draw_detect: true,
  fallback_run_s: 180,
  fallback_max_s_per_h: 600,
  http_trigger: true,
});
