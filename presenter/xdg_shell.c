/* A small xdg_wm_base: toplevels that the output lays out, and their popups (xdg_popup.c). */
#include "protocols.h"
#include "xdg_shell.h"

#include "client.h"
#include "log.h"
#include "surface.h"
#include "xdg-shell-server-protocol.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define XDG_WM_BASE_VERSION 3
#define XDG_ROLE            "xdg_surface"
/* wayland-protocols 1.26's; older XML lacks them. */
#ifndef XDG_SURFACE_ERROR_INVALID_SERIAL
#define XDG_SURFACE_ERROR_INVALID_SERIAL 4
#endif
#ifndef XDG_SURFACE_ERROR_INVALID_SIZE
#define XDG_SURFACE_ERROR_INVALID_SIZE 5
#endif

static const struct xdg_toplevel_interface toplevel_impl;
static const struct xdg_surface_interface xdg_surface_impl;

static void resource_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static struct hf_xdg_surface *toplevel_from_xdg_surface(struct wl_resource *resource)
{
	assert(wl_resource_instance_of(resource, &xdg_surface_interface, &xdg_surface_impl));
	return wl_resource_get_user_data(resource);
}

static struct hf_xdg_surface *toplevel_from_resource(struct wl_resource *resource)
{
	assert(wl_resource_instance_of(resource, &xdg_toplevel_interface, &toplevel_impl));
	return wl_resource_get_user_data(resource);
}

uint32_t hf_xdg_surface_send_configure(struct hf_xdg_surface *xs)
{
	uint32_t serial = wl_display_next_serial(xs->compositor->display);
	xs->sent_serials[xs->next_sent] = serial;
	xs->next_sent = (xs->next_sent + 1) % HF_XDG_SENT_SERIALS;
	if (xs->n_sent < HF_XDG_SENT_SERIALS)
		xs->n_sent++;
	xdg_surface_send_configure(xs->xdg_surface, serial);
	return serial;
}

static bool configure_was_sent(const struct hf_xdg_surface *xs, uint32_t serial)
{
	for (unsigned i = 0; i < xs->n_sent; i++)
		if (xs->sent_serials[i] == serial)
			return true;
	return false;
}

bool hf_xdg_surface_configure_pending(const struct hf_xdg_surface *xs, uint32_t serial)
{
	if (!configure_was_sent(xs, serial))
		return false;
	/* Serials wrap: the later of two is the one less than half the range ahead. */
	return !xs->applied || (int32_t)(serial - xs->applied_serial) > 0;
}

/* The size is the client's to choose: the layout scales every window to fit. */
static void toplevel_send_configure(struct hf_xdg_surface *toplevel)
{
	struct wl_array states;
	wl_array_init(&states);
	uint32_t *state;
	if (toplevel->fullscreen && (state = wl_array_add(&states, sizeof(*state))))
		*state = XDG_TOPLEVEL_STATE_FULLSCREEN;
	if (toplevel->maximized && (state = wl_array_add(&states, sizeof(*state))))
		*state = XDG_TOPLEVEL_STATE_MAXIMIZED;
	if (toplevel->activated && (state = wl_array_add(&states, sizeof(*state))))
		*state = XDG_TOPLEVEL_STATE_ACTIVATED;
	xdg_toplevel_send_configure(toplevel->resource, 0, 0, &states);
	wl_array_release(&states);
	hf_xdg_surface_send_configure(toplevel);
}

/* A buffer before the first ack would show a window whose client has not heard what the
 * compositor wants (its size, its states): the protocol makes it an error. */
static void xdg_surface_handle_client_commit(struct wl_listener *listener, void *data)
{
	struct hf_xdg_surface *xs = wl_container_of(listener, xs, surface_client_commit);
	struct hf_surface_commit_event *event = data;
	const struct hf_surface_state *pending = &xs->surface->pending;
	if (pending->attached && pending->buffer && !xs->acked) {
		wl_resource_post_error(xs->xdg_surface, XDG_SURFACE_ERROR_UNCONFIGURED_BUFFER,
				       "wl_surface@%u has a buffer attached before any configure "
				       "was acked",
				       wl_resource_get_id(xs->surface->resource));
		event->rejected = true;
	}
}

