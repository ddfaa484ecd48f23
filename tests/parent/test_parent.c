/*
 * handoff-test-parent: a tiny parent compositor for tests of the nested presenter. It shows
 * nothing; it paces frame callbacks at --refresh, answers presentation feedback (or, with
 * --no-feedback, never: as sway 1.7 headless does), and has a seat with a keyboard and a pointer
 * whose input a script (--input) plays into the first toplevel once it has shown a buffer.
 * With -- COMMAND it runs COMMAND as its client and exits with its status.
 */
#define _GNU_SOURCE
#include "presentation-time-server-protocol.h"
#include "xdg-shell-server-protocol.h"

#include <errno.h>
#include <linux/input-event-codes.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wayland-server.h>
#include <xkbcommon/xkbcommon.h>

extern char **environ;

struct parent {
	struct wl_display *display;
	struct wl_event_loop *loop;
	struct wl_event_source *tick, *script_timer;
	int refresh_hz;
	bool no_feedback;
	int32_t width, height;
	struct wl_list surfaces;  /* surface::link */
	struct wl_list keyboards; /* wl_resource link */
	struct wl_list pointers;  /* wl_resource link */
	struct xkb_context *xkb;
	struct xkb_keymap *keymap;
	struct xkb_state *state;
	char *keymap_text;
	char *script;      /* the rest of --input still to play; NULL: none */
	char *script_text; /* all of it, to free */
	struct wl_event_source *signals[3];
	struct surface *target; /* the toplevel input goes to; NULL until it shows a buffer */
	bool entered;
	pid_t child;
	int exit_code;
	unsigned long commits, callbacks, feedbacks_asked, feedbacks_answered;
};

struct surface {
	struct parent *parent;
	struct wl_resource *resource;
	struct wl_list link;
	struct wl_resource *pending_buffer, *buffer;
	bool pending_attached, toplevel, configured;
	struct wl_resource *xdg_surface, *xdg_toplevel;
	struct wl_list pending_callbacks, callbacks; /* wl_resource link */
	struct wl_list pending_feedback, feedback;   /* wl_resource link */
	struct wl_listener buffer_destroy;
};

static struct parent P;

