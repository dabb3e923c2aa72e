// The balancing engine: analysis + memory → today's verdicts and the few valve changes worth a
// walk to the cabinets. Pure: the caller loads and saves the memory.
//
// The stages of a day (docs/balancing.md):
//   state    each circuit's measured spread, flow and conductance (state.ts, hydraulic-flow.ts),
//            and changes nobody recorded (detect.ts);
//   targets  per manifold, the policy's wanted flow and spread (targets.ts; between-manifolds.ts);
//   plan     wanted ÷ current flow per circuit, damped and capped (planManifold);
//   guards   named rules that hold a move back or shape it, each with its reason (guards.ts);
//   quantise the move as a meter reading or eighths of a turn at the head the day's changes
//            leave (valves.ts, network.ts);
//   choose   at most max_changes per cabinet, the most effective first (pickChanges).
// Every threshold lives in tuning.ts.

import { DateTime } from "luxon";
import type { Circuit, House } from "../../shared/house/index.js";
import type { AnalysisResult } from "../measurement/result.js";
import { detectApplied, peerMove } from "./detect.js";
import { clampStep, damp, indexScaling, keepMinimumFlow, withinFlowDeadBand } from "./limits.js";
import {
  changesOf,
  lastChange,
  OBSERVATIONS_KEPT,
  pendingRecommendations,
  recordSetting,
  TREND_KEPT,
  type Memory,
  type MemoryEvent,
  type Observation,
} from "./memory.js";
import { spreadAt } from "./physics.js";
import type { Action, CircuitVerdict, EngineResult } from "./result.js";
import { lockshieldFlows } from "./hydraulic-flow.js";
import { analysisOf, circuitState, currentSetting, NEAR_ZERO_SPREAD_K, ownFlowEstimate, type CircuitState } from "./state.js";
import { manifoldTargets, scaledSpreadTargets, weightedMeanSpread, type Target } from "./targets.js";
import { underSupplied } from "./between-manifolds.js";
import { flowAtTurns, lockshieldState, meterReading, turnsForFlow } from "./valves.js";
import { headFactors, manifoldHeads } from "./network.js";
import { guardSwitch, type GuardName, type GuardSwitch, type Held } from "./guards.js";
import { ENGINE_TUNING, type EngineTuning } from "./tuning.js";

export interface RecommendOptions {
  /** Unix s; default the analysis' generation time. */
  now?: number;
  /** Measured room temperatures by circuit id, °C (room sensors named in the house file). */
  rooms?: Record<string, number>;
  /** Guards switched off by name (the bench's ablation); all but DEFAULT_OFF are on by default. */
  off?: GuardName[];
  /** Guards of DEFAULT_OFF switched on (guards.ts). */
  on?: GuardName[];
  /** Engine thresholds to override (tuning.ts); the defaults otherwise. */
  tuning?: Partial<EngineTuning>;
}

/** What every stage reads: the house's knobs, the engine's thresholds, which guards are on. */
interface Context {
  cfg: House["analysis"];
  T: EngineTuning;
  on: GuardSwitch;
}

interface Plan {
  state: CircuitState;
  target: Target;
  /** Wanted/current flow after policy, index scaling. */
  ratio: number;
  headroom: number;
  newFlow: number;
  role: "adjust" | "index" | "relative" | "hold" | "cannot-fix";
  indexOf?: string;
  /** Held back by a guard (confirmation, reversal): which, and why. */
  held?: Held;
  /** Set at a cabinet visit although within its dead band (a lockshield then moves by its own error only). */
  withinBand?: boolean;
  /** Its cut was shrunk so the house's flow stays at or above the heat pump's minimum. */
  heldForMinimum?: boolean;
}

