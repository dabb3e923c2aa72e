// The physical twin: hydraulics, water transport, floors, rooms, heat pump, weather and sensors
// of one house, stepped in time. The state lives in typed arrays (one slot per cell, circuit,
// manifold, room, sensor) because the loop runs ~10⁵–10⁶ steps per simulated month.
//
// Loop of one step (dt ≤ 10 s):
//   heat pump node ← water returned in the last step + compressor heat
//   → supply feeder of each manifold (cells) → every circuit (cells ↔ floor cells)
//   → mix at the manifold's return → return feeder (cells) → back to the heat pump.
// Floors exchange with room air (upwards, α) and the building mass below (R_u). Rooms lose to
// outside, exchange with the rest of the house, and gain from people, cooking and sun.
// Every heat flow is booked once with the same numbers on both sides, so energy is conserved
// exactly (see ledger()).

import { DateTime } from "luxon";
import type { House } from "../shared/house/index.js";
import { parsePipe } from "../shared/house/index.js";
import { ALPHA_FLOOR, R_DOWN, floorKH, screedCapacity, waterToFloorK } from "./floor.js";
import { HeatPumpController, type HeatPumpState } from "./heatpump.js";
import { FLOW_METER_KVS, settleFixedFlows, solveNetwork, type Network, type Solution } from "./hydraulics.js";
import { Rng } from "./rng.js";
import { AIR_CAPACITY, AIR_MASS_UA, buildRooms, gainProfile, GLAZING_G, MASS_CAPACITY, NEIGHBOUR_UA, type RoomSpec } from "./room.js";
import { buildSensors, NOISE_K, READ_CRC, READ_MISSING, READ_POWER_ON, READ_VALUE, type SensorSpec } from "./sensors.js";
import { kvFor, lockshieldKv } from "./valve.js";
import { capacityFlowWK, stepCellChain, WATER_C_PER_LITRE } from "./water.js";
import { Weather, type WeatherOptions } from "./weather.js";

export interface TwinOptions {
  /** Unix seconds, UTC. */
  start: number;
  seed?: number;
  /** Default: each node's interval_s. */
  outputIntervalS?: number;
  /** 85 °C reads, CRC failures, dropouts, one dying sensor. Default true. */
  sensorFaults?: boolean;
  /** Days simulated before `start` so the house starts warm and settled. Default 2. */
  spinUpDays?: number;
  /** Temperature of all water, floors and rooms before the spin-up, °C. Default: each room's setpoint. */
  initialC?: number;
  weather?: WeatherOptions;
  /** σ of a genuine sensor's offset, K (default 0.2). */
  sensorOffsetSdK?: number;
}

export type RawRead = { kind: "value"; celsius: number } | { kind: "power_on" } | { kind: "crc" } | { kind: "missing" };
export interface SensorSample {
  time: number;
  node: string;
  bus: string;
  rom: string;
  raw: RawRead;
}

export interface Truth {
  time: number;
  outdoor_c: number;
  heat_pump: { state: HeatPumpState; supply_c: number; return_c: number; heat_w: number; flow_lpm: number };
  manifolds: { id: string; flow_lpm: number; supply_c: number; return_c: number }[];
  circuits: {
    id: string;
    manifold: string;
    flow_lpm: number;
    supply_c: number;
    return_c: number;
    /** Heat the water gives to the floor, W. */
    heat_w: number;
    room_c: number;
    /** Of that, what the floor surface gives to the room (EN 1264's q·A), W. Beyond the contract. */
    floor_to_room_w: number;
  }[];
  sensors: { rom: string; offset_k: number }[];
}

export interface ValveState {
  kind: "flow-meter" | "lockshield";
  /** What the flow meter reads now (flow-meter valves). */
  setting_lpm?: number;
  turns_open?: number;
  kv: number;
  flow_lpm: number;
}

/** Energy books since the twin was made (spin-up included), J, and what is stored in the water now. */
export interface Ledger {
  heat_pump_j: number;
  floor_j: number;
  water_stored_j: number;
}

