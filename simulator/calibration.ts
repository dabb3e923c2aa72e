// The two calibration procedures of issue 19 as physics, so the fits in analyser/calibration/ are
// tested against a model rather than against their own assumptions. Both write the readings the
// nodes would write (line protocol, each sensor with its own offset, gain, noise, lag and
// quantisation from sensors.ts); neither advances the twin (an hour or two barely moves a house).
//
// Bundle (before mounting): every sensor of a node in one insulated pot of warm tap water.
// - The pot cools towards the room air: θ(t) = θ_air + (θ_0 − θ_air)·e^(−t/τ_pot), θ_0 45–55 °C,
//   τ_pot 100–160 min (lid and towel), so the first hour covers ≈ 8–12 K.
// - The probes sit bare in the water: lag τ/4 of the clamped value, no air coupling; the water is
//   not perfectly mixed, each position is off by N(0, 0.01 K) per 10 K above the air.
// - The sensors start at room air and are dropped in at minute 0 (the tool must wait that out).
//
// In place: the heat pump goes to standby (pump running) for `standbyMinutes`, then the person
// stops the floor circulation for `stopMinutes`. [est] parameters, documented in docs/calibration.md:
// - standby: supply and manifold return see one mixed water, which drifts towards the mean of the
//   slabs (τ 90 min); each circuit return settles towards its own slab (the 1.57 K apart).
// - stopped: the short pipe section under each sensor cools towards the cabinet air with its own
//   time constant: circuit pipes (16 mm PE-X) τ 12–30 min, supply/return feeders (larger, often
//   lagged) τ 25–50 min. Each section is also held by the manifold bar it hangs on (weight κ_bar
//   0.1–0.5; the bar cools with τ 30–50 min) and, for circuit returns, by the warm slab below
//   through the water column (weight κ_slab 0.005–0.03: a bias no waiting removes). The cabinet
//   air starts 1 K above the room air (the warm manifold) and relaxes to it with τ 30 min.
// - the die follows its pipe wall with the clamped lag and reads θ − ε(θ − θ_cabinet).

import type { House } from "../shared/house/index.js";
import { celsiusText, temperaturePrefix } from "./lines.js";
import { Rng } from "./rng.js";
import { GAIN_REFERENCE_C, type SensorSpec } from "./sensors.js";

const DT = 10;

function reading(spec: SensorSpec, die: number, rng: Rng): number {
  const v = die + spec.offsetK + spec.gain * (die - GAIN_REFERENCE_C) + spec.noiseK * rng.normal();
  return Math.round(v / spec.stepK) * spec.stepK;
}

function intervalOf(house: House, node: string): number {
  return Math.max(DT, Math.round((house.nodes.find((n) => n.id === node)?.interval_s ?? DT) / DT) * DT);
}

export interface BundleOptions {
  seed: number;
  /** Unix s when the sensors go into the pot. */
  start: number;
  minutes?: number;
  airC?: number;
}

export interface BundleRun {
  text: string;
  /** The pot's true (mean) water temperature per minute, for tests. */
  potC: number[];
  startC: number;
  tauPotMin: number;
}

/** The bundle procedure for the given sensors (one pot): readings from `start` for `minutes`. */
export function simulateBundle(house: House, sensors: readonly SensorSpec[], opts: BundleOptions): BundleRun {
  const rng = new Rng(opts.seed, "bundle");
  const air = opts.airC ?? 21;
  const startC = rng.range(45, 55);
  const tauPot = rng.range(100, 160) * 60;
  const minutes = opts.minutes ?? 75;
  const position = sensors.map(() => rng.normal() * 0.01);
  const die = sensors.map(() => air);
  const prefixes = sensors.map((s) => temperaturePrefix(s.node, s.bus, s.rom, true));
  const every = sensors.map((s) => intervalOf(house, s.node));
  const sample = new Rng(opts.seed, "bundle-samples");
  const potC: number[] = [];
  let text = "";
  for (let k = 1; k <= (minutes * 60) / DT; k++) {
    const t = k * DT;
    const pot = air + (startC - air) * Math.exp(-t / tauPot);
    if (t % 60 === 0) potC.push(pot);
    sensors.forEach((s, i) => {
      const water = pot + position[i] * ((pot - air) / 10);
      die[i] += (water - die[i]) * (1 - Math.exp(-DT / (s.tauS / 4)));
      if (t % every[i] === 0) text += prefixes[i] + celsiusText(reading(s, die[i], sample)) + " " + (opts.start + t) + "\n";
    });
  }
  return { text, potC, startC, tauPotMin: tauPot / 60 };
}

export interface Surroundings {
  rom: string;
  water_c: number;
  die_c: number;
  air_c: number;
  slab_c: number;
  manifold: number;
  alive: boolean;
}

export interface InPlaceOptions {
  seed: number;
  /** Unix s when the heat pump goes to standby (the twin's time). */
  start: number;
  /** Heat pump in standby with the floor pump running, before the stop (0 = none). */
  standbyMinutes?: number;
  /** Floor circulation stopped. */
  stopMinutes?: number;
}

