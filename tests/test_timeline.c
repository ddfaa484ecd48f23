/* The shm timeline: signals across processes, timed waits, import checks, the waiter thread. */
#define _GNU_SOURCE
#include "harness.h"

#include "timeline.h"
#include "waiter.h"
#include "time_util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIGNALS 100000

static struct hf_timeline *import_dup(struct hf_timeline *tl)
{
	enum hf_timeline_error err;
	struct hf_timeline *copy = hf_timeline_import(dup(hf_timeline_get_fd(tl)), &err);
	CHECK_MSG(copy, "import: %s", hf_timeline_error_str(err));
	return copy;
}

static void wait_children_ok(pid_t *pids, int n)
{
	for (int i = 0; i < n; i++) {
		int status;
		CHECK(waitpid(pids[i], &status, 0) == pids[i]);
		CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %d failed", i);
	}
}

/* A waiter imports the fd as a separate mapping, as the presenter does. */
static void watch_until_done(struct hf_timeline *shared)
{
	struct hf_timeline *tl = import_dup(shared);
	uint64_t last = 0;
	while (last < SIGNALS) {
		CHECK(hf_timeline_wait(tl, last + 1, 10 * HF_NSEC_PER_SEC) == 0);
		uint64_t v = hf_timeline_query(tl);
		CHECK_MSG(v > last, "value went from %llu to %llu", (unsigned long long)last,
			  (unsigned long long)v);
		last = v;
	}
	hf_timeline_unref(tl);
}

static void test_waiters_in_other_processes_never_see_value_decrease(void)
{
	struct hf_timeline *tl = hf_timeline_create();
	CHECK(tl);
	pid_t pids[3];
	for (int i = 0; i < 3; i++) {
		pids[i] = fork();
		CHECK(pids[i] >= 0);
		if (pids[i] == 0) {
			watch_until_done(tl);
			_exit(0);
		}
	}
	for (uint64_t p = 1; p <= SIGNALS; p++)
		hf_timeline_signal(tl, p);
	wait_children_ok(pids, 3);
	CHECK(hf_timeline_query(tl) == SIGNALS);
	hf_timeline_unref(tl);
}

static void test_wait_wakes_when_other_process_signals(void)
{
	struct hf_timeline *tl = hf_timeline_create();
	CHECK(tl);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		struct hf_timeline *child = import_dup(tl);
		hf_sleep_ns(50 * 1000000);
		hf_timeline_signal(child, 7);
		hf_timeline_unref(child);
		_exit(0);
	}
	int64_t t0 = hf_now_ns();
	CHECK(hf_timeline_wait(tl, 7, -1) == 0);
	CHECK(hf_now_ns() - t0 >= 40 * 1000000);
	CHECK(hf_timeline_query(tl) == 7);
	wait_children_ok(&pid, 1);
	hf_timeline_unref(tl);
}

static void test_timed_wait_expires(void)
{
	struct hf_timeline *tl = hf_timeline_create();
	CHECK(tl);
	hf_timeline_signal(tl, 4);
	int64_t t0 = hf_now_ns();
	CHECK(hf_timeline_wait(tl, 5, 50 * 1000000) == -ETIMEDOUT);
	int64_t waited = hf_now_ns() - t0;
	CHECK_MSG(waited >= 50 * 1000000, "returned after %lld ns", (long long)waited);
	CHECK(hf_timeline_wait(tl, 4, 0) == 0);
	CHECK(hf_timeline_wait(tl, 0, 0) == 0);
	hf_timeline_unref(tl);
}

static void test_signal_lower_point_changes_nothing(void)
{
	struct hf_timeline *tl = hf_timeline_create();
	CHECK(tl);
	hf_timeline_signal(tl, 10);
	uint32_t seq = hf_timeline_seq(tl);
	hf_timeline_signal(tl, 5);
	hf_timeline_signal(tl, 10);
	CHECK(hf_timeline_query(tl) == 10);
	CHECK(hf_timeline_seq(tl) == seq);
	hf_timeline_signal(tl, UINT64_MAX);
	CHECK(hf_timeline_query(tl) == UINT64_MAX);
	CHECK(hf_timeline_seq(tl) == seq + 1);
	hf_timeline_unref(tl);
}

static int sealed_memfd(size_t size, bool seal)
{
	int fd = memfd_create("test", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, (off_t)size) == 0);
	if (seal)
		CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) == 0);
	return fd;
}

static void write_header(int fd, uint32_t magic, uint32_t version)
{
	uint32_t header[2] = {magic, version};
	CHECK(pwrite(fd, header, sizeof(header), 0) == sizeof(header));
}

