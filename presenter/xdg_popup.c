/*
 * xdg_popup and xdg_positioner (xdg_shell.h): a popup is placed by its positioner
 * (positioner.c) inside the part of the output its window can reach, configured, and shown
 * above its parent's tree (surface.h's hf_popup_link) once mapped; a reactive one is placed
 * anew whenever that part moves (its window's size, the layout, the output, its parent popup's
 * place); a grab gives it the keyboard and lets a click outside its chain dismiss it (the seat
 * reads the compositor's grab).
 */
#include "xdg_shell.h"

#include "buffer.h"
#include "log.h"
#include "positioner.h"
#include "seat.h"
#include "subsurface.h"
#include "xdg-shell-server-protocol.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

struct hf_xdg_popup {
	struct hf_xdg_surface *xs;     /* NULL once its xdg_surface or wl_surface is gone: inert */
	struct wl_resource *resource;  /* the xdg_popup */
	struct hf_xdg_surface *parent; /* NULL once the parent is gone (dismissed) */
	struct hf_popup_link link;     /* in the parent surface's popups while not dismissed */
	struct hf_positioner positioner;
	struct hf_box box;         /* the last place configured, in the parent's geometry */
	uint32_t reposition_token; /* to send with the initial configure; 0: none */
	bool reposition_pending;
	bool configured;           /* the initial configure went */
	uint32_t configure_serial; /* of the last configure */
	bool acked;                /* it was acked: the next commit applies box */
	bool dismissed;
	bool wants_grab, grabbing;
	struct hf_popup_grab grab;
	struct wl_listener parent_destroy, parent_unmap;
	struct wl_listener surface_map, surface_unmap;
	/* What its bounds follow while it has a parent: its window's root surface latching
	 * (a new size), the windows (the layout), the output (main.c). */
	struct wl_listener root_latch, windows_changed, bounds_changed;
};

static const struct xdg_popup_interface popup_impl;
static const struct xdg_positioner_interface positioner_impl;

static struct hf_xdg_popup *popup_from_resource(struct wl_resource *resource)
{
	assert(wl_resource_instance_of(resource, &xdg_popup_interface, &popup_impl));
	return wl_resource_get_user_data(resource);
}

static struct hf_positioner *positioner_from_resource(struct wl_resource *resource)
{
	assert(wl_resource_instance_of(resource, &xdg_positioner_interface, &positioner_impl));
	return wl_resource_get_user_data(resource);
}

/* --- xdg_positioner ------------------------------------------------------------------------ */

static void positioner_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void positioner_set_size(struct wl_client *client, struct wl_resource *resource,
				int32_t width, int32_t height)
{
	if (width <= 0 || height <= 0) {
		wl_resource_post_error(resource, XDG_POSITIONER_ERROR_INVALID_INPUT,
				       "size %dx%d is not positive", width, height);
		return;
	}
	struct hf_positioner *p = positioner_from_resource(resource);
	p->width = width;
	p->height = height;
}

static void positioner_set_anchor_rect(struct wl_client *client, struct wl_resource *resource,
				       int32_t x, int32_t y, int32_t width, int32_t height)
{
	if (width < 0 || height < 0) {
		wl_resource_post_error(resource, XDG_POSITIONER_ERROR_INVALID_INPUT,
				       "anchor rectangle %dx%d is negative", width, height);
		return;
	}
	struct hf_positioner *p = positioner_from_resource(resource);
	p->anchor_rect = (struct hf_box){x, y, width, height};
	p->has_anchor_rect = true;
}

static void positioner_set_anchor(struct wl_client *client, struct wl_resource *resource,
				  uint32_t anchor)
{
	if (anchor > HF_POSITIONER_ANCHOR_MAX) {
		wl_resource_post_error(resource, XDG_POSITIONER_ERROR_INVALID_INPUT,
				       "anchor %u is not an xdg_positioner.anchor", anchor);
		return;
	}
	positioner_from_resource(resource)->anchor = anchor;
}

static void positioner_set_gravity(struct wl_client *client, struct wl_resource *resource,
				   uint32_t gravity)
{
	if (gravity > HF_POSITIONER_ANCHOR_MAX) {
		wl_resource_post_error(resource, XDG_POSITIONER_ERROR_INVALID_INPUT,
				       "gravity %u is not an xdg_positioner.gravity", gravity);
		return;
	}
	positioner_from_resource(resource)->gravity = gravity;
}

