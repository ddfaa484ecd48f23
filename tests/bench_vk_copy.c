/*
 * handoff-bench-vk-copy: the device's plain image-to-image copy of a frame, timed with GPU
 * timestamps: the bound a composition that reads each pixel once and writes it once is held
 * to. Prints microseconds per copy and GB/s (bytes read plus written).
 */
#include "vk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool make_image(struct hf_vk *vk, uint32_t w, uint32_t h, VkImage *image,
		       VkDeviceMemory *memory)
{
	VkImageCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
				 .imageType = VK_IMAGE_TYPE_2D,
				 .format = VK_FORMAT_B8G8R8A8_UNORM,
				 .extent = {w, h, 1},
				 .mipLevels = 1,
				 .arrayLayers = 1,
				 .samples = VK_SAMPLE_COUNT_1_BIT,
				 .tiling = VK_IMAGE_TILING_OPTIMAL,
				 .usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT |
					  VK_IMAGE_USAGE_TRANSFER_DST_BIT};
	if (vkCreateImage(vk->device, &ici, NULL, image) != VK_SUCCESS)
		return false;
	VkMemoryRequirements req;
	vkGetImageMemoryRequirements(vk->device, *image, &req);
	VkMemoryAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
				   .allocationSize = req.size,
				   .memoryTypeIndex =
					   hf_vk_memory_type(vk, req.memoryTypeBits,
							     VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT)};
	return vkAllocateMemory(vk->device, &ai, NULL, memory) == VK_SUCCESS &&
	       vkBindImageMemory(vk->device, *image, *memory, 0) == VK_SUCCESS;
}

static void to_layout(VkCommandBuffer cmd, VkImage image, VkImageLayout layout)
{
	VkImageMemoryBarrier b = {.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
				  .dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT |
						   VK_ACCESS_TRANSFER_WRITE_BIT,
				  .oldLayout = VK_IMAGE_LAYOUT_UNDEFINED,
				  .newLayout = layout,
				  .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
				  .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
				  .image = image,
				  .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
	vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT,
			     0, 0, NULL, 0, NULL, 1, &b);
}

static int bench(struct hf_vk *vk, uint32_t w, uint32_t h, int copies)
{
	VkImage src, dst;
	VkDeviceMemory src_mem, dst_mem;
	if (!make_image(vk, w, h, &src, &src_mem) || !make_image(vk, w, h, &dst, &dst_mem)) {
		fprintf(stderr, "handoff-bench-vk-copy: cannot make %ux%u images\n", w, h);
		return 1;
	}
	VkQueryPoolCreateInfo qci = {.sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO,
				     .queryType = VK_QUERY_TYPE_TIMESTAMP,
				     .queryCount = 2};
	VkQueryPool pool;
	vkCreateQueryPool(vk->device, &qci, NULL, &pool);
	VkCommandBufferAllocateInfo cai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
					   .commandPool = vk->pool,
					   .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
					   .commandBufferCount = 1};
	VkCommandBuffer cmd;
	vkAllocateCommandBuffers(vk->device, &cai, &cmd);
	VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
	vkBeginCommandBuffer(cmd, &bi);
	to_layout(cmd, src, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
	to_layout(cmd, dst, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
	vkCmdResetQueryPool(cmd, pool, 0, 2);
	vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, pool, 0);
	VkImageCopy region = {.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
			      .dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
			      .extent = {w, h, 1}};
	VkMemoryBarrier mb = {.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
			      .srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
			      .dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT};
	for (int i = 0; i < copies; i++) {
		vkCmdCopyImage(cmd, src, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, dst,
			       VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);
		/* One copy after another, as compositions are. */
		vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT,
				     VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &mb, 0, NULL, 0, NULL);
	}
	vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, pool, 1);
	vkEndCommandBuffer(cmd);
	VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
			   .commandBufferCount = 1,
			   .pCommandBuffers = &cmd};
	vkQueueSubmit(vk->queue, 1, &si, VK_NULL_HANDLE);
	vkQueueWaitIdle(vk->queue);
	uint64_t ts[2] = {0, 0};
	vkGetQueryPoolResults(vk->device, pool, 0, 2, sizeof(ts), ts, sizeof(ts[0]),
			      VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT);
	double us = (double)(ts[1] - ts[0]) * vk->timestamp_ns / 1e3 / copies;
	double gbs = 2.0 * w * h * 4 / (us * 1e3);
	printf("{\"width\": %u, \"height\": %u, \"copy_us\": %.2f, \"copy_gb_per_s\": %.1f}\n", w,
	       h, us, gbs);
	vkDestroyQueryPool(vk->device, pool, NULL);
	vkFreeCommandBuffers(vk->device, vk->pool, 1, &cmd);
	vkDestroyImage(vk->device, src, NULL);
	vkDestroyImage(vk->device, dst, NULL);
	vkFreeMemory(vk->device, src_mem, NULL);
	vkFreeMemory(vk->device, dst_mem, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("Usage: handoff-bench-vk-copy [WxH...]\n\n"
		       "Times the Vulkan device's image-to-image copy of one B8G8R8A8 frame with "
		       "GPU\n"
		       "timestamps (200 copies in a row), for each size given (default 1920x1080\n"
		       "and 3840x2160), and prints one JSON line per size.\n");
		return 0;
	}
	char why[256];
	struct hf_vk *vk = hf_vk_create(false, why, sizeof(why));
	if (!vk) {
		fprintf(stderr, "handoff-bench-vk-copy: %s\n", why);
		return 77;
	}
	if (vk->timestamp_ns <= 0) {
		fprintf(stderr, "handoff-bench-vk-copy: %s has no timestamps\n", vk->name);
		hf_vk_destroy(vk);
		return 77;
	}
	fprintf(stderr, "handoff-bench-vk-copy: %s\n", vk->name);
	const char *defaults[] = {"1920x1080", "3840x2160"};
	int n = argc > 1 ? argc - 1 : 2;
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		unsigned w, h;
		const char *arg = argc > 1 ? argv[i + 1] : defaults[i];
		if (sscanf(arg, "%ux%u", &w, &h) != 2 || !w || !h || w > 16384 || h > 16384) {
			fprintf(stderr, "handoff-bench-vk-copy: %s is not WxH\n", arg);
			rc = 2;
			break;
		}
		rc = bench(vk, w, h, 200);
	}
	hf_vk_destroy(vk);
	return rc;
}