static uint32_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void resource_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void unlink_resource(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

/* --- wl_surface -------------------------------------------------------------------------- */

static void buffer_handle_destroy(struct wl_listener *listener, void *data)
{
	struct surface *s = wl_container_of(listener, s, buffer_destroy);
	s->buffer = NULL;
	wl_list_remove(&s->buffer_destroy.link);
	wl_list_init(&s->buffer_destroy.link);
}

static void surface_attach(struct wl_client *client, struct wl_resource *resource,
			   struct wl_resource *buffer, int32_t x, int32_t y)
{
	struct surface *s = wl_resource_get_user_data(resource);
	s->pending_buffer = buffer;
	s->pending_attached = true;
}

static void surface_damage(struct wl_client *client, struct wl_resource *resource, int32_t x,
			   int32_t y, int32_t w, int32_t h)
{
}

static void surface_frame(struct wl_client *client, struct wl_resource *resource, uint32_t id)
{
	struct surface *s = wl_resource_get_user_data(resource);
	struct wl_resource *cb = wl_resource_create(client, &wl_callback_interface, 1, id);
	if (!cb) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(cb, NULL, NULL, unlink_resource);
	wl_list_insert(s->pending_callbacks.prev, wl_resource_get_link(cb));
}

static void surface_set_region(struct wl_client *client, struct wl_resource *resource,
			       struct wl_resource *region)
{
}

static void send_configure(struct surface *s)
{
	struct wl_array states;
	wl_array_init(&states);
	xdg_toplevel_send_configure(s->xdg_toplevel, P.width, P.height, &states);
	wl_array_release(&states);
	xdg_surface_send_configure(s->xdg_surface, wl_display_next_serial(P.display));
}

static void script_start(void);

static void surface_commit(struct wl_client *client, struct wl_resource *resource)
{
	struct surface *s = wl_resource_get_user_data(resource);
	if (s->pending_attached) {
		/* The shown buffer goes back once another replaces it. */
		if (s->buffer && s->buffer != s->pending_buffer) {
			wl_buffer_send_release(s->buffer);
			wl_list_remove(&s->buffer_destroy.link);
			wl_list_init(&s->buffer_destroy.link);
		}
		if (s->pending_buffer && s->pending_buffer != s->buffer) {
			s->buffer = s->pending_buffer;
			wl_resource_add_destroy_listener(s->buffer, &s->buffer_destroy);
		} else if (!s->pending_buffer) {
			s->buffer = NULL;
		}
		s->pending_attached = false;
		P.commits++;
	}
	/* Feedback of a commit replaced before the next tick is discarded. */
	struct wl_resource *fb, *tmp;
	wl_resource_for_each_safe(fb, tmp, &s->feedback) {
		if (!P.no_feedback) {
			wp_presentation_feedback_send_discarded(fb);
			P.feedbacks_answered++;
			wl_resource_destroy(fb);
		}
	}
	wl_list_insert_list(s->callbacks.prev, &s->pending_callbacks);
	wl_list_init(&s->pending_callbacks);
	wl_list_insert_list(s->feedback.prev, &s->pending_feedback);
	wl_list_init(&s->pending_feedback);
	if (s->toplevel && !s->configured) {
		s->configured = true;
		send_configure(s);
	}
	if (s->toplevel && s->buffer && !P.target) {
		P.target = s;
		script_start();
	}
}

static void surface_set_int(struct wl_client *client, struct wl_resource *resource, int32_t v)
{
}

static const struct wl_surface_interface surface_impl = {
	.destroy = resource_destroy,
	.attach = surface_attach,
	.damage = surface_damage,
	.frame = surface_frame,
	.set_opaque_region = surface_set_region,
	.set_input_region = surface_set_region,
	.commit = surface_commit,
	.set_buffer_transform = surface_set_int,
	.set_buffer_scale = surface_set_int,
	.damage_buffer = surface_damage,
};

static void destroy_list(struct wl_list *list)
{
	struct wl_resource *r, *tmp;
	wl_resource_for_each_safe(r, tmp, list)
		wl_resource_destroy(r);
}

static void surface_handle_destroy(struct wl_resource *resource)
{
	struct surface *s = wl_resource_get_user_data(resource);
	if (P.target == s)
		P.target = NULL;
	destroy_list(&s->pending_callbacks);
	destroy_list(&s->callbacks);
	destroy_list(&s->pending_feedback);
	destroy_list(&s->feedback);
	wl_list_remove(&s->buffer_destroy.link);
	wl_list_remove(&s->link);
	free(s);
}

static void compositor_create_surface(struct wl_client *client, struct wl_resource *resource,
				      uint32_t id)
{
	struct surface *s = calloc(1, sizeof(*s));
	if (s)
		s->resource = wl_resource_create(client, &wl_surface_interface,
						 wl_resource_get_version(resource), id);
	if (!s || !s->resource) {
		free(s);
		wl_client_post_no_memory(client);
		return;
	}
	s->parent = &P;
	wl_list_init(&s->pending_callbacks);
	wl_list_init(&s->callbacks);
	wl_list_init(&s->pending_feedback);
	wl_list_init(&s->feedback);
	s->buffer_destroy.notify = buffer_handle_destroy;
	wl_list_init(&s->buffer_destroy.link);
	wl_list_insert(&P.surfaces, &s->link);
	wl_resource_set_implementation(s->resource, &surface_impl, s, surface_handle_destroy);
}

static void region_add(struct wl_client *client, struct wl_resource *resource, int32_t x, int32_t y,
		       int32_t w, int32_t h)
{
}

static const struct wl_region_interface region_impl = {
	.destroy = resource_destroy,
	.add = region_add,
	.subtract = region_add,
};

static void compositor_create_region(struct wl_client *client, struct wl_resource *resource,
				     uint32_t id)
{
	struct wl_resource *r = wl_resource_create(client, &wl_region_interface, 1, id);
	if (r)
		wl_resource_set_implementation(r, &region_impl, NULL, NULL);
}

static const struct wl_compositor_interface compositor_impl = {
	.create_surface = compositor_create_surface,
	.create_region = compositor_create_region,
};

static void compositor_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *r = wl_resource_create(client, &wl_compositor_interface, version, id);
	if (r)
		wl_resource_set_implementation(r, &compositor_impl, NULL, NULL);
}

/* --- xdg_wm_base, just enough for one toplevel ------------------------------------------- */

static void toplevel_set_string(struct wl_client *client, struct wl_resource *resource,
				const char *s)
{
}

static void toplevel_set_parent(struct wl_client *client, struct wl_resource *resource,
				struct wl_resource *parent)
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