export function recommend(house: House, analysis: AnalysisResult, memoryIn: Memory, options: RecommendOptions = {}): { result: EngineResult; memory: Memory } {
  const now = options.now ?? analysis.generated_at;
  const cycle = memoryIn.cycle + 1;
  const cfg = house.analysis;
  const ctx: Context = { cfg, T: { ...ENGINE_TUNING, ...options.tuning }, on: guardSwitch(options.off, options.on) };
  const warnings: string[] = [];
  const verdicts = new Map<string, CircuitVerdict>();
  let memory = memoryIn;

  // 1. Today's state of every circuit.
  let states = circuitStates(house, analysis, memory, options.rooms, verdicts, warnings);
  const today = new Map<string, Observation>();
  for (const [id, s] of states) today.set(id, { cycle, time: now, spread_k: s.spreadK, flow_lpm: s.flowLpm });

  // 2. Changes nobody recorded.
  const looksApplied: EngineResult["looks_applied"] = [];
  // Only a window that begins settle_h after a recommendation can show its step: one that still
  // holds the day it was named shows the weather's moves and the floor catching up, and a late
  // person's changes "looked applied" there and were lost (the convergence bench).
  const allPending = pendingRecommendations(memory);
  const pending = allPending.filter((e) => e.time + cfg.settle_h * 3600 <= analysis.window.start);
  const pendingIds = new Set(allPending.map((e) => e.circuit));
  const peersOf = (manifold: string) => house.circuits.filter((c) => c.manifold === manifold && !pendingIds.has(c.id)).map((c) => c.id);
  const commonMode = (rec: MemoryEvent, since: number) => peerMove(peersOf(rec.manifold), memory.observations, today, since);
  for (const d of detectApplied(pending, memory.observations, today, cfg.dead_band_k, commonMode)) {
    looksApplied.push({ circuit: d.event.circuit, evidence: d.evidence });
    // The change happened some time between the recommendation and this window's start.
    const when = Math.max(d.event.time, analysis.window.start);
    memory = recordSetting(memory, { ...d.event, kind: "detected", time: when, cycle, evidence: d.evidence, text: `looks applied: ${d.event.text}` });
  }
  // Settings may have changed through detection: the states follow them (a meter's flow, a
  // lockshield's share of its manifold's head).
  if (looksApplied.length > 0) states = circuitStates(house, analysis, memory, options.rooms, verdicts, []);

  // 3. Per manifold: wait for a steady state, or plan.
  const plans: Plan[] = [];
  const judgedManifolds: { manifold: House["manifolds"][number]; judged: CircuitState[]; targets: Target[]; spreadPolicy: boolean }[] = [];
  let nextJudgement: number | undefined;
  const settleS = cfg.settle_h * 3600;
  const lookbackS = analysis.window.end - analysis.window.start;
  let usedPolicy: string | undefined;
  for (const m of house.manifolds) {
    const circuits = house.circuits.filter((c) => c.manifold === m.id);
    // A change is judged on data that begins settle_h after it: a window that still holds the
    // hours before it, or the floor's hours of catching up, mixes two states (the convergence bench:
    // judging those made the engine act twice on one error).
    const changed = circuits.map((c) => lastChange(memory, c.id)).filter((e): e is MemoryEvent => !!e && e.time + settleS > analysis.window.start);
    if (changed.length > 0) {
      const until = Math.max(...changed.map((e) => e.time)) + settleS + lookbackS;
      nextJudgement = nextJudgement === undefined ? until : Math.max(nextJudgement, until);
      // The targets are shown while waiting (the report's table and chart keep them); nothing
      // is decided on them until the change has settled.
      const waiting = circuits.map((c) => states.get(c.id)).filter((s): s is CircuitState => !!s);
      const shown = waiting.length >= 2 || m.policy === "room-temperature" ? manifoldTargets(m.policy, waiting, cfg.dead_band_k, analysis.heating.outdoor_c).targets : [];
      for (const s of waiting) {
        const t = shown.find((x) => x.circuit === s.circuit.id);
        verdicts.set(s.circuit.id, {
          ...verdict(s.circuit, "waiting", `a change on this manifold is settling; next judgement after ${localTime(house, until)}`),
          spread_k: s.spreadK,
          flow_lpm: s.flowLpm,
          ...(t ? { target_k: t.spreadK, error_k: round(t.errorK, 2) } : {}),
        });
      }
      continue;
    }
    const judged = circuits.map((c) => states.get(c.id)).filter((s): s is CircuitState => !!s);
    if (judged.length < 2 && m.policy !== "room-temperature") {
      for (const s of judged) verdicts.set(s.circuit.id, verdict(s.circuit, "not-enough-data", "not enough data: fewer than two judged circuits on this manifold to compare with"));
      continue;
    }
    const outcome = manifoldTargets(m.policy, judged, cfg.dead_band_k, analysis.heating.outdoor_c);
    usedPolicy = usedPolicy === undefined || usedPolicy === outcome.policy ? outcome.policy : "mixed";
    for (const w of outcome.warnings) warnings.push(`${m.name}: ${w}`);
    judgedManifolds.push({ manifold: m, judged, targets: outcome.targets, spreadPolicy: outcome.policy === "equal-spread" || outcome.policy === "design" });
  }
  // Between manifolds: a whole manifold short of flow is raised together (between-manifolds.ts),
  // once the balance within every manifold is done and none is settling: its moves would shift
  // the manifolds' means, and a raise on top of them turns back the cuts just made.
  const spreadManifolds = judgedManifolds.filter((j) => j.spreadPolicy);
  const withinDone = nextJudgement === undefined && judgedManifolds.every((j) => balancedWithin(j.judged, j.targets, ctx));
  const shortOf = withinDone && ctx.on("between-manifolds")
    ? underSupplied(
        spreadManifolds.map((j) => ({ manifold: j.manifold.id, meanSpreadK: weightedMeanSpread(j.judged), flowLpm: j.judged.reduce((a, s) => a + s.flowLpm, 0) })),
        cfg.dead_band_k,
      )
    : [];
  for (const j of judgedManifolds) {
    const short = shortOf.find((u) => u.manifold === j.manifold.id);
    if (short) j.targets = scaledSpreadTargets(j.judged, j.targets, short.scale);
    const planned = planManifold(j.judged, j.targets, memory, ctx, short !== undefined);
    plans.push(...planned);
    if (!short) continue;
    const limited = planned.some((p) => p.role === "index");
    warnings.push(
      `${j.manifold.name}: under-supplied as a whole (mean spread ${short.meanSpreadK.toFixed(1)} K against ${short.othersMeanK.toFixed(1)} K on the other manifolds): its circuits are raised together` +
        (limited ? "; its valves cannot give all of it: throttle the other manifolds' circuits or raise the pump's head" : ""),
    );
  }

  // Today's judged errors go into the memory with the observations (the confirmation rule).
  for (const p of plans) {
    const o = today.get(p.state.circuit.id);
    if (o) Object.assign(o, { error_k: round(p.target.errorK, 2), band_k: round(p.target.deadBandK, 2) });
  }

  // 4. Never below the heat pump's minimum flow. The heat pump sees the whole house: circuits not
  // planned today (a manifold settling, a circuit without data) keep flowing as they are.
  const currents = plans.map((p) => p.state.flowLpm);
  const proposed = plans.map((p) => p.newFlow);
  const planned = new Set(plans.map((p) => p.state.circuit.id));
  const othersLpm = house.circuits.filter((c) => !planned.has(c.id)).reduce((sum, c) => sum + (states.get(c.id)?.flowLpm ?? meterFlow(c, memory)), 0);
  const floor = ctx.on("heat-pump-minimum") ? keepMinimumFlow(currents, proposed, house.plant.heat_pump.min_flow_lpm - othersLpm) : { flows: proposed, limited: false };
  if (floor.limited) warnings.push(`throttling kept small so the total flow stays at or above the heat pump's minimum ${house.plant.heat_pump.min_flow_lpm} l/min`);
  plans.forEach((p, i) => {
    if (floor.flows[i]! > p.newFlow + 1e-9) p.heldForMinimum = true;
    p.newFlow = floor.flows[i]!;
  });

  // 5. Valve actions; the few most effective are today's. A lockshield's turns are chosen at the
  // head the day's changes leave on its manifold (network.ts): the changes set the head and the
  // head sets the turns, so both are found together, by HEAD_PASSES rounds of choosing and
  // predicting.
  const byId = new Map(house.circuits.map((c) => [c.id, c]));
  const settingNow = (id: string) => currentSetting(byId.get(id)!, memory).value;
  let candidates = valveCandidates(plans, new Map(), verdicts, ctx);
  let headsToday: Map<string, number> | undefined;
  for (let pass = 0; pass < ctx.T.headPasses; pass++) {
    const changes = pickChanges(candidates.map((c) => c.action), cfg.max_changes);
    if (!changes.some((a) => a.unit === "turns")) break;
    headsToday ??= manifoldHeads(house, settingNow);
    const heads = headFactors(house, settingNow, new Map(changes.map((a) => [a.circuit, a.to])), headsToday);
    candidates = valveCandidates(plans, heads, verdicts, ctx);
  }
  const chosen = pickChanges(candidates.map((c) => c.action), cfg.max_changes);
  const actions: Action[] = chosen;
  for (const c of candidates) {
    if (!chosen.includes(c.action)) {
      const v = verdicts.get(c.action.circuit)!;
      verdicts.set(c.action.circuit, { ...v, status: "deferred", reason: `${c.action.reason}; deferred: at most ${cfg.max_changes} changes per cabinet a day, the most effective first` });
    }
  }

  // 6. Balanced? The curve advisor (analyser/curve) takes it from the rooms' deviations.
  const judgedPlans = plans.filter((p) => p.role !== "cannot-fix");
  const worst = judgedPlans.length ? Math.max(...judgedPlans.map((p) => Math.abs(p.target.errorK))) : undefined;
  const notJudged = [...verdicts.values()].filter((v) => v.status === "waiting" || v.status === "not-enough-data").length;
  const balanced = judgedPlans.length > 0 && notJudged === 0 && actions.length === 0 && judgedPlans.every((p) => withinBand(p));
  let heatingCurve: EngineResult["heating_curve"];
  const cannot = plans.filter((p) => p.role === "cannot-fix");
  if (cannot.length > 0) {
    heatingCurve = { lower_by_k: 0, note: `${cannot.map((p) => p.state.circuit.room).join(", ")}: flow cannot fix it; raise the heating curve a little instead (about 1 K), then judge again` };
  }
  const roomDeviations = new Map([...states.values()].filter((s) => s.measuredRoomC !== undefined).map((s) => [s.circuit.room, s.measuredRoomC! - s.targetRoomC]));

  // 7. Remember.
  const date = DateTime.fromSeconds(now, { zone: house.site.timezone }).toISODate() ?? "";
  const recommended: MemoryEvent[] = actions.map((a) => ({
    time: now,
    cycle,
    kind: "recommended",
    circuit: a.circuit,
    manifold: a.manifold,
    unit: a.unit,
    value: a.to,
    from: a.from,
    text: describeAction(a),
    spread_k: states.get(a.circuit)!.spreadK,
    expected_spread_k: a.expected_spread_k,
  }));
  const observations = { ...memory.observations };
  for (const [id, o] of today) observations[id] = [...(observations[id] ?? []), o].slice(-OBSERVATIONS_KEPT);
  const trend = worst === undefined ? memory.trend : [...memory.trend, { cycle, date, worst_deviation_k: round(worst, 2) }].slice(-TREND_KEPT);
  memory = { ...memory, cycle, last_run: now, events: [...memory.events, ...recommended], observations, trend };

  const result: EngineResult = {
    cycle,
    policy: usedPolicy ?? house.analysis.policy,
    balanced,
    worst_deviation_k: worst === undefined ? undefined : round(worst, 2),
    trend,
    verdicts: house.circuits.map((c) => verdicts.get(c.id) ?? verdict(c, "not-enough-data", "not enough data")),
    actions,
    next_judgement: nextJudgement,
    heating_curve: heatingCurve,
    ...(roomDeviations.size ? { room_deviations: [...roomDeviations].map(([room, k]) => ({ room, deviation_k: round(k, 2) })) } : {}),
    looks_applied: looksApplied,
    warnings,
  };
  return { result, memory };
}

