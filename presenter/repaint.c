/* The repaint cycle: latch, lay out, damage, compose, check, present, answer the clients. */
#include "repaint.h"

#include "buffer.h"
#include "checker.h"
#include "layout.h"
#include "log.h"
#include "output.h"
#include "snapshot.h"
#include "subsurface.h"
#include "surface.h"
#include "sync.h"
#include "time_util.h"

#include <drm_fourcc.h>
#include <stdlib.h>

#define BACKGROUND 0x202428u

void hf_server_schedule_frame(struct hf_server *server)
{
	if (server->frame_scheduled)
		return;
	server->frame_scheduled = true;
	server->output->impl->schedule_frame(server->output);
}

void hf_server_quit(struct hf_server *server, int code)
{
	server->exit_code = code;
	wl_display_terminate(server->display);
}

static int server_rand(struct hf_server *server, int max)
{
	if (max <= 0)
		return 0;
	server->rand_state = server->rand_state * 1103515245u + 12345u;
	return (int)((server->rand_state >> 8) % (unsigned)(max + 1));
}

static struct hf_frame *frame_get(struct hf_server *server)
{
	struct hf_frame *frame;
	if (!wl_list_empty(&server->free_frames)) {
		frame = wl_container_of(server->free_frames.next, frame, link);
		wl_list_remove(&frame->link);
	} else if (!(frame = malloc(sizeof(*frame)))) {
		return NULL;
	}
	wl_list_init(&frame->present_callbacks);
	wl_list_init(&frame->frame_callbacks);
	frame->n_ready = frame->n_new = 0;
	frame->fifo = false;
	wl_list_insert(&server->frames_out, &frame->link);
	return frame;
}

static void frame_put(struct hf_server *server, struct hf_frame *frame)
{
	wl_list_remove(&frame->link);
	wl_list_insert(&server->free_frames, &frame->link);
}

static bool box_equal(const struct hf_box *a, const struct hf_box *b)
{
	return a->x == b->x && a->y == b->y && a->width == b->width && a->height == b->height;
}

static void region_add_box(pixman_region32_t *region, const struct hf_box *box)
{
	if (box->width > 0 && box->height > 0)
		pixman_region32_union_rect(region, region, box->x, box->y, (unsigned)box->width,
					   (unsigned)box->height);
}

static struct hf_window *surface_window(struct hf_server *server, struct hf_surface *surface)
{
	struct hf_window *window;
	wl_list_for_each(window, &server->compositor->windows, link)
		if (window->surface == surface)
			return window;
	return NULL;
}

/* A walk over a window's surface tree (subsurface.h). */
struct tree_walk {
	struct hf_server *server;
	struct hf_box root_box;        /* where the window goes */
	const struct hf_buffer *root;  /* its buffer: the tree is scaled as it is */
	struct hf_box extent;          /* tree_extent: every surface's box */
	uint64_t serial;               /* tree_extent: changes when any content does */
	const pixman_region32_t *draw; /* tree_draw: what to draw */
	uint64_t composition;          /* tree_stamp: the composition that read them */
};

static void box_union(struct hf_box *a, const struct hf_box *b)
{
	if (b->width <= 0 || b->height <= 0)
		return;
	if (a->width <= 0 || a->height <= 0) {
		*a = *b;
		return;
	}
	int32_t x2 = a->x + a->width > b->x + b->width ? a->x + a->width : b->x + b->width;
	int32_t y2 = a->y + a->height > b->y + b->height ? a->y + a->height : b->y + b->height;
	a->x = a->x < b->x ? a->x : b->x;
	a->y = a->y < b->y ? a->y : b->y;
	a->width = x2 - a->x;
	a->height = y2 - a->y;
}

/* The box a surface of the walked tree is drawn in. */
static void tree_box(struct tree_walk *walk, struct hf_surface *surface, int32_t x, int32_t y,
		     struct hf_box *box)
{
	hf_layout_tree_box(&walk->root_box, walk->root, x, y, surface->current->buffer, box);
}

