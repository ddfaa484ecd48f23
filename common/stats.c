#include "stats.h"

#include <stdlib.h>

bool hf_samples_add(struct hf_samples *s, int64_t value)
{
	if (s->count == s->capacity) {
		size_t cap = s->capacity ? s->capacity * 2 : 1024;
		int64_t *values = realloc(s->values, cap * sizeof(*values));
		if (!values)
			return false;
		s->values = values;
		s->capacity = cap;
	}
	s->values[s->count++] = value;
	return true;
}

void hf_samples_finish(struct hf_samples *s)
{
	free(s->values);
	*s = (struct hf_samples){0};
}

static int compare_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int64_t nearest_rank(const struct hf_samples *s, int percent)
{
	size_t rank = (s->count * (size_t)percent + 99) / 100;
	return s->values[rank ? rank - 1 : 0];
}

struct hf_percentiles hf_samples_percentiles(struct hf_samples *s)
{
	struct hf_percentiles p = {0};
	if (s->count == 0)
		return p;
	qsort(s->values, s->count, sizeof(*s->values), compare_i64);
	p.p50 = nearest_rank(s, 50);
	p.p90 = nearest_rank(s, 90);
	p.p99 = nearest_rank(s, 99);
	p.max = s->values[s->count - 1];
	p.count = s->count;
	return p;
}

void hf_percentiles_write_json(FILE *f, const char *name, const struct hf_percentiles *p)
{
	fprintf(f,
		"\"%s\": {\"p50_us\": %.1f, \"p90_us\": %.1f, \"p99_us\": %.1f, \"max_us\": %.1f, "
		"\"count\": %zu}",
		name, p->p50 / 1e3, p->p90 / 1e3, p->p99 / 1e3, p->max / 1e3, p->count);
}
