/* The Vulkan renderer's output image and its copies to the CPU targets (vk_output.h). */
#include "vk_output.h"

#include "vk_memory.h"

#include <string.h>

void hf_vk_output_init(struct hf_vk_output *o, struct hf_vk *vk, bool storage)
{
	*o = (struct hf_vk_output){.vk = vk, .storage = storage};
	for (int i = 0; i < HF_VK_OUTPUT_TARGETS; i++)
		pixman_region32_init(&o->targets[i].behind);
}

static void image_free(struct hf_vk_output *o)
{
	struct hf_vk *vk = o->vk;
	if (o->view)
		vkDestroyImageView(vk->device, o->view, NULL);
	if (o->image)
		vkDestroyImage(vk->device, o->image, NULL);
	if (o->memory)
		vkFreeMemory(vk->device, o->memory, NULL);
	o->view = VK_NULL_HANDLE;
	o->image = VK_NULL_HANDLE;
	o->memory = VK_NULL_HANDLE;
}

static void target_free(struct hf_vk *vk, struct hf_vk_target *tb)
{
	if (tb->buffer)
		vkDestroyBuffer(vk->device, tb->buffer, NULL);
	if (tb->memory)
		vkFreeMemory(vk->device, tb->memory, NULL);
	tb->buffer = VK_NULL_HANDLE;
	tb->memory = VK_NULL_HANDLE;
	tb->map = NULL;
	tb->data = NULL;
}

void hf_vk_output_finish(struct hf_vk_output *o)
{
	if (!o->vk)
		return;
	for (int i = 0; i < HF_VK_OUTPUT_TARGETS; i++) {
		if (o->vk->device)
			target_free(o->vk, &o->targets[i]);
		pixman_region32_fini(&o->targets[i].behind);
	}
	if (o->vk->device)
		image_free(o);
	o->vk = NULL;
}

/* B8G8R8A8 for the copies to the CPU; for the shaders also seen as R32_UINT words, which every
 * device can store (VK_IMAGE_CREATE_EXTENDED_USAGE_BIT: the B8G8R8A8 view need not). */
static bool image_create(struct hf_vk_output *o, int32_t w, int32_t h)
{
	struct hf_vk *vk = o->vk;
	VkImageCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
				 .imageType = VK_IMAGE_TYPE_2D,
				 .format = VK_FORMAT_B8G8R8A8_UNORM,
				 .extent = {(uint32_t)w, (uint32_t)h, 1},
				 .mipLevels = 1,
				 .arrayLayers = 1,
				 .samples = VK_SAMPLE_COUNT_1_BIT,
				 .tiling = VK_IMAGE_TILING_OPTIMAL,
				 .usage = VK_IMAGE_USAGE_TRANSFER_DST_BIT |
					  VK_IMAGE_USAGE_TRANSFER_SRC_BIT,
				 .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED};
	if (o->storage) {
		ici.flags = VK_IMAGE_CREATE_MUTABLE_FORMAT_BIT | VK_IMAGE_CREATE_EXTENDED_USAGE_BIT;
		ici.usage |= VK_IMAGE_USAGE_STORAGE_BIT;
	}
	if (vkCreateImage(vk->device, &ici, NULL, &o->image) != VK_SUCCESS)
		return false;
	VkMemoryRequirements req;
	vkGetImageMemoryRequirements(vk->device, o->image, &req);
	if (!hf_vk_alloc_memory(vk, &req, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, NULL, &o->memory) ||
	    vkBindImageMemory(vk->device, o->image, o->memory, 0) != VK_SUCCESS)
		goto err;
	if (o->storage) {
		VkImageViewUsageCreateInfo usage = {
			.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_USAGE_CREATE_INFO,
			.usage = VK_IMAGE_USAGE_STORAGE_BIT};
		VkImageViewCreateInfo vci = {
			.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
			.pNext = &usage,
			.image = o->image,
			.viewType = VK_IMAGE_VIEW_TYPE_2D,
			.format = VK_FORMAT_R32_UINT,
			.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
		if (vkCreateImageView(vk->device, &vci, NULL, &o->view) != VK_SUCCESS)
			goto err;
	}
	return true;
err:
	image_free(o);
	return false;
}

