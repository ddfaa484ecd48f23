/*
 * The patterns as coloured rectangles, painted in order by both renderers: the CPU one fills
 * their rows, the Vulkan one clears them.
 */
#ifndef HP_PATTERN_RECTS_H
#define HP_PATTERN_RECTS_H

#include "renderer.h"

#include <stddef.h>
#include <stdint.h>

/* Enough for any frame: 160 background bands, 20 digits of 7 segments, and the rest. */
#define HP_PATTERN_MAX_RECTS 512

struct hp_rect {
	int32_t x, y, width, height;
	uint32_t xrgb; /* XRGB8888, whatever the image's format */
};

/* The rectangles of frame n's picture that lie in rows [y0, y1), clipped to them and to the
 * image. Returns how many it wrote to out (at most HP_PATTERN_MAX_RECTS). */
size_t hp_pattern_rects(enum hp_pattern pattern, int32_t width, int32_t height, uint64_t n,
			int32_t y0, int32_t y1, struct hp_rect *out);

#endif
