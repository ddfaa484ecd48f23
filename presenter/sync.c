/* Timelines and points as the presenter holds them. */
#include "server.h"

#include "log.h"
#include "timeline.h"
#include "waiter.h"

#include <stdlib.h>

struct hf_sync_timeline *hf_sync_timeline_create(struct hf_server *server,
						 struct hf_timeline *timeline)
{
	struct hf_sync_timeline *st = calloc(1, sizeof(*st));
	if (!st)
		return NULL;
	st->refs = 1;
	st->server = server;
	st->timeline = timeline;
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
	if (st->watched)
		hf_waiter_forget(st->server->waiter, st->timeline);
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

bool hf_sync_point_is_signaled(const struct hf_sync_point *p)
{
	return !p->timeline || hf_timeline_is_signaled(p->timeline->timeline, p->point);
}

void hf_sync_point_signal(const struct hf_sync_point *p)
{
	if (p->timeline)
		hf_timeline_signal(p->timeline->timeline, p->point);
}

bool hf_sync_point_watch(struct hf_sync_point *p)
{
	struct hf_sync_timeline *st = p->timeline;
	if (!hf_waiter_watch(st->server->waiter, st->timeline, p->point)) {
		hf_error("cannot watch a timeline: out of memory");
		return false;
	}
	st->watched = true;
	return true;
}
