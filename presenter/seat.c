/* wl_seat, wl_keyboard and wl_pointer, from the output's input (seat.h). */
#define _GNU_SOURCE
#include "seat.h"

#include "buffer.h"
#include "layout.h"
#include "log.h"
#include "output.h"
#include "subsurface.h"
#include "surface.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wayland-server-protocol.h>

#define SEAT_VERSION  7
#define MAX_KEYS_DOWN 32
/* Presses a grab may still name: a client answers its own press long before this many more
 * come (a menu opens on the press or the release that follows it). */
#define GRAB_SERIALS 16

struct hf_seat;

/* One output's input, listened to. */
struct seat_input {
	struct hf_seat *seat;
	struct hf_output *output;
	struct wl_listener input_changed, key, modifiers, pointer;
};

struct hf_seat {
	struct hf_compositor *compositor;
	/* The keyboard's output: the one whose window has the parent's keyboard (the last to
	 * send a key), else the first with a keyboard; its keymap, repeat and modifiers. */
	struct hf_output *output;
	struct hf_output *pointer_output; /* where the pointer is (x, y are on it) */
	struct seat_input inputs[HF_SEAT_MAX_OUTPUTS];
	int n_inputs;
	struct wl_global *global;
	struct wl_list seats;     /* wl_resource link: wl_seat */
	struct wl_list keyboards; /* wl_resource link: wl_keyboard */
	struct wl_list pointers;  /* wl_resource link: wl_pointer */
	uint32_t caps, ever_caps;
	char *keymap_text; /* a copy of the keymap the fd holds; NULL: none */
	int keymap_fd;     /* sealed memfd; -1: none */
	uint32_t keymap_size;
	uint32_t keys[MAX_KEYS_DOWN]; /* forwarded and still down */
	int n_keys;
	/* Keyboard focus: the window chosen (kept while the parent's keyboard is elsewhere),
	 * and whether its client was told. */
	struct hf_surface *focus;
	bool focus_entered;
	struct hf_surface *newest; /* the newest window seen: a new one takes the focus */
	struct hf_surface *hover;  /* the pointer's surface; NULL: none */
	int buttons;               /* down, sent to hover: it keeps the pointer */
	double x, y;               /* the pointer, in output pixels */
	bool pointer_in;
	/* The serials of the last button and key presses sent, and the client they went to: a
	 * ring, next_grab_serial its next slot. A client's go when its last wl_seat does. */
	struct {
		uint32_t serial;
		struct wl_client *client; /* NULL: an empty slot */
	} grab_serials[GRAB_SERIALS];
	unsigned next_grab_serial;
	struct wl_listener focus_destroy, hover_destroy, newest_destroy;
	struct wl_listener windows_changed, grab_changed;
	struct wl_signal focus_changed;
};

