/*
 * The frame checker. After each composition, every window must show exactly one colour,
 * color(N) of the frame whose acquire point N it claims to show: over the whole window with
 * --check solid, down its first column (the stamp every pattern keeps on every row) with
 * --check stamp. N must never
 * go back. In mailbox mode it must also be at least the newest frame that was ready; in fifo
 * mode it must be the one right after the last shown (a skip is counted apart).
 */
#include "server.h"

#include "pattern.h"
#include "timeline.h"

/* Before the latch: the newest acquire point already signaled, read from the timelines. */
uint64_t hf_check_ready_point(struct hf_surface *surface)
{
	uint64_t newest = 0;
	if (surface->mode != HF_MODE_MAILBOX)
		return 0;
	struct hf_commit *commit;
	wl_list_for_each(commit, &surface->queue, link)
		if (commit->buffer && commit->acquire.timeline &&
		    hf_sync_point_is_signaled(&commit->acquire) && commit->acquire.point > newest)
			newest = commit->acquire.point;
	return newest;
}

static bool box_is_one_colour(const struct hf_pixels *target, const struct hf_box *box,
			      uint32_t *colour)
{
	const uint8_t *base = target->data;
	*colour = ((const uint32_t *)(base + (size_t)box->y * target->stride))[box->x] & 0xffffff;
	for (int32_t y = box->y; y < box->y + box->height; y++) {
		const uint32_t *row = (const uint32_t *)(base + (size_t)y * target->stride);
		for (int32_t x = box->x; x < box->x + box->width; x++)
			if ((row[x] & 0xffffff) != *colour)
				return false;
	}
	return true;
}

void hf_check_frame(struct hf_server *server, const struct hf_pixels *target)
{
	struct hf_toplevel *toplevel;
	wl_list_for_each(toplevel, &server->toplevels, link) {
		struct hf_surface *surface = toplevel->surface;
		struct hf_box box;
		if (!hf_layout_box(server, toplevel, &box))
			continue;
		if (server->opts->check == HF_CHECK_STAMP)
			box.width = 1;
		server->stats.checked++;
		uint32_t colour;
		if (!box_is_one_colour(target, &box, &colour)) {
			server->stats.torn++;
			continue;
		}
		uint64_t n = surface->shown_point;
		if (n == 0)
			continue; /* implicit sync: no frame number to hold the colour to */
		bool stale = colour != (hf_solid_color(n) & 0xffffff) ||
			     n < surface->check_last_point || n < surface->check_ready_point;
		server->stats.stale += stale;
		if (surface->mode == HF_MODE_FIFO && surface->check_last_point &&
		    n > surface->check_last_point + 1)
			server->stats.skipped++;
		if (n > surface->check_last_point)
			surface->check_last_point = n;
	}
}
