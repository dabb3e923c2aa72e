// A node configuration for the firmware benchmark: made-up ROMs, 12 bit, every 10 s.
import { makeRom, romToCanonical } from "../shared/rom.js";
import type { NodeConfig } from "../firmware/core/config.js";

export function testConfigFor(perBus: number[]): NodeConfig {
  let serial = 0x0316a27a0000;
  return {
    node: "bench",
    hostname: "fb-bench",
    firmware: "bench",
    interval_s: 10,
    resolution: 12,
    buses: perBus.map((n, i) => ({ id: String(i), pin: 16 + i, sensors: Array.from({ length: n }, () => ({ rom: romToCanonical(makeRom(serial++)) })) })),
    influx: { host: "127.0.0.1", port: 8086, database: "bench", retention_policy: "autogen", precision: "s" },
  };
}