static void positioner_set_constraint_adjustment(struct wl_client *client,
						 struct wl_resource *resource, uint32_t adjustment)
{
	positioner_from_resource(resource)->constraint_adjustment = adjustment;
}

static void positioner_set_offset(struct wl_client *client, struct wl_resource *resource, int32_t x,
				  int32_t y)
{
	struct hf_positioner *p = positioner_from_resource(resource);
	p->offset_x = x;
	p->offset_y = y;
}

static void positioner_set_reactive(struct wl_client *client, struct wl_resource *resource)
{
	positioner_from_resource(resource)->reactive = true;
}

static void positioner_set_parent_size(struct wl_client *client, struct wl_resource *resource,
				       int32_t width, int32_t height)
{
	struct hf_positioner *p = positioner_from_resource(resource);
	/* The protocol defines no error: a size not positive is one not given. */
	p->parent_width = width > 0 && height > 0 ? width : 0;
	p->parent_height = width > 0 && height > 0 ? height : 0;
}

static void positioner_set_parent_configure(struct wl_client *client, struct wl_resource *resource,
					    uint32_t serial)
{
	struct hf_positioner *p = positioner_from_resource(resource);
	p->has_parent_configure = true;
	p->parent_configure = serial;
}

static const struct xdg_positioner_interface positioner_impl = {
	.destroy = positioner_destroy,
	.set_size = positioner_set_size,
	.set_anchor_rect = positioner_set_anchor_rect,
	.set_anchor = positioner_set_anchor,
	.set_gravity = positioner_set_gravity,
	.set_constraint_adjustment = positioner_set_constraint_adjustment,
	.set_offset = positioner_set_offset,
	.set_reactive = positioner_set_reactive,
	.set_parent_size = positioner_set_parent_size,
	.set_parent_configure = positioner_set_parent_configure,
};

static void positioner_resource_destroy(struct wl_resource *resource)
{
	free(wl_resource_get_user_data(resource));
}

void hf_xdg_positioner_create(struct wl_client *client, struct wl_resource *wm_base, uint32_t id)
{
	struct hf_positioner *p = calloc(1, sizeof(*p));
	struct wl_resource *resource = p ? wl_resource_create(client, &xdg_positioner_interface,
							      wl_resource_get_version(wm_base), id)
					 : NULL;
	if (!resource) {
		free(p);
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &positioner_impl, p, positioner_resource_destroy);
}

/* --- placing ------------------------------------------------------------------------------- */

/* The surface's offset from its tree's root, in the root's surface coordinates. */
static void offset_in_root(struct hf_surface *surface, int32_t *x, int32_t *y)
{
	*x = *y = 0;
	while (surface->popup && surface->popup->parent) {
		*x += surface->popup->x;
		*y += surface->popup->y;
		surface = surface->popup->parent;
	}
}

/* The size of the root's buffer to place the popup for: its current one, or, when the
 * positioner says the parent window is answering a configure with another size (it is a
 * toplevel that has not committed since), the buffer that size will make of it. */
static void root_size(struct hf_xdg_popup *popup, struct hf_surface *root, int32_t *width,
		      int32_t *height)
{
	const struct hf_buffer *buffer = root->current->buffer;
	*width = buffer->width;
	*height = buffer->height;
	const struct hf_positioner *p = &popup->positioner;
	struct hf_xdg_surface *parent = popup->parent;
	if (!p->has_parent_configure || !p->parent_width || parent->surface != root ||
	    !hf_xdg_surface_configure_pending(parent, p->parent_configure))
		return;
	/* The window geometry grows or shrinks in its buffer; what lies around it stays. */
	int32_t geometry_w = parent->geometry.width > 0 ? parent->geometry.width : buffer->width;
	int32_t geometry_h = parent->geometry.height > 0 ? parent->geometry.height : buffer->height;
	int64_t w = (int64_t)buffer->width + p->parent_width - geometry_w;
	int64_t h = (int64_t)buffer->height + p->parent_height - geometry_h;
	if (w > 0 && h > 0 && w <= INT32_MAX && h <= INT32_MAX) {
		*width = (int32_t)w;
		*height = (int32_t)h;
	}
}

