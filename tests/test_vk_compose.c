/*
 * The Vulkan renderer's composition against the pixman renderer's, in process, on whatever
 * Vulkan device there is (lavapipe in CI; skips when none): every format the presenter takes
 * from wl_shm memory, copied, flipped, blended with OVER over what lies below (pixman's
 * result, byte for byte) and scaled (within the filters' rounding); the clear in the colour
 * it is given; the blit fallback for opaque formats; and read-back that never leaves a target
 * with old pixels where it was asked for new ones. Everything goes through the renderer's pass
 * (renderer.h), as the presenter's repaint does.
 */
#include "harness.h"
#include "format.h"
#include "renderer.h"
#include "vk.h"

#include <drm_fourcc.h>
#include <stdint.h>
#include <string.h>

#define W 64
#define H 48

struct source {
	struct hf_pixels pixels;
	struct hf_texture *tex;
};

static uint32_t rng = 12345;
static uint32_t next_random(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 7;
}

/* Random pixels; with alpha, premultiplied ones mostly, and some that saturate. */
static struct hf_pixels make_pixels(uint32_t fourcc, int32_t w, int32_t h)
{
	const struct hf_format *fmt = hf_format_from_fourcc(fourcc);
	size_t stride = (size_t)w * fmt->bpp + 16; /* rows wider than the image */
	struct hf_pixels p = {.width = w, .height = h, .stride = stride, .fourcc = fourcc};
	CHECK((p.data = aligned_alloc(4096, (stride * (size_t)h + 4095) & ~(size_t)4095)));
	for (int32_t y = 0; y < h; y++) {
		uint32_t *row = (uint32_t *)((char *)p.data + (size_t)y * stride);
		for (int32_t x = 0; x < w; x++) {
			uint32_t v = next_random() ^ (next_random() << 16);
			if (fmt->has_alpha && fmt->bpp == 4 && fmt->vk_format != 64 /* 2101010 */) {
				uint32_t a = (x % 5 == 0) ? 255 : (v >> 24);
				uint32_t c0 = (v & 0xff) % (a + 1),
					 c1 = ((v >> 8) & 0xff) % (a + 1);
				uint32_t c2 = (x % 7 == 0) ? 255 : ((v >> 16) & 0xff) % (a + 1);
				v = a << 24 | c2 << 16 | c1 << 8 | c0;
			}
			row[x] = v;
		}
	}
	return p;
}

static struct wl_event_loop *loop;

static struct hf_renderer *vulkan(unsigned flags)
{
	if (!loop)
		CHECK((loop = wl_event_loop_create()));
	char why[256];
	struct hf_renderer *r = hf_renderer_vulkan_create(
		loop, HF_RENDERER_VULKAN_ALLOW_CPU | flags, why, sizeof(why));
	if (!r)
		hf_test_skip(why);
	return r;
}

struct scene {
	uint32_t fourcc;
	bool scaled;
	bool inside; /* every window inside the output (blits cannot be clipped) */
	uint32_t clear;
	enum hf_blend_mode blend;
};

/* Draws the scene into target with r, in one pass: a rectangle, then three windows that
 * overlap. */
static void compose(struct hf_renderer *r, struct hf_pixels *target, const struct scene *sc,
		    struct source *src)
{
	pixman_region32_t all;
	pixman_region32_init_rect(&all, 0, 0, W, H);
	struct hf_render_pass *pass =
		hf_renderer_begin_pass(r, target, &(struct hf_pass_options){.read_back = &all});
	CHECK(pass);
	hf_render_pass_add_rect(pass, &(struct hf_render_rect_options){&all, sc->clear});
	const struct hf_box boxes[3] = {
		{3, 4, 37, 23},
		sc->scaled ? (struct hf_box){20, 15, 41, 30} : (struct hf_box){20, 15, 37, 23},
		sc->inside ? (struct hf_box){0, 25, 37, 23} : (struct hf_box){-5, 30, 37, 23},
	};
	for (int i = 0; i < 3; i++) {
		if (!src[i].tex)
			CHECK((src[i].tex = r->impl->texture_create(r, &src[i].pixels)));
		hf_render_pass_add_texture(
			pass, &(struct hf_render_texture_options){.texture = src[i].tex,
								  .src = &src[i].pixels,
								  .dst = boxes[i],
								  .clip = &all,
								  .blend_mode = sc->blend});
	}
	CHECK(hf_render_pass_submit(pass) > 0);
	pixman_region32_fini(&all);
}

