/* How the producer draws a frame: on the CPU, or with Vulkan. */
#ifndef HP_RENDERER_H
#define HP_RENDERER_H

#include "handoff-producer-vulkan.h"

#include <stdbool.h>
#include <stdint.h>

enum hp_pattern { HP_PATTERN_MOVING, HP_PATTERN_SOLID };

/* What a frame is drawn into: the frame (a copy), and for Vulkan windows its image and
 * semaphores, taken on the client's thread with hp_vk_frame_get(). */
struct hp_render_target {
	struct hp_frame frame;
	struct hp_vk_frame vk;
};

struct hp_renderer;
struct hp_vk_context;

struct hp_renderer_impl {
	const char *name;
	void (*destroy)(struct hp_renderer *r);
	/* Draws rows [y0, y1) of the target's picture. Called on the render thread; a frame is
	 * drawn in order, from row 0 to its last row. false on a failure, which was reported. */
	bool (*draw)(struct hp_renderer *r, const struct hp_render_target *target,
		     enum hp_pattern pattern, int32_t y0, int32_t y1);
};

struct hp_renderer {
	const struct hp_renderer_impl *impl;
};

struct hp_renderer *hp_renderer_cpu_create(void);
/* Draws into the images of a Vulkan window made on ctx's device. NULL on failure, with the
 * reason in err. */
struct hp_renderer *hp_renderer_vulkan_create(struct hp_vk_context *ctx, char *err,
					      size_t err_size);

#endif