static void tree_extent(struct hf_surface *surface, int32_t x, int32_t y, void *data)
{
	struct tree_walk *walk = data;
	struct hf_box box;
	tree_box(walk, surface, x, y, &box);
	box_union(&walk->extent, &box);
	walk->serial = walk->serial * 1000003u + surface->content_serial * 31u +
		       (uint64_t)(uint32_t)x * 7u + (uint64_t)(uint32_t)y;
}

/* What changed since the last frame: new content, or a window that moved or resized. */
static void frame_damage(struct hf_server *server, pixman_region32_t *damage)
{
	struct hf_output *o = server->output;
	if (server->full_damage) {
		pixman_region32_union_rect(damage, damage, 0, 0, (unsigned)o->width,
					   (unsigned)o->height);
		server->full_damage = false;
	}
	struct hf_window *window;
	wl_list_for_each(window, &server->compositor->windows, link) {
		struct tree_walk walk = {.server = server};
		if (hf_layout_box(server->compositor, o->width, o->height, window,
				  &walk.root_box)) {
			walk.root = window->surface->current->buffer;
			hf_surface_tree_for_each(window->surface, tree_extent, &walk);
		}
		if (box_equal(&walk.extent, &window->drawn_box) &&
		    window->drawn_serial == walk.serial)
			continue;
		region_add_box(damage, &window->drawn_box);
		region_add_box(damage, &walk.extent);
		window->drawn_box = walk.extent;
		window->drawn_serial = walk.serial;
	}
	pixman_region32_intersect_rect(damage, damage, 0, 0, (unsigned)o->width,
				       (unsigned)o->height);
}

/* What the target must have redrawn: this frame's damage and that of the frames it missed. */
static void target_damage(struct hf_server *server, int age, const pixman_region32_t *damage,
			  pixman_region32_t *draw)
{
	struct hf_output *o = server->output;
	pixman_region32_copy(draw, (pixman_region32_t *)damage);
	if (age <= 0 || age > HF_DAMAGE_RING) {
		pixman_region32_union_rect(draw, draw, 0, 0, (unsigned)o->width,
					   (unsigned)o->height);
		return;
	}
	for (int i = 0; i < age - 1; i++) {
		int pos = (server->ring_pos - i + HF_DAMAGE_RING) % HF_DAMAGE_RING;
		pixman_region32_union(draw, draw, &server->damage_ring[pos]);
	}
}

static void ring_push(struct hf_server *server, const pixman_region32_t *damage)
{
	server->ring_pos = (server->ring_pos + 1) % HF_DAMAGE_RING;
	pixman_region32_copy(&server->damage_ring[server->ring_pos], (pixman_region32_t *)damage);
}

static void draw_surface(struct hf_server *server, struct hf_surface *surface,
			 const struct hf_box *box, const pixman_region32_t *draw)
{
	struct hf_renderer *r = server->renderer;
	struct hf_buffer *buffer = surface->current->buffer;
	struct hf_pixels src;
	if (!hf_buffer_begin_read(buffer, &src))
		return;
	if (!buffer->texture) {
		buffer->texture = r->impl->texture_create(r, &src);
		buffer->renderer = r;
	}
	if (!buffer->texture) {
		hf_buffer_end_read(buffer);
		hf_error("the %s renderer cannot read a %dx%d buffer", r->impl->name, src.width,
			 src.height);
		return;
	}
	const struct hf_sync_point *acquire = &surface->current->acquire;
	if (acquire->timeline && acquire->timeline->gpu)
		r->impl->timeline_wait_gpu(r, acquire->timeline->gpu, acquire->point);
	int delay_us = server->opts->blit_delay_us;
	if (delay_us <= 0) {
		r->impl->draw(r, buffer->texture, &src, box, draw);
	} else {
		/* Test only: a slow reader, to widen any window in which a writer could race. */
		pixman_region32_t half;
		pixman_region32_init(&half);
		int32_t mid = box->y + box->height / 2;
		pixman_region32_intersect_rect(&half, (pixman_region32_t *)draw, box->x, box->y,
					       (unsigned)box->width, (unsigned)(mid - box->y));
		r->impl->draw(r, buffer->texture, &src, box, &half);
		hf_sleep_ns(server_rand(server, delay_us) * 1000LL);
		pixman_region32_intersect_rect(&half, (pixman_region32_t *)draw, box->x, mid,
					       (unsigned)box->width,
					       (unsigned)(box->y + box->height - mid));
		r->impl->draw(r, buffer->texture, &src, box, &half);
		pixman_region32_fini(&half);
	}
	hf_buffer_end_read(buffer);
}

