// The typed analysis result: what the analyser measured, and how sure it is. The engine and
// the report consume this; `floorbalance analyse --json` prints it. All temperatures °C,
// spreads K, flows l/min, heat W, times Unix seconds (UTC) unless a field says "Local".

export interface Estimate {
  value: number;
  /** One standard deviation, same unit. */
  sd: number;
}

export interface Interval {
  /** 90 % confidence interval. */
  low: number;
  high: number;
}

export interface SensorQuality {
  rom: string;
  node?: string;
  bus?: string;
  /** Share of expected readings present in the window, 0…1. */
  coverage: number;
  gaps: number;
  longest_gap_min: number;
  stuck: boolean;
  /** Share of readings that look like glitches (isolated outliers), 0…1. */
  glitch_rate: number;
  reporting_now: boolean;
  last_seen?: number;
  /** Calibration offset applied (K, subtracted from readings). */
  offset_k?: number;
}

/**
 * Everything that limits a spread (calibration/uncertainty.ts): the engine acts only on errors
 * beyond it, and does not call a circuit balanced when it is not resolvable.
 */
export interface SpreadUncertainty {
  /** 90 % interval of the spread from all sources below. */
  interval: Interval;
  /** Components, K, one sd each. */
  noise_k: number;
  coverage_k: number;
  calibration_k: number;
  coupling_k: number;
  /** 90 % half-width for comparing circuits of one manifold (the supply's terms cancel), K. */
  relative_half_width_k: number;
  /** relative_half_width_k ≤ the dead band: an error of the band's size can be told. */
  resolvable: boolean;
  /** ROMs without a usable calibration (calibrating them narrows the interval). */
  calibrate: string[];
}

export interface SpreadStats {
  /** Median over heating-active minutes, K. */
  median_k: number;
  /** Interquartile range over those minutes, K. */
  iqr_k: number;
  ci: Interval;
  minutes: number;
  segments: number;
  uncertainty?: SpreadUncertainty;
}

/**
 * The heat-carrying spread: mean supply − return over every minute heat flows (transients
 * included), the spread that carries the circuit's heat. Balancing compares these.
 */
export interface HeatSpread {
  mean_k: number;
  ci: Interval;
  minutes: number;
  /** Heat-flow runs (cycles) the mean spans. */
  cycles: number;
  /** Mean manifold supply over the same minutes, °C. */
  supply_c: number;
  uncertainty?: SpreadUncertainty;
}

export interface FlowEstimates {
  /** Flow share of the manifold total from mixing at the return collector, 0…1. */
  share?: Estimate;
  /** Absolute flow from the share and the manifold total. */
  mixing_lpm?: Estimate;
  /** Absolute flow from transit time at heating starts. */
  transit_lpm?: Estimate;
  /** The two combined by inverse-variance weights. */
  combined_lpm?: Estimate;
  /** The flow meter's current setting, as the house file says. */
  meter_lpm?: number;
  /** Set when the two estimates disagree beyond their uncertainties. */
  disagreement?: string;
}

export type Status = "ok" | "not-enough-data";

export interface CircuitAnalysis {
  circuit: string;
  manifold: string;
  room: string;
  rom?: string;
  status: Status;
  /** Why there is not enough data (set when status is not-enough-data). */
  reason?: string;
  /** The settled spread (minutes after the circuit's transit time), when there are enough. */
  spread?: SpreadStats;
  /** The heat-carrying spread over every heat-flow minute (see HeatSpread). */
  heat_spread?: HeatSpread;
  /** Median circuit return over heating-active minutes, °C. */
  return_c?: number;
  flow: FlowEstimates;
  heat?: { relative: number; watts?: number; w_per_m2?: number };
  /** Transit time of the hot front at heating starts, s. */
  transit_s?: Estimate;
  quality?: SensorQuality;
  warnings: string[];
}

export interface ManifoldAnalysis {
  manifold: string;
  name: string;
  status: Status;
  reason?: string;
  supply_c?: number;
  return_c?: number;
  /** The manifold's own spread (supply − manifold return), K. */
  spread?: SpreadStats;
  /** Estimated total flow through the manifold, l/min. */
  total_flow_lpm?: Estimate;
  circuits: CircuitAnalysis[];
  warnings: string[];
}

export interface Segment {
  start: number;
  end: number;
  manifold?: string;
  /** Kind of the minutes excluded around it, for the report (e.g. "defrost", "dhw"). */
  note?: string;
}

export interface NodeStatus {
  node: string;
  last_seen?: number;
  write_status?: string;
  rejected: Record<string, number>;
  dropped?: number;
  buffered?: number;
  firmware?: string;
}

export interface AnalysisResult {
  site: string;
  language: "de" | "en";
  generated_at: number;
  window: { start: number; end: number; timezone: string; start_local: string; end_local: string };
  heating: { active_minutes: number; segments: Segment[]; starts: number; outdoor_c?: number; supply_c?: number };
  manifolds: ManifoldAnalysis[];
  calibration: { rom: string; offset_k: number; sd_k: number; source: "isothermal" | "stored" | "none"; gain?: number }[];
  sensors: SensorQuality[];
  unknown_sensors: { rom: string; node: string; bus: string; last_seen: number }[];
  nodes: NodeStatus[];
  warnings: string[];
  /** The hot-water circulation section (analyser/report/dhw-section.ts), where a node has the module. */
  dhw?: import("../report/dhw-section.js").DhwSummary;
}
