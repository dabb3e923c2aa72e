// The hydraulic network: circulating pump → heat pump's plate exchanger → a feeder to each
// manifold → circuits in parallel (pipe friction + valve) → back. Pure functions over plain data.
//
// Per manifold k: every circuit i sees the same head H_k, so R_i(Q_i) + (Q_i/kv_i)² = H_k, and
// H_k = H_pump(Q) − Δp_hp(Q) − Δp_feeder,k(Q_k) (domain §2). Closing one valve lowers Q, which
// lowers the feeder and exchanger drops (and, on a constant-pressure pump, leaves H), so H_k
// rises and the other circuits gain flow.

import { BEND_FACTOR, pressureDropPaPerM, pressureDropSlope } from "./pipe.js";
import { FLOW_METER_KVS, kvFor, valveDropPa, valveDropSlope } from "./valve.js";

export interface PumpSpec {
  mode: "constant" | "proportional";
  headPa: number;
  maxFlowLpm: number;
}

export interface CircuitBranch {
  lengthM: number;
  innerM: number;
  /** Current valve kv, m³/h. */
  kv: number;
  /** Largest kv the valve reaches fully open. */
  kvs: number;
  /** Set while a person turns a flow-meter valve until it reads this flow. */
  fixedFlowLpm?: number;
}

export interface ManifoldBranch {
  /** Feeder pipe length, there and back, m. */
  feederM: number;
  feederInnerM: number;
  circuits: CircuitBranch[];
}

export interface Network {
  pump: PumpSpec;
  /** kv of the heat pump's plate exchanger and connections, m³/h. */
  heatPumpKv: number;
  manifolds: ManifoldBranch[];
}

export interface Solution {
  totalLpm: number;
  pumpHeadPa: number;
  /** Head left after the heat pump's exchanger, at the feeders' start. */
  plantHeadPa: number;
  manifolds: { flowLpm: number; headPa: number }[];
  /** Per manifold, per circuit: flow in l/min. */
  circuits: number[][];
}

/**
 * The head the pump delivers at flow Q: its control mode (constant H, or proportional
 * H = H_set·(½ + ½·Q/Q_max), Grundfos ALPHA2 style), never above its curve
 * H_max(Q) = 1.3·H_set·(1 − (Q/1.2·Q_max)²).
 */
export function pumpHeadPa(pump: PumpSpec, flowLpm: number): number {
  const controlled = pump.mode === "constant" ? pump.headPa : pump.headPa * (0.5 + 0.5 * Math.min(1, flowLpm / pump.maxFlowLpm));
  const x = flowLpm / (1.2 * pump.maxFlowLpm);
  const curve = 1.3 * pump.headPa * (1 - x * x);
  return Math.max(0, Math.min(controlled, curve));
}

export function circuitDropPa(c: CircuitBranch, flowLpm: number): number {
  return BEND_FACTOR * c.lengthM * pressureDropPaPerM(flowLpm, c.innerM) + valveDropPa(flowLpm, c.kv);
}

/** Pipe part only (no valve). */
export function circuitPipeDropPa(c: CircuitBranch, flowLpm: number): number {
  return BEND_FACTOR * c.lengthM * pressureDropPaPerM(flowLpm, c.innerM);
}

/** Flow through a circuit at head H: Newton from the right on a convex, increasing Δp(Q). */
export function circuitFlowLpm(c: CircuitBranch, headPa: number): number {
  if (c.fixedFlowLpm !== undefined) return c.fixedFlowLpm;
  if (c.kv <= 0 || headPa <= 0) return 0;
  let q = 4;
  while (circuitDropPa(c, q) < headPa && q < 1e4) q *= 2;
  for (let i = 0; i < 60; i++) {
    const f = circuitDropPa(c, q) - headPa;
    if (f <= headPa * 1e-10) break;
    const slope = BEND_FACTOR * c.lengthM * pressureDropSlope(q, c.innerM) + valveDropSlope(q, c.kv);
    const next = q - f / slope;
    if (!(next < q) || next <= 0) break;
    q = next;
  }
  return q;
}

function manifoldFlow(m: ManifoldBranch, headPa: number, out?: number[]): number {
  let sum = 0;
  for (let i = 0; i < m.circuits.length; i++) {
    const q = circuitFlowLpm(m.circuits[i], headPa);
    if (out) out[i] = q;
    sum += q;
  }
  return sum;
}

function feederDropPa(m: ManifoldBranch, flowLpm: number): number {
  return m.feederM * pressureDropPaPerM(flowLpm, m.feederInnerM);
}

/**
 * Root of an increasing function on [lo, hi] by the Illinois variant of false position:
 * superlinear like the secant method, bracketed like bisection.
 */
