/* Monotonic time in nanoseconds: the clock wp_presentation reports in. */
#ifndef HF_TIME_UTIL_H
#define HF_TIME_UTIL_H

#include <stdint.h>
#include <time.h>

#define HF_NSEC_PER_SEC 1000000000LL

static inline int64_t hf_timespec_to_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * HF_NSEC_PER_SEC + ts->tv_nsec;
}

static inline struct timespec hf_ns_to_timespec(int64_t ns)
{
	struct timespec ts = {.tv_sec = ns / HF_NSEC_PER_SEC, .tv_nsec = ns % HF_NSEC_PER_SEC};
	return ts;
}

static inline int64_t hf_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return hf_timespec_to_ns(&ts);
}

/* CPU time of the whole process, all threads. */
static inline int64_t hf_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return hf_timespec_to_ns(&ts);
}

void hf_sleep_ns(int64_t ns);

#endif
