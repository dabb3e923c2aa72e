// The entry esbuild bundles for XS: exposes the scenarios on globalThis for xsnap.
import { FakeInflux } from "./fake-influx.js";
import { MemoryFlash } from "./flash-double.js";
import { buildRig } from "./rig.js";
import { outageWithReboot } from "./scenario.js";

(globalThis as any).floorbalance = { outageWithReboot, buildRig, FakeInflux, MemoryFlash };

// The heap probe of bench/firmware.ts: one node in an outage, advanced from outside.
let probe: ReturnType<typeof buildRig> | null = null;
(globalThis as any).heapProbe = {
  setup(config: any): number {
    const influx = new FakeInflux();
    influx.answer = (req) => (req.method === "POST" ? { status: 503, body: "{}" } : undefined);
    probe = buildRig({ config, transport: influx.transport, flash: new MemoryFlash(64 * 4096), seed: 3 });
    probe.node.start();
    return 0;
  },
  async runFor(ms: number): Promise<number> {
    await probe!.platform.runFor(ms);
    return probe!.node.buffer.depth;
  },
};
