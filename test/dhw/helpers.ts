// Shared fixtures for the circulation tests: a controller configuration in Europe/Berlin and
// local wall-clock instants computed by luxon (independent of the controller's offset table).
import { readFileSync } from "node:fs";
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

export const EXAMPLE = readFileSync("examples/house.yaml", "utf8");

/** examples/house.yaml with its commented dhw block (node hkv-eg-nord) enabled, and edited by `edit`. */
export function withDhw(edit: (block: string) => string = (b) => b): string {
  const lines = EXAMPLE.split("\n");
  const start = lines.findIndex((l) => l.trim() === "# dhw:");
  let end = start;
  while (end + 1 < lines.length && lines[end + 1].startsWith("    #   ")) end++;
  const block = lines.slice(start, end + 1).map((l) => l.replace(/^ {4}# /, "    ")).join("\n");
  return [...lines.slice(0, start), edit(block), ...lines.slice(end + 1)].join("\n");
}
