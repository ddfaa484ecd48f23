/*
 * The CPU renderer. Every pattern stamps the frame on every row: the solid pattern is the
 * stamp itself (color(N) everywhere); the moving pattern starts each row with STAMP_WIDTH
 * pixels of color(N).
 */
#include "renderer.h"

#include "format.h"
#include "pattern.h"

#include <drm_fourcc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#define STAMP_WIDTH 16

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

/* Seven-segment digits: segment rectangles in units of the stroke t, a digit 5t x 9t. */
static const struct {
	int8_t x, y, w, h;
} segments[7] = {
	{1, 0, 3, 1}, {4, 1, 1, 3}, {4, 5, 1, 3}, {1, 8, 3, 1},
	{0, 5, 1, 3}, {0, 1, 1, 3}, {1, 4, 3, 1},
};
/* Bits a..g (segments[0..6]) lit for each digit. */
static const uint8_t digit_segments[10] = {0x3f, 0x06, 0x5b, 0x4f, 0x66,
					   0x6d, 0x7d, 0x07, 0x7f, 0x6f};

/* The frame number, large, at (x0, y0): the part of it on row y. */
static void draw_number_row(uint8_t *row, int32_t y, int32_t x0, int32_t y0, int32_t t, uint64_t n,
			    int32_t width, uint64_t pixel, int bpp)
{
	if (y < y0 || y >= y0 + 9 * t)
		return;
	char digits[24];
	int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);
	for (int i = 0; i < len; i++) {
		int32_t dx = x0 + i * 7 * t;
		uint8_t lit = digit_segments[digits[i] - '0'];
		for (int s = 0; s < 7; s++) {
			if (!(lit & (1 << s)))
				continue;
			int32_t sy = y0 + segments[s].y * t;
			if (y < sy || y >= sy + segments[s].h * t)
				continue;
			int32_t sx0 = dx + segments[s].x * t, sx1 = sx0 + segments[s].w * t;
			if (sx1 > width)
				sx1 = width;
			if (sx1 > sx0)
				fill_span(row, sx0, sx1, pixel, bpp);
		}
	}
}

/* A slow colour wash, a bar sweeping across, a square bouncing around, and the frame number. */
static void draw_moving(const struct hp_frame *f, int bpp, int32_t y0, int32_t y1)
{
	uint64_t n = f->number;
	uint64_t stamp = encode(f->fourcc, hf_solid_color(n));
	int32_t bar_w = f->width / 24 + 1;
	int32_t bar_x = (int32_t)((n * 7) % (uint64_t)(f->width + bar_w)) - bar_w;
	int32_t sq = f->height / 4 + 1;
	int32_t span_x = f->width - sq > 1 ? f->width - sq : 1;
	int32_t span_y = f->height - sq > 1 ? f->height - sq : 1;
	int32_t px = (int32_t)((n * 5) % (uint64_t)(2 * span_x)),
		py = (int32_t)((n * 3) % (uint64_t)(2 * span_y));
	int32_t sq_x = px < span_x ? px : 2 * span_x - px;
	int32_t sq_y = py < span_y ? py : 2 * span_y - py;
	uint64_t bar = encode(f->fourcc, 0xf0f0f0);
	uint64_t square = encode(f->fourcc, 0xffc020);
	uint64_t ink = encode(f->fourcc, 0xffffff);
	int32_t t = f->height / 48 > 1 ? f->height / 48 : 1;
	for (int32_t y = y0; y < y1; y++) {
		uint8_t *row = (uint8_t *)f->data + (size_t)y * f->stride;
		uint32_t shade = (uint32_t)((y * 160) / f->height);
		uint32_t phase = (uint32_t)(n % 256);
		uint64_t bg = encode(f->fourcc, (shade / 2 + phase / 4) << 16 |
							(40 + shade / 3) << 8 | (80 + shade / 2));
		int32_t stamp_end = f->width < STAMP_WIDTH ? f->width : STAMP_WIDTH;
		fill_span(row, 0, stamp_end, stamp, bpp);
		fill_span(row, stamp_end, f->width, bg, bpp);
		int32_t b0 = bar_x > stamp_end ? bar_x : stamp_end;
		int32_t b1 = bar_x + bar_w < f->width ? bar_x + bar_w : f->width;
		if (b1 > b0)
			fill_span(row, b0, b1, bar, bpp);
		if (y >= sq_y && y < sq_y + sq) {
			int32_t s0 = sq_x > stamp_end ? sq_x : stamp_end;
			int32_t s1 = sq_x + sq < f->width ? sq_x + sq : f->width;
			if (s1 > s0)
				fill_span(row, s0, s1, square, bpp);
		}
		draw_number_row(row, y, stamp_end + 2 * t, 2 * t, t, n, f->width, ink, bpp);
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
