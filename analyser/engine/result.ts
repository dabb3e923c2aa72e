// What the balancing engine decides, per cycle. The report and the memory consume this.

export type Unit = "l/min" | "turns";

export interface Action {
  circuit: string;
  manifold: string;
  room: string;
  valve: "flow-meter" | "lockshield";
  /** Current setting (l/min) or turns open. */
  from: number;
  /** New setting (l/min, on the scale step) or turns open (to 1/8). */
  to: number;
  unit: Unit;
  /** Expected reduction of the circuit's spread error, K; used to pick the few changes of the day. */
  effect_k: number;
  reason: string;
  /** The spread the engine expects once the change has settled, K. */
  expected_spread_k?: number;
}

export type VerdictStatus =
  | "change" // an action is recommended today
  | "nothing-to-do" // within the dead band
  | "deferred" // would change, but not among today's few changes
  | "not-enough-data" // the analyser could not judge it
  | "waiting" // a recent change has not settled yet
  | "index" // the most demanding circuit: stays fully open
  | "cannot-fix"; // even fully open it is short: raise the heating curve instead

export interface CircuitVerdict {
  circuit: string;
  manifold: string;
  room: string;
  status: VerdictStatus;
  spread_k?: number;
  target_k?: number;
  flow_lpm?: number;
  action?: Action;
  reason: string;
  /** Judged error (spread minus target, or room minus target), K. */
  error_k?: number;
  /** The band the error was held to (the dead band, widened to the spread's uncertainty), K. */
  band_k?: number;
  /** The guard that held a change back (guards.ts), when one did. */
  held_by?: string;
}

export interface TrendPoint {
  cycle: number;
  /** Local date of the cycle (YYYY-MM-DD, site time zone). */
  date: string;
  worst_deviation_k: number;
}

export interface EngineResult {
  cycle: number;
  policy: string;
  balanced: boolean;
  worst_deviation_k?: number;
  trend: TrendPoint[];
  verdicts: CircuitVerdict[];
  /** Today's changes, most effective first, at most analysis.max_changes per cabinet. */
  actions: Action[];
  /** When the next judgement of recently changed circuits comes (Unix s). */
  next_judgement?: number;
  /** A room flow cannot fix: the curve has to come up (lower_by_k is 0; lowering is the curve advisor's, analyser/curve). */
  heating_curve?: { lower_by_k: number; note: string };
  /** Measured room − target per room, K, where a room thermometer exists: the curve advisor's input. */
  room_deviations?: { room: string; deviation_k: number }[];
  /** Changes detected in the data that nobody recorded. */
  looks_applied: { circuit: string; evidence: string }[];
  warnings: string[];
}
