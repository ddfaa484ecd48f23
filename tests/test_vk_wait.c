/*
 * The Vulkan renderer's completion wait on whatever Vulkan device there is (lavapipe in CI;
 * skips when none), its timeline signaled from the host standing for a submission: a wait
 * returns once the value is reached, in every mode; a value never reached times out, no sooner
 * than the timeout; and time spent stopped (SIGSTOP) does not count against the timeout: a
 * presenter stopped for longer than it, then continued, once failed its composition with "timed
 * out" although the device had long finished.
 */
#include "harness.h"
#include "renderer.h"
#include "time_util.h"
#include "vk.h"
#include "vk_result.h"
#include "vk_wait.h"

#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/* The driver's descriptors, opened once for the process's life (NVIDIA's), are not leaks. */
static void open_driver(void)
{
	char why[256];
	hf_vk_destroy(hf_vk_create(false, why, sizeof(why)));
}

static struct hf_vk *device_or_skip(void)
{
	char why[256];
	struct hf_vk *vk = hf_vk_create(false, why, sizeof(why));
	if (!vk)
		hf_test_skip(why);
	return vk;
}

struct signaler {
	struct hf_vk_waiter *w;
	uint64_t value;
	int64_t at_ns; /* on the monotonic clock */
	int after_fd;  /* if >= 0: at_ns counts from when a byte can be read from it */
};

static void *signal_later(void *data)
{
	struct signaler *s = data;
	if (s->after_fd >= 0) {
		char c;
		CHECK(read(s->after_fd, &c, 1) == 1);
		s->at_ns += hf_now_ns();
	}
	int64_t left = s->at_ns - hf_now_ns();
	if (left > 0)
		hf_sleep_ns(left);
	VkSemaphoreSignalInfo si = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO,
				    .semaphore = s->w->done,
				    .value = s->value};
	CHECK(vkSignalSemaphore(s->w->vk->device, &si) == VK_SUCCESS);
	return NULL;
}

static void test_wait_returns_when_signaled_in_every_mode(void)
{
	struct hf_vk *vk = device_or_skip();
	const unsigned modes[] = {0, HF_RENDERER_VULKAN_WAIT_SLEEP, HF_RENDERER_VULKAN_WAIT_POLL};
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		struct hf_vk_waiter w;
		CHECK(hf_vk_waiter_init(&w, vk, modes[m]));
		for (uint64_t v = 1; v <= 20; v++) {
			int64_t now = hf_now_ns();
			struct signaler s = {&w, v, now + (int64_t)(v % 4) * 500000, -1};
			pthread_t t;
			CHECK(pthread_create(&t, NULL, signal_later, &s) == 0);
			VkResult res = hf_vk_waiter_wait(&w, v, now);
			CHECK(pthread_join(t, NULL) == 0);
			CHECK_MSG(res == VK_SUCCESS, "mode %u, value %llu: %s", modes[m],
				  (unsigned long long)v, hf_vk_result_str(res));
		}
		hf_vk_waiter_finish(&w);
	}
	hf_vk_destroy(vk);
}

static void test_wait_for_a_value_never_reached_times_out(void)
{
	struct hf_vk *vk = device_or_skip();
	struct hf_vk_waiter w;
	CHECK(hf_vk_waiter_init(&w, vk, HF_RENDERER_VULKAN_WAIT_SLEEP));
	w.timeout_ns = HF_NSEC_PER_SEC / 2;
	int64_t t0 = hf_now_ns();
	VkResult res = hf_vk_waiter_wait(&w, 1, t0);
	int64_t took = hf_now_ns() - t0;
	CHECK_MSG(res == VK_TIMEOUT, "%s", hf_vk_result_str(res));
	CHECK_MSG(took >= w.timeout_ns, "timed out after %lld ns of %lld", (long long)took,
		  (long long)w.timeout_ns);
	hf_vk_waiter_finish(&w);
	hf_vk_destroy(vk);
}

/* A child stops this process for 2.5 s while it waits (timeout 1 s) for a value that its own
 * thread signals 0.2 s after the process is continued (as a device that was stopped mid-work
 * finishes it): the wait must go on and see the value, not time out at once. */
static void stopped_longer_than_the_timeout(unsigned mode)
{
	struct hf_vk *vk = device_or_skip();
	struct hf_vk_waiter w;
	CHECK(hf_vk_waiter_init(&w, vk, mode));
	w.timeout_ns = HF_NSEC_PER_SEC;
	int go[2], continued[2];
	CHECK(pipe(go) == 0 && pipe(continued) == 0);
	pid_t parent = getpid();
	pid_t stopper = fork();
	CHECK(stopper >= 0);
	if (stopper == 0) {
		char c;
		close(go[1]);
		close(continued[0]);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		hf_sleep_ns(50 * 1000000LL);
		kill(parent, SIGSTOP);
		hf_sleep_ns(2500 * 1000000LL);
		kill(parent, SIGCONT);
		_exit(write(continued[1], "c", 1) == 1 ? 0 : 3);
	}
	close(go[0]);
	close(continued[1]);
	int64_t t0 = hf_now_ns();
	struct signaler s = {&w, 1, 200 * 1000000LL, continued[0]};
	pthread_t t;
	CHECK(pthread_create(&t, NULL, signal_later, &s) == 0);
	CHECK(write(go[1], "g", 1) == 1);
	close(go[1]);
	VkResult res = hf_vk_waiter_wait(&w, 1, t0);
	int64_t took = hf_now_ns() - t0;
	CHECK(pthread_join(t, NULL) == 0);
	int status = 0;
	CHECK(waitpid(stopper, &status, 0) == stopper);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(continued[0]);
	/* Proves that the stop fell inside the wait. */
	CHECK_MSG(took > 2 * HF_NSEC_PER_SEC, "the wait took %lld ns: the stop missed it",
		  (long long)took);
	CHECK_MSG(res == VK_SUCCESS, "mode %u, after a stop of 2.5 s: %s", mode,
		  hf_vk_result_str(res));
	hf_vk_waiter_finish(&w);
	hf_vk_destroy(vk);
}

static void test_time_stopped_does_not_count_sleeping(void)
{
	stopped_longer_than_the_timeout(HF_RENDERER_VULKAN_WAIT_SLEEP);
}

static void test_time_stopped_does_not_count_polling(void)
{
	stopped_longer_than_the_timeout(HF_RENDERER_VULKAN_WAIT_POLL);
}

HF_TESTS(T_SETUP(test_wait_returns_when_signaled_in_every_mode, open_driver),
	 T_SETUP(test_wait_for_a_value_never_reached_times_out, open_driver),
	 T_SETUP(test_time_stopped_does_not_count_sleeping, open_driver),
	 T_SETUP(test_time_stopped_does_not_count_polling, open_driver))
