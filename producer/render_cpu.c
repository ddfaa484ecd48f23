/*
 * The CPU renderer. Every pattern stamps the frame on every row: the solid pattern is the
 * stamp itself (color(N) everywhere); the moving pattern (pattern_rects.c) starts each row
 * with a column of color(N).
 */
#include "renderer.h"

#include "format.h"
#include "pattern.h"
#include "pattern_rects.h"

#include <drm_fourcc.h>
#include <math.h>
#include <stdlib.h>
#include <wchar.h>

/* One XRGB8888 colour in the frame's format; *bpp bytes of the result are used. */
static uint64_t encode(uint32_t fourcc, uint32_t xrgb)
{
	uint32_t r = (xrgb >> 16) & 0xff, g = (xrgb >> 8) & 0xff, b = xrgb & 0xff;
	switch (fourcc) {
	case DRM_FORMAT_XRGB8888:
	case DRM_FORMAT_ARGB8888:
		return 0xff000000u | xrgb;
	case DRM_FORMAT_XBGR8888:
	case DRM_FORMAT_ABGR8888:
		return 0xff000000u | b << 16 | g << 8 | r;
	case DRM_FORMAT_XBGR2101010:
	case DRM_FORMAT_ABGR2101010: {
		/* Replicate the top bits so that 10 -> 8 bit reads give back the same byte. */
		uint32_t r10 = r << 2 | r >> 6, g10 = g << 2 | g >> 6, b10 = b << 2 | b >> 6;
		return 3u << 30 | b10 << 20 | g10 << 10 | r10;
	}
	case DRM_FORMAT_ABGR16161616F: {
		/* Half floats of c/255: exact enough for 8-bit reads. */
		uint64_t out = (uint64_t)0x3c00 << 48; /* alpha 1.0 */
		uint32_t cs[3] = {r, g, b};
		for (int i = 0; i < 3; i++) {
			float f = (float)cs[i] / 255.0f;
			uint16_t h = 0;
			if (f > 0) {
				int e;
				float m = frexpf(f, &e); /* f = m * 2^e, m in [0.5, 1) */
				h = (uint16_t)((e + 14) << 10 | ((uint32_t)(m * 2048.0f) & 0x3ff));
			}
			out |= (uint64_t)h << (16 * i);
		}
		return out;
	}
	}
	return xrgb;
}

/* wchar_t is 32 bits on Linux, and libc's wmemset is as fast as memset: the plain loop
 * below is not vectorized at -O2. */
_Static_assert(sizeof(wchar_t) == 4, "wmemset fills 32-bit pixels");

static void fill_span(uint8_t *row, int32_t x0, int32_t x1, uint64_t pixel, int bpp)
{
	if (x1 <= x0)
		return;
	if (bpp == 4) {
		wmemset((wchar_t *)row + x0, (wchar_t)(uint32_t)pixel, (size_t)(x1 - x0));
	} else {
		uint64_t *p = (uint64_t *)row;
		for (int32_t x = x0; x < x1; x++)
			p[x] = pixel;
	}
}

static void draw_solid(const struct hp_frame *f, int bpp, int32_t y0, int32_t y1)
{
	uint64_t pixel = encode(f->fourcc, hf_solid_color(f->number));
	for (int32_t y = y0; y < y1; y++)
		fill_span((uint8_t *)f->data + (size_t)y * f->stride, 0, f->width, pixel, bpp);
}

/* The moving picture, as pattern_rects.c lays it out (the Vulkan renderer paints the same
 * rectangles): painted in order, row by row within each. */
static void draw_moving(const struct hp_frame *f, int bpp, int32_t y0, int32_t y1)
{
	struct hp_rect rects[HP_PATTERN_MAX_RECTS];
	size_t n =
		hp_pattern_rects(HP_PATTERN_MOVING, f->width, f->height, f->number, y0, y1, rects);
	for (size_t i = 0; i < n; i++) {
		const struct hp_rect *r = &rects[i];
		uint64_t pixel = encode(f->fourcc, r->xrgb);
		for (int32_t y = r->y; y < r->y + r->height; y++)
			fill_span((uint8_t *)f->data + (size_t)y * f->stride, r->x, r->x + r->width,
				  pixel, bpp);
	}
}

static bool cpu_draw(struct hp_renderer *r, const struct hp_render_target *target,
		     enum hp_pattern pattern, int32_t y0, int32_t y1)
{
	const struct hp_frame *frame = &target->frame;
	const struct hf_format *fmt = hf_format_from_fourcc(frame->fourcc);
	if (!fmt)
		return false;
	if (pattern == HP_PATTERN_SOLID)
		draw_solid(frame, (int)fmt->bpp, y0, y1);
	else
		draw_moving(frame, (int)fmt->bpp, y0, y1);
	return true;
}

static void cpu_destroy(struct hp_renderer *r)
{
	free(r);
}

static const struct hp_renderer_impl cpu_impl = {
	.name = "cpu",
	.destroy = cpu_destroy,
	.draw = cpu_draw,
};

struct hp_renderer *hp_renderer_cpu_create(void)
{
	struct hp_renderer *r = calloc(1, sizeof(*r));
	if (r)
		r->impl = &cpu_impl;
	return r;
}