static void toplevel_set_size(struct wl_client *client, struct wl_resource *resource, int32_t w,
			      int32_t h)
{
}

static void toplevel_noop(struct wl_client *client, struct wl_resource *resource)
{
}

static void toplevel_set_fullscreen(struct wl_client *client, struct wl_resource *resource,
				    struct wl_resource *output)
{
}

static const struct xdg_toplevel_interface toplevel_impl = {
	.destroy = resource_destroy,
	.set_parent = toplevel_set_parent,
	.set_title = toplevel_set_string,
	.set_app_id = toplevel_set_string,
	.show_window_menu = toplevel_show_window_menu,
	.move = toplevel_move,
	.resize = toplevel_resize,
	.set_max_size = toplevel_set_size,
	.set_min_size = toplevel_set_size,
	.set_maximized = toplevel_noop,
	.unset_maximized = toplevel_noop,
	.set_fullscreen = toplevel_set_fullscreen,
	.unset_fullscreen = toplevel_noop,
	.set_minimized = toplevel_noop,
};

static void xdg_surface_get_toplevel(struct wl_client *client, struct wl_resource *resource,
				     uint32_t id)
{
	struct surface *s = wl_resource_get_user_data(resource);
	s->xdg_toplevel = wl_resource_create(client, &xdg_toplevel_interface,
					     wl_resource_get_version(resource), id);
	if (!s->xdg_toplevel) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(s->xdg_toplevel, &toplevel_impl, s, NULL);
	s->toplevel = true;
}

static void xdg_surface_get_popup(struct wl_client *client, struct wl_resource *resource,
				  uint32_t id, struct wl_resource *parent,
				  struct wl_resource *positioner)
{
	wl_resource_post_error(resource, XDG_WM_BASE_ERROR_INVALID_POPUP_PARENT,
			       "the test parent has no popups");
}

static void xdg_surface_set_window_geometry(struct wl_client *client, struct wl_resource *resource,
					    int32_t x, int32_t y, int32_t w, int32_t h)
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

static void wm_base_create_positioner(struct wl_client *client, struct wl_resource *resource,
				      uint32_t id)
{
	wl_resource_post_error(resource, XDG_WM_BASE_ERROR_INVALID_POSITIONER,
			       "the test parent has no popups");
}

static void wm_base_get_xdg_surface(struct wl_client *client, struct wl_resource *resource,
				    uint32_t id, struct wl_resource *surface)
{
	struct surface *s = wl_resource_get_user_data(surface);
	s->xdg_surface = wl_resource_create(client, &xdg_surface_interface,
					    wl_resource_get_version(resource), id);
	if (!s->xdg_surface) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(s->xdg_surface, &xdg_surface_impl, s, NULL);
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
	struct wl_resource *r = wl_resource_create(client, &xdg_wm_base_interface, version, id);
	if (r)
		wl_resource_set_implementation(r, &wm_base_impl, NULL, NULL);
}

/* --- wp_presentation --------------------------------------------------------------------- */

static void presentation_feedback(struct wl_client *client, struct wl_resource *resource,
				  struct wl_resource *surface, uint32_t id)
{
	struct surface *s = wl_resource_get_user_data(surface);
	struct wl_resource *fb =
		wl_resource_create(client, &wp_presentation_feedback_interface, 1, id);
	if (!fb) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(fb, NULL, NULL, unlink_resource);
	wl_list_insert(s->pending_feedback.prev, wl_resource_get_link(fb));
	P.feedbacks_asked++;
}

static const struct wp_presentation_interface presentation_impl = {
	.destroy = resource_destroy,
	.feedback = presentation_feedback,
};

static void presentation_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *r = wl_resource_create(client, &wp_presentation_interface, 1, id);
	if (!r)
		return;
	wl_resource_set_implementation(r, &presentation_impl, NULL, NULL);
	wp_presentation_send_clock_id(r, CLOCK_MONOTONIC);
}

/* --- wl_seat ----------------------------------------------------------------------------- */

static const struct wl_keyboard_interface keyboard_impl = {.release = resource_destroy};