static void tree_draw(struct hf_surface *surface, int32_t x, int32_t y, void *data)
{
	struct tree_walk *walk = data;
	struct hf_box box;
	tree_box(walk, surface, x, y, &box);
	if (box.width <= 0 || box.height <= 0)
		return;
	pixman_region32_t part;
	pixman_region32_init_rect(&part, box.x, box.y, (unsigned)box.width, (unsigned)box.height);
	pixman_region32_intersect(&part, &part, (pixman_region32_t *)walk->draw);
	if (pixman_region32_not_empty(&part))
		draw_surface(walk->server, surface, &box, &part);
	pixman_region32_fini(&part);
}

static void tree_stamp(struct hf_surface *surface, int32_t x, int32_t y, void *data)
{
	struct tree_walk *walk = data;
	if (surface->current && surface->current->buffer)
		surface->current->last_read = walk->composition;
}

/* One read of each window in draw, one write of draw; the background only where no opaque
 * window lies. Returns the composition's number, 0 when the renderer could not start. */
/* Whether this frame is one the checker looks at. */
static bool check_due(const struct hf_server *server)
{
	unsigned every = server->opts->check_every ? server->opts->check_every : 1;
	return server->opts->check && (server->frames_composed + 1) % every == 0;
}

static uint64_t compose(struct hf_server *server, const struct hf_pixels *target,
			const pixman_region32_t *draw)
{
	struct hf_renderer *r = server->renderer;
	struct hf_output *o = server->output;
	/* Pixels the CPU reads back: a nested output's buffers, and what the checker reads. */
	pixman_region32_t read_back;
	pixman_region32_init(&read_back);
	if (o->needs_pixels)
		pixman_region32_union_rect(&read_back, &read_back, 0, 0, (unsigned)o->width,
					   (unsigned)o->height);
	else if (check_due(server))
		hf_check_region(server->compositor, o, server->opts->check, &read_back);
	bool begun = r->impl->begin(r, target,
				    pixman_region32_not_empty(&read_back) ? &read_back : NULL);
	pixman_region32_fini(&read_back);
	if (!begun) {
		hf_error("the %s renderer cannot draw into the output", r->impl->name);
		return 0;
	}
	pixman_region32_t clear;
	pixman_region32_init(&clear);
	pixman_region32_copy(&clear, (pixman_region32_t *)draw);
	struct hf_window *window;
	wl_list_for_each(window, &server->compositor->windows, link) {
		struct hf_box box;
		if (hf_layout_box(server->compositor, o->width, o->height, window, &box) &&
		    !hf_buffer_has_alpha(window->surface->current->buffer)) {
			pixman_region32_t covered;
			pixman_region32_init_rect(&covered, box.x, box.y, (unsigned)box.width,
						  (unsigned)box.height);
			pixman_region32_subtract(&clear, &clear, &covered);
			pixman_region32_fini(&covered);
		}
	}
	r->impl->clear(r, &clear, BACKGROUND);
	pixman_region32_fini(&clear);
	wl_list_for_each(window, &server->compositor->windows, link) {
		struct tree_walk walk = {.server = server, .draw = draw};
		if (hf_layout_box(server->compositor, o->width, o->height, window,
				  &walk.root_box)) {
			walk.root = window->surface->current->buffer;
			hf_surface_tree_for_each(window->surface, tree_draw, &walk);
		}
	}
	uint64_t number = r->impl->end(r);
	/* Stamped after end(): a synchronous renderer has completed it already, and a buffer
	 * replaced from now on waits for this composition. */
	wl_list_for_each(window, &server->compositor->windows, link) {
		struct tree_walk walk = {.server = server, .composition = number};
		hf_surface_tree_for_each(window->surface, tree_stamp, &walk);
	}
	return number;
}

