// A whole simulated node: the firmware core on a SimPlatform, with one SimBus per configured bus
// populated with the configured sensors. Portable: the same rig runs on Node and on XS.

import { canonicalToWire } from "../../shared/rom.js";
import type { NodeConfig } from "../core/config.js";
import type { FlashStore } from "../core/flash.js";
import { FirmwareNode, type NodeOptions } from "../core/node.js";
import { thermalProfile, type TemperatureSource } from "./profile.js";
import { SimBus, type SimSensor } from "./sim-bus.js";
import { seeded, SimPlatform, type Transport } from "./sim-platform.js";

export interface RigOptions {
  config: NodeConfig;
  transport: Transport;
  flash?: FlashStore | null;
  seed?: number;
  source?: TemperatureSource;
  nodeOptions?: Partial<NodeOptions>;
  bootWallS?: number;
  sntpAfterS?: number;
  log?: (line: string) => void;
}

export interface Rig {
  platform: SimPlatform;
  buses: SimBus[];
  node: FirmwareNode;
  sensors: Map<string, SimSensor>;
  /** Put a sensor on a bus (hot-plug), reading the rig's source. */
  plug(bus: number, rom: string): SimSensor;
}

export function buildRig(o: RigOptions): Rig {
  const platform = new SimPlatform({ bootWallS: o.bootWallS, sntpAfterS: o.sntpAfterS, transport: o.transport, seed: o.seed, log: o.log });
  const random = seeded((o.seed ?? 1) * 7919);
  const source = o.source ?? thermalProfile();
  const sensors = new Map<string, SimSensor>();
  const buses = o.config.buses.map(() => new SimBus(random, (us) => platform.busy(us)));
  const plug = (bus: number, rom: string): SimSensor => {
    const s: SimSensor = { wire: canonicalToWire(rom), temperature: () => source(rom, platform.trueWallS()), faults: {} };
    sensors.set(rom, s);
    return buses[bus].add(s);
  };
  o.config.buses.forEach((b, i) => b.sensors.forEach((s) => plug(i, s.rom)));
  const node = new FirmwareNode(o.config, platform, buses, o.flash ?? null, o.nodeOptions);
  return { platform, buses, node, sensors, plug };
}
