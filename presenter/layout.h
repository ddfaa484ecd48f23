/* Where each window goes: one fills the output, several tile in a grid; aspect is kept. */
#ifndef HF_LAYOUT_H
#define HF_LAYOUT_H

#include "renderer.h"

#include <stdbool.h>

struct hf_compositor;
struct hf_window;

/* False when the window has nothing to show or no room. */
bool hf_layout_box(const struct hf_compositor *compositor, int32_t output_width,
		   int32_t output_height, const struct hf_window *window, struct hf_box *box);

struct hf_buffer;

/* Where a surface of a window's tree goes: at x, y of the root's surface (its buffer, at scale
 * 1), scaled as the root is into root_box. */
void hf_layout_tree_box(const struct hf_box *root_box, const struct hf_buffer *root, int32_t x,
			int32_t y, const struct hf_buffer *buffer, struct hf_box *box);

/* The output's box in the root surface's coordinates of a window laid out on it, were its
 * root's buffer root_width x root_height: where its popups may lie. False when the window is
 * not laid out. */
bool hf_layout_output_in_window(const struct hf_compositor *compositor, int32_t output_width,
				int32_t output_height, const struct hf_window *window,
				int32_t root_width, int32_t root_height, struct hf_box *bounds);

#endif
