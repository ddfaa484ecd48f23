/* Thin wrappers over the futex system calls, which glibc does not wrap. */
#ifndef HF_FUTEX_H
#define HF_FUTEX_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* shared: the word lives in memory shared between processes (no FUTEX_PRIVATE_FLAG). */
int hf_futex_wait(uint32_t *word, uint32_t expected, const struct timespec *rel_timeout,
		  bool shared);
void hf_futex_wake_all(uint32_t *word, bool shared);

#endif
