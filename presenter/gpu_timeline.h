/*
 * GPU timelines: Vulkan timeline semaphores a client shares (vk_opaque_fd), imported on the
 * presenter's device, and the service that watches them. A thread sleeps in vkWaitSemaphores
 * on every watched timeline and wakes the event loop through an eventfd, which emits moved.
 * Each timeline has at most one watch and the watches are a list, not a pool: a client's
 * watches are bounded by its timelines, which its limits count, and one client can never take
 * the room of another's.
 */
#ifndef HF_GPU_TIMELINE_H
#define HF_GPU_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vulkan/vulkan.h>
#include <wayland-server-core.h>

struct hf_vk;
struct hf_gpu_timeline;
struct hf_gpu_timelines;

/* NULL with the reason in why. The device must outlive the service. */
struct hf_gpu_timelines *hf_gpu_timelines_create(struct wl_event_loop *loop, struct hf_vk *vk,
						 char *why, size_t why_size);
void hf_gpu_timelines_destroy(struct hf_gpu_timelines *s); /* NULL is a no-op */
/* Emitted from the event loop, data the service, once a watched timeline may have moved. */
struct wl_signal *hf_gpu_timelines_moved(struct hf_gpu_timelines *s);

/* Takes fd, whether it succeeds or not. */
struct hf_gpu_timeline *hf_gpu_timeline_import(struct hf_gpu_timelines *s, int fd, char *why,
					       size_t why_size);
/* A timeline semaphore of the device already made (tests); the timeline takes it. */
struct hf_gpu_timeline *hf_gpu_timeline_wrap(struct hf_gpu_timelines *s, VkSemaphore semaphore);
void hf_gpu_timeline_destroy(struct hf_gpu_timelines *s, struct hf_gpu_timeline *tl);
VkSemaphore hf_gpu_timeline_semaphore(const struct hf_gpu_timeline *tl);
uint64_t hf_gpu_timeline_query(struct hf_gpu_timelines *s, struct hf_gpu_timeline *tl);
/* Signals value from the host, unless the timeline is there already. */
void hf_gpu_timeline_signal(struct hf_gpu_timelines *s, struct hf_gpu_timeline *tl, uint64_t value);
/* Emits moved once tl may have reached point (the lowest point asked, if watched already).
 * Never refused: a watch is part of its timeline. */
bool hf_gpu_timeline_watch(struct hf_gpu_timelines *s, struct hf_gpu_timeline *tl, uint64_t point);
void hf_gpu_timeline_forget(struct hf_gpu_timelines *s, struct hf_gpu_timeline *tl);

#endif