static int max_difference(const struct hf_pixels *a, const struct hf_pixels *b, int *at_x,
			  int *at_y)
{
	int worst = 0;
	for (int32_t y = 0; y < H; y++)
		for (int32_t x = 0; x < W; x++) {
			uint32_t pa = ((uint32_t *)((char *)a->data + y * a->stride))[x];
			uint32_t pb = ((uint32_t *)((char *)b->data + y * b->stride))[x];
			for (int c = 0; c < 24; c += 8) {
				int d = abs((int)((pa >> c) & 0xff) - (int)((pb >> c) & 0xff));
				if (d > worst) {
					worst = d;
					*at_x = x;
					*at_y = y;
				}
			}
		}
	return worst;
}

static uint32_t pixel(const struct hf_pixels *p, int32_t x, int32_t y)
{
	return ((const uint32_t *)((const char *)p->data + (size_t)y * p->stride))[x];
}

static struct hf_pixels make_target(void)
{
	struct hf_pixels t = {
		.width = W, .height = H, .stride = W * 4, .fourcc = DRM_FORMAT_XRGB8888};
	CHECK((t.data = aligned_alloc(4096, W * H * 4)));
	memset(t.data, 0x5a, W * H * 4);
	return t;
}

/* The scene by pixman and by r; the largest difference of a channel. */
static int difference(struct hf_renderer *r, const struct scene *sc)
{
	struct hf_renderer *pix = hf_renderer_pixman_create();
	struct source src[3], ref_src[3];
	for (int i = 0; i < 3; i++) {
		src[i] = (struct source){.pixels = make_pixels(sc->fourcc, 37, 23)};
		src[i].pixels.y_invert = i == 2;
		ref_src[i] = (struct source){.pixels = src[i].pixels};
	}
	struct hf_pixels ref = make_target(), out = make_target();
	compose(pix, &ref, sc, ref_src);
	compose(r, &out, sc, src);
	int x = 0, y = 0;
	int worst = max_difference(&ref, &out, &x, &y);
	if (worst)
		fprintf(stderr, "%s%s: differs by %d at (%d, %d): pixman %08x, vulkan %08x\n",
			hf_format_from_fourcc(sc->fourcc)->name, sc->scaled ? " scaled" : "", worst,
			x, y, ((uint32_t *)ref.data)[y * W + x], ((uint32_t *)out.data)[y * W + x]);
	for (int i = 0; i < 3; i++) {
		r->impl->texture_destroy(r, src[i].tex);
		pix->impl->texture_destroy(pix, ref_src[i].tex);
		free(src[i].pixels.data);
	}
	free(ref.data);
	free(out.data);
	pix->impl->destroy(pix);
	return worst;
}

static const uint32_t formats[] = {DRM_FORMAT_XRGB8888,    DRM_FORMAT_ARGB8888,
				   DRM_FORMAT_XBGR8888,    DRM_FORMAT_ABGR8888,
				   DRM_FORMAT_XBGR2101010, DRM_FORMAT_ABGR2101010};

static void test_compute_matches_pixman_in_every_format(void)
{
	struct hf_renderer *r = vulkan(0);
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct scene sc = {.fourcc = formats[i], .clear = 0x336699};
		CHECK_MSG(difference(r, &sc) == 0, "%s", hf_format_from_fourcc(formats[i])->name);
	}
	r->impl->destroy(r);
	wl_event_loop_destroy(loop);
	loop = NULL;
}

