#include "time_util.h"

#include <errno.h>

void hf_sleep_ns(int64_t ns)
{
	if (ns <= 0)
		return;
	struct timespec ts = hf_ns_to_timespec(ns);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
	}
}
