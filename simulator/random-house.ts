// Random houses for tests and benchmarks, generated from a seed: 1–4 manifolds of 3–12 circuits,
// pipe lengths 20–120 m, varied loads, coverings, spacings and windows, installer-like valve
// settings (design flow for a 5 K spread) with some badly off. The result goes through the same
// validation as a user's file (parseHouseText), so it is a valid house by construction.

import { stringify } from "yaml";
import { parseHouseText, type House } from "../shared/house/index.js";
import { makeRom, romToCanonical } from "../shared/rom.js";
import { Rng, hashString } from "./rng.js";
import { WATER_C_PER_LITRE } from "./water.js";

const ROOM_KINDS = [
  { name: "Wohnen", load: [40, 65], gain: [40, 120], window: [4, 12] },
  { name: "Küche", load: [35, 50], gain: [120, 220], window: [0, 3] },
  { name: "Schlafen", load: [30, 45], gain: [0, 40], window: [1, 4] },
  { name: "Kind", load: [38, 50], gain: [20, 80], window: [1, 4] },
  { name: "Bad", load: [70, 100], gain: [0, 30], window: [0, 2] },
  { name: "Flur", load: [25, 40], gain: [0, 20], window: [0, 1] },
  { name: "Büro", load: [38, 50], gain: [60, 140], window: [1, 4] },
  { name: "Abstell", load: [20, 30], gain: [0, 0], window: [0, 0] },
] as const;

/**
 * `heldOut`: the variations of the convergence bench's held-out set, drawn from their own random
 * stream so the tuned houses stay exactly as they are: mixed valve kinds (some manifolds with
 * flow meters, some with lockshields) and pump heads from 20 to 70 kPa.
 */
