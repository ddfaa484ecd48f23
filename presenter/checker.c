/* The frame checker (checker.h). */
#include "checker.h"

#include "layout.h"
#include "output.h"
#include "pattern.h"
#include "surface.h"
#include "timeline.h"

uint64_t hf_check_ready_point(const struct hf_surface *surface)
{
	uint64_t newest = 0;
	const struct hf_commit *commit = surface->current;
	if (commit && !commit->fifo && commit->buffer)
		newest = commit->acquire.point;
	/* Only mailbox commits that nothing fifo holds back may jump ahead. */
	wl_list_for_each(commit, &surface->queue, link) {
		if (commit->fifo)
			break;
		if (commit->buffer && commit->acquire.timeline &&
		    hf_sync_point_is_signaled(&commit->acquire) && commit->acquire.point > newest)
			newest = commit->acquire.point;
	}
	return newest;
}

static bool box_is_one_colour(const struct hf_pixels *shown, const struct hf_box *box,
			      uint32_t *colour)
{
	const uint8_t *base = shown->data;
	*colour = ((const uint32_t *)(base + (size_t)box->y * shown->stride))[box->x] & 0xffffff;
	for (int32_t y = box->y; y < box->y + box->height; y++) {
		const uint32_t *row = (const uint32_t *)(base + (size_t)y * shown->stride);
		for (int32_t x = box->x; x < box->x + box->width; x++)
			if ((row[x] & 0xffffff) != *colour)
				return false;
	}
	return true;
}

/* The pixels of window's box that the check reads: all, or the stamp column. */
static bool check_box(struct hf_compositor *compositor, const struct hf_output *output,
		      struct hf_window *window, enum hf_check_kind kind, struct hf_box *box)
{
	if (!hf_layout_box(compositor, output->width, output->height, window, box))
		return false;
	if (kind == HF_CHECK_STAMP)
		box->width = 1;
	return true;
}

void hf_check_region(struct hf_compositor *compositor, const struct hf_output *output,
		     enum hf_check_kind kind, pixman_region32_t *region)
{
	struct hf_window *window;
	wl_list_for_each(window, &compositor->windows, link) {
		struct hf_box box;
		if (check_box(compositor, output, window, kind, &box) && box.width > 0 &&
		    box.height > 0)
			pixman_region32_union_rect(region, region, box.x, box.y,
						   (unsigned)box.width, (unsigned)box.height);
	}
}

void hf_check_frame(struct hf_compositor *compositor, const struct hf_output *output,
		    const struct hf_pixels *shown, enum hf_check_kind kind, bool consecutive,
		    struct hf_check_counts *counts)
{
	struct hf_window *window;
	wl_list_for_each(window, &compositor->windows, link) {
		const struct hf_commit *current = window->surface->current;
		struct hf_box box;
		if (!check_box(compositor, output, window, kind, &box))
			continue;
		counts->checked++;
		uint32_t colour;
		if (!box_is_one_colour(shown, &box, &colour)) {
			counts->torn++;
			continue;
		}
		uint64_t n = current->acquire.point;
		if (!current->acquire.timeline)
			continue; /* implicit sync: no frame number to hold the colour to */
		bool stale = colour != (hf_solid_color(n) & 0xffffff) ||
			     n < window->check_last_point || n < window->check_ready_point;
		counts->stale += stale;
		if (consecutive && current->fifo && window->check_last_point &&
		    n > window->check_last_point + 1)
			counts->skipped++;
		if (n > window->check_last_point)
			window->check_last_point = n;
	}
}

bool hf_check_unchanged(const struct hf_pixels *image, enum hf_check_kind kind, uint32_t colour)
{
	struct hf_box box = {0, 0, kind == HF_CHECK_STAMP ? 1 : image->width, image->height};
	uint32_t now;
	return box_is_one_colour(image, &box, &now) && now == colour;
}