static void toplevel_handle_surface_commit(struct wl_listener *listener, void *data)
{
	struct hf_xdg_surface *toplevel = wl_container_of(listener, toplevel, surface_commit);
	/* The last ack before a commit says which configure the commit answers. */
	toplevel->applied = toplevel->acked;
	toplevel->applied_serial = toplevel->acked_serial;
	if (toplevel->popup) {
		hf_xdg_popup_commit(toplevel->popup);
		return;
	}
	if (toplevel->configured || !toplevel->resource)
		return;
	/* The initial commit is answered with a configure. */
	toplevel_send_configure(toplevel);
	toplevel->configured = true;
}

/* A state changed: a configure says so, once the initial one went. */
static void toplevel_set_state(struct hf_xdg_surface *toplevel, bool *state, bool on)
{
	if (*state == on)
		return;
	*state = on;
	if (toplevel->configured && toplevel->resource)
		toplevel_send_configure(toplevel);
}

static void toplevel_window_set_activated(struct hf_window *window, bool activated)
{
	struct hf_xdg_surface *toplevel = wl_container_of(window, toplevel, window);
	toplevel_set_state(toplevel, &toplevel->activated, activated);
}

static void toplevel_show(struct hf_xdg_surface *toplevel, struct hf_surface *surface)
{
	if (!hf_window_show(toplevel->compositor, &toplevel->window, surface))
		hf_post_total_limit(wl_resource_get_client(toplevel->resource), hf_limits.windows,
				    "windows");
}

static void toplevel_handle_surface_map(struct wl_listener *listener, void *data)
{
	struct hf_xdg_surface *toplevel = wl_container_of(listener, toplevel, surface_map);
	toplevel_show(toplevel, toplevel->surface);
}

static void toplevel_handle_surface_unmap(struct wl_listener *listener, void *data)
{
	struct hf_xdg_surface *toplevel = wl_container_of(listener, toplevel, surface_unmap);
	hf_window_hide(toplevel->compositor, &toplevel->window);
}

/* The xdg_toplevel is gone, or the wl_surface: the window goes, the listeners with it. */
static void toplevel_drop_role(struct hf_xdg_surface *toplevel)
{
	hf_window_hide(toplevel->compositor, &toplevel->window);
	if (toplevel->resource && toplevel->surface) {
		wl_list_remove(&toplevel->surface_map.link);
		wl_list_remove(&toplevel->surface_unmap.link);
		wl_list_init(&toplevel->surface_map.link);
		wl_list_init(&toplevel->surface_unmap.link);
	}
}

