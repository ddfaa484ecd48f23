/* How the producer draws a frame. CPU today; a Vulkan renderer plugs in the same way. */
#ifndef HP_RENDERER_H
#define HP_RENDERER_H

#include "handoff-producer.h"

#include <stdbool.h>
#include <stdint.h>

enum hp_pattern { HP_PATTERN_MOVING, HP_PATTERN_SOLID };

struct hp_renderer;

struct hp_renderer_impl {
	const char *name;
	void (*destroy)(struct hp_renderer *r);
	/* Draws rows [y0, y1) of frame's picture. Called on the render thread. */
	bool (*draw)(struct hp_renderer *r, const struct hp_frame *frame, enum hp_pattern pattern,
		     int32_t y0, int32_t y1);
};

struct hp_renderer {
	const struct hp_renderer_impl *impl;
};

struct hp_renderer *hp_renderer_cpu_create(void);

#endif
