/*
 * Direct frames, for outputs that offer them (output.h): when one opaque window fills the
 * output with a client image the output has imported, that image is the frame, handed to
 * what shows the output (a parent compositor) with no composition. The image is imported
 * once, from the fd, when the client creates the buffer, and kept on the buffer (addon.h)
 * until the buffer or this goes. The frame is one more reader of its commit: it holds a lock
 * on it (surface.h) until the output gives the image back.
 *
 * With a checker, a checked direct frame is checked again when the image comes back: a client
 * that wrote into it while the parent could read it is counted torn.
 */
#ifndef HF_DIRECT_H
#define HF_DIRECT_H

#include "checker.h"

#include <pixman.h>
#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

struct hf_commit;
struct hf_compositor;
struct hf_output;
struct hf_window;

struct hf_direct_config {
	bool enabled;
	bool early_release; /* test only: the commit does not wait for the output's reads */
};

struct hf_direct {
	struct hf_compositor *compositor;
	struct hf_output *output;
	struct hf_direct_config config;
	struct hf_checker *checker; /* rechecks count there */
	struct wl_list images;      /* direct_image::link: the output's images of buffers */
	struct wl_list held;        /* direct_hold::link: frames the output reads, oldest first */
	uint64_t frames;            /* direct frames submitted */
	uint64_t images_made;       /* client images the output took */
	struct wl_listener new_buffer;
	struct wl_listener images_complete;
};

/* config.enabled is dropped when the output cannot take images. */
void hf_direct_init(struct hf_direct *direct, struct hf_compositor *compositor,
		    struct hf_output *output, const struct hf_direct_config *config,
		    struct hf_checker *checker);
/* Gives back every image and lock: before the output and the compositor go. */
void hf_direct_finish(struct hf_direct *direct);
/* The window a direct frame can show now, or NULL. */
struct hf_window *hf_direct_candidate(struct hf_direct *direct);
/* Submits the window's current content as the output's next frame (output.h, submit_image);
 * returns the frame's number, 0 when the output cannot take it now. */
uint64_t hf_direct_submit(struct hf_direct *direct, struct hf_window *window,
			  const pixman_region32_t *damage, void *frame, bool replaceable);
/* The frame just submitted was checked whole and showed colour: check it again when the
 * output gives it back. */
void hf_direct_recheck_later(struct hf_direct *direct, uint32_t colour);

#endif
