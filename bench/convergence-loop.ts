// The closed loop (issue 7): simulator → line protocol → (InfluxDB or the file source) →
// analyse → recommend → a virtual person adjusts the valves the next morning → … every day.
// Shared by `npm run bench:convergence` and test/engine/loop.test.ts.

import type { House } from "../shared/house/index.js";
import { dailyCycle } from "../analyser/cycle.js";
import type { CalibrationStore } from "../analyser/measurement/calibration.js";
import type { AnalysisResult } from "../analyser/measurement/result.js";
import { readLineProtocol } from "../analyser/sources/file.js";
import { dailyWindow } from "../analyser/measurement/window.js";
import { applySelection } from "../analyser/engine/apply.js";
import { emptyMemory, type Memory, type MemoryEvent, type Observation } from "../analyser/engine/memory.js";
import { conductanceFromState } from "../analyser/engine/physics.js";
import type { RecommendOptions } from "../analyser/engine/recommend.js";
import type { Action } from "../analyser/engine/result.js";
import { DEFAULT_ROOM_C, type CircuitState } from "../analyser/engine/state.js";
import { manifoldTargets, ROOM_DEAD_BAND_K } from "../analyser/engine/targets.js";
import { flowAtTurns, lockshieldState } from "../analyser/engine/valves.js";
import { withinFlowDeadBand } from "../analyser/engine/limits.js";
import { Simulation } from "../simulator/simulate.js";
import { BACKLASH_TURNS, personAdjust, type Hands } from "../simulator/person.js";
import { Rng } from "../simulator/rng.js";
import { FLOW_METER_KVS } from "../simulator/valve.js";
import type { Truth } from "../simulator/twin.js";

/** A place the day's lines go and the analysis window is read back from. */
export interface DataPath {
  name: string;
  write(chunk: string): Promise<void>;
  read(house: House, window: { start: number; end: number }): Promise<ReturnType<typeof readLineProtocol>>;
}

/** The file source: lines kept in memory (the last two days), read by the analyser's file reader. */
export function fileDataPath(): DataPath {
  let chunks: { end: number; text: string }[] = [];
  return {
    name: "file source (analyser/sources/file.ts)",
    async write(chunk) {
      const last = chunk.lastIndexOf(" ");
      chunks.push({ end: Number(chunk.slice(last + 1)), text: chunk });
    },
    async read(house, window) {
      chunks = chunks.filter((c) => !(c.end < window.start - 3600));
      return readLineProtocol(chunks.map((c) => c.text).join(""), window, { signals: house.plant.signals });
    },
  };
}

export interface LoopOptions {
  seed: number;
  days: number;
  start: number;
  strategy: "engine" | "baseline";
  /** Stop at the first balanced judgement (default true). */
  stopWhenBalanced?: boolean;
  /** Once balanced, keep running this many days and count the changes recommended (stability). */
  daysAfterBalanced?: number;
  /** Probability the person applies a day late. */
  lateProbability?: number;
  data?: DataPath;
  /** Sensors bath-calibrated at commissioning (default true). */
  calibrated?: boolean;
  log?: (line: string) => void;
  /** Engine options (ablation: guards switched off by name). */
  engine?: RecommendOptions;
  /** σ of the sensors' raw offsets, K (simulator default 0.2). */
  sensorOffsetSdK?: number;
  /** How precise the person is (simulator/person.ts defaults). */
  hands?: Hands;
  /**
   * Once the stability count starts (the truth balanced, the engine quiet), forget the memory:
   * the engine starts afresh from a house file that holds the settings as the person noted them.
   * A house balanced in truth must then get no change beyond its sensors' uncertainty.
   */
  freshMemoryWhenBalanced?: boolean;
}

export interface DayRecord {
  day: number;
  balanced: boolean;
  worstK: number;
  actions: number;
  applied: number;
}

export interface LoopOutcome {
  rounds: number;
  /** First day (0 = the first judgement) on which the truth was balanced; undefined if never. */
  balancedDay?: number;
  oscillations: number;
  recommendedChanges: number;
  /** Changes recommended in the daysAfterBalanced after the first day both the truth and the engine call balanced. */
  changesAfterBalanced?: number;
  supplyC?: number;
  days: DayRecord[];
  memory: Memory;
  /** How each change applied as recommended moved its circuit's error, against the model's expectation. */
  responses: ModelResponse[];
}

