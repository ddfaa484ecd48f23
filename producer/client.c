/* The SDK's connection: globals, formats, event dispatch. */
#include "sdk.h"

#include "format.h"
#include "handoff-v1-client-protocol.h"
#include "presentation-time-client-protocol.h"
#include "xdg-shell-client-protocol.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN(a, b) ((a) < (b) ? (a) : (b))

void hp_client_set_error(struct hp_client *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->error, sizeof(c->error), fmt, ap);
	va_end(ap);
	c->error_is_timeout = false;
}

void hp_client_set_timeout(struct hp_client *c, const char *what)
{
	hp_client_set_error(c, "%s", what);
	c->error_is_timeout = true;
}

const char *hp_client_error(struct hp_client *c)
{
	return c->error[0] ? c->error : "no error";
}

static void add_format(uint32_t *list, int *n, uint32_t fourcc)
{
	for (int i = 0; i < *n; i++)
		if (list[i] == fourcc)
			return;
	if (*n < HP_MAX_FORMATS)
		list[(*n)++] = fourcc;
}

static void shm_format(void *data, struct wl_shm *shm, uint32_t wl_format)
{
	struct hp_client *c = data;
	const struct hf_format *fmt = hf_format_from_wl_shm(wl_format);
	if (fmt)
		add_format(c->shm_formats, &c->n_shm_formats, fmt->fourcc);
}

static const struct wl_shm_listener shm_listener = {.format = shm_format};

static void manager_format(void *data, struct handoff_manager_v1 *m, uint32_t fourcc,
			   uint32_t modifier_hi, uint32_t modifier_lo)
{
	struct hp_client *c = data;
	if (modifier_hi == 0 && modifier_lo == 0)
		add_format(c->handoff_formats, &c->n_handoff_formats, fourcc);
}

static void manager_memory_kind(void *data, struct handoff_manager_v1 *m, uint32_t kind)
{
	struct hp_client *c = data;
	if (kind == HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD)
		c->memfd_memory = true;
	else if (kind == HANDOFF_MANAGER_V1_MEMORY_KIND_VK_OPAQUE_FD)
		c->vk_memory = true;
}

static void manager_timeline_kind(void *data, struct handoff_manager_v1 *m, uint32_t kind)
{
	struct hp_client *c = data;
	if (kind == HANDOFF_MANAGER_V1_TIMELINE_KIND_SHM)
		c->shm_timelines = true;
	else if (kind == HANDOFF_MANAGER_V1_TIMELINE_KIND_VK_OPAQUE_FD)
		c->vk_timelines = true;
}

static void manager_vulkan_device(void *data, struct handoff_manager_v1 *m,
				  struct wl_array *device_uuid, struct wl_array *driver_uuid)
{
	struct hp_client *c = data;
	/* Malformed UUIDs name no device: the Vulkan kinds then stay unused. */
	if (device_uuid->size != HP_UUID_SIZE || driver_uuid->size != HP_UUID_SIZE)
		return;
	memcpy(c->device_uuid, device_uuid->data, HP_UUID_SIZE);
	memcpy(c->driver_uuid, driver_uuid->data, HP_UUID_SIZE);
	c->has_vulkan_device = true;
}

static void manager_done(void *data, struct handoff_manager_v1 *m)
{
	struct hp_client *c = data;
	c->manager_done = true;
}

static const struct handoff_manager_v1_listener manager_listener = {
	.format = manager_format,
	.memory_kind = manager_memory_kind,
	.timeline_kind = manager_timeline_kind,
	.vulkan_device = manager_vulkan_device,
	.done = manager_done,
};

