/*
 * The renderer interface. A client buffer is imported as a texture that reads the client's
 * memory in place (pixman: a view of the read-only mapping; Vulkan: an imported image), and a
 * composition draws textures straight into an output target: one read of each redrawn
 * window and one write of the output. A composition's reads are complete when the renderer's
 * `completed` reaches the number `end` returned; it then emits events.complete.
 */
#ifndef HF_RENDERER_H
#define HF_RENDERER_H

#include <pixman.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wayland-server-core.h>

struct hf_box {
	int32_t x, y, width, height;
};

/* CPU-visible pixels: a client buffer being read, or an output target being drawn. */
struct hf_pixels {
	void *data;
	int32_t width, height;
	size_t stride;
	uint32_t fourcc;
	bool y_invert; /* the first row in memory is the bottom one */
};

struct hf_renderer;
struct hf_texture;

struct hf_renderer_impl {
	const char *name;
	void (*destroy)(struct hf_renderer *r);
	bool (*supports_format)(struct hf_renderer *r, uint32_t fourcc);
	/* A texture of a client buffer's size, format and orientation; no pixels are copied. */
	struct hf_texture *(*texture_create)(struct hf_renderer *r, const struct hf_pixels *src);
	void (*texture_destroy)(struct hf_renderer *r, struct hf_texture *tex);
	bool (*begin)(struct hf_renderer *r, const struct hf_pixels *target);
	/* Fills region (output coordinates) with an opaque colour. */
	void (*clear)(struct hf_renderer *r, const pixman_region32_t *region, uint32_t xrgb);
	/* Draws tex, whose memory is now at src (a wl_shm pool may move), scaled into dst, only
	 * where clip allows. */
	void (*draw)(struct hf_renderer *r, struct hf_texture *tex, const struct hf_pixels *src,
		     const struct hf_box *dst, const pixman_region32_t *clip);
	/* Submits the composition; returns its number. */
	uint64_t (*end)(struct hf_renderer *r);
};

struct hf_renderer {
	const struct hf_renderer_impl *impl;
	uint64_t completed; /* compositions whose reads are all complete, up to this number */
	struct {
		struct wl_signal complete; /* data: the renderer, once `completed` has risen */
	} events;
};

void hf_renderer_init(struct hf_renderer *r, const struct hf_renderer_impl *impl);
/* For implementations: reads of compositions up to number are complete. */
void hf_renderer_complete(struct hf_renderer *r, uint64_t number);

struct hf_renderer *hf_renderer_pixman_create(void);

#endif
