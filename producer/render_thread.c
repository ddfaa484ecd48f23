#include "render_thread.h"

#include "time_util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#define QUEUE_SIZE 32

struct hp_render_thread {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct hp_render_target queue[QUEUE_SIZE]; /* under lock: a ring */
	int head, count;
	bool busy, stop;
	_Atomic bool failed;
	struct hp_renderer *renderer;
	enum hp_pattern pattern;
	int max_delay_us;
	unsigned rand_state; /* the thread's own */
};

static int64_t random_delay_ns(struct hp_render_thread *t)
{
	if (t->max_delay_us <= 0)
		return 0;
	t->rand_state = t->rand_state * 1103515245u + 12345u;
	return (int64_t)((t->rand_state >> 8) % (unsigned)(t->max_delay_us + 1)) * 1000;
}

static void *render_main(void *data)
{
	struct hp_render_thread *t = data;
	pthread_mutex_lock(&t->lock);
	for (;;) {
		while (t->count == 0 && !t->stop)
			pthread_cond_wait(&t->changed, &t->lock);
		if (t->count == 0)
			break;
		struct hp_render_target target = t->queue[t->head];
		t->head = (t->head + 1) % QUEUE_SIZE;
		t->count--;
		t->busy = true;
		pthread_cond_broadcast(&t->changed);
		pthread_mutex_unlock(&t->lock);

		/* A delay in the middle, where a reader that does not wait sees half a frame. With
		 * Vulkan the halves are two submissions, and the GPU signals after the second. */
		struct hp_renderer *r = t->renderer;
		int32_t half = target.frame.height / 2;
		if (!atomic_load(&t->failed)) {
			bool ok = r->impl->draw(r, &target, t->pattern, 0, half);
			hf_sleep_ns(random_delay_ns(t));
			ok = ok && r->impl->draw(r, &target, t->pattern, half, target.frame.height);
			if (ok)
				hp_frame_signal(&target.frame);
			else
				atomic_store(&t->failed, true);
		}

		pthread_mutex_lock(&t->lock);
		t->busy = false;
		pthread_cond_broadcast(&t->changed);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

struct hp_render_thread *hp_render_thread_create(struct hp_renderer *renderer,
						 enum hp_pattern pattern, int max_delay_us,
						 unsigned seed)
{
	struct hp_render_thread *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->renderer = renderer;
	t->pattern = pattern;
	t->max_delay_us = max_delay_us;
	t->rand_state = seed;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->changed, NULL);
	if (pthread_create(&t->thread, NULL, render_main, t) != 0) {
		pthread_cond_destroy(&t->changed);
		pthread_mutex_destroy(&t->lock);
		free(t);
		return NULL;
	}
	return t;
}

void hp_render_thread_destroy(struct hp_render_thread *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->stop = true;
	pthread_cond_broadcast(&t->changed);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->changed);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

void hp_render_thread_push(struct hp_render_thread *t, const struct hp_render_target *target)
{
	pthread_mutex_lock(&t->lock);
	while (t->count == QUEUE_SIZE)
		pthread_cond_wait(&t->changed, &t->lock);
	t->queue[(t->head + t->count) % QUEUE_SIZE] = *target;
	t->count++;
	pthread_cond_broadcast(&t->changed);
	pthread_mutex_unlock(&t->lock);
}

void hp_render_thread_drain(struct hp_render_thread *t)
{
	pthread_mutex_lock(&t->lock);
	while (t->count > 0 || t->busy)
		pthread_cond_wait(&t->changed, &t->lock);
	pthread_mutex_unlock(&t->lock);
}

bool hp_render_thread_failed(struct hp_render_thread *t)
{
	return atomic_load(&t->failed);
}
