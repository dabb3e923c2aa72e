/*
 * floorbalance: the ESP-IDF calls Moddable does not expose, bound to JavaScript with XS FFI
 * (manifest "ffi" section, see firmware/manifest_delivery.json). Plain C, no XS API.
 *
 * Needs CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE=y (firmware/sdkconfig/sdkconfig.defaults):
 * without it a new image never boots in ESP_OTA_IMG_PENDING_VERIFY, mark-valid is a no-op and
 * nothing rolls back.
 */
#include <stdint.h>
#include "esp_ota_ops.h"
#include "esp_system.h"

extern int32_t fb_ota_running_state(void);
extern int32_t fb_ota_mark_valid(void);
extern int32_t fb_ota_rollback(void);
extern int32_t fb_reset_reason(void);
extern void fb_restart(void);

/* esp_ota_img_states_t of the running slot: 0 new, 1 pending verify, 2 valid, 3 invalid,
   4 aborted; -1 undefined (first USB flash: otadata is blank) or unknown. */
int32_t fb_ota_running_state(void)
{
	esp_ota_img_states_t state;
	const esp_partition_t *running = esp_ota_get_running_partition();
	if (!running || (ESP_OK != esp_ota_get_state_partition(running, &state)))
		return -1;
	if (ESP_OTA_IMG_UNDEFINED == state)
		return -1;
	return (int32_t)state;
}

/* The image proved itself: cancel the rollback the bootloader would otherwise do. */
int32_t fb_ota_mark_valid(void)
{
	return (int32_t)esp_ota_mark_app_valid_cancel_rollback();
}

/* The image failed its health check: mark it invalid and reboot into the previous slot.
   Returns only if there is no previous valid image (the error code says why). */
int32_t fb_ota_rollback(void)
{
	return (int32_t)esp_ota_mark_app_invalid_rollback_and_reboot();
}

/* esp_reset_reason_t, mapped to a name in firmware/adapters/rollback.ts. */
int32_t fb_reset_reason(void)
{
	return (int32_t)esp_reset_reason();
}

void fb_restart(void)
{
	esp_restart();
}
