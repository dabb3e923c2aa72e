// What ESP-IDF's bootloader does with the two OTA slots when CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE
// is set, as a pure model. The device does not run this (the bootloader and otadata do); the
// tests and the host stand-in device use it so that "crash before health → previous image"
// is reasoned about the same way everywhere. Source: ESP-IDF "Over The Air Updates (OTA)",
// section "App rollback": a freshly written image boots in ESP_OTA_IMG_PENDING_VERIFY; if the
// chip resets before the app calls esp_ota_mark_app_valid_cancel_rollback(), the bootloader marks
// it ESP_OTA_IMG_ABORTED and boots the previous valid slot.
// Portable: no Node or Moddable imports.

export type ImageState = "new" | "pending_verify" | "valid" | "invalid" | "aborted" | "undefined";

export interface SlotTable {
  /** The slot the bootloader starts. */
  readonly boot: 0 | 1;
  readonly states: readonly [ImageState, ImageState];
}

export const FACTORY_FLASHED: SlotTable = Object.freeze({ boot: 0, states: Object.freeze(["undefined", "undefined"]) as readonly [ImageState, ImageState] });

function withState(table: SlotTable, slot: 0 | 1, state: ImageState): readonly [ImageState, ImageState] {
  const states: [ImageState, ImageState] = [table.states[0], table.states[1]];
  states[slot] = state;
  return states;
}

const other = (slot: 0 | 1): 0 | 1 => (slot === 0 ? 1 : 0);

/** esp_ota_set_boot_partition() after a verified upload: the other slot boots next, as a new image. */
export function installed(table: SlotTable): SlotTable {
  const next = other(table.boot);
  return { boot: next, states: withState(table, next, "new") };
}

/** A reset of any kind (power, panic, watchdog, software): the bootloader picks a slot. */
export function afterReset(table: SlotTable): SlotTable {
  const state = table.states[table.boot];
  if (state === "new") return { boot: table.boot, states: withState(table, table.boot, "pending_verify") };
  if (state === "pending_verify" || state === "invalid" || state === "aborted") {
    // Never confirmed: fall back to the other slot if it ever ran well.
    const previous = other(table.boot);
    const usable = table.states[previous] === "valid" || table.states[previous] === "undefined";
    const states = withState(table, table.boot, state === "pending_verify" ? "aborted" : state);
    return usable ? { boot: previous, states } : { boot: table.boot, states };
  }
  return table;
}

/** esp_ota_mark_app_valid_cancel_rollback(). */
export function markedValid(table: SlotTable): SlotTable {
  return table.states[table.boot] === "pending_verify" ? { boot: table.boot, states: withState(table, table.boot, "valid") } : table;
}

/** esp_ota_mark_app_invalid_rollback_and_reboot(): invalid, and the reset that follows boots the other slot. */
export function markedInvalid(table: SlotTable): SlotTable {
  return afterReset({ boot: table.boot, states: withState(table, table.boot, "invalid") });
}
