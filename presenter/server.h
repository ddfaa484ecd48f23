/* The presenter's state, shared by the protocol implementations. */
#ifndef HF_SERVER_H
#define HF_SERVER_H

#include "options.h"
#include "output.h"
#include "renderer.h"
#include "stats.h"

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

struct hf_timeline;
struct hf_waiter;

/* A timeline as the presenter holds it: by its resource and by every commit that uses it. */
struct hf_sync_timeline {
	int refs;
	struct hf_server *server;
	struct hf_timeline *timeline;
	bool watched; /* the waiter has it: forget before letting go */
};

struct hf_sync_point {
	struct hf_sync_timeline *timeline; /* NULL: no point */
	uint64_t point;
};

enum hf_buffer_kind { HF_BUFFER_SHM, HF_BUFFER_HANDOFF };

/* A client buffer, alive while its resource or a commit holds it. */
struct hf_buffer {
	int refs;
	enum hf_buffer_kind kind;
	struct wl_resource *resource; /* NULL once the client destroyed it */
	struct wl_listener resource_destroy;
	int32_t width, height, stride;
	uint32_t fourcc;
	bool y_invert;
	/* HF_BUFFER_HANDOFF: the read-only mapping, ours until the last reference goes. */
	void *map;
	size_t map_size;
	size_t offset;
};

enum hf_present_mode { HF_MODE_MAILBOX = 0, HF_MODE_FIFO = 1 };

/* One wl_surface.commit that carries a buffer (or NULL), waiting to be shown. */
struct hf_commit {
	struct wl_list link;      /* hf_surface::queue */
	bool attach;              /* false: keeps the content, carries only callbacks */
	struct hf_buffer *buffer; /* NULL with attach: unmap */
	bool explicit_sync;
	struct hf_sync_point acquire, release;
	struct wl_list frame_callbacks; /* wl_resource link */
	struct wl_list feedbacks;       /* hf_feedback::link */
	int64_t commit_ns;
	int64_t ready_ns; /* 0 until the presenter saw the acquire point signaled */
};

struct hf_surface_state {
	bool buffer_attached;
	struct hf_buffer *buffer;       /* referenced */
	struct wl_list frame_callbacks; /* wl_resource link */
	struct wl_list feedbacks;       /* hf_feedback::link */
	struct hf_sync_point acquire, release;
	bool mode_set;
	enum hf_present_mode mode;
};

struct hf_toplevel;
struct hf_handoff_surface;

struct hf_surface {
	struct hf_server *server;
	struct wl_resource *resource;
	struct wl_list link; /* hf_server::surfaces */
	struct hf_surface_state pending;
	struct wl_list queue;           /* hf_commit::link, oldest first */
	struct wl_list frame_callbacks; /* applied, waiting for the next frame; wl_resource link */
	struct hf_handoff_surface *handoff; /* NULL: implicit sync */
	struct hf_toplevel *toplevel;       /* NULL: no role yet */
	enum hf_present_mode mode;
	/* What is shown: the texture holds the content of the last latched commit. */
	struct hf_texture *texture;
	int32_t width, height;
	uint32_t fourcc;
	bool mapped;
	uint64_t shown_point;       /* acquire point of the shown content, for the checker */
	uint64_t check_ready_point; /* checker: newest ready point before the latch */
	uint64_t check_last_point;  /* checker: the newest point shown so far */
	struct wl_signal destroy_signal;
};

/* An xdg_toplevel: the unit the output lays out. */
struct hf_toplevel {
	struct hf_server *server;
	struct hf_surface *surface; /* NULL once the wl_surface is gone */
	struct wl_resource *xdg_surface, *resource;
	struct wl_list link; /* hf_server::toplevels, oldest first; only while mapped */
	bool configured, linked;
	char *title;
	struct wl_listener surface_destroy;
};

#define HF_FRAME_SAMPLES 32

/* What one output frame showed, until the output reports it presented. */
struct hf_frame {
	uint64_t number;
	struct hf_box damage;     /* what differs from the frame before, in output coordinates */
	struct wl_list feedbacks; /* hf_feedback::link: the commits shown for the first time */
	struct wl_list frame_callbacks; /* wl_resource link */
	/* When each commit shown for the first time became ready; latency samples past the
	 * first HF_FRAME_SAMPLES windows of a frame are not kept. */
	int64_t ready_ns[HF_FRAME_SAMPLES];
	int n_ready;
	int64_t cpu_start_ns;
};

struct hf_presenter_stats {
	uint64_t output_frames, output_frames_discarded;
	uint64_t commits_presented, commits_discarded, commits;
	uint64_t checked, torn, stale, skipped;
	uint64_t output_resizes;
	struct hf_samples latency_ns; /* acquire seen signaled to presented */
	int64_t cpu_ns;               /* in repaints, from the latch to the submit */
};

