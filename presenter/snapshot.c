/* PNG snapshots of XRGB8888 pixels. */
#include "snapshot.h"

#include "format.h"
#include "log.h"

#include <drm_fourcc.h>
#include <pixman.h>

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Row by row into rows of just the pixels: a client image's stride (a direct frame's) may be
 * far wider than its pixels. */
struct hf_pixels *hf_pixels_copy(const struct hf_pixels *src)
{
	const struct hf_format *fmt = hf_format_from_fourcc(src->fourcc);
	struct hf_pixels *copy = malloc(sizeof(*copy));
	if (!copy)
		return NULL;
	*copy = *src;
	copy->stride = (size_t)src->width * (fmt ? fmt->bpp : 4);
	copy->data = malloc(copy->stride * (size_t)src->height);
	if (!copy->data) {
		free(copy);
		return NULL;
	}
	for (int32_t y = 0; y < src->height; y++)
		memcpy((char *)copy->data + (size_t)y * copy->stride,
		       (const char *)src->data + (size_t)y * src->stride, copy->stride);
	return copy;
}

struct hf_pixels *hf_pixels_to_xrgb(const struct hf_pixels *src)
{
	const struct hf_format *fmt = hf_format_from_fourcc(src->fourcc);
	if (!fmt || !fmt->pixman_format)
		return NULL;
	struct hf_pixels *dst = malloc(sizeof(*dst));
	if (!dst)
		return NULL;
	*dst = (struct hf_pixels){.width = src->width,
				  .height = src->height,
				  .stride = (size_t)src->width * 4,
				  .fourcc = DRM_FORMAT_XRGB8888};
	dst->data = malloc(dst->stride * (size_t)dst->height);
	pixman_image_t *from = pixman_image_create_bits_no_clear(
		(pixman_format_code_t)fmt->pixman_format, src->width, src->height, src->data,
		(int)src->stride);
	pixman_image_t *to = dst->data ? pixman_image_create_bits_no_clear(
						 PIXMAN_x8r8g8b8, dst->width, dst->height,
						 dst->data, (int)dst->stride)
				       : NULL;
	if (from && to)
		pixman_image_composite32(PIXMAN_OP_SRC, from, NULL, to, 0, 0, 0, 0, 0, 0,
					 dst->width, dst->height);
	bool ok = from && to;
	if (from)
		pixman_image_unref(from);
	if (to)
		pixman_image_unref(to);
	if (!ok) {
		hf_pixels_free(dst);
		return NULL;
	}
	return dst;
}

void hf_pixels_free(struct hf_pixels *pixels)
{
	if (!pixels)
		return;
	free(pixels->data);
	free(pixels);
}

bool hf_snapshot_write_png(const struct hf_pixels *pixels, const char *path)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		hf_log_errno(HF_LOG_ERROR, "cannot write the snapshot %s", path);
		return false;
	}
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	uint8_t *row = malloc((size_t)pixels->width * 3);
	bool ok = false;
	if (!png || !info || !row)
		goto out;
	if (setjmp(png_jmpbuf(png)))
		goto out;
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)pixels->width, (png_uint_32)pixels->height, 8,
		     PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int32_t y = 0; y < pixels->height; y++) {
		const uint32_t *src = (const uint32_t *)((const uint8_t *)pixels->data +
							 (size_t)y * pixels->stride);
		for (int32_t x = 0; x < pixels->width; x++) {
			row[x * 3 + 0] = (uint8_t)(src[x] >> 16);
			row[x * 3 + 1] = (uint8_t)(src[x] >> 8);
			row[x * 3 + 2] = (uint8_t)src[x];
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	ok = true;
out:
	png_destroy_write_struct(&png, &info);
	free(row);
	if (fclose(f) != 0)
		ok = false;
	if (!ok)
		hf_error("cannot write the snapshot %s", path);
	return ok;
}
