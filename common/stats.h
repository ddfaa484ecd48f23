/* Latency samples and their percentiles, for the stats JSON of both sides. */
#ifndef HF_STATS_H
#define HF_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct hf_samples {
	int64_t *values; /* nanoseconds */
	size_t count, capacity;
};

struct hf_percentiles {
	int64_t p50, p90, p99, max;
	size_t count;
};

bool hf_samples_add(struct hf_samples *s, int64_t value);
void hf_samples_finish(struct hf_samples *s);
/* Sorts the samples in place. All zero when there are none. */
struct hf_percentiles hf_samples_percentiles(struct hf_samples *s);
/* Writes "name": {"p50_us": .., "p90_us": .., "p99_us": .., "max_us": .., "count": ..} */
void hf_percentiles_write_json(FILE *f, const char *name, const struct hf_percentiles *p);

#endif