struct hf_server {
	const struct hf_options *opts;
	struct wl_display *display;
	struct wl_event_loop *loop;
	const char *socket;
	struct hf_renderer *renderer;
	struct hf_output *output;
	struct hf_waiter *waiter;
	struct wl_event_source *waiter_source;
	struct wl_list surfaces;  /* hf_surface::link */
	struct wl_list toplevels; /* hf_toplevel::link */
	bool frame_scheduled;
	bool layout_dirty; /* toplevels came or went: draw even if no content changed */
	uint64_t frame_number;
	struct hf_presenter_stats stats;
	/* The output as it stood when the last window went away; NULL while windows show. */
	struct hf_pixels *last_window_shot;
	unsigned rand_state;
	int exit_code;
};

/* server.c */
bool hf_server_init_globals(struct hf_server *server);
void hf_server_finish(struct hf_server *server);
void hf_server_schedule_frame(struct hf_server *server);
void hf_server_output_frame(struct hf_server *server);
void hf_server_frame_presented(struct hf_server *server, struct hf_frame *frame, int64_t time_ns,
			       int64_t refresh_ns, uint64_t seq);
/* The parent dropped the frame: its commits were never seen on screen. */
void hf_server_frame_discarded(struct hf_server *server, struct hf_frame *frame);
void hf_server_quit(struct hf_server *server, int code);
bool hf_server_write_snapshot(struct hf_server *server, const char *path);
void hf_server_toplevels_changed(struct hf_server *server, bool removed_last);
/* The output took a new size: lay out and draw everything again. */
void hf_server_output_resized(struct hf_server *server);
int hf_server_rand(struct hf_server *server, int max);

/* sync.c: timelines and points */
struct hf_sync_timeline *hf_sync_timeline_create(struct hf_server *server,
						 struct hf_timeline *timeline);
struct hf_sync_timeline *hf_sync_timeline_ref(struct hf_sync_timeline *st);
void hf_sync_timeline_unref(struct hf_sync_timeline *st);
void hf_sync_point_set(struct hf_sync_point *p, struct hf_sync_timeline *st, uint64_t point);
void hf_sync_point_clear(struct hf_sync_point *p);
bool hf_sync_point_is_signaled(const struct hf_sync_point *p);
void hf_sync_point_signal(const struct hf_sync_point *p);
bool hf_sync_point_watch(struct hf_sync_point *p);

/* compositor.c */
bool hf_compositor_init(struct hf_server *server);
struct hf_surface *hf_surface_from_resource(struct wl_resource *resource);
/* Latches what is ready into the texture; true when the shown content changed. */
bool hf_surface_latch(struct hf_surface *surface, struct hf_frame *frame);
/* Whether a commit waits that is ready now, noting the time it became so. */
bool hf_surface_has_ready_commit(struct hf_surface *surface);

/* buffer.c */
struct hf_buffer *hf_buffer_from_resource(struct wl_resource *resource);
struct hf_buffer *hf_buffer_ref(struct hf_buffer *buffer);
void hf_buffer_unref(struct hf_buffer *buffer);
bool hf_buffer_begin_read(struct hf_buffer *buffer, struct hf_pixels *pixels);
void hf_buffer_end_read(struct hf_buffer *buffer);
void hf_buffer_send_release(struct hf_buffer *buffer);
struct hf_buffer *hf_buffer_create_handoff(struct wl_client *client, uint32_t id, void *map,
					   size_t map_size, size_t offset, int32_t width,
					   int32_t height, int32_t stride, uint32_t fourcc);

/* handoff.c */
bool hf_handoff_init(struct hf_server *server);
/* Checks the handoff rules for the pending state; posts the error and returns false. */
bool hf_handoff_surface_validate(struct hf_handoff_surface *hs, struct hf_surface_state *pending);
void hf_handoff_surface_detach(struct hf_handoff_surface *hs);

/* xdg_shell.c */
bool hf_xdg_shell_init(struct hf_server *server);
void hf_toplevel_surface_committed(struct hf_toplevel *toplevel);
void hf_toplevel_surface_mapped(struct hf_toplevel *toplevel, bool mapped);

/* presentation.c */
struct hf_feedback {
	struct wl_resource *resource;
	struct wl_list link;
};
bool hf_presentation_init(struct hf_server *server);
void hf_feedback_list_discard(struct wl_list *feedbacks);
void hf_feedback_list_present(struct wl_list *feedbacks, int64_t time_ns, int64_t refresh_ns,
			      uint64_t seq);
void hf_callback_list_done(struct wl_list *callbacks, int64_t time_ns);

/* checker.c */
void hf_check_frame(struct hf_server *server, const struct hf_pixels *target);
uint64_t hf_check_ready_point(struct hf_surface *surface);

/* layout.c */
bool hf_layout_box(struct hf_server *server, struct hf_toplevel *toplevel, struct hf_box *box);

/* snapshot.c */
bool hf_snapshot_write_png(const struct hf_pixels *pixels, const char *path);
struct hf_pixels *hf_pixels_copy(const struct hf_pixels *src);
void hf_pixels_free(struct hf_pixels *pixels);

/* report.c */
bool hf_presenter_stats_write(struct hf_server *server, const char *path);

#endif
