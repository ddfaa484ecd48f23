/*
 * The renderer interface. A renderer keeps one texture per surface: upload copies a client's
 * buffer into it (after which the client's buffer may be released), and draw composites
 * textures into an output target.
 */
#ifndef HF_RENDERER_H
#define HF_RENDERER_H

#include <stdbool.h>
#include <stdint.h>

struct hf_box {
	int32_t x, y, width, height;
};

/* CPU-visible pixels: a client buffer being read, or an output target being drawn. */
struct hf_pixels {
	void *data;
	int32_t width, height;
	int32_t stride;
	uint32_t fourcc;
	bool y_invert; /* the first row in memory is the bottom one */
};

struct hf_renderer;
struct hf_texture;

struct hf_renderer_impl {
	const char *name;
	void (*destroy)(struct hf_renderer *r);
	bool (*supports_format)(struct hf_renderer *r, uint32_t fourcc);
	struct hf_texture *(*texture_create)(struct hf_renderer *r, int32_t width, int32_t height,
					     uint32_t fourcc);
	void (*texture_destroy)(struct hf_renderer *r, struct hf_texture *tex);
	/* Copies rows [y0, y1) of src, counted from the top of the picture, into tex, which has
	 * src's size and format and always stores the top row first. */
	bool (*upload)(struct hf_renderer *r, struct hf_texture *tex, const struct hf_pixels *src,
		       int32_t y0, int32_t y1);
	bool (*begin)(struct hf_renderer *r, const struct hf_pixels *target);
	void (*clear)(struct hf_renderer *r, const struct hf_box *box, uint32_t xrgb);
	void (*draw)(struct hf_renderer *r, struct hf_texture *tex, const struct hf_box *dst);
	void (*end)(struct hf_renderer *r);
};

struct hf_renderer {
	const struct hf_renderer_impl *impl;
};

struct hf_renderer *hf_renderer_pixman_create(void);

#endif
