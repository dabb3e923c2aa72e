// A small synthetic manifold for unit tests while (and besides) the simulator: plug flow through
// each circuit (delay V/Q), a return that gives up a fixed share of the supply's lift, sensors
// with lag, noise, quantisation and offsets, sampled every 10 s and reduced to minute means.

import { parseHouseText, type House } from "../../shared/house/index.js";
import { MinuteMeans, type MinuteSeries } from "../../analyser/measurement/series.js";
import { xorshift } from "../helpers/xorshift.js";

export const ROMS = {
  supply: "28-0316a2795f77",
  ret: "28-0316a2796bb7",
  circuits: ["28-0316a279df07", "28-0316a279e82b", "28-0316a27a07cc"],
};

export function smallHouseYaml(settings = [2.0, 1.2, 0.8], url = "http://127.0.0.1:8086"): string {
  return `
site: { name: Test, timezone: Europe/Berlin, language: en }
influx: { url: "${url}" }
nodes: [{ id: n1, hostname: n1, buses: [{ pin: 16 }] }]
manifolds:
  - { id: m1, name: M1, node: n1, supply: ${ROMS.supply}, return: ${ROMS.ret}, feeder_m: 10 }
circuits:
  - { id: a, manifold: m1, room: A, area_m2: 20, length_m: 90, sensor: ${ROMS.circuits[0]}, valve: { kind: flow-meter, setting_lpm: ${settings[0]} } }
  - { id: b, manifold: m1, room: B, area_m2: 12, length_m: 60, sensor: ${ROMS.circuits[1]}, valve: { kind: flow-meter, setting_lpm: ${settings[1]} } }
  - { id: c, manifold: m1, room: C, area_m2: 8, length_m: 40, sensor: ${ROMS.circuits[2]}, valve: { kind: flow-meter, setting_lpm: ${settings[2]} } }
analysis: { min_heating_minutes: 60 }
`;
}

export function smallHouse(settings = [2.0, 1.2, 0.8]): House {
  return parseHouseText(smallHouseYaml(settings)).house;
}

export interface Synthetic {
  house: House;
  data: MinuteSeries;
  /** True per-circuit flows, l/min. */
  flows: number[];
  /** True water spread per circuit per minute (supply − return), K. */
  trueSpread: Float64Array[];
}

export function synthetic(opts: { hours?: number; flows?: number[]; offsets?: Record<string, number>; seed?: number; deadSupply?: boolean; start?: number } = {}): Synthetic {
  const flows = opts.flows ?? [1.8, 1.3, 0.7];
  const house = smallHouse();
  const lengths = [90, 60, 40];
  const volumes = lengths.map((l) => l * house.circuits[0].pipe.litres_per_m);
  const transit = volumes.map((v, i) => (v / flows[i]) * 60); // s
  const share = [0.55, 0.5, 0.6]; // share of the lift given up in the floor
  const hours = opts.hours ?? 24;
  const start = opts.start ?? 1_700_000_040;
  const minutes = hours * 60;
  const rand = xorshift(opts.seed ?? 1);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const dt = 1;
  const n = minutes * 60;
  // Supply water: on 150 min, off 90 min; rises with τ 4 min; falls towards the base with τ 15 min.
  const base = 24;
  const supply = new Float64Array(n);
  let s = base;
  for (let k = 0; k < n; k++) {
    const on = (k / 60) % 240 < 150;
    s += on ? ((base + 9 - s) * dt) / 240 : ((base - s) * dt) / 900;
    supply[k] = s;
  }
  const ret = flows.map((_, i) => {
    const out = new Float64Array(n);
    const d = Math.round(transit[i]);
    for (let k = 0; k < n; k++) out[k] = base + (supply[Math.max(0, k - d)] - base) * (1 - share[i]);
    return out;
  });
  const total = flows.reduce((a, b) => a + b, 0);
  const mixed = new Float64Array(n);
  for (let k = 0; k < n; k++) mixed[k] = ret.reduce((acc, r, i) => acc + (r[k] * flows[i]) / total, 0);
  const offsets = opts.offsets ?? {};
  const means = new MinuteMeans(start, minutes);
  const sense = (rom: string, water: Float64Array, tau: number) => {
    let y = water[0];
    for (let k = 0; k < n; k++) {
      y += ((water[k] - y) * dt) / tau;
      if (k % 10 !== 0) continue;
      // A clamped sensor settles 5 % of the way towards the 20 °C air around the manifold.
      const die = y - 0.05 * (y - 20);
      const v = Math.round((die + (offsets[rom] ?? 0) + 0.03 * gauss()) / 0.0625) * 0.0625;
      means.add(rom, start + k, v);
    }
  };
  if (!opts.deadSupply) sense(ROMS.supply, supply, 90);
  sense(ROMS.ret, mixed, 90);
  ret.forEach((r, i) => sense(ROMS.circuits[i], r, 90));
  const trueSpread = ret.map((r) => {
    const out = new Float64Array(minutes);
    for (let m = 0; m < minutes; m++) {
      let acc = 0;
      for (let k = m * 60; k < m * 60 + 60; k++) acc += supply[k] - r[k];
      out[m] = acc / 60;
    }
    return out;
  });
  return { house, data: { start, minutes, byRom: means.means() }, flows, trueSpread };
}
