// ESP-IDF's app rollback and reset reason through XS FFI (firmware/adapters/rollback.c), and
// the boot record of the safe-mode logic in NVS. Thin: the decisions are in
// firmware/core/ota/rollback.ts and safe-mode.ts.

import FFI from "mc/ffi";
import Preference from "preference";
import type { ImageState } from "../core/ota/boot-slots.js";
import { resetReasonFromEsp, type BootRecord, type ResetReason } from "../core/ota/safe-mode.js";

const natives = new FFI();

const IMAGE_STATES: readonly ImageState[] = ["new", "pending_verify", "valid", "invalid", "aborted"];

export function runningImageState(): ImageState {
  return IMAGE_STATES[natives.fb_ota_running_state()] ?? "undefined";
}

/** esp_ota_mark_app_valid_cancel_rollback(); true on ESP_OK. */
export function markValid(): boolean {
  return natives.fb_ota_mark_valid() === 0;
}

/** Roll back to the previous image now (reboots; returns only when there is none). */
export function rollbackNow(): void {
  natives.fb_ota_rollback();
}

export function resetReason(): ResetReason {
  return resetReasonFromEsp(natives.fb_reset_reason());
}

export function restart(): void {
  natives.fb_restart();
}

// NVS names are at most 15 characters.
const DOMAIN = "fb_boot";

export function loadBootRecord(): BootRecord {
  const unstable = Preference.get(DOMAIN, "unstable");
  const safe = Preference.get(DOMAIN, "safe");
  return { unstable: typeof unstable === "number" ? unstable : 0, safe: safe === true };
}

export function saveBootRecord(record: BootRecord): void {
  Preference.set(DOMAIN, "unstable", record.unstable);
  Preference.set(DOMAIN, "safe", record.safe);
}
