/* The producer SDK's private state. */
#ifndef HP_SDK_H
#define HP_SDK_H

#include "handoff-producer.h"

#include <stdatomic.h>
#include <time.h>
#include <wayland-client.h>

#define HP_MAX_BUFFERS    16
#define HP_MAX_FORMATS    32
#define HP_SIGNAL_RING    1024
#define HP_UUID_SIZE      16 /* VK_UUID_SIZE */
#define HP_MAX_PRESENTERS 8  /* the window's connection and seven more */

struct hf_timeline;
struct hp_window;

struct hp_client {
	struct wl_display *display;
	struct wl_registry *registry;
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct xdg_wm_base *wm_base;
	struct wp_presentation *presentation;
	struct handoff_manager_v1 *manager;
	bool manager_done;
	uint32_t handoff_formats[HP_MAX_FORMATS];
	int n_handoff_formats;
	uint32_t shm_formats[HP_MAX_FORMATS]; /* as DRM fourccs */
	int n_shm_formats;
	bool memfd_memory, shm_timelines;
	bool vk_memory, vk_timelines; /* memory and timeline kinds vk_opaque_fd */
	bool has_vulkan_device;       /* the vulkan_device event came: */
	uint8_t device_uuid[HP_UUID_SIZE], driver_uuid[HP_UUID_SIZE];
	clockid_t presentation_clock; /* what wp_presentation times are in */
	char error[256];
	/* error only says a wait timed out: a real failure seen later replaces it. */
	bool error_is_timeout;
};

/* One presenter's share of an image: its wl_buffer there and the release point it signals.
 * Explicit: the presenter signals release_point on release_timeline. NULL for a Vulkan
 * release timeline: the GPU waits on it with one presenter (hp_vk_frame.wait_semaphore), the
 * core on the CPU with several (hp_window_impl.release_signaled). */
#define HP_LINK_FIELDS                                                                             \
	struct wl_buffer *buffer;                                                                  \
	struct hf_timeline *release_timeline;                                                      \
	struct handoff_timeline_v1 *release_object;                                                \
	uint64_t release_point;                                                                    \
	bool busy; /* implicit: between commit and wl_buffer.release */                            \
	bool held; /* committed there, not released yet */
struct hp_link {
	HP_LINK_FIELDS
};

struct hp_image {
	struct hp_frame frame;
	/* links[p] is presenter p's share; presenter 0's fields also go by their own names, so
	 * that a backend (which serves one presenter) sees one buffer and one release point. */
	union {
		struct {
			HP_LINK_FIELDS
		};
		struct hp_link links[HP_MAX_PRESENTERS];
	};
	uint64_t last_frame; /* the frame it last held, 0 if none */
};

/*
 * What a backend (window_cpu.c, window_vulkan.c, window_cuda.c) does for the window core
 * (window.c), in the manner of Mesa's WSI: the core holds the connection, the surface, the
 * image pool's wl_buffers and points, and the commits; it calls the backend only through this
 * table and knows no backend's types. A backend's window struct starts with struct hp_window.
 */
struct hp_window_impl {
	const char *name;
	/* Frees what the backend made, once nothing (no GPU) uses it any more; not the window
	 * itself. Called on a window in any state after hp_window_new(). */
	void (*destroy)(struct hp_window *w);
	/* The window's own drawing of frame, and of every frame before it, has finished
	 * (frame 0: true). */
	bool (*frame_done)(struct hp_window *w, uint64_t frame);
	/* Waits up to timeout_ns (-1: forever) for frame_done(frame). */
	void (*wait_frame)(struct hp_window *w, uint64_t frame, int64_t timeout_ns);
	/* Frame is about to be committed (NULL: nothing to do). false on a failure, with the
	 * reason in the client. */
	bool (*frame_committed)(struct hp_window *w, uint64_t frame);
	/* A failure seen on any thread (a lost device), else NULL. NULL: never fails. */
	const char *(*failure)(struct hp_window *w);
	/* How images and points travel, in words (NULL: "cpu"). */
	const char *(*transport)(const struct hp_window *w);
	/* hp_frame_signal() signals the acquire point: the application draws on the CPU. Else
	 * the device signals it when its work completes. */
	bool app_signals;
	/* Makes image index of the pool (NULL: the backend made the whole pool in its create
	 * function). With it the core grows the pool as images run short, within cfg.buffers;
	 * an image made this way is shared with every presenter (hp_image_share_memfd()). */
	bool (*add_image)(struct hp_window *w, int index, char *err, size_t err_size);
	/* For a link whose release timeline is the device's (hp_link.release_timeline NULL):
	 * whether presenter's release point of image is signaled, waiting up to timeout_ns (0:
	 * look only). With one presenter the device waits on it instead (NULL: always so); with
	 * several the core waits on the CPU for every presenter's release, so that it knows what
	 * each one holds (hold limits, reuse only once all have released). */
	bool (*release_signaled)(struct hp_window *w, const struct hp_image *image, int presenter,
				 int64_t timeout_ns);
};

