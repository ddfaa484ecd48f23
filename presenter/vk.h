/*
 * The presenter's Vulkan device: an instance, the physical device (a GPU for --renderer auto,
 * any device, lavapipe included, for --renderer vulkan), one queue that can transfer, blit and
 * compute, and what the device can share with other processes.
 */
#ifndef HF_VK_H
#define HF_VK_H

#include <stdbool.h>
#include <stdint.h>
#include <vulkan/vulkan.h>

#include "vk_result.h"

struct hf_vk {
	VkInstance instance;
	VkPhysicalDevice phys;
	VkDevice device;
	VkQueue queue;
	uint32_t queue_family;
	bool queue_compute; /* the queue runs compute shaders too */
	VkCommandPool pool;
	VkPhysicalDeviceMemoryProperties mem_props;
	char name[VK_MAX_PHYSICAL_DEVICE_NAME_SIZE];
	bool cpu; /* a CPU implementation (lavapipe) */
	uint8_t device_uuid[VK_UUID_SIZE], driver_uuid[VK_UUID_SIZE];
	/* What the device can do. */
	bool host_import; /* VK_EXT_external_memory_host */
	VkDeviceSize host_import_alignment;
	/* Host import of read-only mappings too, as clients' memory is mapped: on CPU devices
	 * only. NVIDIA's driver (580, H200) refused the import with OUT_OF_DEVICE_MEMORY, and
	 * after that refusal its host-visible allocations failed too (the renderer's next
	 * ones, the background's), so a GPU driver is never asked. */
	bool host_import_read_only;
	bool opaque_memory;     /* VK_KHR_external_memory_fd, OPAQUE_FD images */
	bool opaque_semaphores; /* timeline semaphores export/import as OPAQUE_FD */
	PFN_vkGetMemoryHostPointerPropertiesEXT get_host_pointer_props;
	PFN_vkGetSemaphoreFdKHR get_semaphore_fd;
	PFN_vkImportSemaphoreFdKHR import_semaphore_fd;
	/* VK_KHR_push_descriptor, which the compute composition binds with; NULL: none. */
	PFN_vkCmdPushDescriptorSetKHR push_descriptor_set;
	VkPhysicalDeviceProperties props;
	double timestamp_ns; /* per timestamp tick; 0: no timestamps on the queue */
};

/* NULL with a message in why when no usable device exists; require_gpu skips CPU devices. */
struct hf_vk *hf_vk_create(bool require_gpu, char *why, size_t why_size);
void hf_vk_destroy(struct hf_vk *vk); /* NULL is a no-op */
/* A memory type among bits with all of flags; UINT32_MAX when none. */
uint32_t hf_vk_memory_type(const struct hf_vk *vk, uint32_t bits, VkMemoryPropertyFlags flags);

#endif
