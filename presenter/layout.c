/* Where each toplevel goes: one fills the output, several tile in a grid; aspect is kept. */
#include "server.h"

#include <math.h>

bool hf_layout_box(struct hf_server *server, struct hf_toplevel *toplevel, struct hf_box *box)
{
	struct hf_surface *surface = toplevel->surface;
	if (!surface || !surface->mapped || surface->width <= 0 || surface->height <= 0)
		return false;
	int n = wl_list_length(&server->toplevels), index = 0;
	struct hf_toplevel *t;
	wl_list_for_each(t, &server->toplevels, link) {
		if (t == toplevel)
			break;
		index++;
	}
	int cols = (int)ceil(sqrt((double)n));
	int rows = (n + cols - 1) / cols;
	int32_t cell_w = server->output->width / cols, cell_h = server->output->height / rows;
	double scale = fmin((double)cell_w / surface->width, (double)cell_h / surface->height);
	box->width = (int32_t)lround(surface->width * scale);
	box->height = (int32_t)lround(surface->height * scale);
	if (box->width < 1 || box->height < 1)
		return false;
	box->x = (index % cols) * cell_w + (cell_w - box->width) / 2;
	box->y = (index / cols) * cell_h + (cell_h - box->height) / 2;
	return true;
}
