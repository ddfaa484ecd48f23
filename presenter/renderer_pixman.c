/*
 * The CPU renderer: a texture is a pixman image over the client's own memory, and drawing is
 * one pixman composite from it into the output, so every redrawn pixel is read once and
 * written once. Passes are synchronous: their reads are complete when submit returns, and the
 * target always holds what was drawn (nothing to read back).
 */
#include "renderer.h"

#include "format.h"

#include <stdlib.h>

struct hf_texture {
	const struct hf_format *format;
	int32_t width, height;
	size_t stride;
	bool y_invert;
	pixman_image_t *image; /* over `data`; made again when the memory moves */
	void *data;
};

struct pixman_renderer {
	struct hf_renderer base;
	struct hf_render_pass pass;
	pixman_image_t *target; /* while a pass is under way */
	uint64_t submitted;
};

static struct pixman_renderer *pixman_renderer(struct hf_renderer *r)
{
	return (struct pixman_renderer *)r;
}

static struct pixman_renderer *pass_renderer(struct hf_render_pass *pass)
{
	struct pixman_renderer *pr;
	return wl_container_of(pass, pr, pass);
}

static void pixman_destroy(struct hf_renderer *r)
{
	free(r);
}

static bool pixman_supports_format(struct hf_renderer *r, uint32_t fourcc)
{
	const struct hf_format *fmt = hf_format_from_fourcc(fourcc);
	return fmt && fmt->pixman_format;
}

static struct hf_texture *pixman_texture_create(struct hf_renderer *r, const struct hf_pixels *src)
{
	const struct hf_format *fmt = hf_format_from_fourcc(src->fourcc);
	if (!fmt || !fmt->pixman_format || src->stride > INT32_MAX)
		return NULL;
	struct hf_texture *tex = calloc(1, sizeof(*tex));
	if (!tex)
		return NULL;
	tex->format = fmt;
	tex->width = src->width;
	tex->height = src->height;
	tex->stride = src->stride;
	tex->y_invert = src->y_invert;
	return tex;
}

static void pixman_texture_destroy(struct hf_renderer *r, struct hf_texture *tex)
{
	if (!tex)
		return;
	if (tex->image)
		pixman_image_unref(tex->image);
	free(tex);
}

/* The image over the memory at data: made once per buffer, again only if the memory moved. */
static pixman_image_t *texture_image(struct hf_texture *tex, void *data)
{
	if (tex->image && tex->data == data)
		return tex->image;
	if (tex->image)
		pixman_image_unref(tex->image);
	/* pixman takes a writable pointer but only reads a source image. */
	tex->image =
		pixman_image_create_bits_no_clear((pixman_format_code_t)tex->format->pixman_format,
						  tex->width, tex->height, data, (int)tex->stride);
	tex->data = tex->image ? data : NULL;
	if (tex->image)
		pixman_image_set_repeat(tex->image, PIXMAN_REPEAT_PAD); /* edges sample the edge */
	return tex->image;
}

static void pixman_add_rect(struct hf_render_pass *pass, const struct hf_render_rect_options *opts)
{
	uint32_t xrgb = opts->xrgb;
	pixman_color_t color = {
		.red = (uint16_t)(((xrgb >> 16) & 0xff) * 0x101),
		.green = (uint16_t)(((xrgb >> 8) & 0xff) * 0x101),
		.blue = (uint16_t)((xrgb & 0xff) * 0x101),
		.alpha = 0xffff,
	};
	int n;
	const pixman_box32_t *boxes =
		pixman_region32_rectangles((pixman_region32_t *)opts->region, &n);
	if (n > 0)
		pixman_image_fill_boxes(PIXMAN_OP_SRC, pass_renderer(pass)->target, &color, n,
					boxes);
}

static void pixman_add_texture(struct hf_render_pass *pass,
			       const struct hf_render_texture_options *opts)
{
	struct hf_texture *tex = opts->texture;
	const struct hf_box *dst = &opts->dst;
	pixman_image_t *image = texture_image(tex, opts->src->data);
	if (!image)
		return;
	pixman_region32_t region;
	pixman_region32_init_rect(&region, dst->x, dst->y, (unsigned)dst->width,
				  (unsigned)dst->height);
	if (opts->clip)
		pixman_region32_intersect(&region, &region, (pixman_region32_t *)opts->clip);
	bool scaled = tex->width != dst->width || tex->height != dst->height;
	/* Output pixel (x, y) of the box samples texture point transform * (x, y). */
	pixman_transform_t t;
	pixman_transform_init_scale(&t, pixman_double_to_fixed((double)tex->width / dst->width),
				    pixman_double_to_fixed((double)tex->height / dst->height));
	if (tex->y_invert) {
		pixman_transform_t flip;
		pixman_transform_init_scale(&flip, pixman_int_to_fixed(1), pixman_int_to_fixed(-1));
		pixman_transform_translate(&flip, NULL, 0, pixman_int_to_fixed(tex->height));
		pixman_transform_multiply(&t, &flip, &t);
	}
	pixman_image_set_transform(image, &t);
	pixman_image_set_filter(image, scaled ? PIXMAN_FILTER_BILINEAR : PIXMAN_FILTER_NEAREST,
				NULL, 0);
	bool blend = tex->format->has_alpha && opts->blend_mode == HF_BLEND_PREMULTIPLIED;
	pixman_op_t op = blend ? PIXMAN_OP_OVER : PIXMAN_OP_SRC;
	int n;
	const pixman_box32_t *boxes = pixman_region32_rectangles(&region, &n);
	for (int i = 0; i < n; i++) {
		const pixman_box32_t *b = &boxes[i];
		pixman_image_composite32(op, image, NULL, pass_renderer(pass)->target,
					 b->x1 - dst->x, b->y1 - dst->y, 0, 0, b->x1, b->y1,
					 b->x2 - b->x1, b->y2 - b->y1);
	}
	pixman_region32_fini(&region);
}

static uint64_t pixman_submit(struct hf_render_pass *pass)
{
	struct pixman_renderer *pr = pass_renderer(pass);
	pixman_image_unref(pr->target);
	pr->target = NULL;
	hf_renderer_complete(&pr->base, ++pr->submitted);
	return pr->submitted;
}

static const struct hf_render_pass_impl pixman_pass_impl = {
	.add_texture = pixman_add_texture,
	.add_rect = pixman_add_rect,
	.submit = pixman_submit,
};

static struct hf_render_pass *pixman_begin_pass(struct hf_renderer *r,
						const struct hf_pixels *target,
						const struct hf_pass_options *options)
{
	struct pixman_renderer *pr = pixman_renderer(r);
	const struct hf_format *fmt = hf_format_from_fourcc(target->fourcc);
	if (pr->target || !fmt || !fmt->pixman_format || target->stride > INT32_MAX)
		return NULL;
	pr->target = pixman_image_create_bits_no_clear((pixman_format_code_t)fmt->pixman_format,
						       target->width, target->height, target->data,
						       (int)target->stride);
	return pr->target ? &pr->pass : NULL;
}

static const struct hf_renderer_impl pixman_impl = {
	.name = "pixman",
	.destroy = pixman_destroy,
	.supports_format = pixman_supports_format,
	.texture_create = pixman_texture_create,
	.texture_destroy = pixman_texture_destroy,
	.begin_pass = pixman_begin_pass,
};

struct hf_renderer *hf_renderer_pixman_create(void)
{
	struct pixman_renderer *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	hf_renderer_init(&r->base, &pixman_impl);
	hf_render_pass_init(&r->pass, &pixman_pass_impl);
	return &r->base;
}
