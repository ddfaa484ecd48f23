#include "keyboard.h"

#include "log.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xkbcommon/xkbcommon.h>

struct hf_keyboard {
	struct wl_seat *seat;
	struct wl_keyboard *keyboard; /* NULL while the seat has none */
	struct xkb_context *context;
	struct xkb_keymap *keymap; /* NULL until the parent sends one */
	struct xkb_state *state;
	hf_key_fn fn;
	void *data;
};

static void keyboard_keymap(void *data, struct wl_keyboard *wl_keyboard, uint32_t format,
			    int32_t fd, uint32_t size)
{
	struct hf_keyboard *kb = data;
	if (format != WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1) {
		close(fd);
		return;
	}
	char *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		hf_log_errno(HF_LOG_ERROR, "cannot map the parent's keymap");
		return;
	}
	struct xkb_keymap *keymap =
		xkb_keymap_new_from_buffer(kb->context, map, strnlen(map, size),
					   XKB_KEYMAP_FORMAT_TEXT_V1, XKB_KEYMAP_COMPILE_NO_FLAGS);
	munmap(map, size);
	struct xkb_state *state = keymap ? xkb_state_new(keymap) : NULL;
	if (!state) {
		hf_error("the parent's keymap does not compile");
		xkb_keymap_unref(keymap);
		return;
	}
	xkb_state_unref(kb->state);
	xkb_keymap_unref(kb->keymap);
	kb->keymap = keymap;
	kb->state = state;
}

static void keyboard_enter(void *data, struct wl_keyboard *wl_keyboard, uint32_t serial,
			   struct wl_surface *surface, struct wl_array *keys)
{
}

static void keyboard_leave(void *data, struct wl_keyboard *wl_keyboard, uint32_t serial,
			   struct wl_surface *surface)
{
}

static void keyboard_key(void *data, struct wl_keyboard *wl_keyboard, uint32_t serial,
			 uint32_t time, uint32_t key, uint32_t key_state)
{
	struct hf_keyboard *kb = data;
	if (!kb->state || key_state != WL_KEYBOARD_KEY_STATE_PRESSED)
		return;
	/* evdev codes are 8 below xkb keycodes. */
	kb->fn(kb->data, xkb_state_key_get_one_sym(kb->state, key + 8));
}

static void keyboard_modifiers(void *data, struct wl_keyboard *wl_keyboard, uint32_t serial,
			       uint32_t depressed, uint32_t latched, uint32_t locked,
			       uint32_t group)
{
	struct hf_keyboard *kb = data;
	if (kb->state)
		xkb_state_update_mask(kb->state, depressed, latched, locked, 0, 0, group);
}

static void keyboard_repeat_info(void *data, struct wl_keyboard *wl_keyboard, int32_t rate,
				 int32_t delay)
{
}

static const struct wl_keyboard_listener keyboard_listener = {
	.keymap = keyboard_keymap,
	.enter = keyboard_enter,
	.leave = keyboard_leave,
	.key = keyboard_key,
	.modifiers = keyboard_modifiers,
	.repeat_info = keyboard_repeat_info,
};

static void seat_capabilities(void *data, struct wl_seat *seat, uint32_t caps)
{
	struct hf_keyboard *kb = data;
	bool has = caps & WL_SEAT_CAPABILITY_KEYBOARD;
	if (has && !kb->keyboard) {
		kb->keyboard = wl_seat_get_keyboard(seat);
		wl_keyboard_add_listener(kb->keyboard, &keyboard_listener, kb);
	} else if (!has && kb->keyboard) {
		wl_keyboard_destroy(kb->keyboard);
		kb->keyboard = NULL;
	}
}

static void seat_name(void *data, struct wl_seat *seat, const char *name)
{
}

static const struct wl_seat_listener seat_listener = {
	.capabilities = seat_capabilities,
	.name = seat_name,
};

struct hf_keyboard *hf_keyboard_create(struct wl_seat *seat, hf_key_fn fn, void *data)
{
	struct hf_keyboard *kb = calloc(1, sizeof(*kb));
	if (!kb)
		return NULL;
	kb->context = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
	if (!kb->context) {
		free(kb);
		return NULL;
	}
	kb->seat = seat;
	kb->fn = fn;
	kb->data = data;
	wl_seat_add_listener(seat, &seat_listener, kb);
	return kb;
}

void hf_keyboard_destroy(struct hf_keyboard *kb)
{
	if (!kb)
		return;
	if (kb->keyboard)
		wl_keyboard_destroy(kb->keyboard);
	xkb_state_unref(kb->state);
	xkb_keymap_unref(kb->keymap);
	xkb_context_unref(kb->context);
	free(kb);
}
