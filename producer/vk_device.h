/*
 * The producer program's Vulkan device: the loader opened at run time (so that the CPU path
 * needs no Vulkan library), an instance, the physical device the presenter names, a logical
 * device with what Handoff needs, and one graphics queue.
 */
#ifndef HP_VK_DEVICE_H
#define HP_VK_DEVICE_H

#include "handoff-producer-vulkan.h"
#include "vk_result.h"

#include <stdbool.h>
#include <stdint.h>

/* Device-level functions the renderer calls. */
#define HP_VK_DEVICE_FUNCS(X)                                                                      \
	X(vkDestroyDevice)                                                                         \
	X(vkGetDeviceQueue)                                                                        \
	X(vkQueueSubmit)                                                                           \
	X(vkWaitSemaphores)                                                                        \
	X(vkCreateCommandPool)                                                                     \
	X(vkDestroyCommandPool)                                                                    \
	X(vkAllocateCommandBuffers)                                                                \
	X(vkResetCommandBuffer)                                                                    \
	X(vkBeginCommandBuffer)                                                                    \
	X(vkEndCommandBuffer)                                                                      \
	X(vkCreateRenderPass)                                                                      \
	X(vkDestroyRenderPass)                                                                     \
	X(vkCreateImageView)                                                                       \
	X(vkDestroyImageView)                                                                      \
	X(vkCreateFramebuffer)                                                                     \
	X(vkDestroyFramebuffer)                                                                    \
	X(vkCmdBeginRenderPass)                                                                    \
	X(vkCmdEndRenderPass)                                                                      \
	X(vkCmdClearAttachments)                                                                   \
	X(vkCmdPipelineBarrier)                                                                    \
	X(vkCreateShaderModule)                                                                    \
	X(vkDestroyShaderModule)                                                                   \
	X(vkCreateComputePipelines)                                                                \
	X(vkDestroyPipeline)                                                                       \
	X(vkCreatePipelineLayout)                                                                  \
	X(vkDestroyPipelineLayout)                                                                 \
	X(vkCreateDescriptorSetLayout)                                                             \
	X(vkDestroyDescriptorSetLayout)                                                            \
	X(vkCreateDescriptorPool)                                                                  \
	X(vkDestroyDescriptorPool)                                                                 \
	X(vkAllocateDescriptorSets)                                                                \
	X(vkUpdateDescriptorSets)                                                                  \
	X(vkCmdBindPipeline)                                                                       \
	X(vkCmdBindDescriptorSets)                                                                 \
	X(vkCmdPushConstants)                                                                      \
	X(vkCmdDispatch)

struct hp_vk_device_fns {
#define X(name) PFN_##name name;
	HP_VK_DEVICE_FUNCS(X)
#undef X
};

struct hp_vk_context {
	void *loader; /* dlopen handle of libvulkan */
	PFN_vkGetInstanceProcAddr get_instance_proc_addr;
	PFN_vkDestroyInstance destroy_instance;
	struct hp_vk_device_fns fn;
	VkInstance instance;
	VkPhysicalDevice physical_device;
	VkDevice device;
	uint32_t queue_family;
	VkQueue queue; /* used by one thread at a time: the render thread */
	bool external_semaphore_fd;
	/* Compute shaders may store to images of any format the device can store to (the
	 * queue computes, shaderStorageImageWriteWithoutFormat is on): see storage_format. */
	bool storage_write;
	PFN_vkGetPhysicalDeviceFormatProperties get_format_properties;
	bool images_storage;   /* the window's images were made with STORAGE usage */
	bool presenter_device; /* the device is the one the presenter named */
	bool stuck;            /* the GPU never finished: leave the device, do not destroy it */
	char name[256];        /* the device's name */
};

/* The device whose UUIDs are given (the presenter's), else the first that fits; on failure
 * NULL with the reason in err. */
struct hp_vk_context *hp_vk_context_create(const uint8_t *device_uuid, const uint8_t *driver_uuid,
					   char *err, size_t err_size);
void hp_vk_context_destroy(struct hp_vk_context *ctx); /* NULL is a no-op */
/* What hp_window_create_vulkan() needs. */
struct hp_vk_device hp_vk_context_sdk_device(const struct hp_vk_context *ctx);
/* Whether compute shaders can store to images of format on this device. */
bool hp_vk_context_can_store(const struct hp_vk_context *ctx, VkFormat format);
/* A VkResult in words. */

#endif
