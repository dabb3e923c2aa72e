// The node's entry point: read the build's configuration, wire the Moddable adapters to the
// portable core and start sampling. FWDELIVERY adds the status/OTA server and rollback here.
import config from "mc/config";
import type { NodeConfig } from "./core/config.js";
import { FirmwareNode } from "./core/node.js";
import { ModdableOneWire } from "./adapters/onewire.js";
import { PartitionFlash } from "./adapters/flash.js";
import { Network } from "./adapters/network.js";
import { DevicePlatform } from "./adapters/platform.js";
import { READING_BUFFER_PARTITION } from "./core/partitions.js";
import { startDelivery } from "./adapters/rollback-supervisor.js";
import { resetReason, restart } from "./adapters/rollback.js";
import { startDhw } from "./adapters/dhw-io.js";
import { BleScan } from "./adapters/ble-scan.js";

const READINGS_PARTITION = READING_BUFFER_PARTITION;

const cfg = config as unknown as NodeConfig;
const log = (line: string) => trace(line + "\n");

const network = new Network({ ssid: cfg.wifi_ssid ?? "", password: cfg.wifi_password ?? "", log });
const platform = new DevicePlatform({
  host: cfg.influx.host,
  port: cfg.influx.port,
  network,
  resetReason,
  restart: (why) => {
    log(`restart: ${why}`);
    restart(); // esp_restart() through FFI (adapters/rollback.c)
  },
});

// First: count this reset (boot-loop safe mode), start the rollback probation of a new image,
// and serve GET /status and PUT /ota. In safe mode nothing else starts.
let node: FirmwareNode | null = null;
const delivery = startDelivery({
  node: cfg.node,
  firmware: cfg.firmware,
  otaToken: cfg.ota_token ?? "",
  monotonicMs: () => platform.monotonicMs(),
  log,
  snapshot: () => {
    const s = node!.snapshot();
    return { now: platform.wallS() ?? 0, buses: s.buses, buffer: s.buffer, write: s.write };
  },
  progress: () => ({
    sensorsRead: node !== null && node.table.entries.some((e) => e.lastTime !== undefined),
    influxWriteOk: node !== null && node.linesWritten > 0,
  }),
});

if (!delivery.safeMode) {
  let flash: PartitionFlash | null = null;
  try {
    flash = new PartitionFlash(READINGS_PARTITION);
  } catch {
    log(`no "${READINGS_PARTITION}" flash partition: buffering in RAM only`);
  }

  node = new FirmwareNode(cfg, platform, cfg.buses.map((b) => new ModdableOneWire(b.pin)), flash);
  node.start();
  startDhw({ config: cfg, node, platform, log }); // only where the house file has a dhw section
  const scanning = node;
  if (cfg.ble_scan) new BleScan((reading, rssi) => scanning.ble(reading, rssi)); // only where the house file names a thermometer this node serves
}

export default node;