static void seat_get_keyboard(struct wl_client *client, struct wl_resource *resource, uint32_t id)
{
	struct wl_resource *kb = wl_resource_create(client, &wl_keyboard_interface,
						    wl_resource_get_version(resource), id);
	if (!kb) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(kb, &keyboard_impl, NULL, unlink_resource);
	wl_list_insert(&P.keyboards, wl_resource_get_link(kb));
	size_t size = strlen(P.keymap_text) + 1;
	int fd = memfd_create("test-parent-keymap", MFD_CLOEXEC);
	if (fd < 0 || write(fd, P.keymap_text, size) != (ssize_t)size) {
		fprintf(stderr, "handoff-test-parent: cannot write the keymap: %s\n",
			strerror(errno));
		exit(1);
	}
	wl_keyboard_send_keymap(kb, WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1, fd, (uint32_t)size);
	close(fd);
	if (wl_resource_get_version(kb) >= WL_KEYBOARD_REPEAT_INFO_SINCE_VERSION)
		wl_keyboard_send_repeat_info(kb, 25, 600);
}

static void pointer_set_cursor(struct wl_client *client, struct wl_resource *resource,
			       uint32_t serial, struct wl_resource *surface, int32_t x, int32_t y)
{
}

static const struct wl_pointer_interface pointer_impl = {
	.set_cursor = pointer_set_cursor,
	.release = resource_destroy,
};

static void seat_get_pointer(struct wl_client *client, struct wl_resource *resource, uint32_t id)
{
	struct wl_resource *p = wl_resource_create(client, &wl_pointer_interface,
						   wl_resource_get_version(resource), id);
	if (!p) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(p, &pointer_impl, NULL, unlink_resource);
	wl_list_insert(&P.pointers, wl_resource_get_link(p));
}

static void seat_get_touch(struct wl_client *client, struct wl_resource *resource, uint32_t id)
{
	wl_resource_post_error(resource, WL_SEAT_ERROR_MISSING_CAPABILITY, "no touch");
}

static const struct wl_seat_interface seat_impl = {
	.get_pointer = seat_get_pointer,
	.get_keyboard = seat_get_keyboard,
	.get_touch = seat_get_touch,
	.release = resource_destroy,
};

static void seat_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *r = wl_resource_create(client, &wl_seat_interface, version, id);
	if (!r)
		return;
	wl_resource_set_implementation(r, &seat_impl, NULL, NULL);
	/* Sent at once, as weston and sway do: a client must listen from the bind on. */
	wl_seat_send_capabilities(r, WL_SEAT_CAPABILITY_KEYBOARD | WL_SEAT_CAPABILITY_POINTER);
	if (version >= WL_SEAT_NAME_SINCE_VERSION)
		wl_seat_send_name(r, "test-seat");
}

/* --- the input script -------------------------------------------------------------------- */

static bool same_client(struct wl_resource *r)
{
	return P.target && wl_resource_get_client(r) == wl_resource_get_client(P.target->resource);
}

static void send_modifiers(void)
{
	uint32_t serial = wl_display_next_serial(P.display);
	struct wl_resource *kb;
	wl_resource_for_each(kb, &P.keyboards)
		if (same_client(kb))
			wl_keyboard_send_modifiers(
				kb, serial,
				xkb_state_serialize_mods(P.state, XKB_STATE_MODS_DEPRESSED),
				xkb_state_serialize_mods(P.state, XKB_STATE_MODS_LATCHED),
				xkb_state_serialize_mods(P.state, XKB_STATE_MODS_LOCKED),
				xkb_state_serialize_layout(P.state, XKB_STATE_LAYOUT_EFFECTIVE));
}

static void send_key(uint32_t code, bool down)
{
	uint32_t serial = wl_display_next_serial(P.display);
	struct wl_resource *kb;
	wl_resource_for_each(kb, &P.keyboards)
		if (same_client(kb))
			wl_keyboard_send_key(kb, serial, now_ms(), code,
					     down ? WL_KEYBOARD_KEY_STATE_PRESSED
						  : WL_KEYBOARD_KEY_STATE_RELEASED);
	xkb_state_update_key(P.state, code + 8, down ? XKB_KEY_DOWN : XKB_KEY_UP);
	send_modifiers();
}

static void send_enter(void)
{
	if (P.entered)
		return;
	P.entered = true;
	struct wl_array keys;
	wl_array_init(&keys);
	struct wl_resource *r;
	wl_resource_for_each(r, &P.keyboards)
		if (same_client(r))
			wl_keyboard_send_enter(r, wl_display_next_serial(P.display),
					       P.target->resource, &keys);
	wl_array_release(&keys);
	send_modifiers();
	wl_resource_for_each(r, &P.pointers)
		if (same_client(r)) {
			wl_pointer_send_enter(r, wl_display_next_serial(P.display),
					      P.target->resource, 0, 0);
			if (wl_resource_get_version(r) >= WL_POINTER_FRAME_SINCE_VERSION)
				wl_pointer_send_frame(r);
		}
}

