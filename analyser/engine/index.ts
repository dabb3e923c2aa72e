// The balancing engine: policies, heat-transfer model, valve actions, memory. Pure: the state
// file (analyser/state/) and the InfluxDB mirror (analyser/delivery/mirror.ts) are the shell's.
export { recommend, describeAction, type RecommendOptions } from "./recommend.js";
export { emptyMemory, pendingRecommendations, recordSetting, type Memory, type MemoryEvent } from "./memory.js";
export { applySelection, parseSetting, type Selection } from "./apply.js";
export { eventLines } from "./events.js";
export type * from "./result.js";
