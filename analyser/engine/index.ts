// The balancing engine: policies, heat-transfer model, valve actions, memory.
export { recommend, describeAction, type RecommendOptions } from "./recommend.js";
export { emptyMemory, pendingRecommendations, recordSetting, type Memory, type MemoryEvent } from "./memory.js";
export { loadMemory, saveMemory, defaultStatePath } from "./memory-file.js";
export { applySelection, parseSetting, type Selection } from "./apply.js";
export { mirrorEvents } from "./mirror.js";
export { eventLines } from "./events.js";
export type * from "./result.js";
