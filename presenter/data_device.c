/* wl_data_device_manager, wl_data_source, wl_data_device, wl_data_offer (data_device.h). */
#include "data_device.h"

#include "seat.h"
#include "surface.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wayland-server-protocol.h>

#define MANAGER_VERSION 3
#define MAX_MIME_TYPES  64

struct source {
	struct wl_resource *resource;
	struct hf_data_device_manager *m;
	char *mime[MAX_MIME_TYPES];
	int n_mime;
	bool used; /* set as a selection or a drag: no more offers */
};

struct hf_data_device_manager {
	struct hf_compositor *compositor;
	struct hf_seat *seat;
	struct wl_global *global;
	struct wl_list devices;   /* wl_resource link: wl_data_device */
	struct wl_list offers;    /* wl_resource link: wl_data_offer of the selection */
	struct source *selection; /* NULL: none */
	struct wl_listener focus_changed;
};

static void resource_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void unlink_resource(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

/* --- wl_data_offer ----------------------------------------------------------------------- */

static void offer_accept(struct wl_client *client, struct wl_resource *resource, uint32_t serial,
			 const char *mime_type)
{
}

static bool source_has(const struct source *src, const char *mime)
{
	for (int i = 0; i < src->n_mime; i++)
		if (!strcmp(src->mime[i], mime))
			return true;
	return false;
}

static void offer_receive(struct wl_client *client, struct wl_resource *resource,
			  const char *mime_type, int32_t fd)
{
	struct source *src = wl_resource_get_user_data(resource);
	/* An offer of a selection since replaced is inert: the fd just closes. */
	if (src && source_has(src, mime_type))
		wl_data_source_send_send(src->resource, mime_type, fd);
	close(fd);
}

static void offer_finish(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_post_error(resource, WL_DATA_OFFER_ERROR_INVALID_FINISH,
			       "finish is for drag-and-drop, which is refused here");
}

static void offer_set_actions(struct wl_client *client, struct wl_resource *resource,
			      uint32_t actions, uint32_t preferred)
{
	wl_resource_post_error(resource, WL_DATA_OFFER_ERROR_INVALID_OFFER,
			       "set_actions is for drag-and-drop, which is refused here");
}

static const struct wl_data_offer_interface offer_impl = {
	.accept = offer_accept,
	.receive = offer_receive,
	.destroy = resource_destroy,
	.finish = offer_finish,
	.set_actions = offer_set_actions,
};

/* The selection (NULL: none) to one data device. */
static void send_selection(struct hf_data_device_manager *m, struct wl_resource *device)
{
	struct source *src = m->selection;
	if (!src) {
		wl_data_device_send_selection(device, NULL);
		return;
	}
	struct wl_client *client = wl_resource_get_client(device);
	struct wl_resource *offer = wl_resource_create(client, &wl_data_offer_interface,
						       wl_resource_get_version(device), 0);
	if (!offer) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(offer, &offer_impl, src, unlink_resource);
	wl_list_insert(&m->offers, wl_resource_get_link(offer));
	wl_data_device_send_data_offer(device, offer);
	for (int i = 0; i < src->n_mime; i++)
		wl_data_offer_send_offer(offer, src->mime[i]);
	wl_data_device_send_selection(device, offer);
}

/* The focused client's data devices learn the selection. */
static void selection_announce(struct hf_data_device_manager *m)
{
	struct wl_client *focus = hf_seat_focus_client(m->seat);
	struct wl_resource *device;
	wl_resource_for_each(device, &m->devices)
		if (wl_resource_get_client(device) == focus)
			send_selection(m, device);
}

/* Offers of the old selection go inert. */
static void selection_set(struct hf_data_device_manager *m, struct source *src)
{
	struct source *old = m->selection;
	if (old == src)
		return;
	struct wl_resource *offer, *tmp;
	wl_resource_for_each_safe(offer, tmp, &m->offers) {
		wl_resource_set_user_data(offer, NULL);
		wl_list_remove(wl_resource_get_link(offer));
		wl_list_init(wl_resource_get_link(offer));
	}
	m->selection = src;
	if (old)
		wl_data_source_send_cancelled(old->resource);
	selection_announce(m);
}

static void manager_handle_focus_changed(struct wl_listener *listener, void *data)
{
	struct hf_data_device_manager *m = wl_container_of(listener, m, focus_changed);
	selection_announce(m);
}

/* --- wl_data_source ---------------------------------------------------------------------- */

static void source_offer(struct wl_client *client, struct wl_resource *resource,
			 const char *mime_type)
{
	struct source *src = wl_resource_get_user_data(resource);
	if (src->used || src->n_mime >= MAX_MIME_TYPES || source_has(src, mime_type))
		return; /* wl_data_source has no error for these: they are ignored */
	char *copy = strdup(mime_type);
	if (!copy) {
		wl_client_post_no_memory(client);
		return;
	}
	src->mime[src->n_mime++] = copy;
}

static void source_set_actions(struct wl_client *client, struct wl_resource *resource,
			       uint32_t actions)
{
	struct source *src = wl_resource_get_user_data(resource);
	uint32_t all = WL_DATA_DEVICE_MANAGER_DND_ACTION_COPY |
		       WL_DATA_DEVICE_MANAGER_DND_ACTION_MOVE |
		       WL_DATA_DEVICE_MANAGER_DND_ACTION_ASK;
	if (actions & ~all)
		wl_resource_post_error(resource, WL_DATA_SOURCE_ERROR_INVALID_ACTION_MASK,
				       "actions 0x%x are not wl_data_device_manager.dnd_action",
				       actions);
	else if (src->used)
		wl_resource_post_error(resource, WL_DATA_SOURCE_ERROR_INVALID_SOURCE,
				       "set_actions after the source was used");
}

static const struct wl_data_source_interface source_impl = {
	.offer = source_offer,
	.destroy = resource_destroy,
	.set_actions = source_set_actions,
};

static void source_resource_destroy(struct wl_resource *resource)
{
	struct source *src = wl_resource_get_user_data(resource);
	if (src->m && src->m->selection == src) {
		src->m->selection = NULL;
		struct wl_resource *offer, *tmp;
		wl_resource_for_each_safe(offer, tmp, &src->m->offers) {
			wl_resource_set_user_data(offer, NULL);
			wl_list_remove(wl_resource_get_link(offer));
			wl_list_init(wl_resource_get_link(offer));
		}
		selection_announce(src->m);
	}
	for (int i = 0; i < src->n_mime; i++)
		free(src->mime[i]);
	free(src);
}

static struct source *source_from_resource(struct wl_resource *resource)
{
	if (!resource ||
	    !wl_resource_instance_of(resource, &wl_data_source_interface, &source_impl))
		return NULL;
	return wl_resource_get_user_data(resource);
}

/* --- wl_data_device ---------------------------------------------------------------------- */

static void device_start_drag(struct wl_client *client, struct wl_resource *resource,
			      struct wl_resource *source, struct wl_resource *origin,
			      struct wl_resource *icon, uint32_t serial)
{
	/* Refused: the drag ends before it began. */
	struct source *src = source_from_resource(source);
	if (src && src->used) {
		wl_resource_post_error(resource, WL_DATA_SOURCE_ERROR_INVALID_SOURCE,
				       "the source was used already");
		return;
	}
	if (src) {
		src->used = true;
		wl_data_source_send_cancelled(src->resource);
	}
}

static void device_set_selection(struct wl_client *client, struct wl_resource *resource,
				 struct wl_resource *source, uint32_t serial)
{
	struct hf_data_device_manager *m = wl_resource_get_user_data(resource);
	if (!m)
		return;
	struct source *src = source_from_resource(source);
	if (src && src->used && src != m->selection) {
		wl_resource_post_error(source, WL_DATA_SOURCE_ERROR_INVALID_SOURCE,
				       "the source was used already");
		return;
	}
	/* Only the client with the focus may set it (a background client could otherwise
	 * take the clipboard at any time). */
	if (client != hf_seat_focus_client(m->seat)) {
		if (src) {
			src->used = true;
			wl_data_source_send_cancelled(src->resource);
		}
		return;
	}
	if (src)
		src->used = true;
	selection_set(m, src);
}

static const struct wl_data_device_interface device_impl = {
	.start_drag = device_start_drag,
	.set_selection = device_set_selection,
	.release = resource_destroy,
};

/* --- wl_data_device_manager -------------------------------------------------------------- */

static void manager_create_data_source(struct wl_client *client, struct wl_resource *resource,
				       uint32_t id)
{
	struct hf_data_device_manager *m = wl_resource_get_user_data(resource);
	struct source *src = calloc(1, sizeof(*src));
	if (src)
		src->resource = wl_resource_create(client, &wl_data_source_interface,
						   wl_resource_get_version(resource), id);
	if (!src || !src->resource) {
		free(src);
		wl_client_post_no_memory(client);
		return;
	}
	src->m = m;
	wl_resource_set_implementation(src->resource, &source_impl, src, source_resource_destroy);
}

static void manager_get_data_device(struct wl_client *client, struct wl_resource *resource,
				    uint32_t id, struct wl_resource *seat_resource)
{
	struct hf_data_device_manager *m = wl_resource_get_user_data(resource);
	struct wl_resource *device = wl_resource_create(client, &wl_data_device_interface,
							wl_resource_get_version(resource), id);
	if (!device) {
		wl_client_post_no_memory(client);
		return;
	}
	/* A seat of another kind cannot be: the scanner checks the type. Ours is the one. */
	wl_resource_set_implementation(device, &device_impl, m, unlink_resource);
	wl_list_insert(&m->devices, wl_resource_get_link(device));
	if (client == hf_seat_focus_client(m->seat))
		send_selection(m, device);
}

static const struct wl_data_device_manager_interface manager_impl = {
	.create_data_source = manager_create_data_source,
	.get_data_device = manager_get_data_device,
};

static void manager_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *r =
		wl_resource_create(client, &wl_data_device_manager_interface, version, id);
	if (!r) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(r, &manager_impl, data, NULL);
}