static void send_leave(void)
{
	if (!P.entered)
		return;
	P.entered = false;
	struct wl_resource *r;
	wl_resource_for_each(r, &P.keyboards)
		if (same_client(r))
			wl_keyboard_send_leave(r, wl_display_next_serial(P.display),
					       P.target->resource);
	wl_resource_for_each(r, &P.pointers)
		if (same_client(r)) {
			wl_pointer_send_leave(r, wl_display_next_serial(P.display),
					      P.target->resource);
			if (wl_resource_get_version(r) >= WL_POINTER_FRAME_SINCE_VERSION)
				wl_pointer_send_frame(r);
		}
}

/* The n-th toplevel (from 0, oldest first) that has shown a buffer; NULL: none. */
static struct surface *toplevel_at(unsigned n)
{
	struct surface *s;
	wl_list_for_each_reverse(s, &P.surfaces, link) /* newest first */
		if (s->toplevel && s->buffer && n-- == 0)
			return s;
	return NULL;
}

static void send_pointer(double x, double y, int button)
{
	uint32_t serial = wl_display_next_serial(P.display);
	struct wl_resource *r;
	wl_resource_for_each(r, &P.pointers) {
		if (!same_client(r))
			continue;
		wl_pointer_send_motion(r, now_ms(), wl_fixed_from_double(x),
				       wl_fixed_from_double(y));
		if (button) {
			wl_pointer_send_button(r, serial, now_ms(), BTN_LEFT,
					       WL_POINTER_BUTTON_STATE_PRESSED);
			wl_pointer_send_button(r, serial, now_ms(), BTN_LEFT,
					       WL_POINTER_BUTTON_STATE_RELEASED);
		}
		if (wl_resource_get_version(r) >= WL_POINTER_FRAME_SINCE_VERSION)
			wl_pointer_send_frame(r);
	}
}

static void send_scroll(double v)
{
	struct wl_resource *r;
	wl_resource_for_each(r, &P.pointers) {
		if (!same_client(r))
			continue;
		wl_pointer_send_axis(r, now_ms(), WL_POINTER_AXIS_VERTICAL_SCROLL,
				     wl_fixed_from_double(v));
		if (wl_resource_get_version(r) >= WL_POINTER_FRAME_SINCE_VERSION)
			wl_pointer_send_frame(r);
	}
}

/* The evdev code of the key that types c without modifiers, or 0. */
static uint32_t code_for_char(char c)
{
	xkb_keysym_t want = xkb_utf32_to_keysym((uint32_t)(unsigned char)c);
	if (c == '\n')
		want = XKB_KEY_Return;
	for (xkb_keycode_t k = 9; k < 256; k++) {
		const xkb_keysym_t *syms;
		if (xkb_keymap_key_get_syms_by_level(P.keymap, k, 0, 0, &syms) > 0 &&
		    syms[0] == want)
			return k - 8;
	}
	return 0;
}

/*
 * Plays the script until a wait. Steps, separated by ';': "wait MS", "key CODE" (press and
 * release), "down CODE", "up CODE", "type TEXT" (unshifted keys), "move X Y", "click X Y"
 * (left button), "scroll V", "target N" (input goes to the N-th toplevel that showed a buffer,
 * from 0, oldest first; the last one is left). The first other step enters the target's
 * surface with both devices.
 */