export function rootIncreasing(f: (x: number) => number, lo: number, hi: number, tol: number): number {
  let flo = f(lo);
  let fhi = f(hi);
  if (flo >= 0) return lo;
  if (fhi <= 0) return hi;
  let side = 0;
  let x = lo;
  for (let i = 0; i < 100; i++) {
    x = (lo * fhi - hi * flo) / (fhi - flo);
    if (!(x > lo && x < hi)) x = 0.5 * (lo + hi);
    const fx = f(x);
    if (fx === 0 || hi - lo < tol) break;
    if (fx < 0) {
      lo = x;
      flo = fx;
      if (side === -1) fhi /= 2;
      side = -1;
    } else {
      hi = x;
      fhi = fx;
      if (side === 1) flo /= 2;
      side = 1;
    }
    if (Math.abs(fx) < tol * 1e-3) break;
  }
  return x;
}

/** H_k such that H_k + Δp_feeder(Q_k(H_k)) = H_plant (monotonic). */
function manifoldHead(m: ManifoldBranch, plantHeadPa: number): number {
  if (plantHeadPa <= 0) return 0;
  return rootIncreasing((h) => h + feederDropPa(m, manifoldFlow(m, h)) - plantHeadPa, 0, plantHeadPa, 1e-3);
}

function plantHead(net: Network, flowLpm: number): number {
  return pumpHeadPa(net.pump, flowLpm) - valveDropPa(flowLpm, net.heatPumpKv);
}

function demand(net: Network, flowLpm: number): number {
  const h = plantHead(net, flowLpm);
  let sum = 0;
  for (const m of net.manifolds) sum += manifoldFlow(m, manifoldHead(m, h));
  return sum;
}

/** Solve the whole network: total flow Q with Σ_k Q_k(H_plant(Q)) = Q, then each branch. */
export function solveNetwork(net: Network): Solution {
  const lo = 0;
  let fixed = 0;
  for (const m of net.manifolds) for (const c of m.circuits) if (c.fixedFlowLpm !== undefined) fixed += c.fixedFlowLpm;
  const hi = Math.max(1.2 * net.pump.maxFlowLpm, fixed * 1.01 + 1);
  // Q − demand(Q) is increasing: demand falls (or rises more slowly than Q) as Q grows.
  const total = rootIncreasing((q) => q - demand(net, q), lo, hi, 1e-9);
  const pumpHead = pumpHeadPa(net.pump, total);
  const plant = plantHead(net, total);
  const manifolds: Solution["manifolds"] = [];
  const circuits: number[][] = [];
  for (const m of net.manifolds) {
    const head = manifoldHead(m, plant);
    const flows: number[] = new Array(m.circuits.length).fill(0);
    const flow = manifoldFlow(m, head, flows);
    manifolds.push({ flowLpm: flow, headPa: head });
    circuits.push(flows);
  }
  return { totalLpm: total, pumpHeadPa: pumpHead, plantHeadPa: plant, manifolds, circuits };
}

/**
 * Turn the circuits that carry `fixedFlowLpm` into valve kv values: a person turns each such
 * valve until its meter reads that flow, with everything else as it is. A circuit whose pipe
 * alone needs more than the head available cannot reach its setting: its valve ends fully open
 * (kv = kvs) and its meter reads less. Mutates the branches (kv set, fixedFlowLpm cleared) and
 * returns the final solution.
 */
export function settleFixedFlows(net: Network): Solution {
  for (let round = 0; round < 100; round++) {
    const sol = solveNetwork(net);
    // Open the worst-off circuit first: opening it lowers the others' head, so re-check after each.
    let worst: CircuitBranch | undefined;
    let worstDeficit = 0;
    net.manifolds.forEach((m, k) => {
      for (const c of m.circuits) {
        if (c.fixedFlowLpm === undefined || c.fixedFlowLpm <= 0) continue;
        const available = sol.manifolds[k].headPa - circuitPipeDropPa(c, c.fixedFlowLpm);
        const deficit = valveDropPa(c.fixedFlowLpm, c.kvs) - available;
        if (deficit >= worstDeficit) {
          worstDeficit = deficit;
          worst = c;
        }
      }
    });
    const changed = worst !== undefined;
    if (worst) {
      worst.kv = worst.kvs;
      worst.fixedFlowLpm = undefined;
    }
    if (changed) continue;
    net.manifolds.forEach((m, k) => {
      for (const c of m.circuits) {
        if (c.fixedFlowLpm === undefined) continue;
        c.kv = c.fixedFlowLpm <= 0 ? 0 : kvFor(c.fixedFlowLpm, sol.manifolds[k].headPa - circuitPipeDropPa(c, c.fixedFlowLpm));
        c.fixedFlowLpm = undefined;
      }
    });
    return solveNetwork(net);
  }
  throw new Error("hydraulics: fixed-flow settling did not converge");
}

export { FLOW_METER_KVS };