/** Fast-path sample callback: sensor index, time, read kind (READ_*), value (°C, for READ_VALUE). */
export type RawSampleFn = (sensor: number, time: number, kind: number, celsius: number) => void;

/** Water cells per circuit (N tanks in series: front spread τ/√N ≈ 22 % of the transit time). */
export const CELLS_PER_CIRCUIT = 20;
const FEEDER_CELLS = 4;
/** Water inside the heat pump (plate exchanger, pipes), litres. */
const HEAT_PUMP_LITRES = 4;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export class Twin {
  readonly house: House;
  readonly start: number;
  readonly dt: number;
  readonly sensors: readonly SensorSpec[];
  readonly rooms: readonly RoomSpec[];
  private t: number;
  private readonly seed: number;

  // Hydraulics.
  private readonly net: Network;
  private sol!: Solution;
  /** Circuit index → [manifold index, position in that manifold's branch list]. */
  private readonly branchOf: [number, number][];

  // Circuits.
  private readonly nc: number;
  private readonly cellT: Float64Array;
  private readonly slabT: Float64Array;
  private readonly mCount: Float64Array;
  private readonly cCap: Float64Array;
  private readonly cK: Float64Array;
  private readonly cSlabCap: Float64Array;
  private readonly cUp: Float64Array;
  private readonly cDown: Float64Array;
  private readonly cFlowWK: Float64Array;
  private readonly cFlowLpm: Float64Array;
  private readonly cHeatW: Float64Array;
  private readonly cUpW: Float64Array;
  private readonly cRoom: Int32Array;
  private readonly cManifold: Int32Array;

  // Manifolds and feeders.
  private readonly nm: number;
  private readonly feedSup: Float64Array;
  private readonly feedRet: Float64Array;
  private readonly mFeedCap: Float64Array;
  private readonly mFlowWK: Float64Array;
  private readonly mFlowLpm: Float64Array;
  private readonly mSupplyC: Float64Array;
  private readonly mReturnC: Float64Array;
  private readonly mAirC: Float64Array;
  private readonly mMixAcc: Float64Array;

  // Heat pump.
  private readonly hp: HeatPumpController;
  private hpT: number;
  private readonly hpCap: number;
  private inFlightJ: number;
  private totalFlowWK = 0;
  private readonly minFlowWK: number;

  // Rooms.
  private readonly nr: number;
  private readonly airT: Float64Array;
  private readonly massT: Float64Array;
  private readonly rAirCap: Float64Array;
  private readonly rMassCap: Float64Array;
  private readonly rLoss: Float64Array;
  private readonly rMassUA: Float64Array;
  private readonly rNeighUA: Float64Array;
  private readonly rWindow: Float64Array;
  private readonly rGain: Float64Array;
  private readonly rAirJ: Float64Array;
  private readonly rMassJ: Float64Array;

  // Weather and local time.
  private readonly weather: Weather;
  private readonly zone: string;
  private offsetS = 0;
  private offsetValidUntil = -Infinity;
  private outdoorC = 0;

  // Sensors.
  private readonly ns: number;
  private readonly sT: Float64Array;
  private readonly sLag: Float64Array;
  private readonly sEps: Float64Array;
  private readonly sOffset: Float64Array;
  private readonly sStep: Float64Array;
  private readonly sDies: Float64Array;
  private readonly sDropLeft: Int32Array;
  private readonly sRole: Int32Array; // 0 supply, 1 return, 2 circuit
  private readonly sWhere: Int32Array; // manifold index or cell index of the circuit's last cell
  private readonly sManifold: Int32Array;
  private readonly sampleRng: Rng;
  /** Node index → sensor indices, in bus order. */
  private readonly nodeSensors: Int32Array[];
  private readonly nodeInterval: Int32Array;

  // Books.
  private hpJ = 0;
  private floorJ = 0;

  constructor(house: House, options: TwinOptions) {
    this.house = house;
    this.seed = options.seed ?? 1;
    const faults = options.sensorFaults ?? true;

    // Time step: at most 10 s, and a divisor of every output interval. The start is aligned to
    // it, so that steps fall on whole minutes (node_health and truth are per minute).
    const intervals = house.nodes.map((n) => Math.max(1, Math.round(options.outputIntervalS ?? n.interval_s)));
    this.dt = intervals.reduce((g, iv) => gcd(g, iv), 10);
    this.start = Math.floor(options.start / this.dt) * this.dt;
    this.nodeInterval = Int32Array.from(intervals);

    const { rooms, roomOfCircuit } = buildRooms(house);
    this.rooms = rooms;
    this.nr = rooms.length;
    this.nc = house.circuits.length;
    this.nm = house.manifolds.length;
    const N = CELLS_PER_CIRCUIT;
    const manifoldIdx = new Map(house.manifolds.map((m, i) => [m.id, i]));

    // ---- hydraulics ----
    this.branchOf = [];
    this.net = {
      pump: { mode: house.plant.pump.mode, headPa: house.plant.pump.head_kpa * 1000, maxFlowLpm: house.plant.pump.max_flow_lpm },
      heatPumpKv: kvFor(house.plant.heat_pump.water_side.at_flow_lpm, house.plant.heat_pump.water_side.drop_kpa * 1000),
      manifolds: house.manifolds.map((m) => ({ feederM: m.feeder_m, feederInnerM: parsePipe(m.feeder_pipe).inner_m, circuits: [] })),
    };
    house.circuits.forEach((c) => {
      const k = manifoldIdx.get(c.manifold) ?? 0;
      const branches = this.net.manifolds[k].circuits;
      const v = c.valve;
      if (v.kind === "flow-meter") {
        branches.push({ lengthM: c.length_m, innerM: c.pipe.inner_m, kv: FLOW_METER_KVS, kvs: FLOW_METER_KVS, fixedFlowLpm: v.setting_lpm });
      } else {
        const ch = v.characteristic;
        branches.push({ lengthM: c.length_m, innerM: c.pipe.inner_m, kv: lockshieldKv(v.turns_open, ch.kvs, ch.n0_turns), kvs: ch.kvs });
      }
      this.branchOf.push([k, branches.length - 1]);
    });
    this.valveTurns = house.circuits.map((c) => (c.valve.kind === "lockshield" ? c.valve.turns_open : NaN));

    // ---- circuits ----
    this.cellT = new Float64Array(this.nc * N);
    this.slabT = new Float64Array(this.nc * N);
    this.cCap = new Float64Array(this.nc);
    this.cK = new Float64Array(this.nc);
    this.cSlabCap = new Float64Array(this.nc);
    this.cUp = new Float64Array(this.nc);
    this.cDown = new Float64Array(this.nc);
    this.cFlowWK = new Float64Array(this.nc);
    this.cFlowLpm = new Float64Array(this.nc);
    this.cHeatW = new Float64Array(this.nc);
    this.cUpW = new Float64Array(this.nc);
    this.cRoom = Int32Array.from(roomOfCircuit);
    this.cManifold = new Int32Array(this.nc);
    house.circuits.forEach((c, i) => {
      this.cManifold[i] = manifoldIdx.get(c.manifold) ?? 0;
      const litres = c.length_m * c.pipe.litres_per_m;
      this.cCap[i] = (litres * WATER_C_PER_LITRE) / N;
      const kH = floorKH(c.floor);
      this.cK[i] = (waterToFloorK(kH) * c.area_m2) / N;
      this.cSlabCap[i] = (screedCapacity(c.floor.screed_m) * c.area_m2) / N;
      this.cUp[i] = (ALPHA_FLOOR * c.area_m2) / N;
      this.cDown[i] = c.area_m2 / R_DOWN / N;
    });

    // ---- manifolds ----
    this.feedSup = new Float64Array(this.nm * FEEDER_CELLS);
    this.feedRet = new Float64Array(this.nm * FEEDER_CELLS);
    this.mFeedCap = new Float64Array(this.nm);
    this.mFlowWK = new Float64Array(this.nm);
    this.mFlowLpm = new Float64Array(this.nm);
    this.mSupplyC = new Float64Array(this.nm);
    this.mReturnC = new Float64Array(this.nm);
    this.mAirC = new Float64Array(this.nm);
    this.mMixAcc = new Float64Array(this.nm);
    this.mCount = new Float64Array(this.nm);
    for (const c of house.circuits) this.mCount[manifoldIdx.get(c.manifold) ?? 0]++;
    house.manifolds.forEach((m, k) => {
      // Half the feeder's length is the supply leg, half the return leg.
      this.mFeedCap[k] = ((m.feeder_m / 2) * parsePipe(m.feeder_pipe).litres_per_m * WATER_C_PER_LITRE) / FEEDER_CELLS;
    });

    // ---- heat pump ----
    const spinUp = Math.max(0, options.spinUpDays ?? 2);
    this.t = this.start - Math.round((spinUp * 86400) / this.dt) * this.dt;
    this.hp = new HeatPumpController(house, this.seed, this.t);
    this.hpCap = HEAT_PUMP_LITRES * WATER_C_PER_LITRE;
    this.minFlowWK = capacityFlowWK(house.plant.heat_pump.min_flow_lpm);

    // ---- rooms ----
    const nr = this.nr;
    this.airT = new Float64Array(nr);
    this.massT = new Float64Array(nr);
    this.rAirCap = new Float64Array(nr);
    this.rMassCap = new Float64Array(nr);
    this.rLoss = new Float64Array(nr);
    this.rMassUA = new Float64Array(nr);
    this.rNeighUA = new Float64Array(nr);
    this.rWindow = new Float64Array(nr);
    this.rGain = new Float64Array(nr);
    this.rAirJ = new Float64Array(nr);
    this.rMassJ = new Float64Array(nr);
    rooms.forEach((r, i) => {
      this.rAirCap[i] = AIR_CAPACITY * r.areaM2;
      this.rMassCap[i] = MASS_CAPACITY * r.areaM2;
      this.rLoss[i] = r.heatLossWK;
      this.rMassUA[i] = AIR_MASS_UA * r.areaM2;
      this.rNeighUA[i] = NEIGHBOUR_UA * r.areaM2;
      this.rWindow[i] = r.windowM2;
      this.rGain[i] = r.internalGainW;
    });

    // ---- weather ----
    this.weather = new Weather(this.seed, options.weather);
    this.zone = house.site.timezone;

    // ---- sensors ----
    this.sensors = buildSensors(house, this.seed, this.start, faults, options.sensorOffsetSdK);
    const ns = (this.ns = this.sensors.length);
    this.sT = new Float64Array(ns);
    this.sLag = new Float64Array(ns);
    this.sEps = new Float64Array(ns);
    this.sOffset = new Float64Array(ns);
    this.sStep = new Float64Array(ns);
    this.sDies = new Float64Array(ns);
    this.sDropLeft = new Int32Array(ns);
    this.sRole = new Int32Array(ns);
    this.sWhere = new Int32Array(ns);
    this.sManifold = new Int32Array(ns);
    this.sensors.forEach((s, i) => {
      this.sLag[i] = 1 - Math.exp(-this.dt / s.tauS);
      this.sEps[i] = s.epsilon;
      this.sOffset[i] = s.offsetK;
      this.sStep[i] = s.stepK;
      this.sDies[i] = s.diesAt;
      this.sRole[i] = s.role === "supply" ? 0 : s.role === "return" ? 1 : 2;
      this.sWhere[i] = s.role === "circuit" ? s.circuit * N + N - 1 : s.manifold;
      this.sManifold[i] = s.manifold;
    });
    this.sampleRng = new Rng(this.seed, "samples");
    this.sensorByRom = new Map(this.sensors.map((s, i) => [s.rom, i]));
    const busOrder = (s: SensorSpec) => house.nodes.find((n) => n.id === s.node)?.buses.findIndex((b) => b.id === s.bus) ?? 0;
    this.nodeSensors = house.nodes.map((n) => {
      const idx = this.sensors.map((s, i) => [s, i] as const).filter(([s]) => s.node === n.id);
      idx.sort((a, b) => busOrder(a[0]) - busOrder(b[0]) || a[1] - b[1]);
      return Int32Array.from(idx.map(([, i]) => i));
    });

    // ---- initial state, then spin-up ----
    for (let i = 0; i < nr; i++) this.airT[i] = this.massT[i] = options.initialC ?? rooms[i].setpointC;
    for (let c = 0; c < this.nc; c++) {
      const room = this.airT[this.cRoom[c]];
      for (let k = c * N; k < (c + 1) * N; k++) this.cellT[k] = this.slabT[k] = room;
    }
    const init = options.initialC ?? 20;
    this.feedSup.fill(init);
    this.feedRet.fill(init);
    this.hpT = init;
    this.mSupplyC.fill(init);
    this.mReturnC.fill(init);
    this.inFlightJ = 0;
    this.applySolution(settleFixedFlows(this.net));
    this.inFlightJ = this.totalFlowWK * this.dt * init;
    this.sT.fill(init);
    this.updateManifoldAir();
    this.advance(this.start, null);
    this.hpJ = 0;
    this.floorJ = 0;
  }

  private readonly valveTurns: number[];
  private readonly sensorByRom: Map<string, number>;

  get time(): number {
    return this.t;
  }

  private applySolution(sol: Solution): void {
    this.sol = sol;
    this.mFlowWK.fill(0);
    this.mFlowLpm.fill(0);
    for (let c = 0; c < this.nc; c++) {
      const [k, j] = this.branchOf[c];
      const q = sol.circuits[k][j];
      this.cFlowLpm[c] = q;
      this.cFlowWK[c] = capacityFlowWK(q);
      this.mFlowLpm[k] += q;
      this.mFlowWK[k] += this.cFlowWK[c];
    }
    let total = 0;
    for (let k = 0; k < this.nm; k++) total += this.mFlowWK[k];
    this.totalFlowWK = total;
  }

  private localTime(t: number): void {
    if (t >= this.offsetValidUntil) {
      const dt = DateTime.fromSeconds(t, { zone: this.zone });
      this.offsetS = (dt.isValid ? dt.offset : 0) * 60;
      this.offsetValidUntil = (Math.floor(t / 3600) + 1) * 3600;
    }
  }

  private updateManifoldAir(): void {
    // The air around a manifold cabinet: the mean of the rooms its circuits heat.
    const air = this.mAirC;
    air.fill(0);
    for (let c = 0; c < this.nc; c++) air[this.cManifold[c]] += this.airT[this.cRoom[c]];
    for (let k = 0; k < this.nm; k++) air[k] = this.mCount[k] > 0 ? air[k] / this.mCount[k] : 20;
  }

  /** Run the physics until `until` (whole steps); sample sensors only when `onRaw` is given. */
  advance(until: number, onRaw: RawSampleFn | null): void {
    const N = CELLS_PER_CIRCUIT;
    const dt = this.dt;
    const nc = this.nc;
    const nm = this.nm;
    const nr = this.nr;
    const { cellT, slabT, cCap, cK, cSlabCap, cUp, cDown, cFlowWK, cHeatW, cRoom, cManifold } = this;
    const { feedSup, feedRet, mFeedCap, mFlowWK, mSupplyC, mReturnC, mMixAcc } = this;
    const { airT, massT, rAirCap, rMassCap, rLoss, rMassUA, rNeighUA, rWindow, rGain, rAirJ, rMassJ } = this;
    while (this.t + dt <= until + 1e-9) {
      const t = this.t + dt;
      this.localTime(t);
      const localS = t + this.offsetS;
      const localDay = Math.floor(localS / 86400);
      const localHour = (localS - localDay * 86400) / 3600;
      const outdoor = this.weather.outdoorC(t, localHour, localDay);
      this.outdoorC = outdoor;

      // Heat pump: the water that came back last step, plus the compressor.
      const totalWK = this.totalFlowWK;
      const returnC = totalWK > 0 ? this.inFlightJ / (dt * totalWK) : this.hpT;
      const power = this.hp.step(t, dt, returnC, totalWK, outdoor, localHour, localDay, this.minFlowWK);
      this.hpT = (this.hpCap * this.hpT + this.inFlightJ + power * dt) / (this.hpCap + dt * totalWK);
      this.hpJ += power * dt;

      // Supply feeders.
      for (let k = 0; k < nm; k++) {
        mSupplyC[k] = stepCellChain(feedSup, null, null, k * FEEDER_CELLS, FEEDER_CELLS, this.hpT, mFeedCap[k], mFlowWK[k], 0, dt);
        mMixAcc[k] = 0;
        mReturnC[k] = 0;
      }
      rAirJ.fill(0);
      rMassJ.fill(0);

      // Circuits and their floors.
      for (let c = 0; c < nc; c++) {
        const k = cManifold[c];
        const base = c * N;
        const r = cRoom[c];
        const ta = airT[r];
        const tm = massT[r];
        const up = cUp[c] * dt;
        const down = cDown[c] * dt;
        const invCap = 1 / cSlabCap[c];
        // Water cells implicit in transport (see water.ts stepCellChain, the same scheme fused
        // here with the floor cells for speed); floor cells explicit (τ ≈ 2 h ≫ dt).
        const a = cCap[c] / dt;
        const w = cFlowWK[c];
        const kc = cK[c];
        const kdt = kc * dt;
        const inv = 1 / (a + w + kc);
        let prev = mSupplyC[k];
        let heat = 0;
        let toAir = 0;
        let toMass = 0;
        for (let i = base, end = base + N; i < end; i++) {
          const ts = slabT[i];
          const tw = (a * cellT[i] + w * prev + kc * ts) * inv;
          cellT[i] = tw;
          prev = tw;
          const q = kdt * (tw - ts);
          const qa = up * (ts - ta);
          const qm = down * (ts - tm);
          slabT[i] = ts + (q - qa - qm) * invCap;
          heat += q;
          toAir += qa;
          toMass += qm;
        }
        const out = prev;
        mMixAcc[k] += w * out;
        mReturnC[k] += out; // plain mean, used only if the manifold has no flow
        cHeatW[c] = heat / dt;
        this.cUpW[c] = toAir / dt;
        this.floorJ += heat;
        rAirJ[r] += toAir;
        rMassJ[r] += toMass;
      }

      // Manifold returns and return feeders.
      let inFlight = 0;
      for (let k = 0; k < nm; k++) {
        const n = this.mCount[k];
        mReturnC[k] = mFlowWK[k] > 0 ? mMixAcc[k] / mFlowWK[k] : n > 0 ? mReturnC[k] / n : mSupplyC[k];
        const out = stepCellChain(feedRet, null, null, k * FEEDER_CELLS, FEEDER_CELLS, mReturnC[k], mFeedCap[k], mFlowWK[k], 0, dt);
        inFlight += mFlowWK[k] * out * dt;
      }
      this.inFlightJ = inFlight;

      // Rooms: air and building mass.
      const solar = this.weather.solarWm2(localHour, localDay) * GLAZING_G;
      const gainFactor = gainProfile(localHour);
      let neighSum = 0;
      let neighUA = 0;
      for (let r = 0; r < nr; r++) {
        neighSum += rNeighUA[r] * airT[r];
        neighUA += rNeighUA[r];
      }
      const houseMean = neighUA > 0 ? neighSum / neighUA : 20;
      for (let r = 0; r < nr; r++) {
        const ta = airT[r];
        const tm = massT[r];
        const sun = rWindow[r] * solar;
        const airMass = rMassUA[r] * (ta - tm);
        const qAir = rAirJ[r] + dt * (rGain[r] * gainFactor + 0.5 * sun - rLoss[r] * (ta - outdoor) - rNeighUA[r] * (ta - houseMean) - airMass);
        const qMass = rMassJ[r] + dt * (0.5 * sun + airMass);
        airT[r] = ta + qAir / rAirCap[r];
        massT[r] = tm + qMass / rMassCap[r];
      }
      this.updateManifoldAir();

      // Sensors: lag towards the pipe wall, pulled a little towards the air.
      for (let s = 0; s < this.ns; s++) {
        const role = this.sRole[s];
        const m = this.sManifold[s];
        const water = role === 0 ? mSupplyC[m] : role === 1 ? mReturnC[m] : cellT[this.sWhere[s]];
        const target = water - this.sEps[s] * (water - this.mAirC[m]);
        this.sT[s] += (target - this.sT[s]) * this.sLag[s];
      }
      this.t = t;

      if (onRaw !== null) {
        const since = t - this.start;
        for (let n = 0; n < this.nodeSensors.length; n++) {
          if (since % this.nodeInterval[n] !== 0) continue;
          const list = this.nodeSensors[n];
          for (let j = 0; j < list.length; j++) this.sample(list[j], t, onRaw);
        }
      }
    }
  }

  private sample(s: number, t: number, onRaw: RawSampleFn): void {
    if (t >= this.sDies[s]) return onRaw(s, t, READ_MISSING, NaN);
    if (this.sDropLeft[s] > 0) {
      this.sDropLeft[s]--;
      return onRaw(s, t, READ_MISSING, NaN);
    }
    const spec = this.sensors[s];
    const rng = this.sampleRng;
    const u = rng.next();
    if (u < spec.pDropout) {
      this.sDropLeft[s] = Math.floor(rng.next() * 6);
      return onRaw(s, t, READ_MISSING, NaN);
    }
    if (u < spec.pDropout + spec.pCrc) return onRaw(s, t, READ_CRC, NaN);
    if (u < spec.pDropout + spec.pCrc + spec.pPowerOn) return onRaw(s, t, READ_POWER_ON, 85);
    const step = this.sStep[s];
    const v = Math.round((this.sT[s] + this.sOffset[s] + NOISE_K * rng.normal()) / step) * step;
    onRaw(s, t, READ_VALUE, v);
  }

  /** Advance to `until`, one sample per sensor per output interval. */
  runTo(until: number, onSample?: (s: SensorSample) => void): void {
    if (!onSample) return this.advance(until, null);
    const specs = this.sensors;
    this.advance(until, (s, time, kind, celsius) => {
      const spec = specs[s];
      const raw: RawRead =
        kind === READ_VALUE ? { kind: "value", celsius } : kind === READ_POWER_ON ? { kind: "power_on" } : kind === READ_CRC ? { kind: "crc" } : { kind: "missing" };
      onSample({ time, node: spec.node, bus: spec.bus, rom: spec.rom, raw });
    });
  }

  truth(): Truth {
    const N = CELLS_PER_CIRCUIT;
    const house = this.house;
    return {
      time: this.t,
      outdoor_c: this.outdoorC,
      heat_pump: {
        state: this.hp.state,
        supply_c: this.hpT,
        return_c: this.totalFlowWK > 0 ? this.inFlightJ / (this.dt * this.totalFlowWK) : this.hpT,
        heat_w: this.hp.powerW,
        flow_lpm: this.sol.totalLpm,
      },
      manifolds: house.manifolds.map((m, k) => ({ id: m.id, flow_lpm: this.mFlowLpm[k], supply_c: this.mSupplyC[k], return_c: this.mReturnC[k] })),
      circuits: house.circuits.map((c, i) => ({
        id: c.id,
        manifold: c.manifold,
        flow_lpm: this.cFlowLpm[i],
        supply_c: this.mSupplyC[this.cManifold[i]],
        return_c: this.cellT[i * N + N - 1],
        heat_w: this.cHeatW[i],
        room_c: this.airT[this.cRoom[i]],
        floor_to_room_w: this.cUpW[i],
      })),
      sensors: this.sensors.map((s) => ({ rom: s.rom, offset_k: s.offsetK })),
    };
  }

  /** Room air temperatures by room name. */
  roomTemperatures(): Map<string, number> {
    return new Map(this.rooms.map((r, i) => [r.name, this.airT[i]]));
  }

  /** Heat-pump supply target from the heating curve now, °C. */
  supplyTargetC(): number {
    return this.hp.supplyTargetC;
  }

  private circuitIndex(circuitId: string): number {
    const i = this.house.circuits.findIndex((c) => c.id === circuitId);
    if (i < 0) throw new Error(`no circuit "${circuitId}" in this house`);
    return i;
  }

  valve(circuitId: string): ValveState {
    const i = this.circuitIndex(circuitId);
    const [k, j] = this.branchOf[i];
    const branch = this.net.manifolds[k].circuits[j];
    const kind = this.house.circuits[i].valve.kind;
    return kind === "flow-meter"
      ? { kind, setting_lpm: this.cFlowLpm[i], kv: branch.kv, flow_lpm: this.cFlowLpm[i] }
      : { kind, turns_open: this.valveTurns[i], kv: branch.kv, flow_lpm: this.cFlowLpm[i] };
  }

  /**
   * Change a valve exactly and re-solve the network. A flow-meter valve is turned until its
   * meter reads `setting_lpm` with everything else as it is now (if the pipe cannot carry that
   * much, the valve ends fully open); the other circuits' flows shift with the shared head.
   */
  setValve(circuitId: string, change: { setting_lpm?: number; turns_open?: number }): void {
    const i = this.circuitIndex(circuitId);
    const [k, j] = this.branchOf[i];
    const branch = this.net.manifolds[k].circuits[j];
    const valve = this.house.circuits[i].valve;
    if (change.setting_lpm !== undefined) {
      if (valve.kind !== "flow-meter") throw new Error(`circuit ${circuitId} has a lockshield; set turns_open`);
      if (!(change.setting_lpm >= 0)) throw new Error(`setting ${change.setting_lpm} l/min is not a flow`);
      branch.fixedFlowLpm = change.setting_lpm;
      this.applySolution(settleFixedFlows(this.net));
    } else if (change.turns_open !== undefined) {
      if (valve.kind !== "lockshield") throw new Error(`circuit ${circuitId} has a flow meter; set setting_lpm`);
      const ch = valve.characteristic;
      const turns = Math.max(0, Math.min(ch.max_turns, change.turns_open));
      this.valveTurns[i] = turns;
      branch.kv = lockshieldKv(turns, ch.kvs, ch.n0_turns);
      this.applySolution(solveNetwork(this.net));
    }
  }

  /** What the sensor would report without noise and quantisation: die temperature plus offset; null if dead. */
  sensorSurfaceC(rom: string): number | null {
    const s = this.sensorByRom.get(rom);
    if (s === undefined) return null;
    if (this.t >= this.sDies[s]) return null;
    return this.sT[s] + this.sOffset[s];
  }

  /** Energy books: heat-pump heat = floor heat + change of water_stored_j (exactly, up to rounding). */
  ledger(): Ledger {
    let water = this.hpCap * this.hpT + this.inFlightJ;
    for (let c = 0; c < this.nc; c++) {
      let sum = 0;
      for (let i = c * CELLS_PER_CIRCUIT; i < (c + 1) * CELLS_PER_CIRCUIT; i++) sum += this.cellT[i];
      water += sum * this.cCap[c];
    }
    for (let k = 0; k < this.nm; k++) {
      let sum = 0;
      for (let i = k * FEEDER_CELLS; i < (k + 1) * FEEDER_CELLS; i++) sum += this.feedSup[i] + this.feedRet[i];
      water += sum * this.mFeedCap[k];
    }
    return { heat_pump_j: this.hpJ, floor_j: this.floorJ, water_stored_j: water };
  }
}
