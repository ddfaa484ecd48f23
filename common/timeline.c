#define _GNU_SOURCE
#include "timeline.h"

#include "futex.h"
#include "image.h"
#include "time_util.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* The layout of handoff-v1.xml, timeline_kind.shm. */
struct hf_timeline_page {
	uint32_t magic;
	uint32_t version;
	_Atomic uint64_t value;
	_Atomic uint32_t seq;
	uint32_t reserved;
};

_Static_assert(sizeof(_Atomic uint64_t) == 8 && _Alignof(_Atomic uint64_t) == 8,
	       "the value must be a naturally aligned 64-bit atomic");
_Static_assert(__builtin_offsetof(struct hf_timeline_page, value) == 8, "layout: value");
_Static_assert(__builtin_offsetof(struct hf_timeline_page, seq) == 16, "layout: seq");

struct hf_timeline {
	atomic_int refs;
	int fd; /* -1 for an imported timeline: the mapping is all it needs */
	struct hf_timeline_page *page;
};

static struct hf_timeline *timeline_map(int fd)
{
	struct hf_timeline *tl = calloc(1, sizeof(*tl));
	if (!tl)
		return NULL;
	void *map = mmap(NULL, HF_TIMELINE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		free(tl);
		return NULL;
	}
	atomic_init(&tl->refs, 1);
	tl->fd = fd;
	tl->page = map;
	return tl;
}

struct hf_timeline *hf_timeline_create(void)
{
	int fd = hf_memfd_create_sealed("handoff-timeline", HF_TIMELINE_SIZE);
	if (fd < 0)
		return NULL;
	struct hf_timeline *tl = timeline_map(fd);
	if (!tl) {
		int saved = errno;
		close(fd);
		errno = saved;
		return NULL;
	}
	tl->page->magic = HF_TIMELINE_MAGIC;
	tl->page->version = HF_TIMELINE_VERSION;
	return tl;
}

struct hf_timeline *hf_timeline_import(int fd, enum hf_timeline_error *error)
{
	enum hf_timeline_error err = HF_TIMELINE_OK;
	struct hf_timeline *tl = NULL;
	uint64_t size = 0;
	switch (hf_image_check_fd(fd, &size)) {
	case HF_IMAGE_OK:
		break;
	case HF_IMAGE_NOT_SEALED:
		err = HF_TIMELINE_NOT_SEALED;
		goto out;
	case HF_IMAGE_HUGETLB:
		err = HF_TIMELINE_HUGETLB;
		goto out;
	default:
		err = HF_TIMELINE_BAD_FD;
		goto out;
	}
	if (size < HF_TIMELINE_SIZE) {
		err = HF_TIMELINE_TOO_SMALL;
		goto out;
	}
	tl = timeline_map(fd);
	if (!tl) {
		err = HF_TIMELINE_SYSTEM;
		goto out;
	}
	if (tl->page->magic != HF_TIMELINE_MAGIC)
		err = HF_TIMELINE_BAD_MAGIC;
	else if (tl->page->version != HF_TIMELINE_VERSION)
		err = HF_TIMELINE_BAD_VERSION;
out:
	if (err != HF_TIMELINE_OK && tl) {
		munmap(tl->page, HF_TIMELINE_SIZE);
		free(tl);
		tl = NULL;
	}
	/* The mapping keeps the memory: an importer holds no fd per timeline. */
	close(fd);
	if (tl)
		tl->fd = -1;
	if (error)
		*error = err;
	return tl;
}

const char *hf_timeline_error_str(enum hf_timeline_error error)
{
	switch (error) {
	case HF_TIMELINE_OK:
		return "ok";
	case HF_TIMELINE_BAD_FD:
		return "the fd is not a regular file or memfd";
	case HF_TIMELINE_TOO_SMALL:
		return "the file is smaller than 4096 bytes";
	case HF_TIMELINE_NOT_SEALED:
		return "the file is not sealed with F_SEAL_SHRINK";
	case HF_TIMELINE_HUGETLB:
		return "the file is huge-page memory, whose pages a hole punch can take away";
	case HF_TIMELINE_BAD_MAGIC:
		return "the magic is not 0x4c544648";
	case HF_TIMELINE_BAD_VERSION:
		return "the version is not 1";
	case HF_TIMELINE_SYSTEM:
		return "the timeline could not be mapped";
	}
	return "unknown error";
}

struct hf_timeline *hf_timeline_ref(struct hf_timeline *tl)
{
	atomic_fetch_add_explicit(&tl->refs, 1, memory_order_relaxed);
	return tl;
}

void hf_timeline_unref(struct hf_timeline *tl)
{
	if (!tl || atomic_fetch_sub_explicit(&tl->refs, 1, memory_order_acq_rel) != 1)
		return;
	munmap(tl->page, HF_TIMELINE_SIZE);
	if (tl->fd >= 0)
		close(tl->fd);
	free(tl);
}

int hf_timeline_get_fd(const struct hf_timeline *tl)
{
	return tl->fd;
}

void hf_timeline_signal(struct hf_timeline *tl, uint64_t point)
{
	uint64_t cur = atomic_load(&tl->page->value);
	do {
		if (cur >= point)
			return;
	} while (!atomic_compare_exchange_weak(&tl->page->value, &cur, point));
	atomic_fetch_add(&tl->page->seq, 1);
	hf_futex_wake_all((uint32_t *)&tl->page->seq, true);
}

uint64_t hf_timeline_query(const struct hf_timeline *tl)
{
	return atomic_load(&tl->page->value);
}

uint32_t *hf_timeline_futex_word(struct hf_timeline *tl)
{
	return (uint32_t *)&tl->page->seq;
}

uint32_t hf_timeline_seq(const struct hf_timeline *tl)
{
	return atomic_load(&tl->page->seq);
}

int hf_timeline_wait(struct hf_timeline *tl, uint64_t point, int64_t timeout_ns)
{
	int64_t deadline = timeout_ns >= 0 ? hf_now_ns() + timeout_ns : 0;
	for (;;) {
		/* seq before value: a signal between the two reads changes seq, so the wait
		 * below returns at once instead of missing the wake-up. */
		uint32_t seq = hf_timeline_seq(tl);
		if (hf_timeline_query(tl) >= point)
			return 0;
		struct timespec rel, *relp = NULL;
		if (timeout_ns >= 0) {
			int64_t left = deadline - hf_now_ns();
			if (left <= 0)
				return -ETIMEDOUT;
			rel = hf_ns_to_timespec(left);
			relp = &rel;
		}
		hf_futex_wait(hf_timeline_futex_word(tl), seq, relp, true);
	}
}
