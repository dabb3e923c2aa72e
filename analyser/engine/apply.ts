// What the user says they did: all of today's recommendations, some of them, or values read off
// the meters. Pure: returns the new memory and the recorded events.

import type { Circuit, House } from "../../shared/house/index.js";
import { pendingRecommendations, recordSetting, type Memory, type MemoryEvent } from "./memory.js";
import { describeAction } from "./recommend.js";
import type { Unit } from "./result.js";

/**
 * What the user said does not fit the house or the memory. The engine only says what and how to
 * fix it; the shell (cli/commands/apply.ts) turns it into a UserError with its exit code.
 */
export class SelectionError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "SelectionError";
  }
}

export interface ActualSetting {
  circuit: string;
  value: number;
  unit?: Unit;
}

export type Selection = { all: true } | { circuits: string[] } | { settings: ActualSetting[] };

/** Parse `ID=2.4`, `ID=2.4lpm`, `ID=1.5turns` / `ID=1.5t`. */
export function parseSetting(text: string): ActualSetting {
  const m = /^([^=\s]+)=\s*([0-9]+(?:[.,][0-9]+)?)\s*(l\/min|lpm|turns?|t)?$/i.exec(text.trim());
  if (!m) throw new SelectionError(`--set ${text}: write it as CIRCUIT=2.4 (l/min) or CIRCUIT=1.5turns`);
  const value = Number(m[2]!.replace(",", "."));
  const suffix = m[3]?.toLowerCase();
  const unit: Unit | undefined = suffix === undefined ? undefined : suffix.startsWith("t") ? "turns" : "l/min";
  return { circuit: m[1]!, value, unit };
}

function circuitOf(house: House, id: string): Circuit {
  const c = house.circuits.find((x) => x.id === id);
  if (!c) throw new SelectionError(`no circuit "${id}" in the house file`, `known circuits: ${house.circuits.map((x) => x.id).join(", ")}`);
  return c;
}

/** Check a value read off a valve against that valve, and say how to fix it. */
export function validateSetting(house: House, s: ActualSetting): { circuit: Circuit; value: number; unit: Unit } {
  const c = circuitOf(house, s.circuit);
  const v = c.valve;
  if (v.kind === "flow-meter") {
    if (s.unit === "turns") throw new SelectionError(`${c.id} has a flow meter: give the reading in l/min, e.g. ${c.id}=${v.setting_lpm}`);
    if (s.value < v.scale.min - 1e-9 || s.value > v.scale.max + 1e-9) {
      throw new SelectionError(`${c.id}: ${s.value} l/min is outside the meter's scale ${v.scale.min}–${v.scale.max} l/min`, "read the meter again");
    }
    return { circuit: c, value: s.value, unit: "l/min" };
  }
  if (s.unit === "l/min") throw new SelectionError(`${c.id} has a lockshield: give turns open, e.g. ${c.id}=1.5turns`);
  if (s.value < 0 || s.value > v.characteristic.max_turns) {
    throw new SelectionError(`${c.id}: ${s.value} turns is outside 0–${v.characteristic.max_turns} turns`, "count the turns again from fully closed");
  }
  return { circuit: c, value: s.value, unit: "turns" };
}

export function applySelection(house: House, memory: Memory, selection: Selection, now: number): { memory: Memory; recorded: MemoryEvent[] } {
  const pending = pendingRecommendations(memory);
  let chosen: { circuit: Circuit; value: number; unit: Unit; from?: number; text: string }[];
  if ("settings" in selection) {
    chosen = selection.settings.map((s) => {
      const v = validateSetting(house, s);
      const from = memory.settings[v.circuit.id]?.value ?? (v.circuit.valve.kind === "flow-meter" ? v.circuit.valve.setting_lpm : v.circuit.valve.turns_open);
      const text = describeAction({ circuit: v.circuit.id, manifold: v.circuit.manifold, room: v.circuit.room, valve: v.circuit.valve.kind, from, to: v.value, unit: v.unit, effect_k: 0, reason: "" });
      return { ...v, from, text: `set by hand: ${text}` };
    });
  } else {
    if (pending.length === 0) throw new SelectionError("there are no open recommendations to record", "record values read off the meters with --set CIRCUIT=VALUE");
    let picked = pending;
    if ("circuits" in selection) {
      picked = selection.circuits.map((id) => {
        circuitOf(house, id);
        const rec = pending.find((p) => p.circuit === id);
        if (!rec) throw new SelectionError(`no open recommendation for ${id}`, `open recommendations: ${pending.map((p) => p.circuit).join(", ")}; or use --set ${id}=VALUE`);
        return rec;
      });
    }
    chosen = picked.map((p) => ({ circuit: circuitOf(house, p.circuit), value: p.value, unit: p.unit, from: p.from, text: p.text }));
  }
  let m = memory;
  const recorded: MemoryEvent[] = [];
  for (const c of chosen) {
    const event: MemoryEvent = { time: now, cycle: memory.cycle, kind: "applied", circuit: c.circuit.id, manifold: c.circuit.manifold, unit: c.unit, value: c.value, from: c.from, text: c.text };
    m = recordSetting(m, event);
    recorded.push(event);
  }
  return { memory: m, recorded };
}
