/*
 * The copy limit: one read and one write of a frame. A memcpy of one XRGB8888 frame from a
 * rotating set of source images (as many as the producer's buffers) into one destination, as
 * a handoff that copies once would do. No handoff can be faster per frame than this.
 */
#define _GNU_SOURCE
#include "bench.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static int64_t now_ns(void)
{
	return hb_now(CLOCK_MONOTONIC);
}

void hb_copy_run(const struct hb_config *cfg, const struct hb_size *size,
		 struct hb_copy_result *out)
{
	size_t bytes = (size_t)size->width * (size_t)size->height * 4;
	int n_src = cfg->buffers;
	void *src[16] = {0};
	void *dst = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bool ok = dst != MAP_FAILED;
	for (int i = 0; i < n_src && ok; i++) {
		src[i] = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			      0);
		ok = src[i] != MAP_FAILED;
		if (ok) /* Fault the pages in, with content, as the producer's images would be. */
			memset(src[i], 0x40 + i, bytes);
	}
	if (!ok) {
		fprintf(stderr, "handoff-bench: cannot map %zu bytes for the copy\n", bytes);
		goto out;
	}
	memset(dst, 0, bytes);

	size_t cap = 1 << 16, n = 0;
	double *us = malloc(cap * sizeof(*us));
	if (!us) {
		fprintf(stderr, "handoff-bench: out of memory\n");
		goto out;
	}
	int64_t start = now_ns(), deadline = start + (int64_t)(cfg->plan.copy_seconds * 1e9);
	/* A few untimed rounds first, so that the caches and TLB hold what they will hold. */
	for (int i = 0; i < 2 * n_src; i++)
		memcpy(dst, src[i % n_src], bytes);
	int64_t t = now_ns();
	for (size_t i = 0; n < cap && (t < deadline || n < 20); i++) {
		memcpy(dst, src[i % (size_t)n_src], bytes);
		/* The compiler must not drop the copy: the destination is read back. */
		__asm__ volatile("" : : "r"(dst) : "memory");
		int64_t t2 = now_ns();
		us[n++] = (double)(t2 - t) / 1e3;
		t = t2;
	}
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += us[i];
	qsort(us, n, sizeof(*us), hb_compare_double);
	out->us_p50 = hb_percentile(us, n, 50);
	out->us_mean = sum / (double)n;
	out->fps = out->us_p50 > 0 ? 1e6 / out->us_p50 : 0;
	out->done = true;
	free(us);
out:
	for (int i = 0; i < n_src; i++)
		if (src[i] && src[i] != MAP_FAILED)
			munmap(src[i], bytes);
	if (dst != MAP_FAILED)
		munmap(dst, bytes);
}