/**
 * Every circuit's state under the memory's settings; a circuit that cannot be judged gets its
 * "not enough data" verdict instead. Lockshield flows come from their manifold's hydraulics.
 */
function circuitStates(house: House, analysis: AnalysisResult, memory: Memory, rooms: Record<string, number> | undefined, verdicts: Map<string, CircuitVerdict>, warnings: string[]): Map<string, CircuitState> {
  const modelled = new Map<string, number>();
  for (const m of house.manifolds) {
    const lockshields = house.circuits
      .filter((c) => c.manifold === m.id && c.valve.kind === "lockshield")
      .map((c) => ({ circuit: c, turns: currentSetting(c, memory).value, estimateLpm: ownFlowEstimate(analysisOf(analysis, c.id).circuit) }));
    if (lockshields.length === 0) continue;
    const { flows, fitted } = lockshieldFlows(lockshields, house.plant.pump.head_kpa);
    for (const [id, q] of flows) modelled.set(id, q);
    if (!fitted && flows.size > 0) warnings.push(`${m.name}: too few flow estimates to fit the manifold's head; lockshield flows are the hydraulic model's at half the pump's set head (their shares hold, their scale is rough)`);
  }
  const states = new Map<string, CircuitState>();
  for (const c of house.circuits) {
    const a = analysisOf(analysis, c.id);
    const s = circuitState(house, c, a.manifold, a.circuit, memory, rooms, modelled.get(c.id));
    if (s.ok) {
      states.set(c.id, s.state);
      verdicts.delete(c.id);
      const zero = s.state.nearZeroMeasuredK;
      if (zero !== undefined) warnings.push(`${c.room} (${c.id}): spread ${zero.toFixed(2)} K is zero within the sensors' accuracy: the circuit carries almost no heat for its flow, judged at ${NEAR_ZERO_SPREAD_K} K`);
    } else verdicts.set(c.id, verdict(c, "not-enough-data", `not enough data: ${s.reason}`));
  }
  return states;
}

