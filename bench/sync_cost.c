/*
 * The sync cost on the product's path. Another process signals an shm timeline point; the
 * presenter's own code (presenter/sync.c over common/waiter.c: a futex_waitv thread, an
 * eventfd, the event loop) calls the wait's notify. Alternating with it, the same process
 * writes to a pipe that the same event loop watches. Both figures are from the signal (or
 * write) to the callback in the loop, between the same two processes, in one run.
 */
#define _GNU_SOURCE
#include "bench.h"

#include "client.h"
#include "renderer.h"
#include "sync.h"
#include "timeline.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wayland-server-core.h>

/* sync.c counts timelines against a client; this bench has none (client NULL). */
struct hf_client *hf_client_ref(struct hf_client *c)
{
	return c;
}

void hf_client_unref(struct hf_client *c)
{
}

struct hf_totals hf_totals;

struct shared {
	_Atomic int64_t sent_ns;
};

struct loop_side {
	struct shared *sh;
	struct hf_sync_timeline *go;
	struct hf_timeline *ack;
	struct hf_sync_wait wait;
	int pipe_fd;
	int i, iterations;
	double *product_us, *pipe_us;
	bool failed;
};

static void side_notify(struct hf_sync_wait *wait)
{
	struct loop_side *s = wl_container_of(wait, s, wait);
	int64_t now = hb_now(CLOCK_MONOTONIC);
	s->product_us[s->i - 1] = (double)(now - atomic_load(&s->sh->sent_ns)) / 1e3;
	hf_timeline_signal(s->ack, 2 * (uint64_t)s->i); /* now the pipe's turn */
}

static int side_pipe(int fd, uint32_t mask, void *data)
{
	struct loop_side *s = data;
	int64_t sent;
	if (read(fd, &sent, sizeof(sent)) != (ssize_t)sizeof(sent)) {
		s->failed = true;
		return 0;
	}
	s->pipe_us[s->i - 1] = (double)(hb_now(CLOCK_MONOTONIC) - sent) / 1e3;
	if (++s->i <= s->iterations) {
		/* Arm the next wait as the presenter arms one when a commit arrives. */
		struct hf_sync_point point = {.timeline = s->go, .point = (uint64_t)s->i};
		if (!hf_sync_wait_arm(&s->wait, &point, side_notify))
			s->failed = true;
		hf_timeline_signal(s->ack, 2 * (uint64_t)s->i - 1);
	}
	return 0;
}

/* The other process: waits for the loop to be ready, lets it fall asleep, then wakes it. */
static void signaler(struct shared *sh, struct hf_timeline *go, struct hf_timeline *ack,
		     int pipe_fd, int iterations)
{
	const int64_t settle_ns = 50000;
	for (int i = 1; i <= iterations; i++) {
		if (hf_timeline_wait(ack, 2 * (uint64_t)i - 1, 5 * 1000000000LL) != 0)
			_exit(1);
		struct timespec settle = {0, settle_ns};
		nanosleep(&settle, NULL);
		atomic_store(&sh->sent_ns, hb_now(CLOCK_MONOTONIC));
		hf_timeline_signal(go, (uint64_t)i);

		if (hf_timeline_wait(ack, 2 * (uint64_t)i, 5 * 1000000000LL) != 0)
			_exit(1);
		nanosleep(&settle, NULL);
		int64_t sent = hb_now(CLOCK_MONOTONIC);
		if (write(pipe_fd, &sent, sizeof(sent)) != (ssize_t)sizeof(sent))
			_exit(1);
	}
	_exit(0);
}

bool hb_sync_run(int iterations, struct hb_sync_result *out)
{
	*out = (struct hb_sync_result){0};
	struct shared *sh =
		mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct hf_timeline *go = hf_timeline_create(), *ack = hf_timeline_create();
	int fds[2] = {-1, -1};
	struct wl_event_loop *loop = wl_event_loop_create();
	struct loop_side s = {.sh = sh, .iterations = iterations, .i = 1};
	s.product_us = calloc((size_t)iterations, sizeof(double));
	s.pipe_us = calloc((size_t)iterations, sizeof(double));
	struct hf_renderer renderer = {0};
	struct wl_event_source *pipe_source = NULL;
	struct hf_sync *sync = NULL;
	bool ok = false;
	if (sh == MAP_FAILED || !go || !ack || pipe2(fds, O_CLOEXEC) != 0 || !loop ||
	    !s.product_us || !s.pipe_us) {
		fprintf(stderr, "handoff-bench: sync: setup failed: %s\n", strerror(errno));
		goto out;
	}
	/* A renderer without GPU timelines: sync.c only listens to its timeline signal. */
	wl_signal_init(&renderer.events.complete);
	sync = hf_sync_create(loop, &renderer);
	s.go = sync ? hf_sync_timeline_create(sync, hf_timeline_ref(go), NULL) : NULL;
	if (s.go)
		pipe_source = wl_event_loop_add_fd(loop, fds[0], WL_EVENT_READABLE, side_pipe, &s);
	if (!s.go || !pipe_source) {
		fprintf(stderr, "handoff-bench: sync: cannot set up the presenter's sync path\n");
		goto out;
	}
	s.ack = ack;
	hf_sync_wait_init(&s.wait);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "handoff-bench: sync: cannot fork: %s\n", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		close(fds[0]);
		signaler(sh, go, ack, fds[1], iterations);
	}
	close(fds[1]);
	fds[1] = -1;
	struct hf_sync_point first = {.timeline = s.go, .point = 1};
	if (!hf_sync_wait_arm(&s.wait, &first, side_notify))
		s.failed = true;
	hf_timeline_signal(ack, 1);
	int64_t deadline = hb_now(CLOCK_MONOTONIC) + 120 * 1000000000LL;
	while (!s.failed && s.i <= iterations && hb_now(CLOCK_MONOTONIC) < deadline)
		wl_event_loop_dispatch(loop, 1000);
	int status = 0;
	if (s.i <= iterations)
		kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	if (s.failed || s.i <= iterations || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "handoff-bench: sync: the measurement broke off at %d of %d\n", s.i,
			iterations);
		goto out;
	}
	qsort(s.product_us, (size_t)iterations, sizeof(double), hb_compare_double);
	qsort(s.pipe_us, (size_t)iterations, sizeof(double), hb_compare_double);
	out->product_p50_us = hb_percentile(s.product_us, (size_t)iterations, 50);
	out->product_p99_us = hb_percentile(s.product_us, (size_t)iterations, 99);
	out->pipe_p50_us = hb_percentile(s.pipe_us, (size_t)iterations, 50);
	out->pipe_p99_us = hb_percentile(s.pipe_us, (size_t)iterations, 99);
	out->iterations = iterations;
	out->done = ok = true;
out:
	if (pipe_source)
		wl_event_source_remove(pipe_source);
	hf_sync_wait_cancel(&s.wait);
	hf_sync_timeline_unref(s.go);
	hf_sync_destroy(sync);
	if (loop)
		wl_event_loop_destroy(loop);
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	hf_timeline_unref(go);
	hf_timeline_unref(ack);
	free(s.product_us);
	free(s.pipe_us);
	if (sh != MAP_FAILED)
		munmap(sh, sizeof(*sh));
	return ok;
}