/**
 * One change's answer: the engine expected the circuit's spread to move by `expectedK` (the
 * heat-transfer model, valve model and head at the recommendation), and its judged error (spread
 * minus the manifold's target) moved by `observedK` from that judgement to the first one after
 * the change. observed ÷ expected is the model's fidelity: 1 is a change that lands where aimed.
 */
export interface ModelResponse {
  circuit: string;
  valve: "flow-meter" | "lockshield";
  expectedK: number;
  observedK: number;
}

/** Changes expected to move the spread by less than this are within the measurement's noise. */
export const RESPONSE_MIN_K = 0.3;

/**
 * The model responses of a run: `events` the engine's memory events (whole), `judged` every
 * judgement's observation per circuit (the memory keeps only the last few). A change counts when
 * it was applied as recommended (a flow within the 5 % a meter is read to, turns to the eighth)
 * and judged before any other change of the same circuit.
 */
export function modelResponses(house: House, events: MemoryEvent[], judged: Map<string, Observation[]>): ModelResponse[] {
  const out: ModelResponse[] = [];
  events.forEach((rec, i) => {
    if (rec.kind !== "recommended" || rec.spread_k === undefined || rec.expected_spread_k === undefined) return;
    const expectedK = rec.expected_spread_k - rec.spread_k;
    if (Math.abs(expectedK) < RESPONSE_MIN_K) return;
    const later = events.slice(i + 1).filter((e) => e.circuit === rec.circuit);
    const applied = later.find((e) => e.kind !== "recommended" && (e.unit === "l/min" ? withinFlowDeadBand(rec.value, e.value) : Math.abs(e.value - rec.value) < 1 / 8 - 1e-9));
    if (!applied) return;
    const nextRec = later.find((e) => e.kind === "recommended");
    const obs = judged.get(rec.circuit) ?? [];
    const before = obs.find((o) => o.cycle === rec.cycle && o.error_k !== undefined);
    const after = obs.find((o) => o.time > applied.time && o.error_k !== undefined);
    if (!before || !after || (nextRec && nextRec.time < after.time)) return;
    const c = house.circuits.find((x) => x.id === rec.circuit);
    if (!c) return;
    out.push({ circuit: rec.circuit, valve: c.valve.kind, expectedK, observedK: after.error_k! - before.error_k! });
  });
  return out;
}

/**
 * Truth collected over a window, one sample a minute: per circuit, the mean true water spread
 * over the minutes in which its manifold's water carries heat (true manifold supply − return
 * > 1 K, start-ups and run-outs included). That is Q_i ÷ (ṁ_i·c) per minute of heat flow: equal
 * values mean every circuit's heat is in proportion to its flow, whatever the heat pump's cycling.
 * The analyser estimates the same quantity from the sensors (analyser/heat-spread.ts).
 */
export class TruthWindow {
  private sums = new Map<string, { n: number; spread: number; flow: number; supply: number; room: number }>();
  private supply = { n: 0, sum: 0 };
  add(t: Truth): void {
    const flowing = new Set(t.manifolds.filter((m) => m.supply_c - m.return_c > 1).map((m) => m.id));
    if (t.heat_pump.state === "heating") {
      this.supply.n++;
      this.supply.sum += t.heat_pump.supply_c;
    }
    for (const c of t.circuits) {
      if (!flowing.has(c.manifold)) continue;
      const s = this.sums.get(c.id) ?? { n: 0, spread: 0, flow: 0, supply: 0, room: 0 };
      s.n++;
      s.spread += c.supply_c - c.return_c;
      s.flow += c.flow_lpm;
      s.supply += c.supply_c;
      s.room += c.room_c;
      this.sums.set(c.id, s);
    }
  }
  mean(id: string): { spread: number; flow: number; supply: number; room: number } | undefined {
    const s = this.sums.get(id);
    if (!s || s.n === 0) return undefined;
    return { spread: s.spread / s.n, flow: s.flow / s.n, supply: s.supply / s.n, room: s.room / s.n };
  }
  supplyMean(): number | undefined {
    return this.supply.n ? this.supply.sum / this.supply.n : undefined;
  }
}

/**
 * Is the TRUE house balanced? Every circuit's true mean spread within ±0.5 K of its policy
 * target computed from the true values (room-temperature: every room within ±0.3 K).
 */
