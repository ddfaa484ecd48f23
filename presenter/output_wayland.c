/*
 * The nested output: the presenter as a client of a parent compositor, showing one
 * xdg_toplevel. Frames are paced by the parent's frame callbacks, drawn into triple-buffered
 * wl_shm buffers (sealed memfds) that are never touched while the parent holds them, and
 * reported presented with the parent's wp_presentation times. A parent that withholds frame
 * callbacks (a hidden or minimized window, a shell that shows nothing) does not stall the
 * clients: after STALL_NS without one, the output skips frames on its own clock instead.
 *
 * Direct frames: a client image that is the whole frame goes to the parent as it is, a
 * wl_shm buffer made once from the image's fd; the parent reads it in place, and the image
 * stays busy until the parent's wl_buffer.release. An image is never attached again while
 * busy (a release already on its way could not be told from the next one), except as the
 * content the parent shows already, by a commit with no attach.
 */
#include "output.h"

#include "format.h"
#include "image.h"
#include "log.h"
#include "parent_seat.h"
#include "presentation-time-client-protocol.h"
#include "time_util.h"
#include "xdg-shell-client-protocol.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wayland-client.h>
#include <xkbcommon/xkbcommon-keysyms.h>

#define NESTED_BUFFERS 3
#define STALL_MS       1000 /* without a frame callback: the parent is not showing us */
#define SKIP_MS        16   /* then skip frames at about 60 Hz */
#define MAX_SIZE       16384
#define MAX_IMAGES     16 /* parent buffers made for direct frames, at most, all clients */
#define MIN(a, b)      ((a) < (b) ? (a) : (b))

struct nested_output;

struct nested_buffer {
	struct nested_output *output;
	struct wl_buffer *buffer; /* NULL: not allocated */
	struct hf_pixels pixels;
	size_t size;
	bool busy;            /* the parent holds it */
	uint64_t drawn_frame; /* the output frame last drawn into it; 0: none */
};

struct hf_output_image {
	struct nested_output *output;
	struct wl_list link; /* nested_output::images */
	struct wl_buffer *buffer;
	uint64_t busy_since; /* the first frame the parent holds it for; 0: not held */
};

/* A submitted frame waiting for the parent's verdict. */
struct nested_frame {
	struct wl_list link; /* nested_output::frames */
	struct nested_output *output;
	void *frame;
	struct wp_presentation_feedback *feedback; /* NULL without wp_presentation */
	/* The parent's frame callback that followed it (nested_output::callbacks; 0: none
	 * yet), when it came, and whether it was the newest frame then (the others were
	 * replaced before the parent's repaint). */
	uint64_t callback;
	int64_t callback_ns;
	bool newest;
};

struct nested_output {
	struct hf_output base;
	struct wl_display *display;
	struct wl_registry *registry;
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct xdg_wm_base *wm_base;
	struct wp_presentation *presentation; /* NULL when the parent has none */
	struct wl_seat *seat;                 /* NULL when the parent has none */
	struct hf_parent_seat *parent_seat;   /* NULL without a seat */
	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	struct wl_event_source *source, *idle;
	uint32_t fd_mask; /* what the loop watches the parent's fd for */
	/* While a frame callback is outstanding, fires at most STALL_MS after it was asked
	 * for (armed once, not per frame: it looks again when it fires); then, stalled, paces
	 * the skips. */
	struct wl_event_source *stall_timer;
	bool stall_armed;
	int64_t callback_since; /* when the outstanding frame callbacks began */
	bool stalled;           /* the parent withholds frame callbacks */
	bool skip_armed;        /* stalled, and a skip is due */
	bool early_sent; /* a composed frame went out while the last frame callback was outstanding
			  */
	bool last_replaceable; /* the frame the parent has not shown yet may be replaced */
	uint64_t submitted;    /* frames so far: buffer ages count in these */
	uint64_t callbacks;    /* the parent's frame callbacks so far */
	/* Fires when the feedback of frames whose frame callback came is overdue. */
	struct wl_event_source *late_timer;
	bool feedback_late; /* said once: the parent's feedback came too late, or never */
	struct wl_callback *frame_callback; /* NULL: the parent is ready for a frame */
	struct nested_buffer buffers[NESTED_BUFFERS];
	struct nested_buffer *current, *last;
	struct wl_list images; /* hf_output_image::link */
	int n_images;
	struct hf_output_image *last_image; /* the parent's content, when a direct frame */
	uint32_t shm_formats[32];           /* what the parent's wl_shm takes */
	int n_shm_formats;
	struct wl_list frames; /* nested_frame::link, oldest first */
	clockid_t parent_clock;
	bool configured, fullscreen, frame_wanted;
	int32_t configure_width, configure_height;
	int32_t windowed_width, windowed_height; /* the size to return to from fullscreen */
};