export interface InPlaceRun {
  text: string;
  /** Unix s the circulation stopped, and started again. */
  stoppedAt: number;
  endsAt: number;
  /** Per ROM: the steady bias its pipe keeps from the slab below when stopped (K, truth for tests). */
  slabBiasK: Map<string, number>;
}

/**
 * The in-place procedure from the twin's state now (`twin.sensorSurroundings()` and its specs):
 * standby, then the circulation stopped; readings per node interval.
 */
export function simulateInPlace(house: House, sensors: readonly SensorSpec[], around: readonly Surroundings[], opts: InPlaceOptions): InPlaceRun {
  const rng = new Rng(opts.seed, "in-place");
  const standby = (opts.standbyMinutes ?? 0) * 60;
  const stop = (opts.stopMinutes ?? 120) * 60;
  const nm = Math.max(1, ...around.map((a) => a.manifold + 1));
  const roomAir = Array.from({ length: nm }, (_, k) => around.find((a) => a.manifold === k)?.air_c ?? 20);
  const cabinet = roomAir.map((x) => x + 1);
  // Standby: the mixed water per manifold starts at its return and drifts towards the mean slab.
  const slabMean = roomAir.map((_, k) => {
    const xs = around.filter((a, i) => a.manifold === k && sensors[i].role === "circuit").map((a) => a.slab_c);
    return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : roomAir[k];
  });
  const mixed = roomAir.map((_, k) => around.find((a, i) => a.manifold === k && sensors[i].role === "return")?.water_c ?? slabMean[k]);
  const pipe = around.map((a) => a.water_c);
  const die = around.map((a) => a.die_c);
  const params = sensors.map((s) => {
    const feeder = s.role !== "circuit";
    return {
      tau: (feeder ? rng.range(25, 50) : rng.range(12, 30)) * 60,
      kBar: rng.range(0.1, 0.5),
      kSlab: feeder ? 0 : rng.range(0.005, 0.03),
    };
  });
  // The bars (supply, return) per manifold, from the water in them when the circulation stops.
  const supplyBar = new Float64Array(nm);
  const returnBar = new Float64Array(nm);
  const barTau = roomAir.map(() => rng.range(30, 50) * 60);
  const prefixes = sensors.map((s) => temperaturePrefix(s.node, s.bus, s.rom, true));
  const every = sensors.map((s) => intervalOf(house, s.node));
  const sample = new Rng(opts.seed, "in-place-samples");
  const slabBiasK = new Map<string, number>();
  let text = "";
  for (let k = 1; k <= (standby + stop) / DT; k++) {
    const t = k * DT;
    const stopped = t > standby;
    if (t === standby + DT) {
      for (let m = 0; m < nm; m++) {
        const sup = around.findIndex((a, i) => a.manifold === m && sensors[i].role === "supply");
        const ret = around.findIndex((a, i) => a.manifold === m && sensors[i].role === "return");
        supplyBar[m] = sup >= 0 ? pipe[sup] : mixed[m];
        returnBar[m] = ret >= 0 ? pipe[ret] : mixed[m];
      }
    }
    for (let m = 0; m < nm; m++) {
      if (!stopped) mixed[m] += (slabMean[m] - mixed[m]) * (DT / (90 * 60));
      else {
        const relax = 1 - Math.exp(-DT / barTau[m]);
        supplyBar[m] += (cabinet[m] - supplyBar[m]) * relax;
        returnBar[m] += (cabinet[m] - returnBar[m]) * relax;
        cabinet[m] += (roomAir[m] - cabinet[m]) * (DT / 1800);
      }
    }
    sensors.forEach((s, i) => {
      const a = around[i];
      const m = a.manifold;
      if (!stopped) {
        // Circulating: the feeders carry the mixed water, circuit returns settle towards their slab.
        pipe[i] = s.role === "circuit" ? pipe[i] + (a.slab_c + 0.3 * (mixed[m] - a.slab_c) - pipe[i]) * (DT / (40 * 60)) : mixed[m];
      } else {
        const p = params[i];
        const bar = s.role === "supply" ? supplyBar[m] : returnBar[m];
        const target = (cabinet[m] + p.kBar * bar + p.kSlab * a.slab_c) / (1 + p.kBar + p.kSlab);
        pipe[i] += (target - pipe[i]) * (1 - Math.exp(-DT / p.tau));
        if (t === standby + stop) slabBiasK.set(s.rom, (p.kSlab * (a.slab_c - roomAir[m])) / (1 + p.kBar + p.kSlab));
      }
      const surface = pipe[i] - s.epsilon * (pipe[i] - cabinet[m]);
      die[i] += (surface - die[i]) * (1 - Math.exp(-DT / s.tauS));
      if (a.alive && t % every[i] === 0) text += prefixes[i] + celsiusText(reading(s, die[i], sample)) + " " + (opts.start + t) + "\n";
    });
  }
  return { text, stoppedAt: opts.start + standby, endsAt: opts.start + standby + stop, slabBiasK };
}