/* Where the popup may lie, in its parent's window-geometry coordinates; false: anywhere. */
static bool popup_bounds(struct hf_xdg_popup *popup, struct hf_box *bounds)
{
	struct hf_compositor *compositor = popup->xs->compositor;
	struct hf_surface *root = hf_subsurface_root(popup->parent->surface);
	if (!root->window || !root->mapped || !compositor->popup_bounds)
		return false;
	int32_t width, height;
	root_size(popup, root, &width, &height);
	if (!compositor->popup_bounds(compositor->popup_bounds_data, root->window, width, height,
				      bounds))
		return false;
	int32_t x, y;
	offset_in_root(popup->parent->surface, &x, &y);
	bounds->x -= x + popup->parent->geometry.x;
	bounds->y -= y + popup->parent->geometry.y;
	return true;
}

static struct hf_box popup_place(struct hf_xdg_popup *popup)
{
	struct hf_box bounds;
	bool bounded = popup_bounds(popup, &bounds);
	return hf_positioner_place(&popup->positioner, bounded ? &bounds : NULL);
}

static void send_configure(struct hf_xdg_popup *popup)
{
	popup->box = popup_place(popup);
	if (popup->reposition_pending &&
	    wl_resource_get_version(popup->resource) >= XDG_POPUP_REPOSITIONED_SINCE_VERSION)
		xdg_popup_send_repositioned(popup->resource, popup->reposition_token);
	popup->reposition_pending = false;
	xdg_popup_send_configure(popup->resource, popup->box.x, popup->box.y, popup->box.width,
				 popup->box.height);
	popup->acked = false;
	popup->configure_serial = hf_xdg_surface_send_configure(popup->xs);
	popup->configured = true;
}

/* A reactive popup whose place its bounds' move changed is configured there. */
static void popup_reconstrain(struct hf_xdg_popup *popup)
{
	if (!popup->xs || popup->dismissed || !popup->parent || !popup->configured ||
	    !popup->positioner.reactive)
		return;
	/* A window going away moves no popup: it is about to be dismissed. */
	if (!hf_subsurface_root(popup->parent->surface)->window)
		return;
	struct hf_box box = popup_place(popup);
	if (box.x != popup->box.x || box.y != popup->box.y || box.width != popup->box.width ||
	    box.height != popup->box.height)
		send_configure(popup);
}

/* The configured box as the place of the popup's surface in its parent's surface. The popups
 * above it moved with it: their bounds did not. */
static void apply_box(struct hf_xdg_popup *popup)
{
	struct hf_xdg_surface *xs = popup->xs;
	popup->link.x = popup->parent->geometry.x + popup->box.x - xs->geometry.x;
	popup->link.y = popup->parent->geometry.y + popup->box.y - xs->geometry.y;
	struct hf_surface *root = hf_subsurface_root(xs->surface);
	root->content_serial++;
	wl_signal_emit(&xs->compositor->events.frame_needed, root);
	struct hf_popup_link *link, *tmp;
	wl_list_for_each_safe(link, tmp, &xs->surface->popups, link) {
		struct hf_xdg_popup *child = wl_container_of(link, child, link);
		popup_reconstrain(child);
	}
}

static void popup_handle_root_latch(struct wl_listener *listener, void *data)
{
	struct hf_xdg_popup *popup = wl_container_of(listener, popup, root_latch);
	popup_reconstrain(popup);
}

static void popup_handle_windows_changed(struct wl_listener *listener, void *data)
{
	struct hf_xdg_popup *popup = wl_container_of(listener, popup, windows_changed);
	popup_reconstrain(popup);
}

static void popup_handle_bounds_changed(struct wl_listener *listener, void *data)
{
	struct hf_xdg_popup *popup = wl_container_of(listener, popup, bounds_changed);
	popup_reconstrain(popup);
}

/* --- grabs --------------------------------------------------------------------------------- */

static struct hf_xdg_popup *parent_popup(struct hf_xdg_popup *popup)
{
	return popup->parent ? popup->parent->popup : NULL;
}

/* The popup's grab ends: the grab goes back to the grabbing popup below it, or the keyboard to
 * the window. */
