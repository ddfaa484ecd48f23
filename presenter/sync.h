/*
 * Explicit sync in the core: timelines, points, and waits that call back from the event loop
 * once a point is signaled. The event loop never blocks on a point: a waiter thread sleeps on
 * every watched timeline and wakes the loop through an eventfd.
 */
#ifndef HF_SYNC_H
#define HF_SYNC_H

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

struct hf_client;
struct hf_gpu_timeline;
struct hf_renderer;
struct hf_timeline;
struct hf_sync;

/* renderer: where GPU timelines come from, and which says when they move. */
struct hf_sync *hf_sync_create(struct wl_event_loop *loop, struct hf_renderer *renderer);
void hf_sync_destroy(struct hf_sync *sync); /* NULL is a no-op */

/* A timeline as the presenter holds it: by its resource and by every point set on it. */
struct hf_sync_timeline {
	int refs;
	struct hf_sync *sync;
	struct hf_timeline *timeline; /* a shared-memory timeline, or NULL for ... */
	struct hf_gpu_timeline *gpu;  /* ... a GPU one, the renderer's */
	struct hf_client *client;     /* counted against its limits; NULL: nobody's */
	struct wl_list waits;         /* hf_sync_wait::link, armed on this timeline */
	struct wl_list link;          /* hf_sync::timelines, while waits is not empty */
};

/* Takes the timeline reference; counts against client (may be NULL). NULL when out of memory. */
struct hf_sync_timeline *hf_sync_timeline_create(struct hf_sync *sync, struct hf_timeline *tl,
						 struct hf_client *client);
/* The same for a GPU timeline the renderer imported, which it takes. */
struct hf_sync_timeline *hf_sync_timeline_create_gpu(struct hf_sync *sync,
						     struct hf_gpu_timeline *gpu,
						     struct hf_client *client);
struct hf_sync_timeline *hf_sync_timeline_ref(struct hf_sync_timeline *st);
void hf_sync_timeline_unref(struct hf_sync_timeline *st); /* NULL is a no-op */

struct hf_sync_point {
	struct hf_sync_timeline *timeline; /* referenced; NULL: no point */
	uint64_t point;
};

void hf_sync_point_set(struct hf_sync_point *p, struct hf_sync_timeline *st, uint64_t point);
void hf_sync_point_clear(struct hf_sync_point *p);
/* Moves the point (and its reference) from src to dst, clearing src. */
void hf_sync_point_move(struct hf_sync_point *dst, struct hf_sync_point *src);
bool hf_sync_point_is_signaled(const struct hf_sync_point *p); /* no point: signaled */
void hf_sync_point_signal(const struct hf_sync_point *p);

struct hf_sync_wait;
typedef void (*hf_sync_notify_func)(struct hf_sync_wait *wait);

/* A one-shot wait, embedded in its owner. Initialize with hf_sync_wait_init. */
struct hf_sync_wait {
	struct wl_list link; /* hf_sync_timeline::waits, or self-linked when not armed */
	struct hf_sync_point point;
	hf_sync_notify_func notify;
};

void hf_sync_wait_init(struct hf_sync_wait *wait);
/* Calls notify from the event loop, never from inside this call, once the point is signaled;
 * the wait is disarmed first. False (nothing armed) when out of memory. */
bool hf_sync_wait_arm(struct hf_sync_wait *wait, const struct hf_sync_point *point,
		      hf_sync_notify_func notify);
/* Disarms; a wait that is not armed is left as it is. */
void hf_sync_wait_cancel(struct hf_sync_wait *wait);

#endif
