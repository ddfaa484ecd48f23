/* The frame checker (checker.h). */
#include "checker.h"

#include "layout.h"
#include "pattern.h"
#include "surface.h"
#include "timeline.h"

#include <stdlib.h>

/* What the checker knows of one window. */
struct check_window {
	struct hf_addon addon; /* on hf_window::addons */
	/* Newest point ready before the latch, newest point shown. */
	uint64_t ready_point, last_point;
};

static void check_window_destroy(struct hf_addon *addon)
{
	struct check_window *cw = wl_container_of(addon, cw, addon);
	hf_addon_finish(&cw->addon);
	free(cw);
}

static const struct hf_addon_interface check_window_impl = {
	.name = "checker",
	.destroy = check_window_destroy,
};

/* NULL when out of memory: that window goes unchecked this frame. */
static struct check_window *check_window_get(struct hf_checker *checker, struct hf_window *window)
{
	struct hf_addon *addon = hf_addon_find(&window->addons, checker, &check_window_impl);
	struct check_window *cw;
	if (addon)
		return wl_container_of(addon, cw, addon);
	cw = calloc(1, sizeof(*cw));
	if (cw)
		hf_addon_init(&cw->addon, &window->addons, checker, &check_window_impl);
	return cw;
}

void hf_checker_init(struct hf_checker *checker, struct hf_compositor *compositor,
		     enum hf_check_kind kind, bool consecutive)
{
	*checker = (struct hf_checker){
		.compositor = compositor, .kind = kind, .consecutive = consecutive};
}

void hf_checker_finish(struct hf_checker *checker)
{
	struct hf_window *window;
	wl_list_for_each(window, &checker->compositor->windows, link) {
		struct hf_addon *addon =
			hf_addon_find(&window->addons, checker, &check_window_impl);
		if (addon)
			check_window_destroy(addon);
	}
}

static uint64_t ready_point(const struct hf_surface *surface)
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

void hf_checker_before_latch(struct hf_checker *checker)
{
	if (checker->kind == HF_CHECK_NONE)
		return;
	struct hf_window *window;
	wl_list_for_each(window, &checker->compositor->windows, link) {
		struct check_window *cw = check_window_get(checker, window);
		if (cw)
			cw->ready_point = ready_point(window->surface);
	}
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
static bool check_box(struct hf_checker *checker, int32_t output_width, int32_t output_height,
		      struct hf_window *window, struct hf_box *box)
{
	if (!hf_layout_box(checker->compositor, output_width, output_height, window, box))
		return false;
	if (checker->kind == HF_CHECK_STAMP)
		box->width = 1;
	return true;
}

void hf_checker_region(struct hf_checker *checker, int32_t output_width, int32_t output_height,
		       pixman_region32_t *region)
{
	struct hf_window *window;
	wl_list_for_each(window, &checker->compositor->windows, link) {
		struct hf_box box;
		if (check_box(checker, output_width, output_height, window, &box) &&
		    box.width > 0 && box.height > 0)
			pixman_region32_union_rect(region, region, box.x, box.y,
						   (unsigned)box.width, (unsigned)box.height);
	}
}

void hf_checker_check(struct hf_checker *checker, int32_t output_width, int32_t output_height,
		      const struct hf_pixels *shown)
{
	struct hf_check_counts *counts = &checker->counts;
	struct hf_window *window;
	wl_list_for_each(window, &checker->compositor->windows, link) {
		const struct hf_commit *current = window->surface->current;
		struct hf_box box;
		if (!check_box(checker, output_width, output_height, window, &box))
			continue;
		counts->checked++;
		uint32_t colour;
		if (!box_is_one_colour(shown, &box, &colour)) {
			counts->torn++;
			continue;
		}
		uint64_t n = current->acquire.point;
		struct check_window *cw = check_window_get(checker, window);
		if (!current->acquire.timeline || !cw)
			continue; /* implicit sync: no frame number to hold the colour to */
		bool stale = colour != (hf_solid_color(n) & 0xffffff) || n < cw->last_point ||
			     n < cw->ready_point;
		counts->stale += stale;
		if (checker->consecutive && current->fifo && cw->last_point &&
		    n > cw->last_point + 1)
			counts->skipped++;
		if (n > cw->last_point)
			cw->last_point = n;
	}
}

bool hf_check_unchanged(const struct hf_pixels *image, enum hf_check_kind kind, uint32_t colour)
{
	struct hf_box box = {0, 0, kind == HF_CHECK_STAMP ? 1 : image->width, image->height};
	uint32_t now;
	return box_is_one_colour(image, &box, &now) && now == colour;
}
