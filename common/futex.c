#define _GNU_SOURCE
#include "futex.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

int hf_futex_wait(uint32_t *word, uint32_t expected, const struct timespec *rel_timeout,
		  bool shared)
{
	int op = FUTEX_WAIT | (shared ? 0 : FUTEX_PRIVATE_FLAG);
	if (syscall(SYS_futex, word, op, expected, rel_timeout, NULL, 0) < 0)
		return -errno;
	return 0;
}

void hf_futex_wake_all(uint32_t *word, bool shared)
{
	int op = FUTEX_WAKE | (shared ? 0 : FUTEX_PRIVATE_FLAG);
	syscall(SYS_futex, word, op, INT_MAX, NULL, NULL, 0);
}
