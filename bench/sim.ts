// npm run bench:sim — 30 simulated days of the example house at each node's 10 s interval,
// written as line protocol to a file. Prints sim-seconds per wall-second and the memory peak;
// the last line is one JSON object.

import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadHouseFile } from "../shared/house/load.js";
import { Simulation } from "../simulator/index.js";

const DAYS = 30;
const { house } = loadHouseFile(new URL("../examples/house.yaml", import.meta.url).pathname);
const dir = mkdtempSync(join(tmpdir(), "fb-bench-sim-"));
const file = join(dir, "sim.lp");
const fd = openSync(file, "w");
const start = Date.UTC(2025, 10, 1) / 1000;

const t0 = process.hrtime.bigint();
const sim = new Simulation(house, { start, days: DAYS, seed: 1 });
while (sim.time < sim.end) sim.run(Math.min(sim.end, sim.time + 86400), (chunk) => writeSync(fd, chunk));
closeSync(fd);
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
const bytes = statSync(file).size;
rmSync(dir, { recursive: true, force: true });

const simSeconds = DAYS * 86400;
const usage = process.resourceUsage();
const peakMb = usage.maxRSS / 1024;
// CPU time beside wall time: on a shared machine the wall time includes waiting for a core.
const cpuS = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
console.log(`simulated ${DAYS} days of ${house.site.name}: ${sim.stats.readings} readings (${sim.stats.rejected} invalid reads counted), ${sim.stats.lines} lines, ${(bytes / 1e6).toFixed(0)} MB`);
console.log(`wall ${wall.toFixed(2)} s (CPU ${cpuS.toFixed(2)} s), ${(simSeconds / wall).toFixed(0)} simulated seconds per wall second, peak RSS ${peakMb.toFixed(0)} MB`);
console.log(
  JSON.stringify({
    bench: "sim",
    days: DAYS,
    readings: sim.stats.readings,
    wall_s: Math.round(wall * 100) / 100,
    sim_s_per_wall_s: Math.round(simSeconds / wall),
    peak_rss_mb: Math.round(peakMb),
  }),
);
