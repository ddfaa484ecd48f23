/* The patterns as rectangles (pattern_rects.h), which both renderers paint. */
#include "pattern_rects.h"

#include "pattern.h"

#include <stdio.h>

#define STAMP_WIDTH 16

/* Seven-segment digits: segment rectangles in units of the stroke t, a digit 5t x 9t. */
static const struct {
	int8_t x, y, w, h;
} segments[7] = {
	{1, 0, 3, 1}, {4, 1, 1, 3}, {4, 5, 1, 3}, {1, 8, 3, 1},
	{0, 5, 1, 3}, {0, 1, 1, 3}, {1, 4, 3, 1},
};
static const uint8_t digit_segments[10] = {0x3f, 0x06, 0x5b, 0x4f, 0x66,
					   0x6d, 0x7d, 0x07, 0x7f, 0x6f};

struct rect_list {
	struct hp_rect *rects;
	size_t count;
	int32_t width, y0, y1; /* the clip */
};

static int32_t max32(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

static int32_t min32(int32_t a, int32_t b)
{
	return a < b ? a : b;
}

static void add(struct rect_list *l, int32_t x0, int32_t y0, int32_t x1, int32_t y1, uint32_t xrgb)
{
	x0 = max32(x0, 0);
	x1 = min32(x1, l->width);
	y0 = max32(y0, l->y0);
	y1 = min32(y1, l->y1);
	if (x1 <= x0 || y1 <= y0 || l->count == HP_PATTERN_MAX_RECTS)
		return;
	l->rects[l->count++] = (struct hp_rect){x0, y0, x1 - x0, y1 - y0, xrgb & 0xffffff};
}

static void add_number(struct rect_list *l, int32_t x0, int32_t y0, int32_t t, uint64_t n,
		       uint32_t ink)
{
	char digits[24];
	int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);
	for (int i = 0; i < len; i++) {
		int32_t dx = x0 + i * 7 * t;
		uint8_t lit = digit_segments[digits[i] - '0'];
		for (int s = 0; s < 7; s++) {
			if (!(lit & (1 << s)))
				continue;
			int32_t sx = dx + segments[s].x * t, sy = y0 + segments[s].y * t;
			add(l, sx, sy, sx + segments[s].w * t, sy + segments[s].h * t, ink);
		}
	}
}

static void add_moving(struct rect_list *l, int32_t width, int32_t height, uint64_t n)
{
	int32_t bar_w = width / 24 + 1;
	int32_t bar_x = (int32_t)((n * 7) % (uint64_t)(width + bar_w)) - bar_w;
	int32_t sq = height / 4 + 1;
	int32_t span_x = width - sq > 1 ? width - sq : 1;
	int32_t span_y = height - sq > 1 ? height - sq : 1;
	int32_t px = (int32_t)((n * 5) % (uint64_t)(2 * span_x)),
		py = (int32_t)((n * 3) % (uint64_t)(2 * span_y));
	int32_t sq_x = px < span_x ? px : 2 * span_x - px;
	int32_t sq_y = py < span_y ? py : 2 * span_y - py;
	int32_t t = height / 48 > 1 ? height / 48 : 1;
	int32_t stamp_end = min32(width, STAMP_WIDTH);
	uint32_t phase = (uint32_t)(n % 256);

	add(l, 0, l->y0, stamp_end, l->y1, hf_solid_color(n));
	/* The background: one band per run of rows of one shade. */
	for (int32_t y = l->y0; y < l->y1;) {
		uint32_t shade = (uint32_t)((y * 160) / height);
		int32_t end = y + 1;
		while (end < l->y1 && (uint32_t)((end * 160) / height) == shade)
			end++;
		add(l, stamp_end, y, width, end,
		    (shade / 2 + phase / 4) << 16 | (40 + shade / 3) << 8 | (80 + shade / 2));
		y = end;
	}
	add(l, max32(bar_x, stamp_end), l->y0, bar_x + bar_w, l->y1, 0xf0f0f0);
	add(l, max32(sq_x, stamp_end), sq_y, sq_x + sq, sq_y + sq, 0xffc020);
	add_number(l, stamp_end + 2 * t, 2 * t, t, n, 0xffffff);
}

size_t hp_pattern_rects(enum hp_pattern pattern, int32_t width, int32_t height, uint64_t n,
			int32_t y0, int32_t y1, struct hp_rect *out)
{
	struct rect_list l = {
		.rects = out,
		.width = width,
		.y0 = max32(y0, 0),
		.y1 = min32(y1, height),
	};
	if (l.y1 <= l.y0 || width <= 0)
		return 0;
	if (pattern == HP_PATTERN_SOLID)
		add(&l, 0, l.y0, width, l.y1, hf_solid_color(n));
	else
		add_moving(&l, width, height, n);
	return l.count;
}
