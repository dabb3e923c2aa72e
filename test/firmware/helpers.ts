// Shared fixtures for the firmware tests: a small node configuration with made-up ROMs.
import { makeRom, romToCanonical } from "../../shared/rom.js";
import type { NodeConfig } from "../../firmware/core/config.js";

export function rom(serial: number, family = 0x28): string {
  return romToCanonical(makeRom(serial, family));
}

export function testConfig(perBus: number[] = [3, 2], overrides: Partial<NodeConfig> = {}): NodeConfig {
  let serial = 0x0316a2790000;
  return {
    node: "test-node",
    hostname: "fb-test-node",
    firmware: "0.1.0-test",
    interval_s: 10,
    resolution: 12,
    buses: perBus.map((n, i) => ({ id: String(i), pin: 16 + i, sensors: Array.from({ length: n }, () => ({ rom: rom(serial++), label: "" })) })),
    influx: { host: "127.0.0.1", port: 8086, database: "fbtest", retention_policy: "autogen", precision: "s" },
    ...overrides,
  };
}
