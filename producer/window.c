/*
 * The SDK's window core: surface, toplevel, the image pool's buffers and points, frames,
 * commits and feedback. What an image is made of (CPU memory, a Vulkan image, a CUDA view of
 * one) is its backend's business, behind struct hp_window_impl (sdk.h).
 */
#define _GNU_SOURCE
#include "sdk.h"

#include "format.h"
#include "handoff-v1-client-protocol.h"
#include "presentation-time-client-protocol.h"
#include "time_util.h"
#include "timeline.h"
#include "xdg-shell-client-protocol.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* While waiting for an image, how often to look at the connection. */
#define WAIT_SLICE_NS (10 * 1000000LL)

struct hp_window_config hp_window_config_default(int32_t width, int32_t height)
{
	return (struct hp_window_config){
		.width = width,
		.height = height,
		.fourcc = DRM_FORMAT_XRGB8888,
		.buffers = 2,
		.sync = HP_SYNC_EXPLICIT,
		.mode = HP_PRESENT_MAILBOX,
		.title = "handoff",
	};
}

static void xdg_surface_configure(void *data, struct xdg_surface *xdg_surface, uint32_t serial)
{
	struct hp_window *w = data;
	xdg_surface_ack_configure(xdg_surface, serial);
	w->configured = true;
}

static const struct xdg_surface_listener xdg_surface_listener = {
	.configure = xdg_surface_configure,
};

static void toplevel_configure(void *data, struct xdg_toplevel *toplevel, int32_t width,
			       int32_t height, struct wl_array *states)
{
	/* The pool's size is fixed: the compositor scales the window to fit. */
}

static void toplevel_close(void *data, struct xdg_toplevel *toplevel)
{
	struct hp_window *w = data;
	w->closed = true;
}

static const struct xdg_toplevel_listener toplevel_listener = {
	.configure = toplevel_configure,
	.close = toplevel_close,
};

static void buffer_release(void *data, struct wl_buffer *buffer)
{
	struct hp_image *image = data;
	image->busy = false;
}

static const struct wl_buffer_listener buffer_listener = {.release = buffer_release};

struct feedback_ctx {
	struct wl_list link; /* hp_window::feedbacks */
	struct hp_window *window;
	struct wp_presentation_feedback *feedback;
	uint64_t frame;
};

static void feedback_sync_output(void *data, struct wp_presentation_feedback *fb,
				 struct wl_output *output)
{
}

static void feedback_report(struct feedback_ctx *ctx, struct wp_presentation_feedback *fb,
			    bool presented, int64_t present_ns, uint64_t seq)
{
	struct hp_window *w = ctx->window;
	struct hp_feedback report = {
		.frame = ctx->frame,
		.presented = presented,
		.present_ns = present_ns,
		.signal_ns = atomic_load(&w->signal_ns[ctx->frame % HP_SIGNAL_RING]),
		.seq = seq,
	};
	wp_presentation_feedback_destroy(fb);
	wl_list_remove(&ctx->link);
	free(ctx);
	if (w->feedback_fn)
		w->feedback_fn(w->feedback_data, &report);
}

static void feedback_presented(void *data, struct wp_presentation_feedback *fb, uint32_t sec_hi,
			       uint32_t sec_lo, uint32_t nsec, uint32_t refresh, uint32_t seq_hi,
			       uint32_t seq_lo, uint32_t flags)
{
	struct feedback_ctx *ctx = data;
	int64_t t = (int64_t)((uint64_t)sec_hi << 32 | sec_lo) * HF_NSEC_PER_SEC + nsec;
	/* Weston, for one, reports CLOCK_MONOTONIC_RAW: bring it to our CLOCK_MONOTONIC. */
	clockid_t clock = ctx->window->client->presentation_clock;
	if (clock != CLOCK_MONOTONIC) {
		struct timespec now;
		clock_gettime(clock, &now);
		t += hf_now_ns() - hf_timespec_to_ns(&now);
	}
	feedback_report(ctx, fb, true, t, (uint64_t)seq_hi << 32 | seq_lo);
}

static void feedback_discarded(void *data, struct wp_presentation_feedback *fb)
{
	feedback_report(data, fb, false, 0, 0);
}

static const struct wp_presentation_feedback_listener feedback_listener = {
	.sync_output = feedback_sync_output,
	.presented = feedback_presented,
	.discarded = feedback_discarded,
};

static struct handoff_timeline_v1 *import_timeline(struct hp_window *w, struct hf_timeline *tl)
{
	/* The fd is duplicated into the message: ours stays open for our own mapping. */
	return handoff_manager_v1_import_timeline(w->client->manager, hf_timeline_get_fd(tl),
						  HANDOFF_MANAGER_V1_TIMELINE_KIND_SHM);
}

