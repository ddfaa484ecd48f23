/* The render thread: draws frames after they were committed, then signals them. */
#ifndef HP_RENDER_THREAD_H
#define HP_RENDER_THREAD_H

#include "renderer.h"

struct hp_render_thread;

struct hp_render_thread *hp_render_thread_create(struct hp_renderer *renderer,
						 enum hp_pattern pattern, int max_delay_us,
						 unsigned seed);
/* Joins the thread once every queued frame is drawn. NULL is a no-op. */
void hp_render_thread_destroy(struct hp_render_thread *t);
/* Queues a copy of the target; blocks while the queue is full. */
void hp_render_thread_push(struct hp_render_thread *t, const struct hp_render_target *target);
/* Blocks until every queued frame is drawn and signaled. */
void hp_render_thread_drain(struct hp_render_thread *t);
/* The renderer failed (and said why): later frames are dropped, never signaled. */
bool hp_render_thread_failed(struct hp_render_thread *t);

#endif
