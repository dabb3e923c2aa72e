// Scenarios that run the firmware core on simulated buses against the in-memory InfluxDB, the
// same on Node and on XS (bundled by esbuild, run in @agoric/xsnap by the tests and the bench).
// Portable: no Node imports.

import type { NodeConfig } from "../core/config.js";
import { FakeInflux } from "./fake-influx.js";
import { MemoryFlash } from "./flash-double.js";
import { buildRig } from "./rig.js";

const H = 3_600_000;

export interface OutageResult {
  stored: number;
  written: number;
  missing: number;
  wrongValue: number;
  invalid: number;
  dropped: number;
  bufferedAtReboot: number;
  rejected: Record<string, number>;
}

/** Normal operation, an outage with a reboot in its middle, then recovery. */
export async function outageWithReboot(config: NodeConfig, outageH: number): Promise<OutageResult> {
  const influx = new FakeInflux();
  const flash = new MemoryFlash(64 * 4096);
  const stored = new Map<string, number>();
  const boot = 1_767_225_600;
  const first = buildRig({ config, transport: influx.transport, flash, bootWallS: boot, seed: 5 });
  first.node.onStored = (rom, time, c) => stored.set(rom + " " + time, c);
  first.sensors.get(config.buses[0].sensors[0].rom)!.faults.powerOnReads = 2;
  first.sensors.get(config.buses[0].sensors[1].rom)!.faults.crcRate = 0.4;
  first.node.start();
  await first.platform.runFor(0.5 * H);
  influx.answer = (req) => (req.method === "POST" ? { status: 503, body: "{}", retryAfter: "60" } : undefined);
  await first.platform.runFor((outageH / 2) * H);
  const bufferedAtReboot = first.node.buffer.flash ? first.node.buffer.flash.depth : 0;
  first.node.stop();
  const second = buildRig({ config, transport: influx.transport, flash, bootWallS: Math.round(first.platform.trueWallS()) + 15, seed: 6 });
  second.node.onStored = (rom, time, c) => stored.set(rom + " " + time, c);
  second.node.start();
  await second.platform.runFor((outageH / 2) * H);
  influx.answer = () => undefined;
  await second.platform.runFor(0.5 * H);
  second.node.stop();

  let missing = 0;
  let wrongValue = 0;
  const written = new Map<string, number>();
  let invalid = 0;
  for (const p of influx.temperatures()) {
    written.set(p.rom + " " + p.time, p.celsius);
    if (!(p.celsius > -55 && p.celsius < 125) || p.celsius === 85 || p.celsius !== p.celsius) invalid++;
  }
  for (const [key, c] of stored) {
    const w = written.get(key);
    if (w === undefined) missing++;
    else if (w !== c) wrongValue++;
  }
  const r = second.node.rejected;
  const r1 = first.node.rejected;
  const rejected: Record<string, number> = {};
  for (const k of Object.keys(r) as (keyof typeof r)[]) rejected[k] = r[k] + r1[k];
  return { stored: stored.size, written: written.size, missing, wrongValue, invalid, dropped: second.node.dropped /* over the partition's life: the first boot's losses included */, bufferedAtReboot, rejected };
}