static void grab_end(struct hf_xdg_popup *popup)
{
	if (!popup->grabbing)
		return;
	popup->grabbing = false;
	struct hf_compositor *compositor = popup->xs->compositor;
	if (compositor->grab != &popup->grab)
		return;
	struct hf_xdg_popup *below = parent_popup(popup);
	struct hf_surface *focus =
		popup->parent ? hf_subsurface_root(popup->parent->surface) : NULL;
	compositor->grab = NULL;
	if (below && below->grabbing) {
		compositor->grab = &below->grab;
		focus = below->xs->surface;
	}
	wl_signal_emit(&compositor->events.grab_changed, focus);
}

static void grab_begin(struct hf_xdg_popup *popup)
{
	struct hf_compositor *compositor = popup->xs->compositor;
	popup->grabbing = true;
	compositor->grab = &popup->grab;
	wl_signal_emit(&compositor->events.grab_changed, popup->xs->surface);
}

static void popup_dismiss(struct hf_xdg_popup *popup);

static void popup_handle_grab_dismiss(struct hf_popup_grab *grab)
{
	struct hf_xdg_popup *popup = wl_container_of(grab, popup, grab);
	popup_dismiss(popup);
}

/* --- dismissal ----------------------------------------------------------------------------- */

static void unlink_parent(struct hf_xdg_popup *popup)
{
	if (!popup->parent)
		return;
	struct hf_surface *root = hf_subsurface_root(popup->parent->surface);
	wl_list_remove(&popup->parent_destroy.link);
	wl_list_remove(&popup->parent_unmap.link);
	wl_list_remove(&popup->root_latch.link);
	wl_list_remove(&popup->windows_changed.link);
	wl_list_remove(&popup->bounds_changed.link);
	wl_list_init(&popup->parent_destroy.link);
	wl_list_init(&popup->parent_unmap.link);
	wl_list_init(&popup->root_latch.link);
	wl_list_init(&popup->windows_changed.link);
	wl_list_init(&popup->bounds_changed.link);
	wl_list_remove(&popup->link.link);
	wl_list_init(&popup->link.link);
	popup->link.parent = NULL;
	popup->parent = NULL;
	root->content_serial++;
	wl_signal_emit(&popup->xs->compositor->events.frame_needed, root);
	wl_signal_emit(&popup->xs->compositor->events.trees_changed, NULL);
}

/* popup_done, the popups above it first: it is shown no more. */
static void popup_dismiss(struct hf_xdg_popup *popup)
{
	bool done = popup->dismissed;
	popup->dismissed = true;
	if (popup->xs)
		hf_xdg_popups_dismiss_children(popup->xs->surface);
	/* Told before its grab's end moves the keyboard away. */
	if (!done)
		xdg_popup_send_popup_done(popup->resource);
	if (popup->xs) {
		grab_end(popup);
		unlink_parent(popup);
	}
}

void hf_xdg_popups_dismiss_children(struct hf_surface *parent)
{
	/* Topmost first; each dismissal unlinks the popup from the list. */
	while (!wl_list_empty(&parent->popups)) {
		struct hf_popup_link *link = wl_container_of(parent->popups.prev, link, link);
		struct hf_xdg_popup *child = wl_container_of(link, child, link);
		popup_dismiss(child);
	}
}

static void popup_handle_parent_destroy(struct wl_listener *listener, void *data)
{
	struct hf_xdg_popup *popup = wl_container_of(listener, popup, parent_destroy);
	popup_dismiss(popup);
}

static void popup_handle_parent_unmap(struct wl_listener *listener, void *data)
{
	struct hf_xdg_popup *popup = wl_container_of(listener, popup, parent_unmap);
	popup_dismiss(popup);
}

static void popup_handle_surface_map(struct wl_listener *listener, void *data)
{
	struct hf_xdg_popup *popup = wl_container_of(listener, popup, surface_map);
	if (popup->wants_grab && !popup->dismissed && !popup->grabbing)
		grab_begin(popup);
}

/* The client unmapped it: the popups above it go, and its grab. */
static void popup_handle_surface_unmap(struct wl_listener *listener, void *data)
{
	struct hf_xdg_popup *popup = wl_container_of(listener, popup, surface_unmap);
	hf_xdg_popups_dismiss_children(popup->xs->surface);
	grab_end(popup);
	popup->wants_grab = false;
}

void hf_xdg_popup_forget(struct hf_xdg_popup *popup)
{
	if (!popup->xs)
		return;
	hf_xdg_popups_dismiss_children(popup->xs->surface);
	grab_end(popup);
	unlink_parent(popup);
	wl_list_remove(&popup->surface_map.link);
	wl_list_remove(&popup->surface_unmap.link);
	popup->xs->surface->popup = NULL;
	popup->xs->popup = NULL;
	popup->xs = NULL;
}

