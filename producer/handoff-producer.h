/*
 * The Handoff producer SDK: show frames in a Handoff presenter (or any Wayland compositor)
 * with explicit synchronization.
 *
 *     struct hp_client *c = hp_client_connect(NULL, err, sizeof(err));
 *     struct hp_window_config cfg = hp_window_config_default(1280, 720);
 *     struct hp_window *w = hp_window_create(c, &cfg, err, sizeof(err));
 *     for (;;) {
 *             struct hp_frame *f = hp_frame_begin(w, -1);    // waits for a released image
 *             draw(f->data, f->stride, f->width, f->height); // or hand f to a render thread
 *             hp_frame_submit(w, f);                         // commits; drawing may go on
 *             hp_frame_signal(f);                            // the drawing is complete
 *     }
 *
 * The presenter reads an image only after hp_frame_signal(). It reads client images in place,
 * and gives an image back (its release point) once a newer commit of the window has replaced
 * it and its reads of it are complete, or at once when the image was replaced unread. So
 * hp_frame_begin() never hands out an image that is still being read, and two images still
 * run at full speed: one is drawn while the presenter reads the other.
 * hp_frame_signal() may be called from any thread; everything else belongs to the thread that
 * made the client. With HP_SYNC_IMPLICIT there are no points: finish drawing before
 * hp_frame_submit().
 *
 * Several presenters at once (hp_window_config.more_clients; any window): every image is
 * shared with each presenter, each frame is committed to each, and an image is reused only
 * once every presenter it was committed to has released it. Each shows frames at its own
 * rate. A presenter that holds hold_limit images (default 2: the one it shows and one it is
 * reading or has queued) is sent no new frame until it releases one; it skips frames, and the
 * others keep theirs: so with mailbox a slow presenter shows fewer frames, and with fifo each
 * presenter shows, in order and each for at least one of its refreshes, every frame it was
 * sent, while the producer runs at the pace of the fastest presenter (as Looking Glass
 * publishes at its fastest consumer's deadline), never at the slowest one's. One that is
 * stopped therefore holds at most hold_limit images for ever, and the others keep their
 * rate as long as cfg.buffers leaves them two images more (hold_limit + 2 buffers). The pool
 * starts with two images and grows as images run short, within cfg.buffers; when the
 * producer has to wait because one presenter holds images that all the others have
 * released, the SDK says so on stderr, once until that presenter catches up. A presenter
 * whose connection breaks is dropped at once (the others go on; hp_frame_begin() fails only
 * when every presenter is gone). hp_window_presenter_get() tells what each one got.
 *
 * GPU rendering with Vulkan: handoff-producer-vulkan.h.
 */
#ifndef HANDOFF_PRODUCER_H
#define HANDOFF_PRODUCER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum hp_sync {
	HP_SYNC_EXPLICIT, /* handoff-v1: acquire and release timeline points */
	HP_SYNC_IMPLICIT, /* plain wl_shm: submit only finished frames; any compositor */
	/* No synchronization at all: images are reused without waiting for release and the
	 * acquire point is signaled at submit, before drawing ends. This is the bug of D3D9
	 * shared surfaces, kept to demonstrate and test that the presenter's checks catch it. */
	HP_SYNC_NONE,
};

enum hp_present_mode { HP_PRESENT_MAILBOX, HP_PRESENT_FIFO };

struct hp_client;
struct hp_window;

struct hp_window_config {
	int32_t width, height;
	uint32_t fourcc; /* DRM_FORMAT_*; see hp_client_has_format() */
	int buffers;     /* 2..16 images in the pool (the one shown is kept until replaced) */
	enum hp_sync sync;
	enum hp_present_mode mode;
	const char *title;
	/* Further presenters to show the window in at once, beside the one it is created on
	 * (NULL: none): up to 7 connections, each from hp_client_connect(), kept until the
	 * window is destroyed. Any window: for a Vulkan or CUDA one every presenter must take
	 * its memory (handoff-producer-vulkan.h). */
	struct hp_client *const *more_clients;
	int n_more_clients;
	/* With several presenters: a presenter that holds this many images is sent no new frame
	 * until it releases one (0: the default, 2). */
	int hold_limit;
};

