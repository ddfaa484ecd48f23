/*
 * The parent compositor's seat, for the nested output: its keyboard and pointer become the
 * output's input events (output.h), and libxkbcommon reads the keys the presenter keeps for
 * itself. Made as soon as the seat is bound, so that its first capabilities are not missed.
 */
#ifndef HF_PARENT_SEAT_H
#define HF_PARENT_SEAT_H

#include <stdbool.h>
#include <stdint.h>
#include <wayland-client.h>

struct hf_output;
struct hf_parent_seat;

/* A key pressed with the presenter's modifiers (HF_SHORTCUT_MODS); true: it was the
 * presenter's, and neither it nor its release goes to the clients. */
typedef bool (*hf_shortcut_fn)(void *data, uint32_t keysym);

/* Ctrl+Alt, so that plain q, Escape, f and s reach the clients. */
#define HF_SHORTCUT_MODS "Ctrl+Alt"

struct hf_parent_seat *hf_parent_seat_create(struct wl_seat *seat, struct hf_output *output,
					     hf_shortcut_fn fn, void *data);
void hf_parent_seat_destroy(struct hf_parent_seat *ps); /* NULL is a no-op */

#endif
