/*
 * handoff-bench-sync-wake: how long the presenter's own path takes from a timeline point being
 * signaled to the event loop running the wait's callback: the waiter thread (futex_waitv for
 * shm timelines, vkWaitSemaphores for Vulkan ones), its eventfd, the loop, the dispatch. Three
 * ways in one run: an shm timeline signaled by the CPU, a Vulkan timeline semaphore signaled by
 * the CPU (vkSignalSemaphore), and one signaled by the GPU at the end of an empty submission
 * (which adds the device's launch latency). The semaphore is made and exported by a second
 * device object, as a producer would, and imported by the presenter's Vulkan renderer.
 */
#include "gpu_timeline.h"
#include "renderer.h"
#include "stats.h"
#include "sync.h"
#include "time_util.h"
#include "timeline.h"
#include "vk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct probe {
	struct hf_sync_wait wait;
	bool fired;
	int64_t fired_ns;
};

static void probe_notify(struct hf_sync_wait *wait)
{
	struct probe *p = wl_container_of(wait, p, wait);
	p->fired = true;
	p->fired_ns = hf_now_ns();
}

enum how { SHM_CPU, VK_CPU, VK_GPU };

struct producer_side {
	struct hf_vk *vk;
	VkSemaphore semaphore;
	struct hf_timeline *shm;
};

static void signal_point(struct producer_side *ps, enum how how, uint64_t value)
{
	if (how == SHM_CPU) {
		hf_timeline_signal(ps->shm, value);
	} else if (how == VK_CPU) {
		VkSemaphoreSignalInfo si = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO,
					    .semaphore = ps->semaphore,
					    .value = value};
		vkSignalSemaphore(ps->vk->device, &si);
	} else {
		VkTimelineSemaphoreSubmitInfo ts = {
			.sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO,
			.signalSemaphoreValueCount = 1,
			.pSignalSemaphoreValues = &value};
		VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
				   .pNext = &ts,
				   .signalSemaphoreCount = 1,
				   .pSignalSemaphores = &ps->semaphore};
		vkQueueSubmit(ps->vk->queue, 1, &si, VK_NULL_HANDLE);
	}
}

/* Points base + 1 .. base + rounds, one at a time. */
static int measure(struct wl_event_loop *loop, struct hf_sync_timeline *st,
		   struct producer_side *ps, enum how how, const char *name, uint64_t base,
		   int rounds)
{
	struct hf_samples samples = {0};
	for (uint64_t i = base + 1; i <= base + (uint64_t)rounds; i++) {
		struct probe p = {0};
		hf_sync_wait_init(&p.wait);
		struct hf_sync_point point = {0};
		hf_sync_point_set(&point, st, i);
		if (!hf_sync_wait_arm(&p.wait, &point, probe_notify)) {
			fprintf(stderr, "handoff-bench-sync-wake: cannot arm a wait\n");
			return 1;
		}
		hf_sync_point_clear(&point);
		/* Let the waiter thread go to sleep on the timeline first. */
		hf_sleep_ns(200000);
		wl_event_loop_dispatch(loop, 0);
		int64_t t0 = hf_now_ns();
		signal_point(ps, how, i);
		while (!p.fired)
			wl_event_loop_dispatch(loop, 1000);
		hf_samples_add(&samples, p.fired_ns - t0);
	}
	struct hf_percentiles pc = hf_samples_percentiles(&samples);
	printf("| %s | %.1f us | %.1f us | %.1f us |\n", name, pc.p50 / 1e3, pc.p99 / 1e3,
	       pc.max / 1e3);
	hf_samples_finish(&samples);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		printf("Usage: handoff-bench-sync-wake\n\nSignal-to-callback latency through the "
		       "presenter's sync path (see the source's first comment), 500 rounds "
		       "each.\n");
		return strcmp(argv[1], "--help") && strcmp(argv[1], "-h") ? 2 : 0;
	}
	struct wl_event_loop *loop = wl_event_loop_create();
	char why[256];
	struct hf_renderer *r =
		hf_renderer_vulkan_create(loop, HF_RENDERER_VULKAN_ALLOW_CPU, why, sizeof(why));
	if (!r) {
		fprintf(stderr, "handoff-bench-sync-wake: %s\n", why);
		return 77;
	}
	struct hf_sync *sync = hf_sync_create(loop, r);
	struct producer_side ps = {.shm = hf_timeline_create()};
	struct hf_sync_timeline *shm_st =
		hf_sync_timeline_create(sync, hf_timeline_ref(ps.shm), NULL);
	printf("| signal | p50 | p99 | max |\n|---|---|---|---|\n");
	int rc = measure(loop, shm_st, &ps, SHM_CPU, "shm timeline, CPU signal", 0, 500);
	hf_sync_timeline_unref(shm_st);
	if (!r->vk_timelines) {
		fprintf(stderr,
			"handoff-bench-sync-wake: the device exports no timeline semaphores\n");
		goto out;
	}
	ps.vk = hf_vk_create(false, why, sizeof(why));
	VkExportSemaphoreCreateInfo export = {
		.sType = VK_STRUCTURE_TYPE_EXPORT_SEMAPHORE_CREATE_INFO,
		.handleTypes = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT};
	VkSemaphoreTypeCreateInfo type = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
					  .pNext = &export,
					  .semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE};
	VkSemaphoreCreateInfo sci = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO,
				     .pNext = &type};
	int fd = -1;
	VkSemaphoreGetFdInfoKHR gi = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_GET_FD_INFO_KHR,
				      .handleType =
					      VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT};
	if (!ps.vk || vkCreateSemaphore(ps.vk->device, &sci, NULL, &ps.semaphore) != VK_SUCCESS ||
	    (gi.semaphore = ps.semaphore, ps.vk->get_semaphore_fd(ps.vk->device, &gi, &fd)) !=
		    VK_SUCCESS) {
		fprintf(stderr, "handoff-bench-sync-wake: cannot export a timeline semaphore\n");
		rc = 1;
		goto out;
	}
	struct hf_gpu_timeline *tl = hf_gpu_timeline_import(r->timelines, fd, why, sizeof(why));
	struct hf_sync_timeline *vk_st = tl ? hf_sync_timeline_create_gpu(sync, tl, NULL) : NULL;
	if (!vk_st) {
		fprintf(stderr, "handoff-bench-sync-wake: %s\n", why);
		rc = 1;
		goto out;
	}
	rc = measure(loop, vk_st, &ps, VK_CPU, "Vulkan timeline, CPU signal", 0, 500);
	if (rc == 0)
		rc = measure(loop, vk_st, &ps, VK_GPU,
			     "Vulkan timeline, GPU signal (its submission included)", 500, 500);
	hf_sync_timeline_unref(vk_st);
out:
	if (ps.vk) {
		vkDeviceWaitIdle(ps.vk->device);
		if (ps.semaphore)
			vkDestroySemaphore(ps.vk->device, ps.semaphore, NULL);
		hf_vk_destroy(ps.vk);
	}
	hf_timeline_unref(ps.shm);
	hf_sync_destroy(sync);
	r->impl->destroy(r);
	wl_event_loop_destroy(loop);
	return rc;
}
