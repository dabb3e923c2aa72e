// Shared fixtures for the circulation tests: a controller configuration in Europe/Berlin and
// local wall-clock instants computed by luxon (independent of the controller's offset table).
import { DateTime } from "luxon";
import { DHW_DEFAULTS, type DhwConfig } from "../../firmware/core/dhw/config.js";
import { tzRule } from "../../firmware/host/dhw-config.js";

export const ZONE = "Europe/Berlin";
const TZ = tzRule(ZONE, Math.round(DateTime.fromISO("2025-06-01T00:00:00Z").toSeconds()));

export function dhwConfig(overrides: Partial<DhwConfig> = {}): DhwConfig {
  return {
    ...DHW_DEFAULTS,
    relay_pin: 25,
    relay_active_low: false,
    inputs: [],
    line_rom: "28-0000000000a1",
    outlet_rom: "28-0000000000a2",
    holidays: [],
    learning: false,
    stagnation_after_h: 0,
    tz: TZ,
    ...overrides,
  };
}

/** UTC seconds of a local Berlin time, e.g. local("2026-03-04T10:00"). */
export function local(iso: string): number {
  return Math.round(DateTime.fromISO(iso, { zone: ZONE }).toSeconds());
}

export function localMinuteLuxon(utcS: number): number {
  const d = DateTime.fromSeconds(utcS, { zone: ZONE });
  return d.hour * 60 + d.minute;
}