/**
 * Today's changes, named per cabinet. A person standing at a manifold sets its circuits in one
 * visit, and a house has a handful of cabinets (four here): every cabinet that needs a change is
 * named, with at most max_changes changes each, the most effective first. Leaving a cabinet for
 * another day costs a whole daily cycle for the house (the convergence bench: the deferred cabinets
 * set the number of rounds). Returned most effective first.
 */
export function pickChanges(actions: Action[], maxChanges: number): Action[] {
  const byManifold = new Map<string, Action[]>();
  for (const a of actions) byManifold.set(a.manifold, [...(byManifold.get(a.manifold) ?? []), a]);
  const out: Action[] = [];
  for (const g of byManifold.values()) out.push(...g.sort((a, b) => b.effect_k - a.effect_k).slice(0, maxChanges));
  return out.sort((a, b) => b.effect_k - a.effect_k);
}

/** At a cabinet visited anyway, circuits out by more than this share of the dead band are set too. */
export const CABINET_BAND_SHARE = ENGINE_TUNING.cabinetBandShare;

/**
 * The band the planner holds a circuit to: the policy's dead band, at least the spread's own
 * uncertainty (the "uncertainty" guard: no move for an error the measurement cannot tell from 0).
 */
function plannerBandK(t: Target, s: CircuitState, ctx: Context): number {
  return ctx.on("uncertainty") ? Math.max(t.deadBandK, s.spreadUncertaintyK) : t.deadBandK;
}

/** Every circuit within its planner band, or beyond what flow can fix. */
function balancedWithin(states: CircuitState[], targets: Target[], ctx: Context): boolean {
  return targets.every((t, i) => t.cannotFix !== undefined || Math.abs(t.errorK) <= plannerBandK(t, states[i]!, ctx));
}

function withinBand(p: Plan): boolean {
  return Math.abs(p.target.errorK) <= p.target.deadBandK;
}

/**
 * Plan, guards and damping for one manifold. `together`: the manifold is raised as a whole today
 * (between-manifolds.ts), no circuit waits for confirmation.
 */
function planManifold(states: CircuitState[], targets: Target[], memory: Memory, ctx: Context, together = false): Plan[] {
  const plans = states.map((state, i) => initialPlan(state, targets[i]!, ctx));
  if (ctx.on("confirmation") && !together) for (const p of plans) guardConfirmation(p, memory, ctx);
  if (ctx.on("cabinet-visit")) guardCabinetVisit(plans, ctx);
  const active = plans.filter((p) => p.role !== "cannot-fix");
  const factor = ctx.on("index-throttle") ? guardIndexThrottle(active, ctx) : 1;
  for (const p of active) if (p.role !== "hold") move(p, memory, ctx, factor);
  return plans;
}

