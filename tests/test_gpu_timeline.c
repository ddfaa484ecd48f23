/*
 * The GPU timeline service on whatever Vulkan device there is (lavapipe in CI; skips when
 * none), with timeline semaphores of the device itself standing for clients' imported ones:
 * watches are per timeline, not a shared pool, so 300 timelines of several clients are all
 * watched at once (the service once refused the 65th, and the next client to commit got
 * no_memory), each one's watch fires once it is signaled, and a forgotten or destroyed one
 * never fires.
 */
#include "harness.h"
#include "gpu_timeline.h"
#include "time_util.h"
#include "vk.h"

#include <string.h>

#define N 300

static int moved;
static void handle_moved(struct wl_listener *listener, void *data)
{
	moved++;
}

static VkSemaphore semaphore(struct hf_vk *vk)
{
	VkSemaphoreTypeCreateInfo type = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
					  .semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE};
	VkSemaphoreCreateInfo sci = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO,
				     .pNext = &type};
	VkSemaphore s = VK_NULL_HANDLE;
	CHECK(vkCreateSemaphore(vk->device, &sci, NULL, &s) == VK_SUCCESS);
	return s;
}

/* Runs the loop until moved rises past seen, or a second passes. */
static void run_until_moved(struct wl_event_loop *loop, int seen)
{
	int64_t until = hf_now_ns() + HF_NSEC_PER_SEC;
	while (moved <= seen && hf_now_ns() < until)
		wl_event_loop_dispatch(loop, 10);
}

static void dispatch_for(struct wl_event_loop *loop, int ms)
{
	int64_t until = hf_now_ns() + ms * 1000000LL;
	while (hf_now_ns() < until)
		wl_event_loop_dispatch(loop, 10);
}

static void test_every_timeline_is_watched_and_fires(void)
{
	char why[256];
	struct hf_vk *vk = hf_vk_create(false, why, sizeof(why));
	if (!vk)
		hf_test_skip(why);
	struct wl_event_loop *loop = wl_event_loop_create();
	struct hf_gpu_timelines *s = hf_gpu_timelines_create(loop, vk, why, sizeof(why));
	CHECK_MSG(s, "%s", why);
	struct wl_listener listener = {.notify = handle_moved};
	wl_signal_add(hf_gpu_timelines_moved(s), &listener);
	static struct hf_gpu_timeline *tl[N];
	for (int i = 0; i < N; i++) {
		CHECK((tl[i] = hf_gpu_timeline_wrap(s, semaphore(vk))));
		CHECK_MSG(hf_gpu_timeline_watch(s, tl[i], 1), "the watch of timeline %d refused",
			  i);
	}
	/* Forgotten and destroyed timelines are not waited on any more. */
	hf_gpu_timeline_forget(s, tl[0]);
	hf_gpu_timeline_destroy(s, tl[1]);
	tl[1] = NULL;
	/* Signaled one by one from the last: each fires, the others still wait. */
	for (int i = N - 1; i >= N - 5; i--) {
		int seen = moved;
		hf_gpu_timeline_signal(s, tl[i], 1);
		run_until_moved(loop, seen);
		CHECK_MSG(moved > seen, "timeline %d signaled, no event", i);
		CHECK(hf_gpu_timeline_query(s, tl[i]) == 1);
	}
	/* All the rest at once. */
	for (int i = 2; i < N - 5; i++)
		hf_gpu_timeline_signal(s, tl[i], 1);
	int seen = moved;
	run_until_moved(loop, seen);
	CHECK(moved > seen);
	/* Watched again at a point reached already: it fires at once. */
	seen = moved;
	CHECK(hf_gpu_timeline_watch(s, tl[7], 1));
	run_until_moved(loop, seen);
	CHECK(moved > seen);
	/* The forgotten one fires no more: once the events of the others are in (they may come
	 * in several rounds), signaled now, nothing comes. */
	dispatch_for(loop, 300);
	seen = moved;
	hf_gpu_timeline_signal(s, tl[0], 1);
	dispatch_for(loop, 200);
	CHECK(moved == seen);
	for (int i = 0; i < N; i++)
		hf_gpu_timeline_destroy(s, tl[i]);
	wl_list_remove(&listener.link);
	hf_gpu_timelines_destroy(s);
	wl_event_loop_destroy(loop);
	hf_vk_destroy(vk);
}

/* The NVIDIA driver keeps descriptors open once an instance was made: open them first. */
static void open_driver(void)
{
	char why[256];
	hf_vk_destroy(hf_vk_create(false, why, sizeof(why)));
}

HF_TESTS(T_SETUP(test_every_timeline_is_watched_and_fires, open_driver))