struct hf_data_device_manager *hf_data_device_manager_create(struct hf_compositor *compositor,
							     struct hf_seat *seat)
{
	struct hf_data_device_manager *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->compositor = compositor;
	m->seat = seat;
	wl_list_init(&m->devices);
	wl_list_init(&m->offers);
	m->global = wl_global_create(compositor->display, &wl_data_device_manager_interface,
				     MANAGER_VERSION, m, manager_bind);
	if (!m->global) {
		free(m);
		return NULL;
	}
	m->focus_changed.notify = manager_handle_focus_changed;
	wl_signal_add(hf_seat_focus_signal(seat), &m->focus_changed);
	return m;
}

void hf_data_device_manager_destroy(struct hf_data_device_manager *m)
{
	if (!m)
		return;
	struct wl_resource *r, *tmp;
	wl_resource_for_each_safe(r, tmp, &m->devices) {
		wl_resource_set_user_data(r, NULL);
		wl_list_remove(wl_resource_get_link(r));
		wl_list_init(wl_resource_get_link(r));
	}
	wl_resource_for_each_safe(r, tmp, &m->offers) {
		wl_resource_set_user_data(r, NULL);
		wl_list_remove(wl_resource_get_link(r));
		wl_list_init(wl_resource_get_link(r));
	}
	if (m->selection)
		m->selection->m = NULL;
	wl_list_remove(&m->focus_changed.link);
	wl_global_destroy(m->global);
	free(m);
}