bool hp_image_add_shm_release(struct hp_window *w, struct hp_image *image, char *err,
			      size_t err_size)
{
	image->release_timeline = hf_timeline_create();
	if (!image->release_timeline) {
		snprintf(err, err_size, "cannot create a timeline: %s", strerror(errno));
		return false;
	}
	image->release_object = import_timeline(w, image->release_timeline);
	return true;
}

void hp_image_set_buffer_listener(struct hp_image *image)
{
	wl_buffer_add_listener(image->buffer, &buffer_listener, image);
}

bool hp_image_share_memfd(struct hp_window *w, struct hp_image *image, int fd, uint32_t offset,
			  uint32_t stride, size_t pool_size, char *err, size_t err_size)
{
	const struct hp_window_config *cfg = &w->cfg;
	if (cfg->sync != HP_SYNC_IMPLICIT) {
		image->buffer = handoff_manager_v1_create_buffer(
			w->client->manager, fd, HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD, cfg->width,
			cfg->height, cfg->fourcc, 0, 0, offset, stride, 0);
		return hp_image_add_shm_release(w, image, err, err_size);
	}
	if (pool_size > INT32_MAX || stride > INT32_MAX) {
		snprintf(err, err_size, "the image is too large for wl_shm");
		return false;
	}
	const struct hf_format *fmt = hf_format_from_fourcc(cfg->fourcc);
	struct wl_shm_pool *pool = wl_shm_create_pool(w->client->shm, fd, (int32_t)pool_size);
	image->buffer = wl_shm_pool_create_buffer(pool, (int32_t)offset, cfg->width, cfg->height,
						  (int32_t)stride, fmt->wl_shm_format);
	wl_shm_pool_destroy(pool);
	hp_image_set_buffer_listener(image);
	return true;
}

static void image_finish(struct hp_image *image)
{
	if (image->buffer)
		wl_buffer_destroy(image->buffer);
	if (image->release_object)
		handoff_timeline_v1_destroy(image->release_object);
	hf_timeline_unref(image->release_timeline);
}

static bool window_check_config(struct hp_client *c, const struct hp_window_config *cfg,
				bool any_memory, char *err, size_t err_size)
{
	const struct hf_format *fmt = hf_format_from_fourcc(cfg->fourcc);
	if (cfg->width < 1 || cfg->height < 1 || cfg->width > 16384 || cfg->height > 16384) {
		snprintf(err, err_size, "invalid size %dx%d", cfg->width, cfg->height);
		return false;
	}
	/* The compositor keeps the image it shows until another replaces it: with one image,
	 * the second frame would wait for ever. */
	if (cfg->buffers < 2 || cfg->buffers > HP_MAX_BUFFERS) {
		snprintf(err, err_size,
			 "invalid buffer count %d (2..%d: the image shown is kept until another "
			 "replaces it)",
			 cfg->buffers, HP_MAX_BUFFERS);
		return false;
	}
	if (cfg->sync != HP_SYNC_IMPLICIT && !c->manager) {
		snprintf(err, err_size,
			 "the compositor does not offer handoff_manager_v1: use implicit sync");
		return false;
	}
	/* GPU windows choose their memory and timeline kinds later, from what is offered. */
	bool offered = any_memory && cfg->sync != HP_SYNC_IMPLICIT
			       ? hp_client_offers_format(c, cfg->fourcc)
			       : hp_client_has_format(c, cfg->fourcc, cfg->sync);
	if (!fmt || !offered) {
		snprintf(err, err_size, "the compositor does not take the format %s with %s sync",
			 fmt ? fmt->name : "(unknown)",
			 cfg->sync == HP_SYNC_IMPLICIT ? "implicit" : "explicit");
		return false;
	}
	return true;
}

bool hp_window_add_shm_acquire(struct hp_window *w, char *err, size_t err_size)
{
	w->acquire_timeline = hf_timeline_create();
	if (!w->acquire_timeline) {
		snprintf(err, err_size, "cannot create a timeline: %s", strerror(errno));
		return false;
	}
	w->acquire_object = import_timeline(w, w->acquire_timeline);
	return true;
}

