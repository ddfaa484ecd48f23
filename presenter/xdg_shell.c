/* A small xdg_wm_base: toplevels that the output lays out; popups are dismissed at once. */
#include "server.h"

#include "log.h"
#include "xdg-shell-server-protocol.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define XDG_WM_BASE_VERSION 3

static const struct xdg_toplevel_interface toplevel_impl;
static const struct xdg_surface_interface xdg_surface_impl;

static void resource_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static struct hf_toplevel *toplevel_from_xdg_surface(struct wl_resource *resource)
{
	assert(wl_resource_instance_of(resource, &xdg_surface_interface, &xdg_surface_impl));
	return wl_resource_get_user_data(resource);
}

static struct hf_toplevel *toplevel_from_resource(struct wl_resource *resource)
{
	assert(wl_resource_instance_of(resource, &xdg_toplevel_interface, &toplevel_impl));
	return wl_resource_get_user_data(resource);
}

static void toplevel_unlink(struct hf_toplevel *toplevel)
{
	if (!toplevel->linked)
		return;
	wl_list_remove(&toplevel->link);
	toplevel->linked = false;
	hf_server_toplevels_changed(toplevel->server, wl_list_empty(&toplevel->server->toplevels));
}

void hf_toplevel_surface_mapped(struct hf_toplevel *toplevel, bool mapped)
{
	if (mapped && !toplevel->linked && toplevel->resource) {
		wl_list_insert(toplevel->server->toplevels.prev, &toplevel->link);
		toplevel->linked = true;
		hf_server_toplevels_changed(toplevel->server, false);
	} else if (!mapped) {
		toplevel_unlink(toplevel);
	}
}

void hf_toplevel_surface_committed(struct hf_toplevel *toplevel)
{
	if (toplevel->configured || !toplevel->resource)
		return;
	/* The initial commit: answer with a configure that leaves the size to the client. */
	struct wl_array states;
	wl_array_init(&states);
	xdg_toplevel_send_configure(toplevel->resource, 0, 0, &states);
	wl_array_release(&states);
	xdg_surface_send_configure(toplevel->xdg_surface,
				   wl_display_next_serial(toplevel->server->display));
	toplevel->configured = true;
}

static void toplevel_set_title(struct wl_client *client, struct wl_resource *resource,
			       const char *title)
{
	struct hf_toplevel *toplevel = toplevel_from_resource(resource);
	if (!toplevel)
		return;
	char *copy = strdup(title);
	if (!copy) {
		wl_client_post_no_memory(client);
		return;
	}
	free(toplevel->title);
	toplevel->title = copy;
}

static void toplevel_ignore_object(struct wl_client *client, struct wl_resource *resource,
				   struct wl_resource *object)
{
}

static void toplevel_ignore_string(struct wl_client *client, struct wl_resource *resource,
				   const char *s)
{
}

static void toplevel_show_window_menu(struct wl_client *client, struct wl_resource *resource,
				      struct wl_resource *seat, uint32_t serial, int32_t x,
				      int32_t y)
{
}

static void toplevel_move(struct wl_client *client, struct wl_resource *resource,
			  struct wl_resource *seat, uint32_t serial)
{
}

static void toplevel_resize(struct wl_client *client, struct wl_resource *resource,
			    struct wl_resource *seat, uint32_t serial, uint32_t edges)
{
}

static void toplevel_set_size(struct wl_client *client, struct wl_resource *resource, int32_t width,
			      int32_t height)
{
}

static void toplevel_ignore(struct wl_client *client, struct wl_resource *resource)
{
}

static const struct xdg_toplevel_interface toplevel_impl = {
	.destroy = resource_destroy,
	.set_parent = toplevel_ignore_object,
	.set_title = toplevel_set_title,
	.set_app_id = toplevel_ignore_string,
	.show_window_menu = toplevel_show_window_menu,
	.move = toplevel_move,
	.resize = toplevel_resize,
	.set_max_size = toplevel_set_size,
	.set_min_size = toplevel_set_size,
	.set_maximized = toplevel_ignore,
	.unset_maximized = toplevel_ignore,
	.set_fullscreen = toplevel_ignore_object,
	.unset_fullscreen = toplevel_ignore,
	.set_minimized = toplevel_ignore,
};

static void toplevel_handle_resource_destroy(struct wl_resource *resource)
{
	struct hf_toplevel *toplevel = toplevel_from_resource(resource);
	if (!toplevel)
		return;
	toplevel->resource = NULL;
	toplevel_unlink(toplevel);
}

