/*
 * The repaint, above the core: on each output frame it latches what is ready, lays the windows
 * out, works out the damage, composes straight from client memory, checks the frame when asked
 * to, and answers the clients (frame callbacks, feedback) once the output reports the frame.
 */
#ifndef HF_REPAINT_H
#define HF_REPAINT_H

#include "checker.h"
#include "direct.h"
#include "options.h"
#include "renderer.h"
#include "stats.h"

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

#define HF_DAMAGE_RING   4
#define HF_FRAME_SAMPLES 32

struct hf_compositor;
struct hf_output;

struct hf_presenter_stats {
	uint64_t output_frames, output_frames_discarded, output_frames_skipped;
	uint64_t commits_presented;
	struct hf_check_counts check;
	uint64_t output_resizes;
	struct hf_samples latency_ns; /* acquire seen signaled to presented */
	/* Its parts: ready to the repaint that took it, and that repaint until it submitted
	 * (composition and, for a GPU, the wait for it included). */
	struct hf_samples wait_ns, repaint_ns;
	int64_t cpu_start_ns; /* the process's CPU time when the repaint started: no clock is read
			       * per frame, the whole process is counted at the end */
};

/* What one output frame showed, until the output reports it. */
struct hf_frame {
	struct wl_list link; /* hf_server::free_frames while unused, else ::frames_out */
	struct wl_list present_callbacks; /* hf_present_callback::link */
	struct wl_list frame_callbacks;   /* wl_resource link */
	/* When each content shown for the first time became ready; latency samples past the
	 * first HF_FRAME_SAMPLES of a frame are not kept. */
	int64_t ready_ns[HF_FRAME_SAMPLES];
	int n_ready, n_new;
	bool fifo;          /* shows fifo content for the first time: it must not be replaced */
	int64_t repaint_ns; /* when the repaint that made it began */
};

struct hf_server {
	const struct hf_options *opts;
	struct wl_display *display;
	struct wl_event_loop *loop;
	struct hf_compositor *compositor;
	struct hf_renderer *renderer;
	struct hf_output *output;
	struct wl_listener frame_needed;
	struct wl_listener windows_changed;
	struct wl_listener output_frame;
	struct wl_listener output_skip;
	struct wl_listener output_latched;
	struct wl_listener output_present;
	struct wl_listener output_resize;
	struct wl_listener output_reclaim;
	bool frame_scheduled;
	bool full_damage; /* the next frame draws the whole output */
	uint64_t frames_composed;
	/* What changed in each of the last frames, newest at ring_pos. */
	pixman_region32_t damage_ring[HF_DAMAGE_RING];
	int ring_pos;
	struct wl_list free_frames; /* hf_frame::link */
	struct wl_list frames_out;  /* hf_frame::link: submitted, not yet reported */
	struct hf_presenter_stats stats;
	struct hf_direct direct;
	/* The client buffer the last direct frame showed (referenced); NULL after a composition. */
	struct hf_buffer *direct_shown;
	struct hf_pixels *direct_xrgb; /* its pixels converted, when read in another format */
	/* The output as it stood when the last window went away; NULL while windows show. */
	struct hf_pixels *last_window_shot;
	bool wrote_torn_shot;
	unsigned rand_state;
	int exit_code;
};

/* The other fields are set; wires the listeners. */
void hf_repaint_init(struct hf_server *server);
void hf_repaint_finish(struct hf_server *server);
void hf_server_schedule_frame(struct hf_server *server);
void hf_server_quit(struct hf_server *server, int code);
bool hf_server_write_snapshot(struct hf_server *server, const char *path);

#endif
