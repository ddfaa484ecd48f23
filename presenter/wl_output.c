/*
 * wl_output (version 4) for one hf_output: its own global, with the mode the output really
 * runs at (resize and mode events update it), and wl_surface.enter/leave for the windows it
 * shows, with their visible subsurfaces and popups. Every output object gets one; a window
 * shown is on the output that shows it (on every output).
 */
#include "wl_output.h"

#include "output.h"
#include "subsurface.h"
#include "surface.h"
#include "xdg-output-unstable-v1-server-protocol.h"

#include <stdio.h>
#include <stdlib.h>
#include <wayland-server-protocol.h>

#define OUTPUT_VERSION     4
#define XDG_OUTPUT_VERSION 3
#define DPI                96 /* for the physical size: what a desktop monitor has */

/* A surface that was told it entered the output. */
struct entered {
	struct wl_list link; /* hf_wl_output::entered */
	struct hf_wl_output *wo;
	struct hf_surface *surface;
	bool seen; /* in the last walk over the windows' trees */
	struct wl_listener surface_destroy;
};

struct hf_wl_output {
	struct hf_compositor *compositor;
	struct hf_output *output;
	struct wl_global *global;
	char name[32];
	struct wl_list resources;   /* wl_resource link */
	struct wl_list xdg_outputs; /* wl_resource link: zxdg_output_v1 of this output */
	struct wl_list entered;     /* entered::link */
	struct wl_listener output_resize;
	struct wl_listener output_mode;
	struct wl_listener windows_changed, trees_changed;
};

static void send_mode(struct hf_wl_output *wo, struct wl_resource *resource)
{
	struct hf_output *o = wo->output;
	wl_output_send_mode(resource, WL_OUTPUT_MODE_CURRENT | WL_OUTPUT_MODE_PREFERRED, o->width,
			    o->height, o->refresh_mhz);
}

static void send_all(struct hf_wl_output *wo, struct wl_resource *resource)
{
	struct hf_output *o = wo->output;
	wl_output_send_geometry(resource, 0, 0, (int32_t)(o->width * 254 / (DPI * 10)),
				(int32_t)(o->height * 254 / (DPI * 10)), WL_OUTPUT_SUBPIXEL_UNKNOWN,
				"Handoff", o->impl->name, WL_OUTPUT_TRANSFORM_NORMAL);
	send_mode(wo, resource);
	int version = wl_resource_get_version(resource);
	if (version >= WL_OUTPUT_SCALE_SINCE_VERSION)
		wl_output_send_scale(resource, 1);
	if (version >= WL_OUTPUT_NAME_SINCE_VERSION) {
		wl_output_send_name(resource, wo->name);
		wl_output_send_description(resource, o->description ? o->description : wo->name);
	}
	if (version >= WL_OUTPUT_DONE_SINCE_VERSION)
		wl_output_send_done(resource);
}

/* Enter or leave, for each of the surface client's wl_output objects. */
static void send_surface(struct hf_wl_output *wo, struct hf_surface *surface, bool enter)
{
	struct wl_client *client = wl_resource_get_client(surface->resource);
	struct wl_resource *resource;
	wl_resource_for_each(resource, &wo->resources) {
		if (wl_resource_get_client(resource) != client)
			continue;
		if (enter)
			wl_surface_send_enter(surface->resource, resource);
		else
			wl_surface_send_leave(surface->resource, resource);
	}
}

static void entered_destroy(struct entered *e)
{
	wl_list_remove(&e->link);
	wl_list_remove(&e->surface_destroy.link);
	free(e);
}

static void entered_handle_surface_destroy(struct wl_listener *listener, void *data)
{
	struct entered *e = wl_container_of(listener, e, surface_destroy);
	entered_destroy(e);
}

static struct entered *entered_find(struct hf_wl_output *wo, struct hf_surface *surface)
{
	struct entered *e;
	wl_list_for_each(e, &wo->entered, link)
		if (e->surface == surface)
			return e;
	return NULL;
}

