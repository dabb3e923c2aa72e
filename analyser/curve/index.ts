// The heating curve: controllers (Lambda, Luxtronik 2, generic), the delivered-curve fit, room
// feedback, the advisor, short-cycling and the proof. All pure; see docs/heating-curve.md.

export * from "./lambda.js";
export * from "./luxtronik.js";
export * from "./generic.js";
export * from "./controller.js";
export * from "./fit.js";
export * from "./room-feedback.js";
export * from "./advisor.js";
export * from "./cycling.js";
export * from "./proof.js";
export * from "./text.js";
export * from "./house.js";