static void test_compute_scales_as_pixman_does(void)
{
	struct hf_renderer *r = vulkan(0);
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct scene sc = {.fourcc = formats[i], .scaled = true, .clear = 0x102030};
		/* Both filter bilinearly at the same points; pixman rounds its weights to 7 bits,
		 * up to 2 apart on these noisy pixels, plus the rounding of the result. */
		int d = difference(r, &sc);
		CHECK_MSG(d <= 4, "%s: %d", hf_format_from_fourcc(formats[i])->name, d);
	}
	r->impl->destroy(r);
	wl_event_loop_destroy(loop);
	loop = NULL;
}

/* The comparison can fail: OVER and SRC differ on these pixels, and so do two clear colours. */
static void test_comparison_sees_a_wrong_blend_or_colour(void)
{
	struct hf_renderer *r = vulkan(0);
	struct scene sc = {.fourcc = DRM_FORMAT_ARGB8888, .clear = 0x336699};
	struct hf_renderer *pix = hf_renderer_pixman_create();
	struct source src[3], ref_src[3];
	for (int i = 0; i < 3; i++) {
		src[i] = (struct source){.pixels = make_pixels(sc.fourcc, 37, 23)};
		/* The same bytes as XRGB: pixman copies them (SRC) instead of blending. */
		ref_src[i] = (struct source){.pixels = src[i].pixels};
		ref_src[i].pixels.fourcc = DRM_FORMAT_XRGB8888;
	}
	struct hf_pixels ref = make_target(), out = make_target();
	compose(pix, &ref, &sc, ref_src);
	compose(r, &out, &sc, src);
	int x, y;
	CHECK(max_difference(&ref, &out, &x, &y) > 16);
	for (int i = 0; i < 3; i++) {
		r->impl->texture_destroy(r, src[i].tex);
		pix->impl->texture_destroy(pix, ref_src[i].tex);
		free(src[i].pixels.data);
	}
	free(ref.data);
	free(out.data);
	pix->impl->destroy(pix);
	r->impl->destroy(r);
	wl_event_loop_destroy(loop);
	loop = NULL;
}

/* HF_BLEND_NONE copies a window with alpha, as pixman's SRC does, by the shaders too. */
static void test_blend_none_copies_as_pixman_does(void)
{
	struct hf_renderer *r = vulkan(0);
	const uint32_t alpha[] = {DRM_FORMAT_ARGB8888, DRM_FORMAT_ABGR8888, DRM_FORMAT_ABGR2101010};
	for (size_t i = 0; i < sizeof(alpha) / sizeof(alpha[0]); i++) {
		struct scene sc = {.fourcc = alpha[i], .clear = 0x336699, .blend = HF_BLEND_NONE};
		CHECK_MSG(difference(r, &sc) == 0, "%s", hf_format_from_fourcc(alpha[i])->name);
	}
	r->impl->destroy(r);
	wl_event_loop_destroy(loop);
	loop = NULL;
}

/* Where the device cannot run the shaders: blits and copies, exact for opaque formats. */
static void test_blit_fallback_matches_pixman_for_opaque_formats(void)
{
	struct hf_renderer *r = vulkan(HF_RENDERER_VULKAN_BLIT);
	const uint32_t opaque[] = {DRM_FORMAT_XRGB8888, DRM_FORMAT_XBGR8888};
	for (size_t i = 0; i < 2; i++) {
		struct scene sc = {.fourcc = opaque[i], .inside = true, .clear = 0x445566};
		CHECK_MSG(difference(r, &sc) == 0, "%s", hf_format_from_fourcc(opaque[i])->name);
		sc.clear = 0x778899; /* the clear takes the colour it is given, every time */
		CHECK_MSG(difference(r, &sc) == 0, "%s", hf_format_from_fourcc(opaque[i])->name);
	}
	r->impl->destroy(r);
	wl_event_loop_destroy(loop);
	loop = NULL;
}

