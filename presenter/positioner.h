/*
 * Where an xdg_popup goes (positioner.c): pure arithmetic on an xdg_positioner's state, with no
 * display, so that unit tests can drive it. Every box is in the parent's window-geometry
 * coordinates (the parent's set_window_geometry origin is 0, 0).
 */
#ifndef HF_POSITIONER_H
#define HF_POSITIONER_H

#include "renderer.h"

#include <stdbool.h>
#include <stdint.h>

/* xdg_positioner's state; anchor and gravity are xdg_positioner.anchor / .gravity values (the
 * same numbers), constraint_adjustment its bits. */
struct hf_positioner {
	int32_t width, height; /* 0: set_size never called */
	struct hf_box anchor_rect;
	bool has_anchor_rect;
	uint32_t anchor, gravity, constraint_adjustment;
	int32_t offset_x, offset_y;
	bool reactive;
	int32_t parent_width, parent_height; /* 0: set_parent_size never called */
	bool has_parent_configure;
	uint32_t parent_configure;
};

#define HF_POSITIONER_ANCHOR_MAX 8 /* bottom_right: the largest anchor and gravity value */

/* Whether get_popup and reposition may use it: a size and an anchor rectangle were set. */
bool hf_positioner_is_complete(const struct hf_positioner *p);

/* The popup's box: placed by anchor, gravity and offset, then, on each axis where it does not
 * fit inside bounds, adjusted as constraint_adjustment allows, in the protocol's order: flip,
 * then slide, then resize. bounds NULL: nothing constrains it. */
struct hf_box hf_positioner_place(const struct hf_positioner *p, const struct hf_box *bounds);

#endif
