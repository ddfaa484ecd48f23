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

void hf_repaint_quit(struct hf_repaint_shared *shared, int code)
{
	shared->exit_code = code;
	wl_display_terminate(shared->display);
}

static int shared_rand(struct hf_repaint_shared *shared, int max)
{
	if (max <= 0)
		return 0;
	shared->rand_state = shared->rand_state * 1103515245u + 12345u;
	return (int)((shared->rand_state >> 8) % (unsigned)(max + 1));
}

static struct hf_frame *frame_get(struct hf_repaint *rp)
{
	struct hf_frame *frame;
	if (!wl_list_empty(&rp->free_frames)) {
		frame = wl_container_of(rp->free_frames.next, frame, link);
		wl_list_remove(&frame->link);
	} else if (!(frame = malloc(sizeof(*frame)))) {
		return NULL;
	}
	wl_list_init(&frame->present_callbacks);
	wl_list_init(&frame->frame_callbacks);
	frame->n_ready = frame->n_new = 0;
	frame->fifo = false;
	wl_list_insert(&rp->frames_out, &frame->link);
	return frame;
}

static void frame_put(struct hf_repaint *rp, struct hf_frame *frame)
{
	wl_list_remove(&frame->link);
	wl_list_insert(&rp->free_frames, &frame->link);
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

/* What the repaint knows of one window. */
struct repaint_window {
	struct hf_addon addon; /* on hf_window::addons */
	/* Where it was last drawn, and what. */
	struct hf_box drawn_box;
	uint64_t drawn_serial;
	bool fresh; /* this frame shows new content of it on this output */
};

static void repaint_window_destroy(struct hf_addon *addon)
{
	struct repaint_window *rw = wl_container_of(addon, rw, addon);
	hf_addon_finish(&rw->addon);
	free(rw);
}

static const struct hf_addon_interface repaint_window_impl = {
	.name = "repaint",
	.destroy = repaint_window_destroy,
};

/* NULL when out of memory. */
static struct repaint_window *repaint_window_get(struct hf_repaint *rp, struct hf_window *window)
{
	struct hf_addon *addon = hf_addon_find(&window->addons, rp, &repaint_window_impl);
	struct repaint_window *rw;
	if (addon)
		return wl_container_of(addon, rw, addon);
	rw = calloc(1, sizeof(*rw));
	if (rw)
		hf_addon_init(&rw->addon, &window->addons, rp, &repaint_window_impl);
	return rw;
}

/* A composition the renderer has not completed, and one commit it read. */
struct composition_read {
	struct wl_list link; /* hf_repaint::reads */
	uint64_t number;
	struct hf_commit *commit; /* locked */
};

static void repaint_handle_renderer_complete(struct wl_listener *listener, void *data)
{
	struct hf_repaint *rp = wl_container_of(listener, rp, renderer_complete);
	uint64_t completed = rp->renderer->completed;
	while (!wl_list_empty(&rp->reads)) {
		struct composition_read *read = wl_container_of(rp->reads.next, read, link);
		if (read->number > completed)
			break;
		wl_list_remove(&read->link);
		hf_commit_unlock(read->commit);
		free(read);
	}
}

/* A walk over a window's surface tree (subsurface.h). */
struct tree_walk {
	struct hf_repaint *rp;
	struct hf_box root_box;        /* where the window goes */
	const struct hf_buffer *root;  /* its buffer: the tree is scaled as it is */
	struct hf_box extent;          /* tree_extent: every surface's box */
	uint64_t serial;               /* tree_extent: changes when any content does */
	const pixman_region32_t *draw; /* tree_draw, tree_wait: what to draw */
	struct hf_render_pass *pass;   /* tree_draw: what draws it */
	struct wl_list *reads;         /* tree_draw: the locks of what it read */
	struct wl_array *waits;        /* tree_wait: struct hf_render_wait */
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

/* Where the window's surface tree lies on this output, and a serial that changes when any of
 * its content or positions does. */
static uint64_t window_extent(struct hf_repaint *rp, struct hf_window *window,
			      struct hf_box *extent)
{
	struct hf_output *o = rp->output;
	struct tree_walk walk = {.rp = rp};
	if (hf_layout_box(rp->compositor, o->width, o->height, window, &walk.root_box)) {
		walk.root = window->surface->current->buffer;
		hf_surface_tree_for_each(window->surface, tree_extent, &walk);
	}
	*extent = walk.extent;
	return walk.serial;
}

/* What changed since the last frame: new content, or a window that moved or resized. */
static void frame_damage(struct hf_repaint *rp, pixman_region32_t *damage)
{
	struct hf_output *o = rp->output;
	if (rp->full_damage) {
		pixman_region32_union_rect(damage, damage, 0, 0, (unsigned)o->width,
					   (unsigned)o->height);
		rp->full_damage = false;
	}
	struct hf_window *window;
	wl_list_for_each(window, &rp->compositor->windows, link) {
		struct hf_box box;
		uint64_t serial = window_extent(rp, window, &box);
		struct repaint_window *rw = repaint_window_get(rp, window);
		if (rw)
			rw->fresh = rw->drawn_serial != serial;
		if (!rw) {
			/* Out of memory: draw it, with all that may lie under it. */
			pixman_region32_union_rect(damage, damage, 0, 0, (unsigned)o->width,
						   (unsigned)o->height);
			continue;
		}
		if (box_equal(&box, &rw->drawn_box) && rw->drawn_serial == serial)
			continue;
		region_add_box(damage, &rw->drawn_box);
		region_add_box(damage, &box);
		rw->drawn_box = box;
		rw->drawn_serial = serial;
	}
	pixman_region32_intersect_rect(damage, damage, 0, 0, (unsigned)o->width,
				       (unsigned)o->height);
}

/* What the target must have redrawn: this frame's damage and that of the frames it missed. */
static void target_damage(struct hf_repaint *rp, int age, const pixman_region32_t *damage,
			  pixman_region32_t *draw)
{
	struct hf_output *o = rp->output;
	pixman_region32_copy(draw, (pixman_region32_t *)damage);
	if (age <= 0 || age > HF_DAMAGE_RING) {
		pixman_region32_union_rect(draw, draw, 0, 0, (unsigned)o->width,
					   (unsigned)o->height);
		return;
	}
	for (int i = 0; i < age - 1; i++) {
		int pos = (rp->ring_pos - i + HF_DAMAGE_RING) % HF_DAMAGE_RING;
		pixman_region32_union(draw, draw, &rp->damage_ring[pos]);
	}
}

static void ring_push(struct hf_repaint *rp, const pixman_region32_t *damage)
{
	rp->ring_pos = (rp->ring_pos + 1) % HF_DAMAGE_RING;
	pixman_region32_copy(&rp->damage_ring[rp->ring_pos], (pixman_region32_t *)damage);
}

static void draw_surface(struct hf_repaint *rp, struct hf_render_pass *pass,
			 struct hf_surface *surface, const struct hf_box *box,
			 const pixman_region32_t *draw)
{
	struct hf_renderer *r = rp->renderer;
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
	struct hf_render_texture_options tex = {
		.texture = buffer->texture, .src = &src, .dst = *box, .clip = draw};
	int delay_us = rp->config->blit_delay_us;
	if (delay_us <= 0) {
		hf_render_pass_add_texture(pass, &tex);
	} else {
		/* Test only: a slow reader, to widen any window in which a writer could race. */
		pixman_region32_t half;
		pixman_region32_init(&half);
		int32_t mid = box->y + box->height / 2;
		pixman_region32_intersect_rect(&half, (pixman_region32_t *)draw, box->x, box->y,
					       (unsigned)box->width, (unsigned)(mid - box->y));
		tex.clip = &half;
		hf_render_pass_add_texture(pass, &tex);
		hf_sleep_ns(shared_rand(rp->shared, delay_us) * 1000LL);
		pixman_region32_intersect_rect(&half, (pixman_region32_t *)draw, box->x, mid,
					       (unsigned)box->width,
					       (unsigned)(box->y + box->height - mid));
		hf_render_pass_add_texture(pass, &tex);
		pixman_region32_fini(&half);
	}
	hf_buffer_end_read(buffer);
}

/* The GPU acquire point of a surface of the tree that draw redraws: the pass reads what it
 * ordered. */
static void tree_wait(struct hf_surface *surface, int32_t x, int32_t y, void *data)
{
	struct tree_walk *walk = data;
	const struct hf_sync_point *acquire = &surface->current->acquire;
	struct hf_box box;
	tree_box(walk, surface, x, y, &box);
	if (!acquire->timeline || !acquire->timeline->gpu || box.width <= 0 || box.height <= 0)
		return;
	pixman_box32_t b = {box.x, box.y, box.x + box.width, box.y + box.height};
	struct hf_render_wait *wait;
	if (pixman_region32_contains_rectangle((pixman_region32_t *)walk->draw, &b) !=
		    PIXMAN_REGION_OUT &&
	    (wait = wl_array_add(walk->waits, sizeof(*wait))))
		*wait = (struct hf_render_wait){acquire->timeline->gpu, acquire->point};
}

/* Draws one surface of the tree where draw asks, its commit locked until the renderer
 * completes the composition. */
static void tree_draw(struct hf_surface *surface, int32_t x, int32_t y, void *data)
{
	struct tree_walk *walk = data;
	struct hf_repaint *rp = walk->rp;
	struct hf_box box;
	tree_box(walk, surface, x, y, &box);
	if (box.width <= 0 || box.height <= 0)
		return;
	pixman_region32_t part;
	pixman_region32_init_rect(&part, box.x, box.y, (unsigned)box.width, (unsigned)box.height);
	pixman_region32_intersect(&part, &part, (pixman_region32_t *)walk->draw);
	struct composition_read *read = NULL;
	if (pixman_region32_not_empty(&part) && !(read = malloc(sizeof(*read)))) {
		/* No read without its lock: drawn whole next time. */
		hf_error("out of memory in a composition");
		rp->full_damage = true;
	} else if (read && rp->ignore_reads) {
		free(read);
		draw_surface(rp, walk->pass, surface, &box, &part);
	} else if (read) {
		read->commit = hf_commit_lock(surface->current);
		wl_list_insert(walk->reads->prev, &read->link);
		draw_surface(rp, walk->pass, surface, &box, &part);
	}
	pixman_region32_fini(&part);
}

/* One read of each window in draw, one write of draw; the background only where no opaque
 * window lies. Returns the composition's number, 0 when the renderer could not start. */
/* Whether this frame is one the checker looks at. */
static bool check_due(const struct hf_repaint *rp)
{
	unsigned every = rp->config->check_every ? rp->config->check_every : 1;
	return rp->config->check && (rp->frames_composed + 1) % every == 0;
}

static uint64_t compose(struct hf_repaint *rp, const struct hf_pixels *target,
			const pixman_region32_t *draw)
{
	struct hf_renderer *r = rp->renderer;
	struct hf_output *o = rp->output;
	/* Pixels the CPU reads back: a nested output's buffers, and what the checker reads.
	 * With several outputs, a later read-back would find the renderer's image holding
	 * another output's composition: each composition is read back whole at once (a
	 * renderer that keeps its own image copies only what the target lacks). */
	pixman_region32_t read_back;
	pixman_region32_init(&read_back);
	if (o->needs_pixels || rp->shared->n_outputs > 1)
		pixman_region32_union_rect(&read_back, &read_back, 0, 0, (unsigned)o->width,
					   (unsigned)o->height);
	else if (check_due(rp))
		hf_checker_region(&rp->checker, o->width, o->height, &read_back);
	struct wl_array waits; /* struct hf_render_wait */
	wl_array_init(&waits);
	struct hf_window *window;
	wl_list_for_each(window, &rp->compositor->windows, link) {
		struct tree_walk walk = {.rp = rp, .draw = draw, .waits = &waits};
		if (hf_layout_box(rp->compositor, o->width, o->height, window, &walk.root_box)) {
			walk.root = window->surface->current->buffer;
			hf_surface_tree_for_each(window->surface, tree_wait, &walk);
		}
	}
	struct hf_pass_options options = {
		.read_back = pixman_region32_not_empty(&read_back) ? &read_back : NULL,
		.waits = waits.data,
		.n_waits = waits.size / sizeof(struct hf_render_wait),
	};
	struct hf_render_pass *pass = hf_renderer_begin_pass(r, target, &options);
	wl_array_release(&waits);
	pixman_region32_fini(&read_back);
	if (!pass) {
		hf_error("the %s renderer cannot draw into the output", r->impl->name);
		return 0;
	}
	pixman_region32_t clear;
	pixman_region32_init(&clear);
	pixman_region32_copy(&clear, (pixman_region32_t *)draw);
	wl_list_for_each(window, &rp->compositor->windows, link) {
		struct hf_box box;
		if (hf_layout_box(rp->compositor, o->width, o->height, window, &box) &&
		    !hf_buffer_has_alpha(window->surface->current->buffer)) {
			pixman_region32_t covered;
			pixman_region32_init_rect(&covered, box.x, box.y, (unsigned)box.width,
						  (unsigned)box.height);
			pixman_region32_subtract(&clear, &clear, &covered);
			pixman_region32_fini(&covered);
		}
	}
	hf_render_pass_add_rect(pass, &(struct hf_render_rect_options){&clear, BACKGROUND});
	pixman_region32_fini(&clear);
	/* Every commit read is locked until the renderer completes the composition. */
	struct wl_list reads; /* struct composition_read::link */
	wl_list_init(&reads);
	wl_list_for_each(window, &rp->compositor->windows, link) {
		struct tree_walk walk = {.rp = rp, .draw = draw, .pass = pass, .reads = &reads};
		if (hf_layout_box(rp->compositor, o->width, o->height, window, &walk.root_box)) {
			walk.root = window->surface->current->buffer;
			hf_surface_tree_for_each(window->surface, tree_draw, &walk);
		}
	}
	uint64_t number = hf_render_pass_submit(pass);
	struct composition_read *read, *tmp;
	wl_list_for_each(read, &reads, link)
		read->number = number;
	wl_list_insert_list(rp->reads.prev, &reads);
	/* A synchronous renderer has completed it already: the locks go at once. */
	if (number <= r->completed) {
		wl_list_for_each_safe(read, tmp, &rp->reads, link) {
			if (read->number > r->completed)
				break;
			wl_list_remove(&read->link);
			hf_commit_unlock(read->commit);
			free(read);
		}
	}
	return number;
}

/* Another output's frame: the clients follow the primary output, so it only counts the content
 * it shows for the first time. */
static void frame_collect_secondary(struct hf_repaint *rp, struct hf_frame *frame, bool shown)
{
	struct hf_window *window;
	wl_list_for_each(window, &rp->compositor->windows, link) {
		struct hf_addon *addon = hf_addon_find(&window->addons, rp, &repaint_window_impl);
		struct repaint_window *rw = addon ? wl_container_of(addon, rw, addon) : NULL;
		struct hf_commit *current = window->surface->current;
		if (!shown || !rw || !rw->fresh || !current || !current->buffer)
			continue;
		rw->fresh = false;
		if (frame->n_ready < HF_FRAME_SAMPLES)
			frame->ready_ns[frame->n_ready++] = current->ready_ns;
		frame->n_new++;
	}
}

/* Content shown for the first time in this frame: its feedback goes with the frame. */
static void frame_collect(struct hf_repaint *rp, struct hf_frame *frame, bool shown)
{
	if (!rp->primary) {
		frame_collect_secondary(rp, frame, shown);
		return;
	}
	struct hf_surface *surface;
	wl_list_for_each(surface, &rp->compositor->surfaces, link) {
		struct hf_commit *current = surface->current;
		bool drawn = shown && hf_subsurface_visible(surface) &&
			     hf_subsurface_root(surface)->window;
		if (drawn && current && !current->drawn && current->buffer) {
			if (frame->n_ready < HF_FRAME_SAMPLES)
				frame->ready_ns[frame->n_ready++] = current->ready_ns;
			frame->n_new++;
			frame->fifo |= current->fifo || current->fifo_wait;
		}
		wl_list_insert_list(frame->frame_callbacks.prev, &surface->frame_callbacks);
		wl_list_init(&surface->frame_callbacks);
		hf_surface_frame_done(surface, &frame->present_callbacks, drawn);
	}
}

static void latch(struct hf_repaint *rp)
{
	hf_checker_before_latch(&rp->checker);
	struct hf_surface *surface, *tmp;
	wl_list_for_each_safe(surface, tmp, &rp->compositor->surfaces, link)
		hf_surface_update(surface);
}

static bool callbacks_due(struct hf_repaint *rp)
{
	struct hf_surface *surface;
	wl_list_for_each(surface, &rp->compositor->surfaces, link)
		if (hf_surface_wants_frame(surface))
			return true;
	return false;
}

static void set_direct_shown(struct hf_repaint *rp, struct hf_buffer *buffer)
{
	if (buffer)
		hf_buffer_ref(buffer);
	hf_buffer_unref(rp->direct_shown);
	rp->direct_shown = buffer;
}

/* The output's last frame, with the renderer's pixels in it (in region at least; NULL: all),
 * or the client image it showed. */
static bool read_output(struct hf_repaint *rp, const pixman_region32_t *region,
			struct hf_pixels *pixels)
{
	if (rp->direct_shown) {
		/* A handoff image's mapping lives with the buffer: no access to end. */
		if (!hf_buffer_begin_read(rp->direct_shown, pixels))
			return false;
		if (pixels->fourcc == DRM_FORMAT_XRGB8888)
			return true;
		hf_pixels_free(rp->direct_xrgb);
		rp->direct_xrgb = hf_pixels_to_xrgb(pixels);
		if (!rp->direct_xrgb)
			return false;
		*pixels = *rp->direct_xrgb;
		return true;
	}
	if (!rp->output->impl->read_last(rp->output, pixels))
		return false;
	/* A pass with nothing added brings the target up to date where asked. */
	pixman_region32_t want;
	pixman_region32_init_rect(&want, 0, 0, (unsigned)pixels->width, (unsigned)pixels->height);
	if (region)
		pixman_region32_intersect(&want, &want, (pixman_region32_t *)region);
	struct hf_render_pass *pass = hf_renderer_begin_pass(
		rp->renderer, pixels, &(struct hf_pass_options){.read_back = &want});
	if (pass)
		hf_render_pass_submit(pass);
	pixman_region32_fini(&want);
	return true;
}

static void check_frame(struct hf_repaint *rp, const struct hf_pixels *shown_pixels)
{
	struct hf_pixels shown = *shown_pixels;
	uint64_t torn = rp->checker.counts.torn;
	hf_checker_check(&rp->checker, rp->output->width, rp->output->height, &shown);
	const char *path = rp->config->torn_snapshot_path;
	if (path && rp->checker.counts.torn > torn && !rp->shared->wrote_torn_shot) {
		rp->shared->wrote_torn_shot = true;
		if (hf_snapshot_write_png(&shown, path))
			hf_info("wrote the first torn frame to %s", path);
	}
}

/* The window's client image is the frame: no composition. False when the output cannot
 * take it now (the image is busy, or out of memory): the frame is composed instead. */
static bool direct_frame(struct hf_repaint *rp, struct hf_window *window,
			 const pixman_region32_t *damage, int64_t start_ns)
{
	struct hf_commit *current = window->surface->current;
	struct hf_buffer *buffer = current->buffer;
	struct hf_frame *frame = frame_get(rp);
	if (!frame)
		return false;
	bool fifo = rp->primary && current->fifo && !current->drawn;
	if (!hf_direct_submit(&rp->direct, window, damage, frame, !fifo)) {
		frame_put(rp, frame);
		return false;
	}
	set_direct_shown(rp, buffer);
	struct hf_pixels raw, shown;
	if (check_due(rp) && hf_buffer_begin_read(buffer, &raw) && read_output(rp, NULL, &shown)) {
		uint64_t torn = rp->checker.counts.torn;
		check_frame(rp, &shown);
		/* The second check compares the image's own pixels, of a frame whole at hand-over
		 * (one torn frame counts once). */
		uint32_t colour = ((const uint32_t *)raw.data)[0] & 0xffffff;
		if (rp->checker.counts.torn == torn)
			hf_direct_recheck_later(&rp->direct, colour);
	}
	rp->frames_composed++;
	frame_collect(rp, frame, true);
	frame->repaint_ns = start_ns;
	hf_samples_add(&rp->stats.repaint_ns, hf_now_ns() - start_ns);
	ring_push(rp, damage);
	return true;
}

/* One output frame: direct where it may be, else composed. reclaim: composed, even with
 * nothing new, so that the output gets the client images it showed back. */
static void repaint(struct hf_repaint *rp, bool reclaim)
{
	int64_t start_ns = hf_now_ns();
	latch(rp);
	pixman_region32_t damage, draw;
	pixman_region32_init(&damage);
	pixman_region32_init(&draw);
	frame_damage(rp, &damage);
	if (!reclaim && !pixman_region32_not_empty(&damage) && (!rp->primary || !callbacks_due(rp)))
		goto out;
	struct hf_window *direct = reclaim ? NULL : hf_direct_candidate(&rp->direct);
	if (direct && direct_frame(rp, direct, &damage, start_ns))
		goto out;
	struct hf_output_target target;
	if (!rp->output->impl->begin(rp->output, &target)) {
		/* The output asks again once a target is free; this damage must wait for it. */
		rp->full_damage = true;
		goto out;
	}
	struct hf_frame *frame = frame_get(rp);
	if (!frame) {
		hf_error("out of memory in a repaint");
		rp->full_damage = true;
		goto out;
	}
	target_damage(rp, target.age, &damage, &draw);
	uint64_t composition = compose(rp, &target.pixels, &draw);
	if (rp->renderer->failed) {
		hf_error("the %s renderer failed (%s): exiting", rp->renderer->impl->name,
			 rp->renderer->failed);
		hf_repaint_quit(rp->shared, 1);
	}
	if (composition == 0) {
		/* Nothing was drawn: the contents are given up and drawn whole next time. */
		rp->full_damage = true;
		frame_collect(rp, frame, false);
		hf_present_callbacks_done(&frame->present_callbacks, NULL);
		hf_frame_callbacks_done(&frame->frame_callbacks, hf_now_ns());
		frame_put(rp, frame);
		goto out;
	}
	set_direct_shown(rp, NULL);
	struct hf_pixels shown;
	if (check_due(rp)) {
		pixman_region32_t checked;
		pixman_region32_init(&checked);
		hf_checker_region(&rp->checker, rp->output->width, rp->output->height, &checked);
		if (read_output(rp, &checked, &shown))
			check_frame(rp, &shown);
		pixman_region32_fini(&checked);
	}
	rp->frames_composed++;
	frame_collect(rp, frame, true);
	frame->repaint_ns = start_ns;
	hf_samples_add(&rp->stats.repaint_ns, hf_now_ns() - start_ns);
	ring_push(rp, &damage);
	rp->output->impl->submit(rp->output, &damage, frame, !frame->fifo);
out:
	pixman_region32_fini(&damage);
	pixman_region32_fini(&draw);
}

static void repaint_handle_output_frame(struct wl_listener *listener, void *data)
{
	struct hf_repaint *rp = wl_container_of(listener, rp, output_frame);
	rp->frame_scheduled = false;
	repaint(rp, false);
}

static void repaint_handle_output_reclaim(struct wl_listener *listener, void *data)
{
	struct hf_repaint *rp = wl_container_of(listener, rp, output_reclaim);
	repaint(rp, true);
}

/* The output cannot show anything now: take what is due anyway, and report it discarded. */
static void repaint_handle_output_skip(struct wl_listener *listener, void *data)
{
	struct hf_repaint *rp = wl_container_of(listener, rp, output_skip);
	rp->frame_scheduled = false;
	rp->stats.output_frames_skipped++;
	if (!rp->primary)
		return; /* the clients follow the primary output only */
	latch(rp);
	struct hf_frame *frame = frame_get(rp);
	if (!frame)
		return;
	frame_collect(rp, frame, false);
	hf_present_callbacks_done(&frame->present_callbacks, NULL);
	hf_frame_callbacks_done(&frame->frame_callbacks, hf_now_ns());
	frame_put(rp, frame);
}

/* The output took the frame: its frame callbacks need not wait for the verdict. */
static void repaint_handle_output_latched(struct wl_listener *listener, void *data)
{
	struct hf_frame *frame = data;
	hf_frame_callbacks_done(&frame->frame_callbacks, hf_now_ns());
}

static void repaint_handle_output_present(struct wl_listener *listener, void *data)
{
	struct hf_repaint *rp = wl_container_of(listener, rp, output_present);
	struct hf_output_present_event *event = data;
	struct hf_frame *frame = event->frame;
	struct hf_presenter_stats *stats = &rp->stats;
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
		if (rp->primary)
			rp->compositor->commits_discarded += (uint64_t)frame->n_new;
		stats->output_frames_discarded++;
	}
	frame_put(rp, frame);

	uint64_t limit = rp->config->exit_after_frames;
	if (rp->primary && limit && stats->output_frames >= limit) {
		hf_info("presented %llu frames, exiting", (unsigned long long)limit);
		hf_repaint_quit(rp->shared, 0);
		return;
	}
	/* A repaint that showed nothing new still rescans: fifo queues, callbacks due. */
	if (rp->primary ? callbacks_due(rp) : hf_repaint_has_news(rp))
		hf_repaint_schedule(rp);
}

bool hf_repaint_has_news(struct hf_repaint *rp)
{
	if (rp->primary || rp->full_damage)
		return true;
	struct hf_window *window;
	wl_list_for_each(window, &rp->compositor->windows, link) {
		struct hf_addon *addon = hf_addon_find(&window->addons, rp, &repaint_window_impl);
		struct repaint_window *rw;
		if (!addon)
			return true;
		rw = wl_container_of(addon, rw, addon);
		struct hf_box box;
		if (rw->drawn_serial != window_extent(rp, window, &box) ||
		    !box_equal(&box, &rw->drawn_box))
			return true;
	}
	return false;
}

void hf_repaint_schedule(struct hf_repaint *rp)
{
	if (rp->frame_scheduled)
		return;
	rp->frame_scheduled = true;
	rp->output->impl->schedule_frame(rp->output);
}

void hf_repaint_window_hiding(struct hf_repaint *rp, struct hf_window *window, bool last)
{
	struct hf_addon *addon = hf_addon_find(&window->addons, rp, &repaint_window_impl);
	struct repaint_window *rw = addon ? wl_container_of(addon, rw, addon) : NULL;
	const struct hf_commit *current = window->surface->current;
	/* One output: the snapshot is the output as it stood (compose() reads back only with
	 * several). */
	if (!last || rp->shared->n_outputs == 1 || !current || !current->buffer ||
	    (rw && rw->drawn_serial == window_extent(rp, window, &(struct hf_box){0})))
		return; /* nothing to keep, or this output shows it already */
	/* Another output paced the client, which may have gone before this one's next frame. */
	struct hf_output *o = rp->output;
	struct hf_pixels *shot = malloc(sizeof(*shot));
	size_t stride = (size_t)o->width * 4;
	if (!shot || !(shot->data = aligned_alloc(4096, (stride * (size_t)o->height + 4095) &
								~(size_t)4095))) {
		free(shot);
		return; /* the snapshot shows the last frame this output drew */
	}
	*shot = (struct hf_pixels){.data = shot->data,
				   .width = o->width,
				   .height = o->height,
				   .stride = stride,
				   .fourcc = DRM_FORMAT_XRGB8888};
	pixman_region32_t all;
	pixman_region32_init_rect(&all, 0, 0, (unsigned)o->width, (unsigned)o->height);
	uint64_t number = compose(rp, shot, &all);
	pixman_region32_fini(&all);
	if (number == 0) {
		hf_pixels_free(shot);
		return;
	}
	hf_pixels_free(rp->last_window_shot);
	rp->last_window_shot = shot;
	rp->shot_on_hiding = true;
}

void hf_repaint_windows_changed(struct hf_repaint *rp, bool removed_last)
{
	rp->full_damage = true;
	hf_repaint_schedule(rp);
	if (!removed_last)
		return;
	if (rp->shot_on_hiding) {
		rp->shot_on_hiding = false;
		return;
	}
	/* The snapshot of a finished run shows its last frame, not the empty background. */
	struct hf_pixels last;
	if (!read_output(rp, NULL, &last))
		return;
	hf_pixels_free(rp->last_window_shot);
	rp->last_window_shot = hf_pixels_copy(&last);
}

static void repaint_handle_output_resize(struct wl_listener *listener, void *data)
{
	struct hf_repaint *rp = wl_container_of(listener, rp, output_resize);
	rp->stats.output_resizes++;
	rp->full_damage = true;
	hf_repaint_schedule(rp);
}

bool hf_repaint_write_snapshot(struct hf_repaint *rp, const char *path)
{
	struct hf_pixels now;
	const struct hf_pixels *shot = rp->last_window_shot;
	if (!wl_list_empty(&rp->compositor->windows) || !shot) {
		if (!read_output(rp, NULL, &now))
			return false;
		shot = &now;
	}
	return hf_snapshot_write_png(shot, path);
}

void hf_repaint_init(struct hf_repaint *rp, struct hf_repaint_shared *shared,
		     struct hf_compositor *compositor, struct hf_renderer *renderer,
		     struct hf_output *output, int index)
{
	*rp = (struct hf_repaint){
		.shared = shared,
		.compositor = compositor,
		.renderer = renderer,
		.config = &shared->config,
		.output = output,
		.primary = index == 0,
		.index = index,
		.ignore_reads = shared->config.ignore_reads_output == index,
		.full_damage = true,
	};
	rp->stats.cpu_start_ns = hf_cpu_ns();
	for (int i = 0; i < HF_DAMAGE_RING; i++)
		pixman_region32_init(&rp->damage_ring[i]);
	wl_list_init(&rp->free_frames);
	wl_list_init(&rp->frames_out);
	wl_list_init(&rp->reads);
	rp->output_frame.notify = repaint_handle_output_frame;
	wl_signal_add(&output->events.frame, &rp->output_frame);
	rp->output_skip.notify = repaint_handle_output_skip;
	wl_signal_add(&output->events.skip, &rp->output_skip);
	rp->output_latched.notify = repaint_handle_output_latched;
	wl_signal_add(&output->events.latched, &rp->output_latched);
	rp->output_present.notify = repaint_handle_output_present;
	wl_signal_add(&output->events.present, &rp->output_present);
	rp->output_resize.notify = repaint_handle_output_resize;
	wl_signal_add(&output->events.resize, &rp->output_resize);
	rp->output_reclaim.notify = repaint_handle_output_reclaim;
	wl_signal_add(&output->events.reclaim, &rp->output_reclaim);
	rp->renderer_complete.notify = repaint_handle_renderer_complete;
	wl_signal_add(&rp->renderer->events.complete, &rp->renderer_complete);
	hf_checker_init(&rp->checker, rp->compositor, rp->config->check,
			rp->config->check_every <= 1);
	struct hf_direct_config direct = rp->config->direct;
	direct.early_release |= rp->ignore_reads;
	hf_direct_init(&rp->direct, rp->compositor, output, &direct, &rp->checker);
}

void hf_repaint_finish(struct hf_repaint *rp)
{
	wl_list_remove(&rp->output_frame.link);
	wl_list_remove(&rp->output_skip.link);
	wl_list_remove(&rp->output_latched.link);
	wl_list_remove(&rp->output_present.link);
	wl_list_remove(&rp->output_resize.link);
	wl_list_remove(&rp->output_reclaim.link);
	/* Frames the output never reported: nobody will see them now. */
	while (!wl_list_empty(&rp->frames_out)) {
		struct hf_frame *frame = wl_container_of(rp->frames_out.next, frame, link);
		hf_present_callbacks_done(&frame->present_callbacks, NULL);
		hf_frame_callbacks_done(&frame->frame_callbacks, hf_now_ns());
		frame_put(rp, frame);
	}
	while (!wl_list_empty(&rp->free_frames)) {
		struct hf_frame *frame = wl_container_of(rp->free_frames.next, frame, link);
		wl_list_remove(&frame->link);
		free(frame);
	}
	hf_direct_finish(&rp->direct);
	hf_checker_finish(&rp->checker);
	/* Compositions still in flight: the renderer goes after this and waits for them. */
	wl_list_remove(&rp->renderer_complete.link);
	while (!wl_list_empty(&rp->reads)) {
		struct composition_read *read = wl_container_of(rp->reads.next, read, link);
		wl_list_remove(&read->link);
		hf_commit_unlock(read->commit);
		free(read);
	}
	struct hf_window *window;
	wl_list_for_each(window, &rp->compositor->windows, link) {
		struct hf_addon *addon = hf_addon_find(&window->addons, rp, &repaint_window_impl);
		if (addon)
			repaint_window_destroy(addon);
	}
	set_direct_shown(rp, NULL);
	hf_pixels_free(rp->direct_xrgb);
	rp->direct_xrgb = NULL;
	for (int i = 0; i < HF_DAMAGE_RING; i++)
		pixman_region32_fini(&rp->damage_ring[i]);
	hf_pixels_free(rp->last_window_shot);
	rp->last_window_shot = NULL;
	hf_samples_finish(&rp->stats.latency_ns);
	hf_samples_finish(&rp->stats.wait_ns);
	hf_samples_finish(&rp->stats.repaint_ns);
}