static struct nested_output *nested(struct hf_output *o)
{
	return (struct nested_output *)o;
}

/* Sends what is queued; the loop watches for writability only while some is left. */
static void nested_flush(struct nested_output *n)
{
	uint32_t mask = WL_EVENT_READABLE;
	if (wl_display_flush(n->display) < 0 && errno == EAGAIN)
		mask |= WL_EVENT_WRITABLE;
	if (mask != n->fd_mask && n->source) {
		wl_event_source_fd_update(n->source, mask);
		n->fd_mask = mask;
	}
}

static void nested_close(struct nested_output *n, int exit_code)
{
	struct hf_output_closed_event event = {.exit_code = exit_code};
	wl_signal_emit(&n->base.events.closed, &event);
}

static void nested_lost_parent(struct nested_output *n, const char *why)
{
	hf_error("the parent compositor went away (%s): exiting", why);
	nested_close(n, 1);
}

static bool nested_has_free_buffer(const struct nested_output *n)
{
	for (int i = 0; i < NESTED_BUFFERS; i++)
		if (!n->buffers[i].busy)
			return true;
	return false;
}

/*
 * Whether a frame may be drawn now. After each frame callback, one frame goes out at once;
 * a second one may follow before the next callback, replacing the first at the parent before
 * its next repaint: new content then waits for no extra parent frame. More composed frames are
 * held back to the callback, so a free-running producer costs at most two compositions a parent
 * frame. Direct frames cost no composition and are not held back: each replaces the one before
 * it at the parent the moment it is ready, as the producer's own commits would on the parent
 * (held back, a producer faster than the parent lost up to a parent frame: docs/benchmarks.md).
 * A frame with fifo content is never replaced: each of those must reach the screen.
 */
static bool nested_may_draw(const struct nested_output *n)
{
	if (!n->frame_wanted || !n->configured)
		return false;
	if (!n->frame_callback)
		return true;
	return !n->early_sent && !n->stalled && n->last_replaceable && nested_has_free_buffer(n);
}

static void nested_handle_idle(void *data)
{
	struct nested_output *n = data;
	n->idle = NULL;
	if (nested_may_draw(n)) {
		n->frame_wanted = false;
		wl_signal_emit(&n->base.events.frame, &n->base);
	}
}

static void nested_kick(struct nested_output *n)
{
	if (nested_may_draw(n) && !n->idle)
		n->idle = wl_event_loop_add_idle(n->base.loop, nested_handle_idle, n);
}

static void buffer_release(void *data, struct wl_buffer *wl_buffer)
{
	struct nested_buffer *b = data;
	b->busy = false;
	nested_kick(b->output);
}

static const struct wl_buffer_listener buffer_listener = {.release = buffer_release};

static void buffer_free(struct nested_buffer *b)
{
	if (!b->buffer)
		return;
	wl_buffer_destroy(b->buffer);
	munmap(b->pixels.data, b->size);
	b->buffer = NULL;
}

static bool buffer_alloc(struct nested_output *n, struct nested_buffer *b, int32_t w, int32_t h)
{
	size_t stride = (size_t)w * 4;
	size_t size = stride * (size_t)h;
	int fd = hf_memfd_create_sealed("handoff-presenter-output", size);
	if (fd < 0) {
		hf_log_errno(HF_LOG_ERROR, "cannot allocate a %dx%d output buffer", w, h);
		return false;
	}
	void *data = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (data == MAP_FAILED) {
		hf_log_errno(HF_LOG_ERROR, "cannot map an output buffer");
		close(fd);
		return false;
	}
	struct wl_shm_pool *pool = wl_shm_create_pool(n->shm, fd, (int32_t)size);
	b->buffer =
		wl_shm_pool_create_buffer(pool, 0, w, h, (int32_t)stride, WL_SHM_FORMAT_XRGB8888);
	wl_shm_pool_destroy(pool);
	close(fd);
	wl_buffer_add_listener(b->buffer, &buffer_listener, b);
	b->output = n;
	b->size = size;
	b->busy = false;
	b->drawn_frame = 0;
	b->pixels = (struct hf_pixels){.data = data,
				       .width = w,
				       .height = h,
				       .stride = stride,
				       .fourcc = DRM_FORMAT_XRGB8888};
	return true;
}

