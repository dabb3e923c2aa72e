// Signal presets: the entity names ESPAltherma and pyHPSU publish, so a user can write
// `signals: { preset: espaltherma }` instead of six measurement/field pairs. Explicit signals in
// the house file win. Sources (verified against each project's published list):
// - ESPAltherma (raomin/ESPAltherma): labels in include/def/*.h, e.g. include/def/ALTHERMA(HPSU6_ULTRA).h
//   for the Rotex HPSU of seed 001; mode strings in include/converters.h (table 315). In Home
//   Assistant all values are attributes of sensor.althermasensors (README.md); HA's InfluxDB
//   integration writes them as fields of that entity, string attributes with the suffix "_str".
// - pyHPSU (Spanni26/pyHPSU): command names in etc/pyHPSU/commands_hpsu.json; its InfluxDB plugin
//   (HPSU/plugins/influxdb.py) writes measurement "temperature" (unit deg), "flow" (l/h),
//   "energy" (kWh) or "status", with the command name as the field.

import type { HouseParsed } from "./schema.js";

type Signals = HouseParsed["plant"]["signals"];
type Preset = NonNullable<Signals["preset"]>;

const altherma = (field: string) => ({ measurement: "sensor.althermasensors", field, tags: { entity_id: "althermasensors" } });
const hpsu = (measurement: string, field: string) => ({ measurement, field, tags: {} as Record<string, string> });

export const SIGNAL_PRESETS: Record<Preset, Omit<Signals, "preset">> = {
  espaltherma: {
    outdoor_temperature: altherma("Outdoor air temp."),
    heat_pump_state: { ...altherma("I/U operation mode_str"), heating: ["Heating"] },
    heat_pump_supply: { ...altherma("Outlet Water Heat Exch. Temp. (R1T)"), scale: 1 },
    heat_pump_return: { ...altherma("Inlet water temp.(R4T)"), scale: 1 },
    heat_pump_flow: { ...altherma("Flow sensor (l/min)"), scale: 1 },
    compressor: { ...altherma("INV frequency (rps)"), scale: 1 },
  },
  pyhpsu: {
    outdoor_temperature: hpsu("temperature", "t_ext"),
    heat_pump_state: { ...hpsu("status", "mode"), heating: ["heating"] },
    heat_pump_supply: { ...hpsu("temperature", "t_hs"), scale: 1 },
    heat_pump_return: { ...hpsu("temperature", "t_return"), scale: 1 },
    heat_pump_flow: { ...hpsu("flow", "flow_rate"), scale: 1 / 60 },
  },
};

/** The signals with the preset's names filled in where the house file names none. Pure. */
export function expandSignalPreset(signals: Signals): Signals {
  if (!signals.preset) return signals;
  const preset = SIGNAL_PRESETS[signals.preset];
  const out: Signals = { ...signals };
  for (const [key, value] of Object.entries(preset) as [keyof typeof preset, unknown][]) {
    if (out[key] === undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
