/* GPU timelines and the thread that waits on the watched ones (gpu_timeline.h). */
#include "gpu_timeline.h"

#include "log.h"
#include "time_util.h"
#include "vk.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

/* Semaphores in one vkWaitSemaphores: more crashed the H200's driver in a test (300). Watches
 * past this are taken in turn, the wait then bounded to a millisecond, and every watch is
 * looked at on every round, so one past the window waits a millisecond more at worst. */
#define WAIT_MAX 64

struct hf_gpu_timeline {
	VkSemaphore semaphore;
	uint64_t watch_point;      /* under the service's lock; 0: not watched */
	struct wl_list watch_link; /* hf_gpu_timelines::watches, while watched */
};

struct hf_gpu_timelines {
	struct hf_vk *vk;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t looped; /* the thread went round once more: loops rose */
	uint64_t loops;
	bool thread_running, stop;
	VkSemaphore wake; /* host-signaled to make the thread collect its watches again */
	uint64_t wake_value;
	struct wl_list watches; /* hf_gpu_timeline::watch_link, under lock */
	size_t n_watches;
	size_t turn; /* where the next wait's window starts, when watches exceed it */
	int event_fd;
	struct wl_event_source *event_source;
	struct wl_signal moved;
};

static void notify_loop(struct hf_gpu_timelines *s)
{
	uint64_t one = 1;
	while (write(s->event_fd, &one, sizeof(one)) < 0 && errno == EINTR) {
	}
}

static void wake_thread(struct hf_gpu_timelines *s)
{
	pthread_mutex_lock(&s->lock);
	uint64_t value = ++s->wake_value;
	pthread_mutex_unlock(&s->lock);
	VkSemaphoreSignalInfo si = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO,
				    .semaphore = s->wake,
				    .value = value};
	vkSignalSemaphore(s->vk->device, &si);
}

/* The thread's wait: the wake semaphore and every watch, in arrays only the thread uses. */
struct wait_arrays {
	VkSemaphore *sems;
	uint64_t *values;
	size_t capacity;
};

static bool arrays_fit(struct wait_arrays *a, size_t n)
{
	if (n <= a->capacity)
		return true;
	size_t capacity = a->capacity ? a->capacity : 64;
	while (capacity < n)
		capacity *= 2;
	VkSemaphore *sems = realloc(a->sems, capacity * sizeof(*sems));
	if (sems)
		a->sems = sems;
	uint64_t *values = sems ? realloc(a->values, capacity * sizeof(*values)) : NULL;
	if (values)
		a->values = values;
	if (!sems || !values)
		return false;
	a->capacity = capacity;
	return true;
}

static void *timeline_thread(void *data)
{
	struct hf_gpu_timelines *s = data;
	struct wait_arrays a = {0};
	if (!arrays_fit(&a, 1)) {
		hf_error("out of memory in the GPU timeline waiter");
		return NULL;
	}
	for (;;) {
		pthread_mutex_lock(&s->lock);
		if (s->stop) {
			pthread_mutex_unlock(&s->lock);
			break;
		}
		/* Out of memory: wait on those that fit, and look again within 100 ms. */
		arrays_fit(&a, WAIT_MAX);
		uint32_t n = 0;
		a.sems[n] = s->wake;
		a.values[n++] = s->wake_value + 1;
		bool fired = false, more = s->n_watches + 1 > WAIT_MAX;
		size_t index = 0, first = more ? s->turn % s->n_watches : 0;
		struct hf_gpu_timeline *tl, *tmp;
		wl_list_for_each_safe(tl, tmp, &s->watches, watch_link) {
			size_t at = index++;
			uint64_t now = 0;
			vkGetSemaphoreCounterValue(s->vk->device, tl->semaphore, &now);
			if (now >= tl->watch_point) {
				tl->watch_point = 0;
				wl_list_remove(&tl->watch_link);
				wl_list_init(&tl->watch_link);
				s->n_watches--;
				fired = true;
				continue;
			}
			/* The window: WAIT_MAX - 1 watches from first on, round the list. */
			size_t from_first = (at + s->n_watches - first) % s->n_watches;
			if (n < a.capacity && from_first < WAIT_MAX - 1) {
				a.sems[n] = tl->semaphore;
				a.values[n++] = tl->watch_point;
			}
		}
		if (more)
			s->turn += WAIT_MAX - 1;
		pthread_mutex_unlock(&s->lock);
		if (fired)
			notify_loop(s);
		VkSemaphoreWaitInfo wi = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO,
					  .flags = VK_SEMAPHORE_WAIT_ANY_BIT,
					  .semaphoreCount = n,
					  .pSemaphores = a.sems,
					  .pValues = a.values};
		/* A watched timeline is never destroyed while we sleep on it: forget() wakes us
		 * and destroy waits for the thread to go round. Bounded, so a lost device cannot
		 * hang us. */
		VkResult res =
			vkWaitSemaphores(s->vk->device, &wi, more ? 1000000ull : 100000000ull);
		if (res != VK_SUCCESS && res != VK_TIMEOUT) {
			hf_error("waiting on GPU timelines failed: %s", hf_vk_result_str(res));
			hf_sleep_ns(100 * 1000000LL);
		}
		pthread_mutex_lock(&s->lock);
		s->loops++;
		pthread_cond_broadcast(&s->looped);
		pthread_mutex_unlock(&s->lock);
	}
	free(a.sems);
	free(a.values);
	return NULL;
}

