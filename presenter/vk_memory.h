/* Device memory, images, buffers and barriers: what the Vulkan renderer's parts share. */
#ifndef HF_VK_MEMORY_H
#define HF_VK_MEMORY_H

#include "vk.h"

#include <stdbool.h>
#include <stddef.h>

/* Memory of a type with flags among req's; next chains import structures. */
bool hf_vk_alloc_memory(struct hf_vk *vk, VkMemoryRequirements *req, VkMemoryPropertyFlags flags,
			const void *next, VkDeviceMemory *memory);
/* A device-local 2D image, optimal tiling, one level. */
bool hf_vk_image_create(struct hf_vk *vk, VkFormat format, int32_t w, int32_t h,
			VkImageUsageFlags usage, VkImage *image, VkDeviceMemory *memory);
/* A host-visible, coherent buffer, mapped at *map. */
bool hf_vk_buffer_create(struct hf_vk *vk, VkDeviceSize size, VkBufferUsageFlags usage,
			 VkBuffer *buffer, VkDeviceMemory *memory, void **map);
/* A buffer over host memory [ptr, ptr + size), in whole aligned pages; *offset is where ptr
 * lands in it. */
bool hf_vk_buffer_import_host(struct hf_vk *vk, void *ptr, size_t size, VkBufferUsageFlags usage,
			      VkBuffer *buffer, VkDeviceMemory *memory, VkDeviceSize *offset);
/* One image's layout or queue family changes, between any commands. */
void hf_vk_barrier(VkCommandBuffer cmd, VkImage image, VkImageLayout from, VkImageLayout to,
		   uint32_t src_family, uint32_t dst_family, VkAccessFlags src_access,
		   VkAccessFlags dst_access);

#endif