static int script_run(void *data)
{
	while (P.script && *P.script && P.target) {
		char *step = P.script;
		char *end = strchr(step, ';');
		if (end) {
			*end = '\0';
			P.script = end + 1;
		} else {
			P.script = NULL;
		}
		while (*step == ' ')
			step++;
		unsigned a;
		if (strncmp(step, "target", 6) != 0)
			send_enter();
		double x, y;
		char text[256];
		if (sscanf(step, "target %u", &a) == 1) {
			struct surface *t = toplevel_at(a);
			if (!t) {
				fprintf(stderr, "handoff-test-parent: no toplevel %u\n", a);
				P.exit_code = 2;
				wl_display_terminate(P.display);
				return 0;
			}
			if (t != P.target) {
				send_leave();
				P.target = t;
			}
		} else if (sscanf(step, "wait %u", &a) == 1) {
			wl_event_source_timer_update(P.script_timer, (int)a);
			return 0;
		} else if (sscanf(step, "key %u", &a) == 1) {
			send_key(a, true);
			send_key(a, false);
		} else if (sscanf(step, "down %u", &a) == 1) {
			send_key(a, true);
		} else if (sscanf(step, "up %u", &a) == 1) {
			send_key(a, false);
		} else if (sscanf(step, "type %255[^;]", text) == 1) {
			for (char *c = text; *c; c++) {
				uint32_t code = code_for_char(*c == '_' ? ' ' : *c);
				if (code) {
					send_key(code, true);
					send_key(code, false);
				}
			}
		} else if (sscanf(step, "move %lf %lf", &x, &y) == 2) {
			send_pointer(x, y, 0);
		} else if (sscanf(step, "click %lf %lf", &x, &y) == 2) {
			send_pointer(x, y, 1);
		} else if (sscanf(step, "scroll %lf", &x) == 1) {
			send_scroll(x);
		} else if (*step) {
			fprintf(stderr, "handoff-test-parent: bad --input step '%s'\n", step);
			P.exit_code = 2;
			wl_display_terminate(P.display);
			return 0;
		}
	}
	return 0;
}

static void script_start(void)
{
	if (P.script)
		wl_event_source_timer_update(P.script_timer, 1);
}

/* --- the clock --------------------------------------------------------------------------- */

static int tick(void *data)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint32_t refresh_ns = (uint32_t)(1000000000 / P.refresh_hz);
	static uint64_t seq;
	seq++;
	struct surface *s;
	wl_list_for_each(s, &P.surfaces, link) {
		struct wl_resource *r, *tmp;
		wl_resource_for_each_safe(r, tmp, &s->callbacks) {
			wl_callback_send_done(r, now_ms());
			wl_resource_destroy(r);
			P.callbacks++;
		}
		if (P.no_feedback)
			continue;
		wl_resource_for_each_safe(r, tmp, &s->feedback) {
			wp_presentation_feedback_send_presented(
				r, (uint32_t)((uint64_t)ts.tv_sec >> 32), (uint32_t)ts.tv_sec,
				(uint32_t)ts.tv_nsec, refresh_ns, (uint32_t)(seq >> 32),
				(uint32_t)seq, 0);
			wl_resource_destroy(r);
			P.feedbacks_answered++;
		}
	}
	wl_event_source_timer_update(P.tick, 1000 / P.refresh_hz);
	return 0;
}

static int handle_sigchld(int sig, void *data)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid != P.child)
			continue;
		P.child = 0;
		P.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		wl_display_terminate(P.display);
	}
	return 0;
}

static int handle_term(int sig, void *data)
{
	if (P.child)
		kill(P.child, sig);
	else
		wl_display_terminate(P.display);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: handoff-test-parent [OPTIONS] [-- COMMAND ARGS...]\n"
		"A parent compositor for tests of a nested handoff-presenter: it shows nothing,\n"
		"paces frame callbacks, answers presentation feedback, and has a seat whose input "
		"a\n"
		"script plays into the first toplevel once that shows a buffer.\n\n"
		"  --socket NAME     listen on NAME (default: handoff-test-parent)\n"
		"  --refresh HZ      frame callbacks and feedback at HZ (default 60)\n"
		"  --no-feedback     never answer presentation feedback (sway 1.7 headless)\n"
		"  --size WxH        the size every toplevel is configured to (default: 0x0)\n"
		"  --input SCRIPT    steps separated by ';': wait MS, key CODE, down CODE, up "
		"CODE,\n"
		"                    type TEXT (unshifted; _ is a space), move X Y, click X Y,\n"
		"                    scroll V, target N (the N-th toplevel, from 0)\n"
		"                    (CODE: an evdev key code, as in "
		"linux/input-event-codes.h)\n"
		"  -h, --help        this text\n"
		"With -- COMMAND, COMMAND runs with WAYLAND_DISPLAY set, and its exit status is "
		"ours.\n"
		"At exit it prints what it counted (commits, callbacks, feedback) on stderr.\n");
}

