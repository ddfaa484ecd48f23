/* The producer SDK's private state. */
#ifndef HP_SDK_H
#define HP_SDK_H

#include "handoff-producer.h"

#include <stdatomic.h>
#include <time.h>
#include <wayland-client.h>

#define HP_MAX_BUFFERS 16
#define HP_MAX_FORMATS 32
#define HP_SIGNAL_RING 1024

struct hf_timeline;

struct hp_client {
	struct wl_display *display;
	struct wl_registry *registry;
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct xdg_wm_base *wm_base;
	struct wp_presentation *presentation;
	struct handoff_manager_v1 *manager;
	bool manager_done;
	uint32_t handoff_formats[HP_MAX_FORMATS];
	int n_handoff_formats;
	uint32_t shm_formats[HP_MAX_FORMATS]; /* as DRM fourccs */
	int n_shm_formats;
	bool memfd_memory, shm_timelines;
	clockid_t presentation_clock; /* what wp_presentation times are in */
	char error[256];
};

struct hp_image {
	struct hp_frame frame;
	void *map;
	size_t size;
	struct wl_buffer *buffer;
	/* Explicit: the presenter signals release_point on release_timeline. */
	struct hf_timeline *release_timeline;
	struct handoff_timeline_v1 *release_object;
	uint64_t release_point;
	bool busy;           /* implicit: between commit and wl_buffer.release */
	uint64_t last_frame; /* the frame it last held, 0 if none */
};

struct hp_window {
	struct hp_client *client;
	struct hp_window_config cfg;
	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	struct handoff_surface_v1 *handoff;
	struct hf_timeline *acquire_timeline;
	struct handoff_timeline_v1 *acquire_object;
	struct hp_image images[HP_MAX_BUFFERS];
	uint64_t next_frame;
	bool configured, closed;
	hp_feedback_fn feedback_fn;
	void *feedback_data;
	/* When each frame was signaled, by frame number modulo the ring. */
	_Atomic int64_t signal_ns[HP_SIGNAL_RING];
};

void hp_client_set_error(struct hp_client *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The connection failed: records why (the display's error, else fallback_errno), once.
 * Always returns false, for `return hp_client_fail(c, errno);`. */
bool hp_client_fail(struct hp_client *c, int fallback_errno);

#endif