static void expect_import_error(int fd, enum hf_timeline_error expected)
{
	enum hf_timeline_error err = HF_TIMELINE_OK;
	struct hf_timeline *tl = hf_timeline_import(fd, &err);
	CHECK_MSG(!tl && err == expected, "expected \"%s\", got \"%s\"",
		  hf_timeline_error_str(expected), hf_timeline_error_str(err));
}

static void test_import_rejects_hugetlb_timeline(void)
{
	int fd = memfd_create("huge", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB);
	if (fd < 0)
		hf_test_skip("this kernel makes no hugetlb memfd");
	if (ftruncate(fd, 2 << 20) != 0 || fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) != 0) {
		close(fd);
		hf_test_skip("the hugetlb memfd cannot be sized or sealed here");
	}
	expect_import_error(fd, HF_TIMELINE_HUGETLB);
}

static void test_import_accepts_valid_timeline(void)
{
	int fd = sealed_memfd(HF_TIMELINE_SIZE, true);
	write_header(fd, HF_TIMELINE_MAGIC, HF_TIMELINE_VERSION);
	enum hf_timeline_error err;
	struct hf_timeline *tl = hf_timeline_import(fd, &err);
	CHECK(tl && err == HF_TIMELINE_OK);
	CHECK(hf_timeline_query(tl) == 0);
	hf_timeline_unref(tl);
}

static void test_import_rejects_short_file(void)
{
	int fd = sealed_memfd(HF_TIMELINE_SIZE - 1, true);
	write_header(fd, HF_TIMELINE_MAGIC, HF_TIMELINE_VERSION);
	expect_import_error(fd, HF_TIMELINE_TOO_SMALL);
}

static void test_import_rejects_unsealed_file(void)
{
	int fd = sealed_memfd(HF_TIMELINE_SIZE, false);
	write_header(fd, HF_TIMELINE_MAGIC, HF_TIMELINE_VERSION);
	expect_import_error(fd, HF_TIMELINE_NOT_SEALED);
}

static void test_import_rejects_wrong_magic(void)
{
	int fd = sealed_memfd(HF_TIMELINE_SIZE, true);
	write_header(fd, 0x12345678, HF_TIMELINE_VERSION);
	expect_import_error(fd, HF_TIMELINE_BAD_MAGIC);
}

static void test_import_rejects_wrong_version(void)
{
	int fd = sealed_memfd(HF_TIMELINE_SIZE, true);
	write_header(fd, HF_TIMELINE_MAGIC, 2);
	expect_import_error(fd, HF_TIMELINE_BAD_VERSION);
}

static void test_import_rejects_non_memfd(void)
{
	int fds[2];
	CHECK(pipe(fds) == 0);
	close(fds[1]);
	expect_import_error(fds[0], HF_TIMELINE_BAD_FD);
	expect_import_error(open("/dev/null", O_RDWR | O_CLOEXEC), HF_TIMELINE_BAD_FD);
	expect_import_error(-1, HF_TIMELINE_BAD_FD);
}

static bool readable_within(int fd, int ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	return poll(&pfd, 1, ms) == 1;
}

static void test_waiter_reports_point_signaled_in_other_process(void)
{
	struct hf_waiter *w = hf_waiter_create();
	CHECK(w);
	struct hf_timeline *tl = hf_timeline_create();
	CHECK(tl);
	CHECK(hf_waiter_watch(w, tl, 3));
	CHECK(!readable_within(hf_waiter_get_fd(w), 50));
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		struct hf_timeline *child = import_dup(tl);
		hf_timeline_signal(child, 2);
		hf_sleep_ns(20 * 1000000);
		hf_timeline_signal(child, 3);
		hf_timeline_unref(child);
		_exit(0);
	}
	CHECK(readable_within(hf_waiter_get_fd(w), 5000));
	CHECK(hf_timeline_query(tl) >= 3);
	hf_waiter_drain(w);
	CHECK(!readable_within(hf_waiter_get_fd(w), 0));
	wait_children_ok(&pid, 1);
	hf_waiter_forget(w, tl);
	hf_waiter_destroy(w);
	hf_timeline_unref(tl);
}

