/*
 * Direct frames, for outputs that offer them (output.h): when one opaque window fills the
 * output with a client image the output has imported, that image is the frame, handed to
 * what shows the output (a parent compositor) with no composition. The image is imported
 * once, from the fd, when the client creates the buffer; the commit's release then waits
 * for the output to give the image back (hf_compositor_direct_complete).
 *
 * With the checker on, a checked direct frame is checked again when the image comes back:
 * a client that wrote into it while the parent could read it is counted torn.
 */
#ifndef HF_DIRECT_H
#define HF_DIRECT_H

#include "checker.h"
#include "options.h"

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

struct hf_buffer;
struct hf_compositor;
struct hf_output;
struct hf_window;

struct hf_direct {
	struct hf_compositor *compositor;
	struct hf_output *output;
	bool enabled;
	enum hf_check_kind check;
	struct hf_check_counts *counts; /* where rechecks count */
	struct wl_list held;            /* struct direct_recheck::link */
	uint64_t frames;                /* direct frames submitted */
	uint64_t images;                /* client images the output took */
	struct wl_listener new_buffer;
	struct wl_listener images_complete;
};

void hf_direct_init(struct hf_direct *direct, struct hf_compositor *compositor,
		    struct hf_output *output, bool enabled, enum hf_check_kind check,
		    struct hf_check_counts *counts);
void hf_direct_finish(struct hf_direct *direct);
/* The window a direct frame can show now, or NULL. */
struct hf_window *hf_direct_candidate(struct hf_direct *direct);
/* After a checked direct frame (number, from submit_image) showed buffer with colour. */
void hf_direct_hold_recheck(struct hf_direct *direct, struct hf_buffer *buffer, uint64_t number,
			    uint32_t colour);

#endif
