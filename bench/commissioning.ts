// How long verify and the touch detector take on realistic data: two days of the twin's
// readings for the homeowner's house (31 sensors every 10 s), and one identify poll.
// Prints figures; asserts nothing.
import { readFileSync } from "node:fs";
import { toMinutes } from "../commissioning/series.js";
import { detectTouch } from "../commissioning/touch.js";
import { verifyMapping } from "../commissioning/verify.js";
import { parseHouseText } from "../shared/house/index.js";
import { twinTraces } from "../test/commissioning/simdata.js";

const { house } = parseHouseText(readFileSync(new URL("../examples/house.yaml", import.meta.url), "utf8"));
const start = 1_765_000_800;
let t = performance.now();
const traces = twinTraces(house, { start, hours: 48, seed: 7 });
const samples = traces.reduce((n, tr) => n + tr.samples.length, 0);
console.log(`twin, 48 h, 31 sensors: ${samples} readings in ${(performance.now() - t).toFixed(0)} ms`);
t = performance.now();
const data = toMinutes(traces);
console.log(`per-minute means: ${data.minutes} minutes × ${data.byRom.size} ROMs in ${(performance.now() - t).toFixed(0)} ms`);
const runs = 5;
t = performance.now();
let result = verifyMapping(house, data);
for (let i = 1; i < runs; i++) result = verifyMapping(house, data);
console.log(`verify: ${result.starts.length} heating starts, ${result.findings.length} findings, ${((performance.now() - t) / runs).toFixed(1)} ms per run (mean of ${runs})`);
const node = traces.filter((tr) => tr.node === "hkv-eg-sued");
const end = start + 48 * 3600;
const recent = node.map((tr) => ({ ...tr, samples: tr.samples.filter((s) => s.time > end - 1800) }));
const polls = 1000;
t = performance.now();
for (let i = 0; i < polls; i++) detectTouch(recent, end);
console.log(`touch detection, ${recent.length} sensors × 30 min: ${((performance.now() - t) / polls).toFixed(3)} ms per poll (mean of ${polls})`);
