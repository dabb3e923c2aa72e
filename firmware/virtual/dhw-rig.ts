// A virtual node with the hot-water circulation module: the firmware core and DhwModule on a
// SimPlatform, the node's line and outlet sensors read from the simulated loop
// (simulator/dhw-loop.ts), the relay driving that loop's pump, and a household's motions, doors
// and draws played in on the simulated clock. Used by test/dhw/virtual-node.test.ts against a
// real InfluxDB. Portable (no Node imports): the loop advances lazily to the time asked.

import type { NodeConfig } from "../core/config.js";
import { DhwModule } from "../core/dhw/module.js";
import { DhwLoop, type DhwLoopOptions } from "../../simulator/dhw-loop.js";
import type { HouseholdEvent } from "../../simulator/household.js";
import { thermalProfile } from "./profile.js";
import { buildRig, type Rig } from "./rig.js";
import type { Transport } from "./sim-platform.js";

export interface DhwRigOptions {
  config: NodeConfig;
  transport: Transport;
  bootWallS: number;
  events: readonly HouseholdEvent[];
  loop?: Partial<DhwLoopOptions>;
  seed?: number;
  log?: (line: string) => void;
}

export interface DhwRig {
  rig: Rig;
  loop: DhwLoop;
  module: DhwModule;
  /** [UTC s, on] of every relay change. */
  relay: [number, boolean][];
}

export function buildDhwRig(o: DhwRigOptions): DhwRig {
  const dhw = o.config.dhw;
  if (!dhw) throw new Error(`node ${o.config.node} has no dhw section`);
  const loop = new DhwLoop(o.loop);
  let loopT = o.bootWallS;
  const advance = (t: number) => {
    while (loopT < t) {
      const dt = Math.min(2, t - loopT);
      loop.step(dt);
      loopT += dt;
    }
  };
  const others = thermalProfile();
  const rig = buildRig({
    config: o.config,
    transport: o.transport,
    bootWallS: o.bootWallS,
    seed: o.seed,
    log: o.log,
    source: (rom, wallS) => {
      if (rom !== dhw.line_rom && rom !== dhw.outlet_rom) return others(rom, wallS);
      advance(wallS);
      if (rom === dhw.line_rom) return loop.sensorFailed ? null : loop.lineSensorC;
      return loop.outletSensorC;
    },
  });
  const relay: [number, boolean][] = [];
  const module = new DhwModule({
    node: o.config.node,
    config: dhw,
    platform: rig.platform,
    io: {
      setRelay(on) {
        const t = rig.platform.trueWallS();
        advance(t);
        if (on !== loop.pump) relay.push([t, on]);
        loop.pump = on;
      },
    },
    read: (rom) => {
      const e = rig.node.table.get(rom);
      return e && e.lastC !== undefined && e.lastTime !== undefined ? { c: e.lastC, time: e.lastTime } : undefined;
    },
    staleS: 3 * o.config.interval_s + 5,
    emit: (line) => rig.node.queueLine(line),
  });
  for (const e of o.events) {
    const at = (e.t - o.bootWallS) * 1000;
    if (at < 0) continue;
    rig.platform.after(at, () => {
      advance(rig.platform.trueWallS());
      if (e.kind !== "draw") return module.demand(e.kind);
      const lpm = e.lpm ?? 5;
      loop.drawLpm += lpm;
      rig.platform.after((e.durationS ?? 60) * 1000, () => {
        advance(rig.platform.trueWallS());
        loop.drawLpm = Math.max(0, loop.drawLpm - lpm);
      });
    });
  }
  return { rig, loop, module, relay };
}
