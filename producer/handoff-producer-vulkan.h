/*
 * The producer SDK for Vulkan applications: a window whose images are VkImages on the
 * application's device, exported to the presenter, with the semaphores to wait on and signal.
 *
 *     struct hp_vk_device dev = {
 *             .get_instance_proc_addr = vkGetInstanceProcAddr,
 *             .instance = instance, .physical_device = gpu, .device = device,
 *             .queue_family = family,
 *             .external_semaphore_fd = true, // if enabled on device
 *     };
 *     struct hp_window *w = hp_window_create_vulkan(c, &cfg, &dev, 0, err, sizeof(err));
 *     for (;;) {
 *             struct hp_frame *f = hp_frame_begin(w, -1); // f->data is NULL
 *             struct hp_vk_frame vf;
 *             hp_vk_frame_get(f, &vf);
 *             // record: hp_vk_cmd_acquire(&vf, cmd, ...), draw, hp_vk_cmd_release(&vf, cmd, ...)
 *             // submit: wait vf.wait_semaphore >= vf.wait_value (if not VK_NULL_HANDLE),
 *             //         signal vf.signal_semaphore = vf.signal_value (a timeline semaphore)
 *             hp_frame_submit(w, f); // before or after the vkQueueSubmit
 *     }
 *
 * hp_frame_begin() hands out an image only once the GPU has completed its previous frame (not
 * with HP_SYNC_NONE), so per-image command buffers may be reused then.
 * The presenter reads a frame only once the GPU has completed the submission that signals
 * signal_value: the SDK passes the semaphore on to the presenter where both use one device and
 * the driver exports timeline semaphores, and otherwise waits for it on a thread of its own and
 * then signals the frame's acquire point. hp_frame_signal() does nothing for Vulkan windows.
 *
 * Queue family ownership and layouts (the convention of handoff-v1 for Vulkan images):
 * - between frames an image belongs to VK_QUEUE_FAMILY_EXTERNAL in VK_IMAGE_LAYOUT_GENERAL;
 * - the producer acquires it from EXTERNAL with oldLayout GENERAL before rendering (the first
 *   use of an image: from UNDEFINED, no ownership transfer), and releases it to EXTERNAL with
 *   newLayout GENERAL after rendering, from whatever layout it rendered in;
 * - the presenter acquires it from EXTERNAL in GENERAL and releases it back to EXTERNAL in
 *   GENERAL, so that layouts of every release and its acquire match exactly.
 * hp_vk_cmd_acquire() and hp_vk_cmd_release() record these barriers.
 *
 * The device must be Vulkan 1.2 or later, created with the timelineSemaphore feature and
 * VK_KHR_external_memory_fd; VK_KHR_external_semaphore_fd is optional. The SDK calls Vulkan
 * only through get_instance_proc_addr and links no Vulkan library itself.
 */
#ifndef HANDOFF_PRODUCER_VULKAN_H
#define HANDOFF_PRODUCER_VULKAN_H

#include "handoff-producer.h"

#include <vulkan/vulkan.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The application's device. The SDK keeps no reference: it must outlive the window. */
struct hp_vk_device {
	PFN_vkGetInstanceProcAddr get_instance_proc_addr;
	VkInstance instance;
	VkPhysicalDevice physical_device;
	VkDevice device;
	uint32_t queue_family; /* the family the application renders on */
	/* Whether the application enabled VK_KHR_external_semaphore_fd on device: the SDK cannot
	 * ask the driver what was enabled. Without it the SDK waits for the GPU on a thread. */
	bool external_semaphore_fd;
};

struct hp_vk_frame {
	struct hp_window *window;
	uint32_t index; /* which image of the pool, 0..buffers-1: for per-image state */
	VkImage image;
	VkFormat format;
	VkImageTiling tiling;
	VkImageUsageFlags usage;
	uint32_t queue_family;
	/* The image's previous content is undefined: acquire it from VK_IMAGE_LAYOUT_UNDEFINED. */
	bool first_use;
	/* The submission that first touches the image waits for this timeline value (the
	 * presenter's release of the image); VK_NULL_HANDLE when the SDK already waited (shm
	 * release timelines, and always with several presenters: it waits for each one's). */
	VkSemaphore wait_semaphore;
	uint64_t wait_value;
	/* The submission that completes the frame signals this timeline value. */
	VkSemaphore signal_semaphore;
	uint64_t signal_value;
};

/*
 * Creates a window whose images are Vulkan images on dev. usage is what the application
 * renders with (0: TRANSFER_DST | COLOR_ATTACHMENT); TRANSFER_SRC and SAMPLED, with which the
 * presenter reads, are always added. The images are
 * handed over as memory_kind vk_opaque_fd where the presenter offers it on the same device
 * (same device and driver UUIDs), else as sealed memfds where the driver exports memory that
 * way (Mesa's lavapipe), else the window is refused with the reason in err.
 */
struct hp_window *hp_window_create_vulkan(struct hp_client *c, const struct hp_window_config *cfg,
					  const struct hp_vk_device *dev, VkImageUsageFlags usage,
					  char *err, size_t err_size);
/* How the window's images and points travel, in words: the device, the memory kind and
 * tiling, the timeline kind. "cpu" for a window without Vulkan images. */
const char *hp_vk_window_transport(const struct hp_window *w);
/* Fills out for a frame of a Vulkan window, between hp_frame_begin() and hp_frame_submit(),
 * on the client's thread. false for a window without Vulkan images. */
bool hp_vk_frame_get(const struct hp_frame *frame, struct hp_vk_frame *out);
/* Records the barrier that makes the image usable in layout by stage/access on the frame's
 * queue family: from EXTERNAL in GENERAL, or from UNDEFINED on first use. */
void hp_vk_cmd_acquire(const struct hp_vk_frame *frame, VkCommandBuffer cmd, VkImageLayout layout,
		       VkPipelineStageFlags stage, VkAccessFlags access);
/* Records the barrier that gives the image, written in layout by stage/access, back to
 * VK_QUEUE_FAMILY_EXTERNAL in VK_IMAGE_LAYOUT_GENERAL. */
void hp_vk_cmd_release(const struct hp_vk_frame *frame, VkCommandBuffer cmd, VkImageLayout layout,
		       VkPipelineStageFlags stage, VkAccessFlags access);

#ifdef __cplusplus
}
#endif

#endif
