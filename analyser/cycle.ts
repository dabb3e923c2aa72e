// The daily cycle, as one pure function: the minute series of the last day, the engine's memory
// and the calibration store in; the analysis, the engine's decisions, the report model and the
// next memory and store out. No I/O and no clock: the CLI's daily run, the demo and the
// convergence bench all call this, and each keeps only its own I/O around it (InfluxDB or the
// file source, the state files, Discord, the terminal). What the bench measures is then exactly
// what a user runs.

import type { House } from "../shared/house/index.js";
import { analyse } from "./measurement/analyse.js";
import { calibrationInputs, mergeCalibration, type CalibrationStore, type ProcedureCalibration } from "./measurement/calibration.js";
import { recommend } from "./engine/recommend.js";
import type { Memory } from "./engine/memory.js";
import type { EngineResult } from "./engine/result.js";
import { composeReport, type Report } from "./report/compose.js";
import { findOutage, type DataSourceName, type Outage } from "./report/outage.js";
import type { AnalysisResult } from "./measurement/result.js";
import type { MinuteSeries } from "./measurement/series.js";

/** What the cycle carries from one day to the next. */
export interface CycleState {
  memory: Memory;
  /** Per-sensor offsets (the calibration store); {} when none is kept. */
  calibration: CalibrationStore;
  /** The offsets `floorbalance calibrate` fitted (the calibration file beside the house file); read, never written, by the cycle. */
  procedures?: ProcedureCalibration;
}

export interface CycleOptions {
  /** Measured room temperatures by circuit id, °C. */
  rooms?: Record<string, number>;
  /** Passed to the engine (ablation in the bench): guards switched off by name. */
  engine?: Parameters<typeof recommend>[3];
  /** Where the series came from, for the report's one line when it held nothing (default: the house's database). */
  source?: DataSourceName;
  /** The hot-water circulation's runs in the window, read by the shell where a node has the module. */
  dhw?: AnalysisResult["dhw"];
}

export interface DailyCycle {
  analysis: AnalysisResult;
  engine: EngineResult;
  report: Report;
  /** Set when no data came (every node silent, or none in the source): the shell exits with EXIT.noData. */
  outage?: Outage;
  /** The state to keep for tomorrow (the shell decides whether it is saved). */
  next: CycleState;
}

/** One day: analyse the series at `now`, decide, compose the report. */
export function dailyCycle(house: House, series: MinuteSeries, state: CycleState, now: number, options: CycleOptions = {}): DailyCycle {
  const measured = analyse(house, series, { now, ...calibrationInputs(state.calibration, state.procedures) });
  const analysis = options.dhw ? { ...measured, dhw: options.dhw } : measured;
  const { result: engine, memory } = recommend(house, analysis, state.memory, { ...options.engine, now, rooms: options.rooms ?? options.engine?.rooms });
  const outage = findOutage(house, analysis, options.source ?? { kind: "database", name: house.influx.database });
  const report = composeReport(house, analysis, engine, outage);
  const fresh = analysis.calibration.filter((c) => c.source === "isothermal");
  const calibration = fresh.length > 0 ? mergeCalibration(state.calibration, fresh, now) : state.calibration;
  return { analysis, engine, report, outage, next: { memory, calibration, procedures: state.procedures } };
}
