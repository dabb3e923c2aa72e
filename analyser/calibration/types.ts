// What a calibration procedure yields per sensor (keyed by ROM: a sensor moved to another pipe
// keeps its calibration). Readings stay raw everywhere; the analysis applies these.

export type CalibrationMethod = "bundle" | "in-place" | "standby-pair" | "harvested" | "isothermal";

export interface SensorCalibration {
  rom: string;
  /** Offset at GAIN_REFERENCE_C, K, relative to the group it was calibrated in (subtracted). */
  offset_k: number;
  /** One standard deviation of the offset, K. */
  sd_k: number;
  /** Relative gain (1 = ideal) when the range allowed fitting it. */
  gain?: number;
  /** Air coupling ε (clamped sensor reads θ_w − ε(θ_w − θ_air)) and its sd, when estimated. */
  epsilon?: number;
  epsilon_sd?: number;
  /** RMS of the fit's residuals, K. */
  residual_k?: number;
  /** Set when the sensor should be replaced, with why (English; the CLI translates). */
  replace?: "noisy" | "far-off" | "gain";
  method: CalibrationMethod;
  /** The group (node, or node+manifold) the offset is relative to. */
  group: string;
}

/** Reference temperature of gains: the middle of the range the sensors work in, °C. */
export const GAIN_REFERENCE_C = 25;

/** A gain is only fitted when the bundle covered at least this range, K. */
export const GAIN_MIN_RANGE_K = 8;
