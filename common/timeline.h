/*
 * The shm timeline: a sealed memfd page shared by both processes, holding the highest signaled
 * point and a futex word. The layout is part of handoff-v1.xml (timeline_kind.shm).
 *
 * Objects are reference counted with atomics so that the waiter thread can hold one across a
 * futex wait while the owner lets go.
 */
#ifndef HF_TIMELINE_H
#define HF_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>

#define HF_TIMELINE_MAGIC   0x4c544648u /* "HFTL" in little-endian memory order */
#define HF_TIMELINE_VERSION 1u
#define HF_TIMELINE_SIZE    4096u

enum hf_timeline_error {
	HF_TIMELINE_OK = 0,
	HF_TIMELINE_BAD_FD,      /* not a regular file or memfd */
	HF_TIMELINE_TOO_SMALL,   /* fewer than HF_TIMELINE_SIZE bytes */
	HF_TIMELINE_NOT_SEALED,  /* no F_SEAL_SHRINK */
	HF_TIMELINE_HUGETLB,     /* huge pages, which a hole punch can take away */
	HF_TIMELINE_BAD_MAGIC,   /* magic is not HF_TIMELINE_MAGIC */
	HF_TIMELINE_BAD_VERSION, /* version is not HF_TIMELINE_VERSION */
	HF_TIMELINE_SYSTEM,      /* mmap or allocation failed; errno says why */
};

struct hf_timeline;

/* A new timeline at value 0. NULL on failure, with errno set. */
struct hf_timeline *hf_timeline_create(void);
/* Validates and maps fd, which it always takes and closes: the mapping is kept, not the fd. */
struct hf_timeline *hf_timeline_import(int fd, enum hf_timeline_error *error);
const char *hf_timeline_error_str(enum hf_timeline_error error);

struct hf_timeline *hf_timeline_ref(struct hf_timeline *tl);
void hf_timeline_unref(struct hf_timeline *tl); /* NULL is a no-op */
/* The fd of a timeline made by hf_timeline_create, to send; -1 for an imported one. */
int hf_timeline_get_fd(const struct hf_timeline *tl);

/* Raises the value to point and wakes waiters; a lower point changes nothing. */
void hf_timeline_signal(struct hf_timeline *tl, uint64_t point);
uint64_t hf_timeline_query(const struct hf_timeline *tl);
static inline bool hf_timeline_is_signaled(const struct hf_timeline *tl, uint64_t point)
{
	return hf_timeline_query(tl) >= point;
}
/* Blocks until point is signaled: 0, or -ETIMEDOUT after timeout_ns (< 0: forever). */
int hf_timeline_wait(struct hf_timeline *tl, uint64_t point, int64_t timeout_ns);

/* For waiters on many timelines: the futex word, and its value read before the value check. */
uint32_t *hf_timeline_futex_word(struct hf_timeline *tl);
uint32_t hf_timeline_seq(const struct hf_timeline *tl);

#endif