static void resource_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void unlink_resource(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

static struct wl_client *surface_client(const struct hf_surface *surface)
{
	return wl_resource_get_client(surface->resource);
}

static uint32_t next_serial(struct hf_seat *seat)
{
	return wl_display_next_serial(seat->compositor->display);
}

/* A press went to client with serial: a grab may name it. */
static void remember_press(struct hf_seat *seat, struct wl_client *client, uint32_t serial)
{
	seat->grab_serials[seat->next_grab_serial].serial = serial;
	seat->grab_serials[seat->next_grab_serial].client = client;
	seat->next_grab_serial = (seat->next_grab_serial + 1) % GRAB_SERIALS;
}

bool hf_seat_grab_serial_valid(const struct hf_seat *seat, struct wl_client *client,
			       uint32_t serial)
{
	for (int i = 0; i < GRAB_SERIALS; i++)
		if (seat->grab_serials[i].client == client &&
		    seat->grab_serials[i].serial == serial)
			return true;
	return false;
}

struct hf_surface *hf_seat_focus(const struct hf_seat *seat)
{
	return seat->focus;
}

/* Watches a surface pointer that the surface's end clears. On the wl_resource's own destroy
 * signal, which runs before the surface's: a handler of the surface's may change the focus
 * (hide a window), and a listener must not go from a signal while it is emitted. */
static void watch(struct wl_listener *listener, struct hf_surface **slot,
		  struct hf_surface *surface)
{
	if (*slot)
		wl_list_remove(&listener->link);
	*slot = surface;
	if (surface)
		wl_resource_add_destroy_listener(surface->resource, listener);
}

/* --- keyboard ---------------------------------------------------------------------------- */

static void send_modifiers_to(struct hf_seat *seat, struct wl_resource *kb)
{
	const struct hf_output_modifiers_event *m = &seat->output->input.modifiers;
	wl_keyboard_send_modifiers(kb, next_serial(seat), m->depressed, m->latched, m->locked,
				   m->group);
}

static void keyboard_enter_leave(struct hf_seat *seat, bool enter)
{
	if (!seat->focus || seat->focus_entered == enter)
		return;
	seat->focus_entered = enter;
	struct wl_client *client = surface_client(seat->focus);
	struct wl_array keys;
	wl_array_init(&keys);
	if (enter) {
		uint32_t *k = wl_array_add(&keys, sizeof(uint32_t) * (size_t)seat->n_keys);
		if (k)
			memcpy(k, seat->keys, sizeof(uint32_t) * (size_t)seat->n_keys);
	}
	struct wl_resource *kb;
	wl_resource_for_each(kb, &seat->keyboards) {
		if (wl_resource_get_client(kb) != client)
			continue;
		if (enter) {
			wl_keyboard_send_enter(kb, next_serial(seat), seat->focus->resource, &keys);
			send_modifiers_to(seat, kb);
		} else {
			wl_keyboard_send_leave(kb, next_serial(seat), seat->focus->resource);
		}
	}
	wl_array_release(&keys);
}

/* Whether the parent gives any of the outputs its keyboard. */
static bool keyboard_focus_anywhere(const struct hf_seat *seat)
{
	for (int i = 0; i < seat->n_inputs; i++)
		if (seat->inputs[i].output->input.keyboard_focus)
			return true;
	return false;
}

static void keyboard_sync_focus(struct hf_seat *seat)
{
	keyboard_enter_leave(seat, keyboard_focus_anywhere(seat) &&
					   (seat->caps & WL_SEAT_CAPABILITY_KEYBOARD));
}

/* The shell tells the client whether its window has the focus (xdg_toplevel's activated). */
static void window_activate(struct hf_seat *seat, struct hf_surface *surface, bool activated)
{
	/* A popup's focus is its window's. */
	surface = surface ? hf_subsurface_root(surface) : NULL;
	struct hf_window *window;
	wl_list_for_each(window, &seat->compositor->windows, link)
		if (surface && window->surface == surface && window->set_activated)
			window->set_activated(window, activated);
}

static void set_focus(struct hf_seat *seat, struct hf_surface *surface)
{
	if (surface == seat->focus)
		return;
	keyboard_enter_leave(seat, false);
	struct wl_client *before = seat->focus ? surface_client(seat->focus) : NULL;
	struct hf_surface *old_root = seat->focus ? hf_subsurface_root(seat->focus) : NULL;
	if (!surface || old_root != hf_subsurface_root(surface)) {
		window_activate(seat, seat->focus, false);
		window_activate(seat, surface, true);
	}
	watch(&seat->focus_destroy, &seat->focus, surface);
	seat->focus_entered = false;
	keyboard_sync_focus(seat);
	if ((surface ? surface_client(surface) : NULL) != before)
		wl_signal_emit(&seat->focus_changed, seat);
}

struct wl_client *hf_seat_focus_client(struct hf_seat *seat)
{
	return seat->focus ? surface_client(seat->focus) : NULL;
}

struct wl_signal *hf_seat_focus_signal(struct hf_seat *seat)
{
	return &seat->focus_changed;
}

static const struct wl_seat_interface seat_impl;

struct hf_seat *hf_seat_from_resource(struct wl_resource *resource)
{
	if (!wl_resource_instance_of(resource, &wl_seat_interface, &seat_impl))
		return NULL;
	return wl_resource_get_user_data(resource);
}

static void seat_handle_focus_destroy(struct wl_listener *listener, void *data)
{
	struct hf_seat *seat = wl_container_of(listener, seat, focus_destroy);
	wl_list_remove(&listener->link);
	seat->focus = NULL;
	seat->focus_entered = false;
	wl_signal_emit(&seat->focus_changed, seat);
}

static void send_keymap(struct hf_seat *seat, struct wl_resource *kb)
{
	if (seat->keymap_fd >= 0)
		wl_keyboard_send_keymap(kb, WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1, seat->keymap_fd,
					seat->keymap_size);
	else
		wl_keyboard_send_keymap(kb, WL_KEYBOARD_KEYMAP_FORMAT_NO_KEYMAP, -1, 0);
}

static void send_repeat(struct hf_seat *seat, struct wl_resource *kb)
{
	if (wl_resource_get_version(kb) >= WL_KEYBOARD_REPEAT_INFO_SINCE_VERSION)
		wl_keyboard_send_repeat_info(kb, seat->output->input.repeat_rate,
					     seat->output->input.repeat_delay);
}

/* The output's keymap in a sealed memfd that clients map privately (wl_seat 7). */
static void keymap_update(struct hf_seat *seat)
{
	const char *text = seat->output->input.keymap;
	/* Outputs in one parent have the same keymap: moving between them sends none. */
	if (!text || (seat->keymap_text && !strcmp(text, seat->keymap_text)))
		return;
	if (seat->keymap_fd >= 0)
		close(seat->keymap_fd);
	seat->keymap_fd = -1;
	free(seat->keymap_text);
	seat->keymap_text = strdup(text);
	if (seat->keymap_text) {
		size_t size = strlen(text) + 1;
		int fd = memfd_create("handoff-keymap", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		if (fd >= 0 && write(fd, text, size) == (ssize_t)size &&
		    fcntl(fd, F_ADD_SEALS,
			  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) == 0) {
			seat->keymap_fd = fd;
			seat->keymap_size = (uint32_t)size;
		} else {
			hf_log_errno(HF_LOG_ERROR, "cannot pass the keymap on");
			if (fd >= 0)
				close(fd);
		}
	}
	struct wl_resource *kb;
	wl_resource_for_each(kb, &seat->keyboards)
		send_keymap(seat, kb);
}

static void keys_update(struct hf_seat *seat, uint32_t key, bool down)
{
	for (int i = 0; i < seat->n_keys; i++) {
		if (seat->keys[i] == key) {
			if (!down)
				seat->keys[i] = seat->keys[--seat->n_keys];
			return;
		}
	}
	if (down && seat->n_keys < MAX_KEYS_DOWN)
		seat->keys[seat->n_keys++] = key;
}

/* The output that sends keys has the parent's keyboard: its keymap and modifiers are the
 * seat's. */
static void keyboard_output_set(struct hf_seat *seat, struct hf_output *output)
{
	if (seat->output == output)
		return;
	seat->output = output;
	keymap_update(seat);
}

static void seat_handle_key(struct wl_listener *listener, void *data)
{
	struct seat_input *input = wl_container_of(listener, input, key);
	struct hf_seat *seat = input->seat;
	const struct hf_output_key_event *event = data;
	keyboard_output_set(seat, input->output);
	keys_update(seat, event->key, event->state == WL_KEYBOARD_KEY_STATE_PRESSED);
	if (!seat->focus || !seat->focus_entered)
		return;
	struct wl_client *client = surface_client(seat->focus);
	uint32_t serial = next_serial(seat);
	bool sent = false;
	struct wl_resource *kb;
	wl_resource_for_each(kb, &seat->keyboards) {
		if (wl_resource_get_client(kb) == client) {
			wl_keyboard_send_key(kb, serial, event->time_ms, event->key, event->state);
			sent = true;
		}
	}
	if (sent && event->state == WL_KEYBOARD_KEY_STATE_PRESSED)
		remember_press(seat, client, serial);
}

static void seat_handle_modifiers(struct wl_listener *listener, void *data)
{
	struct seat_input *input = wl_container_of(listener, input, modifiers);
	struct hf_seat *seat = input->seat;
	keyboard_output_set(seat, input->output);
	if (!seat->focus || !seat->focus_entered)
		return;
	struct wl_client *client = surface_client(seat->focus);
	struct wl_resource *kb;
	wl_resource_for_each(kb, &seat->keyboards)
		if (wl_resource_get_client(kb) == client)
			send_modifiers_to(seat, kb);
}

static const struct wl_keyboard_interface keyboard_impl = {.release = resource_destroy};

/* --- pointer ----------------------------------------------------------------------------- */

/* A walk over a window's surface tree: the topmost surface under x, y, or where want is. */
struct hit {
	struct hf_box root_box;
	const struct hf_buffer *root;
	double x, y;
	struct hf_surface *want; /* NULL: the one under x, y */
	struct hf_surface *found;
	double sx, sy; /* x, y in found's surface coordinates */
};

static void hit_visit(struct hf_surface *surface, int32_t x, int32_t y, void *data)
{
	struct hit *h = data;
	const struct hf_buffer *b = surface->current->buffer;
	struct hf_box box;
	hf_layout_tree_box(&h->root_box, h->root, x, y, b, &box);
	if (box.width <= 0 || box.height <= 0)
		return;
	bool inside = h->x >= box.x && h->y >= box.y && h->x < box.x + box.width &&
		      h->y < box.y + box.height;
	if (h->want ? surface != h->want : !inside)
		return;
	/* Bottom to top: the last one found is the topmost. */
	h->found = surface;
	h->sx = (h->x - box.x) * b->width / box.width;
	h->sy = (h->y - box.y) * b->height / box.height;
}

/* The surface under x, y (want NULL), or want, with x, y in its surface coordinates. */
static struct hf_surface *surface_find(struct hf_seat *seat, double x, double y,
				       struct hf_surface *want, double *sx, double *sy)
{
	struct hf_output *o = seat->pointer_output;
	struct hf_window *window;
	wl_list_for_each_reverse(window, &seat->compositor->windows, link) {
		struct hit h = {.x = x, .y = y, .want = want};
		if (!hf_layout_box(seat->compositor, o->width, o->height, window, &h.root_box))
			continue;
		h.root = window->surface->current->buffer;
		hf_surface_tree_for_each(window->surface, hit_visit, &h);
		if (h.found) {
			*sx = h.sx;
			*sy = h.sy;
			return h.found;
		}
	}
	return NULL;
}

static struct hf_surface *surface_at(struct hf_seat *seat, double x, double y, double *sx,
				     double *sy)
{
	return surface_find(seat, x, y, NULL, sx, sy);
}

static void pointers_frame(struct hf_seat *seat, struct wl_client *client)
{
	struct wl_resource *p;
	wl_resource_for_each(p, &seat->pointers)
		if (wl_resource_get_client(p) == client &&
		    wl_resource_get_version(p) >= WL_POINTER_FRAME_SINCE_VERSION)
			wl_pointer_send_frame(p);
}

/* Moves the pointer's focus to surface (NULL: none), entering it at sx, sy. */
static void set_hover(struct hf_seat *seat, struct hf_surface *surface, double sx, double sy)
{
	if (surface == seat->hover)
		return;
	struct wl_resource *p;
	if (seat->hover) {
		struct wl_client *client = surface_client(seat->hover);
		uint32_t serial = next_serial(seat);
		wl_resource_for_each(p, &seat->pointers)
			if (wl_resource_get_client(p) == client)
				wl_pointer_send_leave(p, serial, seat->hover->resource);
		pointers_frame(seat, client);
	}
	watch(&seat->hover_destroy, &seat->hover, surface);
	seat->buttons = 0;
	if (surface) {
		struct wl_client *client = surface_client(surface);
		uint32_t serial = next_serial(seat);
		wl_resource_for_each(p, &seat->pointers)
			if (wl_resource_get_client(p) == client)
				wl_pointer_send_enter(p, serial, surface->resource,
						      wl_fixed_from_double(sx),
						      wl_fixed_from_double(sy));
		pointers_frame(seat, client);
	}
}

static void seat_handle_hover_destroy(struct wl_listener *listener, void *data)
{
	struct hf_seat *seat = wl_container_of(listener, seat, hover_destroy);
	wl_list_remove(&listener->link);
	seat->hover = NULL;
	seat->buttons = 0;
}

/* The pointer is at x, y (output pixels): enter, leave or motion. */
static void pointer_moved(struct hf_seat *seat, uint32_t time_ms)
{
	double sx = 0, sy = 0;
	struct hf_surface *under =
		seat->pointer_in ? surface_at(seat, seat->x, seat->y, &sx, &sy) : NULL;
	if (seat->buttons > 0 && seat->hover) {
		/* Held by the button: motion stays with the surface, in its coordinates. */
		if (under != seat->hover)
			surface_find(seat, seat->x, seat->y, seat->hover, &sx, &sy);
		under = seat->hover;
	} else if (under != seat->hover) {
		set_hover(seat, under, sx, sy);
		return;
	}
	if (!under)
		return;
	struct wl_client *client = surface_client(under);
	struct wl_resource *p;
	wl_resource_for_each(p, &seat->pointers)
		if (wl_resource_get_client(p) == client)
			wl_pointer_send_motion(p, time_ms, wl_fixed_from_double(sx),
					       wl_fixed_from_double(sy));
}

/* Whether surface lies in a popup of the grab's chain: the grabbing popup, or one below it. */
static bool in_grab_chain(const struct hf_popup_grab *grab, struct hf_surface *surface)
{
	/* The popup surface lies in: up through its subsurfaces. */
	while (surface && !surface->popup && surface->subsurface)
		surface = surface->subsurface->parent;
	if (!surface || !surface->popup)
		return false;
	for (struct hf_surface *p = grab->surface; p && p->popup; p = p->popup->parent)
		if (p == surface)
			return true;
	return false;
}

static void seat_handle_pointer(struct wl_listener *listener, void *data)
{
	struct seat_input *input = wl_container_of(listener, input, pointer);
	struct hf_seat *seat = input->seat;
	const struct hf_output_pointer_event *e = data;
	switch (e->kind) {
	case HF_POINTER_ENTER:
	case HF_POINTER_MOTION:
		if (input->output != seat->pointer_output) {
			/* Into another output's window: whatever was held there is let go. */
			seat->buttons = 0;
			seat->pointer_output = input->output;
		}
		seat->pointer_in = true;
		seat->x = e->x;
		seat->y = e->y;
		pointer_moved(seat, e->time_ms);
		return;
	case HF_POINTER_LEAVE:
		if (input->output != seat->pointer_output)
			return; /* it is in another output's window already */
		seat->pointer_in = false;
		set_hover(seat, NULL, 0, 0);
		return;
	default:
		break;
	}
	if (!seat->hover)
		return;
	struct wl_client *client = surface_client(seat->hover);
	if (e->kind == HF_POINTER_BUTTON) {
		if (e->state == WL_POINTER_BUTTON_STATE_PRESSED) {
			seat->buttons++;
			struct hf_popup_grab *grab = seat->compositor->grab;
			/* A click outside a grab's popups dismisses the topmost one; inside, the
			 * keyboard stays with the grab. Else it follows clicks, to the window. */
			if (grab && !in_grab_chain(grab, seat->hover))
				grab->dismiss(grab);
			if (!seat->compositor->grab)
				set_focus(seat, hf_subsurface_root(seat->hover));
			if (!seat->hover)
				return; /* the dismissal took it */
			client = surface_client(seat->hover);
		} else if (seat->buttons > 0) {
			seat->buttons--;
		}
	}
	uint32_t serial = e->kind == HF_POINTER_BUTTON ? next_serial(seat) : 0;
	bool pressed = false;
	struct wl_resource *p;
	wl_resource_for_each(p, &seat->pointers) {
		if (wl_resource_get_client(p) != client)
			continue;
		int version = wl_resource_get_version(p);
		switch (e->kind) {
		case HF_POINTER_BUTTON:
			wl_pointer_send_button(p, serial, e->time_ms, e->button, e->state);
			pressed = e->state == WL_POINTER_BUTTON_STATE_PRESSED;
			break;
		case HF_POINTER_AXIS:
			wl_pointer_send_axis(p, e->time_ms, e->axis,
					     wl_fixed_from_double(e->value));
			break;
		case HF_POINTER_FRAME:
			if (version >= WL_POINTER_FRAME_SINCE_VERSION)
				wl_pointer_send_frame(p);
			break;
		case HF_POINTER_AXIS_SOURCE:
			if (version >= WL_POINTER_AXIS_SOURCE_SINCE_VERSION)
				wl_pointer_send_axis_source(p, e->source);
			break;
		case HF_POINTER_AXIS_STOP:
			if (version >= WL_POINTER_AXIS_STOP_SINCE_VERSION)
				wl_pointer_send_axis_stop(p, e->time_ms, e->axis);
			break;
		case HF_POINTER_AXIS_DISCRETE:
			if (version >= WL_POINTER_AXIS_DISCRETE_SINCE_VERSION)
				wl_pointer_send_axis_discrete(p, e->axis, e->discrete);
			break;
		default:
			break;
		}
	}
	if (pressed)
		remember_press(seat, client, serial);
	/* A release ended a button's hold outside the surface: the pointer goes where it is. */
	if (e->kind == HF_POINTER_BUTTON && seat->buttons == 0)
		pointer_moved(seat, e->time_ms);
}

static void pointer_set_cursor(struct wl_client *client, struct wl_resource *resource,
			       uint32_t serial, struct wl_resource *surface, int32_t x, int32_t y)
{
	/* The parent draws its own cursor over the window. */
}

static const struct wl_pointer_interface pointer_impl = {
	.set_cursor = pointer_set_cursor,
	.release = resource_destroy,
};

/* --- wl_seat ----------------------------------------------------------------------------- */

static bool device_create(struct hf_seat *seat, struct wl_resource *seat_resource, uint32_t id,
			  uint32_t cap, const struct wl_interface *iface, const void *impl,
			  struct wl_list *list, struct wl_resource **out)
{
	struct wl_client *client = wl_resource_get_client(seat_resource);
	if (!(seat->ever_caps & cap)) {
		wl_resource_post_error(seat_resource, WL_SEAT_ERROR_MISSING_CAPABILITY,
				       "the seat has never had a %s", iface->name + 3);
		return false;
	}
	struct wl_resource *r =
		wl_resource_create(client, iface, wl_resource_get_version(seat_resource), id);
	if (!r) {
		wl_client_post_no_memory(client);
		return false;
	}
	wl_resource_set_implementation(r, impl, seat, unlink_resource);
	wl_list_insert(list, wl_resource_get_link(r));
	*out = r;
	return true;
}

static void seat_get_pointer(struct wl_client *client, struct wl_resource *resource, uint32_t id)
{
	struct hf_seat *seat = wl_resource_get_user_data(resource);
	struct wl_resource *p;
	if (!device_create(seat, resource, id, WL_SEAT_CAPABILITY_POINTER, &wl_pointer_interface,
			   &pointer_impl, &seat->pointers, &p))
		return;
	if (seat->hover && surface_client(seat->hover) == client) {
		double sx = 0, sy = 0;
		surface_find(seat, seat->x, seat->y, seat->hover, &sx, &sy);
		wl_pointer_send_enter(p, next_serial(seat), seat->hover->resource,
				      wl_fixed_from_double(sx), wl_fixed_from_double(sy));
		if (wl_resource_get_version(p) >= WL_POINTER_FRAME_SINCE_VERSION)
			wl_pointer_send_frame(p);
	}
}

static void seat_get_keyboard(struct wl_client *client, struct wl_resource *resource, uint32_t id)
{
	struct hf_seat *seat = wl_resource_get_user_data(resource);
	struct wl_resource *kb;
	if (!device_create(seat, resource, id, WL_SEAT_CAPABILITY_KEYBOARD, &wl_keyboard_interface,
			   &keyboard_impl, &seat->keyboards, &kb))
		return;
	send_keymap(seat, kb);
	send_repeat(seat, kb);
	if (seat->focus && seat->focus_entered && surface_client(seat->focus) == client) {
		struct wl_array keys;
		wl_array_init(&keys);
		wl_keyboard_send_enter(kb, next_serial(seat), seat->focus->resource, &keys);
		wl_array_release(&keys);
		send_modifiers_to(seat, kb);
	}
}

static void seat_get_touch(struct wl_client *client, struct wl_resource *resource, uint32_t id)
{
	wl_resource_post_error(resource, WL_SEAT_ERROR_MISSING_CAPABILITY,
			       "the seat has never had a touch device");
}

static const struct wl_seat_interface seat_impl = {
	.get_pointer = seat_get_pointer,
	.get_keyboard = seat_get_keyboard,
	.get_touch = seat_get_touch,
	.release = resource_destroy,
};

/* The client's presses are forgotten with its last wl_seat: no grab can name them then, and
 * the client pointer may be reused. */
static void seat_resource_destroy(struct wl_resource *resource)
{
	struct hf_seat *seat = wl_resource_get_user_data(resource);
	struct wl_client *client = wl_resource_get_client(resource);
	unlink_resource(resource);
	if (!seat)
		return;
	struct wl_resource *r;
	wl_resource_for_each(r, &seat->seats)
		if (wl_resource_get_client(r) == client)
			return;
	for (int i = 0; i < GRAB_SERIALS; i++)
		if (seat->grab_serials[i].client == client)
			seat->grab_serials[i].client = NULL;
}

static void seat_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct hf_seat *seat = data;
	struct wl_resource *r = wl_resource_create(client, &wl_seat_interface, version, id);
	if (!r) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(r, &seat_impl, seat, seat_resource_destroy);
	wl_list_insert(&seat->seats, wl_resource_get_link(r));
	wl_seat_send_capabilities(r, seat->caps);
	if (version >= WL_SEAT_NAME_SINCE_VERSION)
		wl_seat_send_name(r, "seat0");
}

/* The seat's capabilities: every output's pointer and keyboard (one with a keymap: without, a
 * keyboard is of no use to a client yet). */
static uint32_t seat_caps(const struct hf_seat *seat)
{
	uint32_t caps = 0;
	for (int i = 0; i < seat->n_inputs; i++) {
		const struct hf_output_input *in = &seat->inputs[i].output->input;
		caps |= in->caps & WL_SEAT_CAPABILITY_POINTER;
		if ((in->caps & WL_SEAT_CAPABILITY_KEYBOARD) && in->keymap)
			caps |= WL_SEAT_CAPABILITY_KEYBOARD;
	}
	return caps;
}

/* The keyboard's output when keys have not said: one with the parent's keyboard, else the
 * first with a keymap. */
static struct hf_output *keyboard_output_guess(const struct hf_seat *seat)
{
	for (int i = 0; i < seat->n_inputs; i++)
		if (seat->inputs[i].output->input.keyboard_focus &&
		    seat->inputs[i].output->input.keymap)
			return seat->inputs[i].output;
	if (seat->output->input.keymap)
		return seat->output;
	for (int i = 0; i < seat->n_inputs; i++)
		if (seat->inputs[i].output->input.keymap)
			return seat->inputs[i].output;
	return seat->output;
}

static void seat_update_input(struct hf_seat *seat)
{
	uint32_t caps = seat_caps(seat);
	seat->output = keyboard_output_guess(seat);
	keymap_update(seat);
	struct wl_resource *r;
	wl_resource_for_each(r, &seat->keyboards)
		send_repeat(seat, r);
	if (caps != seat->caps) {
		if (!(caps & WL_SEAT_CAPABILITY_POINTER))
			set_hover(seat, NULL, 0, 0);
		if (!(caps & WL_SEAT_CAPABILITY_KEYBOARD))
			keyboard_enter_leave(seat, false);
		seat->caps = caps;
		seat->ever_caps |= caps;
		wl_resource_for_each(r, &seat->seats)
			wl_seat_send_capabilities(r, caps);
	}
	if (!keyboard_focus_anywhere(seat))
		seat->n_keys = 0;
	keyboard_sync_focus(seat);
}

static void seat_handle_input_changed(struct wl_listener *listener, void *data)
{
	struct seat_input *input = wl_container_of(listener, input, input_changed);
	seat_update_input(input->seat);
}

static void seat_handle_newest_destroy(struct wl_listener *listener, void *data)
{
	struct hf_seat *seat = wl_container_of(listener, seat, newest_destroy);
	wl_list_remove(&listener->link);
	seat->newest = NULL;
}

/* A new window takes the keyboard; a focused window that went gives it to the newest. */
static void seat_handle_windows_changed(struct wl_listener *listener, void *data)
{
	struct hf_seat *seat = wl_container_of(listener, seat, windows_changed);
	struct wl_list *windows = &seat->compositor->windows;
	struct hf_window *newest =
		wl_list_empty(windows) ? NULL : wl_container_of(windows->prev, newest, link);
	struct hf_surface *surface = newest ? newest->surface : NULL;
	bool focus_shown = false;
	struct hf_surface *focus_root = seat->focus ? hf_subsurface_root(seat->focus) : NULL;
	struct hf_window *w;
	wl_list_for_each(w, windows, link)
		focus_shown |= w->surface == focus_root;
	if (surface != seat->newest || !focus_shown)
		set_focus(seat, surface);
	watch(&seat->newest_destroy, &seat->newest, surface);
	/* Windows moved under the pointer. */
	if (seat->buttons == 0)
		pointer_moved(seat, 0);
}

/* A popup grab began or ended: the keyboard goes where the shell says. */
static void seat_handle_grab_changed(struct wl_listener *listener, void *data)
{
	struct hf_seat *seat = wl_container_of(listener, seat, grab_changed);
	struct hf_surface *focus = data;
	if (!focus && !wl_list_empty(&seat->compositor->windows)) {
		struct hf_window *newest =
			wl_container_of(seat->compositor->windows.prev, newest, link);
		focus = newest->surface;
	}
	set_focus(seat, focus);
}

struct hf_seat *hf_seat_create(struct hf_compositor *compositor, struct hf_output *const *outputs,
			       int n_outputs)
{
	if (n_outputs < 1 || n_outputs > HF_SEAT_MAX_OUTPUTS)
		return NULL;
	struct hf_seat *seat = calloc(1, sizeof(*seat));
	if (!seat)
		return NULL;
	seat->compositor = compositor;
	seat->output = seat->pointer_output = outputs[0];
	seat->keymap_fd = -1;
	wl_list_init(&seat->seats);
	wl_list_init(&seat->keyboards);
	wl_list_init(&seat->pointers);
	wl_signal_init(&seat->focus_changed);
	seat->global = wl_global_create(compositor->display, &wl_seat_interface, SEAT_VERSION, seat,
					seat_bind);
	if (!seat->global) {
		free(seat);
		return NULL;
	}
	seat->focus_destroy.notify = seat_handle_focus_destroy;
	seat->hover_destroy.notify = seat_handle_hover_destroy;
	seat->newest_destroy.notify = seat_handle_newest_destroy;
	for (int i = 0; i < n_outputs; i++) {
		struct seat_input *in = &seat->inputs[seat->n_inputs++];
		struct hf_output *output = outputs[i];
		in->seat = seat;
		in->output = output;
		in->input_changed.notify = seat_handle_input_changed;
		wl_signal_add(&output->events.input_changed, &in->input_changed);
		in->key.notify = seat_handle_key;
		wl_signal_add(&output->events.key, &in->key);
		in->modifiers.notify = seat_handle_modifiers;
		wl_signal_add(&output->events.modifiers, &in->modifiers);
		in->pointer.notify = seat_handle_pointer;
		wl_signal_add(&output->events.pointer, &in->pointer);
	}
	seat->windows_changed.notify = seat_handle_windows_changed;
	wl_signal_add(&compositor->events.windows_changed, &seat->windows_changed);
	seat->grab_changed.notify = seat_handle_grab_changed;
	wl_signal_add(&compositor->events.grab_changed, &seat->grab_changed);
	/* The outputs may have their input already (a nested output binds the parent's seat
	 * before we exist). */
	seat_update_input(seat);
	return seat;
}

static void make_inert(struct wl_list *list)
{
	struct wl_resource *r, *tmp;
	wl_resource_for_each_safe(r, tmp, list) {
		wl_resource_set_user_data(r, NULL);
		wl_list_remove(wl_resource_get_link(r));
		wl_list_init(wl_resource_get_link(r));
	}
}

void hf_seat_destroy(struct hf_seat *seat)
{
	if (!seat)
		return;
	watch(&seat->focus_destroy, &seat->focus, NULL);
	watch(&seat->hover_destroy, &seat->hover, NULL);
	watch(&seat->newest_destroy, &seat->newest, NULL);
	make_inert(&seat->seats);
	make_inert(&seat->keyboards);
	make_inert(&seat->pointers);
	for (int i = 0; i < seat->n_inputs; i++) {
		struct seat_input *in = &seat->inputs[i];
		wl_list_remove(&in->input_changed.link);
		wl_list_remove(&in->key.link);
		wl_list_remove(&in->modifiers.link);
		wl_list_remove(&in->pointer.link);
	}
	free(seat->keymap_text);
	wl_list_remove(&seat->windows_changed.link);
	wl_list_remove(&seat->grab_changed.link);
	if (seat->keymap_fd >= 0)
		close(seat->keymap_fd);
	wl_global_destroy(seat->global);
	free(seat);
}
