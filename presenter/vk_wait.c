/* The Vulkan renderer's completion wait (vk_wait.h). */
#include "vk_wait.h"

#include "renderer.h"

#include <sys/prctl.h>

bool hf_vk_waiter_init(struct hf_vk_waiter *w, struct hf_vk *vk, unsigned mode)
{
	*w = (struct hf_vk_waiter){.vk = vk, .mode = mode, .timeout_ns = HF_VK_WAIT_TIMEOUT_NS};
	/* On a CPU device a poll takes the cores the device's own threads need: sleep there. */
	if (!w->mode && vk->cpu)
		w->mode = HF_RENDERER_VULKAN_WAIT_SLEEP;
	/* The sleep before the poll must end when asked, not up to 50 us later (the default
	 * timer slack of this thread, the event loop's). */
	if (!w->mode)
		prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
	VkSemaphoreTypeCreateInfo type = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
					  .semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE};
	VkSemaphoreCreateInfo sci = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO,
				     .pNext = &type};
	if (vkCreateSemaphore(vk->device, &sci, NULL, &w->done) != VK_SUCCESS)
		w->done = VK_NULL_HANDLE;
	return w->done != VK_NULL_HANDLE;
}

void hf_vk_waiter_finish(struct hf_vk_waiter *w)
{
	if (w->done)
		vkDestroySemaphore(w->vk->device, w->done, NULL);
	w->done = VK_NULL_HANDLE;
}

static VkResult poll_until(struct hf_vk_waiter *w, uint64_t value, int64_t until_ns)
{
	do {
		uint64_t now = 0;
		VkResult res = vkGetSemaphoreCounterValue(w->vk->device, w->done, &now);
		if (res != VK_SUCCESS || now >= value)
			return res;
	} while (hf_now_ns() < until_ns);
	return VK_TIMEOUT;
}

/* Sleeps until the counter reaches value, for at most timeout_ns of time awake. The
 * monotonic clock goes on while the process is stopped (SIGSTOP, a debugger), so one long wait
 * would time out as soon as a presenter stopped for longer is continued, with the work long done:
 * the wait is cut in slices, and a slice that took far longer than asked counts as one slice. */
static VkResult sleep_until_done(struct hf_vk_waiter *w, uint64_t value)
{
	const int64_t slice_ns = HF_NSEC_PER_SEC / 10;
	VkSemaphoreWaitInfo wi = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO,
				  .semaphoreCount = 1,
				  .pSemaphores = &w->done,
				  .pValues = &value};
	for (int64_t awake = 0; awake < w->timeout_ns;) {
		int64_t t0 = hf_now_ns();
		VkResult res = vkWaitSemaphores(w->vk->device, &wi, (uint64_t)slice_ns);
		if (res != VK_TIMEOUT)
			return res;
		int64_t took = hf_now_ns() - t0;
		awake += took < 2 * slice_ns ? took : slice_ns;
	}
	return VK_TIMEOUT;
}

VkResult hf_vk_waiter_wait(struct hf_vk_waiter *w, uint64_t value, int64_t submit_ns)
{
	if (w->mode == HF_RENDERER_VULKAN_WAIT_SLEEP)
		return sleep_until_done(w, value);
	VkResult res;
	if (w->mode == HF_RENDERER_VULKAN_WAIT_POLL) {
		res = poll_until(w, value, submit_ns + w->timeout_ns);
		if (res == VK_TIMEOUT)
			res = sleep_until_done(w, value);
	} else {
		int64_t margin = 30000 + w->expect_ns / 8;
		int64_t poll_from = submit_ns + w->expect_ns - margin;
		if (poll_from - hf_now_ns() > 20000)
			hf_sleep_ns(poll_from - hf_now_ns());
		res = poll_until(w, value, hf_now_ns() + 2 * margin + 100000);
		if (res == VK_TIMEOUT)
			res = sleep_until_done(w, value);
	}
	if (res == VK_SUCCESS) {
		int64_t took = hf_now_ns() - submit_ns;
		w->expect_ns = w->expect_ns ? w->expect_ns + (took - w->expect_ns) / 8 : took;
	}
	return res;
}