static void nested_frame_finish(struct nested_frame *nf, bool presented, int64_t time_ns,
				int64_t refresh_ns, uint64_t seq, uint32_t flags)
{
	struct hf_output *o = &nf->output->base;
	struct hf_output_present_event event = {
		.frame = nf->frame,
		.presented = presented,
		.time_ns = time_ns,
		.refresh_ns = refresh_ns,
		.seq = seq,
		.flags = flags,
	};
	wl_list_remove(&nf->link);
	if (nf->feedback)
		wp_presentation_feedback_destroy(nf->feedback);
	free(nf);
	wl_signal_emit(&o->events.present, &event);
}

/* The parent's refresh, as its feedback tells it: the mode clients see. */
static void nested_set_refresh(struct nested_output *n, uint32_t refresh_ns)
{
	int32_t mhz = refresh_ns ? (int32_t)((1000000000000ll + refresh_ns / 2) / refresh_ns) : 0;
	if (mhz <= 0 || mhz == n->base.refresh_mhz)
		return;
	n->base.refresh_mhz = mhz;
	wl_signal_emit(&n->base.events.mode, &n->base);
}

static void feedback_sync_output(void *data, struct wp_presentation_feedback *fb,
				 struct wl_output *output)
{
}

static void feedback_presented(void *data, struct wp_presentation_feedback *fb, uint32_t sec_hi,
			       uint32_t sec_lo, uint32_t nsec, uint32_t refresh, uint32_t seq_hi,
			       uint32_t seq_lo, uint32_t flags)
{
	struct nested_frame *nf = data;
	int64_t t = (int64_t)((uint64_t)sec_hi << 32 | sec_lo) * HF_NSEC_PER_SEC + nsec;
	/* Clients get CLOCK_MONOTONIC: move the parent's time over if its clock differs. */
	if (nf->output->parent_clock != CLOCK_MONOTONIC) {
		struct timespec now;
		clock_gettime(nf->output->parent_clock, &now);
		t += hf_now_ns() - hf_timespec_to_ns(&now);
	}
	nested_set_refresh(nf->output, refresh);
	nested_frame_finish(nf, true, t, refresh, (uint64_t)seq_hi << 32 | seq_lo, flags);
}

static void feedback_discarded(void *data, struct wp_presentation_feedback *fb)
{
	nested_frame_finish(data, false, 0, 0, 0, 0);
}

static const struct wp_presentation_feedback_listener feedback_listener = {
	.sync_output = feedback_sync_output,
	.presented = feedback_presented,
	.discarded = feedback_discarded,
};

enum late_feedback {
	LATE_OLDER,  /* frames whose frame callback came before the last one */
	LATE_CALLED, /* frames whose frame callback came */
	LATE_ALL,    /* every frame: the parent shows nothing */
};

/*
 * Frames the parent's feedback has not answered a whole parent frame after their frame
 * callback (or, LATE_ALL: stalled) are answered by us: the parent answers late or never (sway
 * 1.7 headless never does), and the clients' frame callbacks and feedback must not wait for
 * it. The newest frame at its callback counts as presented then, the others as replaced.
 */
static void nested_answer_late_feedback(struct nested_output *n, enum late_feedback which)
{
	struct nested_frame *nf, *tmp;
	wl_list_for_each_safe(nf, tmp, &n->frames, link) {
		if (!nf->feedback || (which != LATE_ALL && !nf->callback) ||
		    (which == LATE_OLDER && nf->callback >= n->callbacks))
			continue;
		if (!n->feedback_late && which != LATE_ALL) {
			n->feedback_late = true;
			hf_info("the parent compositor's presentation feedback is late or missing: "
				"its frame callbacks time the frames");
		}
		bool presented = nf->callback && nf->newest;
		nested_frame_finish(nf, presented, presented ? nf->callback_ns : 0, 0, 0, 0);
	}
}

static void stall_timer_arm(struct nested_output *n, int ms)
{
	n->stall_armed = wl_event_source_timer_update(n->stall_timer, ms) == 0;
}

