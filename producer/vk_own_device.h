/*
 * A Vulkan device that the SDK makes for itself (libvulkan.so.1, opened at run time), on the
 * GPU with a given device UUID: for backends whose application does not render with Vulkan
 * (window_cuda.c) but whose images are Vulkan images shared with the presenter.
 */
#ifndef HP_VK_OWN_DEVICE_H
#define HP_VK_OWN_DEVICE_H

#define VK_NO_PROTOTYPES
#include "handoff-producer-vulkan.h"

struct hp_vk_own_device {
	void *loader; /* dlopen() handle; NULL: nothing was made */
	PFN_vkGetInstanceProcAddr get_instance_proc_addr;
	VkInstance instance;
	VkPhysicalDevice physical_device;
	VkDevice device;
	uint32_t queue_family;
	char name[VK_MAX_PHYSICAL_DEVICE_NAME_SIZE];
};

/* Makes an instance and a device on the GPU whose deviceUUID is device_uuid, with timeline
 * semaphores and opaque-fd export of memory and semaphores. false with the reason in err. */
bool hp_vk_own_device_create(struct hp_vk_own_device *d, const uint8_t device_uuid[16], char *err,
			     size_t err_size);
/* What hp_window_create_vulkan() and hp_vk_window_init() take. */
struct hp_vk_device hp_vk_own_device_sdk(const struct hp_vk_own_device *d);
/* Destroys what create made; a zeroed struct is a no-op. */
void hp_vk_own_device_destroy(struct hp_vk_own_device *d);

#endif
