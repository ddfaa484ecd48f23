#define _GNU_SOURCE
#include "waiter.h"

#include "futex.h"
#include "log.h"
#include "time_util.h"
#include "timeline.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif

/* One slot of futex_waitv holds the control word; the kernel takes at most 128. */
#define WAITV_MAX        128
#define POLL_FALLBACK_NS 1000000
/*
 * A peer can bump a timeline's futex word without raising its value, as often as it likes.
 * Each such wake-up costs this thread a system call or two, so a timeline that wakes it more
 * than SPURIOUS_BURST times within SPURIOUS_WINDOW_NS without reaching its point is left out
 * of the futex wait for PENALTY_NS and checked by polling instead: a spinning peer then costs
 * at most a few hundred wake-ups a second, and delays only its own points.
 */
#define SPURIOUS_BURST     32
#define SPURIOUS_WINDOW_NS 10000000
#define PENALTY_NS         10000000

struct watch {
	struct hf_timeline *tl; /* not a reference: the owner forgets before it lets go */
	uint64_t point;
	int spurious;             /* wake-ups within the current window */
	int64_t window_start_ns;  /* of the spurious count */
	int64_t penalty_until_ns; /* 0: in the futex wait */
};

struct hf_waiter {
	pthread_t thread;
	pthread_mutex_t lock;
	int event_fd;
	_Atomic uint32_t control; /* bumped whenever watches change, to wake the thread */
	bool stop;                /* under lock */
	struct watch *watches;    /* under lock */
	int n_watches, cap_watches;
	/* Referenced by the thread while it sleeps, so forget() never unmaps under it; slot i
	 * of the wait list is sleeping[i - 1]. */
	struct hf_timeline *sleeping[WAITV_MAX];
	int n_sleeping;
};

static void waiter_kick(struct hf_waiter *w)
{
	atomic_fetch_add(&w->control, 1);
	hf_futex_wake_all((uint32_t *)&w->control, false);
}

static void waiter_notify(struct hf_waiter *w)
{
	uint64_t one = 1;
	while (write(w->event_fd, &one, sizeof(one)) < 0 && errno == EINTR) {
	}
}

static struct watch *waiter_find(struct hf_waiter *w, const struct hf_timeline *tl)
{
	for (int i = 0; i < w->n_watches; i++)
		if (w->watches[i].tl == tl)
			return &w->watches[i];
	return NULL;
}

/* Under lock: a wake-up on tl that did not reach its point. */
static void waiter_charge_spurious(struct hf_waiter *w, const struct hf_timeline *tl, int64_t now)
{
	struct watch *watch = waiter_find(w, tl);
	if (!watch)
		return;
	if (now - watch->window_start_ns > SPURIOUS_WINDOW_NS) {
		watch->window_start_ns = now;
		watch->spurious = 0;
	}
	if (++watch->spurious > SPURIOUS_BURST)
		watch->penalty_until_ns = now + PENALTY_NS;
}

/* Under lock: drops fired watches, fills the wait list. Returns whether any fired; *poll_ns is
 * how long the wait may last before a watch left out of it must be checked (-1: forever). */
static bool waiter_collect(struct hf_waiter *w, struct futex_waitv *waitv, int *n_waitv,
			   int64_t now, int64_t *poll_ns)
{
	bool fired = false;
	*n_waitv = 1;
	*poll_ns = -1;
	for (int i = 0; i < w->n_watches;) {
		struct watch *watch = &w->watches[i];
		uint32_t seq = hf_timeline_seq(watch->tl);
		if (hf_timeline_is_signaled(watch->tl, watch->point)) {
			fired = true;
			w->watches[i] = w->watches[--w->n_watches];
			continue;
		}
		int64_t penalty = watch->penalty_until_ns - now;
		if (penalty > 0 || *n_waitv == WAITV_MAX) {
			int64_t wait = penalty > 0 ? penalty : POLL_FALLBACK_NS;
			if (*poll_ns < 0 || wait < *poll_ns)
				*poll_ns = wait;
		} else {
			watch->penalty_until_ns = 0;
			waitv[*n_waitv] = (struct futex_waitv){
				.val = seq,
				.uaddr = (uintptr_t)hf_timeline_futex_word(watch->tl),
				.flags = FUTEX_32,
			};
			w->sleeping[w->n_sleeping++] = hf_timeline_ref(watch->tl);
			(*n_waitv)++;
		}
		i++;
	}
	return fired;
}

