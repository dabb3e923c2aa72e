// Small houses for the physics tests, written as house files so they go through validation.
import { parseHouseText, type House } from "../../shared/house/index.js";
import { makeRom, romToCanonical } from "../../shared/rom.js";

export const START = Date.UTC(2025, 10, 17) / 1000; // 2025-11-17 00:00 UTC, a Monday

const rom = (n: number) => romToCanonical(makeRom(900000 + n));

/** One manifold, one node; circuits given as YAML fragments; plant as given. */
export function smallHouse(opts: {
  circuits: { id: string; length_m: number; area_m2: number; setting_lpm: number; room?: string; covering_r?: number; spacing_m?: number; load?: number }[];
  curve?: number;
  pump?: "constant" | "proportional";
  dhw?: boolean;
  feederM?: number;
}): House {
  const curve = opts.curve ?? 35;
  const circuits = opts.circuits
    .map(
      (c, i) => `  - id: ${c.id}
    manifold: m1
    room: ${c.room ?? "Raum " + c.id}
    area_m2: ${c.area_m2}
    length_m: ${c.length_m}
    sensor: ${rom(10 + i)}
    valve: { kind: flow-meter, setting_lpm: ${c.setting_lpm} }
    design_load_w_m2: ${c.load ?? 45}
    floor: { covering_r: ${c.covering_r ?? 0.1}, spacing_m: ${c.spacing_m ?? 0.15} }`,
    )
    .join("\n");
  const yaml = `site: { name: Test }
influx: { url: "http://127.0.0.1:8086" }
nodes:
  - id: n1
    hostname: n1
    buses: [{ pin: 16 }]
plant:
  heat_pump:
    kind: inverter
    nominal_kw: 12
    min_kw: 0.1
    min_flow_lpm: 0
    dhw_runs_per_day: ${opts.dhw ? 2 : 0}
    heating_curve: { at_minus22_c: ${curve}, at_0_c: ${curve}, at_plus22_c: ${curve} }
  pump: { mode: ${opts.pump ?? "constant"}, head_kpa: 40, max_flow_lpm: 60 }
manifolds:
  - id: m1
    name: M1
    node: n1
    supply: ${rom(1)}
    return: ${rom(2)}
    feeder_m: ${opts.feederM ?? 10}
circuits:
${circuits}
`;
  return parseHouseText(yaml).house;
}

/** Calm weather: no daily or multi-day swing, mild enough that no defrost happens. */
export const CALM = { mean_c: 8, multi_day_sd_k: 0, daily_amplitude_k: 0 };
