/*
 * Wake-up latency across processes: an shm timeline signal against a pipe write, measured in
 * the same run between the same two processes. The sleeper is always blocked (futex or read)
 * before the waker acts, so both numbers include a real wake-up.
 */
#define _GNU_SOURCE
#include "stats.h"
#include "time_util.h"
#include "timeline.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
	_Atomic int64_t sent_ns;
	_Atomic int64_t latency_ns;
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: handoff-bench-timeline [--iterations N]\n"
		   "Measures signal-to-wake-up latency across processes: shm timeline vs pipe.\n");
}

static bool read_full(int fd, void *buf, size_t n)
{
	return read(fd, buf, n) == (ssize_t)n;
}

/* Child: sleeps on the timeline, then on the pipe, in turn; reports each latency. */
static void sleeper(struct shared *sh, struct hf_timeline *go, struct hf_timeline *ack, int go_fd,
		    int ack_fd, int iterations)
{
	for (int i = 1; i <= iterations; i++) {
		hf_timeline_wait(go, (uint64_t)i, -1);
		int64_t now = hf_now_ns();
		atomic_store(&sh->latency_ns, now - atomic_load(&sh->sent_ns));
		hf_timeline_signal(ack, (uint64_t)i);

		int64_t sent;
		if (!read_full(go_fd, &sent, sizeof(sent)))
			_exit(1);
		int64_t latency = hf_now_ns() - sent;
		if (write(ack_fd, &latency, sizeof(latency)) != sizeof(latency))
			_exit(1);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	int iterations = 20000;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--iterations") && i + 1 < argc) {
			iterations = atoi(argv[++i]);
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (iterations <= 0) {
		fprintf(stderr, "handoff-bench-timeline: --iterations must be positive\n");
		return 2;
	}
	struct shared *sh =
		mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct hf_timeline *go = hf_timeline_create(), *ack = hf_timeline_create();
	int go_pipe[2], ack_pipe[2];
	if (sh == MAP_FAILED || !go || !ack || pipe(go_pipe) || pipe(ack_pipe)) {
		perror("handoff-bench-timeline: setup");
		return 1;
	}
	pid_t pid = fork();
	if (pid == 0)
		sleeper(sh, go, ack, go_pipe[0], ack_pipe[1], iterations);

	struct hf_samples timeline = {0}, pipe_samples = {0};
	/* Give the sleeper time to block before each wake, so each sample is a real wake-up.
	 * The two kinds alternate, so that drift in the machine's load hits both alike. */
	const int64_t settle_ns = 20000;
	for (int i = 1; i <= iterations; i++) {
		hf_sleep_ns(settle_ns);
		atomic_store(&sh->sent_ns, hf_now_ns());
		hf_timeline_signal(go, (uint64_t)i);
		hf_timeline_wait(ack, (uint64_t)i, -1);
		hf_samples_add(&timeline, atomic_load(&sh->latency_ns));

		hf_sleep_ns(settle_ns);
		int64_t sent = hf_now_ns(), latency;
		if (write(go_pipe[1], &sent, sizeof(sent)) != sizeof(sent) ||
		    !read_full(ack_pipe[0], &latency, sizeof(latency))) {
			fprintf(stderr, "handoff-bench-timeline: pipe broke\n");
			return 1;
		}
		hf_samples_add(&pipe_samples, latency);
	}
	int status;
	waitpid(pid, &status, 0);
	struct hf_percentiles t = hf_samples_percentiles(&timeline);
	struct hf_percentiles p = hf_samples_percentiles(&pipe_samples);
	printf("wake-up latency across processes, %d iterations each\n", iterations);
	printf("  shm timeline: p50 %7.2f us  p99 %7.2f us\n", t.p50 / 1e3, t.p99 / 1e3);
	printf("  pipe:         p50 %7.2f us  p99 %7.2f us\n", p.p50 / 1e3, p.p99 / 1e3);
	printf("  ratio timeline/pipe p50: %.2f\n", p.p50 ? (double)t.p50 / (double)p.p50 : 0.0);
	hf_samples_finish(&timeline);
	hf_samples_finish(&pipe_samples);
	hf_timeline_unref(go);
	hf_timeline_unref(ack);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