struct hp_window *hp_window_new(struct hp_client *c, const struct hp_window_config *cfg,
				const struct hp_window_impl *impl, size_t size, bool any_memory,
				char *err, size_t err_size)
{
	if (!window_check_config(c, cfg, any_memory, err, err_size))
		return NULL;
	struct hp_window *w = calloc(1, size);
	if (!w) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	w->impl = impl;
	w->client = c;
	wl_list_init(&w->feedbacks);
	w->cfg = *cfg;
	w->next_frame = 1;
	w->surface = wl_compositor_create_surface(c->compositor);
	w->xdg_surface = xdg_wm_base_get_xdg_surface(c->wm_base, w->surface);
	xdg_surface_add_listener(w->xdg_surface, &xdg_surface_listener, w);
	w->toplevel = xdg_surface_get_toplevel(w->xdg_surface);
	xdg_toplevel_add_listener(w->toplevel, &toplevel_listener, w);
	xdg_toplevel_set_title(w->toplevel, cfg->title ? cfg->title : "handoff");
	xdg_toplevel_set_app_id(w->toplevel, "handoff-producer");
	if (cfg->sync != HP_SYNC_IMPLICIT) {
		w->handoff = handoff_manager_v1_get_surface(c->manager, w->surface);
		handoff_surface_v1_set_present_mode(
			w->handoff, cfg->mode == HP_PRESENT_FIFO
					    ? HANDOFF_SURFACE_V1_PRESENT_MODE_FIFO
					    : HANDOFF_SURFACE_V1_PRESENT_MODE_MAILBOX);
	}
	return w;
}

bool hp_window_finish_setup(struct hp_window *w, char *err, size_t err_size)
{
	wl_surface_commit(w->surface);
	while (!w->configured) {
		if (!hp_client_dispatch(w->client, -1)) {
			snprintf(err, err_size, "%s", hp_client_error(w->client));
			return false;
		}
	}
	return true;
}

void hp_window_destroy(struct hp_window *w)
{
	if (!w)
		return;
	/* Feedback that never came (the compositor went, or never showed the frame). */
	struct feedback_ctx *ctx, *tmp;
	wl_list_for_each_safe(ctx, tmp, &w->feedbacks, link) {
		wp_presentation_feedback_destroy(ctx->feedback);
		wl_list_remove(&ctx->link);
		free(ctx);
	}
	/* The backend first: its GPU may still use the images and semaphores that the buffers
	 * name. */
	w->impl->destroy(w);
	for (int i = 0; i < HP_MAX_BUFFERS; i++)
		image_finish(&w->images[i]);
	if (w->acquire_object)
		handoff_timeline_v1_destroy(w->acquire_object);
	hf_timeline_unref(w->acquire_timeline);
	if (w->handoff)
		handoff_surface_v1_destroy(w->handoff);
	if (w->toplevel)
		xdg_toplevel_destroy(w->toplevel);
	if (w->xdg_surface)
		xdg_surface_destroy(w->xdg_surface);
	if (w->surface)
		wl_surface_destroy(w->surface);
	wl_display_flush(w->client->display);
	free(w);
}

void hp_window_set_feedback(struct hp_window *w, hp_feedback_fn fn, void *data)
{
	w->feedback_fn = fn;
	w->feedback_data = data;
}

bool hp_window_should_close(const struct hp_window *w)
{
	return w->closed;
}

/* Our own drawing of frame (and of every frame before it) has finished. */
static bool own_work_done(struct hp_window *w, uint64_t frame)
{
	return w->impl->frame_done(w, frame);
}

/* The presenter gave the image back, or will have before the GPU touches it (a Vulkan
 * release timeline: the application's submission waits for it). */
static bool image_released(struct hp_image *image)
{
	return !image->release_timeline ||
	       hf_timeline_is_signaled(image->release_timeline, image->release_point);
}

/* Free: the presenter gave it back, and our own drawing into it has finished. */
static bool image_is_free(struct hp_window *w, struct hp_image *image)
{
	switch (w->cfg.sync) {
	case HP_SYNC_IMPLICIT:
		return !image->busy && own_work_done(w, image->last_frame);
	case HP_SYNC_EXPLICIT:
		return image_released(image) && own_work_done(w, image->last_frame);
	case HP_SYNC_NONE:
		return true;
	}
	return false;
}

/* The image used longest ago: the one to wait for, and round robin without sync. */
static struct hp_image *oldest_image(struct hp_window *w)
{
	struct hp_image *oldest = &w->images[0];
	for (int i = 1; i < w->cfg.buffers; i++)
		if (w->images[i].last_frame < oldest->last_frame)
			oldest = &w->images[i];
	return oldest;
}

/* Before anyone can signal it: the render thread may do so before we even commit. */
static struct hp_frame *frame_hand_out(struct hp_window *w, struct hp_image *image)
{
	image->frame.number = w->next_frame;
	atomic_store(&w->signal_ns[image->frame.number % HP_SIGNAL_RING], 0);
	return &image->frame;
}