/* One presenter the window is shown in: its connection, surface and roles, and what the
 * window knows of it. */
#define HP_PRESENTER_FIELDS                                                                        \
	struct hp_client *client;                                                                  \
	struct wl_list feedbacks; /* feedback_ctx::link: asked for, not yet answered */            \
	struct wl_surface *surface;                                                                \
	struct xdg_surface *xdg_surface;                                                           \
	struct xdg_toplevel *toplevel;                                                             \
	struct handoff_surface_v1 *handoff;                                                        \
	/* The acquire timeline as imported there; NULL when the GPU signals a Vulkan one */       \
	struct handoff_timeline_v1 *acquire_object;                                                \
	bool configured, closed;                                                                   \
	bool gone;          /* its connection broke: dropped, its holds forgotten */               \
	int64_t said_ns;    /* when the user was last told it keeps images short */                \
	uint64_t sent;      /* frames committed there */                                           \
	uint64_t last_sent; /* the newest frame committed there */                                 \
	uint64_t skipped;   /* frames not sent: it held hold_limit images */
struct hp_presenter {
	HP_PRESENTER_FIELDS
};

struct hp_window {
	const struct hp_window_impl *impl;
	/* pres[0] is the connection the window was made on; its fields also go by their own
	 * names (w->client, w->surface...), which is all a backend uses. */
	union {
		struct {
			HP_PRESENTER_FIELDS
		};
		struct hp_presenter pres[HP_MAX_PRESENTERS];
	};
	int n_pres;
	struct hp_window_config cfg;
	/* The shm timeline of acquire points; NULL when the GPU signals a Vulkan one. */
	struct hf_timeline *acquire_timeline;
	struct hp_image images[HP_MAX_BUFFERS];
	int n_images; /* made so far: the pool grows to cfg.buffers */
	int hold_limit;
	bool debug_one_release; /* HANDOFF_SDK_DEBUG_ONE_RELEASE: the negative control */
	uint64_t next_frame;
	struct hp_image *newest; /* the image of the last frame submitted, NULL if none */
	hp_feedback_fn feedback_fn;
	void *feedback_data;
	/* When each frame was signaled, by frame number modulo the ring. */
	_Atomic int64_t signal_ns[HP_SIGNAL_RING];
};

/* The parts of window creation that every backend shares: hp_window_new() checks cfg,
 * allocates size bytes (the backend's struct, which starts with struct hp_window) and makes
 * the surface and its roles; hp_window_finish_setup() commits and waits for the first
 * configure. hp_window_destroy() takes a window in any state between them. any_memory: the
 * backend chooses its memory kind later (Vulkan), so only the format is checked now. */
struct hp_window *hp_window_new(struct hp_client *c, const struct hp_window_config *cfg,
				const struct hp_window_impl *impl, size_t size, bool any_memory,
				char *err, size_t err_size);
bool hp_window_finish_setup(struct hp_window *w, char *err, size_t err_size);
/* Creates the window's shm acquire timeline and imports it. */
bool hp_window_add_shm_acquire(struct hp_window *w, char *err, size_t err_size);
/* An shm release timeline for image, imported into every presenter. */
bool hp_image_add_shm_release(struct hp_window *w, struct hp_image *image, char *err,
			      size_t err_size);
/* A frame's acquire point, signaled on the shm timeline, with its time for feedback. */
void hp_window_signal_acquire(struct hp_window *w, uint64_t point);
/* The image whose frame this is. */
struct hp_image *hp_image_of(const struct hp_frame *frame);

/* The format is on the compositor's handoff-v1 list, whatever the memory kind. */
bool hp_client_offers_format(struct hp_client *c, uint32_t fourcc);
/* Implicit sync: the image's wl_buffer sets busy off on wl_buffer.release. */
void hp_image_set_buffer_listener(struct hp_image *image);
/* Makes the wl_buffer and the release point of a memfd image, implicit or explicit, in every
 * presenter. */
bool hp_image_share_memfd(struct hp_window *w, struct hp_image *image, int fd, uint32_t offset,
			  uint32_t stride, size_t pool_size, char *err, size_t err_size);

void hp_client_set_error(struct hp_client *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A wait ran out of time: the error until something worse happens (hp_client_fail()). */
void hp_client_set_timeout(struct hp_client *c, const char *what);
/* The connection failed: records why (the display's error, else fallback_errno), once.
 * Always returns false, for `return hp_client_fail(c, errno);`. */
bool hp_client_fail(struct hp_client *c, int fallback_errno);

#endif
