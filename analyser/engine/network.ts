// The manifolds' heads as the plant sets them (domain §2): the pump's head at the total flow, less
// the heat pump's water side, less each manifold's feeder: H_k = H(Q) − Δp_hp(Q) − R_f,k·Q_k^1.75.
//
// Why: throttling several circuits of a manifold together lowers its flow and the drops before it,
// so its head rises and every circuit passes more than its turns were chosen for at the old head
// (the loop's replay of random 10: planned −27 %, got −16 %, head 11.8 → 13.2 kPa). The engine
// chooses a day's lockshield turns at the head that day's changes will leave: the ratio of the
// model's heads after and before, applied to the head backed out of the data, so that the model's
// own scale (which rests on the pump's set head) cancels.

import { parsePipe, type House } from "../../shared/house/index.js";
import { flowAtHead, kvAtTurns, kvFor, PIPE_EXPONENT, pipeResistanceKpa, rootIncreasing, valveDropKpa } from "./physics.js";

/** A circuit's valve as set: a lockshield by its turns, a flow meter by the flow it reads. */
export type Settings = (circuitId: string) => number;

/** The pump's head at a total flow: constant, or proportional H_set·(½ + ½·Q/Q_max) (domain §2). */
export function pumpHeadKpa(pump: House["plant"]["pump"], flowLpm: number): number {
  return pump.mode === "constant" ? pump.head_kpa : pump.head_kpa * (0.5 + 0.5 * Math.min(1, flowLpm / pump.max_flow_lpm));
}

/** k_v of the heat pump's water side, from the drop its data sheet gives at a flow. */
export function waterSideKv(hp: House["plant"]["heat_pump"]): number {
  return kvFor(hp.water_side.at_flow_lpm, hp.water_side.drop_kpa);
}

interface Branch {
  feederKpa: number;
  /** Flow meters hold what they read: their flow does not follow the head. */
  fixedLpm: number;
  circuits: { pipeKpa: number; kv: number }[];
}

function branches(house: House, settings: Settings): Branch[] {
  return house.manifolds.map((m) => {
    const branch: Branch = { feederKpa: pipeResistanceKpa(m.feeder_m, parsePipe(m.feeder_pipe).inner_m), fixedLpm: 0, circuits: [] };
    for (const c of house.circuits) {
      if (c.manifold !== m.id) continue;
      const value = settings(c.id);
      if (c.valve.kind === "flow-meter") branch.fixedLpm += value;
      else branch.circuits.push({ pipeKpa: pipeResistanceKpa(c.length_m, c.pipe.inner_m), kv: kvAtTurns(value, c.valve.characteristic) });
    }
    return branch;
  });
}

function branchFlow(b: Branch, headKpa: number): number {
  let sum = b.fixedLpm;
  for (const c of b.circuits) sum += flowAtHead(headKpa, c.pipeKpa, c.kv);
  return sum;
}

/** The manifold's head when the plant leaves `plantKpa` at its feeder: H_k + R_f·Q_k(H_k)^1.75 = H_plant. */
function branchHead(b: Branch, plantKpa: number): number {
  if (plantKpa <= 0) return 0;
  return rootIncreasing((h) => h + b.feederKpa * Math.pow(branchFlow(b, h), PIPE_EXPONENT) - plantKpa, 0, plantKpa, 40);
}

/**
 * Every manifold's head, kPa, by manifold id, with the valves as `settings` has them. The total
 * flow Q solves Q = Σ_k Q_k(H_plant(Q)): the left side rises with Q, the right one falls.
 */
export function manifoldHeads(house: House, settings: Settings): Map<string, number> {
  const net = branches(house, settings);
  const kv = waterSideKv(house.plant.heat_pump);
  const plantAt = (q: number) => pumpHeadKpa(house.plant.pump, q) - valveDropKpa(q, kv);
  const demand = (q: number) => net.reduce((sum, b) => sum + branchFlow(b, branchHead(b, plantAt(q))), 0);
  const fixed = net.reduce((sum, b) => sum + b.fixedLpm, 0);
  const total = rootIncreasing((q) => q - demand(q), 0, Math.max(1.5 * house.plant.pump.max_flow_lpm, 1.01 * fixed + 1), 40);
  const plant = plantAt(total);
  return new Map(house.manifolds.map((m, k) => [m.id, branchHead(net[k]!, plant)]));
}

/**
 * How far each manifold's head moves when `changes` (circuit id → new setting) are made on top of
 * `settings`: head after ÷ head before, by manifold id. `before`: the heads with `settings`, when
 * the caller already has them.
 */
export function headFactors(house: House, settings: Settings, changes: Map<string, number>, before = manifoldHeads(house, settings)): Map<string, number> {
  const after = manifoldHeads(house, (id) => changes.get(id) ?? settings(id));
  return new Map([...before].map(([id, h]) => [id, h > 0 ? after.get(id)! / h : 1]));
}