static int nested_handle_stall_timer(void *data)
{
	struct nested_output *n = data;
	n->stall_armed = false;
	if (!n->stalled) {
		if (!n->frame_callback)
			return 0; /* it came: rest until the next commit */
		int64_t waited_ms = (hf_now_ns() - n->callback_since) / 1000000;
		if (waited_ms < STALL_MS) {
			stall_timer_arm(n, (int)(STALL_MS - waited_ms));
			return 0;
		}
		n->stalled = true;
		/* Once per stall, at the default level: a user otherwise sees a frozen window. */
		hf_error("the parent compositor is not showing the window (no frame callback for "
			 "%d ms): frames are taken and reported discarded until it does",
			 STALL_MS);
		/* A hidden window's parent keeps the client image it has, and its client may be
		 * waiting for it: one composed frame replaces it (a parent releases a wl_shm
		 * buffer once another is attached, shown or not). Our buffers are free: the
		 * parent gave them back when the image replaced them. */
		if (n->last_image)
			wl_signal_emit(&n->base.events.reclaim, &n->base);
	}
	/* A parent that does not show the window may never answer its feedback either. */
	nested_answer_late_feedback(n, LATE_ALL);
	n->skip_armed = false;
	if (n->frame_wanted) {
		n->frame_wanted = false;
		/* Until the next frame is wanted, the clock rests. */
		stall_timer_arm(n, SKIP_MS);
		n->skip_armed = n->stall_armed;
		wl_signal_emit(&n->base.events.skip, &n->base);
	}
	return 0;
}

static int nested_handle_late_timer(void *data)
{
	nested_answer_late_feedback(data, LATE_CALLED);
	return 0;
}

static void frame_done(void *data, struct wl_callback *callback, uint32_t time)
{
	struct nested_output *n = data;
	wl_callback_destroy(callback);
	n->frame_callback = NULL;
	n->early_sent = false;
	if (n->stalled) {
		hf_info("the parent compositor shows the window again");
		wl_event_source_timer_update(n->stall_timer, 0); /* no more skips */
		n->stall_armed = false;
	}
	n->stalled = false;
	n->skip_armed = false;
	n->callbacks++;
	int64_t now = hf_now_ns();
	/* Without wp_presentation, the parent's frame callback is the best time we get. */
	struct nested_frame *nf, *tmp, *newest = NULL;
	wl_list_for_each_safe(nf, tmp, &n->frames, link) {
		if (!nf->feedback) {
			nested_frame_finish(nf, true, now, 0, 0, 0);
		} else if (!nf->callback) {
			nf->callback = n->callbacks;
			nf->callback_ns = now;
			newest = nf;
		}
	}
	if (newest)
		newest->newest = true;
	nested_answer_late_feedback(n, LATE_OLDER);
	/* The parent took the newest frame: its clients may draw the next one now. */
	if (newest)
		wl_signal_emit(&n->base.events.latched, newest->frame);
	/* No later frame callback may come (no more commits): two parent frames at most. */
	int period_ms = n->base.refresh_mhz > 0 ? 1000000 / n->base.refresh_mhz : 17;
	if (newest)
		wl_event_source_timer_update(n->late_timer, 2 * (period_ms < 4 ? 4 : period_ms));
	nested_kick(n);
}

static const struct wl_callback_listener frame_listener = {.done = frame_done};

static void nested_schedule_frame(struct hf_output *o)
{
	struct nested_output *n = nested(o);
	n->frame_wanted = true;
	if (n->stalled && !n->skip_armed) {
		stall_timer_arm(n, SKIP_MS);
		n->skip_armed = n->stall_armed;
	}
	nested_kick(n);
}

static bool nested_begin(struct hf_output *o, struct hf_output_target *target)
{
	struct nested_output *n = nested(o);
	struct nested_buffer *pick = NULL;
	for (int i = 0; i < NESTED_BUFFERS && !pick; i++)
		if (!n->buffers[i].busy)
			pick = &n->buffers[i];
	if (!pick) {
		n->frame_wanted = true; /* again once the parent releases one */
		return false;
	}
	if (pick->buffer && (pick->pixels.width != o->width || pick->pixels.height != o->height))
		buffer_free(pick);
	if (!pick->buffer && !buffer_alloc(n, pick, o->width, o->height))
		return false;
	n->current = pick;
	target->pixels = pick->pixels;
	uint64_t age = pick->drawn_frame ? n->submitted + 1 - pick->drawn_frame : 0;
	target->age = age > 16 ? 0 : (int)age;
	return true;
}