bool hf_vk_output_ensure(struct hf_vk_output *o, int32_t w, int32_t h)
{
	if (o->image && o->width == w && o->height == h)
		return true;
	vkQueueWaitIdle(o->vk->queue);
	image_free(o);
	if (!image_create(o, w, h))
		return false;
	o->width = w;
	o->height = h;
	o->defined = false;
	/* No target holds any of the new image. */
	for (int i = 0; i < HF_VK_OUTPUT_TARGETS; i++)
		pixman_region32_union_rect(&o->targets[i].behind, &o->targets[i].behind, 0, 0,
					   (unsigned)w, (unsigned)h);
	return true;
}

struct hf_vk_target *hf_vk_output_target(struct hf_vk_output *o, const struct hf_pixels *t)
{
	struct hf_vk *vk = o->vk;
	size_t size = t->stride * (size_t)t->height;
	for (int i = 0; i < HF_VK_OUTPUT_TARGETS; i++)
		if (o->targets[i].data == t->data && o->targets[i].size == size &&
		    o->targets[i].buffer) {
			o->targets[i].stride = t->stride;
			return &o->targets[i];
		}
	struct hf_vk_target *tb = &o->targets[o->next_target];
	o->next_target = (o->next_target + 1) % HF_VK_OUTPUT_TARGETS;
	if (tb->buffer) {
		vkQueueWaitIdle(vk->queue);
		target_free(vk, tb);
	}
	tb->data = t->data;
	tb->size = size;
	tb->stride = t->stride;
	/* Whatever the target holds, it is not known to be the output image. */
	pixman_region32_fini(&tb->behind);
	pixman_region32_init_rect(&tb->behind, 0, 0, (unsigned)t->width, (unsigned)t->height);
	VkDeviceSize offset;
	if (hf_vk_buffer_import_host(vk, t->data, size, VK_BUFFER_USAGE_TRANSFER_DST_BIT,
				     &tb->buffer, &tb->memory, &offset) &&
	    offset == 0)
		return tb;
	target_free(vk, tb);
	tb->data = t->data;
	if (!hf_vk_buffer_create(vk, size, VK_BUFFER_USAGE_TRANSFER_DST_BIT, &tb->buffer,
				 &tb->memory, &tb->map)) {
		tb->data = NULL;
		return NULL;
	}
	return tb;
}

void hf_vk_output_drawn(struct hf_vk_output *o, const pixman_region32_t *drawn)
{
	for (int i = 0; i < HF_VK_OUTPUT_TARGETS; i++)
		if (o->targets[i].buffer)
			pixman_region32_union(&o->targets[i].behind, &o->targets[i].behind,
					      (pixman_region32_t *)drawn);
}

void hf_vk_output_record_copy(struct hf_vk_output *o, VkCommandBuffer cmd,
			      const struct hf_vk_target *tb, const pixman_region32_t *region)
{
	/* The image's writes, by shaders or copies, come before the copies to the CPU. */
	VkMemoryBarrier mb = {.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
			      .srcAccessMask =
				      VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
			      .dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT};
	vkCmdPipelineBarrier(cmd,
			     VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
			     VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &mb, 0, NULL, 0, NULL);
	int n;
	const pixman_box32_t *b = pixman_region32_rectangles((pixman_region32_t *)region, &n);
	for (int i = 0; i < n; i++) {
		VkBufferImageCopy copy = {
			.bufferOffset =
				(VkDeviceSize)b[i].y1 * tb->stride + (VkDeviceSize)b[i].x1 * 4,
			.bufferRowLength = (uint32_t)(tb->stride / 4),
			.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
			.imageOffset = {b[i].x1, b[i].y1, 0},
			.imageExtent = {(uint32_t)(b[i].x2 - b[i].x1),
					(uint32_t)(b[i].y2 - b[i].y1), 1},
		};
		vkCmdCopyImageToBuffer(cmd, o->image, VK_IMAGE_LAYOUT_GENERAL, tb->buffer, 1,
				       &copy);
	}
}

void hf_vk_output_copied(struct hf_vk_output *o, struct hf_vk_target *tb,
			 const pixman_region32_t *region)
{
	int n;
	const pixman_box32_t *b = pixman_region32_rectangles((pixman_region32_t *)region, &n);
	for (int i = 0; tb->map && i < n; i++)
		for (int32_t y = b[i].y1; y < b[i].y2; y++) {
			size_t off = (size_t)y * tb->stride + (size_t)b[i].x1 * 4;
			memcpy((char *)tb->data + off, (char *)tb->map + off,
			       (size_t)(b[i].x2 - b[i].x1) * 4);
		}
	pixman_region32_subtract(&tb->behind, &tb->behind, (pixman_region32_t *)region);
}