/*
 * Two targets in turn, as an output's buffers: A gets frame 1 without a read-back, B frame 2,
 * then A frame 3, which redraws one window only, read back whole. A must then hold all of
 * frame 3: the parts frame 3 did not redraw too, which A never received.
 */
static void test_read_back_brings_the_whole_region_up_to_date(void)
{
	struct hf_renderer *r = vulkan(0);
	struct hf_pixels a = make_target(), b = make_target();
	struct source win[2] = {{.pixels = make_pixels(DRM_FORMAT_XRGB8888, 30, 40)},
				{.pixels = make_pixels(DRM_FORMAT_XRGB8888, 30, 40)}};
	const struct hf_box boxes[2] = {{0, 0, 30, 40}, {32, 0, 30, 40}};
	pixman_region32_t all, first;
	pixman_region32_init_rect(&all, 0, 0, W, H);
	pixman_region32_init_rect(&first, 0, 0, 30, 40);
	for (int i = 0; i < 2; i++)
		CHECK((win[i].tex = r->impl->texture_create(r, &win[i].pixels)));
	struct hf_pixels *order[3] = {&a, &b, &a};
	for (int frame = 0; frame < 3; frame++) {
		struct hf_pass_options options = {.read_back = frame == 2 ? &all : NULL};
		struct hf_render_pass *pass = hf_renderer_begin_pass(r, order[frame], &options);
		CHECK(pass);
		if (frame < 2)
			hf_render_pass_add_rect(pass, &(struct hf_render_rect_options){&all, 0});
		for (int i = 0; i < 2; i++)
			if (frame < 2 || i == 0)
				hf_render_pass_add_texture(
					pass, &(struct hf_render_texture_options){
						      .texture = win[i].tex,
						      .src = &win[i].pixels,
						      .dst = boxes[i],
						      .clip = frame < 2 ? &all : &first});
		CHECK(hf_render_pass_submit(pass) > 0);
	}
	for (int i = 0; i < 2; i++)
		for (int32_t y = 0; y < 40; y++)
			for (int32_t x = 0; x < 30; x++) {
				uint32_t got = pixel(&a, boxes[i].x + x, y);
				uint32_t want = pixel(&win[i].pixels, x, y);
				CHECK_MSG(((got ^ want) & 0xffffff) == 0,
					  "window %d (%d, %d): %08x, not the output's %08x", i, x,
					  y, got, want);
			}
	/* A pass with nothing added copies nothing to a target other than the last drawn: with
	 * several outputs, that is another output's. */
	memset(b.data, 0, W * H * 4);
	struct hf_render_pass *pass =
		hf_renderer_begin_pass(r, &b, &(struct hf_pass_options){.read_back = &all});
	CHECK(pass);
	hf_render_pass_submit(pass);
	for (int32_t i = 0; i < W * H; i++)
		CHECK(((uint32_t *)b.data)[i] == 0);
	/* Asked later (a pass with nothing added), B, drawn last with nothing in it, is brought
	 * up to date too, and only the window's column when asked for it. */
	pixman_region32_t column, none;
	pixman_region32_init_rect(&column, 40, 0, 1, 40);
	pixman_region32_init(&none);
	CHECK((pass = hf_renderer_begin_pass(r, &b, NULL)));
	hf_render_pass_add_rect(pass, &(struct hf_render_rect_options){&none, 0});
	CHECK(hf_render_pass_submit(pass) > 0);
	CHECK((pass = hf_renderer_begin_pass(r, &b,
					     &(struct hf_pass_options){.read_back = &column})));
	hf_render_pass_submit(pass);
	for (int32_t y = 0; y < H; y++) {
		uint32_t *row = (uint32_t *)((char *)b.data + (size_t)y * b.stride);
		CHECK(row[39] == 0 && row[41] == 0);
		if (y < 40)
			CHECK(((row[40] ^ pixel(&win[1].pixels, 8, y)) & 0xffffff) == 0);
	}
	pixman_region32_fini(&column);
	pixman_region32_fini(&none);
	for (int i = 0; i < 2; i++) {
		r->impl->texture_destroy(r, win[i].tex);
		free(win[i].pixels.data);
	}
	pixman_region32_fini(&all);
	pixman_region32_fini(&first);
	free(a.data);
	free(b.data);
	r->impl->destroy(r);
	wl_event_loop_destroy(loop);
	loop = NULL;
}

