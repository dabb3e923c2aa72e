// Simulated readings from the twin (simulator/index.ts), as traces: the true house is what the
// twin simulates; tests then hand verify a house file with planted mistakes.

import type { House } from "../../shared/house/index.js";
import { Twin } from "../../simulator/index.js";
import type { RomTrace } from "../../commissioning/series.js";

export function twinTraces(house: House, opts: { start: number; hours: number; seed: number; outputIntervalS?: number }): RomTrace[] {
  const twin = new Twin(house, { start: opts.start, seed: opts.seed, outputIntervalS: opts.outputIntervalS });
  const byRom = new Map<string, RomTrace>();
  twin.runTo(opts.start + opts.hours * 3600, (s) => {
    // Invalid reads never reach InfluxDB as temperatures (shared/reading.ts); dropping them here is the same.
    if (s.raw.kind !== "value") return;
    let t = byRom.get(s.rom);
    if (!t) byRom.set(s.rom, (t = { rom: s.rom, node: s.node, bus: s.bus, samples: [] }));
    t.samples.push({ time: s.time, celsius: s.raw.celsius });
  });
  return [...byRom.values()];
}