static void *waiter_thread(void *data)
{
	struct hf_waiter *w = data;
	struct futex_waitv waitv[WAITV_MAX];
	bool have_waitv = true;
	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		uint32_t control = atomic_load(&w->control);
		int n_waitv;
		int64_t poll_ns;
		if (waiter_collect(w, waitv, &n_waitv, hf_now_ns(), &poll_ns))
			waiter_notify(w);
		bool idle = w->n_watches == 0;
		pthread_mutex_unlock(&w->lock);

		waitv[0] = (struct futex_waitv){
			.val = control,
			.uaddr = (uintptr_t)&w->control,
			.flags = FUTEX_32 | FUTEX_PRIVATE_FLAG,
		};
		if (have_waitv) {
			struct timespec abs = hf_ns_to_timespec(hf_now_ns() + poll_ns);
			long woken = syscall(SYS_futex_waitv, waitv, n_waitv, 0,
					     poll_ns >= 0 ? &abs : NULL, CLOCK_MONOTONIC);
			if (woken < 0 && errno == ENOSYS) {
				hf_log(HF_LOG_INFO, "futex_waitv unavailable, polling timelines");
				have_waitv = false;
			}
		}
		if (!have_waitv) {
			/* Kernels before 5.16: poll each millisecond, and only while watching. */
			struct timespec rel = {0, POLL_FALLBACK_NS};
			hf_futex_wait((uint32_t *)&w->control, control, idle ? NULL : &rel, false);
		}

		pthread_mutex_lock(&w->lock);
		/* Woken, or not even put to sleep (EAGAIN: a word had moved already): a timeline
		 * whose word moved without reaching its point is charged for it. */
		int64_t now = hf_now_ns();
		for (int i = 0; i < w->n_sleeping; i++) {
			struct hf_timeline *tl = w->sleeping[i];
			if (hf_timeline_seq(tl) == waitv[i + 1].val)
				continue;
			struct watch *watch = waiter_find(w, tl);
			if (watch && !hf_timeline_is_signaled(tl, watch->point))
				waiter_charge_spurious(w, tl, now);
		}
		for (int i = 0; i < w->n_sleeping; i++)
			hf_timeline_unref(w->sleeping[i]);
		w->n_sleeping = 0;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct hf_waiter *hf_waiter_create(void)
{
	struct hf_waiter *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->event_fd < 0)
		goto err_free;
	if (pthread_mutex_init(&w->lock, NULL) != 0)
		goto err_fd;
	int r = pthread_create(&w->thread, NULL, waiter_thread, w);
	if (r != 0) {
		errno = r;
		goto err_mutex;
	}
	return w;
err_mutex:
	pthread_mutex_destroy(&w->lock);
err_fd:
	close(w->event_fd);
err_free:
	free(w);
	return NULL;
}

void hf_waiter_destroy(struct hf_waiter *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_mutex_unlock(&w->lock);
	waiter_kick(w);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	close(w->event_fd);
	free(w->watches);
	free(w);
}

int hf_waiter_get_fd(const struct hf_waiter *w)
{
	return w->event_fd;
}

void hf_waiter_drain(struct hf_waiter *w)
{
	uint64_t count;
	while (read(w->event_fd, &count, sizeof(count)) < 0 && errno == EINTR) {
	}
}

bool hf_waiter_watch(struct hf_waiter *w, struct hf_timeline *tl, uint64_t point)
{
	pthread_mutex_lock(&w->lock);
	for (int i = 0; i < w->n_watches; i++) {
		if (w->watches[i].tl == tl) {
			if (point < w->watches[i].point) {
				w->watches[i].point = point;
				goto kick;
			}
			pthread_mutex_unlock(&w->lock);
			return true;
		}
	}
	if (w->n_watches == w->cap_watches) {
		int cap = w->cap_watches ? w->cap_watches * 2 : 16;
		struct watch *watches = realloc(w->watches, sizeof(*watches) * cap);
		if (!watches) {
			pthread_mutex_unlock(&w->lock);
			return false;
		}
		w->watches = watches;
		w->cap_watches = cap;
	}
	w->watches[w->n_watches++] = (struct watch){.tl = tl, .point = point};
kick:
	pthread_mutex_unlock(&w->lock);
	waiter_kick(w);
	return true;
}

void hf_waiter_forget(struct hf_waiter *w, struct hf_timeline *tl)
{
	bool found = false;
	pthread_mutex_lock(&w->lock);
	for (int i = 0; i < w->n_watches; i++) {
		if (w->watches[i].tl == tl) {
			w->watches[i] = w->watches[--w->n_watches];
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&w->lock);
	if (found)
		waiter_kick(w);
}
