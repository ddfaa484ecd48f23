/*
 * wl_seat: the outputs' input (output.h) forwarded to the windows. Keyboard focus goes to the
 * newest window and follows clicks; the pointer goes to the window under it (held by the
 * window a button went down in). An output without input (headless) gives a seat with no
 * capabilities, so that clients that need a seat start.
 */
#ifndef HF_SEAT_H
#define HF_SEAT_H

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

struct hf_compositor;
struct hf_surface;
struct hf_output;
struct hf_seat;

#define HF_SEAT_MAX_OUTPUTS 8

/* Fed by every output's input (1 to HF_SEAT_MAX_OUTPUTS of them): the pointer goes to the
 * window under it on the output it is in, the keys come from the output with the keyboard. */
struct hf_seat *hf_seat_create(struct hf_compositor *compositor, struct hf_output *const *outputs,
			       int n_outputs);
/* The client whose window has the focus (keyboard or not: headless has none); NULL: none. */
struct wl_client *hf_seat_focus_client(struct hf_seat *seat);
/* Emitted when the focus client changes; data: the seat. */
struct wl_signal *hf_seat_focus_signal(struct hf_seat *seat);
/* The surface with the keyboard focus (a window, or the popup a grab gave it to); NULL: none. */
struct hf_surface *hf_seat_focus(const struct hf_seat *seat);
/* Whether serial is that of a recent button or key press sent to client: what a popup grab
 * must answer (xdg_popup.grab). */
bool hf_seat_grab_serial_valid(const struct hf_seat *seat, struct wl_client *client,
			       uint32_t serial);
/* The seat of a wl_seat resource; NULL when it is not ours or inert. */
struct hf_seat *hf_seat_from_resource(struct wl_resource *resource);
void hf_seat_destroy(struct hf_seat *seat); /* NULL is a no-op; before the output */

#endif