/* A surface of a shown window's tree: it has entered (every output shows every window). */
static void entered_visit(struct hf_surface *surface, int32_t x, int32_t y, void *data)
{
	struct hf_wl_output *wo = data;
	struct entered *e = entered_find(wo, surface);
	if (e) {
		e->seen = true;
		return;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return; /* the surface is not told: no worse than before */
	e->wo = wo;
	e->surface = surface;
	e->seen = true;
	e->surface_destroy.notify = entered_handle_surface_destroy;
	/* The resource's signal: it runs before the surface's, whose handlers may hide windows
	 * and so free entries (with their listeners) from here. */
	wl_resource_add_destroy_listener(surface->resource, &e->surface_destroy);
	wl_list_insert(wo->entered.prev, &e->link);
	send_surface(wo, surface, true);
}

/* The visible surfaces of the windows shown now (their subsurfaces and popups with them) have
 * entered, the others have left. */
static void entered_update(struct hf_wl_output *wo)
{
	struct entered *e, *tmp;
	wl_list_for_each(e, &wo->entered, link)
		e->seen = false;
	struct hf_window *window;
	wl_list_for_each(window, &wo->compositor->windows, link)
		hf_surface_tree_for_each(window->surface, entered_visit, wo);
	wl_list_for_each_safe(e, tmp, &wo->entered, link) {
		if (!e->seen) {
			send_surface(wo, e->surface, false);
			entered_destroy(e);
		}
	}
}

static void wo_handle_windows_changed(struct wl_listener *listener, void *data)
{
	struct hf_wl_output *wo = wl_container_of(listener, wo, windows_changed);
	entered_update(wo);
}

static void wo_handle_trees_changed(struct wl_listener *listener, void *data)
{
	struct hf_wl_output *wo = wl_container_of(listener, wo, trees_changed);
	entered_update(wo);
}

/* zxdg_output_v1: the logical size is the output's (scale 1, no transform). */
static void send_xdg_output_size(struct hf_wl_output *wo, struct wl_resource *xo)
{
	zxdg_output_v1_send_logical_size(xo, wo->output->width, wo->output->height);
	/* From version 3 on, wl_output.done closes the set. */
	if (wl_resource_get_version(xo) < 3)
		zxdg_output_v1_send_done(xo);
}

static void wo_handle_output_resize(struct wl_listener *listener, void *data)
{
	struct hf_wl_output *wo = wl_container_of(listener, wo, output_resize);
	struct wl_resource *resource;
	wl_resource_for_each(resource, &wo->xdg_outputs)
		send_xdg_output_size(wo, resource);
	wl_resource_for_each(resource, &wo->resources) {
		send_mode(wo, resource);
		if (wl_resource_get_version(resource) >= WL_OUTPUT_DONE_SINCE_VERSION)
			wl_output_send_done(resource);
	}
}

static void wo_handle_output_mode(struct wl_listener *listener, void *data)
{
	struct hf_wl_output *wo = wl_container_of(listener, wo, output_mode);
	wo_handle_output_resize(&wo->output_resize, data);
}

static void output_release(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wl_output_interface output_impl = {.release = output_release};

static void output_resource_destroy(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

static void output_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct hf_wl_output *wo = data;
	struct wl_resource *resource =
		wl_resource_create(client, &wl_output_interface, version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &output_impl, wo, output_resource_destroy);
	wl_list_insert(&wo->resources, wl_resource_get_link(resource));
	send_all(wo, resource);
	/* The client's windows already on the output are on it for this object too. */
	struct entered *e;
	wl_list_for_each(e, &wo->entered, link)
		if (wl_resource_get_client(e->surface->resource) == client)
			wl_surface_send_enter(e->surface->resource, resource);
}

struct hf_wl_output *hf_wl_output_create(struct hf_compositor *compositor, struct hf_output *output,
					 int index)
{
	struct hf_wl_output *wo = calloc(1, sizeof(*wo));
	if (!wo)
		return NULL;
	wo->compositor = compositor;
	wo->output = output;
	snprintf(wo->name, sizeof(wo->name), "HANDOFF-%d", index);
	wl_list_init(&wo->resources);
	wl_list_init(&wo->xdg_outputs);
	wl_list_init(&wo->entered);
	wo->global = wl_global_create(compositor->display, &wl_output_interface, OUTPUT_VERSION, wo,
				      output_bind);
	if (!wo->global) {
		free(wo);
		return NULL;
	}
	wo->output_resize.notify = wo_handle_output_resize;
	wl_signal_add(&output->events.resize, &wo->output_resize);
	wo->output_mode.notify = wo_handle_output_mode;
	wl_signal_add(&output->events.mode, &wo->output_mode);
	wo->windows_changed.notify = wo_handle_windows_changed;
	wl_signal_add(&compositor->events.windows_changed, &wo->windows_changed);
	wo->trees_changed.notify = wo_handle_trees_changed;
	wl_signal_add(&compositor->events.trees_changed, &wo->trees_changed);
	return wo;
}

void hf_wl_output_destroy(struct hf_wl_output *wo)
{
	if (!wo)
		return;
	struct entered *e, *etmp;
	wl_list_for_each_safe(e, etmp, &wo->entered, link)
		entered_destroy(e);
	struct wl_resource *resource, *tmp;
	wl_resource_for_each_safe(resource, tmp, &wo->resources) {
		wl_resource_set_user_data(resource, NULL);
		wl_list_remove(wl_resource_get_link(resource));
		wl_list_init(wl_resource_get_link(resource));
	}
	wl_resource_for_each_safe(resource, tmp, &wo->xdg_outputs) {
		wl_list_remove(wl_resource_get_link(resource));
		wl_list_init(wl_resource_get_link(resource));
	}
	wl_list_remove(&wo->output_resize.link);
	wl_list_remove(&wo->output_mode.link);
	wl_list_remove(&wo->windows_changed.link);
	wl_list_remove(&wo->trees_changed.link);
	wl_global_destroy(wo->global);
	free(wo);
}

/* --- zxdg_output_manager_v1 ---------------------------------------------------------------- */

static const struct zxdg_output_v1_interface xdg_output_impl = {.destroy = output_release};

static void xdg_output_manager_get_xdg_output(struct wl_client *client,
					      struct wl_resource *resource, uint32_t id,
					      struct wl_resource *output_resource)
{
	struct wl_resource *xo = wl_resource_create(client, &zxdg_output_v1_interface,
						    wl_resource_get_version(resource), id);
	if (!xo) {
		wl_client_post_no_memory(client);
		return;
	}
	/* An output object whose output is gone gets an inert one. */
	struct hf_wl_output *wo = wl_resource_get_user_data(output_resource);
	wl_resource_set_implementation(xo, &xdg_output_impl, wo, output_resource_destroy);
	if (!wo) {
		wl_list_init(wl_resource_get_link(xo));
		return;
	}
	wl_list_insert(&wo->xdg_outputs, wl_resource_get_link(xo));
	zxdg_output_v1_send_logical_position(xo, 0, 0);
	if (wl_resource_get_version(xo) >= ZXDG_OUTPUT_V1_NAME_SINCE_VERSION) {
		zxdg_output_v1_send_name(xo, wo->name);
		zxdg_output_v1_send_description(
			xo, wo->output->description ? wo->output->description : wo->name);
	}
	send_xdg_output_size(wo, xo);
	if (wl_resource_get_version(xo) >= 3)
		wl_output_send_done(output_resource);
}

static const struct zxdg_output_manager_v1_interface xdg_output_manager_impl = {
	.destroy = output_release,
	.get_xdg_output = xdg_output_manager_get_xdg_output,
};

static void xdg_output_manager_bind(struct wl_client *client, void *data, uint32_t version,
				    uint32_t id)
{
	struct wl_resource *r =
		wl_resource_create(client, &zxdg_output_manager_v1_interface, version, id);
	if (!r) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(r, &xdg_output_manager_impl, data, NULL);
}

bool hf_xdg_output_manager_init(struct wl_display *display)
{
	return wl_global_create(display, &zxdg_output_manager_v1_interface, XDG_OUTPUT_VERSION,
				NULL, xdg_output_manager_bind) != NULL;
}
