/* The producer SDK's private state. */
#ifndef HP_SDK_H
#define HP_SDK_H

#include "handoff-producer.h"

#include <stdatomic.h>
#include <time.h>
#include <wayland-client.h>

#define HP_MAX_BUFFERS 16
#define HP_MAX_FORMATS 32
#define HP_SIGNAL_RING 1024
#define HP_UUID_SIZE   16 /* VK_UUID_SIZE */

struct hf_timeline;
struct hp_vk_window;

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
};

struct hp_image {
	struct hp_frame frame;
	void *map;
	size_t size;
	struct wl_buffer *buffer;
	/* Explicit: the presenter signals release_point on release_timeline. NULL for a Vulkan
	 * release timeline, which only the GPU waits on (hp_vk_frame.wait_semaphore). */
	struct hf_timeline *release_timeline;
	struct handoff_timeline_v1 *release_object;
	uint64_t release_point;
	bool busy;           /* implicit: between commit and wl_buffer.release */
	uint64_t last_frame; /* the frame it last held, 0 if none */
};

struct hp_window {
	struct hp_client *client;
	struct wl_list feedbacks; /* feedback_ctx::link: asked for, not yet answered */
	struct hp_window_config cfg;
	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	struct handoff_surface_v1 *handoff;
	/* The shm timeline of acquire points; NULL when the GPU signals a Vulkan one. */
	struct hf_timeline *acquire_timeline;
	struct handoff_timeline_v1 *acquire_object;
	struct hp_vk_window *vk; /* NULL: CPU images */
	struct hp_image images[HP_MAX_BUFFERS];
	uint64_t next_frame;
	bool configured, closed;
	hp_feedback_fn feedback_fn;
	void *feedback_data;
	/* When each frame was signaled, by frame number modulo the ring. */
	_Atomic int64_t signal_ns[HP_SIGNAL_RING];
};

/* The parts of window creation that CPU and Vulkan windows share: hp_window_new() checks cfg
 * and makes the surface and its roles, hp_window_finish_setup() commits and waits for the
 * first configure. hp_window_destroy() takes a window in any state between them. */
struct hp_window *hp_window_new(struct hp_client *c, const struct hp_window_config *cfg,
				bool vulkan, char *err, size_t err_size);
bool hp_window_finish_setup(struct hp_window *w, char *err, size_t err_size);
/* Creates the window's shm acquire timeline and imports it. */
bool hp_window_add_shm_acquire(struct hp_window *w, char *err, size_t err_size);
/* An shm release timeline for image, imported. */
bool hp_image_add_shm_release(struct hp_window *w, struct hp_image *image, char *err,
			      size_t err_size);
/* A frame's acquire point, signaled on the shm timeline, with its time for feedback. */
void hp_window_signal_acquire(struct hp_window *w, uint64_t point);

/* vk_window.c, for window.c: Vulkan types stay out of the CPU path. */
void hp_vk_window_destroy(struct hp_vk_window *vk);
/* The GPU has completed frame (0: always). */
bool hp_vk_window_frame_done(struct hp_vk_window *vk, uint64_t frame);
void hp_vk_window_wait_frame(struct hp_vk_window *vk, uint64_t frame, int64_t timeout_ns);
/* Frame was committed: from now on its acquire point waits for the GPU. Implicit sync: blocks
 * until the GPU has completed it. false on a Vulkan failure, with the reason in the client. */
bool hp_vk_window_frame_committed(struct hp_vk_window *vk, uint64_t frame);
/* A Vulkan failure seen on any thread (a lost device): the reason, else NULL. */
const char *hp_vk_window_failure(struct hp_vk_window *vk);

/* The format is on the compositor's handoff-v1 list, whatever the memory kind. */
bool hp_client_offers_format(struct hp_client *c, uint32_t fourcc);
/* Implicit sync: the image's wl_buffer sets busy off on wl_buffer.release. */
void hp_image_set_buffer_listener(struct hp_image *image);

void hp_client_set_error(struct hp_client *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The connection failed: records why (the display's error, else fallback_errno), once.
 * Always returns false, for `return hp_client_fail(c, errno);`. */
bool hp_client_fail(struct hp_client *c, int fallback_errno);

#endif
