/*
 * The Vulkan composition's compute shaders (shaders/compose.comp): made once per device,
 * recorded one output rectangle per dispatch on the renderer's queue. The output is bound
 * through an R32_UINT storage view of its B8G8R8A8 image, in VK_IMAGE_LAYOUT_GENERAL; a
 * source is a sampled view of a client's image (GENERAL too) or client memory as a storage
 * buffer. Descriptors are pushed with each dispatch (VK_KHR_push_descriptor): nothing to
 * allocate or free per frame.
 */
#ifndef HF_VK_COMPOSE_H
#define HF_VK_COMPOSE_H

#include "vk.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Params::flags, as in the shader. */
#define HF_COMPOSE_BLEND    1u
#define HF_COMPOSE_Y_INVERT 2u
#define HF_COMPOSE_OPAQUE   4u
#define HF_COMPOSE_WIDE     8u
#define HF_COMPOSE_SCALED   16u

/* Params::format for buffer sources: how the words of a pixel are laid out. */
enum hf_compose_format {
	HF_COMPOSE_BGRA8 = 0,
	HF_COMPOSE_RGBA8 = 1,
	HF_COMPOSE_RGB10A2 = 2,
	HF_COMPOSE_RGBA16F = 3,
};

/* The shader's push constants, field for field. */
struct hf_compose_params {
	int32_t rect_min[2], rect_size[2]; /* output pixels written */
	int32_t box_min[2], box_size[2];   /* the window's box in the output */
	int32_t src_size[2];
	uint32_t flags;
	uint32_t format; /* buffer: enum hf_compose_format; clear: 0x00RRGGBB */
	uint32_t offset; /* buffer: word of the first pixel */
	uint32_t stride; /* buffer: words per row */
};

struct hf_vk_compose {
	VkDescriptorSetLayout set_image, set_buffer;
	VkPipelineLayout layout_image, layout_buffer;
	VkPipeline image, buffer, clear;
	VkSampler sampler; /* linear, clamped to the edge */
	VkPipeline bound;  /* the last one recorded into the command buffer */
};

/* Whether the device can run the composition: a compute queue, push descriptors, and R32_UINT
 * storage images (why says what is missing when not). */
bool hf_vk_compose_supported(const struct hf_vk *vk, char *why, size_t why_size);
bool hf_vk_compose_init(struct hf_vk_compose *c, struct hf_vk *vk, char *why, size_t why_size);
void hf_vk_compose_finish(struct hf_vk_compose *c, struct hf_vk *vk);

void hf_vk_compose_clear(struct hf_vk_compose *c, struct hf_vk *vk, VkCommandBuffer cmd,
			 VkImageView out, const struct hf_compose_params *params);
void hf_vk_compose_image(struct hf_vk_compose *c, struct hf_vk *vk, VkCommandBuffer cmd,
			 VkImageView out, VkImageView src, const struct hf_compose_params *params);
void hf_vk_compose_buffer(struct hf_vk_compose *c, struct hf_vk *vk, VkCommandBuffer cmd,
			  VkImageView out, VkBuffer src, const struct hf_compose_params *params);

#endif