struct hp_frame {
	void *data; /* write here: stride bytes a row, height rows; NULL for Vulkan images */
	int32_t width, height, stride;
	uint32_t fourcc;
	uint64_t number;          /* 1, 2, 3...: the frame's acquire point */
	struct hp_window *window; /* owned by the SDK; a copy of the frame may be signaled */
};

struct hp_feedback {
	uint64_t frame;
	bool presented;     /* false: discarded, replaced by a newer frame before it was shown */
	int64_t present_ns; /* CLOCK_MONOTONIC, when presented */
	int64_t signal_ns;  /* when hp_frame_signal() ran (implicit sync: hp_frame_submit()) */
	uint64_t seq;       /* the output's frame counter */
	int presenter;      /* which presenter: 0, or 1 + an index into more_clients */
};

typedef void (*hp_feedback_fn)(void *data, const struct hp_feedback *feedback);

/* NULL name: $WAYLAND_DISPLAY. On failure returns NULL and writes why into err. */
struct hp_client *hp_client_connect(const char *name, char *err, size_t err_size);
void hp_client_destroy(struct hp_client *c); /* NULL is a no-op */
/* Whether the compositor takes this format with the given synchronization. */
bool hp_client_has_format(struct hp_client *c, uint32_t fourcc, enum hp_sync sync);
/* Handles events for up to timeout_ms (-1: until one comes). false once the connection broke,
 * with the reason in hp_client_error(). */
bool hp_client_dispatch(struct hp_client *c, int timeout_ms);
const char *hp_client_error(struct hp_client *c);
/* The Vulkan device whose Vulkan memory and timelines the compositor takes, by its
 * VkPhysicalDeviceIDProperties UUIDs (VK_UUID_SIZE bytes each); false if it offers none.
 * Pick this device to let the compositor read images and wait for frames on the GPU. */
bool hp_client_get_vulkan_device(struct hp_client *c, uint8_t device_uuid[16],
				 uint8_t driver_uuid[16]);

struct hp_window_config hp_window_config_default(int32_t width, int32_t height);
/* Creates the window, its image pool and timelines, and waits for the first configure. */
struct hp_window *hp_window_create(struct hp_client *c, const struct hp_window_config *cfg,
				   char *err, size_t err_size);
void hp_window_destroy(struct hp_window *w); /* NULL is a no-op */
void hp_window_set_feedback(struct hp_window *w, hp_feedback_fn fn, void *data);
/* A compositor asked the window to close. */
bool hp_window_should_close(const struct hp_window *w);
/* Handles events of every presenter's connection for up to timeout_ms (-1: until one
 * comes), dropping presenters whose connection broke. false once all of them are gone, with
 * the reason in hp_client_error() of the window's client. */
bool hp_window_dispatch(struct hp_window *w, int timeout_ms);

struct hp_presenter_info {
	bool gone;        /* its connection broke: dropped */
	int held;         /* images it holds now */
	uint64_t sent;    /* frames committed to it */
	uint64_t skipped; /* frames it was not sent because it held hold_limit images */
};
/* The images the pool holds now: two at first, one more each time none is free, up to
 * cfg.buffers (only as many as the presenters' holds need). */
int hp_window_image_count(const struct hp_window *w);
/* The number of presenters (1 + n_more_clients). */
int hp_window_presenter_count(const struct hp_window *w);
/* What presenter index (0..count-1) got; false for an index out of range. */
bool hp_window_presenter_get(struct hp_window *w, int index, struct hp_presenter_info *info);

/* Waits up to timeout_ns (-1: forever) for a free image, handling events meanwhile. NULL on
 * timeout or a broken connection (see hp_client_error()). */
struct hp_frame *hp_frame_begin(struct hp_window *w, int64_t timeout_ns);
/* Commits the frame. With explicit sync the presenter shows it once it is signaled. */
bool hp_frame_submit(struct hp_window *w, struct hp_frame *frame);
/* Marks the frame's drawing complete. Thread-safe; takes a copy of the submitted frame too.
 * Does nothing for a Vulkan window, whose frames the GPU's completion signals.
 * Signal frames in the order they were begun: one timeline carries all of a window's acquire
 * points, so signaling frame N also says that every frame before N is complete. */
void hp_frame_signal(const struct hp_frame *frame);

#ifdef __cplusplus
}
#endif

#endif
