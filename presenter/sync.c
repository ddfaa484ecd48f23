/* Timelines, points and waits, and the waiter thread that tells the event loop about them. */
#include "sync.h"

#include "client.h"
#include "gpu_timeline.h"
#include "log.h"
#include "renderer.h"
#include "timeline.h"
#include "waiter.h"

#include <stdlib.h>

struct hf_sync {
	struct hf_waiter *waiter;
	struct wl_event_source *source;
	struct hf_gpu_timelines *gpu; /* the renderer's; NULL: no GPU timelines */
	struct wl_listener gpu_moved;
	struct wl_list timelines; /* hf_sync_timeline::link: those with armed waits */
};

static uint64_t timeline_query(const struct hf_sync_timeline *st)
{
	if (st->gpu)
		return hf_gpu_timeline_query(st->sync->gpu, st->gpu);
	return hf_timeline_query(st->timeline);
}

static bool timeline_watch(struct hf_sync_timeline *st, uint64_t point)
{
	if (st->gpu)
		return hf_gpu_timeline_watch(st->sync->gpu, st->gpu, point);
	return hf_waiter_watch(st->sync->waiter, st->timeline, point);
}

static void timeline_forget(struct hf_sync_timeline *st)
{
	if (st->gpu)
		hf_gpu_timeline_forget(st->sync->gpu, st->gpu);
	else
		hf_waiter_forget(st->sync->waiter, st->timeline);
}

/* Watches the lowest point still waited for on st, or forgets st when none is. */
static void sync_rewatch(struct hf_sync_timeline *st)
{
	if (wl_list_empty(&st->waits)) {
		timeline_forget(st);
		wl_list_remove(&st->link);
		wl_list_init(&st->link);
		return;
	}
	uint64_t lowest = UINT64_MAX;
	struct hf_sync_wait *wait;
	wl_list_for_each(wait, &st->waits, link)
		if (wait->point.point < lowest)
			lowest = wait->point.point;
	if (!timeline_watch(st, lowest))
		hf_error("cannot watch a timeline: out of memory");
}

/* Some timeline moved: every wait whose point is reached is told. */
static void sync_dispatch(struct hf_sync *sync)
{
	/* Collect first: a notify may cancel other waits or drop timelines. */
	struct wl_list fired;
	wl_list_init(&fired);
	struct hf_sync_timeline *st, *st_tmp;
	wl_list_for_each_safe(st, st_tmp, &sync->timelines, link) {
		hf_sync_timeline_ref(st);
		struct hf_sync_wait *wait, *tmp;
		wl_list_for_each_safe(wait, tmp, &st->waits, link) {
			if (hf_sync_point_is_signaled(&wait->point)) {
				wl_list_remove(&wait->link);
				wl_list_insert(fired.prev, &wait->link);
			}
		}
		sync_rewatch(st);
		hf_sync_timeline_unref(st);
	}
	while (!wl_list_empty(&fired)) {
		struct hf_sync_wait *wait = wl_container_of(fired.next, wait, link);
		wl_list_remove(&wait->link);
		wl_list_init(&wait->link);
		hf_sync_point_clear(&wait->point);
		wait->notify(wait);
	}
}

static int sync_handle_waiter(int fd, uint32_t mask, void *data)
{
	struct hf_sync *sync = data;
	hf_waiter_drain(sync->waiter);
	sync_dispatch(sync);
	return 0;
}

static void sync_handle_gpu_moved(struct wl_listener *listener, void *data)
{
	struct hf_sync *sync = wl_container_of(listener, sync, gpu_moved);
	sync_dispatch(sync);
}

struct hf_sync *hf_sync_create(struct wl_event_loop *loop, struct hf_renderer *renderer)
{
	struct hf_sync *sync = calloc(1, sizeof(*sync));
	if (!sync)
		return NULL;
	wl_list_init(&sync->timelines);
	sync->gpu = renderer->timelines;
	sync->gpu_moved.notify = sync_handle_gpu_moved;
	if (sync->gpu)
		wl_signal_add(hf_gpu_timelines_moved(sync->gpu), &sync->gpu_moved);
	else
		wl_list_init(&sync->gpu_moved.link);
	sync->waiter = hf_waiter_create();
	if (!sync->waiter) {
		hf_log_errno(HF_LOG_ERROR, "cannot start the timeline waiter");
		free(sync);
		return NULL;
	}
	sync->source = wl_event_loop_add_fd(loop, hf_waiter_get_fd(sync->waiter), WL_EVENT_READABLE,
					    sync_handle_waiter, sync);
	if (!sync->source) {
		hf_sync_destroy(sync);
		return NULL;
	}
	return sync;
}

