/*
 * A Wayland wire tap: a socket that forwards every byte and fd between its clients and an
 * upstream compositor, unchanged, and notes on the side when a frame of the producer's solid
 * pattern goes by:
 *
 * - on wl_surface.commit of a wl_shm buffer, five pixels of that buffer (two must agree), read from
 * the pool's memory, names the producer frame N whose colour it is (color(N) of DESIGN.md);
 * - on handoff_surface_v1.set_acquire_point, the tap maps that shm timeline and notes when
 *   each point N is signaled (the producer's acquire point N is its frame N).
 *
 * Times are read on the clock passed in: the one the parent's timeline uses.
 */
#ifndef HB_TAP_H
#define HB_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define HB_MAX_FRAMES 65536

struct hb_tap;

struct hb_tap_commit {
	int64_t t;      /* when the commit went through the tap */
	uint32_t frame; /* producer frame shown in the committed buffer */
};

/* Listens on runtime_dir/name and forwards to runtime_dir/upstream. NULL with a message. */
struct hb_tap *hb_tap_start(const char *runtime_dir, const char *name, const char *upstream,
			    clockid_t clock);
/* Stops forwarding; the records stay readable until destroy. */
void hb_tap_stop(struct hb_tap *tap);
void hb_tap_destroy(struct hb_tap *tap); /* NULL is a no-op */
/* Commits whose buffer showed a known frame so far (safe while running). */
size_t hb_tap_decoded(struct hb_tap *tap);
/* After stop: every commit with a known frame, in order. */
const struct hb_tap_commit *hb_tap_commits(struct hb_tap *tap, size_t *n);
/* After stop: when frame became ready (its acquire point signaled, or else the first commit
 * showing it); 0 when unknown. */
int64_t hb_tap_ready(struct hb_tap *tap, uint32_t frame);
/* The frame whose solid colour is xrgb, near hint; 0 if none. */
uint32_t hb_frame_from_color(uint32_t xrgb, uint32_t hint);

#endif