/* More timelines than futex_waitv takes: the thread must still see the last one. */
static void test_waiter_watches_more_than_128_timelines(void)
{
	enum { N = 200 };
	struct hf_waiter *w = hf_waiter_create();
	CHECK(w);
	struct hf_timeline *tls[N];
	for (int i = 0; i < N; i++) {
		tls[i] = hf_timeline_create();
		CHECK(tls[i]);
		CHECK(hf_waiter_watch(w, tls[i], 1));
	}
	CHECK(!readable_within(hf_waiter_get_fd(w), 20));
	for (int i = N - 1; i >= 0; i--) {
		hf_timeline_signal(tls[i], 1);
		CHECK_MSG(readable_within(hf_waiter_get_fd(w), 5000), "timeline %d not seen", i);
		hf_waiter_drain(w);
	}
	for (int i = 0; i < N; i++) {
		hf_waiter_forget(w, tls[i]);
		hf_timeline_unref(tls[i]);
	}
	hf_waiter_destroy(w);
}

static void test_waiter_forget_lets_timeline_go(void)
{
	struct hf_waiter *w = hf_waiter_create();
	CHECK(w);
	int before = hf_test_count_fds();
	struct hf_timeline *tl = hf_timeline_create();
	CHECK(tl);
	CHECK(hf_waiter_watch(w, tl, 1));
	hf_sleep_ns(10 * 1000000); /* let the thread go to sleep holding a reference */
	hf_waiter_forget(w, tl);
	hf_timeline_unref(tl);
	int64_t deadline = hf_now_ns() + 2 * HF_NSEC_PER_SEC;
	while (hf_test_count_fds() != before && hf_now_ns() < deadline)
		hf_sleep_ns(1000000);
	CHECK_MSG(hf_test_count_fds() == before, "the waiter kept the timeline's fd open");
	hf_waiter_destroy(w);
}

/*
 * A watch racing with the signal of its own point must be told either way: another thread
 * signals point i a random few microseconds before or after the watch of i, 3000 times, and
 * every point must make the fd readable.
 */
struct racer {
	struct hf_timeline *tl;
	_Atomic uint64_t go; /* the point to signal next; 0: stop */
	unsigned seed;
};

static void *racer_thread(void *data)
{
	struct racer *r = data;
	uint64_t done = 0;
	for (;;) {
		uint64_t go = atomic_load(&r->go);
		if (go == UINT64_MAX)
			return NULL;
		if (go == done)
			continue;
		r->seed = r->seed * 1103515245u + 12345u;
		for (volatile unsigned spin = (r->seed >> 16) % 4000; spin > 0; spin--) {
		}
		hf_timeline_signal(r->tl, go);
		done = go;
	}
}

static void test_waiter_rewatch_races_signal(void)
{
	enum { POINTS = 3000 };
	struct hf_waiter *w = hf_waiter_create();
	CHECK(w);
	struct racer r = {.tl = hf_timeline_create(), .seed = 7};
	CHECK(r.tl);
	pthread_t thread;
	CHECK(pthread_create(&thread, NULL, racer_thread, &r) == 0);
	unsigned seed = 11;
	for (uint64_t i = 1; i <= POINTS; i++) {
		seed = seed * 1103515245u + 12345u;
		atomic_store(&r.go, i);
		for (volatile unsigned spin = (seed >> 16) % 4000; spin > 0; spin--) {
		}
		CHECK(hf_waiter_watch(w, r.tl, i));
		CHECK_MSG(readable_within(hf_waiter_get_fd(w), 5000), "point %llu not told",
			  (unsigned long long)i);
		hf_waiter_drain(w);
	}
	atomic_store(&r.go, UINT64_MAX);
	pthread_join(thread, NULL);
	hf_waiter_forget(w, r.tl);
	hf_waiter_destroy(w);
	hf_timeline_unref(r.tl);
}

/*
 * Concurrent signallers on one timeline: three threads and another process race through the
 * same increasing points, mixed with stale (lower) ones. The value must end at the highest
 * point, never go down for a reader, and wake a waiter for the highest point. A plain store
 * fails this, and so, less often, does a load-compare-store without the CAS loop.
 */
enum { SIGNALLERS = 4, ROUNDS = 100000 };
#define CONCURRENT_MAX ((uint64_t)ROUNDS)

struct signaller {
	pthread_t thread;
	struct hf_timeline *tl;
	unsigned index;
	pthread_barrier_t *start;
};

static void signal_run(struct hf_timeline *tl, unsigned index)
{
	uint32_t rng = 2654435761u * (index + 1);
	for (uint64_t p = 1; p <= ROUNDS; p++) {
		hf_timeline_signal(tl, p);
		if (p % 4 == 0) {
			rng = rng * 1103515245u + 12345u;
			hf_timeline_signal(tl, 1 + (rng >> 8) % p); /* stale: changes nothing */
		}
	}
}

