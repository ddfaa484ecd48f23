/*
 * The renderer interface, in wlroots' shape (include/wlr/render/interface.h and pass.h): a
 * small renderer that makes textures of client buffers and begins passes, and a pass that
 * draws into one output target: textures and rectangles added in order, then submitted. A
 * texture reads the client's memory in place (pixman: a view of the read-only mapping;
 * Vulkan: an imported image), and a pass draws textures straight into the target: one read of
 * each redrawn window and one write of the output. A pass's reads are complete when the
 * renderer's `completed` reaches the number submit returned; it then emits events.complete.
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

struct hf_render_pass;

/* A GPU timeline's point whose writes a pass reads. */
struct hf_render_wait {
	struct hf_gpu_timeline *timeline;
	uint64_t point;
};

/* What a pass is begun with. */
struct hf_pass_options {
	/* The part of the target that must hold the pass's result once submit returns (NULL:
	 * none); the rest may stay in the renderer until a later pass asks for it. A pass with
	 * nothing added only does that: it brings the target up to date there, if the target is
	 * the one last drawn. */
	const pixman_region32_t *read_back;
	/* The points whose writes the pass reads (the presenter has seen them reached
	 * already); a renderer may also wait for them on the device. */
	const struct hf_render_wait *waits;
	size_t n_waits;
};

struct hf_renderer_impl {
	const char *name;
	void (*destroy)(struct hf_renderer *r);
	bool (*supports_format)(struct hf_renderer *r, uint32_t fourcc);
	/* A texture of a client buffer's size, format and orientation; no pixels are copied. */
	struct hf_texture *(*texture_create)(struct hf_renderer *r, const struct hf_pixels *src);
	/* Optional, for renderers that offer Vulkan kinds (caps below). texture_import_vk
	 * gives the driver a copy of fd and leaves fd to the caller. */
	struct hf_texture *(*texture_import_vk)(struct hf_renderer *r, int fd,
						const struct hf_vk_image_desc *desc, char *why,
						size_t why_size);
	void (*texture_destroy)(struct hf_renderer *r, struct hf_texture *tex);
	/* One pass at a time: NULL when the target cannot be drawn into. */
	struct hf_render_pass *(*begin_pass)(struct hf_renderer *r, const struct hf_pixels *target,
					     const struct hf_pass_options *options);
};

enum hf_blend_mode {
	HF_BLEND_PREMULTIPLIED = 0, /* OVER where the texture's format has alpha, else a copy */
	HF_BLEND_NONE,              /* a copy: alpha is ignored */
};

struct hf_render_texture_options {
	struct hf_texture *texture;
	const struct hf_pixels *src;   /* the texture's memory now (a wl_shm pool may move) */
	struct hf_box dst;             /* scaled into this box of the output */
	const pixman_region32_t *clip; /* drawn only there (output coordinates) */
	enum hf_blend_mode blend_mode;
};

struct hf_render_rect_options {
	const pixman_region32_t *region; /* output coordinates */
	uint32_t xrgb;                   /* an opaque colour, 0x00RRGGBB */
};

struct hf_render_pass_impl {
	void (*add_texture)(struct hf_render_pass *pass,
			    const struct hf_render_texture_options *options);
	void (*add_rect)(struct hf_render_pass *pass, const struct hf_render_rect_options *options);
	/* Submits the pass and ends it; returns its number, 0 when nothing could be drawn. */
	uint64_t (*submit)(struct hf_render_pass *pass);
};

struct hf_render_pass {
	const struct hf_render_pass_impl *impl;
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
void hf_render_pass_init(struct hf_render_pass *pass, const struct hf_render_pass_impl *impl);

void hf_renderer_destroy(struct hf_renderer *r); /* NULL is a no-op */
/* options: NULL for none. */
struct hf_render_pass *hf_renderer_begin_pass(struct hf_renderer *r, const struct hf_pixels *target,
					      const struct hf_pass_options *options);
void hf_render_pass_add_texture(struct hf_render_pass *pass,
				const struct hf_render_texture_options *options);
void hf_render_pass_add_rect(struct hf_render_pass *pass,
			     const struct hf_render_rect_options *options);
uint64_t hf_render_pass_submit(struct hf_render_pass *pass);

struct hf_renderer *hf_renderer_pixman_create(void);
/* hf_renderer_vulkan_create's flags. */
#define HF_RENDERER_VULKAN_ALLOW_CPU 1u /* a CPU device (lavapipe) will do */
#define HF_RENDERER_VULKAN_BLIT      2u /* compose by blits, as on a device without shaders */
/* How a pass's submit waits for the device (the default: a sleep until near the expected
 * completion, then a short poll), for measurements. */
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
