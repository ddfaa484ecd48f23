/* xdg_positioner's arithmetic (presenter/positioner.c), with no display: anchor and gravity
 * combinations, offsets, and flip, slide and resize at the bounds' edges, in that order. */
#include "harness.h"

#include "positioner.h"

#include <stdio.h>

enum { NONE, TOP, BOTTOM, LEFT, RIGHT, TOP_LEFT, BOTTOM_LEFT, TOP_RIGHT, BOTTOM_RIGHT };
enum { SLIDE_X = 1, SLIDE_Y = 2, FLIP_X = 4, FLIP_Y = 8, RESIZE_X = 16, RESIZE_Y = 32 };

static const struct hf_box bounds = {0, 0, 200, 100};

/* A 20x10 popup on the anchor rectangle 50,40 10x6. */
static struct hf_positioner at(uint32_t anchor, uint32_t gravity, uint32_t adjust)
{
	return (struct hf_positioner){
		.width = 20,
		.height = 10,
		.anchor_rect = {50, 40, 10, 6},
		.has_anchor_rect = true,
		.anchor = anchor,
		.gravity = gravity,
		.constraint_adjustment = adjust,
	};
}

static void expect(const struct hf_positioner *p, const struct hf_box *b, int32_t x, int32_t y,
		   int32_t w, int32_t h)
{
	struct hf_box got = hf_positioner_place(p, b);
	CHECK_MSG(got.x == x && got.y == y && got.width == w && got.height == h,
		  "anchor %u gravity %u adjust %u: %d,%d %dx%d, not %d,%d %dx%d", p->anchor,
		  p->gravity, p->constraint_adjustment, got.x, got.y, got.width, got.height, x, y,
		  w, h);
}

static void test_anchor_picks_a_point_of_the_anchor_rect(void)
{
	/* Gravity bottom right: the popup's top left corner is the anchor point. */
	struct {
		uint32_t anchor;
		int32_t x, y;
	} cases[] = {
		{NONE, 55, 43},        {TOP, 55, 40},       {BOTTOM, 55, 46},
		{LEFT, 50, 43},        {RIGHT, 60, 43},     {TOP_LEFT, 50, 40},
		{BOTTOM_LEFT, 50, 46}, {TOP_RIGHT, 60, 40}, {BOTTOM_RIGHT, 60, 46},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hf_positioner p = at(cases[i].anchor, BOTTOM_RIGHT, 0);
		expect(&p, &bounds, cases[i].x, cases[i].y, 20, 10);
	}
}

static void test_gravity_picks_the_side_of_the_anchor_point(void)
{
	/* Anchor none: the point 55,43. */
	struct {
		uint32_t gravity;
		int32_t x, y;
	} cases[] = {
		{NONE, 45, 38},        {TOP, 45, 33},       {BOTTOM, 45, 43},
		{LEFT, 35, 38},        {RIGHT, 55, 38},     {TOP_LEFT, 35, 33},
		{BOTTOM_LEFT, 35, 43}, {TOP_RIGHT, 55, 33}, {BOTTOM_RIGHT, 55, 43},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hf_positioner p = at(NONE, cases[i].gravity, 0);
		expect(&p, &bounds, cases[i].x, cases[i].y, 20, 10);
	}
}

static void test_offset_moves_the_popup(void)
{
	struct hf_positioner p = at(BOTTOM_LEFT, BOTTOM_RIGHT, 0);
	p.offset_x = -4;
	p.offset_y = 7;
	expect(&p, &bounds, 46, 53, 20, 10);
}

static void test_unconstrained_popup_is_not_adjusted(void)
{
	struct hf_positioner p = at(BOTTOM_RIGHT, BOTTOM_RIGHT, FLIP_X | SLIDE_Y | RESIZE_X);
	expect(&p, &bounds, 60, 46, 20, 10);
	/* Out of the bounds with no adjustment allowed: it stays there. */
	p.anchor_rect.x = 190;
	p.constraint_adjustment = 0;
	expect(&p, &bounds, 200, 46, 20, 10);
	/* No bounds: nothing constrains it. */
	expect(&p, NULL, 200, 46, 20, 10);
}

