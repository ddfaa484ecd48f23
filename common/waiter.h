/*
 * Tells an event loop, without blocking it, that timeline points were reached.
 *
 * A thread sleeps in futex_waitv on every watched timeline at once and makes an eventfd
 * readable when a watched point is signaled. Watches are one-shot: once a point fires, the loop
 * checks its own state and watches the next point it cares about.
 */
#ifndef HF_WAITER_H
#define HF_WAITER_H

#include <stdbool.h>
#include <stdint.h>

struct hf_timeline;
struct hf_waiter;

struct hf_waiter *hf_waiter_create(void);
void hf_waiter_destroy(struct hf_waiter *w); /* NULL is a no-op */
/* Readable when a watched point has been reached. */
int hf_waiter_get_fd(const struct hf_waiter *w);
/* Clears the fd's readiness; call before checking state. */
void hf_waiter_drain(struct hf_waiter *w);
/* Watch tl until it reaches point. One watch per timeline: the lowest point wins. */
bool hf_waiter_watch(struct hf_waiter *w, struct hf_timeline *tl, uint64_t point);
/* Stop watching tl. Call before letting go of tl: the thread drops any reference it still
 * holds as soon as it wakes, which this call makes it do. */
void hf_waiter_forget(struct hf_waiter *w, struct hf_timeline *tl);

#endif