/* --- xdg_popup ----------------------------------------------------------------------------- */

static void popup_destroy(struct wl_client *client, struct wl_resource *resource)
{
	struct hf_xdg_popup *popup = popup_from_resource(resource);
	/* Popups above it that are still shown must go first. */
	if (popup->xs && popup->xs->surface && !wl_list_empty(&popup->xs->surface->popups)) {
		wl_resource_post_error(popup->xs->wm_base, XDG_WM_BASE_ERROR_NOT_THE_TOPMOST_POPUP,
				       "xdg_popup@%u is destroyed before the popups above it",
				       wl_resource_get_id(resource));
		return;
	}
	wl_resource_destroy(resource);
}

/* Whether the popup's grab holds over the chain below it: the grab a new one may top is the
 * one that holds the seat (or, before that popup maps, waits for it). */
static bool grab_tops(struct hf_xdg_popup *popup, struct hf_seat *seat)
{
	struct hf_compositor *compositor = popup->xs->compositor;
	struct hf_xdg_popup *below = parent_popup(popup);
	if (!below) {
		/* A new chain: on the window with the focus, with no grab holding the seat. */
		struct hf_surface *focus = hf_seat_focus(seat);
		return !compositor->grab && focus &&
		       hf_subsurface_root(focus) == popup->parent->surface;
	}
	/* Nothing grabbing above the parent already: the new popup would top it. */
	struct hf_popup_link *link;
	wl_list_for_each(link, &below->xs->surface->popups, link) {
		struct hf_xdg_popup *sibling = wl_container_of(link, sibling, link);
		if (sibling != popup && sibling->wants_grab)
			return false;
	}
	if (!compositor->grab)
		return true;
	/* The grab holding the seat is the parent's, or one below it whose chain it tops. */
	for (struct hf_xdg_popup *p = below; p; p = parent_popup(p))
		if (compositor->grab == &p->grab)
			return true;
	return false;
}

static void popup_grab(struct wl_client *client, struct wl_resource *resource,
		       struct wl_resource *seat_resource, uint32_t serial)
{
	struct hf_xdg_popup *popup = popup_from_resource(resource);
	if (!popup->xs || popup->dismissed)
		return;
	if (popup->configured) {
		wl_resource_post_error(resource, XDG_POPUP_ERROR_INVALID_GRAB,
				       "the grab comes after the popup's initial commit");
		return;
	}
	struct hf_xdg_popup *below = parent_popup(popup);
	if (below && !below->wants_grab) {
		wl_resource_post_error(resource, XDG_POPUP_ERROR_INVALID_GRAB,
				       "the parent popup took no grab");
		return;
	}
	/* A grab the user did not just ask for (a press this client got), or that would not
	 * top the grab chain, is refused as the protocol allows: the popup is dismissed. */
	struct hf_seat *seat = hf_seat_from_resource(seat_resource);
	if (!seat || !hf_seat_grab_serial_valid(seat, client, serial) || !grab_tops(popup, seat)) {
		hf_debug("xdg_popup@%u: grab with serial %u refused", wl_resource_get_id(resource),
			 serial);
		popup_dismiss(popup);
		return;
	}
	popup->wants_grab = true;
}

static void popup_reposition(struct wl_client *client, struct wl_resource *resource,
			     struct wl_resource *positioner_resource, uint32_t token)
{
	struct hf_xdg_popup *popup = popup_from_resource(resource);
	struct hf_positioner *p = positioner_from_resource(positioner_resource);
	if (!popup->xs)
		return;
	if (!hf_positioner_is_complete(p)) {
		wl_resource_post_error(popup->xs->wm_base, XDG_WM_BASE_ERROR_INVALID_POSITIONER,
				       "the positioner has no size or no anchor rectangle");
		return;
	}
	popup->positioner = *p;
	popup->reposition_token = token;
	popup->reposition_pending = true;
	/* Before the initial configure, that one carries it. */
	if (popup->configured && popup->parent)
		send_configure(popup);
}

static const struct xdg_popup_interface popup_impl = {
	.destroy = popup_destroy,
	.grab = popup_grab,
	.reposition = popup_reposition,
};