static void toplevel_set_title(struct wl_client *client, struct wl_resource *resource,
			       const char *title)
{
	struct hf_xdg_surface *toplevel = toplevel_from_resource(resource);
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

static void toplevel_set_maximized(struct wl_client *client, struct wl_resource *resource)
{
	struct hf_xdg_surface *toplevel = toplevel_from_resource(resource);
	if (toplevel)
		toplevel_set_state(toplevel, &toplevel->maximized, true);
}

static void toplevel_unset_maximized(struct wl_client *client, struct wl_resource *resource)
{
	struct hf_xdg_surface *toplevel = toplevel_from_resource(resource);
	if (toplevel)
		toplevel_set_state(toplevel, &toplevel->maximized, false);
}

static void toplevel_set_fullscreen(struct wl_client *client, struct wl_resource *resource,
				    struct wl_resource *output)
{
	struct hf_xdg_surface *toplevel = toplevel_from_resource(resource);
	if (toplevel)
		toplevel_set_state(toplevel, &toplevel->fullscreen, true);
}

static void toplevel_unset_fullscreen(struct wl_client *client, struct wl_resource *resource)
{
	struct hf_xdg_surface *toplevel = toplevel_from_resource(resource);
	if (toplevel)
		toplevel_set_state(toplevel, &toplevel->fullscreen, false);
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
	.set_maximized = toplevel_set_maximized,
	.unset_maximized = toplevel_unset_maximized,
	.set_fullscreen = toplevel_set_fullscreen,
	.unset_fullscreen = toplevel_unset_fullscreen,
	.set_minimized = toplevel_ignore,
};

static void toplevel_handle_resource_destroy(struct wl_resource *resource)
{
	struct hf_xdg_surface *toplevel = toplevel_from_resource(resource);
	if (!toplevel)
		return;
	toplevel_drop_role(toplevel);
	toplevel->resource = NULL;
}

static void xdg_surface_get_toplevel(struct wl_client *client, struct wl_resource *resource,
				     uint32_t id)
{
	struct hf_xdg_surface *toplevel = toplevel_from_xdg_surface(resource);
	if (toplevel && (toplevel->resource || toplevel->popup)) {
		wl_resource_post_error(resource, XDG_SURFACE_ERROR_ALREADY_CONSTRUCTED,
				       "the xdg_surface already has a role object");
		return;
	}
	struct wl_resource *toplevel_resource = wl_resource_create(
		client, &xdg_toplevel_interface, wl_resource_get_version(resource), id);
	if (!toplevel_resource) {
		wl_client_post_no_memory(client);
		return;
	}
	/* Without its wl_surface the xdg_surface is inert, and so is its toplevel. */
	bool inert = !toplevel || !toplevel->surface;
	wl_resource_set_implementation(toplevel_resource, &toplevel_impl, inert ? NULL : toplevel,
				       toplevel_handle_resource_destroy);
	if (inert)
		return;
	toplevel->resource = toplevel_resource;
	struct hf_surface *surface = toplevel->surface;
	toplevel->surface_map.notify = toplevel_handle_surface_map;
	wl_signal_add(&surface->events.map, &toplevel->surface_map);
	toplevel->surface_unmap.notify = toplevel_handle_surface_unmap;
	wl_signal_add(&surface->events.unmap, &toplevel->surface_unmap);
	if (surface->mapped)
		toplevel_show(toplevel, surface);
}

static void xdg_surface_get_popup(struct wl_client *client, struct wl_resource *resource,
				  uint32_t id, struct wl_resource *parent,
				  struct wl_resource *positioner)
{
	struct hf_xdg_surface *xs = toplevel_from_xdg_surface(resource);
	if (xs && (xs->resource || xs->popup)) {
		wl_resource_post_error(resource, XDG_SURFACE_ERROR_ALREADY_CONSTRUCTED,
				       "the xdg_surface already has a role object");
		return;
	}
	struct hf_xdg_surface *parent_xs = parent ? toplevel_from_xdg_surface(parent) : NULL;
	hf_xdg_popup_create(client, resource, xs && xs->surface ? xs : NULL, id, parent_xs,
			    positioner);
}

static void xdg_surface_set_window_geometry(struct wl_client *client, struct wl_resource *resource,
					    int32_t x, int32_t y, int32_t width, int32_t height)
{
	struct hf_xdg_surface *xs = toplevel_from_xdg_surface(resource);
	if (width <= 0 || height <= 0) {
		wl_resource_post_error(resource, XDG_SURFACE_ERROR_INVALID_SIZE,
				       "window geometry %dx%d is not positive", width, height);
		return;
	}
	/* Applied at once rather than with the next commit: only popups' places read it. */
	if (xs)
		xs->geometry = (struct hf_box){x, y, width, height};
}

static void xdg_surface_ack_configure(struct wl_client *client, struct wl_resource *resource,
				      uint32_t serial)
{
	struct hf_xdg_surface *xs = toplevel_from_xdg_surface(resource);
	if (!xs)
		return;
	if (!configure_was_sent(xs, serial)) {
		wl_resource_post_error(resource, XDG_SURFACE_ERROR_INVALID_SERIAL,
				       "configure serial %u was not sent to this xdg_surface",
				       serial);
		return;
	}
	xs->acked = true;
	xs->acked_serial = serial;
	if (xs->popup)
		hf_xdg_popup_ack_configure(xs->popup, serial);
}

static const struct xdg_surface_interface xdg_surface_impl = {
	.destroy = resource_destroy,
	.get_toplevel = xdg_surface_get_toplevel,
	.get_popup = xdg_surface_get_popup,
	.set_window_geometry = xdg_surface_set_window_geometry,
	.ack_configure = xdg_surface_ack_configure,
};

static void toplevel_forget_surface(struct hf_xdg_surface *toplevel)
{
	if (!toplevel->surface)
		return;
	hf_xdg_popups_dismiss_children(toplevel->surface);
	if (toplevel->popup)
		hf_xdg_popup_forget(toplevel->popup);
	toplevel_drop_role(toplevel);
	wl_list_remove(&toplevel->surface_client_commit.link);
	wl_list_remove(&toplevel->surface_commit.link);
	wl_list_remove(&toplevel->surface_destroy.link);
	toplevel->surface = NULL;
}

static void toplevel_free(struct hf_xdg_surface *toplevel)
{
	if (toplevel->resource)
		wl_resource_set_user_data(toplevel->resource, NULL);
	toplevel_forget_surface(toplevel);
	free(toplevel->title);
	free(toplevel);
}

static void xdg_surface_handle_resource_destroy(struct wl_resource *resource)
{
	struct hf_xdg_surface *toplevel = toplevel_from_xdg_surface(resource);
	if (toplevel)
		toplevel_free(toplevel);
}

static void toplevel_handle_surface_destroy(struct wl_listener *listener, void *data)
{
	struct hf_xdg_surface *toplevel = wl_container_of(listener, toplevel, surface_destroy);
	toplevel_forget_surface(toplevel);
}

static void wm_base_create_positioner(struct wl_client *client, struct wl_resource *resource,
				      uint32_t id)
{
	hf_xdg_positioner_create(client, resource, id);
}

static void wm_base_get_xdg_surface(struct wl_client *client, struct wl_resource *resource,
				    uint32_t id, struct wl_resource *surface_resource)
{
	struct hf_compositor *compositor = wl_resource_get_user_data(resource);
	struct hf_surface *surface = hf_surface_from_resource(surface_resource);
	/* The role stays once given; a second xdg_surface may come only after the first. */
	if ((surface->role && strcmp(surface->role, XDG_ROLE) != 0) ||
	    wl_signal_get(&surface->events.destroy, toplevel_handle_surface_destroy)) {
		wl_resource_post_error(resource, XDG_WM_BASE_ERROR_ROLE,
				       "wl_surface@%u already has an xdg_surface or another role",
				       wl_resource_get_id(surface_resource));
		return;
	}
	struct hf_xdg_surface *toplevel = calloc(1, sizeof(*toplevel));
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
	surface->role = XDG_ROLE;
	toplevel->wm_base = resource;
	toplevel->compositor = compositor;
	toplevel->surface = surface;
	toplevel->window.set_activated = toplevel_window_set_activated;
	wl_list_init(&toplevel->surface_map.link);
	wl_list_init(&toplevel->surface_unmap.link);
	toplevel->surface_client_commit.notify = xdg_surface_handle_client_commit;
	wl_signal_add(&surface->events.client_commit, &toplevel->surface_client_commit);
	toplevel->surface_commit.notify = toplevel_handle_surface_commit;
	wl_signal_add(&surface->events.commit, &toplevel->surface_commit);
	toplevel->surface_destroy.notify = toplevel_handle_surface_destroy;
	wl_signal_add(&surface->events.destroy, &toplevel->surface_destroy);
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

bool hf_xdg_shell_init(struct hf_compositor *compositor)
{
	return wl_global_create(compositor->display, &xdg_wm_base_interface, XDG_WM_BASE_VERSION,
				compositor, wm_base_bind) != NULL;
}