/* Commits buffer (NULL: keeps what the parent has) as the frame; false when out of memory.
 * composed: a frame the presenter drew (else a client image). */
static bool nested_commit(struct nested_output *n, struct wl_buffer *buffer,
			  const pixman_region32_t *damage, void *frame, bool replaceable,
			  bool composed)
{
	struct nested_frame *nf = calloc(1, sizeof(*nf));
	if (!nf)
		return false;
	nf->output = n;
	nf->frame = frame;
	wl_list_insert(n->frames.prev, &nf->link);
	if (n->presentation) {
		nf->feedback = wp_presentation_feedback(n->presentation, n->surface);
		wp_presentation_feedback_add_listener(nf->feedback, &feedback_listener, nf);
	}
	if (buffer)
		wl_surface_attach(n->surface, buffer, 0, 0);
	/* The parent needs only what changed since our last commit, whichever buffer that was. */
	int n_rects;
	const pixman_box32_t *rects =
		pixman_region32_rectangles((pixman_region32_t *)damage, &n_rects);
	for (int i = 0; i < n_rects; i++)
		wl_surface_damage_buffer(n->surface, rects[i].x1, rects[i].y1,
					 rects[i].x2 - rects[i].x1, rects[i].y2 - rects[i].y1);
	if (n->frame_callback) {
		/* Sent ahead of the callback: the parent's next repaint takes this one instead.
		 * The stall clock keeps running from the first commit. */
		wl_callback_destroy(n->frame_callback);
		n->early_sent |= composed;
	} else {
		n->callback_since = hf_now_ns();
		if (!n->stall_armed)
			stall_timer_arm(n, STALL_MS);
	}
	n->frame_callback = wl_surface_frame(n->surface);
	wl_callback_add_listener(n->frame_callback, &frame_listener, n);
	wl_surface_commit(n->surface);
	n->last_replaceable = replaceable;
	n->submitted++;
	nested_flush(n);
	return true;
}

static void nested_submit(struct hf_output *o, const pixman_region32_t *damage, void *frame,
			  bool replaceable)
{
	struct nested_output *n = nested(o);
	struct nested_buffer *b = n->current;
	n->current = NULL;
	if (!nested_commit(n, b->buffer, damage, frame, replaceable, true)) {
		struct hf_output_present_event event = {.frame = frame};
		wl_signal_emit(&o->events.present, &event);
		return;
	}
	b->busy = true;
	b->drawn_frame = n->submitted;
	n->last = b;
	n->last_image = NULL;
}

/* Direct frames up to the oldest one an image is still held for are complete. */
static void images_update_completed(struct nested_output *n, bool emit)
{
	uint64_t completed = n->submitted;
	struct hf_output_image *image;
	wl_list_for_each(image, &n->images, link)
		if (image->busy_since && image->busy_since - 1 < completed)
			completed = image->busy_since - 1;
	if (completed > n->base.images_completed) {
		n->base.images_completed = completed;
		if (emit)
			wl_signal_emit(&n->base.events.images_complete, &n->base);
	}
}

static void image_release(void *data, struct wl_buffer *wl_buffer)
{
	struct hf_output_image *image = data;
	struct nested_output *n = image->output;
	image->busy_since = 0;
	if (n->last_image == image)
		n->last_image = NULL;
	images_update_completed(n, true);
}

static const struct wl_buffer_listener image_listener = {.release = image_release};

static bool parent_takes_format(const struct nested_output *n, uint32_t shm_format)
{
	for (int i = 0; i < n->n_shm_formats; i++)
		if (n->shm_formats[i] == shm_format)
			return true;
	/* Every wl_shm has these two, announced or not. */
	return shm_format == WL_SHM_FORMAT_XRGB8888 || shm_format == WL_SHM_FORMAT_ARGB8888;
}

