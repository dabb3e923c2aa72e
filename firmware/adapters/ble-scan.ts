// Passive BLE scanning for room thermometers over Moddable's BLEClient: every advertisement goes,
// as raw bytes with the sender's address and RSSI, to the portable parser (firmware/core/ble);
// what parses is handed to the node, which keeps one reading per thermometer a minute. Nothing
// else happens here: no connection, no state (the thin adapter the core's tests stand in for).
import { BLEClient } from "bleclient";
import { GAP } from "gap";
import type { Client } from "gatt";
import { parseAdvertisement } from "../core/ble/advertisement.js";
import { normaliseMac, type BleReading } from "../core/ble/reading.js";

export type OnReading = (reading: BleReading, rssi: number) => void;

export class BleScan extends BLEClient {
  private readonly onReading: OnReading;

  constructor(onReading: OnReading) {
    super();
    this.onReading = onReading;
  }

  onReady(): void {
    // Passive (the thermometers put everything in the advertisement), duplicates on (the same
    // thermometer's next reading looks like a duplicate to the controller). Interval and window
    // in 0.625 ms units: listen 30 ms of every 50 ms, leaving the radio time for Wi-Fi.
    this.startScanning({ active: false, duplicates: true, filterPolicy: GAP.ScanFilterPolicy.NONE, interval: 0x50, window: 0x30 });
  }

  onDiscovered(device: Client): void {
    const ad = device.scanResponse;
    if (!ad || !ad.buffer) return;
    const r = parseAdvertisement(new Uint8Array(ad.buffer), normaliseMac(device.address.toString()) ?? "00:00:00:00:00:00");
    if (r.ok) this.onReading(r.reading, device.rssi);
  }
}