/** The plan stage: wanted ÷ current flow from the target, or "cannot fix". */
function initialPlan(state: CircuitState, target: Target, ctx: Context): Plan {
  const t = { ...target, deadBandK: plannerBandK(target, state, ctx) };
  const headroom = maxFlow(state) / state.flowLpm;
  const base = { state, target: t, ratio: 1, headroom, newFlow: state.flowLpm };
  if (t.cannotFix) return { ...base, role: "cannot-fix" };
  // Near the floor's ceiling and the valve cannot give the wanted flow: flow cannot fix it.
  if (t.nearCeiling && t.flowLpm / state.flowLpm > headroom) return { ...base, target: { ...t, cannotFix: t.nearCeiling }, role: "cannot-fix" };
  const out = Math.abs(t.errorK) > t.deadBandK;
  return { ...base, ratio: out ? t.flowLpm / state.flowLpm : 1, role: out ? "adjust" : "hold" };
}

/**
 * Guard "confirmation": a circuit that was within the dead band at its last judgement and is only
 * a little out now has most likely moved with the weather or the measurement: confirm it on the
 * next judgement before naming a change (stability of a balanced house).
 */
function guardConfirmation(p: Plan, memory: Memory, ctx: Context): void {
  if (p.role !== "adjust") return;
  const prev = memory.observations[p.state.circuit.id]?.at(-1);
  const wasWithin = prev?.error_k !== undefined && prev.band_k !== undefined && Math.abs(prev.error_k) <= prev.band_k;
  if (!wasWithin || Math.abs(p.target.errorK) > ctx.T.confirmationBands * p.target.deadBandK) return;
  Object.assign(p, { role: "hold", ratio: 1, held: { guard: "confirmation", reason: "within the dead band last time and only a little out now: confirmed at the next judgement before any change" } });
}

/**
 * Guard "cabinet-visit": someone walks to this cabinet today for a real imbalance (a circuit out
 * by more than twice the dead band), so circuits out by more than a share of the dead band are
 * set too. Left for another day they would cost another walk, and the others' moves shift the
 * manifold's mean spread towards them or away. A visit for a mere drift sets only the drifted
 * circuit, so a balanced house is not fine-tuned cabinet by cabinet (stability).
 */
function guardCabinetVisit(plans: Plan[], ctx: Context): void {
  const visit = plans.some(
    (p) =>
      p.role === "adjust" &&
      Math.abs(p.target.errorK) > ctx.T.cabinetVisitBands * p.target.deadBandK &&
      (p.ratio > 1 ? p.headroom > ctx.T.visitHeadroom : !atLimit(p.state, p.state.flowLpm * p.ratio)),
  );
  if (!visit) return;
  for (const p of plans) {
    if (p.role !== "hold" || Math.abs(p.target.errorK) <= ctx.T.cabinetBandShare * p.target.deadBandK) continue;
    p.role = "adjust";
    p.held = undefined;
    p.ratio = p.target.flowLpm / p.state.flowLpm;
    p.withinBand = Math.abs(p.target.errorK) <= p.target.deadBandK;
  }
}

/**
 * Guard "index-throttle": when a circuit wants more than its valve gives fully open, and its
 * error is large, every other wanted flow of the manifold is scaled down by the same factor: the
 * index circuit ends fully open, the others are throttled relative to it. Returns the factor.
 */
function guardIndexThrottle(active: Plan[], ctx: Context): number {
  let { factor, index } = indexScaling(active.map((p) => p.ratio), active.map((p) => p.headroom));
  // Throttling every other circuit moves the whole manifold (its head, its mean spread) for the
  // one circuit whose valve is already at its end: worth it only for an index error beyond twice
  // the dead band. A smaller one stays, reported as at the end of the valve's range.
  if (index >= 0 && Math.abs(active[index]!.target.errorK) <= ctx.T.indexBands * active[index]!.target.deadBandK) {
    const idx = active[index]!;
    idx.ratio = Math.min(idx.ratio, idx.headroom);
    return 1;
  }
  if (index < 0) return factor;
  const idx = active[index]!;
  idx.role = "index";
  idx.ratio = idx.headroom;
  for (const p of active) {
    if (p === idx) continue;
    // A circuit that itself wants more flow is not throttled for the index: cutting it and
    // opening it again at the next judgement is the oscillation, and holding it leaves it short
    // for good once the others are at the closed end of their valves. It opens as far as its
    // own target asks.
    // A lockshield within its dead band stays: its eighths near closed move the flow by a
    // third, so a throttle for the index lands it beyond the band the other way, and it is
    // turned back (every oscillation of the all-lockshield houses). One set at the cabinet visit
    // moves by its own small error only. A flow meter is set to the step, and its throttle is
    // what brings the index circuit into the band (the example house).
    if (p.state.circuit.valve.kind === "lockshield" && (p.role === "hold" || p.withinBand)) continue;
    p.ratio = p.ratio > 1 ? Math.min(p.ratio, p.headroom) : p.ratio * factor;
    p.role = "relative";
    p.indexOf = idx.state.circuit.room;
  }
  return factor;
}

