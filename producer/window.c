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
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* While waiting for an image, how often to look at the connections. */
#define WAIT_SLICE_NS      (10 * 1000000LL)
#define DEFAULT_HOLD_LIMIT 2

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
	struct hp_presenter *p = data;
	xdg_surface_ack_configure(xdg_surface, serial);
	p->configured = true;
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
	struct hp_presenter *p = data;
	p->closed = true;
}

static const struct xdg_toplevel_listener toplevel_listener = {
	.configure = toplevel_configure,
	.close = toplevel_close,
};

static void buffer_release(void *data, struct wl_buffer *buffer)
{
	struct hp_link *link = data;
	link->busy = false;
}

static const struct wl_buffer_listener buffer_listener = {.release = buffer_release};

struct feedback_ctx {
	struct wl_list link; /* hp_window::feedbacks */
	struct hp_window *window;
	int presenter;
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
		.presenter = ctx->presenter,
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
	clockid_t clock = ctx->window->pres[ctx->presenter].client->presentation_clock;
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

static struct handoff_timeline_v1 *import_timeline(struct hp_presenter *p, struct hf_timeline *tl)
{
	/* The fd is duplicated into the message: ours stays open for our own mapping. */
	return handoff_manager_v1_import_timeline(p->client->manager, hf_timeline_get_fd(tl),
						  HANDOFF_MANAGER_V1_TIMELINE_KIND_SHM);
}

/* One release timeline per presenter: each signals its own, and the image is free once all
 * of them are. */
bool hp_image_add_shm_release(struct hp_window *w, struct hp_image *image, char *err,
			      size_t err_size)
{
	for (int p = 0; p < w->n_pres; p++) {
		struct hp_link *link = &image->links[p];
		link->release_timeline = hf_timeline_create();
		if (!link->release_timeline) {
			snprintf(err, err_size, "cannot create a timeline: %s", strerror(errno));
			return false;
		}
		link->release_object = import_timeline(&w->pres[p], link->release_timeline);
	}
	return true;
}

static void link_set_buffer_listener(struct hp_link *link)
{
	wl_buffer_add_listener(link->buffer, &buffer_listener, link);
}

void hp_image_set_buffer_listener(struct hp_image *image)
{
	link_set_buffer_listener(&image->links[0]);
}

bool hp_image_share_memfd(struct hp_window *w, struct hp_image *image, int fd, uint32_t offset,
			  uint32_t stride, size_t pool_size, char *err, size_t err_size)
{
	const struct hp_window_config *cfg = &w->cfg;
	if (cfg->sync != HP_SYNC_IMPLICIT) {
		for (int p = 0; p < w->n_pres; p++)
			image->links[p].buffer = handoff_manager_v1_create_buffer(
				w->pres[p].client->manager, fd,
				HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD, cfg->width, cfg->height,
				cfg->fourcc, 0, 0, offset, stride, 0);
		return hp_image_add_shm_release(w, image, err, err_size);
	}
	if (pool_size > INT32_MAX || stride > INT32_MAX) {
		snprintf(err, err_size, "the image is too large for wl_shm");
		return false;
	}
	const struct hf_format *fmt = hf_format_from_fourcc(cfg->fourcc);
	for (int p = 0; p < w->n_pres; p++) {
		struct wl_shm_pool *pool =
			wl_shm_create_pool(w->pres[p].client->shm, fd, (int32_t)pool_size);
		image->links[p].buffer =
			wl_shm_pool_create_buffer(pool, (int32_t)offset, cfg->width, cfg->height,
						  (int32_t)stride, fmt->wl_shm_format);
		wl_shm_pool_destroy(pool);
		link_set_buffer_listener(&image->links[p]);
	}
	return true;
}

static void image_finish(struct hp_image *image)
{
	for (int p = 0; p < HP_MAX_PRESENTERS; p++) {
		struct hp_link *link = &image->links[p];
		if (link->buffer)
			wl_buffer_destroy(link->buffer);
		if (link->release_object)
			handoff_timeline_v1_destroy(link->release_object);
		hf_timeline_unref(link->release_timeline);
	}
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
	for (int p = 0; p < w->n_pres; p++)
		w->pres[p].acquire_object = import_timeline(&w->pres[p], w->acquire_timeline);
	return true;
}

static void presenter_setup(struct hp_window *w, int index, struct hp_client *c)
{
	const struct hp_window_config *cfg = &w->cfg;
	struct hp_presenter *p = &w->pres[index];
	p->client = c;
	wl_list_init(&p->feedbacks);
	p->surface = wl_compositor_create_surface(c->compositor);
	p->xdg_surface = xdg_wm_base_get_xdg_surface(c->wm_base, p->surface);
	xdg_surface_add_listener(p->xdg_surface, &xdg_surface_listener, p);
	p->toplevel = xdg_surface_get_toplevel(p->xdg_surface);
	xdg_toplevel_add_listener(p->toplevel, &toplevel_listener, p);
	xdg_toplevel_set_title(p->toplevel, cfg->title ? cfg->title : "handoff");
	xdg_toplevel_set_app_id(p->toplevel, "handoff-producer");
	if (cfg->sync != HP_SYNC_IMPLICIT) {
		p->handoff = handoff_manager_v1_get_surface(c->manager, p->surface);
		handoff_surface_v1_set_present_mode(
			p->handoff, cfg->mode == HP_PRESENT_FIFO
					    ? HANDOFF_SURFACE_V1_PRESENT_MODE_FIFO
					    : HANDOFF_SURFACE_V1_PRESENT_MODE_MAILBOX);
	}
}

struct hp_window *hp_window_new(struct hp_client *c, const struct hp_window_config *cfg,
				const struct hp_window_impl *impl, size_t size, bool any_memory,
				char *err, size_t err_size)
{
	int more = cfg->n_more_clients;
	if (more < 0 || more > HP_MAX_PRESENTERS - 1 || (more > 0 && !cfg->more_clients)) {
		snprintf(err, err_size, "invalid presenter count %d (up to %d more connections)",
			 more, HP_MAX_PRESENTERS - 1);
		return NULL;
	}
	if (cfg->hold_limit < 0 || cfg->hold_limit > HP_MAX_BUFFERS) {
		snprintf(err, err_size, "invalid hold limit %d (0: the default, up to %d)",
			 cfg->hold_limit, HP_MAX_BUFFERS);
		return NULL;
	}
	for (int i = 0; i <= more; i++) {
		struct hp_client *ci = i ? cfg->more_clients[i - 1] : c;
		if (!ci) {
			snprintf(err, err_size, "more_clients[%d] is NULL", i - 1);
			return NULL;
		}
		for (int j = 0; j < i; j++)
			if ((j ? cfg->more_clients[j - 1] : c) == ci) {
				snprintf(err, err_size,
					 "presenter %d is the connection of presenter %d", i, j);
				return NULL;
			}
		char why[200];
		if (!window_check_config(ci, cfg, any_memory, why, sizeof(why))) {
			if (more)
				snprintf(err, err_size, "presenter %d: %s", i, why);
			else
				snprintf(err, err_size, "%s", why);
			return NULL;
		}
	}
	struct hp_window *w = calloc(1, size);
	if (!w) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	w->impl = impl;
	w->cfg = *cfg;
	w->cfg.more_clients = NULL; /* the caller's array need not outlive this call */
	w->n_pres = 1 + more;
	w->hold_limit = cfg->hold_limit ? cfg->hold_limit : DEFAULT_HOLD_LIMIT;
	/* The negative control of the multi-presenter tests: reuse images once presenter 0
	 * alone has released them. */
	const char *one = getenv("HANDOFF_SDK_DEBUG_ONE_RELEASE");
	w->debug_one_release = one && one[0] == '1';
	/* A backend without add_image makes its whole pool itself. */
	w->n_images = impl->add_image ? 0 : cfg->buffers;
	w->next_frame = 1;
	for (int i = 0; i < w->n_pres; i++)
		presenter_setup(w, i, i ? cfg->more_clients[i - 1] : c);
	return w;
}

/* The pool grows by one image, within cfg.buffers. */
static bool window_add_image(struct hp_window *w, char *err, size_t err_size)
{
	if (!w->impl->add_image || w->n_images >= w->cfg.buffers) {
		snprintf(err, err_size, "the pool is full");
		return false;
	}
	if (!w->impl->add_image(w, w->n_images, err, err_size))
		return false;
	w->n_images++;
	return true;
}

bool hp_window_finish_setup(struct hp_window *w, char *err, size_t err_size)
{
	/* Two images to start with (one shown, one drawn); more as they run short. */
	while (w->n_images < 2 && w->n_images < w->cfg.buffers)
		if (!window_add_image(w, err, err_size))
			return false;
	for (int i = 0; i < w->n_pres; i++)
		wl_surface_commit(w->pres[i].surface);
	for (int i = 0; i < w->n_pres; i++) {
		struct hp_presenter *p = &w->pres[i];
		while (!p->configured) {
			if (!hp_client_dispatch(p->client, -1)) {
				if (w->n_pres > 1)
					snprintf(err, err_size, "presenter %d: %s", i,
						 hp_client_error(p->client));
				else
					snprintf(err, err_size, "%s", hp_client_error(p->client));
				return false;
			}
		}
	}
	return true;
}

static void presenter_finish(struct hp_presenter *p)
{
	/* Feedback that never came (the compositor went, or never showed the frame). */
	struct feedback_ctx *ctx, *tmp;
	wl_list_for_each_safe(ctx, tmp, &p->feedbacks, link) {
		wp_presentation_feedback_destroy(ctx->feedback);
		wl_list_remove(&ctx->link);
		free(ctx);
	}
	if (p->acquire_object)
		handoff_timeline_v1_destroy(p->acquire_object);
	if (p->handoff)
		handoff_surface_v1_destroy(p->handoff);
	if (p->toplevel)
		xdg_toplevel_destroy(p->toplevel);
	if (p->xdg_surface)
		xdg_surface_destroy(p->xdg_surface);
	if (p->surface)
		wl_surface_destroy(p->surface);
}

void hp_window_destroy(struct hp_window *w)
{
	if (!w)
		return;
	/* The backend first: its GPU may still use the images and semaphores that the buffers
	 * name. */
	w->impl->destroy(w);
	for (int i = 0; i < HP_MAX_BUFFERS; i++)
		image_finish(&w->images[i]);
	hf_timeline_unref(w->acquire_timeline);
	for (int i = 0; i < w->n_pres; i++) {
		presenter_finish(&w->pres[i]);
		wl_display_flush(w->pres[i].client->display);
	}
	free(w);
}

void hp_window_set_feedback(struct hp_window *w, hp_feedback_fn fn, void *data)
{
	w->feedback_fn = fn;
	w->feedback_data = data;
}

bool hp_window_should_close(const struct hp_window *w)
{
	for (int i = 0; i < w->n_pres; i++)
		if (w->pres[i].closed && !w->pres[i].gone)
			return true;
	return false;
}

static int live_count(const struct hp_window *w)
{
	int n = 0;
	for (int i = 0; i < w->n_pres; i++)
		n += !w->pres[i].gone;
	return n;
}

/* Presenter i's connection broke: it is dropped at once, and what it held is forgotten (a
 * dead compositor reads nothing). */
static void presenter_drop(struct hp_window *w, int i)
{
	struct hp_presenter *p = &w->pres[i];
	if (p->gone)
		return;
	p->gone = true;
	for (int k = 0; k < HP_MAX_BUFFERS; k++) {
		w->images[k].links[i].held = false;
		w->images[k].links[i].busy = false;
	}
	if (w->n_pres > 1)
		fprintf(stderr, "handoff SDK: presenter %d went away (%s): dropped, %d left\n", i,
			hp_client_error(p->client), live_count(w));
}

static bool dispatch_one(struct hp_window *w, int i, int timeout_ms)
{
	if (w->pres[i].gone)
		return false;
	if (hp_client_dispatch(w->pres[i].client, timeout_ms))
		return true;
	presenter_drop(w, i);
	return false;
}

static void catch_up(struct hp_window *w);

bool hp_window_dispatch(struct hp_window *w, int timeout_ms)
{
	if (w->n_pres == 1) {
		dispatch_one(w, 0, timeout_ms);
		return !w->gone;
	}
	struct pollfd fds[HP_MAX_PRESENTERS];
	int n = 0;
	for (int i = 0; i < w->n_pres; i++)
		if (dispatch_one(w, i, 0))
			fds[n++] = (struct pollfd){
				.fd = wl_display_get_fd(w->pres[i].client->display),
				.events = POLLIN,
			};
	if (n == 0)
		return false;
	if (timeout_ms != 0 && poll(fds, (nfds_t)n, timeout_ms) > 0)
		for (int i = 0; i < w->n_pres; i++)
			dispatch_one(w, i, 0);
	catch_up(w);
	return live_count(w) > 0;
}

/* Our own drawing of frame (and of every frame before it) has finished. */
static bool own_work_done(struct hp_window *w, uint64_t frame)
{
	return w->impl->frame_done(w, frame);
}

/* The device's release timeline of presenter i is waited on here, on the CPU: with several
 * presenters (sdk.h, hp_window_impl.release_signaled). */
static bool cpu_waits_device_release(const struct hp_window *w)
{
	return w->n_pres > 1 && w->impl->release_signaled;
}

/* Presenter i gave the image back, waiting up to timeout_ns for it; or it will have before
 * the GPU touches the image (one presenter, a Vulkan release timeline: the application's
 * submission waits for it). */
static bool link_released(struct hp_window *w, const struct hp_image *image, int i,
			  int64_t timeout_ns)
{
	const struct hp_link *link = &image->links[i];
	if (w->cfg.sync == HP_SYNC_IMPLICIT)
		return !link->busy;
	if (link->release_timeline) {
		if (timeout_ns > 0)
			hf_timeline_wait(link->release_timeline, link->release_point, timeout_ns);
		return hf_timeline_is_signaled(link->release_timeline, link->release_point);
	}
	return !cpu_waits_device_release(w) || w->impl->release_signaled(w, image, i, timeout_ns);
}

static void update_holds(struct hp_window *w)
{
	for (int k = 0; k < w->n_images; k++)
		for (int i = 0; i < w->n_pres; i++) {
			struct hp_link *link = &w->images[k].links[i];
			if (link->held && !w->pres[i].gone && link_released(w, &w->images[k], i, 0))
				link->held = false;
		}
}

/* Whether presenter i's hold on an image keeps it from being reused. */
static bool hold_counts(const struct hp_window *w, int i)
{
	return !w->pres[i].gone && !(w->debug_one_release && i > 0);
}

static int held_by(const struct hp_window *w, int i)
{
	int n = 0;
	for (int k = 0; k < w->n_images; k++)
		n += w->images[k].links[i].held;
	return n;
}

/* With several presenters, one that holds hold_limit images gets no new frame. */
static bool presenter_full(const struct hp_window *w, int i)
{
	return w->n_pres > 1 && !w->debug_one_release && held_by(w, i) >= w->hold_limit;
}

/* Some presenter would take a new frame. */
static bool any_room(const struct hp_window *w)
{
	for (int i = 0; i < w->n_pres; i++)
		if (!w->pres[i].gone && !presenter_full(w, i))
			return true;
	return false;
}

/* Free: every presenter it was committed to gave it back, and our own drawing into it has
 * finished. */
static bool image_is_free(struct hp_window *w, struct hp_image *image)
{
	if (w->cfg.sync == HP_SYNC_NONE)
		return true;
	for (int i = 0; i < w->n_pres; i++)
		if (image->links[i].held && hold_counts(w, i))
			return false;
	return own_work_done(w, image->last_frame);
}

/* The image used longest ago: round robin without sync. */
static struct hp_image *oldest_image(struct hp_window *w)
{
	struct hp_image *oldest = &w->images[0];
	for (int i = 1; i < w->n_images; i++)
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

/* No image is free and the pool is full: if one presenter alone holds an image that all the
 * others have released, it is the one that keeps the producer short; say so, now and then. */
static void say_short(struct hp_window *w)
{
	if (live_count(w) < 2)
		return;
	for (int i = 0; i < w->n_pres; i++) {
		struct hp_presenter *p = &w->pres[i];
		if (!hold_counts(w, i))
			continue;
		bool alone = false;
		for (int k = 0; k < w->n_images && !alone; k++) {
			struct hp_image *image = &w->images[k];
			if (!image->links[i].held)
				continue;
			alone = true;
			for (int j = 0; j < w->n_pres; j++)
				if (j != i && image->links[j].held && hold_counts(w, j))
					alone = false;
		}
		int64_t now = hf_now_ns();
		if (!alone || (p->said_ns && now - p->said_ns < 5 * HF_NSEC_PER_SEC))
			continue;
		p->said_ns = now;
		int held = held_by(w, i);
		fprintf(stderr,
			"handoff SDK: short of images because of presenter %d: it holds %d of the "
			"%d images (it gets no new frame while it holds %d)%s\n",
			i, held, w->n_images, w->hold_limit,
			w->cfg.buffers < w->hold_limit + 2
				? "; more buffers (hold limit + 2) let the others keep their rate"
				: "");
	}
}

/* What to wait on: an image held by presenters that still take frames, the oldest such. */
static struct hp_image *image_to_wait_for(struct hp_window *w, int *holder)
{
	struct hp_image *pick = NULL;
	int pick_holder = -1;
	bool pick_busy = true;
	for (int k = 0; k < w->n_images; k++) {
		struct hp_image *image = &w->images[k];
		int first = -1;
		bool busy = false; /* held by a presenter that holds its limit */
		for (int i = 0; i < w->n_pres; i++) {
			if (!image->links[i].held || !hold_counts(w, i))
				continue;
			if (first < 0)
				first = i;
			busy |= presenter_full(w, i);
		}
		if (!pick || (pick_busy && !busy) ||
		    (pick_busy == busy && image->last_frame < pick->last_frame)) {
			pick = image;
			pick_holder = first;
			pick_busy = busy;
		}
	}
	*holder = pick_holder;
	return pick;
}

struct hp_frame *hp_frame_begin(struct hp_window *w, int64_t timeout_ns)
{
	struct hp_client *c = w->client;
	int64_t deadline = timeout_ns >= 0 ? hf_now_ns() + timeout_ns : INT64_MAX;
	for (;;) {
		if (!hp_window_dispatch(w, 0))
			return NULL;
		const char *failure = w->impl->failure ? w->impl->failure(w) : NULL;
		if (failure) {
			hp_client_set_error(c, "%s", failure);
			return NULL;
		}
		if (w->cfg.sync == HP_SYNC_NONE)
			return frame_hand_out(w, oldest_image(w));
		update_holds(w);
		struct hp_image *best = NULL;
		for (int i = 0; i < w->n_images; i++) {
			struct hp_image *image = &w->images[i];
			if (image_is_free(w, image) &&
			    (!best || image->last_frame < best->last_frame))
				best = image;
		}
		bool room = any_room(w);
		if (best && room)
			return frame_hand_out(w, best);
		if (!best && w->impl->add_image && w->n_images < w->cfg.buffers) {
			char why[256];
			if (!window_add_image(w, why, sizeof(why))) {
				hp_client_set_error(c, "%s", why);
				return NULL;
			}
			continue;
		}
		if (!best)
			say_short(w);
		int64_t left = deadline - hf_now_ns();
		if (left <= 0) {
			hp_client_set_timeout(c, "no image was released in time");
			return NULL;
		}
		/* One presenter's timeline is waited on at a time: with several, look again
		 * soon, so that another's release is not missed for long. */
		int64_t max_slice = w->n_pres > 1 ? WAIT_SLICE_NS / 10 : WAIT_SLICE_NS;
		int64_t slice = left < max_slice ? left : max_slice;
		int holder;
		struct hp_image *wait = best ? oldest_image(w) : image_to_wait_for(w, &holder);
		if (best)
			holder = -1;
		if (w->cfg.sync == HP_SYNC_IMPLICIT) {
			if (!hp_window_dispatch(w, (int)(slice / 1000000) + 1))
				return NULL;
		} else if (!own_work_done(w, wait->last_frame)) {
			w->impl->wait_frame(w, wait->last_frame, slice);
		} else if (holder >= 0 &&
			   (wait->links[holder].release_timeline || cpu_waits_device_release(w))) {
			link_released(w, wait, holder, slice);
		} else if (!hp_window_dispatch(w, (int)(slice / 1000000) + 1)) {
			return NULL;
		}
	}
}

struct hp_image *hp_image_of(const struct hp_frame *frame)
{
	return (struct hp_image *)((char *)frame - offsetof(struct hp_image, frame));
}

/* Attaches the frame's image and its points in presenter i, and asks for its feedback. */
static void presenter_attach(struct hp_window *w, int i, struct hp_image *image,
			     const struct hp_frame *frame)
{
	struct hp_presenter *p = &w->pres[i];
	struct hp_link *link = &image->links[i];
	if (p->client->presentation) {
		struct feedback_ctx *ctx = malloc(sizeof(*ctx));
		if (ctx) {
			*ctx = (struct feedback_ctx){
				.window = w, .presenter = i, .frame = frame->number};
			ctx->feedback =
				wp_presentation_feedback(p->client->presentation, p->surface);
			wp_presentation_feedback_add_listener(ctx->feedback, &feedback_listener,
							      ctx);
			wl_list_insert(p->feedbacks.prev, &ctx->link);
		}
	}
	wl_surface_attach(p->surface, link->buffer, 0, 0);
	wl_surface_damage_buffer(p->surface, 0, 0, frame->width, frame->height);
	if (w->cfg.sync == HP_SYNC_IMPLICIT) {
		link->busy = true;
	} else {
		link->release_point++;
		handoff_surface_v1_set_acquire_point(p->handoff, p->acquire_object,
						     (uint32_t)(frame->number >> 32),
						     (uint32_t)frame->number);
		handoff_surface_v1_set_release_point(p->handoff, link->release_object,
						     (uint32_t)(link->release_point >> 32),
						     (uint32_t)link->release_point);
	}
	link->held = true;
	p->sent++;
	p->last_sent = frame->number;
}

static bool presenter_commit(struct hp_window *w, int i)
{
	struct hp_presenter *p = &w->pres[i];
	wl_surface_commit(p->surface);
	if (wl_display_flush(p->client->display) < 0 && errno != EAGAIN) {
		hp_client_fail(p->client, errno);
		presenter_drop(w, i);
		return false;
	}
	return true;
}

/* A presenter that skipped the newest frame gets it as soon as it has room again, so that
 * each one ends on the last frame and a slow one shows the newest frame it can take. Only
 * while the image still holds that frame (not handed out again). */
static void catch_up(struct hp_window *w)
{
	struct hp_image *image = w->newest;
	if (w->n_pres == 1 || !image || image->frame.number != image->last_frame)
		return;
	update_holds(w);
	for (int i = 0; i < w->n_pres; i++) {
		struct hp_presenter *p = &w->pres[i];
		if (p->gone || p->last_sent >= image->last_frame || presenter_full(w, i))
			continue;
		presenter_attach(w, i, image, &image->frame);
		presenter_commit(w, i);
	}
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
	update_holds(w);
	w->newest = image;
	bool sent[HP_MAX_PRESENTERS] = {0};
	for (int i = 0; i < w->n_pres; i++) {
		if (w->pres[i].gone)
			continue;
		if (presenter_full(w, i)) {
			w->pres[i].skipped++;
			continue;
		}
		presenter_attach(w, i, image, frame);
		sent[i] = true;
	}
	if (w->cfg.sync == HP_SYNC_IMPLICIT)
		atomic_store(&w->signal_ns[frame->number % HP_SIGNAL_RING], hf_now_ns());
	else if (w->cfg.sync == HP_SYNC_NONE)
		hp_window_signal_acquire(w, frame->number);
	if (w->impl->frame_committed && !w->impl->frame_committed(w, frame->number))
		return false;
	for (int i = 0; i < w->n_pres; i++)
		if (sent[i])
			presenter_commit(w, i);
	return live_count(w) > 0;
}

int hp_window_image_count(const struct hp_window *w)
{
	return w->n_images;
}

int hp_window_presenter_count(const struct hp_window *w)
{
	return w->n_pres;
}

bool hp_window_presenter_get(struct hp_window *w, int index, struct hp_presenter_info *info)
{
	if (index < 0 || index >= w->n_pres)
		return false;
	update_holds(w);
	const struct hp_presenter *p = &w->pres[index];
	*info = (struct hp_presenter_info){
		.gone = p->gone,
		.held = held_by(w, index),
		.sent = p->sent,
		.skipped = p->skipped,
	};
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
