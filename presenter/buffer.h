/*
 * Client buffers: wl_shm's and handoff memfd images, read in place. A buffer lives while its
 * resource or a commit holds it; a handoff buffer's read-only mapping goes with it.
 */
#ifndef HF_BUFFER_H
#define HF_BUFFER_H

#include "addon.h"
#include "renderer.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wayland-server-core.h>

struct hf_client;

/* HF_BUFFER_VK: a client's Vulkan image, imported by the renderer; no CPU mapping. */
enum hf_buffer_kind { HF_BUFFER_SHM, HF_BUFFER_HANDOFF, HF_BUFFER_VK };

struct hf_buffer {
	int refs;
	enum hf_buffer_kind kind;
	struct wl_resource *resource; /* NULL once the client destroyed it */
	struct wl_listener resource_destroy;
	int32_t width, height;
	size_t stride;
	uint32_t fourcc;
	bool y_invert;
	int readers; /* commits that may still read it: wl_buffer.release goes out at 0 */
	/* HF_BUFFER_HANDOFF: the read-only mapping, counted against the client (and
	 * HF_BUFFER_VK's memory, as map_size with no map). */
	void *map;
	size_t map_size, offset;
	struct hf_client *client;
	/* The renderer's view of the memory, made by the repaint on first use. */
	struct hf_texture *texture;
	struct hf_renderer *renderer; /* that made texture */
	/* What the layers above keep per buffer (an output's image of it, for direct frames);
	 * destroyed with the buffer. */
	struct hf_addon_set addons;
};

/* The buffer behind a wl_buffer attached to a surface. NULL after posting a protocol error
 * (an shm buffer whose stride cannot hold its rows) or for an unknown kind of buffer. */
struct hf_buffer *hf_buffer_from_resource(struct wl_resource *resource);
struct hf_buffer *hf_buffer_ref(struct hf_buffer *buffer);
void hf_buffer_unref(struct hf_buffer *buffer); /* NULL is a no-op */
/* Makes a handoff buffer of a checked, read-only mapping, which it takes. NULL when out of
 * memory (the mapping is then the caller's). */
struct hf_buffer *hf_buffer_create_handoff(struct wl_client *client, uint32_t id,
					   struct hf_client *owner, void *map, size_t map_size,
					   size_t offset, int32_t width, int32_t height,
					   size_t stride, uint32_t fourcc, bool y_invert);

bool hf_buffer_has_alpha(const struct hf_buffer *buffer);
/* Makes a buffer of a Vulkan image the renderer imported (the texture, which it takes). */
struct hf_buffer *hf_buffer_create_vk(struct wl_client *client, uint32_t id,
				      struct hf_client *owner, struct hf_renderer *renderer,
				      struct hf_texture *texture, size_t size, int32_t width,
				      int32_t height, uint32_t fourcc, bool y_invert);
/* The pixels, valid until end_read (no data for a Vulkan image); false when they can no longer be
 * read. */
bool hf_buffer_begin_read(struct hf_buffer *buffer, struct hf_pixels *pixels);
void hf_buffer_end_read(struct hf_buffer *buffer);

#endif
