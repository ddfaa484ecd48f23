/*
 * The presenter above the core: the repaint of each output (repaint.h), in the order the
 * outputs were given. Every window is shown on every output. The first output is every
 * surface's primary output: the clients' frame callbacks, presentation feedback and fifo pacing
 * follow it. Every window covers every output whole, which is the tie in which weston and
 * wlroots also take the first output; a choice per surface would change nothing. The others
 * repaint on their own clocks, showing the newest content; an output that stops showing delays
 * none of them, and the primary one, if it stops, goes on pacing the clients on its own clock
 * after a second (output.h, events.skip).
 */
#ifndef HF_SERVER_H
#define HF_SERVER_H

#include "repaint.h"

#include <stdbool.h>
#include <wayland-server-core.h>

#define HF_MAX_OUTPUTS 8

struct hf_server {
	struct hf_repaint_shared shared; /* config, exit_code */
	struct wl_display *display;
	struct wl_event_loop *loop;
	struct hf_compositor *compositor;
	struct hf_renderer *renderer;
	struct wl_list repaints; /* hf_repaint::link, in the order given: the first is primary */
	int n_repaints;
	struct wl_listener frame_needed;
	struct wl_listener windows_changed;
	struct wl_listener window_hiding;
};

/* display, loop, compositor, renderer and shared.config are set; wires the listeners. */
void hf_server_init(struct hf_server *server);
/* Tears down every repaint (the outputs stay their creator's). */
void hf_server_finish(struct hf_server *server);
/* A repaint for output, after those already added; NULL when out of memory or too many. */
struct hf_repaint *hf_server_add_output(struct hf_server *server, struct hf_output *output);
struct hf_repaint *hf_server_primary(struct hf_server *server); /* NULL: no output yet */
void hf_server_schedule_frame(struct hf_server *server);        /* on every output */
void hf_server_quit(struct hf_server *server, int code);

#endif