static void xdg_surface_get_toplevel(struct wl_client *client, struct wl_resource *resource,
				     uint32_t id)
{
	struct hf_toplevel *toplevel = toplevel_from_xdg_surface(resource);
	if (!toplevel->surface) {
		wl_resource_post_error(resource, XDG_WM_BASE_ERROR_DEFUNCT_SURFACES,
				       "the wl_surface was destroyed");
		return;
	}
	if (toplevel->resource || toplevel->surface->toplevel) {
		wl_resource_post_error(resource, XDG_SURFACE_ERROR_ALREADY_CONSTRUCTED,
				       "the xdg_surface already has a role object");
		return;
	}
	toplevel->resource = wl_resource_create(client, &xdg_toplevel_interface,
						wl_resource_get_version(resource), id);
	if (!toplevel->resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(toplevel->resource, &toplevel_impl, toplevel,
				       toplevel_handle_resource_destroy);
	toplevel->surface->toplevel = toplevel;
	if (toplevel->surface->mapped)
		hf_toplevel_surface_mapped(toplevel, true);
}

static void popup_grab(struct wl_client *client, struct wl_resource *resource,
		       struct wl_resource *seat, uint32_t serial)
{
}

static const struct xdg_popup_interface popup_impl = {
	.destroy = resource_destroy,
	.grab = popup_grab,
};

static void xdg_surface_get_popup(struct wl_client *client, struct wl_resource *resource,
				  uint32_t id, struct wl_resource *parent,
				  struct wl_resource *positioner)
{
	/* The presenter shows whole windows only: a popup is dismissed as soon as it exists. */
	struct wl_resource *popup = wl_resource_create(client, &xdg_popup_interface,
						       wl_resource_get_version(resource), id);
	if (!popup) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(popup, &popup_impl, NULL, NULL);
	xdg_popup_send_popup_done(popup);
}

static void xdg_surface_set_window_geometry(struct wl_client *client, struct wl_resource *resource,
					    int32_t x, int32_t y, int32_t width, int32_t height)
{
}

static void xdg_surface_ack_configure(struct wl_client *client, struct wl_resource *resource,
				      uint32_t serial)
{
}

static const struct xdg_surface_interface xdg_surface_impl = {
	.destroy = resource_destroy,
	.get_toplevel = xdg_surface_get_toplevel,
	.get_popup = xdg_surface_get_popup,
	.set_window_geometry = xdg_surface_set_window_geometry,
	.ack_configure = xdg_surface_ack_configure,
};

static void toplevel_free(struct hf_toplevel *toplevel)
{
	if (toplevel->resource)
		wl_resource_set_user_data(toplevel->resource, NULL);
	toplevel_unlink(toplevel);
	if (toplevel->surface) {
		toplevel->surface->toplevel = NULL;
		wl_list_remove(&toplevel->surface_destroy.link);
	}
	free(toplevel->title);
	free(toplevel);
}

static void xdg_surface_handle_resource_destroy(struct wl_resource *resource)
{
	toplevel_free(toplevel_from_xdg_surface(resource));
}

static void toplevel_handle_surface_destroy(struct wl_listener *listener, void *data)
{
	struct hf_toplevel *toplevel = wl_container_of(listener, toplevel, surface_destroy);
	toplevel_unlink(toplevel);
	wl_list_remove(&toplevel->surface_destroy.link);
	toplevel->surface->toplevel = NULL;
	toplevel->surface = NULL;
}

/* Every positioner setter is accepted and ignored: popups are dismissed anyway. */
static void positioner_set_pair(struct wl_client *client, struct wl_resource *resource, int32_t a,
				int32_t b)
{
}

static void positioner_set_uint(struct wl_client *client, struct wl_resource *resource, uint32_t v)
{
}

static void positioner_set_anchor_rect(struct wl_client *client, struct wl_resource *resource,
				       int32_t x, int32_t y, int32_t width, int32_t height)
{
}

static const struct xdg_positioner_interface positioner_impl = {
	.destroy = resource_destroy,
	.set_size = positioner_set_pair,
	.set_anchor_rect = positioner_set_anchor_rect,
	.set_anchor = positioner_set_uint,
	.set_gravity = positioner_set_uint,
	.set_constraint_adjustment = positioner_set_uint,
	.set_offset = positioner_set_pair,
	.set_reactive = toplevel_ignore,
	.set_parent_size = positioner_set_pair,
	.set_parent_configure = positioner_set_uint,
};

static void wm_base_create_positioner(struct wl_client *client, struct wl_resource *resource,
				      uint32_t id)
{
	struct wl_resource *positioner = wl_resource_create(client, &xdg_positioner_interface,
							    wl_resource_get_version(resource), id);
	if (!positioner) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(positioner, &positioner_impl, NULL, NULL);
}

static void wm_base_get_xdg_surface(struct wl_client *client, struct wl_resource *resource,
				    uint32_t id, struct wl_resource *surface_resource)
{
	struct hf_server *server = wl_resource_get_user_data(resource);
	struct hf_surface *surface = hf_surface_from_resource(surface_resource);
	if (surface->toplevel) {
		wl_resource_post_error(resource, XDG_WM_BASE_ERROR_ROLE,
				       "wl_surface@%u already has a role",
				       wl_resource_get_id(surface_resource));
		return;
	}
	struct hf_toplevel *toplevel = calloc(1, sizeof(*toplevel));
	if (!toplevel) {
		wl_client_post_no_memory(client);
		return;
	}
	toplevel->xdg_surface = wl_resource_create(client, &xdg_surface_interface,
						   wl_resource_get_version(resource), id);
	if (!toplevel->xdg_surface) {
		free(toplevel);
		wl_client_post_no_memory(client);
		return;
	}
	toplevel->server = server;
	toplevel->surface = surface;
	toplevel->surface_destroy.notify = toplevel_handle_surface_destroy;
	wl_signal_add(&surface->destroy_signal, &toplevel->surface_destroy);
	wl_resource_set_implementation(toplevel->xdg_surface, &xdg_surface_impl, toplevel,
				       xdg_surface_handle_resource_destroy);
}

static void wm_base_pong(struct wl_client *client, struct wl_resource *resource, uint32_t serial)
{
}

static const struct xdg_wm_base_interface wm_base_impl = {
	.destroy = resource_destroy,
	.create_positioner = wm_base_create_positioner,
	.get_xdg_surface = wm_base_get_xdg_surface,
	.pong = wm_base_pong,
};

static void wm_base_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *resource =
		wl_resource_create(client, &xdg_wm_base_interface, version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &wm_base_impl, data, NULL);
}

bool hf_xdg_shell_init(struct hf_server *server)
{
	return wl_global_create(server->display, &xdg_wm_base_interface, XDG_WM_BASE_VERSION,
				server, wm_base_bind) != NULL;
}
