/*
 * How the Vulkan renderer waits for its submissions: a timeline semaphore that each
 * submission signals with its number, and the host's wait for it. A sleeping vkWaitSemaphores
 * returns 40-50 us after the device is done on some drivers, a poll sees it in about a
 * microsecond: by default the wait sleeps until shortly before the completion it expects (the
 * mean of the last ones), then polls, for a bounded time, then sleeps in the driver's wait.
 * The poll costs a core for the margin only, and nothing when idle.
 */
#ifndef HF_VK_WAIT_H
#define HF_VK_WAIT_H

#include "time_util.h"
#include "vk.h"

#include <stdbool.h>
#include <stdint.h>

/* How long a wait may take, in time the process is awake: a device that takes longer is hung. */
#define HF_VK_WAIT_TIMEOUT_NS (5 * HF_NSEC_PER_SEC)

struct hf_vk_waiter {
	struct hf_vk *vk;
	VkSemaphore done; /* signaled with each submission's number */
	/* HF_RENDERER_VULKAN_WAIT_SLEEP or _POLL; 0 for the sleep-then-poll default, with the
	 * time from submission to completion it expects (a running mean). */
	unsigned mode;
	int64_t expect_ns;
	int64_t timeout_ns; /* HF_VK_WAIT_TIMEOUT_NS from init; tests shorten it */
};

/* mode: HF_RENDERER_VULKAN_WAIT_* of the renderer's flags (a CPU device always sleeps). */
bool hf_vk_waiter_init(struct hf_vk_waiter *w, struct hf_vk *vk, unsigned mode);
void hf_vk_waiter_finish(struct hf_vk_waiter *w);
/* Waits until done reaches value, which a submission made at submit_ns signals; VK_TIMEOUT
 * after at least timeout_ns of waiting while awake (time stopped by SIGSTOP does not count). */
VkResult hf_vk_waiter_wait(struct hf_vk_waiter *w, uint64_t value, int64_t submit_ns);

#endif
