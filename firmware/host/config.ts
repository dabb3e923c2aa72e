// From the validated house to one node's firmware configuration (what the Moddable build
// consumes as manifest `config`, i.e. "mc/config"), and the secrets merged in at build time.

import { EXIT } from "../../shared/exit-codes.js";
import { UserError } from "../../shared/errors.js";
import { sensorIndex, type House, type SensorRole } from "../../shared/house/index.js";
import { requireSecret, type SecretName, type Secrets } from "../../shared/secrets.js";
import type { InfluxTarget, NodeConfig } from "../core/config.js";
import { FIRMWARE_VERSION } from "../core/version.js";
import { deriveDhwConfig, dhwSensors } from "./dhw-config.js";

function label(s: SensorRole): string {
  return s.role === "circuit" ? `${s.manifold}/${s.circuit}` : `${s.manifold} ${s.role}`;
}

/** InfluxDB target from house.influx.url (`http://host:8086`). */
export function influxTarget(house: House): InfluxTarget {
  const url = new URL(house.influx.url);
  if (url.protocol !== "http:") {
    throw new UserError(`influx.url ${house.influx.url}: the firmware writes plain HTTP only`, EXIT.usage, "use http://host:8086 for the nodes (TLS on an ESP32 costs ~40 KB of heap)");
  }
  return { host: url.hostname, port: url.port ? Number(url.port) : 8086, database: house.influx.database, retention_policy: house.influx.retention_policy, precision: "s" };
}

export function deriveNodeConfig(house: House, nodeId: string): NodeConfig {
  const node = house.nodes.find((n) => n.id === nodeId);
  if (!node) {
    throw new UserError(`there is no node "${nodeId}" in the house file`, EXIT.usage, `known nodes: ${house.nodes.map((n) => n.id).join(", ")}`);
  }
  const sensors = [...sensorIndex(house).values()].filter((s) => s.node === nodeId);
  const dhw = deriveDhwConfig(house, node);
  const dhwOnBus = dhwSensors(node).filter((d) => !sensors.some((s) => s.rom === d.rom));
  const config: NodeConfig = {
    node: node.id,
    hostname: node.hostname,
    firmware: FIRMWARE_VERSION,
    interval_s: node.interval_s,
    resolution: node.resolution,
    buses: node.buses.map((b) => ({
      id: b.id,
      pin: b.pin,
      sensors: [...sensors.filter((s) => s.bus === b.id).map((s) => ({ rom: s.rom, label: label(s) })), ...dhwOnBus.filter((d) => d.bus === b.id).map((d) => ({ rom: d.rom, label: d.label }))],
    })),
    influx: influxTarget(house),
  };
  if (dhw) config.dhw = dhw;
  if (bleRoomsServedBy(house, node.id).length > 0) config.ble_scan = true;
  return config;
}

/** The secrets a node's build needs, and why. */
export const NODE_SECRETS: readonly [SecretName, string][] = [
  ["wifi_ssid", "to join the Wi-Fi"],
  ["wifi_password", "to join the Wi-Fi"],
  ["influx_username", "to write to InfluxDB (basic auth)"],
  ["influx_password", "to write to InfluxDB (basic auth)"],
  ["ota_token", "to accept firmware updates over the air"],
];

/** Merge the secrets in; throws UserError(EXIT.missingSecret) naming the first missing one. */
export function withSecrets(config: NodeConfig, secrets: Secrets): NodeConfig {
  const out: NodeConfig = { ...config };
  for (const [name, purpose] of NODE_SECRETS) out[name as Exclude<SecretName, "discord_webhook">] = requireSecret(secrets, name, `by the firmware of node ${config.node} ${purpose}`);
  return out;
}

/** Rooms with a BLE thermometer that a circuit on one of the node's manifolds heats. */
export function bleRoomsServedBy(house: House, nodeId: string): string[] {
  const manifolds = new Set(house.manifolds.filter((m) => m.node === nodeId).map((m) => m.id));
  const rooms = new Set(house.circuits.filter((c) => manifolds.has(c.manifold)).map((c) => c.room));
  return house.rooms.filter((r) => r.ble && rooms.has(r.name)).map((r) => r.name);
}
