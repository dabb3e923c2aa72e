// The delivery side of boot, called first thing by firmware/main.ts:
//  1. count this reset and decide normal or safe mode (core/ota/safe-mode.ts, NVS record);
//  2. start the probation of a freshly installed image (core/ota/rollback.ts) and feed it;
//  3. serve GET /status and PUT /ota (adapters/http-server.ts) in both modes.
// main.ts starts sampling and writing only when `safeMode` is false, and reports the two health
// events (`sensorsRead`, `influxWriteOk`) as they happen.

import Timer from "timer";
import { UpdateEndpoint } from "../core/ota/update-session.js";
import { DEFAULT_HEALTH, observe, probationSummary, startProbation, type HealthCondition, type ProbationEvent } from "../core/ota/rollback.js";
import { DEFAULT_SAFE_MODE, onBoot, onImageInstalled, onStable, type ResetReason, type SafeModePolicy } from "../core/ota/safe-mode.js";
import { statusJson, type StatusSource } from "../core/ota/status.js";
import { startDeviceServer } from "./http-server.js";
import { createDigest, openSlot } from "./ota.js";
import { loadBootRecord, markValid, resetReason, restart, rollbackNow, runningImageState, saveBootRecord } from "./rollback.js";

export interface DeliveryOptions {
  node: string;
  firmware: string;
  /** The OTA token from the build's secrets; "" disables PUT /ota. */
  otaToken: string;
  /** Milliseconds since boot, monotonic. */
  monotonicMs(): number;
  /** Everything /status shows that the sampler and writer own (FWCORE's health snapshot). */
  snapshot(): Pick<StatusSource, "now" | "buses" | "buffer" | "write">;
  log(line: string): void;
  /** Polled while the image is on probation: has it read sensors / had a write acknowledged yet? */
  progress?(): { sensorsRead: boolean; influxWriteOk: boolean };
  health?: Partial<HealthCondition>;
  safeMode?: Partial<SafeModePolicy>;
}

export interface Delivery {
  readonly safeMode: boolean;
  readonly resetReason: ResetReason;
  sensorsRead(): void;
  influxWriteOk(): void;
}

export function startDelivery(o: DeliveryOptions): Delivery {
  const health: HealthCondition = { ...DEFAULT_HEALTH, ...o.health };
  const loopPolicy: SafeModePolicy = { ...DEFAULT_SAFE_MODE, ...o.safeMode };
  const reason = resetReason();
  const before = loadBootRecord();
  const boot = onBoot(before, reason, loopPolicy);
  if (boot.record.unstable !== before.unstable || boot.record.safe !== before.safe) saveBootRecord(boot.record); // before anything that could crash again
  const uptimeS = () => o.monotonicMs() / 1000;
  if (boot.safeMode) o.log(`safe mode: ${boot.record.unstable} resets in a row; only Wi-Fi, /status and /ota run until a new image is installed`);

  let probation = startProbation(runningImageState());
  const feed = (event: ProbationEvent): void => {
    const step = observe(probation, event, uptimeS(), health);
    probation = step.probation;
    if (step.action === "mark_valid") {
      o.log(markValid() ? "image confirmed: rollback cancelled" : "image confirmed, but esp_ota_mark_app_valid_cancel_rollback failed");
    } else if (step.action === "rollback") {
      o.log(`image not healthy ${health.deadlineS} s after boot: rolling back to the previous image`);
      rollbackNow();
    }
  };
  // In safe mode nothing samples, so a pending image cannot prove itself; the bootloader's
  // rollback on the next reset and the deadline here still protect it.
  let stable = false;
  const ticker = Timer.repeat(() => {
    const seen = !probation.verdict && !boot.safeMode ? o.progress?.() : undefined;
    if (seen?.sensorsRead) feed({ kind: "sensors_read" });
    if (seen?.influxWriteOk) feed({ kind: "influx_write_ok" });
    feed({ kind: "tick" });
    if (!boot.safeMode && !stable && uptimeS() >= loopPolicy.stableAfterS) {
      stable = true;
      saveBootRecord(onStable(boot.record)); // once: NVS sectors wear
    }
    if (stable && probation.verdict) Timer.clear(ticker);
  }, 5000);

  const endpoint = new UpdateEndpoint({ token: o.otaToken, openSlot, createDigest, now: o.monotonicMs, unconfirmed: () => probation.pending && !probation.verdict });
  startDeviceServer({
    endpoint,
    now: o.monotonicMs,
    log: o.log,
    status: () =>
      statusJson({
        node: o.node,
        firmware: o.firmware,
        uptime_s: uptimeS(),
        reset_reason: reason,
        safe_mode: boot.safeMode,
        ...(boot.safeMode ? { now: 0, buses: [], buffer: { depth: 0, dropped: 0 }, write: { status: "none", http_status: 0, last_ok: null } } : o.snapshot()),
        image: probationSummary(probation, uptimeS(), health),
        ota: { busy: endpoint.busy },
      }),
    installed: () => {
      saveBootRecord(onImageInstalled());
      o.log("ota: new image installed; restarting in 0.5 s");
      Timer.set(restart, 500); // let the 200 reach the client first
    },
  });

  return {
    safeMode: boot.safeMode,
    resetReason: reason,
    sensorsRead: () => feed({ kind: "sensors_read" }),
    influxWriteOk: () => feed({ kind: "influx_write_ok" }),
  };
}
