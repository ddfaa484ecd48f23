/*
 * The Vulkan renderer's pass (renderer.h): recorded into one command buffer, submitted and
 * waited for at submit. A pass runs compute shaders (vk_compose.h) on the device's queue:
 * each window is read once (copied, scaled, converted or blended as pixman would) into the
 * persistent output image (vk_output.h), through a storage view; the rectangles too. The
 * raster path (copies and blits) runs at a fraction of the device's memory bandwidth on some
 * GPUs, so it is only the fallback, for a device that cannot run the shaders (said once) or a
 * source they cannot read. Recording starts with the first thing added: a pass with nothing
 * added only copies what its read-back region lacks.
 *
 * The renderer has one pass, begun again for each composition, and what lasts between them:
 * the command buffer, the pipelines, the output image, the completion waiter.
 */
#ifndef HF_VK_PASS_H
#define HF_VK_PASS_H

#include "renderer.h"
#include "vk.h"
#include "vk_compose.h"
#include "vk_output.h"
#include "vk_wait.h"

#include <pixman.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HF_VK_PASS_MAX_WAITS 16

struct hf_vk_pass {
	struct hf_render_pass base;
	struct hf_renderer *renderer; /* completes the passes, and sums their times */
	struct hf_vk *vk;
	VkCommandBuffer cmd;
	uint64_t submitted;
	struct hf_vk_waiter waiter;
	VkQueryPool timestamps; /* VK_NULL_HANDLE: the queue has none */
	/* The compute composition; compute false: blits only. */
	struct hf_vk_compose compose;
	bool compute;
	struct hf_vk_output output;
	VkImage background; /* 1x1, blitted to fill rectangles (fallback) */
	VkDeviceMemory background_mem;
	uint32_t background_xrgb;
	bool said_fallback;
	bool device_wait; /* HF_RENDERER_VULKAN_DEVICE_WAIT */
	/* The target of the last pass that drew; data NULL: none since the output image was
	 * made. */
	struct hf_pixels drawn;
	/* The pass under way. */
	bool active;
	bool recording; /* something was added: the command buffer is begun */
	bool failed;    /* the output image could not be made: nothing is drawn */
	struct hf_pixels target;
	pixman_region32_t read_back; /* of the target, wanted after submit */
	pixman_region32_t touched;
	pixman_region32_t written; /* since the last barrier: a later write there waits */
	bool written_by_transfer;
	VkSemaphore gpu_waits[HF_VK_PASS_MAX_WAITS]; /* the acquire points it waits on */
	uint64_t gpu_wait_values[HF_VK_PASS_MAX_WAITS];
	uint32_t n_gpu_waits;
};

/* flags: hf_renderer_vulkan_create's. False with the reason in why; finish it either way. */
bool hf_vk_pass_init(struct hf_vk_pass *p, struct hf_renderer *r, struct hf_vk *vk, unsigned flags,
		     char *why, size_t why_size);
void hf_vk_pass_finish(struct hf_vk_pass *p); /* waits for the device to be idle */
/* NULL when a pass is under way or the target is not XRGB8888. */
struct hf_render_pass *hf_vk_pass_begin(struct hf_vk_pass *p, const struct hf_pixels *target,
					const struct hf_pass_options *options);

#endif