static void popup_resource_destroy(struct wl_resource *resource)
{
	struct hf_xdg_popup *popup = popup_from_resource(resource);
	hf_xdg_popup_forget(popup);
	free(popup);
}

void hf_xdg_popup_commit(struct hf_xdg_popup *popup)
{
	if (!popup->parent)
		return;
	if (!popup->configured) {
		send_configure(popup);
		return;
	}
	if (popup->acked) {
		popup->acked = false;
		apply_box(popup);
	}
}

void hf_xdg_popup_ack_configure(struct hf_xdg_popup *popup, uint32_t serial)
{
	if (popup->configured && serial == popup->configure_serial)
		popup->acked = true;
}

void hf_xdg_popup_create(struct wl_client *client, struct wl_resource *xdg_surface,
			 struct hf_xdg_surface *xs, uint32_t id, struct hf_xdg_surface *parent,
			 struct wl_resource *positioner_resource)
{
	struct hf_positioner *p = positioner_from_resource(positioner_resource);
	struct wl_resource *wm_base = xs ? xs->wm_base : NULL;
	if (xs && !hf_positioner_is_complete(p)) {
		wl_resource_post_error(wm_base, XDG_WM_BASE_ERROR_INVALID_POSITIONER,
				       "the positioner has no size or no anchor rectangle");
		return;
	}
	/* The parent must be an xdg_surface with a role and a wl_surface, and not itself. */
	if (xs && parent &&
	    (!parent->surface || parent == xs || (!parent->resource && !parent->popup))) {
		wl_resource_post_error(wm_base, XDG_WM_BASE_ERROR_INVALID_POPUP_PARENT,
				       "the parent is not an xdg_toplevel or xdg_popup with a "
				       "wl_surface");
		return;
	}
	struct hf_xdg_popup *popup = calloc(1, sizeof(*popup));
	if (popup)
		popup->resource = wl_resource_create(client, &xdg_popup_interface,
						     wl_resource_get_version(xdg_surface), id);
	if (!popup || !popup->resource) {
		free(popup);
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(popup->resource, &popup_impl, popup, popup_resource_destroy);
	wl_list_init(&popup->link.link);
	wl_list_init(&popup->parent_destroy.link);
	wl_list_init(&popup->parent_unmap.link);
	wl_list_init(&popup->root_latch.link);
	wl_list_init(&popup->windows_changed.link);
	wl_list_init(&popup->bounds_changed.link);
	popup->grab.dismiss = popup_handle_grab_dismiss;
	if (!xs) {
		popup->dismissed = true; /* inert */
		return;
	}
	popup->xs = xs;
	xs->popup = popup;
	popup->positioner = *p;
	popup->link.surface = xs->surface;
	popup->grab.surface = xs->surface;
	xs->surface->popup = &popup->link;
	popup->surface_map.notify = popup_handle_surface_map;
	wl_signal_add(&xs->surface->events.map, &popup->surface_map);
	popup->surface_unmap.notify = popup_handle_surface_unmap;
	wl_signal_add(&xs->surface->events.unmap, &popup->surface_unmap);
	if (!parent) {
		/* No parent another protocol could name (layer-shell): nothing to show it on. */
		popup_dismiss(popup);
		return;
	}
	popup->parent = parent;
	popup->link.parent = parent->surface;
	wl_list_insert(parent->surface->popups.prev, &popup->link.link);
	/* The resource's signal, before the surface's own: see seat.c's watch(). */
	popup->parent_destroy.notify = popup_handle_parent_destroy;
	wl_resource_add_destroy_listener(parent->surface->resource, &popup->parent_destroy);
	popup->parent_unmap.notify = popup_handle_parent_unmap;
	wl_signal_add(&parent->surface->events.unmap, &popup->parent_unmap);
	/* The root outlives the link: its going dismisses the popups below this one first. */
	popup->root_latch.notify = popup_handle_root_latch;
	wl_signal_add(&hf_subsurface_root(parent->surface)->events.latch, &popup->root_latch);
	struct hf_compositor *compositor = xs->compositor;
	popup->windows_changed.notify = popup_handle_windows_changed;
	wl_signal_add(&compositor->events.windows_changed, &popup->windows_changed);
	popup->bounds_changed.notify = popup_handle_bounds_changed;
	wl_signal_add(&compositor->events.popup_bounds_changed, &popup->bounds_changed);
}