static void *signaller_thread(void *data)
{
	struct signaller *s = data;
	pthread_barrier_wait(s->start);
	signal_run(s->tl, s->index);
	return NULL;
}

struct observer {
	pthread_t thread;
	struct hf_timeline *tl;
	pthread_barrier_t *start;
	uint64_t decreases, last;
	int wait_result;
};

static void *reader_thread(void *data)
{
	struct observer *o = data;
	pthread_barrier_wait(o->start);
	int64_t deadline = hf_now_ns() + 10 * HF_NSEC_PER_SEC;
	while (o->last < CONCURRENT_MAX && hf_now_ns() < deadline) {
		uint64_t v = hf_timeline_query(o->tl);
		if (v < o->last)
			o->decreases++;
		o->last = v;
	}
	return NULL;
}

static void *waiter_thread(void *data)
{
	struct observer *o = data;
	pthread_barrier_wait(o->start);
	o->wait_result = hf_timeline_wait(o->tl, CONCURRENT_MAX, 10 * HF_NSEC_PER_SEC);
	return NULL;
}

static void test_concurrent_signallers_leave_the_highest_point(void)
{
	struct hf_timeline *tl = hf_timeline_create();
	CHECK(tl);
	/* The other process signals through its own mapping once told to go. */
	int go[2];
	CHECK(pipe(go) == 0);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(go[1]);
		struct hf_timeline *mine = import_dup(tl);
		char c;
		CHECK(read(go[0], &c, 1) == 1);
		signal_run(mine, 0);
		hf_timeline_unref(mine);
		_exit(0);
	}
	close(go[0]);
	pthread_barrier_t start;
	CHECK(pthread_barrier_init(&start, NULL, SIGNALLERS - 1 + 2 + 1) == 0);
	struct observer reader = {.tl = tl, .start = &start};
	struct observer waiter = {.tl = import_dup(tl), .start = &start, .wait_result = 1};
	CHECK(pthread_create(&reader.thread, NULL, reader_thread, &reader) == 0);
	CHECK(pthread_create(&waiter.thread, NULL, waiter_thread, &waiter) == 0);
	struct signaller threads[SIGNALLERS - 1];
	for (unsigned i = 0; i < SIGNALLERS - 1; i++) {
		threads[i] =
			(struct signaller){.tl = import_dup(tl), .index = i + 1, .start = &start};
		CHECK(pthread_create(&threads[i].thread, NULL, signaller_thread, &threads[i]) == 0);
	}
	pthread_barrier_wait(&start);
	CHECK(write(go[1], "g", 1) == 1);
	close(go[1]);
	for (unsigned i = 0; i < SIGNALLERS - 1; i++) {
		CHECK(pthread_join(threads[i].thread, NULL) == 0);
		hf_timeline_unref(threads[i].tl);
	}
	wait_children_ok(&pid, 1);
	CHECK(pthread_join(reader.thread, NULL) == 0);
	CHECK(pthread_join(waiter.thread, NULL) == 0);
	pthread_barrier_destroy(&start);
	hf_timeline_unref(waiter.tl);
	uint64_t final = hf_timeline_query(tl);
	hf_timeline_unref(tl);
	CHECK_MSG(reader.decreases == 0, "a reader saw the value go down %llu times",
		  (unsigned long long)reader.decreases);
	CHECK_MSG(final == CONCURRENT_MAX, "the value ended at %llu, not %llu",
		  (unsigned long long) final, (unsigned long long)CONCURRENT_MAX);
	CHECK_MSG(waiter.wait_result == 0, "a waiter for the highest point never woke");
}

HF_TESTS(T(test_waiters_in_other_processes_never_see_value_decrease),
	 T(test_wait_wakes_when_other_process_signals), T(test_timed_wait_expires),
	 T(test_signal_lower_point_changes_nothing), T(test_import_accepts_valid_timeline),
	 T(test_import_rejects_hugetlb_timeline), T(test_import_rejects_short_file),
	 T(test_import_rejects_unsealed_file), T(test_import_rejects_wrong_magic),
	 T(test_import_rejects_wrong_version), T(test_import_rejects_non_memfd),
	 T(test_waiter_reports_point_signaled_in_other_process),
	 T(test_waiter_watches_more_than_128_timelines), T(test_waiter_forget_lets_timeline_go),
	 T(test_waiter_rewatch_races_signal), T(test_concurrent_signallers_leave_the_highest_point))