static struct hf_output_image *nested_image_import(struct hf_output *o, int fd,
						   const struct hf_output_image_desc *desc)
{
	struct nested_output *n = nested(o);
	const struct hf_format *fmt = hf_format_from_fourcc(desc->fourcc);
	uint64_t size = (uint64_t)desc->offset + (uint64_t)desc->stride * (uint64_t)desc->height;
	if (!fmt || !parent_takes_format(n, fmt->wl_shm_format) || n->n_images >= MAX_IMAGES ||
	    size > INT32_MAX || desc->stride > INT32_MAX)
		return NULL;
	/* The parent maps a wl_shm pool for reading and writing: an fd it could not map so
	 * would cost the whole connection. */
	if (!hf_image_fd_mappable_rw(fd))
		return NULL;
	struct hf_output_image *image = calloc(1, sizeof(*image));
	if (!image)
		return NULL;
	struct wl_shm_pool *pool = wl_shm_create_pool(n->shm, fd, (int32_t)size);
	image->buffer =
		wl_shm_pool_create_buffer(pool, (int32_t)desc->offset, desc->width, desc->height,
					  (int32_t)desc->stride, fmt->wl_shm_format);
	wl_shm_pool_destroy(pool);
	wl_buffer_add_listener(image->buffer, &image_listener, image);
	image->output = n;
	wl_list_insert(&n->images, &image->link);
	n->n_images++;
	nested_flush(n);
	return image;
}

static void nested_image_destroy(struct hf_output *o, struct hf_output_image *image)
{
	struct nested_output *n = nested(o);
	if (n->last_image == image)
		n->last_image = NULL;
	wl_buffer_destroy(image->buffer);
	wl_list_remove(&image->link);
	n->n_images--;
	free(image);
	/* Its reads are no one's to wait for any more: nothing refers to it (this runs when the
	 * last reference goes, maybe inside an images_complete handler). */
	images_update_completed(n, false);
	nested_flush(n);
}

static uint64_t nested_submit_image(struct hf_output *o, struct hf_output_image *image,
				    const pixman_region32_t *damage, void *frame, bool replaceable)
{
	struct nested_output *n = nested(o);
	bool shown = image == n->last_image;
	if (image->busy_since && !shown)
		return 0;
	if (!nested_commit(n, shown ? NULL : image->buffer, damage, frame, replaceable, false))
		return 0;
	if (!image->busy_since)
		image->busy_since = n->submitted;
	n->last_image = image;
	return n->submitted;
}

static bool nested_read_last(struct hf_output *o, struct hf_pixels *pixels)
{
	struct nested_output *n = nested(o);
	struct nested_buffer *b = n->current ? n->current : n->last;
	if (!b)
		return false;
	*pixels = b->pixels;
	return true;
}

static void nested_toggle_fullscreen(struct hf_output *o)
{
	struct nested_output *n = nested(o);
	if (n->fullscreen)
		xdg_toplevel_unset_fullscreen(n->toplevel);
	else
		xdg_toplevel_set_fullscreen(n->toplevel, NULL);
	nested_flush(n);
}

/* The presenter's own keys, with HF_SHORTCUT_MODS held. */
static bool nested_handle_key(void *data, uint32_t sym)
{
	struct nested_output *n = data;
	switch (sym) {
	case XKB_KEY_q:
	case XKB_KEY_Q:
	case XKB_KEY_Escape:
		nested_close(n, 0);
		return true;
	case XKB_KEY_f:
	case XKB_KEY_F:
		nested_toggle_fullscreen(&n->base);
		return true;
	case XKB_KEY_s:
	case XKB_KEY_S:
		wl_signal_emit(&n->base.events.snapshot, &n->base);
		return true;
	}
	return false;
}

static void toplevel_configure(void *data, struct xdg_toplevel *toplevel, int32_t width,
			       int32_t height, struct wl_array *states)
{
	struct nested_output *n = data;
	/* The parent's numbers size our buffers: keep them to what an image may be. */
	n->configure_width = width < 0 ? 0 : width > MAX_SIZE ? MAX_SIZE : width;
	n->configure_height = height < 0 ? 0 : height > MAX_SIZE ? MAX_SIZE : height;
	n->fullscreen = false;
	uint32_t *state;
	wl_array_for_each(state, states)
		if (*state == XDG_TOPLEVEL_STATE_FULLSCREEN)
			n->fullscreen = true;
}

static void toplevel_close(void *data, struct xdg_toplevel *toplevel)
{
	struct nested_output *n = data;
	hf_info("the window was closed");
	nested_close(n, 0);
}

static const struct xdg_toplevel_listener toplevel_listener = {
	.configure = toplevel_configure,
	.close = toplevel_close,
};

