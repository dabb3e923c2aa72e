// Boot-loop detection. A boot that ends in a crash, watchdog or brownout reset before the node
// has run `stableAfterS` counts as unstable; after `bootLoopResets` of them in a row the next
// boot starts only Wi-Fi, GET /status and PUT /ota, and stays that way until a new image is
// installed. The record lives in NVS (preference), so it survives the resets it counts.
//
// Why only abnormal resets count: a flickering mains supply (power_on) or our own restart after
// an update (software) is not a firmware fault, and must not strand a node in safe mode.
// Why a new image is the exit: the firmware that looped is still the one that would run; a
// power cycle changes nothing, so only an OTA upload (of a fix, or the same image once the
// wiring fault is cleared) ends it.
// Portable: no Node or Moddable imports.

export interface SafeModePolicy {
  /** N: unstable boots in a row that mean "boot loop". */
  bootLoopResets: number;
  /** A boot that reaches this uptime is stable and clears the count. */
  stableAfterS: number;
}

export const DEFAULT_SAFE_MODE: SafeModePolicy = Object.freeze({ bootLoopResets: 3, stableAfterS: 120 });

/** The persisted record (NVS keys are short: u = unstable boots, s = in safe mode). */
export interface BootRecord {
  unstable: number;
  safe: boolean;
}

export const FRESH_RECORD: BootRecord = Object.freeze({ unstable: 0, safe: false });

/** Reset reasons as the firmware reports them in node_health. */
export type ResetReason = "power_on" | "software" | "panic" | "watchdog" | "brownout" | "ota" | "unknown";

const ABNORMAL: readonly ResetReason[] = ["panic", "watchdog", "brownout", "unknown"];

export function isAbnormal(reason: ResetReason): boolean {
  return ABNORMAL.includes(reason);
}

/** At boot: count this reset and decide the mode. Persist the returned record before anything else. */
export function onBoot(record: BootRecord, reason: ResetReason, policy: SafeModePolicy = DEFAULT_SAFE_MODE): { record: BootRecord; safeMode: boolean } {
  if (record.safe) return { record, safeMode: true };
  const unstable = isAbnormal(reason) ? record.unstable + 1 : 0;
  if (unstable >= policy.bootLoopResets) return { record: { unstable, safe: true }, safeMode: true };
  return { record: { unstable, safe: false }, safeMode: false };
}

/** Called once uptime reaches stableAfterS in normal mode: this image runs. */
export function onStable(record: BootRecord): BootRecord {
  return record.safe ? record : FRESH_RECORD;
}

/** Called when an OTA upload committed a new boot image: it gets a clean start. */
export function onImageInstalled(): BootRecord {
  return FRESH_RECORD;
}

/** ESP-IDF's esp_reset_reason_t (esp_system.h) as the names node_health and /status use. */
export function resetReasonFromEsp(code: number): ResetReason {
  switch (code) {
    case 1: // ESP_RST_POWERON
    case 2: // ESP_RST_EXT: the EN button or the USB-serial chip's auto-reset on first flash
      return "power_on";
    case 3: // ESP_RST_SW: esp_restart(), e.g. after an update
      return "software";
    case 4: // ESP_RST_PANIC
    case 15: // ESP_RST_CPU_LOCKUP
      return "panic";
    case 5: // ESP_RST_INT_WDT
    case 6: // ESP_RST_TASK_WDT
    case 7: // ESP_RST_WDT (other watchdogs)
      return "watchdog";
    case 9: // ESP_RST_BROWNOUT
    case 14: // ESP_RST_PWR_GLITCH
      return "brownout";
    default:
      return "unknown";
  }
}