/* Content shown for the first time in this frame: its feedback goes with the frame. */
static void frame_collect(struct hf_server *server, struct hf_frame *frame, bool shown,
			  uint64_t composition)
{
	struct hf_surface *surface;
	wl_list_for_each(surface, &server->compositor->surfaces, link) {
		struct hf_commit *current = surface->current;
		bool drawn = shown && hf_subsurface_visible(surface) &&
			     surface_window(server, hf_subsurface_root(surface));
		if (drawn && current && !current->drawn && current->buffer) {
			if (frame->n_ready < HF_FRAME_SAMPLES)
				frame->ready_ns[frame->n_ready++] = current->ready_ns;
			frame->n_new++;
			frame->fifo |= current->fifo || current->fifo_wait;
		}
		wl_list_insert_list(frame->frame_callbacks.prev, &surface->frame_callbacks);
		wl_list_init(&surface->frame_callbacks);
		hf_surface_frame_done(surface, &frame->present_callbacks, drawn, composition);
	}
}

static void latch(struct hf_server *server)
{
	if (server->opts->check) {
		struct hf_window *window;
		wl_list_for_each(window, &server->compositor->windows, link)
			window->check_ready_point = hf_check_ready_point(window->surface);
	}
	struct hf_surface *surface, *tmp;
	wl_list_for_each_safe(surface, tmp, &server->compositor->surfaces, link)
		hf_surface_update(surface);
}

static bool callbacks_due(struct hf_server *server)
{
	struct hf_surface *surface;
	wl_list_for_each(surface, &server->compositor->surfaces, link)
		if (hf_surface_wants_frame(surface))
			return true;
	return false;
}

static void set_direct_shown(struct hf_server *server, struct hf_buffer *buffer)
{
	if (buffer)
		hf_buffer_ref(buffer);
	hf_buffer_unref(server->direct_shown);
	server->direct_shown = buffer;
}

/* The output's last frame, with the renderer's pixels in it (in region at least; NULL: all),
 * or the client image it showed. */
static bool read_output(struct hf_server *server, const pixman_region32_t *region,
			struct hf_pixels *pixels)
{
	if (server->direct_shown) {
		/* A handoff image's mapping lives with the buffer: no access to end. */
		if (!hf_buffer_begin_read(server->direct_shown, pixels))
			return false;
		if (pixels->fourcc == DRM_FORMAT_XRGB8888)
			return true;
		hf_pixels_free(server->direct_xrgb);
		server->direct_xrgb = hf_pixels_to_xrgb(pixels);
		if (!server->direct_xrgb)
			return false;
		*pixels = *server->direct_xrgb;
		return true;
	}
	struct hf_renderer *r = server->renderer;
	if (r->impl->read_back)
		r->impl->read_back(r, region);
	return server->output->impl->read_last(server->output, pixels);
}

static void check_frame(struct hf_server *server, const struct hf_pixels *shown_pixels)
{
	struct hf_pixels shown = *shown_pixels;
	uint64_t torn = server->stats.check.torn;
	hf_check_frame(server->compositor, server->output, &shown, server->opts->check,
		       server->opts->check_every == 1, &server->stats.check);
	const char *path = server->opts->torn_snapshot_path;
	if (path && server->stats.check.torn > torn && !server->wrote_torn_shot) {
		server->wrote_torn_shot = true;
		if (hf_snapshot_write_png(&shown, path))
			hf_info("wrote the first torn frame to %s", path);
	}
}

