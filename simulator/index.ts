// The simulator's public API: the physical twin, whole-run simulation to line protocol, random
// houses, and a person adjusting valves. See docs/simulator.md for the model.

export { Twin, CELLS_PER_CIRCUIT } from "./twin.js";
export type { TwinOptions, RawRead, SensorSample, Truth, ValveState, Ledger, RawSampleFn } from "./twin.js";
export { simulate, Simulation, SIM_FIRMWARE } from "./simulate.js";
export type { SimulateOptions, SimulateStats } from "./simulate.js";
export { randomHouse } from "./random-house.js";
export { personAdjust, type PersonAdjustment } from "./person.js";
export { Rng } from "./rng.js";
export type { WeatherOptions } from "./weather.js";
export type { HeatPumpState } from "./heatpump.js";