void hf_sync_destroy(struct hf_sync *sync)
{
	if (!sync)
		return;
	if (sync->source)
		wl_event_source_remove(sync->source);
	wl_list_remove(&sync->gpu_moved.link);
	hf_waiter_destroy(sync->waiter);
	free(sync);
}

struct hf_sync_timeline *hf_sync_timeline_create(struct hf_sync *sync, struct hf_timeline *tl,
						 struct hf_client *client)
{
	struct hf_sync_timeline *st = calloc(1, sizeof(*st));
	if (!st)
		return NULL;
	st->refs = 1;
	st->sync = sync;
	st->timeline = tl;
	wl_list_init(&st->waits);
	wl_list_init(&st->link);
	if (client) {
		st->client = hf_client_ref(client);
		client->timelines++;
		hf_totals.timelines++;
	}
	return st;
}

struct hf_sync_timeline *hf_sync_timeline_create_gpu(struct hf_sync *sync,
						     struct hf_gpu_timeline *gpu,
						     struct hf_client *client)
{
	struct hf_sync_timeline *st = hf_sync_timeline_create(sync, NULL, client);
	if (st)
		st->gpu = gpu;
	return st;
}

struct hf_sync_timeline *hf_sync_timeline_ref(struct hf_sync_timeline *st)
{
	st->refs++;
	return st;
}

void hf_sync_timeline_unref(struct hf_sync_timeline *st)
{
	if (!st || --st->refs > 0)
		return;
	/* Every wait holds a reference: none is armed now, so the waiter has forgotten it. */
	if (st->client) {
		st->client->timelines--;
		hf_totals.timelines--;
		hf_client_unref(st->client);
	}
	if (st->gpu)
		hf_gpu_timeline_destroy(st->sync->gpu, st->gpu);
	hf_timeline_unref(st->timeline);
	free(st);
}

void hf_sync_point_set(struct hf_sync_point *p, struct hf_sync_timeline *st, uint64_t point)
{
	struct hf_sync_timeline *old = p->timeline;
	p->timeline = st ? hf_sync_timeline_ref(st) : NULL;
	p->point = point;
	hf_sync_timeline_unref(old);
}

void hf_sync_point_clear(struct hf_sync_point *p)
{
	hf_sync_point_set(p, NULL, 0);
}

void hf_sync_point_move(struct hf_sync_point *dst, struct hf_sync_point *src)
{
	hf_sync_point_clear(dst);
	*dst = *src;
	*src = (struct hf_sync_point){0};
}

bool hf_sync_point_is_signaled(const struct hf_sync_point *p)
{
	return !p->timeline || timeline_query(p->timeline) >= p->point;
}

void hf_sync_point_signal(const struct hf_sync_point *p)
{
	struct hf_sync_timeline *st = p->timeline;
	if (st && st->gpu)
		hf_gpu_timeline_signal(st->sync->gpu, st->gpu, p->point);
	else if (st)
		hf_timeline_signal(st->timeline, p->point);
}

void hf_sync_wait_init(struct hf_sync_wait *wait)
{
	*wait = (struct hf_sync_wait){0};
	wl_list_init(&wait->link);
}

bool hf_sync_wait_arm(struct hf_sync_wait *wait, const struct hf_sync_point *point,
		      hf_sync_notify_func notify)
{
	struct hf_sync_timeline *st = point->timeline;
	hf_sync_wait_cancel(wait);
	if (!timeline_watch(st, point->point))
		return false;
	hf_sync_point_set(&wait->point, st, point->point);
	wait->notify = notify;
	if (wl_list_empty(&st->waits)) {
		wl_list_remove(&st->link);
		wl_list_insert(&st->sync->timelines, &st->link);
	}
	wl_list_insert(&st->waits, &wait->link);
	return true;
}

void hf_sync_wait_cancel(struct hf_sync_wait *wait)
{
	if (wl_list_empty(&wait->link))
		return;
	struct hf_sync_timeline *st = wait->point.timeline;
	wl_list_remove(&wait->link);
	wl_list_init(&wait->link);
	hf_sync_timeline_ref(st);
	hf_sync_point_clear(&wait->point);
	if (wl_list_empty(&st->waits))
		sync_rewatch(st);
	hf_sync_timeline_unref(st);
}