/* The window's client image is the frame: no composition. False when the output cannot
 * take it now (the image is busy, or out of memory): the frame is composed instead. */
static bool direct_frame(struct hf_server *server, struct hf_window *window,
			 const pixman_region32_t *damage, int64_t start_ns)
{
	struct hf_output *o = server->output;
	struct hf_commit *current = window->surface->current;
	struct hf_buffer *buffer = current->buffer;
	struct hf_frame *frame = frame_get(server);
	if (!frame)
		return false;
	bool fifo = current->fifo && !current->drawn;
	uint64_t number = o->impl->submit_image(o, buffer->image, damage, frame, !fifo);
	if (number == 0) {
		frame_put(server, frame);
		return false;
	}
	/* Before anything can replace it: its release now waits for the output too (unless a
	 * test asks for the bug of not waiting). */
	if (!server->opts->direct_early_release)
		current->last_direct = number;
	server->direct.frames++;
	set_direct_shown(server, buffer);
	struct hf_pixels raw, shown;
	if (check_due(server) && hf_buffer_begin_read(buffer, &raw) &&
	    read_output(server, NULL, &shown)) {
		uint64_t torn = server->stats.check.torn;
		check_frame(server, &shown);
		/* The second check compares the image's own pixels, of a frame whole at hand-over
		 * (one torn frame counts once). */
		uint32_t colour = ((const uint32_t *)raw.data)[0] & 0xffffff;
		if (server->stats.check.torn == torn)
			hf_direct_hold_recheck(&server->direct, buffer, number, colour);
	}
	server->frames_composed++;
	frame_collect(server, frame, true, 0);
	frame->repaint_ns = start_ns;
	hf_samples_add(&server->stats.repaint_ns, hf_now_ns() - start_ns);
	ring_push(server, damage);
	return true;
}

/* One output frame: direct where it may be, else composed. reclaim: composed, even with
 * nothing new, so that the output gets the client images it showed back. */
static void repaint(struct hf_server *server, bool reclaim)
{
	int64_t start_ns = hf_now_ns();
	latch(server);
	pixman_region32_t damage, draw;
	pixman_region32_init(&damage);
	pixman_region32_init(&draw);
	frame_damage(server, &damage);
	if (!reclaim && !pixman_region32_not_empty(&damage) && !callbacks_due(server))
		goto out;
	struct hf_window *direct = reclaim ? NULL : hf_direct_candidate(&server->direct);
	if (direct && direct_frame(server, direct, &damage, start_ns))
		goto out;
	struct hf_output_target target;
	if (!server->output->impl->begin(server->output, &target)) {
		/* The output asks again once a target is free; this damage must wait for it. */
		server->full_damage = true;
		goto out;
	}
	struct hf_frame *frame = frame_get(server);
	if (!frame) {
		hf_error("out of memory in a repaint");
		server->full_damage = true;
		goto out;
	}
	target_damage(server, target.age, &damage, &draw);
	uint64_t composition = compose(server, &target.pixels, &draw);
	if (server->renderer->failed) {
		hf_error("the %s renderer failed (%s): exiting", server->renderer->impl->name,
			 server->renderer->failed);
		hf_server_quit(server, 1);
	}
	if (composition == 0) {
		/* Nothing was drawn: the contents are given up and drawn whole next time. */
		server->full_damage = true;
		frame_collect(server, frame, false, 0);
		hf_present_callbacks_done(&frame->present_callbacks, NULL);
		hf_frame_callbacks_done(&frame->frame_callbacks, hf_now_ns());
		frame_put(server, frame);
		goto out;
	}
	set_direct_shown(server, NULL);
	struct hf_pixels shown;
	if (check_due(server)) {
		pixman_region32_t checked;
		pixman_region32_init(&checked);
		hf_check_region(server->compositor, server->output, server->opts->check, &checked);
		if (read_output(server, &checked, &shown))
			check_frame(server, &shown);
		pixman_region32_fini(&checked);
	}
	server->frames_composed++;
	frame_collect(server, frame, true, composition);
	frame->repaint_ns = start_ns;
	hf_samples_add(&server->stats.repaint_ns, hf_now_ns() - start_ns);
	ring_push(server, &damage);
	server->output->impl->submit(server->output, &damage, frame, !frame->fifo);
out:
	pixman_region32_fini(&damage);
	pixman_region32_fini(&draw);
}

