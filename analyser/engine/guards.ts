// The guards: named rules that hold a planned move back (or shape it) for a reason the report
// can give. Each one can be switched off by name (RecommendOptions.off), which is what the
// convergence bench's ablation does: a rule stays only if removing it makes the held-out set
// worse. A new rule (e.g. one that holds a circuit whose room-temperature interval already
// contains its target) adds its name here and its check where its stage runs in recommend.ts.

export const GUARDS = [
  "uncertainty",
  "confirmation",
  "cabinet-visit",
  "index-throttle",
  "reversal",
  "smallest-meter-move",
  "closest-eighth",
  "valve-end",
  "heat-pump-minimum",
  "between-manifolds",
] as const;

export type GuardName = (typeof GUARDS)[number];

/** What each guard does, for the bench's ablation table and the docs. */
export const GUARD_DOC: Record<GuardName, string> = {
  uncertainty: "a circuit's band is at least its spread's 90 % half-interval: no move for an error the measurement cannot tell from zero",
  confirmation: "a circuit within its band last time and only a little out now is held once, confirmed at the next judgement",
  "cabinet-visit": "at a cabinet visited anyway, circuits near the band edge are set too",
  "index-throttle": "a circuit its valve cannot serve (fully open) has the others throttled relative to it, for a large error only",
  reversal: "a move that reverses the circuit's last change is held unless the error is large, and then moves half-way (hysteresis)",
  "smallest-meter-move": "a meter move that rounds to nothing becomes the smallest settable one",
  "closest-eighth": "a lockshield lands on the eighth nearest the wanted flow, or the next eighth if that brings it into the band",
  "valve-end": "one eighth short of the valve's end, with the wanted flow beyond it: the end itself",
  "heat-pump-minimum": "cuts are shrunk so the house's flow stays at or above the heat pump's minimum",
  "between-manifolds": "a manifold whose mean spread is well above the others' has all its circuits raised together",
};

/** Why a circuit's move was held back, and by which guard. */
export interface Held {
  guard: GuardName;
  reason: string;
}

/**
 * Rules that are off unless asked for (RecommendOptions.on). "between-manifolds": a different
 * manifold mean is not an imbalance when each manifold serves different rooms (issue 18: on an
 * independent model it raised all five circuits of a manifold that needed nothing), and switching
 * it off left the held-out bench as it was (docs/balancing.md, ablation): it did not earn its place.
 */
export const DEFAULT_OFF: readonly GuardName[] = ["between-manifolds"];

/** Which guards are on. */
export type GuardSwitch = (name: GuardName) => boolean;

export function guardSwitch(off: readonly GuardName[] = [], on: readonly GuardName[] = []): GuardSwitch {
  const disabled = new Set([...DEFAULT_OFF.filter((g) => !on.includes(g)), ...off]);
  return (name) => !disabled.has(name);
}
