/*
 * The Vulkan renderer's output image and the CPU targets it is copied to. One persistent
 * image holds the last composition: a pass draws only what changed. The CPU target gets the
 * pixels asked for: per target (an output's buffer, by its address), the region it has not
 * received since the image last changed there, and only that is copied. A target is written
 * through its own memory imported as host memory where the device can, else through a
 * staging buffer copied after the submission.
 */
#ifndef HF_VK_OUTPUT_H
#define HF_VK_OUTPUT_H

#include "renderer.h"
#include "vk.h"

#include <pixman.h>
#include <stdbool.h>
#include <stddef.h>

#define HF_VK_OUTPUT_TARGETS 4

struct hf_vk_target {
	void *data; /* the target's pixels this buffer writes into; NULL: unused */
	size_t size;
	size_t stride; /* the target's, as last asked for */
	VkBuffer buffer;
	VkDeviceMemory memory;
	void *map; /* staging: copied to data after the submission; NULL: data itself */
	/* Where data differs from the output image: drawn since it was last copied here. */
	pixman_region32_t behind;
};

struct hf_vk_output {
	struct hf_vk *vk;
	bool storage; /* for the shaders: an R32_UINT storage view too */
	/* In VK_IMAGE_LAYOUT_GENERAL once defined. */
	VkImage image;
	VkDeviceMemory memory;
	VkImageView view; /* the storage view (storage) */
	int32_t width, height;
	bool defined;
	struct hf_vk_target targets[HF_VK_OUTPUT_TARGETS];
	int next_target;
};

void hf_vk_output_init(struct hf_vk_output *o, struct hf_vk *vk, bool storage);
void hf_vk_output_finish(struct hf_vk_output *o); /* the device must be idle */
/* An image of w x h, made again (after the queue is idle) when the size changed; every
 * target is then behind in all of it. */
bool hf_vk_output_ensure(struct hf_vk_output *o, int32_t w, int32_t h);
/* The buffer that writes into target t; NULL when it cannot be made. */
struct hf_vk_target *hf_vk_output_target(struct hf_vk_output *o, const struct hf_pixels *t);
/* Every target falls behind where the output image was drawn. */
void hf_vk_output_drawn(struct hf_vk_output *o, const pixman_region32_t *drawn);
/* Records, after the image's writes, the copy of region into tb. */
void hf_vk_output_record_copy(struct hf_vk_output *o, VkCommandBuffer cmd,
			      const struct hf_vk_target *tb, const pixman_region32_t *region);
/* Once the copy is complete: region of tb is up to date. */
void hf_vk_output_copied(struct hf_vk_output *o, struct hf_vk_target *tb,
			 const pixman_region32_t *region);

#endif