/**
 * Damping and step for one planned circuit, with the guard "reversal" (hysteresis) and the
 * quantising rules "smallest-meter-move", "closest-eighth" and "valve-end".
 */
function move(p: Plan, memory: Memory, ctx: Context, factor: number): void {
  const { cfg, T } = ctx;
  const s = p.state;
  // Reversing the circuit's last change is where oscillation starts. Do it only for an error
  // twice the dead band (hysteresis), and then with half the step.
  // Re-read meters drift by a step or two with the shared head: only real moves count.
  const last = changesOf(memory, s.circuit.id).find((e) => (e.from !== undefined && e.unit === "l/min" ? !withinFlowDeadBand(e.from, e.value) : e.from !== e.value));
  const reversing = ctx.on("reversal") && last?.from !== undefined && Math.sign(last.value - last.from) !== 0 && Math.sign(last.value - last.from) !== Math.sign(p.ratio - 1);
  if (reversing && p.role !== "index" && Math.abs(p.target.errorK) <= T.reversalBands * p.target.deadBandK) {
    p.role = "hold";
    p.held = { guard: "reversal", reason: "would reverse the last change for a small error: held (hysteresis against oscillation)" };
    return;
  }
  // Full trust only for a circuit's own error on a manifold without index scaling: throttling
  // every circuit for the index one couples them all through the shared head, and the whole
  // move there would overshoot.
  const confidence = factor < 1 - 1e-9 ? 0 : flowConfidence(s);
  const gamma = p.role === "index" ? 1 : reversing ? cfg.damping * T.reversalDampingShare : adaptiveDamping(cfg.damping, confidence);
  let flow = damp(s.flowLpm, s.flowLpm * p.ratio, gamma);
  flow = clampStep(s.flowLpm, flow, reversing ? cfg.max_step : adaptiveStep(cfg.max_step, confidence, T.knownFlowExtraStep));
  p.newFlow = Math.min(flow, s.flowLpm * p.headroom);
  const wanted = Math.min(s.flowLpm * p.ratio, s.flowLpm * p.headroom);
  if (ctx.on("smallest-meter-move")) p.newFlow = smallestMeterMove(s, p.newFlow, wanted, T);
  p.newFlow = lockshieldStep(s, p.newFlow, wanted, p.target.spreadK, p.target.deadBandK, { closestEighth: ctx.on("closest-eighth"), valveEnd: ctx.on("valve-end") });
}

/**
 * A circuit out of its dead band whose damped move rounds to nothing on the meter's scale would
 * stay out for good (the convergence bench: one step short, day after day). It gets the smallest move
 * that can be set and read (a scale step, at least the 5 % a person reads to), when the wanted
 * flow is at least three quarters of that move away: never past the target by much.
 */
export function smallestMeterMove(s: Pick<CircuitState, "circuit" | "flowLpm">, newFlow: number, wantedFlow: number, T: EngineTuning = ENGINE_TUNING): number {
  const v = s.circuit.valve;
  if (v.kind !== "flow-meter" || !withinFlowDeadBand(s.flowLpm, newFlow)) return newFlow;
  const move = Math.ceil((Math.max(v.scale.step, T.readShare * s.flowLpm) - 1e-9) / v.scale.step) * v.scale.step;
  if (Math.abs(wantedFlow - s.flowLpm) < T.smallestMoveShare * move) return newFlow;
  const to = s.flowLpm + Math.sign(wantedFlow - s.flowLpm) * (move + 1e-6);
  return Math.min(v.scale.max, Math.max(v.scale.min, to));
}

/**
 * A lockshield is set in eighths of a turn, and near closed one eighth moves the flow by a fifth
 * to two fifths: the flow a change can give is one of a few. The move lands on the eighth whose
 * flow (at the manifold's head) is nearest the damped one on a log scale. When that is where the
 * valve already stands, the next eighth towards the wanted flow is taken if the model expects it
 * to bring the spread within its dead band: otherwise a circuit out of its band stays out for
 * good, the step rounded away every day. An eighth that only swaps a spread too large for one
 * too small is not taken: on the next judgement it would be turned back (the convergence bench).
 */
