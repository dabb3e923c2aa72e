// What the Moddable build consumes as the manifest's `config` (the frozen default export of
// "mc/config"). Derived from the house file on the host (firmware/host/config.ts); the device
// never sees YAML. Portable: no Node or Moddable imports.

import type { DhwConfig } from "./dhw/config.js";

export interface SensorConfig {
  /** Canonical ROM, 28-0316a2794aff. */
  rom: string;
  /** What it measures, for the serial log only (readings carry the ROM alone). */
  label?: string;
}

export interface BusConfig {
  id: string;
  pin: number;
  sensors: SensorConfig[];
}

export interface InfluxTarget {
  host: string;
  port: number;
  database: string;
  retention_policy: string;
  precision: "s";
}

export interface NodeSecrets {
  wifi_ssid?: string;
  wifi_password?: string;
  influx_username?: string;
  influx_password?: string;
  ota_token?: string;
}

export interface NodeConfig extends NodeSecrets {
  node: string;
  hostname: string;
  firmware: string;
  interval_s: number;
  resolution: number;
  buses: BusConfig[];
  influx: InfluxTarget;
  /** The hot-water circulation module (firmware/core/dhw), when the house file enables it here. */
  dhw?: DhwConfig;
  /**
   * Scan for BLE room thermometers (firmware/core/ble). Only where the house file names one in a
   * room this node's manifolds serve: on an ESP32 a scan shares the radio with Wi-Fi.
   */
  ble_scan?: boolean;
}

export function expectedSensors(config: NodeConfig): number {
  let n = 0;
  for (const bus of config.buses) n += bus.sensors.length;
  return n;
}
