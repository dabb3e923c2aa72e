// The virtual node: the firmware core in Node, with simulated buses fed by the house twin,
// writing to a real InfluxDB over HTTP, on a simulated clock that runs `speed` times real time.
import type { House } from "../../shared/house/index.js";
import type { NodeConfig } from "../core/config.js";
import { FileFlash } from "./file-flash.js";
import { MemoryFlash } from "./flash-double.js";
import { nodeTransport } from "./http-transport.js";
import { buildRig } from "./rig.js";
import { startBleAir } from "./ble-air.js";
import { twinFeed } from "./twin-source.js";

/** The default "readings" partition: 704 KiB (firmware/core/partitions.ts). */
export const DEFAULT_FLASH_BYTES = 0xb0000;

export interface VirtualNodeOptions {
  house: House;
  config: NodeConfig;
  influxUrl: string;
  /** Simulated seconds per real second; Infinity = as fast as possible. */
  speed: number;
  durationS: number;
  startS: number;
  seed: number;
  flashFile?: string;
  log: (line: string) => void;
  /** Stop early (Ctrl-C). */
  signal?: AbortSignal;
}

export async function runVirtualNode(o: VirtualNodeOptions) {
  const flash = o.flashFile ? new FileFlash(o.flashFile, DEFAULT_FLASH_BYTES) : new MemoryFlash(DEFAULT_FLASH_BYTES);
  const feed = twinFeed(o.house, o.startS, o.seed);
  const rig = buildRig({ config: o.config, transport: nodeTransport(o.influxUrl), flash, seed: o.seed, bootWallS: o.startS, source: feed.source, log: o.log });
  rig.node.start();
  const thermometers = startBleAir(rig, o.house, o.config.node, feed.at, o.seed);
  if (thermometers > 0) o.log(`BLE: ${thermometers} room thermometer(s) in range`);
  const endMs = o.durationS * 1000;
  const stepRealMs = 200;
  while (rig.platform.monotonicMs() < endMs && !o.signal?.aborted) {
    const step = Number.isFinite(o.speed) ? stepRealMs * o.speed : 60_000;
    await rig.platform.runUntil(Math.min(endMs, rig.platform.monotonicMs() + step));
    if (Number.isFinite(o.speed)) await new Promise((r) => setTimeout(r, stepRealMs));
  }
  // Give the writer a last chance to empty the buffer.
  await rig.platform.runFor(30_000);
  rig.node.stop();
  if (flash instanceof FileFlash) flash.close();
  return { cycles: rig.node.cycles, linesWritten: rig.node.linesWritten, status: rig.node.snapshot() };
}