static int handle_event(int fd, uint32_t mask, void *data)
{
	struct hf_gpu_timelines *s = data;
	uint64_t count;
	while (read(s->event_fd, &count, sizeof(count)) < 0 && errno == EINTR) {
	}
	wl_signal_emit(&s->moved, s);
	return 0;
}

static VkSemaphore timeline_semaphore(struct hf_vk *vk)
{
	VkSemaphoreTypeCreateInfo type = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
					  .semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE};
	VkSemaphoreCreateInfo sci = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO,
				     .pNext = &type};
	VkSemaphore sem = VK_NULL_HANDLE;
	vkCreateSemaphore(vk->device, &sci, NULL, &sem);
	return sem;
}

struct hf_gpu_timelines *hf_gpu_timelines_create(struct wl_event_loop *loop, struct hf_vk *vk,
						 char *why, size_t why_size)
{
	struct hf_gpu_timelines *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(why, why_size, "out of memory");
		return NULL;
	}
	s->vk = vk;
	s->event_fd = -1;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->looped, NULL);
	wl_list_init(&s->watches);
	wl_signal_init(&s->moved);
	s->wake = timeline_semaphore(vk);
	s->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	s->event_source = s->event_fd >= 0
				  ? wl_event_loop_add_fd(loop, s->event_fd, WL_EVENT_READABLE,
							 handle_event, s)
				  : NULL;
	if (!s->wake || !s->event_source ||
	    pthread_create(&s->thread, NULL, timeline_thread, s) != 0) {
		snprintf(why, why_size, "cannot start the GPU timeline waiter");
		hf_gpu_timelines_destroy(s);
		return NULL;
	}
	s->thread_running = true;
	return s;
}