struct hp_frame *hp_frame_begin(struct hp_window *w, int64_t timeout_ns)
{
	struct hp_client *c = w->client;
	int64_t deadline = timeout_ns >= 0 ? hf_now_ns() + timeout_ns : INT64_MAX;
	for (;;) {
		if (!hp_client_dispatch(c, 0))
			return NULL;
		const char *failure = w->impl->failure ? w->impl->failure(w) : NULL;
		if (failure) {
			hp_client_set_error(c, "%s", failure);
			return NULL;
		}
		struct hp_image *oldest = oldest_image(w);
		if (w->cfg.sync == HP_SYNC_NONE)
			return frame_hand_out(w, oldest);
		struct hp_image *best = NULL;
		for (int i = 0; i < w->cfg.buffers; i++) {
			struct hp_image *image = &w->images[i];
			if (image_is_free(w, image) &&
			    (!best || image->last_frame < best->last_frame))
				best = image;
		}
		if (best)
			return frame_hand_out(w, best);
		int64_t left = deadline - hf_now_ns();
		if (left <= 0) {
			hp_client_set_error(c, "no image was released in time");
			return NULL;
		}
		int64_t slice = left < WAIT_SLICE_NS ? left : WAIT_SLICE_NS;
		if (w->cfg.sync == HP_SYNC_IMPLICIT) {
			if (!hp_client_dispatch(c, (int)(slice / 1000000) + 1))
				return NULL;
		} else if (!own_work_done(w, oldest->last_frame)) {
			w->impl->wait_frame(w, oldest->last_frame, slice);
		} else if (oldest->release_timeline) {
			hf_timeline_wait(oldest->release_timeline, oldest->release_point, slice);
		}
	}
}

struct hp_image *hp_image_of(const struct hp_frame *frame)
{
	return (struct hp_image *)((char *)frame - offsetof(struct hp_image, frame));
}

bool hp_frame_submit(struct hp_window *w, struct hp_frame *frame)
{
	struct hp_image *image = hp_image_of(frame);
	struct hp_client *c = w->client;
	if (frame->number != w->next_frame) {
		hp_client_set_error(c, "frame %llu was submitted twice or out of order",
				    (unsigned long long)frame->number);
		return false;
	}
	w->next_frame++;
	image->last_frame = frame->number;
	if (c->presentation) {
		struct feedback_ctx *ctx = malloc(sizeof(*ctx));
		if (ctx) {
			*ctx = (struct feedback_ctx){.window = w, .frame = frame->number};
			ctx->feedback = wp_presentation_feedback(c->presentation, w->surface);
			wp_presentation_feedback_add_listener(ctx->feedback, &feedback_listener,
							      ctx);
			wl_list_insert(w->feedbacks.prev, &ctx->link);
		}
	}
	wl_surface_attach(w->surface, image->buffer, 0, 0);
	wl_surface_damage_buffer(w->surface, 0, 0, frame->width, frame->height);
	if (w->cfg.sync == HP_SYNC_IMPLICIT) {
		image->busy = true;
		atomic_store(&w->signal_ns[frame->number % HP_SIGNAL_RING], hf_now_ns());
	} else {
		image->release_point++;
		handoff_surface_v1_set_acquire_point(w->handoff, w->acquire_object,
						     (uint32_t)(frame->number >> 32),
						     (uint32_t)frame->number);
		handoff_surface_v1_set_release_point(w->handoff, image->release_object,
						     (uint32_t)(image->release_point >> 32),
						     (uint32_t)image->release_point);
		if (w->cfg.sync == HP_SYNC_NONE)
			hp_window_signal_acquire(w, frame->number);
	}
	if (w->impl->frame_committed && !w->impl->frame_committed(w, frame->number))
		return false;
	wl_surface_commit(w->surface);
	if (wl_display_flush(c->display) < 0 && errno != EAGAIN)
		return hp_client_fail(c, errno);
	return true;
}

void hp_window_signal_acquire(struct hp_window *w, uint64_t point)
{
	atomic_store(&w->signal_ns[point % HP_SIGNAL_RING], hf_now_ns());
	hf_timeline_signal(w->acquire_timeline, point);
}

void hp_frame_signal(const struct hp_frame *frame)
{
	struct hp_window *w = frame->window;
	/* GPU windows: the device's completion signals, never the application. */
	if (w->cfg.sync == HP_SYNC_IMPLICIT || !w->impl->app_signals)
		return;
	hp_window_signal_acquire(w, frame->number);
}