static void server_handle_output_frame(struct wl_listener *listener, void *data)
{
	struct hf_server *server = wl_container_of(listener, server, output_frame);
	server->frame_scheduled = false;
	repaint(server, false);
}

static void server_handle_output_reclaim(struct wl_listener *listener, void *data)
{
	struct hf_server *server = wl_container_of(listener, server, output_reclaim);
	repaint(server, true);
}

/* The output cannot show anything now: take what is due anyway, and report it discarded. */
static void server_handle_output_skip(struct wl_listener *listener, void *data)
{
	struct hf_server *server = wl_container_of(listener, server, output_skip);
	server->frame_scheduled = false;
	latch(server);
	struct hf_frame *frame = frame_get(server);
	if (!frame)
		return;
	frame_collect(server, frame, false, 0);
	hf_present_callbacks_done(&frame->present_callbacks, NULL);
	hf_frame_callbacks_done(&frame->frame_callbacks, hf_now_ns());
	frame_put(server, frame);
	server->stats.output_frames_skipped++;
}

/* The output took the frame: its frame callbacks need not wait for the verdict. */
static void server_handle_output_latched(struct wl_listener *listener, void *data)
{
	struct hf_frame *frame = data;
	hf_frame_callbacks_done(&frame->frame_callbacks, hf_now_ns());
}

static void server_handle_output_present(struct wl_listener *listener, void *data)
{
	struct hf_server *server = wl_container_of(listener, server, output_present);
	struct hf_output_present_event *event = data;
	struct hf_frame *frame = event->frame;
	struct hf_presenter_stats *stats = &server->stats;
	if (event->presented) {
		for (int i = 0; i < frame->n_ready; i++) {
			hf_samples_add(&stats->latency_ns, event->time_ns - frame->ready_ns[i]);
			/* Ready during the repaint's own latch: no wait at all. */
			int64_t wait = frame->repaint_ns - frame->ready_ns[i];
			hf_samples_add(&stats->wait_ns, wait > 0 ? wait : 0);
		}
		struct hf_present_info info = {
			.time_ns = event->time_ns,
			.refresh_ns = event->refresh_ns,
			.seq = event->seq,
			.flags = event->flags,
		};
		hf_present_callbacks_done(&frame->present_callbacks, &info);
		hf_frame_callbacks_done(&frame->frame_callbacks, event->time_ns);
		stats->commits_presented += (uint64_t)frame->n_new;
		stats->output_frames++;
	} else {
		hf_present_callbacks_done(&frame->present_callbacks, NULL);
		hf_frame_callbacks_done(&frame->frame_callbacks, hf_now_ns());
		server->compositor->commits_discarded += (uint64_t)frame->n_new;
		stats->output_frames_discarded++;
	}
	frame_put(server, frame);

	uint64_t limit = server->opts->exit_after_frames;
	if (limit && stats->output_frames >= limit) {
		hf_info("presented %llu frames, exiting", (unsigned long long)limit);
		hf_server_quit(server, 0);
		return;
	}
	/* A repaint that showed nothing new still rescans: fifo queues, callbacks due. */
	if (callbacks_due(server))
		hf_server_schedule_frame(server);
}

static void server_handle_frame_needed(struct wl_listener *listener, void *data)
{
	struct hf_server *server = wl_container_of(listener, server, frame_needed);
	hf_server_schedule_frame(server);
}

