/*
 * The frame checker, for tests and the demo. After each composition, every window must show
 * exactly one colour, color(N) of the frame whose acquire point N it claims to show: over the
 * whole window (solid), or down its first column, the stamp every pattern keeps (stamp). N
 * must never go back; in mailbox mode it must be at least the newest frame that was ready
 * before the latch; in fifo mode a frame skipped is counted apart.
 */
#ifndef HF_CHECKER_H
#define HF_CHECKER_H

#include "options.h"
#include "renderer.h"

#include <stdint.h>

struct hf_compositor;
struct hf_output;
struct hf_surface;

struct hf_check_counts {
	uint64_t checked, torn, stale, skipped;
	/* Direct frames checked again when the parent gave the image back (torn if changed). */
	uint64_t rechecked;
};

/* Before the latch: the newest acquire point already signaled that mailbox may show. */
uint64_t hf_check_ready_point(const struct hf_surface *surface);
/* Adds to region the output pixels hf_check_frame reads: what a renderer must read back. */
void hf_check_region(struct hf_compositor *compositor, const struct hf_output *output,
		     enum hf_check_kind kind, pixman_region32_t *region);
/* Checks the composed output (read back from it) window by window; fifo skips are counted
 * only when every frame is checked (consecutive). */
void hf_check_frame(struct hf_compositor *compositor, const struct hf_output *output,
		    const struct hf_pixels *shown, enum hf_check_kind kind, bool consecutive,
		    struct hf_check_counts *counts);

/* Whether the client image shown whole as a direct frame still holds colour where the
 * checker looks (all of it, or its first column), as it did when it was handed over. */
bool hf_check_unchanged(const struct hf_pixels *image, enum hf_check_kind kind, uint32_t colour);

#endif