export function lockshieldStep(
  s: CircuitState,
  newFlow: number,
  wantedFlow: number,
  targetSpreadK: number,
  bandK: number,
  rules: { closestEighth: boolean; valveEnd: boolean } = { closestEighth: true, valveEnd: true },
): number {
  const v = s.circuit.valve;
  if (v.kind !== "lockshield" || !(rules.closestEighth || rules.valveEnd)) return newFlow;
  const valve = { ...v, turns_open: s.setting };
  const state = lockshieldState(s.circuit, valve, s.flowLpm);
  const flowAt = (n: number) => flowAtTurns(n, state, valve);
  const eighths: number[] = [];
  for (let n = 1; n <= v.characteristic.max_turns * 8 + 1e-9; n++) eighths.push(n / 8);
  let best = s.setting;
  let bestMiss = Math.abs(Math.log(flowAt(s.setting) / newFlow));
  for (const n of eighths) {
    const miss = Math.abs(Math.log(flowAt(n) / newFlow));
    if (miss < bestMiss - 1e-12) [best, bestMiss] = [n, miss];
  }
  if (best !== s.setting) {
    // One eighth short of the valve's end, with the wanted flow at or beyond what the end gives:
    // the end itself. Even there the circuit stays on the near side of its target in the model,
    // and the eighth left for another day cost the valve-limited houses a round (the convergence bench).
    // Only from the neighbouring eighth: a jump to the end from further off, past the damping,
    // closed whole manifolds and left a house unbalanced.
    for (const end of rules.valveEnd ? [1 / 8, v.characteristic.max_turns] : []) {
      const atEnd = flowAt(end);
      const towards = (wantedFlow - s.flowLpm) * (atEnd - s.flowLpm) > 0;
      if (Math.abs(best - end) <= 1 / 8 + 1e-9 && towards && Math.abs(Math.log(wantedFlow / s.flowLpm)) >= Math.abs(Math.log(atEnd / s.flowLpm))) return atEnd;
    }
    return rules.closestEighth ? flowAt(best) : newFlow;
  }
  if (!rules.closestEighth || withinFlowDeadBand(s.flowLpm, wantedFlow)) return newFlow;
  const next = s.setting + Math.sign(wantedFlow - s.flowLpm) / 8;
  if (next < 1 / 8 - 1e-9 || next > v.characteristic.max_turns + 1e-9) return newFlow;
  const nextFlow = flowAt(next);
  const expected = spreadAt(nextFlow, s.ua, s.supplyC, s.roomC);
  return Math.abs(expected - targetSpreadK) <= bandK ? nextFlow : newFlow;
}

/**
 * How far the engine trusts today's flow, 0 or 1. A flow meter is read off: 1. A lockshield's
 * flow is modelled from its turns (hydraulic-flow.ts), and its characteristic near closed is steep
 * and only estimated (domain §2): 0.
 */
export function flowConfidence(s: Pick<CircuitState, "circuit">): number {
  return s.circuit.valve.kind === "flow-meter" ? 1 : 0;
}

/**
 * Damping adapted to confidence: γ from the house file for an uncertain flow, 1 (the whole way)
 * for a known one. With a flow meter, ṁ and UA come from the reading and the measured state, and
 * the NTU model's wanted flow is close: the convergence bench shows under-shoot with γ = 0.6, not
 * overshoot, so damping a known flow only costs rounds. Reversals still move half (hysteresis).
 */
export function adaptiveDamping(gamma: number, confidence: number): number {
  return gamma + (1 - gamma) * confidence;
}

/** The step cap, widened up to (1 + extra) × max_step when the flow is known. */
export function adaptiveStep(maxStep: number, confidence: number, extra = ENGINE_TUNING.knownFlowExtraStep): number {
  return Math.min(1, maxStep * (1 + extra * confidence));
}

/** A circuit's flow as its meter is set (0 when it has no meter: unknown, so not counted). */
function meterFlow(c: Circuit, memory: Memory): number {
  return c.valve.kind === "flow-meter" ? currentSetting(c, memory).value : 0;
}

/** The largest flow the valve gives fully open (flow meters: the top of the scale). */
function maxFlow(s: CircuitState): number {
  const v = s.circuit.valve;
  if (v.kind === "flow-meter") return Math.max(s.flowLpm, v.scale.max);
  const state = lockshieldState(s.circuit, { ...v, turns_open: s.setting }, s.flowLpm);
  return Math.max(s.flowLpm, flowAtTurns(v.characteristic.max_turns, state, v));
}

function atLimit(s: CircuitState, wanted: number): boolean {
  const v = s.circuit.valve;
  if (v.kind === "flow-meter") return (wanted < s.flowLpm && s.setting <= v.scale.min + 1e-9) || (wanted > s.flowLpm && s.setting >= v.scale.max - 1e-9);
  return (wanted < s.flowLpm && s.setting <= 0.125 + 1e-9) || (wanted > s.flowLpm && s.setting >= v.characteristic.max_turns - 1e-9);
}

/** A lockshield that wants more flow, where opening it fully would add less than a settable change. */
function effectivelyOpen(s: CircuitState, wanted: number): boolean {
  return s.circuit.valve.kind === "lockshield" && wanted > s.flowLpm && withinFlowDeadBand(s.flowLpm, maxFlow(s));
}

/**
 * Every plan's valve action at the manifolds' head factors (`heads`, by manifold id; 1 where
 * absent), with each circuit's verdict set: the change, or why there is none.
 */
function valveCandidates(plans: Plan[], heads: Map<string, number>, verdicts: Map<string, CircuitVerdict>, ctx: Context): { plan: Plan; action: Action }[] {
  const candidates: { plan: Plan; action: Action }[] = [];
  for (const p of plans) {
    const s = p.state;
    const base = { spread_k: s.spreadK, target_k: p.target.spreadK, flow_lpm: s.flowLpm, error_k: round(p.target.errorK, 2), band_k: round(p.target.deadBandK, 2) };
    if (p.role === "cannot-fix") {
      verdicts.set(s.circuit.id, { ...verdict(s.circuit, "cannot-fix", p.target.cannotFix ?? "flow cannot fix this room"), ...base });
      continue;
    }
    const action = p.role === "hold" || withinFlowDeadBand(s.flowLpm, p.newFlow) ? undefined : valveAction(s, p, heads.get(s.circuit.manifold) ?? 1);
    if (!action) {
      const status = p.role === "index" ? "index" : "nothing-to-do";
      const why = noChangeReason(p, ctx);
      verdicts.set(s.circuit.id, { ...verdict(s.circuit, status, why.reason), ...base, ...(why.guard ? { held_by: why.guard } : {}) });
      continue;
    }
    candidates.push({ plan: p, action });
    verdicts.set(s.circuit.id, { ...verdict(s.circuit, "change", action.reason), ...base, action });
  }
  return candidates;
}