/**
 * `pinned(circuit, wantsMore)` says a valve is at the end of its range in the direction the
 * circuit would need (flow meter at its scale's minimum, valve fully open): such a circuit cannot
 * be brought closer by any valve setting and is judged "balanced as far as the valves allow".
 */
export function truthBalanced(
  house: House,
  w: Pick<TruthWindow, "mean">,
  outdoorC: number | undefined,
  pinned: (circuit: string, wantsMore: boolean) => boolean = () => false,
): { balanced: boolean; worstK: number; errors: Map<string, number>; pinned: string[] } {
  const pinnedOut: string[] = [];
  let worst = 0;
  const errors = new Map<string, number>();
  let balanced = true;
  for (const m of house.manifolds) {
    const states: CircuitState[] = [];
    for (const c of house.circuits.filter((x) => x.manifold === m.id)) {
      const t = w.mean(c.id);
      if (!t) continue;
      const targetRoomC = c.room_temperature?.target_c ?? c.room_model?.setpoint_c ?? DEFAULT_ROOM_C;
      const roomC = m.policy === "room-temperature" ? t.room : targetRoomC;
      states.push({
        circuit: c,
        manifold: m,
        supplyC: t.supply,
        returnC: t.supply - t.spread,
        spreadK: t.spread,
        spreadUncertaintyK: 0,
        roomC,
        measuredRoomC: t.room,
        targetRoomC,
        flowLpm: t.flow,
        ua: conductanceFromState(t.flow, t.supply, t.supply - t.spread, roomC),
        setting: 0,
        unit: "l/min",
      });
    }
    if (states.length === 0) continue;
    const { targets, policy } = manifoldTargets(m.policy, states, 0.5, outdoorC);
    const band = policy === "room-temperature" ? ROOM_DEAD_BAND_K : 0.5;
    for (const t of targets) {
      errors.set(t.circuit, t.errorK);
      if (Math.abs(t.errorK) > band && pinned(t.circuit, t.errorK > 0)) {
        pinnedOut.push(t.circuit);
        continue;
      }
      worst = Math.max(worst, Math.abs(t.errorK));
      if (Math.abs(t.errorK) > band) balanced = false;
    }
  }
  return { balanced, worstK: worst, errors, pinned: pinnedOut };
}

/** The naive baseline (the public Python peer): fixed 5 K ± 0.5 K, deviation → turns, no memory. */
export function baselineTurns(spreadK: number): number {
  const d = spreadK - 5;
  const a = Math.abs(d);
  const turns = a <= 0.5 ? 0 : a <= 1 ? 0.25 : a <= 2 ? 0.5 : a <= 3 ? 0.875 : 1.25;
  return Math.sign(d) * turns; // spread too large → open
}

const METER_AS_VALVE = { kvs: 1.2, n0_turns: 0.45, max_turns: 4 };

function baselineActions(house: House, analysis: AnalysisResult, currentFlow: (id: string) => number, currentTurns: (id: string) => number): { circuit: string; setting_lpm?: number; turns_open?: number }[] {
  const out: { circuit: string; setting_lpm?: number; turns_open?: number }[] = [];
  for (const m of analysis.manifolds) {
    for (const a of m.circuits) {
      if (a.status !== "ok" || !a.spread) continue;
      const dn = baselineTurns(a.spread.median_k);
      if (dn === 0) continue;
      const c = house.circuits.find((x) => x.id === a.circuit)!;
      if (c.valve.kind === "lockshield") {
        const max = c.valve.characteristic.max_turns;
        const to = Math.max(0, Math.min(max, currentTurns(c.id) + dn));
        if (to !== currentTurns(c.id)) out.push({ circuit: c.id, turns_open: to });
      } else {
        // A flow-meter valve turned like a lockshield: the same characteristic, the flow it gives.
        const flow = currentFlow(c.id);
        const pseudo = { kind: "lockshield" as const, turns_open: 0, characteristic: METER_AS_VALVE };
        const state = lockshieldState(c, pseudo, flow);
        // Turns that give today's flow at that head, then move by dn.
        let n = 0.125;
        while (n < METER_AS_VALVE.max_turns && flowAtTurns(n, state, pseudo) < flow) n += 0.125;
        const to = Math.max(0.125, Math.min(METER_AS_VALVE.max_turns, n + dn));
        const newFlow = flowAtTurns(to, state, pseudo);
        out.push({ circuit: c.id, setting_lpm: Math.min(c.valve.scale.max, Math.max(c.valve.scale.min, newFlow)) });
      }
    }
  }
  return out;
}

