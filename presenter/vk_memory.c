/* Device memory, images, buffers and barriers for the Vulkan renderer (vk_memory.h). */
#include "vk_memory.h"

bool hf_vk_alloc_memory(struct hf_vk *vk, VkMemoryRequirements *req, VkMemoryPropertyFlags flags,
			const void *next, VkDeviceMemory *memory)
{
	uint32_t type = hf_vk_memory_type(vk, req->memoryTypeBits, flags);
	if (type == UINT32_MAX)
		return false;
	VkMemoryAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
				   .pNext = next,
				   .allocationSize = req->size,
				   .memoryTypeIndex = type};
	return vkAllocateMemory(vk->device, &ai, NULL, memory) == VK_SUCCESS;
}

bool hf_vk_image_create(struct hf_vk *vk, VkFormat format, int32_t w, int32_t h,
			VkImageUsageFlags usage, VkImage *image, VkDeviceMemory *memory)
{
	VkImageCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
				 .imageType = VK_IMAGE_TYPE_2D,
				 .format = format,
				 .extent = {(uint32_t)w, (uint32_t)h, 1},
				 .mipLevels = 1,
				 .arrayLayers = 1,
				 .samples = VK_SAMPLE_COUNT_1_BIT,
				 .tiling = VK_IMAGE_TILING_OPTIMAL,
				 .usage = usage,
				 .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED};
	if (vkCreateImage(vk->device, &ici, NULL, image) != VK_SUCCESS)
		return false;
	VkMemoryRequirements req;
	vkGetImageMemoryRequirements(vk->device, *image, &req);
	if (!hf_vk_alloc_memory(vk, &req, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, NULL, memory) ||
	    vkBindImageMemory(vk->device, *image, *memory, 0) != VK_SUCCESS) {
		vkDestroyImage(vk->device, *image, NULL);
		*image = VK_NULL_HANDLE;
		return false;
	}
	return true;
}

bool hf_vk_buffer_create(struct hf_vk *vk, VkDeviceSize size, VkBufferUsageFlags usage,
			 VkBuffer *buffer, VkDeviceMemory *memory, void **map)
{
	VkBufferCreateInfo bci = {
		.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO, .size = size, .usage = usage};
	if (vkCreateBuffer(vk->device, &bci, NULL, buffer) != VK_SUCCESS)
		return false;
	VkMemoryRequirements req;
	vkGetBufferMemoryRequirements(vk->device, *buffer, &req);
	VkMemoryPropertyFlags flags =
		VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
	if (!hf_vk_alloc_memory(vk, &req, flags, NULL, memory))
		goto err;
	if (vkBindBufferMemory(vk->device, *buffer, *memory, 0) != VK_SUCCESS ||
	    vkMapMemory(vk->device, *memory, 0, VK_WHOLE_SIZE, 0, map) != VK_SUCCESS) {
		vkFreeMemory(vk->device, *memory, NULL);
		goto err;
	}
	return true;
err:
	vkDestroyBuffer(vk->device, *buffer, NULL);
	*buffer = VK_NULL_HANDLE;
	return false;
}

/* A buffer over host memory [ptr, ptr + size), in whole aligned pages; *offset is where ptr
 * lands in it. */
bool hf_vk_buffer_import_host(struct hf_vk *vk, void *ptr, size_t size, VkBufferUsageFlags usage,
			      VkBuffer *buffer, VkDeviceMemory *memory, VkDeviceSize *offset)
{
	if (!vk->host_import)
		return false;
	uintptr_t align = vk->host_import_alignment;
	uintptr_t start = (uintptr_t)ptr & ~(align - 1);
	uintptr_t end = ((uintptr_t)ptr + size + align - 1) & ~(align - 1);
	VkMemoryHostPointerPropertiesEXT props = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_HOST_POINTER_PROPERTIES_EXT};
	if (vk->get_host_pointer_props(vk->device,
				       VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_ALLOCATION_BIT_EXT,
				       (void *)start, &props) != VK_SUCCESS)
		return false;
	VkExternalMemoryBufferCreateInfo ext = {
		.sType = VK_STRUCTURE_TYPE_EXTERNAL_MEMORY_BUFFER_CREATE_INFO,
		.handleTypes = VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_ALLOCATION_BIT_EXT};
	VkBufferCreateInfo bci = {.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
				  .pNext = &ext,
				  .size = end - start,
				  .usage = usage};
	if (vkCreateBuffer(vk->device, &bci, NULL, buffer) != VK_SUCCESS)
		return false;
	VkMemoryRequirements req;
	vkGetBufferMemoryRequirements(vk->device, *buffer, &req);
	req.memoryTypeBits &= props.memoryTypeBits;
	req.size = end - start;
	VkImportMemoryHostPointerInfoEXT import = {
		.sType = VK_STRUCTURE_TYPE_IMPORT_MEMORY_HOST_POINTER_INFO_EXT,
		.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_ALLOCATION_BIT_EXT,
		.pHostPointer = (void *)start};
	if (!hf_vk_alloc_memory(vk, &req, 0, &import, memory)) {
		vkDestroyBuffer(vk->device, *buffer, NULL);
		*buffer = VK_NULL_HANDLE;
		return false;
	}
	if (vkBindBufferMemory(vk->device, *buffer, *memory, 0) != VK_SUCCESS) {
		vkFreeMemory(vk->device, *memory, NULL);
		vkDestroyBuffer(vk->device, *buffer, NULL);
		*buffer = VK_NULL_HANDLE;
		return false;
	}
	*offset = (uintptr_t)ptr - start;
	return true;
}

void hf_vk_barrier(VkCommandBuffer cmd, VkImage image, VkImageLayout from, VkImageLayout to,
		   uint32_t src_family, uint32_t dst_family, VkAccessFlags src_access,
		   VkAccessFlags dst_access)
{
	VkImageMemoryBarrier b = {.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
				  .srcAccessMask = src_access,
				  .dstAccessMask = dst_access,
				  .oldLayout = from,
				  .newLayout = to,
				  .srcQueueFamilyIndex = src_family,
				  .dstQueueFamilyIndex = dst_family,
				  .image = image,
				  .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
	vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT,
			     VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 0, NULL, 0, NULL, 1, &b);
}
