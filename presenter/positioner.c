/* xdg_positioner's arithmetic: anchor, gravity, offset and constraint adjustment (positioner.h). */
#include "positioner.h"

/* The protocol's values (xdg_positioner.anchor, .gravity and .constraint_adjustment), spelled
 * out so that this file needs no generated header. */
enum {
	DIR_NONE = 0,
	DIR_TOP = 1,
	DIR_BOTTOM = 2,
	DIR_LEFT = 3,
	DIR_RIGHT = 4,
	DIR_TOP_LEFT = 5,
	DIR_BOTTOM_LEFT = 6,
	DIR_TOP_RIGHT = 7,
	DIR_BOTTOM_RIGHT = 8,
};

enum {
	ADJUST_SLIDE_X = 1,
	ADJUST_SLIDE_Y = 2,
	ADJUST_FLIP_X = 4,
	ADJUST_FLIP_Y = 8,
	ADJUST_RESIZE_X = 16,
	ADJUST_RESIZE_Y = 32,
};

bool hf_positioner_is_complete(const struct hf_positioner *p)
{
	return p->width > 0 && p->height > 0 && p->has_anchor_rect;
}

static bool is_left(uint32_t d)
{
	return d == DIR_LEFT || d == DIR_TOP_LEFT || d == DIR_BOTTOM_LEFT;
}

static bool is_right(uint32_t d)
{
	return d == DIR_RIGHT || d == DIR_TOP_RIGHT || d == DIR_BOTTOM_RIGHT;
}

static bool is_top(uint32_t d)
{
	return d == DIR_TOP || d == DIR_TOP_LEFT || d == DIR_TOP_RIGHT;
}

static bool is_bottom(uint32_t d)
{
	return d == DIR_BOTTOM || d == DIR_BOTTOM_LEFT || d == DIR_BOTTOM_RIGHT;
}

/* Left and right swapped (x), or top and bottom (y). */
static uint32_t flip(uint32_t d, bool x)
{
	static const uint32_t flip_x[] = {DIR_NONE,         DIR_TOP,      DIR_BOTTOM,
					  DIR_RIGHT,        DIR_LEFT,     DIR_TOP_RIGHT,
					  DIR_BOTTOM_RIGHT, DIR_TOP_LEFT, DIR_BOTTOM_LEFT};
	static const uint32_t flip_y[] = {DIR_NONE,     DIR_BOTTOM,       DIR_TOP,
					  DIR_LEFT,     DIR_RIGHT,        DIR_BOTTOM_LEFT,
					  DIR_TOP_LEFT, DIR_BOTTOM_RIGHT, DIR_TOP_RIGHT};
	if (d > DIR_BOTTOM_RIGHT)
		return d;
	return x ? flip_x[d] : flip_y[d];
}

/* The box's origin on one axis from an anchor and a gravity: the anchor picks a point of the
 * anchor rectangle's span [a, a + a_len], the gravity the side of it the popup lies on. */
static int32_t place_axis(int32_t a, int32_t a_len, int32_t len, bool anchor_low, bool anchor_high,
			  bool gravity_low, bool gravity_high, int32_t offset)
{
	int32_t point = anchor_low ? a : anchor_high ? a + a_len : a + a_len / 2;
	int32_t origin = gravity_low ? point - len : gravity_high ? point : point - len / 2;
	return origin + offset;
}

/* flipped: anchor and gravity mirrored on the axis, and the offset with them (it pushes the
 * popup away from its anchor, as mutter and wlroots flip it). */
static int32_t place_x(const struct hf_positioner *p, bool flipped)
{
	uint32_t anchor = flipped ? flip(p->anchor, true) : p->anchor;
	uint32_t gravity = flipped ? flip(p->gravity, true) : p->gravity;
	return place_axis(p->anchor_rect.x, p->anchor_rect.width, p->width, is_left(anchor),
			  is_right(anchor), is_left(gravity), is_right(gravity),
			  flipped ? -p->offset_x : p->offset_x);
}

static int32_t place_y(const struct hf_positioner *p, bool flipped)
{
	uint32_t anchor = flipped ? flip(p->anchor, false) : p->anchor;
	uint32_t gravity = flipped ? flip(p->gravity, false) : p->gravity;
	return place_axis(p->anchor_rect.y, p->anchor_rect.height, p->height, is_top(anchor),
			  is_bottom(anchor), is_top(gravity), is_bottom(gravity),
			  flipped ? -p->offset_y : p->offset_y);
}

static bool fits(int32_t origin, int32_t len, int32_t lo, int32_t hi)
{
	return origin >= lo && origin + len <= hi;
}

/* One axis's adjustment, in the protocol's order. *origin and *len are the placed span; lo and
 * hi the bounds; flipped is the origin the flipped anchor and gravity would give. */
static void adjust_axis(int32_t *origin, int32_t *len, int32_t lo, int32_t hi, int32_t flipped,
			bool may_flip, bool may_slide, bool may_resize)
{
	if (fits(*origin, *len, lo, hi))
		return;
	/* Flipped only when that makes it fit on this axis; else it stays as it was. */
	if (may_flip && fits(flipped, *len, lo, hi)) {
		*origin = flipped;
		return;
	}
	if (may_slide) {
		/* Too long for the bounds: its start edge goes to theirs. */
		if (*origin + *len > hi)
			*origin = hi - *len;
		if (*origin < lo)
			*origin = lo;
		if (fits(*origin, *len, lo, hi))
			return;
	}
	if (may_resize) {
		int32_t start = *origin > lo ? *origin : lo;
		int32_t end = *origin + *len < hi ? *origin + *len : hi;
		/* A box that would vanish is left as it is: the protocol keeps it unconstrained. */
		if (end > start) {
			*origin = start;
			*len = end - start;
		}
	}
}

struct hf_box hf_positioner_place(const struct hf_positioner *p, const struct hf_box *bounds)
{
	struct hf_box box = {
		.x = place_x(p, false),
		.y = place_y(p, false),
		.width = p->width,
		.height = p->height,
	};
	if (!bounds)
		return box;
	uint32_t adj = p->constraint_adjustment;
	adjust_axis(&box.x, &box.width, bounds->x, bounds->x + bounds->width, place_x(p, true),
		    adj & ADJUST_FLIP_X, adj & ADJUST_SLIDE_X, adj & ADJUST_RESIZE_X);
	adjust_axis(&box.y, &box.height, bounds->y, bounds->y + bounds->height, place_y(p, true),
		    adj & ADJUST_FLIP_Y, adj & ADJUST_SLIDE_Y, adj & ADJUST_RESIZE_Y);
	return box;
}