static void xdg_surface_configure(void *data, struct xdg_surface *xdg_surface, uint32_t serial)
{
	struct nested_output *n = data;
	xdg_surface_ack_configure(xdg_surface, serial);
	int32_t w = n->configure_width, h = n->configure_height;
	if (n->fullscreen) {
		/* Nothing to remember. */
	} else if (w > 0 && h > 0) {
		n->windowed_width = w;
		n->windowed_height = h;
	} else {
		/* 0x0 is ours to choose: the size we had before fullscreen. */
		w = n->windowed_width;
		h = n->windowed_height;
	}
	bool resized = w > 0 && h > 0 && (w != n->base.width || h != n->base.height);
	if (resized) {
		n->base.width = w;
		n->base.height = h;
	}
	if (resized || !n->configured)
		wl_signal_emit(&n->base.events.resize, &n->base);
	n->configured = true;
	nested_schedule_frame(&n->base);
}

static const struct xdg_surface_listener xdg_surface_listener = {
	.configure = xdg_surface_configure,
};

static void wm_base_ping(void *data, struct xdg_wm_base *wm_base, uint32_t serial)
{
	xdg_wm_base_pong(wm_base, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = {.ping = wm_base_ping};

static void presentation_clock_id(void *data, struct wp_presentation *p, uint32_t clock)
{
	struct nested_output *n = data;
	n->parent_clock = (clockid_t)clock;
}

static const struct wp_presentation_listener presentation_listener = {
	.clock_id = presentation_clock_id,
};

static void shm_format(void *data, struct wl_shm *shm, uint32_t format)
{
	struct nested_output *n = data;
	if (n->n_shm_formats < (int)(sizeof(n->shm_formats) / sizeof(n->shm_formats[0])))
		n->shm_formats[n->n_shm_formats++] = format;
}

static const struct wl_shm_listener shm_listener = {.format = shm_format};

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
			    const char *interface, uint32_t version)
{
	struct nested_output *n = data;
	if (!strcmp(interface, wl_compositor_interface.name)) {
		n->compositor =
			wl_registry_bind(registry, name, &wl_compositor_interface, MIN(version, 4));
	} else if (!strcmp(interface, wl_shm_interface.name)) {
		n->shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
		wl_shm_add_listener(n->shm, &shm_listener, n);
	} else if (!strcmp(interface, xdg_wm_base_interface.name)) {
		n->wm_base = wl_registry_bind(registry, name, &xdg_wm_base_interface, 1);
		xdg_wm_base_add_listener(n->wm_base, &wm_base_listener, n);
	} else if (!strcmp(interface, wp_presentation_interface.name)) {
		n->presentation = wl_registry_bind(registry, name, &wp_presentation_interface, 1);
		wp_presentation_add_listener(n->presentation, &presentation_listener, n);
	} else if (!strcmp(interface, wl_seat_interface.name) && !n->seat) {
		n->seat = wl_registry_bind(registry, name, &wl_seat_interface, MIN(version, 5));
		/* Listening from the bind on: its capabilities come with the next roundtrip. */
		n->parent_seat = hf_parent_seat_create(n->seat, &n->base, nested_handle_key, n);
	}
}

static void registry_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

static int nested_handle_fd(int fd, uint32_t mask, void *data)
{
	struct nested_output *n = data;
	if (mask & WL_EVENT_READABLE) {
		/* The loop saw the fd readable: read without wl_display_dispatch()'s own poll. */
		int r = 0;
		while (r >= 0 && wl_display_prepare_read(n->display) != 0)
			r = wl_display_dispatch_pending(n->display);
		if (r >= 0)
			r = wl_display_read_events(n->display);
		if (r >= 0)
			r = wl_display_dispatch_pending(n->display);
		if (r < 0) {
			nested_lost_parent(n, strerror(wl_display_get_error(n->display)));
			return 0;
		}
	} else if (mask & (WL_EVENT_HANGUP | WL_EVENT_ERROR)) {
		nested_lost_parent(n, "hang-up");
		return 0;
	}
	nested_flush(n);
	return 0;
}

static void nested_destroy(struct hf_output *o)
{
	struct nested_output *n = nested(o);
	/* Frames still out are not reported: whoever submitted them is going away too. */
	struct nested_frame *nf, *tmp;
	wl_list_for_each_safe(nf, tmp, &n->frames, link) {
		wl_list_remove(&nf->link);
		if (nf->feedback)
			wp_presentation_feedback_destroy(nf->feedback);
		free(nf);
	}
	if (n->stall_timer)
		wl_event_source_remove(n->stall_timer);
	if (n->late_timer)
		wl_event_source_remove(n->late_timer);
	if (n->idle)
		wl_event_source_remove(n->idle);
	if (n->source)
		wl_event_source_remove(n->source);
	for (int i = 0; i < NESTED_BUFFERS; i++)
		buffer_free(&n->buffers[i]);
	/* None are left when the core went first, as it does; a buffer that still has one
	 * must not be freed after this. */
	struct hf_output_image *image, *itmp;
	wl_list_for_each_safe(image, itmp, &n->images, link) {
		wl_buffer_destroy(image->buffer);
		wl_list_remove(&image->link);
		free(image);
	}
	hf_parent_seat_destroy(n->parent_seat);
	if (n->frame_callback)
		wl_callback_destroy(n->frame_callback);
	if (n->toplevel)
		xdg_toplevel_destroy(n->toplevel);
	if (n->xdg_surface)
		xdg_surface_destroy(n->xdg_surface);
	if (n->surface)
		wl_surface_destroy(n->surface);
	if (n->seat)
		wl_seat_destroy(n->seat);
	if (n->presentation)
		wp_presentation_destroy(n->presentation);
	if (n->wm_base)
		xdg_wm_base_destroy(n->wm_base);
	if (n->shm)
		wl_shm_destroy(n->shm);
	if (n->compositor)
		wl_compositor_destroy(n->compositor);
	if (n->registry)
		wl_registry_destroy(n->registry);
	if (n->display)
		wl_display_disconnect(n->display);
	free(n);
}

static const struct hf_output_impl nested_impl = {
	.name = "wayland",
	.destroy = nested_destroy,
	.schedule_frame = nested_schedule_frame,
	.begin = nested_begin,
	.submit = nested_submit,
	.read_last = nested_read_last,
	.toggle_fullscreen = nested_toggle_fullscreen,
	.image_import = nested_image_import,
	.image_destroy = nested_image_destroy,
	.submit_image = nested_submit_image,
};

struct hf_output *hf_output_wayland_create(struct wl_event_loop *loop, int32_t width,
					   int32_t height, bool fullscreen)
{
	struct nested_output *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	hf_output_init(&n->base, &nested_impl, loop, width, height);
	n->base.needs_pixels = true;
	n->base.description = "Handoff window in a parent compositor";
	n->windowed_width = width;
	n->windowed_height = height;
	n->parent_clock = CLOCK_MONOTONIC;
	wl_list_init(&n->frames);
	wl_list_init(&n->images);
	n->display = wl_display_connect(NULL);
	if (!n->display) {
		const char *name = getenv("WAYLAND_DISPLAY");
		hf_log_errno(HF_LOG_ERROR, "cannot connect to the parent compositor '%s'",
			     name ? name : "wayland-0");
		goto err;
	}
	n->registry = wl_display_get_registry(n->display);
	wl_registry_add_listener(n->registry, &registry_listener, n);
	if (wl_display_roundtrip(n->display) < 0 || wl_display_roundtrip(n->display) < 0) {
		hf_error("the parent compositor closed the connection during setup");
		goto err;
	}
	if (!n->compositor || !n->shm || !n->wm_base) {
		hf_error("the parent compositor lacks %s", !n->compositor ? "wl_compositor"
							   : !n->shm      ? "wl_shm"
									  : "xdg_wm_base");
		goto err;
	}
	n->surface = wl_compositor_create_surface(n->compositor);
	n->xdg_surface = xdg_wm_base_get_xdg_surface(n->wm_base, n->surface);
	xdg_surface_add_listener(n->xdg_surface, &xdg_surface_listener, n);
	n->toplevel = xdg_surface_get_toplevel(n->xdg_surface);
	xdg_toplevel_add_listener(n->toplevel, &toplevel_listener, n);
	xdg_toplevel_set_title(n->toplevel, "handoff-presenter");
	xdg_toplevel_set_app_id(n->toplevel, "handoff-presenter");
	if (fullscreen)
		xdg_toplevel_set_fullscreen(n->toplevel, NULL);
	wl_surface_commit(n->surface);
	n->source = wl_event_loop_add_fd(loop, wl_display_get_fd(n->display), WL_EVENT_READABLE,
					 nested_handle_fd, n);
	n->fd_mask = WL_EVENT_READABLE;
	n->stall_timer = wl_event_loop_add_timer(loop, nested_handle_stall_timer, n);
	n->late_timer = wl_event_loop_add_timer(loop, nested_handle_late_timer, n);
	if (!n->source || !n->stall_timer || !n->late_timer)
		goto err;
	nested_flush(n);
	return &n->base;
err:
	nested_destroy(&n->base);
	return NULL;
}