export async function runLoop(house: House, opts: LoopOptions): Promise<LoopOutcome> {
  const log = opts.log ?? (() => {});
  const data = opts.data ?? fileDataPath();
  const sim = new Simulation(house, { start: opts.start, days: opts.days + (opts.daysAfterBalanced ?? 0) + 3, seed: opts.seed, outputIntervalS: 60, sensorModel: opts.sensorOffsetSdK === undefined ? undefined : { defaultSdK: opts.sensorOffsetSdK } });
  // The house file the engine reads (a fresh start replaces it with the noted settings).
  let engineHouse = house;
  const twin = sim.twin;
  const rng = new Rng(opts.seed, "virtual-person");
  const late = opts.lateProbability ?? 0.15;
  let memory = emptyMemory();
  const tz = house.site.timezone;
  const days: DayRecord[] = [];
  let rounds = 0;
  let recommendedChanges = 0;
  let balancedDay: number | undefined;
  let supplyC: number | undefined;
  const directions = new Map<string, number>();
  let oscillations = 0;
  let queued: { due: number; run: () => void }[] = [];
  const judged = new Map<string, Observation[]>();

  const calRng = new Rng(opts.seed, "bath-calibration");
  // Sensors were bath-calibrated at commissioning (domain §4): the stored offsets, to ±0.05 K, are
  // the calibration store the daily cycle starts from (and refines, as it does for a user).
  let calibration: CalibrationStore =
    opts.calibrated === false ? {} : Object.fromEntries(twin.truth().sensors.map((s) => [s.rom, { offset_k: s.offset_k + 0.05 * calRng.normal(), sd_k: 0.05, updated: opts.start }]));
  // The first judgement comes after one full day of data.
  const firstRun = dailyWindow(tz, opts.start + 86400 + 6.5 * 3600, 0).end;
  let window = new TruthWindow();
  let now = twin.time;
  const advance = async (until: number) => {
    while (now < until) {
      const step = Math.min(until, now + 60);
      const pending: Promise<void>[] = [];
      sim.run(step, (chunk) => pending.push(data.write(chunk)));
      await Promise.all(pending);
      now = step;
      const t = twin.truth();
      window.add(t);
      for (const q of queued.filter((x) => x.due <= now)) q.run();
      queued = queued.filter((x) => x.due > now);
    }
  };

  const noteDirection = (id: string, from: number, to: number) => {
    if (withinFlowDeadBand(from, to)) return;
    const dir = Math.sign(to - from);
    const prev = directions.get(id);
    if (prev !== undefined && prev !== dir) {
      oscillations++;
      if (process.env.FB_LOOP_DEBUG) log(`  OSCILLATION: ${id} ${from.toFixed(2)} → ${to.toFixed(2)} l/min reverses its last move`);
    }
    directions.set(id, dir);
  };

  let changesAfterBalanced: number | undefined;
  let roundsToBalance: number | undefined;
  let lastDay = opts.days;
  for (let day = 0; day < lastDay; day++) {
    const runAt = firstRun + day * 86400;
    window = new TruthWindow();
    await advance(runAt);
    const w = dailyWindow(tz, runAt, house.analysis.lookback_h);
    const series = await data.read(house, w);
    // The production path: the same daily cycle the CLI's daily run and the demo call.
    const cycle = dailyCycle(engineHouse, series, { memory, calibration }, runAt, { engine: opts.engine });
    const analysis = cycle.analysis;
    calibration = cycle.next.calibration;
    const pinned = (id: string, wantsMore: boolean) => {
      const c = house.circuits.find((x) => x.id === id)!;
      const v = twin.valve(id);
      if (c.valve.kind === "flow-meter") return wantsMore ? v.kv >= FLOW_METER_KVS - 1e-6 : v.flow_lpm <= c.valve.scale.min + c.valve.scale.step / 2;
      // Open: opening it all the way would add less than the 5 % a flow change needs to count
      // (a lockshield is open long before its last turn: the pipe takes the head). Closed: at the
      // smallest setting a person makes, ⅛ turn, which their hand leaves within the backlash.
      const turns = v.turns_open ?? 0;
      if (!wantsMore) return turns <= 0.125 + (opts.hands?.backlashTurns ?? BACKLASH_TURNS) + 1e-6;
      const valve = { ...c.valve, turns_open: turns };
      const open = flowAtTurns(c.valve.characteristic.max_turns, lockshieldState(c, valve, v.flow_lpm), valve);
      return withinFlowDeadBand(v.flow_lpm, open);
    };
    const truth = truthBalanced(house, window, analysis.heating.outdoor_c, pinned);
    let actionsToday: { circuit: string; setting_lpm?: number; turns_open?: number; action?: Action }[] = [];
    let engineBalanced = false;
    // Nothing named and nothing settling (a circuit with a dead sensor may stay unjudged).
    let engineQuiet = false;
    if (opts.strategy === "engine") {
      const r = { result: cycle.engine };
      memory = cycle.next.memory;
      for (const [id, list] of Object.entries(memory.observations)) {
        const o = list.at(-1);
        if (o?.cycle === memory.cycle) judged.set(id, [...(judged.get(id) ?? []), o]);
      }
      if (process.env.FB_LOOP_DEBUG) {
        for (const v of r.result.verdicts) {
          log(`    ${v.circuit.padEnd(12)} ${v.status.padEnd(14)} meas ${v.spread_k?.toFixed(2)} tgt ${v.target_k?.toFixed(2)} trueErr ${truth.errors.get(v.circuit)?.toFixed(2)} flow ${v.flow_lpm?.toFixed(2)}/${twin.valve(v.circuit).flow_lpm.toFixed(2)}${twin.valve(v.circuit).turns_open !== undefined ? ` turns ${memory.settings[v.circuit]?.value ?? "-"}/${twin.valve(v.circuit).turns_open!.toFixed(2)}` : ""} ${v.action ? `${v.action.from}→${v.action.to} exp ${v.action.expected_spread_k}` : ""} ${v.status === "change" ? "" : v.reason}`);
        }
      }
      if (process.env.FB_LOOP_DEBUG) for (const w of r.result.warnings.filter((x) => /under-supplied/.test(x))) log(`    warning: ${w}`);
      if (process.env.FB_LOOP_DEBUG) for (const l of r.result.looks_applied) log(`    looks applied: ${l.circuit} (${l.evidence}); valve ${twin.valve(l.circuit).turns_open?.toFixed(2) ?? twin.valve(l.circuit).flow_lpm.toFixed(2)}`);
      engineBalanced = r.result.balanced;
      engineQuiet = r.result.actions.length === 0 && !r.result.verdicts.some((v) => v.status === "waiting");
      recommendedChanges += r.result.actions.length;
      actionsToday = r.result.actions.map((a) => (a.unit === "l/min" ? { circuit: a.circuit, setting_lpm: a.to, action: a } : { circuit: a.circuit, turns_open: a.to, action: a }));
    } else {
      actionsToday = baselineActions(
        house,
        analysis,
        (id) => twin.valve(id).flow_lpm,
        (id) => twin.valve(id).turns_open ?? 0,
      );
      recommendedChanges += actionsToday.length;
    }
    if (process.env.FB_LOOP_DEBUG === "2") {
      for (const m of analysis.manifolds) for (const a of m.circuits) {
        const t = window.mean(a.circuit);
        log(`    ${a.circuit.padEnd(12)} ${a.status} meas ${a.heat_spread?.mean_k.toFixed(2)} ±${a.heat_spread ? ((a.heat_spread.ci.high - a.heat_spread.ci.low) / 2).toFixed(2) : "-"} (${a.heat_spread?.cycles} cycles, ${a.heat_spread?.minutes} min) true ${t?.spread.toFixed(2)} flow ${t?.flow.toFixed(2)} est ${a.flow.combined_lpm?.value.toFixed(2)}|${a.flow.mixing_lpm?.value.toFixed(2)}|${a.flow.transit_lpm?.value.toFixed(2)} room ${t?.room.toFixed(1)} supply ${m.supply_c?.toFixed(2)}/${t?.supply.toFixed(2)}${a.reason ? ` (${a.reason})` : ""}`);
      }
    }
    days.push({ day, balanced: truth.balanced, worstK: truth.worstK, actions: actionsToday.length, applied: 0 });
    log(`  day ${day + 1}: true worst ${truth.worstK.toFixed(2)} K${truth.balanced ? " (balanced)" : ""}${truth.pinned.length ? ` [at valve limit: ${truth.pinned.join(", ")}]` : ""}; ${actionsToday.length} change(s) recommended${engineBalanced ? "; engine: balanced" : ""}`);
    if (truth.balanced && balancedDay === undefined) {
      balancedDay = day;
      roundsToBalance = rounds;
      supplyC = window.supplyMean();
      if (!opts.daysAfterBalanced && (opts.stopWhenBalanced ?? true)) break;
    }
    // Stability counts from the first day the house is balanced and the engine is quiet too
    // (nothing named, nothing settling, no list waiting for the person): from then on every
    // named change is spurious.
    if (opts.daysAfterBalanced) {
      if (changesAfterBalanced !== undefined) changesAfterBalanced += actionsToday.length;
      else if (balancedDay !== undefined && truth.balanced && engineQuiet && queued.length === 0) {
        changesAfterBalanced = 0;
        lastDay = day + 1 + opts.daysAfterBalanced;
        if (opts.freshMemoryWhenBalanced) {
          engineHouse = withSettings(house, memory);
          memory = emptyMemory();
        }
      }
    }
    if (actionsToday.length === 0) continue;
    // The person goes to the cabinets the next morning (08:30 local), sometimes a day later.
    // A person already a day late with yesterday's list works from today's (the engine names
    // pending changes again), the next morning; otherwise they are sometimes a day late.
    const behind = queued.length > 0;
    const delay = 2 * 3600 + (!behind && rng.next() < late ? 86400 : 0);
    if (process.env.FB_LOOP_DEBUG) log(`  (the person adjusts ${delay > 86400 ? "a day late" : "the next morning"})`);
    const record = days[days.length - 1]!;
    queued = [];
    queued.push({
      due: runAt + delay,
      run: () => {
        const settings: { circuit: string; value: number; unit: "l/min" | "turns" }[] = [];
        for (const a of actionsToday) {
          const before = twin.valve(a.circuit);
          const adj = personAdjust(twin, a.circuit, a.setting_lpm !== undefined ? { setting_lpm: a.setting_lpm } : { turns_open: a.turns_open }, rng, opts.hands);
          const after = twin.valve(a.circuit);
          noteDirection(a.circuit, before.flow_lpm, after.flow_lpm);
          record.applied++;
          if (adj.noted.turns_open !== undefined) settings.push({ circuit: a.circuit, value: adj.noted.turns_open, unit: "turns" });
        }
        rounds++;
        if (opts.strategy !== "engine") return;
        // Then they read every meter of the touched manifolds once more (the shared head moved
        // them) and record what they read, to the scale step; lockshields as noted.
        const touched = new Set(actionsToday.map((a) => house.circuits.find((c) => c.id === a.circuit)!.manifold));
        for (const c of house.circuits) {
          if (!touched.has(c.manifold) || c.valve.kind !== "flow-meter") continue;
          const flow = twin.valve(c.id).flow_lpm;
          const read = flow * (1 + Math.max(-0.05, Math.min(0.05, rng.normal() * 0.025)));
          const value = Math.min(c.valve.scale.max, Math.max(c.valve.scale.min, Math.round(read / c.valve.scale.step) * c.valve.scale.step));
          settings.push({ circuit: c.id, value: Math.round(value * 1000) / 1000, unit: "l/min" });
        }
        memory = applySelection(house, memory, { settings: settings.map((s) => ({ circuit: s.circuit, value: s.value, unit: s.unit })) }, now).memory;
      },
    });
  }
  const responses = modelResponses(house, memory.events, judged);
  return { rounds: roundsToBalance ?? rounds, balancedDay, oscillations, recommendedChanges, changesAfterBalanced, supplyC, days, memory, responses };
}

/** The house file as the person would have updated it: every valve at its last noted setting. */
export function withSettings(house: House, memory: Memory): House {
  const circuits = house.circuits.map((c) => {
    const set = memory.settings[c.id];
    if (!set) return c;
    const valve = c.valve.kind === "flow-meter" ? { ...c.valve, setting_lpm: set.value } : { ...c.valve, turns_open: set.value };
    return { ...c, valve } as typeof c;
  });
  return { ...house, circuits };
}
