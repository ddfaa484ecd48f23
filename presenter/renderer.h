/*
 * The renderer interface. A client buffer is imported as a texture that reads the client's
 * memory in place (pixman: a view of the read-only mapping; Vulkan: an imported image), and a
 * composition draws textures straight into an output target: one read of each redrawn
 * window and one write of the output. A composition's reads are complete when the renderer's
 * `completed` reaches the number `end` returned; it then emits events.complete.
 */
#ifndef HF_RENDERER_H
#define HF_RENDERER_H

#include <pixman.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wayland-server-core.h>

struct hf_box {
	int32_t x, y, width, height;
};

/* CPU-visible pixels: a client buffer being read, or an output target being drawn. */
struct hf_pixels {
	void *data;
	int32_t width, height;
	size_t stride;
	uint32_t fourcc;
	bool y_invert; /* the first row in memory is the bottom one */
	/* A wl_shm pool's memory, which its client may shrink at any time: read only on the
	 * thread that began the read (libwayland's SIGBUS guard covers that thread alone), so a
	 * GPU renderer copies it rather than handing the pointer to a driver's threads. */
	bool may_shrink;
};

struct hf_renderer;
struct hf_texture;
struct hf_gpu_timeline;

/* handoff_manager_v1.create_vk_image: how both sides make the image its memory belongs to. */
struct hf_vk_image_desc {
	int32_t width, height;
	uint32_t fourcc;
	uint32_t vk_format, tiling, usage, create_flags;
	uint64_t size;
	uint32_t memory_type;
	uint32_t offset,
		stride; /* linear tiling: the plane's layout, as the client's device has it */
	bool dedicated, y_invert;
};

struct hf_renderer_impl {
	const char *name;
	void (*destroy)(struct hf_renderer *r);
	bool (*supports_format)(struct hf_renderer *r, uint32_t fourcc);
	/* A texture of a client buffer's size, format and orientation; no pixels are copied. */
	struct hf_texture *(*texture_create)(struct hf_renderer *r, const struct hf_pixels *src);
	void (*texture_destroy)(struct hf_renderer *r, struct hf_texture *tex);
	/* read_back: the part of target that must hold the composition after end() (NULL:
	 * none); the rest may stay in the renderer until read_back() asks for it. */
	bool (*begin)(struct hf_renderer *r, const struct hf_pixels *target,
		      const pixman_region32_t *read_back);
	/* Fills region (output coordinates) with an opaque colour. */
	void (*clear)(struct hf_renderer *r, const pixman_region32_t *region, uint32_t xrgb);
	/* Draws tex, whose memory is now at src (a wl_shm pool may move), scaled into dst, only
	 * where clip allows. */
	void (*draw)(struct hf_renderer *r, struct hf_texture *tex, const struct hf_pixels *src,
		     const struct hf_box *dst, const pixman_region32_t *clip);
	/* Submits the composition; returns its number. */
	uint64_t (*end)(struct hf_renderer *r);
	/* Optional (NULL: the target always holds it): brings region (NULL: all) of the last
	 * target up to date. */
	void (*read_back)(struct hf_renderer *r, const pixman_region32_t *region);

	/* Optional, for renderers that offer Vulkan kinds (caps below). texture_import_vk
	 * gives the driver a copy of fd and leaves fd to the caller. */
	struct hf_texture *(*texture_import_vk)(struct hf_renderer *r, int fd,
						const struct hf_vk_image_desc *desc, char *why,
						size_t why_size);
	/* Optional: the composition being recorded reads what a GPU timeline's point ordered
	 * (the presenter has seen the point reached already); a renderer may also wait for it
	 * on the device. */
	void (*timeline_wait_gpu)(struct hf_renderer *r, struct hf_gpu_timeline *tl,
				  uint64_t point);
};

struct hf_renderer {
	const struct hf_renderer_impl *impl;
	uint64_t completed; /* compositions whose reads are all complete, up to this number */
	uint64_t gpu_ns;    /* time the device spent composing, summed; 0: not measured */
	uint64_t submit_ns; /* in the driver's submission calls, summed (GPU renderers) */
	uint64_t wait_ns;   /* waiting for compositions to complete, summed (GPU renderers) */
	const char *failed; /* why the renderer can draw no more (a lost device); NULL: fine */
	/* Vulkan kinds this renderer offers to clients, and the device they are tied to. */
	bool vk_memory, vk_timelines;
	/* GPU timelines on the renderer's device (gpu_timeline.h); NULL: none. */
	struct hf_gpu_timelines *timelines;
	bool vk_cpu; /* the device is a CPU implementation: its opaque fds are memfds */
	uint8_t device_uuid[16], driver_uuid[16];
	struct {
		struct wl_signal complete; /* data: the renderer, once `completed` has risen */
	} events;
};

void hf_renderer_init(struct hf_renderer *r, const struct hf_renderer_impl *impl);
/* For implementations: reads of compositions up to number are complete. */
void hf_renderer_complete(struct hf_renderer *r, uint64_t number);

struct hf_renderer *hf_renderer_pixman_create(void);
/* hf_renderer_vulkan_create's flags. */
#define HF_RENDERER_VULKAN_ALLOW_CPU 1u /* a CPU device (lavapipe) will do */
#define HF_RENDERER_VULKAN_BLIT      2u /* compose by blits, as on a device without shaders */
/* How end() waits for the device (the default: a sleep until near the expected completion,
 * then a short poll), for measurements. */
#define HF_RENDERER_VULKAN_WAIT_SLEEP 4u /* vkWaitSemaphores only */
#define HF_RENDERER_VULKAN_WAIT_POLL  8u /* polls the whole time */
/* The composition also waits on the device for acquire points the host saw reached. */
#define HF_RENDERER_VULKAN_DEVICE_WAIT 16u
/* Client memory is copied, never imported, as where read-only mappings cannot be imported. */
#define HF_RENDERER_VULKAN_COPY_CLIENT 32u
/* A GPU unless ALLOW_CPU; NULL with the reason in why. */
struct hf_renderer *hf_renderer_vulkan_create(struct wl_event_loop *loop, unsigned flags, char *why,
					      size_t why_size);

#endif
