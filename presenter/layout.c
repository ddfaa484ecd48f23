#include "layout.h"

#include "buffer.h"
#include "surface.h"

#include <math.h>

/* The window's box were its buffer width x height. */
static bool layout_box_sized(const struct hf_compositor *compositor, int32_t output_width,
			     int32_t output_height, const struct hf_window *window, int32_t width,
			     int32_t height, struct hf_box *box)
{
	/* Each window keeps its place: no walk over the others, which made a frame O(W^2). */
	int n = compositor->n_windows, index = window->index;
	int cols = (int)ceil(sqrt((double)n));
	int rows = (n + cols - 1) / cols;
	int32_t cell_w = output_width / cols, cell_h = output_height / rows;
	double scale = fmin((double)cell_w / width, (double)cell_h / height);
	box->width = (int32_t)lround(width * scale);
	box->height = (int32_t)lround(height * scale);
	if (box->width < 1 || box->height < 1)
		return false;
	box->x = (index % cols) * cell_w + (cell_w - box->width) / 2;
	box->y = (index / cols) * cell_h + (cell_h - box->height) / 2;
	return true;
}

bool hf_layout_box(const struct hf_compositor *compositor, int32_t output_width,
		   int32_t output_height, const struct hf_window *window, struct hf_box *box)
{
	const struct hf_surface *surface = window->surface;
	if (!surface || !surface->mapped)
		return false;
	const struct hf_buffer *buffer = surface->current->buffer;
	return layout_box_sized(compositor, output_width, output_height, window, buffer->width,
				buffer->height, box);
}

void hf_layout_tree_box(const struct hf_box *root_box, const struct hf_buffer *root, int32_t x,
			int32_t y, const struct hf_buffer *buffer, struct hf_box *box)
{
	double sx = (double)root_box->width / root->width;
	double sy = (double)root_box->height / root->height;
	box->x = root_box->x + (int32_t)lround(x * sx);
	box->y = root_box->y + (int32_t)lround(y * sy);
	box->width = (int32_t)lround(buffer->width * sx);
	box->height = (int32_t)lround(buffer->height * sy);
}

bool hf_layout_output_in_window(const struct hf_compositor *compositor, int32_t output_width,
				int32_t output_height, const struct hf_window *window,
				int32_t root_width, int32_t root_height, struct hf_box *bounds)
{
	struct hf_box box;
	if (root_width < 1 || root_height < 1 ||
	    !layout_box_sized(compositor, output_width, output_height, window, root_width,
			      root_height, &box))
		return false;
	double sx = (double)box.width / root_width, sy = (double)box.height / root_height;
	/* Inward: a popup inside these bounds lies inside the output. */
	bounds->x = (int32_t)ceil(-box.x / sx);
	bounds->y = (int32_t)ceil(-box.y / sy);
	bounds->width = (int32_t)floor((output_width - box.x) / sx) - bounds->x;
	bounds->height = (int32_t)floor((output_height - box.y) / sy) - bounds->y;
	return bounds->width > 0 && bounds->height > 0;
}
