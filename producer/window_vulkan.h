/*
 * The SDK's Vulkan backend, for the backends built on it (window_cuda.c): a Vulkan window's
 * state, and how to make one in memory the caller allocated with hp_window_new().
 */
#ifndef HP_WINDOW_VULKAN_H
#define HP_WINDOW_VULKAN_H

#define VK_NO_PROTOTYPES
#include "handoff-producer-vulkan.h"
#include "sdk.h"

#include <pthread.h>

/* Instance-level functions, then device-level ones; all required unless noted. */
#define VK_INSTANCE_FUNCS(X)                                                                       \
	X(vkGetDeviceProcAddr)                                                                     \
	X(vkGetPhysicalDeviceProperties2)                                                          \
	X(vkGetPhysicalDeviceMemoryProperties)                                                     \
	X(vkGetPhysicalDeviceImageFormatProperties2)                                               \
	X(vkGetPhysicalDeviceExternalSemaphoreProperties)
#define VK_DEVICE_FUNCS(X)                                                                         \
	X(vkCreateImage)                                                                           \
	X(vkDestroyImage)                                                                          \
	X(vkGetImageMemoryRequirements2)                                                           \
	X(vkGetImageSubresourceLayout)                                                             \
	X(vkAllocateMemory)                                                                        \
	X(vkFreeMemory)                                                                            \
	X(vkMapMemory)                                                                             \
	X(vkUnmapMemory)                                                                           \
	X(vkBindImageMemory)                                                                       \
	X(vkGetMemoryFdKHR)                                                                        \
	X(vkCreateSemaphore)                                                                       \
	X(vkDestroySemaphore)                                                                      \
	X(vkWaitSemaphores)                                                                        \
	X(vkGetSemaphoreCounterValue)                                                              \
	X(vkSignalSemaphore)                                                                       \
	X(vkCmdPipelineBarrier)

struct vk_fns {
#define X(name) PFN_##name name;
	VK_INSTANCE_FUNCS(X)
	VK_DEVICE_FUNCS(X)
#undef X
	PFN_vkGetSemaphoreFdKHR vkGetSemaphoreFdKHR; /* NULL without external_semaphore_fd */
};

struct hp_vk_image {
	VkImage image;
	VkDeviceMemory memory;
	VkDeviceSize size;          /* of the memory */
	bool dedicated;             /* the memory is dedicated to the image */
	VkSubresourceLayout layout; /* linear tiling: where the pixels lie in the memory */
	/* Each presenter's Vulkan release timeline, or VK_NULL_HANDLE for shm ones: one each,
	 * since presenters release in any order and a timeline's value only grows. */
	VkSemaphore release[HP_MAX_PRESENTERS];
};

struct hp_vk_window {
	struct hp_window base;
	struct vk_fns fn;
	VkDevice device;
	uint32_t queue_family;
	VkFormat format;
	VkImageTiling tiling;
	VkImageUsageFlags usage;
	/* What each image the pool grows by is made with (hp_window_impl.add_image). */
	VkPhysicalDevice physical_device;
	bool dedicated_memory; /* every image's memory dedicated to it (driver or backend) */
	bool vk_memory;        /* memory_kind vk_opaque_fd; else memfd (or wl_shm) */
	bool vk_timeline;      /* acquire and release are Vulkan timelines the presenter shares */
	/* The timeline the GPU signals at frame N: exported (vk_timeline) or ours alone. */
	VkSemaphore acquire;
	/* Made as the pool grows: those at base.n_images and past are zero, or the leftovers
	 * of an add_image that failed (hp_vk_window_finish() frees them). */
	struct hp_vk_image images[HP_MAX_BUFFERS];
	char transport[384];
	bool initialized; /* hp_vk_window_init() ran: the locks below exist */

	/* The completion thread (shm acquire timelines with explicit sync). */
	pthread_t thread;
	bool thread_running;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	uint64_t committed; /* under lock: the newest frame committed */
	bool stop;          /* under lock */

	pthread_mutex_t failure_lock;
	_Atomic bool failed;
	char failure[256]; /* written once, under failure_lock, before failed is set */
};

/* The backend table of Vulkan windows; a backend built on them wraps its functions. */
extern const struct hp_window_impl hp_vk_window_impl;

/* What a backend built on Vulkan windows asks of their images. */
struct hp_vk_window_options {
	VkImageUsageFlags usage;   /* 0: TRANSFER_DST | COLOR_ATTACHMENT */
	bool linear;               /* linear tiling, whatever else the device could share */
	bool require_vk_transport; /* vk_opaque_fd memory and timelines, or fail */
	bool dedicated; /* every image's memory dedicated to it, whatever the driver prefers */
};

/* Makes the Vulkan window in vk, whose base hp_window_new() made: its transport, timelines
 * and completion thread; not its images, which the core makes as the pool grows
 * (hp_vk_window_impl.add_image, from hp_window_finish_setup() on). */
bool hp_vk_window_init(struct hp_vk_window *vk, const struct hp_vk_device *dev,
		       const struct hp_vk_window_options *options, char *err, size_t err_size);
/* Waits for the GPU and frees what hp_vk_window_init() made; vk itself stays. */
void hp_vk_window_finish(struct hp_vk_window *vk);
/* Records a failure seen on any thread, once: what failed and the VkResult. */
void hp_vk_window_fail(struct hp_vk_window *vk, const char *what, VkResult r);

#endif
