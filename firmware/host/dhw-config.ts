// From a node's `dhw` house-file section to the module's DhwConfig (firmware/core/dhw/config.ts):
// minutes to seconds, HH:MM to minutes, holiday dates to UTC instants in the site's zone, ROMs
// to their canonical spelling, and the zone itself to its UTC offset transitions (luxon here,
// a table lookup on the device).

import { DateTime, IANAZone } from "luxon";
import { parseRom } from "../../shared/rom.js";
import type { House, Node } from "../../shared/house/index.js";
import type { DhwConfig } from "../core/dhw/config.js";
import type { TzRule } from "../core/dhw/local-time.js";

/** Years of transitions a build carries (~2 pairs a year; a node is reflashed long before). */
export const TZ_YEARS = 15;

/** The zone's offset transitions from `fromUtcS` on for `years` years, to the second. */
export function tzRule(zone: string, fromUtcS: number, years = TZ_YEARS): TzRule {
  const z = new IANAZone(zone);
  const off = (t: number) => z.offset(t * 1000) * 60;
  const transitions: number[] = [];
  const end = fromUtcS + years * 366 * 86400;
  let prev = off(fromUtcS);
  // Daily steps find each change; bisection pins it to the second.
  for (let t = fromUtcS; t < end; t += 86400) {
    const next = off(t + 86400);
    if (next === prev) continue;
    let lo = t;
    let hi = t + 86400;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (off(mid) === prev) lo = mid;
      else hi = mid;
    }
    transitions.push(hi, next);
    prev = next;
  }
  return { offset_s: off(fromUtcS), transitions };
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

function rom(spec: string | { rom: string }): string {
  const parsed = parseRom(typeof spec === "string" ? spec : spec.rom);
  if (!parsed.ok) throw new Error(`dhw sensor: ${parsed.reason}`); // the schema has checked it already
  return parsed.canonical;
}

/** The bus id a dhw sensor sits on (default: the node's first bus). */
export function dhwSensorBus(node: Node, spec: string | { bus?: string }): string {
  return typeof spec === "object" && spec.bus !== undefined ? spec.bus : node.buses[0].id;
}

export interface DhwSensorPlacement {
  rom: string;
  bus: string;
  label: string;
}

/** The DS18B20s the dhw module reads, so the node samples them like every other sensor. */
export function dhwSensors(node: Node): DhwSensorPlacement[] {
  const d = node.dhw;
  if (!d || !d.enabled) return [];
  const out = [{ rom: rom(d.line_sensor), bus: dhwSensorBus(node, d.line_sensor), label: "dhw line" }];
  if (d.outlet_sensor) out.push({ rom: rom(d.outlet_sensor), bus: dhwSensorBus(node, d.outlet_sensor), label: "dhw outlet" });
  return out;
}

export function deriveDhwConfig(house: House, node: Node, nowUtcS = Math.floor(Date.now() / 1000)): DhwConfig | undefined {
  const d = node.dhw;
  if (!d || !d.enabled) return undefined;
  const zone = house.site.timezone;
  const localMidnight = (date: string) => Math.round(DateTime.fromISO(date, { zone }).startOf("day").toSeconds());
  const config: DhwConfig = {
    relay_pin: d.relay_pin,
    relay_active_low: d.relay_active_low,
    inputs: d.inputs.map((i) => ({ pin: i.pin, kind: i.kind, active_low: i.active_low, debounce_ms: i.debounce_ms })),
    line_rom: rom(d.line_sensor),
    lower_c: d.lower_c,
    upper_c: d.upper_c,
    max_run_s: Math.round(d.max_run_min * 60),
    min_pause_s: Math.round(d.min_pause_min * 60),
    lockout_from_min: minutes(d.lockout.from),
    lockout_to_min: minutes(d.lockout.to),
    learning: d.learning,
    usual_weight: d.usual_weight,
    prerun_lead_min: d.prerun_lead_min,
    prerun_margin_k: d.prerun_margin_k,
    // [first day 00:00, the day after the last 00:00) in the site's zone.
    holidays: d.holidays.map((h): [number, number] => [localMidnight(h.from), Math.round(DateTime.fromISO(h.to, { zone }).startOf("day").plus({ days: 1 }).toSeconds())]),
    stagnation_after_h: d.stagnation_after_h,
    disinfection_c: d.disinfection_c,
    draw_detect: d.draw_detect && d.outlet_sensor !== undefined,
    fallback_run_s: Math.round(d.fallback.run_min * 60),
    fallback_max_s_per_h: Math.round(d.fallback.max_min_per_h * 60),
    http_trigger: d.http_trigger,
    // A year back covers a build whose clock is behind; TZ_YEARS ahead covers its life.
    tz: tzRule(zone, nowUtcS - 366 * 86400),
  };
  if (d.readback_pin !== undefined) config.readback_pin = d.readback_pin;
  if (d.outlet_sensor) config.outlet_rom = rom(d.outlet_sensor);
  return config;
}
