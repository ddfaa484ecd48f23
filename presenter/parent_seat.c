/* The parent's seat: keyboard and pointer as the output's input events (parent_seat.h). */
#include "parent_seat.h"

#include "log.h"
#include "output.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xkbcommon/xkbcommon.h>

#define MAX_KEYMAP (1u << 20)

struct hf_parent_seat {
	struct hf_output *output;
	struct wl_seat *seat;
	struct wl_keyboard *keyboard; /* NULL while the seat has none */
	struct wl_pointer *pointer;   /* NULL while the seat has none */
	struct xkb_context *context;
	struct xkb_keymap *keymap; /* NULL until the parent sends one */
	struct xkb_state *state;
	char *keymap_text;  /* what output->input.keymap points to */
	uint32_t swallowed; /* the evdev code of a shortcut key still down; 0: none */
	hf_shortcut_fn fn;
	void *data;
};

static void emit_input_changed(struct hf_parent_seat *ps)
{
	wl_signal_emit(&ps->output->events.input_changed, ps->output);
}

static void keyboard_keymap(void *data, struct wl_keyboard *wl_keyboard, uint32_t format,
			    int32_t fd, uint32_t size)
{
	struct hf_parent_seat *ps = data;
	if (format != WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1 || size == 0 || size > MAX_KEYMAP) {
		close(fd);
		return;
	}
	char *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		hf_log_errno(HF_LOG_ERROR, "cannot map the parent's keymap");
		return;
	}
	size_t len = strnlen(map, size);
	char *text = malloc(len + 1);
	struct xkb_keymap *keymap =
		text ? xkb_keymap_new_from_buffer(ps->context, map, len, XKB_KEYMAP_FORMAT_TEXT_V1,
						  XKB_KEYMAP_COMPILE_NO_FLAGS)
		     : NULL;
	if (text) {
		memcpy(text, map, len);
		text[len] = '\0';
	}
	munmap(map, size);
	struct xkb_state *state = keymap ? xkb_state_new(keymap) : NULL;
	if (!state) {
		hf_error("the parent's keymap does not compile");
		xkb_keymap_unref(keymap);
		free(text);
		return;
	}
	xkb_state_unref(ps->state);
	xkb_keymap_unref(ps->keymap);
	free(ps->keymap_text);
	ps->keymap = keymap;
	ps->state = state;
	ps->keymap_text = text;
	ps->output->input.keymap = text;
	emit_input_changed(ps);
}

static void keyboard_enter(void *data, struct wl_keyboard *wl_keyboard, uint32_t serial,
			   struct wl_surface *surface, struct wl_array *keys)
{
	struct hf_parent_seat *ps = data;
	ps->output->input.keyboard_focus = true;
	emit_input_changed(ps);
}

static void keyboard_leave(void *data, struct wl_keyboard *wl_keyboard, uint32_t serial,
			   struct wl_surface *surface)
{
	struct hf_parent_seat *ps = data;
	ps->output->input.keyboard_focus = false;
	ps->swallowed = 0;
	emit_input_changed(ps);
}

static bool shortcut_mods_active(struct hf_parent_seat *ps)
{
	return xkb_state_mod_name_is_active(ps->state, XKB_MOD_NAME_CTRL,
					    XKB_STATE_MODS_EFFECTIVE) > 0 &&
	       xkb_state_mod_name_is_active(ps->state, XKB_MOD_NAME_ALT, XKB_STATE_MODS_EFFECTIVE) >
		       0;
}

static void keyboard_key(void *data, struct wl_keyboard *wl_keyboard, uint32_t serial,
			 uint32_t time, uint32_t key, uint32_t key_state)
{
	struct hf_parent_seat *ps = data;
	if (key_state == WL_KEYBOARD_KEY_STATE_PRESSED && ps->state && shortcut_mods_active(ps) &&
	    /* evdev codes are 8 below xkb keycodes. */
	    ps->fn(ps->data, xkb_state_key_get_one_sym(ps->state, key + 8))) {
		ps->swallowed = key;
		return;
	}
	if (key_state == WL_KEYBOARD_KEY_STATE_RELEASED && key == ps->swallowed) {
		ps->swallowed = 0;
		return;
	}
	struct hf_output_key_event event = {.time_ms = time, .key = key, .state = key_state};
	wl_signal_emit(&ps->output->events.key, &event);
}

static void keyboard_modifiers(void *data, struct wl_keyboard *wl_keyboard, uint32_t serial,
			       uint32_t depressed, uint32_t latched, uint32_t locked,
			       uint32_t group)
{
	struct hf_parent_seat *ps = data;
	if (ps->state)
		xkb_state_update_mask(ps->state, depressed, latched, locked, 0, 0, group);
	struct hf_output_modifiers_event event = {depressed, latched, locked, group};
	ps->output->input.modifiers = event;
	wl_signal_emit(&ps->output->events.modifiers, &event);
}

static void keyboard_repeat_info(void *data, struct wl_keyboard *wl_keyboard, int32_t rate,
				 int32_t delay)
{
	struct hf_parent_seat *ps = data;
	ps->output->input.repeat_rate = rate;
	ps->output->input.repeat_delay = delay;
	emit_input_changed(ps);
}

static const struct wl_keyboard_listener keyboard_listener = {
	.keymap = keyboard_keymap,
	.enter = keyboard_enter,
	.leave = keyboard_leave,
	.key = keyboard_key,
	.modifiers = keyboard_modifiers,
	.repeat_info = keyboard_repeat_info,
};

static void pointer_emit(struct hf_parent_seat *ps, struct hf_output_pointer_event event)
{
	wl_signal_emit(&ps->output->events.pointer, &event);
}