void hf_gpu_timelines_destroy(struct hf_gpu_timelines *s)
{
	if (!s)
		return;
	if (s->thread_running) {
		pthread_mutex_lock(&s->lock);
		s->stop = true;
		pthread_mutex_unlock(&s->lock);
		wake_thread(s);
		pthread_join(s->thread, NULL);
	}
	if (s->event_source)
		wl_event_source_remove(s->event_source);
	if (s->event_fd >= 0)
		close(s->event_fd);
	if (s->wake)
		vkDestroySemaphore(s->vk->device, s->wake, NULL);
	pthread_cond_destroy(&s->looped);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

struct wl_signal *hf_gpu_timelines_moved(struct hf_gpu_timelines *s)
{
	return &s->moved;
}

struct hf_gpu_timeline *hf_gpu_timeline_wrap(struct hf_gpu_timelines *s, VkSemaphore semaphore)
{
	struct hf_gpu_timeline *tl = calloc(1, sizeof(*tl));
	if (!tl)
		return NULL;
	tl->semaphore = semaphore;
	wl_list_init(&tl->watch_link);
	return tl;
}

struct hf_gpu_timeline *hf_gpu_timeline_import(struct hf_gpu_timelines *s, int fd, char *why,
					       size_t why_size)
{
	struct hf_vk *vk = s->vk;
	VkSemaphore sem = timeline_semaphore(vk);
	VkResult res = VK_ERROR_OUT_OF_HOST_MEMORY;
	if (sem && vk->import_semaphore_fd) {
		VkImportSemaphoreFdInfoKHR import = {
			.sType = VK_STRUCTURE_TYPE_IMPORT_SEMAPHORE_FD_INFO_KHR,
			.semaphore = sem,
			.handleType = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT,
			.fd = fd};
		res = vk->import_semaphore_fd(vk->device, &import);
		if (res == VK_SUCCESS) {
			/* The import took the fd. */
			struct hf_gpu_timeline *tl = hf_gpu_timeline_wrap(s, sem);
			if (tl)
				return tl;
			vkDestroySemaphore(vk->device, sem, NULL);
			snprintf(why, why_size, "out of memory");
			return NULL;
		}
	}
	if (sem)
		vkDestroySemaphore(vk->device, sem, NULL);
	snprintf(why, why_size, "the driver refused the timeline semaphore: %s",
		 hf_vk_result_str(res));
	close(fd);
	return NULL;
}

VkSemaphore hf_gpu_timeline_semaphore(const struct hf_gpu_timeline *tl)
{
	return tl->semaphore;
}

void hf_gpu_timeline_forget(struct hf_gpu_timelines *s, struct hf_gpu_timeline *tl)
{
	pthread_mutex_lock(&s->lock);
	if (tl->watch_point) {
		wl_list_remove(&tl->watch_link);
		wl_list_init(&tl->watch_link);
		s->n_watches--;
	}
	tl->watch_point = 0;
	pthread_mutex_unlock(&s->lock);
	wake_thread(s);
}

/* The thread may still be in a wait that names the semaphore: wake it until it has gone
 * round. */
static void wait_thread_round(struct hf_gpu_timelines *s)
{
	pthread_mutex_lock(&s->lock);
	uint64_t seen = s->loops;
	while (s->thread_running && s->loops == seen) {
		pthread_mutex_unlock(&s->lock);
		wake_thread(s);
		pthread_mutex_lock(&s->lock);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 1000000;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->looped, &s->lock, &ts);
	}
	pthread_mutex_unlock(&s->lock);
}

void hf_gpu_timeline_destroy(struct hf_gpu_timelines *s, struct hf_gpu_timeline *tl)
{
	if (!tl)
		return;
	hf_gpu_timeline_forget(s, tl);
	wait_thread_round(s);
	vkDestroySemaphore(s->vk->device, tl->semaphore, NULL);
	free(tl);
}

uint64_t hf_gpu_timeline_query(struct hf_gpu_timelines *s, struct hf_gpu_timeline *tl)
{
	uint64_t value = 0;
	vkGetSemaphoreCounterValue(s->vk->device, tl->semaphore, &value);
	return value;
}

void hf_gpu_timeline_signal(struct hf_gpu_timelines *s, struct hf_gpu_timeline *tl, uint64_t value)
{
	if (hf_gpu_timeline_query(s, tl) >= value)
		return; /* a timeline semaphore only rises */
	VkSemaphoreSignalInfo si = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO,
				    .semaphore = tl->semaphore,
				    .value = value};
	VkResult res = vkSignalSemaphore(s->vk->device, &si);
	if (res != VK_SUCCESS)
		hf_error("cannot signal a GPU timeline: %s", hf_vk_result_str(res));
}

bool hf_gpu_timeline_watch(struct hf_gpu_timelines *s, struct hf_gpu_timeline *tl, uint64_t point)
{
	pthread_mutex_lock(&s->lock);
	if (tl->watch_point == 0) {
		wl_list_insert(s->watches.prev, &tl->watch_link);
		s->n_watches++;
		tl->watch_point = point;
	} else if (point < tl->watch_point) {
		tl->watch_point = point;
	}
	pthread_mutex_unlock(&s->lock);
	wake_thread(s);
	return true;
}