int main(int argc, char **argv)
{
	const char *socket = "handoff-test-parent";
	P.refresh_hz = 60;
	char **command = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--")) {
			command = &argv[i + 1];
			break;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--no-feedback")) {
			P.no_feedback = true;
		} else if (!strcmp(a, "--socket") && v) {
			socket = v;
			i++;
		} else if (!strcmp(a, "--refresh") && v && atoi(v) > 0) {
			P.refresh_hz = atoi(v);
			i++;
		} else if (!strcmp(a, "--size") && v &&
			   sscanf(v, "%dx%d", &P.width, &P.height) == 2) {
			i++;
		} else if (!strcmp(a, "--input") && v) {
			free(P.script_text);
			P.script = P.script_text = strdup(v);
			i++;
		} else {
			fprintf(stderr, "handoff-test-parent: bad option '%s' (see --help)\n", a);
			return 2;
		}
	}
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	P.xkb = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
	P.keymap =
		P.xkb ? xkb_keymap_new_from_names(P.xkb, NULL, XKB_KEYMAP_COMPILE_NO_FLAGS) : NULL;
	P.state = P.keymap ? xkb_state_new(P.keymap) : NULL;
	P.keymap_text =
		P.keymap ? xkb_keymap_get_as_string(P.keymap, XKB_KEYMAP_FORMAT_TEXT_V1) : NULL;
	if (!P.keymap_text) {
		fprintf(stderr,
			"handoff-test-parent: cannot make a keymap (is xkb-data installed?)\n");
		return 1;
	}
	wl_list_init(&P.surfaces);
	wl_list_init(&P.keyboards);
	wl_list_init(&P.pointers);
	P.display = wl_display_create();
	P.loop = wl_display_get_event_loop(P.display);
	if (wl_display_add_socket(P.display, socket) != 0) {
		fprintf(stderr, "handoff-test-parent: cannot listen on %s: %s\n", socket,
			strerror(errno));
		return 1;
	}
	wl_display_init_shm(P.display);
	wl_global_create(P.display, &wl_compositor_interface, 4, NULL, compositor_bind);
	wl_global_create(P.display, &xdg_wm_base_interface, 1, NULL, wm_base_bind);
	wl_global_create(P.display, &wp_presentation_interface, 1, NULL, presentation_bind);
	wl_global_create(P.display, &wl_seat_interface, 5, NULL, seat_bind);
	P.tick = wl_event_loop_add_timer(P.loop, tick, NULL);
	P.script_timer = wl_event_loop_add_timer(P.loop, script_run, NULL);
	wl_event_source_timer_update(P.tick, 1000 / P.refresh_hz);
	P.signals[0] = wl_event_loop_add_signal(P.loop, SIGCHLD, handle_sigchld, NULL);
	P.signals[1] = wl_event_loop_add_signal(P.loop, SIGINT, handle_term, NULL);
	P.signals[2] = wl_event_loop_add_signal(P.loop, SIGTERM, handle_term, NULL);
	if (command && command[0]) {
		setenv("WAYLAND_DISPLAY", socket, 1);
		posix_spawnattr_t attr;
		sigset_t none;
		sigemptyset(&none);
		posix_spawnattr_init(&attr);
		posix_spawnattr_setsigmask(&attr, &none);
		posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
		int r = posix_spawnp(&P.child, command[0], NULL, &attr, command, environ);
		posix_spawnattr_destroy(&attr);
		if (r != 0) {
			fprintf(stderr, "handoff-test-parent: cannot start %s: %s\n", command[0],
				strerror(r));
			return 1;
		}
	}
	printf("handoff-test-parent: WAYLAND_DISPLAY=%s\n", socket);
	fflush(stdout);
	wl_display_run(P.display);
	fprintf(stderr,
		"handoff-test-parent: commits %lu callbacks %lu feedbacks_asked %lu "
		"feedbacks_answered %lu\n",
		P.commits, P.callbacks, P.feedbacks_asked, P.feedbacks_answered);
	wl_display_destroy_clients(P.display);
	for (int i = 0; i < 3; i++)
		if (P.signals[i])
			wl_event_source_remove(P.signals[i]);
	wl_event_source_remove(P.tick);
	wl_event_source_remove(P.script_timer);
	wl_display_destroy(P.display);
	free(P.script_text);
	xkb_state_unref(P.state);
	xkb_keymap_unref(P.keymap);
	xkb_context_unref(P.xkb);
	free(P.keymap_text);
	return P.exit_code;
}
