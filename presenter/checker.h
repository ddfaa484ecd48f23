/*
 * The frame checker, for tests and the demo. After each composition, every window must show
 * exactly one colour, color(N) of the frame whose acquire point N it claims to show: over the
 * whole window (solid), or down its first column, the stamp every pattern keeps (stamp). N
 * must never go back; in mailbox mode it must be at least the newest frame that was ready
 * before the latch; in fifo mode a frame skipped is counted apart. One checker checks one
 * output; what it remembers per window hangs off the window (addon.h).
 */
#ifndef HF_CHECKER_H
#define HF_CHECKER_H

#include "renderer.h"

#include <stdbool.h>
#include <stdint.h>

struct hf_compositor;
struct hf_surface;

enum hf_check_kind { HF_CHECK_NONE, HF_CHECK_SOLID, HF_CHECK_STAMP };

struct hf_check_counts {
	uint64_t checked, torn, stale, skipped;
	/* Direct frames checked again when the parent gave the image back (torn if changed). */
	uint64_t rechecked;
};

struct hf_checker {
	struct hf_compositor *compositor;
	enum hf_check_kind kind; /* HF_CHECK_NONE: checks nothing */
	bool consecutive;        /* every frame is checked: fifo skips can be counted */
	struct hf_check_counts counts;
};

void hf_checker_init(struct hf_checker *checker, struct hf_compositor *compositor,
		     enum hf_check_kind kind, bool consecutive);
void hf_checker_finish(struct hf_checker *checker);
/* Before the latch: notes the newest acquire point already signaled that mailbox may show. */
void hf_checker_before_latch(struct hf_checker *checker);
/* Adds to region the pixels hf_checker_check reads in an output of that size: what a renderer
 * must read back for it. */
void hf_checker_region(struct hf_checker *checker, int32_t output_width, int32_t output_height,
		       pixman_region32_t *region);
/* Checks the composed output of that size (read back from it) window by window. */
void hf_checker_check(struct hf_checker *checker, int32_t output_width, int32_t output_height,
		      const struct hf_pixels *shown);

/* Whether the client image shown whole as a direct frame still holds colour where the
 * checker looks (all of it, or its first column), as it did when it was handed over. */
bool hf_check_unchanged(const struct hf_pixels *image, enum hf_check_kind kind, uint32_t colour);

#endif