/* Fills rects of target with colour in a pass of r that reads the whole target back. */
static void fill(struct hf_renderer *r, struct hf_pixels *target, const pixman_region32_t *rects,
		 uint32_t colour)
{
	pixman_region32_t all;
	pixman_region32_init_rect(&all, 0, 0, W, H);
	struct hf_render_pass *pass =
		hf_renderer_begin_pass(r, target, &(struct hf_pass_options){.read_back = &all});
	CHECK(pass);
	hf_render_pass_add_rect(pass, &(struct hf_render_rect_options){rects, colour});
	CHECK(hf_render_pass_submit(pass) > 0);
	pixman_region32_fini(&all);
}

/*
 * The clear fills what it is asked with the colour it is given, by the shaders and by the
 * blits alike: colours in turn (the blits keep theirs in an image between compositions; one
 * of them is the presenter's own background, the image's first colour), and nothing outside
 * (first filled whole: the renderer's own image is undefined until drawn).
 */
static void test_clear_fills_the_colour_it_is_given(void)
{
	const unsigned modes[] = {0, HF_RENDERER_VULKAN_BLIT};
	const uint32_t colours[] = {0x123456, 0xfedcba, 0x202428, 0x010203, 0x123456};
	for (size_t m = 0; m < 2; m++) {
		struct hf_renderer *r = vulkan(modes[m]);
		struct hf_pixels t = make_target();
		pixman_region32_t rects;
		pixman_region32_init_rect(&rects, 0, 0, W, H);
		fill(r, &t, &rects, 0x5a5a5a);
		pixman_region32_fini(&rects);
		pixman_region32_init_rect(&rects, 5, 3, 20, 10);
		pixman_region32_union_rect(&rects, &rects, 40, 30, 24, 18);
		for (size_t c = 0; c < sizeof(colours) / sizeof(colours[0]); c++) {
			fill(r, &t, &rects, colours[c] | 0xff000000u);
			for (int32_t y = 0; y < H; y++)
				for (int32_t x = 0; x < W; x++) {
					bool in =
						pixman_region32_contains_point(&rects, x, y, NULL);
					uint32_t got = pixel(&t, x, y),
						 want = in ? colours[c] : 0x5a5a5a;
					CHECK_MSG((got & 0xffffff) == want,
						  "%s, colour %06x: (%d, %d) is %08x",
						  m ? "blits" : "shaders", colours[c], x, y, got);
				}
		}
		pixman_region32_fini(&rects);
		free(t.data);
		r->impl->destroy(r);
		wl_event_loop_destroy(loop);
		loop = NULL;
	}
}

/* The NVIDIA driver keeps descriptors open once an instance was made: open them first. */
static void open_driver(void)
{
	char why[256];
	hf_vk_destroy(hf_vk_create(false, why, sizeof(why)));
}

HF_TESTS(T_SETUP(test_compute_matches_pixman_in_every_format, open_driver),
	 T_SETUP(test_compute_scales_as_pixman_does, open_driver),
	 T_SETUP(test_comparison_sees_a_wrong_blend_or_colour, open_driver),
	 T_SETUP(test_blend_none_copies_as_pixman_does, open_driver),
	 T_SETUP(test_blit_fallback_matches_pixman_for_opaque_formats, open_driver),
	 T_SETUP(test_read_back_brings_the_whole_region_up_to_date, open_driver),
	 T_SETUP(test_clear_fills_the_colour_it_is_given, open_driver))
