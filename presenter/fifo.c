/*
 * wp_fifo_v1 (staging): set_barrier and wait_barrier as double-buffered state of the core's
 * commits (surface.h). A barrier that a latched commit set clears at the next output frame,
 * shown or skipped, and a commit that waits for it latches no earlier: one per refresh.
 */
#include "protocols.h"

#include "fifo-v1-server-protocol.h"
#include "surface.h"

#include <stdlib.h>

#define FIFO_MANAGER_VERSION 1

/* A wp_fifo_v1: its surface, cleared when the surface goes. */
struct fifo {
	struct hf_surface *surface; /* NULL: gone, the object is inert */
	struct wl_listener surface_destroy;
};

static void fifo_handle_surface_destroy(struct wl_listener *listener, void *data)
{
	struct fifo *fifo = wl_container_of(listener, fifo, surface_destroy);
	fifo->surface = NULL;
	wl_list_remove(&fifo->surface_destroy.link);
	wl_list_init(&fifo->surface_destroy.link);
}

static struct hf_surface *fifo_surface(struct wl_resource *resource)
{
	struct fifo *fifo = wl_resource_get_user_data(resource);
	if (!fifo->surface)
		wl_resource_post_error(resource, WP_FIFO_V1_ERROR_SURFACE_DESTROYED,
				       "the wl_surface of this wp_fifo_v1 is gone");
	return fifo->surface;
}

static void fifo_set_barrier(struct wl_client *client, struct wl_resource *resource)
{
	struct hf_surface *surface = fifo_surface(resource);
	if (surface)
		surface->pending.fifo_barrier = true;
}

static void fifo_wait_barrier(struct wl_client *client, struct wl_resource *resource)
{
	struct hf_surface *surface = fifo_surface(resource);
	if (surface)
		surface->pending.fifo_wait = true;
}

static void resource_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wp_fifo_v1_interface fifo_impl = {
	.set_barrier = fifo_set_barrier,
	.wait_barrier = fifo_wait_barrier,
	.destroy = resource_destroy,
};

static void fifo_resource_destroy(struct wl_resource *resource)
{
	struct fifo *fifo = wl_resource_get_user_data(resource);
	wl_list_remove(&fifo->surface_destroy.link);
	free(fifo);
}

static void manager_get_fifo(struct wl_client *client, struct wl_resource *resource, uint32_t id,
			     struct wl_resource *surface_resource)
{
	/* The surface's destroy listener is how a second one is found. */
	if (wl_resource_get_destroy_listener(surface_resource, fifo_handle_surface_destroy)) {
		wl_resource_post_error(resource, WP_FIFO_MANAGER_V1_ERROR_ALREADY_EXISTS,
				       "wl_surface@%u has a wp_fifo_v1 already",
				       wl_resource_get_id(surface_resource));
		return;
	}
	struct fifo *fifo = calloc(1, sizeof(*fifo));
	struct wl_resource *r = fifo ? wl_resource_create(client, &wp_fifo_v1_interface,
							  wl_resource_get_version(resource), id)
				     : NULL;
	if (!r) {
		free(fifo);
		wl_client_post_no_memory(client);
		return;
	}
	fifo->surface = hf_surface_from_resource(surface_resource);
	fifo->surface_destroy.notify = fifo_handle_surface_destroy;
	wl_resource_add_destroy_listener(surface_resource, &fifo->surface_destroy);
	wl_resource_set_implementation(r, &fifo_impl, fifo, fifo_resource_destroy);
}

static const struct wp_fifo_manager_v1_interface manager_impl = {
	.destroy = resource_destroy,
	.get_fifo = manager_get_fifo,
};

static void manager_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *r =
		wl_resource_create(client, &wp_fifo_manager_v1_interface, version, id);
	if (!r) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(r, &manager_impl, data, NULL);
}

bool hf_fifo_init(struct hf_compositor *compositor)
{
	return wl_global_create(compositor->display, &wp_fifo_manager_v1_interface,
				FIFO_MANAGER_VERSION, compositor, manager_bind) != NULL;
}
