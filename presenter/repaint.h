/*
 * The repaint of one output, above the core: on each output frame it latches what is ready,
 * lays the windows out, works out the damage, composes straight from client memory (or hands a
 * client image over as a direct frame), checks the frame when asked to, and, on the primary
 * output (server.h), answers the clients (frame callbacks, feedback) once the output reports
 * the frame.
 * Every read it makes holds a lock on the commit read (surface.h), so a commit is released
 * only once every output is done with it.
 */
#ifndef HF_REPAINT_H
#define HF_REPAINT_H

#include "checker.h"
#include "direct.h"
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

/* What main.c decides for the repaint, from the command line. */
struct hf_repaint_config {
	enum hf_check_kind check;
	unsigned check_every;           /* check one composed frame in this many (0, 1: all) */
	const char *torn_snapshot_path; /* with check: the first torn frame goes there */
	struct hf_direct_config direct;
	int ignore_reads_output; /* test only: that output takes no lock on what it reads; -1 */
	int blit_delay_us;       /* test only: random delay inside each buffer read, up to this */
	uint64_t exit_after_frames; /* 0: never */
	unsigned seed;
};

/* What the repaints of all outputs share; its owner (server.h) sets it up. */
struct hf_repaint_shared {
	struct hf_repaint_config config;
	struct wl_display *display; /* terminated to quit */
	int n_outputs;
	unsigned rand_state;  /* for the test delays */
	bool wrote_torn_shot; /* the first torn frame of any output went to the torn snapshot */
	int exit_code;
};

/* Ends the run with code: the display's loop returns. */
void hf_repaint_quit(struct hf_repaint_shared *shared, int code);

/* One output's repaint. */
struct hf_repaint {
	struct hf_repaint_shared *shared;
	struct wl_list link; /* hf_server::repaints */
	struct hf_compositor *compositor;
	struct hf_renderer *renderer;
	const struct hf_repaint_config *config;
	struct hf_output *output;
	/* The clients' frame callbacks, presentation feedback and fifo pacing follow this
	 * output. */
	bool primary;
	int index;         /* in the order the outputs were given, from 0 */
	bool ignore_reads; /* test only: takes no lock on what it reads (a bug on purpose) */
	struct wl_listener output_frame;
	struct wl_listener output_skip;
	struct wl_listener output_latched;
	struct wl_listener output_present;
	struct wl_listener output_resize;
	struct wl_listener output_reclaim;
	struct wl_listener renderer_complete;
	/* Compositions the renderer has not completed, with the commits they read (locked). */
	struct wl_list reads; /* struct composition_read::link, oldest first */
	bool frame_scheduled;
	bool full_damage; /* the next frame draws the whole output */
	uint64_t frames_composed;
	/* What changed in each of the last frames, newest at ring_pos. */
	pixman_region32_t damage_ring[HF_DAMAGE_RING];
	int ring_pos;
	struct wl_list free_frames; /* hf_frame::link */
	struct wl_list frames_out;  /* hf_frame::link: submitted, not yet reported */
	struct hf_presenter_stats stats;
	struct hf_checker checker;
	struct hf_direct direct;
	/* The client buffer the last direct frame showed (referenced); NULL after a composition. */
	struct hf_buffer *direct_shown;
	struct hf_pixels *direct_xrgb; /* its pixels converted, when read in another format */
	/* The output as it stood when the last window went away; NULL while windows show. */
	struct hf_pixels *last_window_shot;
	bool shot_on_hiding; /* last_window_shot was drawn as the last window went */
};

void hf_repaint_init(struct hf_repaint *rp, struct hf_repaint_shared *shared,
		     struct hf_compositor *compositor, struct hf_renderer *renderer,
		     struct hf_output *output, int index);
void hf_repaint_finish(struct hf_repaint *rp);
void hf_repaint_schedule(struct hf_repaint *rp);
/* Whether the output has something to repaint for the core's frame_needed: always for the
 * primary output (callbacks may be due); for another, only content it has not shown yet or a
 * window that moved. */
bool hf_repaint_has_news(struct hf_repaint *rp);
/* A window is about to go (last: the last one): an output that has not shown its newest
 * content yet draws it for the snapshot, which then ends on the window's last frame. */
void hf_repaint_window_hiding(struct hf_repaint *rp, struct hf_window *window, bool last);
/* Windows came or went (removed_last: the last one went). */
void hf_repaint_windows_changed(struct hf_repaint *rp, bool removed_last);
bool hf_repaint_write_snapshot(struct hf_repaint *rp, const char *path);

#endif