static void server_handle_windows_changed(struct wl_listener *listener, void *data)
{
	struct hf_server *server = wl_container_of(listener, server, windows_changed);
	bool removed_last = *(bool *)data;
	server->full_damage = true;
	hf_server_schedule_frame(server);
	if (!removed_last)
		return;
	/* The snapshot of a finished run shows its last frame, not the empty background. */
	struct hf_pixels last;
	if (!read_output(server, NULL, &last))
		return;
	hf_pixels_free(server->last_window_shot);
	server->last_window_shot = hf_pixels_copy(&last);
}

static void server_handle_output_resize(struct wl_listener *listener, void *data)
{
	struct hf_server *server = wl_container_of(listener, server, output_resize);
	server->stats.output_resizes++;
	server->full_damage = true;
	hf_server_schedule_frame(server);
}

bool hf_server_write_snapshot(struct hf_server *server, const char *path)
{
	struct hf_pixels now;
	const struct hf_pixels *shot = server->last_window_shot;
	if (!wl_list_empty(&server->compositor->windows) || !shot) {
		if (!read_output(server, NULL, &now))
			return false;
		shot = &now;
	}
	return hf_snapshot_write_png(shot, path);
}

void hf_repaint_init(struct hf_server *server)
{
	server->stats.cpu_start_ns = hf_cpu_ns();
	for (int i = 0; i < HF_DAMAGE_RING; i++)
		pixman_region32_init(&server->damage_ring[i]);
	wl_list_init(&server->free_frames);
	wl_list_init(&server->frames_out);
	server->full_damage = true;
	server->frame_needed.notify = server_handle_frame_needed;
	wl_signal_add(&server->compositor->events.frame_needed, &server->frame_needed);
	server->windows_changed.notify = server_handle_windows_changed;
	wl_signal_add(&server->compositor->events.windows_changed, &server->windows_changed);
	server->output_frame.notify = server_handle_output_frame;
	wl_signal_add(&server->output->events.frame, &server->output_frame);
	server->output_skip.notify = server_handle_output_skip;
	wl_signal_add(&server->output->events.skip, &server->output_skip);
	server->output_latched.notify = server_handle_output_latched;
	wl_signal_add(&server->output->events.latched, &server->output_latched);
	server->output_present.notify = server_handle_output_present;
	wl_signal_add(&server->output->events.present, &server->output_present);
	server->output_resize.notify = server_handle_output_resize;
	wl_signal_add(&server->output->events.resize, &server->output_resize);
	server->output_reclaim.notify = server_handle_output_reclaim;
	wl_signal_add(&server->output->events.reclaim, &server->output_reclaim);
	hf_direct_init(&server->direct, server->compositor, server->output, server->opts->direct,
		       server->opts->check, &server->stats.check);
}

void hf_repaint_finish(struct hf_server *server)
{
	wl_list_remove(&server->frame_needed.link);
	wl_list_remove(&server->windows_changed.link);
	wl_list_remove(&server->output_frame.link);
	wl_list_remove(&server->output_skip.link);
	wl_list_remove(&server->output_latched.link);
	wl_list_remove(&server->output_present.link);
	wl_list_remove(&server->output_resize.link);
	wl_list_remove(&server->output_reclaim.link);
	/* Frames the output never reported: nobody will see them now. */
	while (!wl_list_empty(&server->frames_out)) {
		struct hf_frame *frame = wl_container_of(server->frames_out.next, frame, link);
		hf_present_callbacks_done(&frame->present_callbacks, NULL);
		hf_frame_callbacks_done(&frame->frame_callbacks, hf_now_ns());
		frame_put(server, frame);
	}
	while (!wl_list_empty(&server->free_frames)) {
		struct hf_frame *frame = wl_container_of(server->free_frames.next, frame, link);
		wl_list_remove(&frame->link);
		free(frame);
	}
	hf_direct_finish(&server->direct);
	set_direct_shown(server, NULL);
	hf_pixels_free(server->direct_xrgb);
	server->direct_xrgb = NULL;
	for (int i = 0; i < HF_DAMAGE_RING; i++)
		pixman_region32_fini(&server->damage_ring[i]);
	hf_pixels_free(server->last_window_shot);
	server->last_window_shot = NULL;
}
