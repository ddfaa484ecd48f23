/*
 * The Vulkan renderer's textures: a client buffer as the device reads it. wl_shm and memfd
 * memory is imported in place as host memory (VK_EXT_external_memory_host) where the device
 * can, else copied into a staging buffer each frame it is drawn; the shaders read it as a
 * storage buffer, the fallback copies it or blits it through an image. A create_vk_image
 * buffer is the client's own image, imported from its opaque fd, read through a sampled view.
 */
#ifndef HF_VK_TEXTURE_H
#define HF_VK_TEXTURE_H

#include "renderer.h"
#include "vk.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hf_texture {
	VkFormat format;
	uint32_t bpp;
	int32_t width, height;
	size_t stride;
	bool y_invert;
	/* Client memory as a buffer: imported host memory, or a staging copy. */
	VkBuffer buffer;
	VkDeviceMemory buffer_mem;
	VkDeviceSize buffer_offset; /* of the first row */
	void *host;                 /* the client pointer imported; NULL: staging */
	void *staging;              /* mapped staging memory */
	/* An image: the client's own (external), or ours for blits from the buffer. */
	VkImage image;
	VkDeviceMemory image_mem;
	bool external;
	bool image_ready; /* ours: layout TRANSFER_SRC_OPTIMAL after its first use */
	/* For the shaders: how to read it, and a sampled view of an external image. */
	uint32_t usage;          /* external: the image's usage */
	uint32_t compose_format; /* enum hf_compose_format */
	bool has_alpha, wide;
	bool storage; /* buffer: bound as a storage buffer, its words aligned */
	VkImageView view;
	bool view_failed;
};

/* Whether the device reads the format, by shaders and by the fallback's blits. */
bool hf_vk_texture_supports_format(struct hf_vk *vk, uint32_t fourcc);
/* A texture of src's memory; storage: for the shaders too. NULL when it cannot be. */
struct hf_texture *hf_vk_texture_create(struct hf_vk *vk, const struct hf_pixels *src,
					bool storage);
/* handoff_manager_v1.create_vk_image: the client's image. The driver gets a copy of fd; fd
 * stays the caller's (why says why it failed). */
struct hf_texture *hf_vk_texture_import(struct hf_vk *vk, int fd, const struct hf_vk_image_desc *d,
					char *why, size_t why_size);
void hf_vk_texture_destroy(struct hf_vk *vk, struct hf_texture *tex); /* NULL is a no-op */
/* The client's memory, now at data (a wl_shm pool may move), as a buffer the device reads. */
bool hf_vk_texture_bind_memory(struct hf_vk *vk, struct hf_texture *tex, void *data,
			       bool may_shrink, bool storage);
/* A sampled view of an imported image, for the shaders; false: blit it instead. */
bool hf_vk_texture_view(struct hf_vk *vk, struct hf_texture *tex, bool scaled);

#endif
