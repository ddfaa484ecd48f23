/* The parent's keyboard, through libxkbcommon: keysyms for the nested window. */
#ifndef HF_KEYBOARD_H
#define HF_KEYBOARD_H

#include <stdint.h>
#include <wayland-client.h>

typedef void (*hf_key_fn)(void *data, uint32_t keysym);

struct hf_keyboard;

/* Follows the seat's capabilities; calls fn for each key pressed. */
struct hf_keyboard *hf_keyboard_create(struct wl_seat *seat, hf_key_fn fn, void *data);
void hf_keyboard_destroy(struct hf_keyboard *kb); /* NULL is a no-op */

#endif