/**
 * Why a judged circuit gets no change today, and which guard held it (if one did). The first
 * that applies wins: a guard's hold, within the band (the measurement's uncertainty named when it
 * widened the band), the valve's end, the heat pump's minimum, the valve's resolution.
 */
function noChangeReason(p: Plan, ctx: Context): { reason: string; guard?: GuardName } {
  const s = p.state;
  // The direction the circuit wants, not the move left after the limits: a meter's move is
  // clamped to its scale and a cut may be held for the heat pump's minimum.
  const wanted = s.flowLpm * p.ratio;
  if (p.role === "index") return { reason: "most demanding circuit: stays fully open, the others are throttled relative to it" };
  if (p.held) return p.held;
  if (withinBand(p)) {
    const uncertain = ctx.on("uncertainty") && Math.abs(p.target.errorK) > ctx.cfg.dead_band_k && s.spreadUncertaintyK >= p.target.deadBandK;
    return uncertain
      ? { reason: `within the measurement's uncertainty (±${s.spreadUncertaintyK.toFixed(1)} K): no change until the data are clearer`, guard: "uncertainty" }
      : { reason: "within the dead band" };
  }
  if (atLimit(s, wanted)) return { reason: `the valve is at the end of its range (${s.setting} ${s.unit}); the spread error stays`, guard: "valve-end" };
  if (effectivelyOpen(s, wanted))
    return { reason: `the lockshield is open as far as it matters (${s.setting} turns): opening it fully adds under 5 % flow, the pipe takes the head; the spread error stays`, guard: "valve-end" };
  if (p.heldForMinimum) return { reason: "less flow would take the house below the heat pump's minimum flow: held", guard: "heat-pump-minimum" };
  return { reason: "the change would be below what the valve can be set to", guard: s.circuit.valve.kind === "lockshield" ? "closest-eighth" : "smallest-meter-move" };
}

/** Rounds of choosing a day's turns and predicting the heads they leave. */
export const HEAD_PASSES = ENGINE_TUNING.headPasses;

/** `headFactor`: the manifold's head after today's changes ÷ today's (network.ts). */
function valveAction(s: CircuitState, p: Plan, headFactor = 1): Action | undefined {
  const v = s.circuit.valve;
  let to: number;
  let achievedFlow: number;
  if (v.kind === "flow-meter") {
    to = meterReading(p.newFlow, v.scale);
    achievedFlow = to;
  } else {
    const valve = { ...v, turns_open: s.setting };
    const today = lockshieldState(s.circuit, valve, s.flowLpm);
    const state = { ...today, headKpa: today.headKpa * headFactor };
    to = turnsForFlow(p.newFlow, state, valve);
    achievedFlow = flowAtTurns(to, state, valve);
  }
  if (Math.abs(to - s.setting) < 1e-9) return undefined;
  const expected = spreadAt(achievedFlow, s.ua, s.supplyC, s.roomC);
  const reason =
    p.role === "index"
      ? `most demanding circuit (spread ${s.spreadK.toFixed(1)} K, target ${p.target.spreadK.toFixed(1)} K): open fully`
      : p.role === "relative" && Math.abs(p.target.errorK) <= p.target.deadBandK
        ? `throttled relative to the index circuit (${p.indexOf}), which is already fully open`
        : `spread ${s.spreadK.toFixed(1)} K, target ${p.target.spreadK.toFixed(1)} K: ${achievedFlow > s.flowLpm ? "more" : "less"} flow`;
  return {
    circuit: s.circuit.id,
    manifold: s.circuit.manifold,
    room: s.circuit.room,
    valve: v.kind,
    from: s.setting,
    to,
    unit: s.unit,
    effect_k: round(Math.abs(expected - s.spreadK), 2),
    reason,
    expected_spread_k: round(expected, 2),
  };
}

export function describeAction(a: Action): string {
  if (a.unit === "l/min") return `${a.room} (${a.circuit}): flow meter ${fmt(a.from)} → ${fmt(a.to)} l/min`;
  return `${a.room} (${a.circuit}): lockshield ${fmt(a.from)} → ${fmt(a.to)} turns open`;
}

function verdict(c: Circuit, status: CircuitVerdict["status"], reason: string): CircuitVerdict {
  return { circuit: c.id, manifold: c.manifold, room: c.room, status, reason };
}

function localTime(house: House, t: number): string {
  return DateTime.fromSeconds(t, { zone: house.site.timezone }).toFormat("yyyy-LL-dd HH:mm");
}

function fmt(x: number): string {
  return Number.isInteger(x * 8) && !Number.isInteger(x * 10) ? x.toFixed(3) : String(Number(x.toFixed(2)));
}

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