static void wm_base_ping(void *data, struct xdg_wm_base *wm_base, uint32_t serial)
{
	xdg_wm_base_pong(wm_base, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = {.ping = wm_base_ping};

static void presentation_clock_id(void *data, struct wp_presentation *p, uint32_t clock)
{
	struct hp_client *c = data;
	c->presentation_clock = (clockid_t)clock;
}

static const struct wp_presentation_listener presentation_listener = {
	.clock_id = presentation_clock_id,
};

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
			    const char *interface, uint32_t version)
{
	struct hp_client *c = data;
	if (!strcmp(interface, wl_compositor_interface.name)) {
		c->compositor =
			wl_registry_bind(registry, name, &wl_compositor_interface, MIN(version, 4));
	} else if (!strcmp(interface, wl_shm_interface.name)) {
		c->shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
		wl_shm_add_listener(c->shm, &shm_listener, c);
	} else if (!strcmp(interface, xdg_wm_base_interface.name)) {
		c->wm_base =
			wl_registry_bind(registry, name, &xdg_wm_base_interface, MIN(version, 3));
		xdg_wm_base_add_listener(c->wm_base, &wm_base_listener, c);
	} else if (!strcmp(interface, wp_presentation_interface.name)) {
		c->presentation = wl_registry_bind(registry, name, &wp_presentation_interface, 1);
		wp_presentation_add_listener(c->presentation, &presentation_listener, c);
	} else if (!strcmp(interface, handoff_manager_v1_interface.name)) {
		/* Version 2 brings create_vk_image. */
		c->manager = wl_registry_bind(registry, name, &handoff_manager_v1_interface,
					      MIN(version, 2));
		handoff_manager_v1_add_listener(c->manager, &manager_listener, c);
	}
}

static void registry_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

struct hp_client *hp_client_connect(const char *name, char *err, size_t err_size)
{
	struct hp_client *c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	c->presentation_clock = CLOCK_MONOTONIC;
	c->display = wl_display_connect(name);
	if (!c->display) {
		const char *shown = name ? name : getenv("WAYLAND_DISPLAY");
		snprintf(err, err_size, "cannot connect to the Wayland display '%s': %s",
			 shown ? shown : "wayland-0", strerror(errno));
		free(c);
		return NULL;
	}
	c->registry = wl_display_get_registry(c->display);
	wl_registry_add_listener(c->registry, &registry_listener, c);
	/* Globals, then the events they send on bind. */
	if (wl_display_roundtrip(c->display) < 0 || wl_display_roundtrip(c->display) < 0) {
		snprintf(err, err_size, "the compositor closed the connection during setup");
		hp_client_destroy(c);
		return NULL;
	}
	if (!c->compositor || !c->shm || !c->wm_base) {
		snprintf(err, err_size, "the compositor lacks %s",
			 !c->compositor ? "wl_compositor"
			 : !c->shm      ? "wl_shm"
					: "xdg_wm_base");
		hp_client_destroy(c);
		return NULL;
	}
	return c;
}

void hp_client_destroy(struct hp_client *c)
{
	if (!c)
		return;
	if (c->manager)
		handoff_manager_v1_destroy(c->manager);
	if (c->presentation)
		wp_presentation_destroy(c->presentation);
	if (c->wm_base)
		xdg_wm_base_destroy(c->wm_base);
	if (c->shm)
		wl_shm_destroy(c->shm);
	if (c->compositor)
		wl_compositor_destroy(c->compositor);
	if (c->registry)
		wl_registry_destroy(c->registry);
	wl_display_disconnect(c->display);
	free(c);
}

bool hp_client_has_format(struct hp_client *c, uint32_t fourcc, enum hp_sync sync)
{
	const uint32_t *list = sync == HP_SYNC_IMPLICIT ? c->shm_formats : c->handoff_formats;
	int n = sync == HP_SYNC_IMPLICIT ? c->n_shm_formats : c->n_handoff_formats;
	if (sync != HP_SYNC_IMPLICIT && (!c->manager_done || !c->memfd_memory || !c->shm_timelines))
		return false;
	for (int i = 0; i < n; i++)
		if (list[i] == fourcc)
			return true;
	return false;
}

bool hp_client_offers_format(struct hp_client *c, uint32_t fourcc)
{
	if (!c->manager_done)
		return false;
	for (int i = 0; i < c->n_handoff_formats; i++)
		if (c->handoff_formats[i] == fourcc)
			return true;
	return false;
}

bool hp_client_get_vulkan_device(struct hp_client *c, uint8_t device_uuid[16],
				 uint8_t driver_uuid[16])
{
	if (!c->has_vulkan_device || !(c->vk_memory || c->vk_timelines))
		return false;
	memcpy(device_uuid, c->device_uuid, HP_UUID_SIZE);
	memcpy(driver_uuid, c->driver_uuid, HP_UUID_SIZE);
	return true;
}

bool hp_client_fail(struct hp_client *c, int fallback_errno)
{
	/* The first failure stays; a timed-out wait before it was none (the caller retries). */
	if (c->error[0] && !c->error_is_timeout)
		return false;
	int err = wl_display_get_error(c->display);
	if (err == EPROTO) {
		const struct wl_interface *iface = NULL;
		uint32_t id = 0;
		uint32_t code = wl_display_get_protocol_error(c->display, &iface, &id);
		hp_client_set_error(c, "protocol error %u on %s@%u", code,
				    iface ? iface->name : "?", id);
	} else {
		hp_client_set_error(c, "lost the connection to the compositor: %s",
				    strerror(err ? err : fallback_errno));
	}
	return false;
}

bool hp_client_dispatch(struct hp_client *c, int timeout_ms)
{
	struct wl_display *d = c->display;
	while (wl_display_prepare_read(d) != 0)
		if (wl_display_dispatch_pending(d) < 0)
			return hp_client_fail(c, errno);
	if (wl_display_flush(d) < 0 && errno != EAGAIN) {
		int saved = errno;
		wl_display_cancel_read(d);
		return hp_client_fail(c, saved);
	}
	struct pollfd pfd = {.fd = wl_display_get_fd(d), .events = POLLIN};
	if (poll(&pfd, 1, timeout_ms) > 0) {
		if (wl_display_read_events(d) < 0)
			return hp_client_fail(c, errno);
	} else {
		wl_display_cancel_read(d);
	}
	if (wl_display_dispatch_pending(d) < 0)
		return hp_client_fail(c, errno);
	return true;
}