static void test_flip_x_at_the_right_edge(void)
{
	struct hf_positioner p = at(RIGHT, RIGHT, FLIP_X);
	p.anchor_rect.x = 185; /* right of 195: ends at 215 */
	p.offset_x = 2;
	/* Flipped: left of 185, the offset mirrored. */
	expect(&p, &bounds, 185 - 20 - 2, 38, 20, 10);
}

static void test_flip_y_at_the_bottom_edge(void)
{
	struct hf_positioner p = at(BOTTOM, BOTTOM, FLIP_Y);
	p.anchor_rect.y = 90; /* below 96: ends at 106 */
	expect(&p, &bounds, 45, 80, 20, 10);
}

static void test_flip_that_does_not_fit_either_is_not_done(void)
{
	struct hf_positioner p = at(RIGHT, RIGHT, FLIP_X);
	p.width = 150; /* neither right of 60 nor left of 50 fits in 200 */
	expect(&p, &bounds, 60, 38, 150, 10);
}

static void test_slide_x_keeps_it_inside(void)
{
	struct hf_positioner p = at(RIGHT, RIGHT, SLIDE_X);
	p.anchor_rect.x = 185;
	expect(&p, &bounds, 180, 38, 20, 10);
	p = at(LEFT, LEFT, SLIDE_X);
	p.anchor_rect.x = 5;
	expect(&p, &bounds, 0, 38, 20, 10);
}

static void test_slide_y_keeps_it_inside(void)
{
	struct hf_positioner p = at(TOP, TOP, SLIDE_Y);
	p.anchor_rect.y = 4;
	expect(&p, &bounds, 45, 0, 20, 10);
}

static void test_slide_of_a_popup_wider_than_the_bounds_aligns_its_left_edge(void)
{
	struct hf_positioner p = at(RIGHT, RIGHT, SLIDE_X);
	p.width = 250;
	expect(&p, &bounds, 0, 38, 250, 10);
}

static void test_resize_cuts_it_to_the_bounds(void)
{
	struct hf_positioner p = at(RIGHT, RIGHT, RESIZE_X);
	p.anchor_rect.x = 185;
	expect(&p, &bounds, 195, 38, 5, 10);
	p = at(BOTTOM, BOTTOM, RESIZE_Y);
	p.anchor_rect.y = 90;
	expect(&p, &bounds, 45, 96, 20, 4);
}

static void test_flip_comes_before_slide_and_slide_before_resize(void)
{
	struct hf_positioner p = at(RIGHT, RIGHT, FLIP_X | SLIDE_X | RESIZE_X);
	p.anchor_rect.x = 185;
	expect(&p, &bounds, 165, 38, 20, 10); /* flipped, not slid */
	p.width = 190;                        /* fits flipped nowhere: slid */
	expect(&p, &bounds, 10, 38, 190, 10);
	p.width = 250; /* too wide to slide inside: slid to the left edge, then cut */
	expect(&p, &bounds, 0, 38, 200, 10);
}

static void test_resize_that_would_leave_nothing_is_not_done(void)
{
	struct hf_positioner p = at(RIGHT, RIGHT, RESIZE_X);
	p.anchor_rect.x = 250; /* wholly right of the bounds */
	expect(&p, &bounds, 260, 38, 20, 10);
}

static void test_completeness_needs_size_and_anchor_rect(void)
{
	struct hf_positioner p = {0};
	CHECK(!hf_positioner_is_complete(&p));
	p.width = p.height = 1;
	CHECK(!hf_positioner_is_complete(&p));
	p.has_anchor_rect = true;
	CHECK(hf_positioner_is_complete(&p));
}

HF_TESTS(T(test_anchor_picks_a_point_of_the_anchor_rect),
	 T(test_gravity_picks_the_side_of_the_anchor_point), T(test_offset_moves_the_popup),
	 T(test_unconstrained_popup_is_not_adjusted), T(test_flip_x_at_the_right_edge),
	 T(test_flip_y_at_the_bottom_edge), T(test_flip_that_does_not_fit_either_is_not_done),
	 T(test_slide_x_keeps_it_inside), T(test_slide_y_keeps_it_inside),
	 T(test_slide_of_a_popup_wider_than_the_bounds_aligns_its_left_edge),
	 T(test_resize_cuts_it_to_the_bounds),
	 T(test_flip_comes_before_slide_and_slide_before_resize),
	 T(test_resize_that_would_leave_nothing_is_not_done),
	 T(test_completeness_needs_size_and_anchor_rect))