static void pointer_enter(void *data, struct wl_pointer *pointer, uint32_t serial,
			  struct wl_surface *surface, wl_fixed_t x, wl_fixed_t y)
{
	pointer_emit(data, (struct hf_output_pointer_event){.kind = HF_POINTER_ENTER,
							    .x = wl_fixed_to_double(x),
							    .y = wl_fixed_to_double(y)});
}

static void pointer_leave(void *data, struct wl_pointer *pointer, uint32_t serial,
			  struct wl_surface *surface)
{
	pointer_emit(data, (struct hf_output_pointer_event){.kind = HF_POINTER_LEAVE});
}

static void pointer_motion(void *data, struct wl_pointer *pointer, uint32_t time, wl_fixed_t x,
			   wl_fixed_t y)
{
	pointer_emit(data, (struct hf_output_pointer_event){.kind = HF_POINTER_MOTION,
							    .time_ms = time,
							    .x = wl_fixed_to_double(x),
							    .y = wl_fixed_to_double(y)});
}

static void pointer_button(void *data, struct wl_pointer *pointer, uint32_t serial, uint32_t time,
			   uint32_t button, uint32_t state)
{
	pointer_emit(data, (struct hf_output_pointer_event){.kind = HF_POINTER_BUTTON,
							    .time_ms = time,
							    .button = button,
							    .state = state});
}

static void pointer_axis(void *data, struct wl_pointer *pointer, uint32_t time, uint32_t axis,
			 wl_fixed_t value)
{
	pointer_emit(data, (struct hf_output_pointer_event){.kind = HF_POINTER_AXIS,
							    .time_ms = time,
							    .axis = axis,
							    .value = wl_fixed_to_double(value)});
}

static void pointer_frame(void *data, struct wl_pointer *pointer)
{
	pointer_emit(data, (struct hf_output_pointer_event){.kind = HF_POINTER_FRAME});
}

static void pointer_axis_source(void *data, struct wl_pointer *pointer, uint32_t source)
{
	pointer_emit(data, (struct hf_output_pointer_event){.kind = HF_POINTER_AXIS_SOURCE,
							    .source = source});
}

static void pointer_axis_stop(void *data, struct wl_pointer *pointer, uint32_t time, uint32_t axis)
{
	pointer_emit(data, (struct hf_output_pointer_event){
				   .kind = HF_POINTER_AXIS_STOP, .time_ms = time, .axis = axis});
}

static void pointer_axis_discrete(void *data, struct wl_pointer *pointer, uint32_t axis,
				  int32_t discrete)
{
	pointer_emit(data, (struct hf_output_pointer_event){.kind = HF_POINTER_AXIS_DISCRETE,
							    .axis = axis,
							    .discrete = discrete});
}

static const struct wl_pointer_listener pointer_listener = {
	.enter = pointer_enter,
	.leave = pointer_leave,
	.motion = pointer_motion,
	.button = pointer_button,
	.axis = pointer_axis,
	.frame = pointer_frame,
	.axis_source = pointer_axis_source,
	.axis_stop = pointer_axis_stop,
	.axis_discrete = pointer_axis_discrete,
};

static void seat_capabilities(void *data, struct wl_seat *seat, uint32_t caps)
{
	struct hf_parent_seat *ps = data;
	bool keyboard = caps & WL_SEAT_CAPABILITY_KEYBOARD;
	bool pointer = caps & WL_SEAT_CAPABILITY_POINTER;
	if (keyboard && !ps->keyboard) {
		ps->keyboard = wl_seat_get_keyboard(seat);
		wl_keyboard_add_listener(ps->keyboard, &keyboard_listener, ps);
	} else if (!keyboard && ps->keyboard) {
		wl_keyboard_destroy(ps->keyboard);
		ps->keyboard = NULL;
		ps->output->input.keyboard_focus = false;
	}
	if (pointer && !ps->pointer) {
		ps->pointer = wl_seat_get_pointer(seat);
		wl_pointer_add_listener(ps->pointer, &pointer_listener, ps);
	} else if (!pointer && ps->pointer) {
		wl_pointer_destroy(ps->pointer);
		ps->pointer = NULL;
		pointer_leave(ps, NULL, 0, NULL);
	}
	ps->output->input.caps = (keyboard ? WL_SEAT_CAPABILITY_KEYBOARD : 0) |
				 (pointer ? WL_SEAT_CAPABILITY_POINTER : 0);
	emit_input_changed(ps);
}

static void seat_name(void *data, struct wl_seat *seat, const char *name)
{
}

static const struct wl_seat_listener seat_listener = {
	.capabilities = seat_capabilities,
	.name = seat_name,
};

struct hf_parent_seat *hf_parent_seat_create(struct wl_seat *seat, struct hf_output *output,
					     hf_shortcut_fn fn, void *data)
{
	struct hf_parent_seat *ps = calloc(1, sizeof(*ps));
	if (!ps)
		return NULL;
	ps->context = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
	if (!ps->context) {
		free(ps);
		return NULL;
	}
	ps->output = output;
	ps->seat = seat;
	ps->fn = fn;
	ps->data = data;
	wl_seat_add_listener(seat, &seat_listener, ps);
	return ps;
}

void hf_parent_seat_destroy(struct hf_parent_seat *ps)
{
	if (!ps)
		return;
	if (ps->keyboard)
		wl_keyboard_destroy(ps->keyboard);
	if (ps->pointer)
		wl_pointer_destroy(ps->pointer);
	ps->output->input = (struct hf_output_input){0};
	xkb_state_unref(ps->state);
	xkb_keymap_unref(ps->keymap);
	xkb_context_unref(ps->context);
	free(ps->keymap_text);
	free(ps);
}