export function randomHouse(seed: number, opts: { manifolds?: number; heldOut?: boolean } = {}): { house: House; yaml: string } {
  const varied = new Rng(seed, "held-out-house");
  const mixedValves = opts.heldOut === true && varied.chance(0.35);
  const rng = new Rng(seed, "random-house");
  const nManifolds = opts.manifolds ?? rng.int(1, 4);
  const romBase = (hashString("roms" + seed) % 1_000_000) * 1000 + 1;
  let romSerial = romBase;
  const nextRom = () => romToCanonical(makeRom(romSerial++));
  const lockshields = rng.chance(0.3);
  const nodes: unknown[] = [];
  const manifolds: unknown[] = [];
  const circuits: Record<string, unknown>[] = [];
  let totalLoadW = 0;
  let roomCounter = 0;

  for (let m = 1; m <= nManifolds; m++) {
    const nodeId = `node-${m}`;
    const manifoldId = `hkv-${m}`;
    nodes.push({ id: nodeId, hostname: `fb-node-${m}`, buses: [{ pin: 16 }, { pin: 17 }], interval_s: 10, resolution: 12 });
    const manifoldLockshields = mixedValves ? varied.chance(0.5) : lockshields;
    manifolds.push({ id: manifoldId, name: `Verteiler ${m}`, node: nodeId, supply: nextRom(), return: nextRom(), feeder_m: Math.round(rng.range(6, 30)) });
    const n = rng.int(3, 12);
    let sharedLeft = 0;
    let room = "";
    let kind: (typeof ROOM_KINDS)[number] = ROOM_KINDS[0];
    let windowPerCircuit = 0;
    let gain = 0;
    for (let i = 1; i <= n; i++) {
      if (sharedLeft <= 0) {
        kind = rng.pick(ROOM_KINDS);
        roomCounter++;
        room = `${kind.name} ${roomCounter}`;
        sharedLeft = kind.name === "Wohnen" ? rng.int(1, 3) : 1;
        windowPerCircuit = Math.round(rng.range(kind.window[0], kind.window[1]) / sharedLeft);
        gain = Math.round(rng.range(kind.gain[0], kind.gain[1]) / sharedLeft);
      }
      sharedLeft--;
      const spacing = kind.name === "Bad" ? 0.1 : rng.pick([0.1, 0.15, 0.15, 0.2]);
      const covering = kind.name === "Bad" || kind.name === "Küche" || kind.name === "Flur" ? 0 : rng.pick([0, 0.05, 0.1, 0.1, 0.15]);
      const length = Math.round(rng.range(20, 120));
      const feed = rng.range(2, 8);
      const area = Math.max(1.5, Math.round((length - 2 * feed) * spacing * 10) / 10);
      const load = Math.round(rng.range(kind.load[0], kind.load[1]));
      totalLoadW += load * area;
      // Installer's flow for a 5 K spread, on the meter's scale; some set badly.
      let flow = ((load * area) / (WATER_C_PER_LITRE * 5)) * 60;
      if (rng.chance(0.2)) flow *= rng.chance(0.5) ? rng.range(0.4, 0.6) : rng.range(1.6, 2.2);
      const setting = Math.min(3, Math.max(0.5, Math.round(flow * 10) / 10));
      const maxTurns = 4;
      const turns = rng.chance(0.5) ? maxTurns : Math.round(rng.range(0.25, 3.5) * 8) / 8;
      const valve = manifoldLockshields
        ? { kind: "lockshield", turns_open: turns, characteristic: { kvs: 1.0, n0_turns: Math.round(rng.range(0.3, 0.6) * 100) / 100, max_turns: maxTurns } }
        : { kind: "flow-meter", setting_lpm: setting, scale: { min: 0.5, max: 3.0, step: 0.1 } };
      const rom = nextRom();
      const circuit: Record<string, unknown> = {
        id: `${manifoldId}-k${i}`,
        manifold: manifoldId,
        room,
        area_m2: area,
        length_m: length,
        pipe: "16x2",
        sensor: i <= 8 ? rom : { rom, bus: "1" },
        valve,
        design_load_w_m2: load,
        floor: { covering_r: covering, spacing_m: spacing },
      };
      const model: Record<string, unknown> = {};
      if (windowPerCircuit > 0) model.window_m2 = windowPerCircuit;
      if (gain > 0) model.internal_gain_w = gain;
      if (kind.name === "Bad") model.setpoint_c = 23;
      if (Object.keys(model).length > 0) circuit.room_model = model;
      circuits.push(circuit);
    }
  }

  // A heat pump of about the design load; a curve around the common defaults.
  const nominal = Math.max(4, Math.round((totalLoadW * 1.15) / 1000));
  const curveShift = Math.round(rng.range(-4, 3) * 10) / 10;
  const doc = {
    site: { name: `Zufallshaus ${seed}`, timezone: "Europe/Berlin", language: "de" },
    influx: { url: "http://127.0.0.1:8086", database: "floorbalance", retention_policy: "autogen" },
    nodes,
    plant: {
      heat_pump: {
        kind: rng.chance(0.75) ? "inverter" : "on-off",
        nominal_kw: nominal,
        min_kw: Math.max(1.5, Math.round(nominal * 0.3 * 10) / 10),
        min_flow_lpm: Math.round(nominal * 1.4),
        heating_curve: { at_minus22_c: 42 + curveShift, at_0_c: 34 + curveShift, at_plus22_c: 27 + curveShift, offset_k: 0 },
      },
      pump: { mode: rng.chance(0.6) ? "proportional" : "constant", head_kpa: opts.heldOut ? Math.round(varied.range(20, 70)) : Math.round(rng.range(35, 60)), max_flow_lpm: 60 },
    },
    manifolds,
    circuits,
    analysis: { policy: "equal-spread", lookback_h: 24 },
    discord: { username: "floorbalance" },
  };
  const yaml = `# Generated by randomHouse(${seed}); a test house, not a real one.\n` + stringify(doc, { lineWidth: 0 });
  const { house } = parseHouseText(yaml, `random-house-${seed}.yaml`);
  return { house, yaml };
}
