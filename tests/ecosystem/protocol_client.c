/*
 * A client that another project could write: built by protocol_install.sh from the installed
 * handoff-v1.xml alone (its bindings generated with wayland-scanner), with none of Handoff's
 * code. Binds handoff_manager_v1, prints the capabilities and exits 0 once `done` arrives.
 */
#include "handoff-v1-client-protocol.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wayland-client.h>

struct caps {
	struct handoff_manager_v1 *manager;
	int formats, memory_kinds, timeline_kinds;
	bool done;
};

static void manager_format(void *data, struct handoff_manager_v1 *m, uint32_t fourcc,
			   uint32_t modifier_hi, uint32_t modifier_lo)
{
	struct caps *caps = data;
	caps->formats++;
	printf("format %.4s modifier 0x%08x%08x\n", (const char *)&fourcc, modifier_hi,
	       modifier_lo);
}

static void manager_memory_kind(void *data, struct handoff_manager_v1 *m, uint32_t kind)
{
	struct caps *caps = data;
	caps->memory_kinds++;
	printf("memory_kind %u\n", kind);
}

static void manager_timeline_kind(void *data, struct handoff_manager_v1 *m, uint32_t kind)
{
	struct caps *caps = data;
	caps->timeline_kinds++;
	printf("timeline_kind %u\n", kind);
}

static void manager_vulkan_device(void *data, struct handoff_manager_v1 *m,
				  struct wl_array *device_uuid, struct wl_array *driver_uuid)
{
	printf("vulkan_device\n");
}

static void manager_done(void *data, struct handoff_manager_v1 *m)
{
	struct caps *caps = data;
	caps->done = true;
	printf("done\n");
}

static const struct handoff_manager_v1_listener manager_listener = {
	.format = manager_format,
	.memory_kind = manager_memory_kind,
	.timeline_kind = manager_timeline_kind,
	.vulkan_device = manager_vulkan_device,
	.done = manager_done,
};

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
			    const char *interface, uint32_t version)
{
	struct caps *caps = data;
	if (strcmp(interface, handoff_manager_v1_interface.name) != 0 || caps->manager)
		return;
	uint32_t v = version < 1 ? version : 1;
	caps->manager = wl_registry_bind(registry, name, &handoff_manager_v1_interface, v);
	handoff_manager_v1_add_listener(caps->manager, &manager_listener, caps);
}

static void registry_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

int main(void)
{
	struct caps caps = {0};
	struct wl_display *display = wl_display_connect(NULL);
	if (!display) {
		perror("protocol-client: wl_display_connect");
		return 1;
	}
	struct wl_registry *registry = wl_display_get_registry(display);
	wl_registry_add_listener(registry, &registry_listener, &caps);
	if (wl_display_roundtrip(display) < 0)
		goto err;
	if (!caps.manager) {
		fprintf(stderr, "protocol-client: no handoff_manager_v1 global\n");
		goto err;
	}
	while (!caps.done)
		if (wl_display_dispatch(display) < 0)
			goto err;
	int ok = caps.formats > 0 && caps.memory_kinds > 0 && caps.timeline_kinds > 0;
	handoff_manager_v1_destroy(caps.manager);
	wl_registry_destroy(registry);
	wl_display_disconnect(display);
	return ok ? 0 : 1;
err:
	fprintf(stderr, "protocol-client: the connection failed\n");
	wl_display_disconnect(display);
	return 1;
}
