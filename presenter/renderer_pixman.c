/* The CPU renderer: textures are pixman images, drawing is pixman compositing. */
#include "renderer.h"

#include "format.h"

#include <pixman.h>
#include <stdlib.h>
#include <string.h>

struct hf_texture {
	pixman_image_t *image;
	const struct hf_format *format;
};

struct pixman_renderer {
	struct hf_renderer base;
	pixman_image_t *target; /* between begin and end */
};

static struct pixman_renderer *pixman_renderer(struct hf_renderer *r)
{
	return (struct pixman_renderer *)r;
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

static struct hf_texture *pixman_texture_create(struct hf_renderer *r, int32_t width,
						int32_t height, uint32_t fourcc)
{
	const struct hf_format *fmt = hf_format_from_fourcc(fourcc);
	if (!fmt || !fmt->pixman_format)
		return NULL;
	struct hf_texture *tex = calloc(1, sizeof(*tex));
	if (!tex)
		return NULL;
	tex->format = fmt;
	tex->image = pixman_image_create_bits((pixman_format_code_t)fmt->pixman_format, width,
					      height, NULL, 0);
	if (!tex->image) {
		free(tex);
		return NULL;
	}
	/* Scaled edges sample the edge pixel, not transparency. */
	pixman_image_set_repeat(tex->image, PIXMAN_REPEAT_PAD);
	return tex;
}

static void pixman_texture_destroy(struct hf_renderer *r, struct hf_texture *tex)
{
	if (!tex)
		return;
	pixman_image_unref(tex->image);
	free(tex);
}

static bool pixman_upload(struct hf_renderer *r, struct hf_texture *tex,
			  const struct hf_pixels *src, int32_t y0, int32_t y1)
{
	uint8_t *dst = (uint8_t *)pixman_image_get_data(tex->image);
	int dst_stride = pixman_image_get_stride(tex->image);
	size_t row = (size_t)src->width * tex->format->bpp;
	uint8_t *d = dst + (size_t)y0 * (size_t)dst_stride;
	if (src->y_invert) {
		const uint8_t *s = (const uint8_t *)src->data +
				   (size_t)(src->height - 1 - y0) * (size_t)src->stride;
		for (int32_t y = y0; y < y1; y++, s -= src->stride, d += dst_stride)
			memcpy(d, s, row);
		return true;
	}
	const uint8_t *s = (const uint8_t *)src->data + (size_t)y0 * (size_t)src->stride;
	if ((size_t)src->stride == row && dst_stride == src->stride) {
		memcpy(d, s, row * (size_t)(y1 - y0));
		return true;
	}
	for (int32_t y = y0; y < y1; y++, s += src->stride, d += dst_stride)
		memcpy(d, s, row);
	return true;
}

static bool pixman_begin(struct hf_renderer *r, const struct hf_pixels *target)
{
	const struct hf_format *fmt = hf_format_from_fourcc(target->fourcc);
	if (!fmt || !fmt->pixman_format)
		return false;
	pixman_renderer(r)->target =
		pixman_image_create_bits((pixman_format_code_t)fmt->pixman_format, target->width,
					 target->height, target->data, target->stride);
	return pixman_renderer(r)->target != NULL;
}

static void pixman_clear(struct hf_renderer *r, const struct hf_box *box, uint32_t xrgb)
{
	pixman_color_t color = {
		.red = (uint16_t)(((xrgb >> 16) & 0xff) * 0x101),
		.green = (uint16_t)(((xrgb >> 8) & 0xff) * 0x101),
		.blue = (uint16_t)((xrgb & 0xff) * 0x101),
		.alpha = 0xffff,
	};
	pixman_box32_t b = {box->x, box->y, box->x + box->width, box->y + box->height};
	pixman_image_fill_boxes(PIXMAN_OP_SRC, pixman_renderer(r)->target, &color, 1, &b);
}

static void pixman_draw(struct hf_renderer *r, struct hf_texture *tex, const struct hf_box *dst)
{
	int tw = pixman_image_get_width(tex->image), th = pixman_image_get_height(tex->image);
	bool scaled = tw != dst->width || th != dst->height;
	pixman_transform_t t;
	pixman_transform_init_scale(&t, pixman_double_to_fixed((double)tw / dst->width),
				    pixman_double_to_fixed((double)th / dst->height));
	pixman_image_set_transform(tex->image, &t);
	pixman_image_set_filter(tex->image, scaled ? PIXMAN_FILTER_BILINEAR : PIXMAN_FILTER_NEAREST,
				NULL, 0);
	pixman_image_composite32(tex->format->has_alpha ? PIXMAN_OP_OVER : PIXMAN_OP_SRC,
				 tex->image, NULL, pixman_renderer(r)->target, 0, 0, 0, 0, dst->x,
				 dst->y, dst->width, dst->height);
}

static void pixman_end(struct hf_renderer *r)
{
	pixman_image_unref(pixman_renderer(r)->target);
	pixman_renderer(r)->target = NULL;
}

static const struct hf_renderer_impl pixman_impl = {
	.name = "pixman",
	.destroy = pixman_destroy,
	.supports_format = pixman_supports_format,
	.texture_create = pixman_texture_create,
	.texture_destroy = pixman_texture_destroy,
	.upload = pixman_upload,
	.begin = pixman_begin,
	.clear = pixman_clear,
	.draw = pixman_draw,
	.end = pixman_end,
};

struct hf_renderer *hf_renderer_pixman_create(void)
{
	struct pixman_renderer *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->base.impl = &pixman_impl;
	return &r->base;
}
