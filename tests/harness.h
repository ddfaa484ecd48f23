/*
 * A tiny test runner: each test runs in a forked process under a timeout, and fails if it leaks
 * a file descriptor. `prog NAME` runs one test; `prog` runs them all.
 */
#ifndef HF_HARNESS_H
#define HF_HARNESS_H

#include <stdio.h>
#include <stdlib.h>

#ifdef NDEBUG
#error "the tests assert: build them without NDEBUG"
#endif

struct hf_test {
	const char *name;
	void (*run)(void);
	int timeout_s; /* 0: the default, 60 */
	/* Optional, run in the test's process before its descriptors are counted: what opens
	 * descriptors a library keeps for the process's life (a GPU driver's). */
	void (*setup)(void);
};

#define HF_TEST_SKIP 77

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

#define CHECK_MSG(cond, ...)                                                                       \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);   \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

#define HF_TESTS(...)                                                                              \
	int main(int argc, char **argv)                                                            \
	{                                                                                          \
		static const struct hf_test tests[] = {__VA_ARGS__};                               \
		return hf_test_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));          \
	}

#define T(fn)                                                                                      \
	{                                                                                          \
#fn, fn, 0, NULL                                                                   \
	}
#define T_SETUP(fn, setup_fn)                                                                      \
	{                                                                                          \
#fn, fn, 0, setup_fn                                                               \
	}
#define T_TIMEOUT(fn, s)                                                                           \
	{                                                                                          \
#fn, fn, s, NULL                                                                   \
	}

int hf_test_main(int argc, char **argv, const struct hf_test *tests, int n);
/* Ends the current test as skipped. */
void hf_test_skip(const char *why) __attribute__((noreturn));
int hf_test_count_fds(void);

#endif
