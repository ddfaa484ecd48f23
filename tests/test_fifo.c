/*
 * wp_fifo_v1 and wp_commit_timing_v1 against a real headless presenter, paced and unpaced:
 * a barrier holds the next commit to the next output frame (every commit shown once, in
 * order; without fifo the same commits replace each other), a surface that shows nothing
 * still clears barriers, a target time holds a commit until the output frame nearest it
 * (without one the same commit is shown at once), and each protocol error.
 */
#define _GNU_SOURCE
#include "harness.h"

#include "commit-timing-v1-client-protocol.h"
#include "fifo-v1-client-protocol.h"
#include "fixture.h"
#include "time_util.h"

#include <poll.h>
#include <string.h>
#include <unistd.h>

static struct wp_fifo_manager_v1 *fifo_manager;
static struct wp_commit_timing_manager_v1 *timing_manager;

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
			    const char *interface, uint32_t version)
{
	if (!strcmp(interface, wp_fifo_manager_v1_interface.name))
		fifo_manager = wl_registry_bind(registry, name, &wp_fifo_manager_v1_interface, 1);
	else if (!strcmp(interface, wp_commit_timing_manager_v1_interface.name))
		timing_manager =
			wl_registry_bind(registry, name, &wp_commit_timing_manager_v1_interface, 1);
}

static void registry_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {registry_global,
							      registry_global_remove};

static void bind_managers(struct test_client *c)
{
	fifo_manager = NULL;
	timing_manager = NULL;
	struct wl_registry *registry = track(c, wl_display_get_registry(c->display));
	wl_registry_add_listener(registry, &registry_listener, NULL);
	client_roundtrip(c);
	CHECK_MSG(fifo_manager && timing_manager, "fifo %p timing %p", (void *)fifo_manager,
		  (void *)timing_manager);
	track(c, fifo_manager);
	track(c, timing_manager);
}

static struct wl_buffer *shm_buffer(struct test_client *c, uint32_t colour)
{
	int fd = image_memfd(32, 32, colour, true);
	struct wl_shm_pool *pool = wl_shm_create_pool(c->shm, fd, 32 * 32 * 4);
	struct wl_buffer *b = track(
		c, wl_shm_pool_create_buffer(pool, 0, 32, 32, 32 * 4, WL_SHM_FORMAT_XRGB8888));
	wl_shm_pool_destroy(pool);
	close(fd);
	return b;
}

struct fb {
	bool done, presented;
	uint64_t seq;
	int64_t time_ns;
};

static void fb_sync_output(void *data, struct wp_presentation_feedback *f, struct wl_output *o)
{
}

static void fb_presented(void *data, struct wp_presentation_feedback *f, uint32_t sec_hi,
			 uint32_t sec_lo, uint32_t nsec, uint32_t refresh, uint32_t seq_hi,
			 uint32_t seq_lo, uint32_t flags)
{
	struct fb *fb = data;
	fb->done = fb->presented = true;
	fb->seq = (uint64_t)seq_hi << 32 | seq_lo;
	fb->time_ns = (int64_t)((uint64_t)sec_hi << 32 | sec_lo) * 1000000000 + nsec;
}

static void fb_discarded(void *data, struct wp_presentation_feedback *f)
{
	((struct fb *)data)->done = true;
}

static const struct wp_presentation_feedback_listener fb_listener = {fb_sync_output, fb_presented,
								     fb_discarded};

static void feedback(struct test_client *c, struct wl_surface *s, struct fb *fb)
{
	*fb = (struct fb){0};
	struct wp_presentation_feedback *f = track(c, wp_presentation_feedback(c->presentation, s));
	wp_presentation_feedback_add_listener(f, &fb_listener, fb);
}

static void dispatch_until(struct test_client *c, bool *flag, int timeout_ms)
{
	int64_t deadline = hf_now_ns() + (int64_t)timeout_ms * 1000000;
	while (!*flag && hf_now_ns() < deadline) {
		CHECK(wl_display_flush(c->display) >= 0);
		struct pollfd pfd = {.fd = wl_display_get_fd(c->display), .events = POLLIN};
		if (poll(&pfd, 1, 10) > 0)
			CHECK(wl_display_dispatch(c->display) >= 0);
		else
			CHECK(wl_display_dispatch_pending(c->display) >= 0);
	}
}

#define N_COMMITS 6

/* N_COMMITS commits at once, each with set_barrier and (but the first) wait_barrier. */
static void fifo_commits(int refresh_hz, bool use_fifo)
{
	struct presenter_fixture p;
	presenter_start_paced(&p, refresh_hz, NULL);
	struct test_client *c = client_connect(&p);
	bind_managers(c);
	struct test_window *w = window_create(c);
	struct wp_fifo_v1 *fifo = track(c, wp_fifo_manager_v1_get_fifo(fifo_manager, w->surface));
	struct fb fb[N_COMMITS];
	for (int i = 0; i < N_COMMITS; i++) {
		feedback(c, w->surface, &fb[i]);
		if (use_fifo) {
			wp_fifo_v1_set_barrier(fifo);
			if (i > 0)
				wp_fifo_v1_wait_barrier(fifo);
		}
		wl_surface_attach(w->surface, shm_buffer(c, 0xff000000u | (uint32_t)i * 40), 0, 0);
		wl_surface_damage_buffer(w->surface, 0, 0, 32, 32);
		wl_surface_commit(w->surface);
	}
	dispatch_until(c, &fb[N_COMMITS - 1].done, 5000);
	CHECK_MSG(fb[N_COMMITS - 1].presented, "the last commit was not presented");
	int presented = 0;
	for (int i = 0; i < N_COMMITS; i++) {
		dispatch_until(c, &fb[i].done, 1000);
		presented += fb[i].presented;
		if (use_fifo && i > 0)
			CHECK_MSG(fb[i].presented && fb[i].seq > fb[i - 1].seq,
				  "commit %d: presented %d at seq %llu after %llu", i,
				  fb[i].presented, (unsigned long long)fb[i].seq,
				  (unsigned long long)fb[i - 1].seq);
	}
	if (!use_fifo)
		CHECK_MSG(presented < N_COMMITS, "without fifo no commit was replaced: no control");
	fprintf(stderr, "%s at %d Hz: %d of %d presented\n", use_fifo ? "fifo" : "no fifo",
		refresh_hz, presented, N_COMMITS);
	client_destroy(c);
	free(w);
	presenter_stop(&p);
}

static void test_fifo_barrier_shows_every_commit_in_order_at_60hz(void)
{
	fifo_commits(60, true);
}

static void test_fifo_barrier_shows_every_commit_in_order_unpaced(void)
{
	fifo_commits(0, true);
}

static void test_without_fifo_the_same_commits_replace_each_other(void)
{
	fifo_commits(60, false);
}

static void callback_done(void *data, struct wl_callback *cb, uint32_t t)
{
	(*(int *)data)++;
	wl_callback_destroy(cb);
}

static const struct wl_callback_listener callback_listener = {callback_done};

/* A surface with no role shows nothing, yet its barriers clear at each output frame. */
static void test_barriers_clear_on_a_surface_that_shows_nothing(void)
{
	struct presenter_fixture p;
	presenter_start_paced(&p, 60, NULL);
	struct test_client *c = client_connect(&p);
	bind_managers(c);
	struct wl_surface *s = track(c, wl_compositor_create_surface(c->compositor));
	struct wp_fifo_v1 *fifo = track(c, wp_fifo_manager_v1_get_fifo(fifo_manager, s));
	int done = 0;
	for (int i = 0; i < N_COMMITS; i++) {
		wp_fifo_v1_set_barrier(fifo);
		wp_fifo_v1_wait_barrier(fifo);
		wl_callback_add_listener(wl_surface_frame(s), &callback_listener, &done);
		wl_surface_attach(s, shm_buffer(c, 0xff00ff00), 0, 0);
		wl_surface_commit(s);
	}
	bool all = false;
	int64_t deadline = hf_now_ns() + 5 * HF_NSEC_PER_SEC;
	while (!all && hf_now_ns() < deadline) {
		dispatch_until(c, &all, 20);
		all = done == N_COMMITS;
	}
	CHECK_MSG(done == N_COMMITS, "%d of %d commits went through", done, N_COMMITS);
	client_destroy(c);
	presenter_stop(&p);
}

static void test_second_fifo_object_is_already_exists(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	bind_managers(c);
	struct wl_surface *s = track(c, wl_compositor_create_surface(c->compositor));
	wp_fifo_v1_destroy(wp_fifo_manager_v1_get_fifo(fifo_manager, s));
	track(c, wp_fifo_manager_v1_get_fifo(fifo_manager, s)); /* after a destroy: fine */
	client_roundtrip(c);
	track(c, wp_fifo_manager_v1_get_fifo(fifo_manager, s));
	expect_protocol_error(c, &wp_fifo_manager_v1_interface,
			      WP_FIFO_MANAGER_V1_ERROR_ALREADY_EXISTS);
	client_destroy(c);
	presenter_stop(&p);
}

static void test_fifo_request_after_surface_destroyed_is_error(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	bind_managers(c);
	struct wl_surface *s = wl_compositor_create_surface(c->compositor);
	struct wp_fifo_v1 *fifo = track(c, wp_fifo_manager_v1_get_fifo(fifo_manager, s));
	wl_surface_destroy(s);
	wp_fifo_v1_set_barrier(fifo);
	expect_protocol_error(c, &wp_fifo_v1_interface, WP_FIFO_V1_ERROR_SURFACE_DESTROYED);
	client_destroy(c);
	presenter_stop(&p);
}

/* --- wp_commit_timing_v1 ----------------------------------------------------------------- */

static void set_target(struct wp_commit_timer_v1 *timer, int64_t ns)
{
	uint64_t sec = (uint64_t)(ns / 1000000000);
	wp_commit_timer_v1_set_timestamp(timer, (uint32_t)(sec >> 32), (uint32_t)sec,
					 (uint32_t)(ns % 1000000000));
}

#define TARGET_MS 400

/* A commit with a target 400 ms ahead, at 60 Hz: shown no earlier than the frame nearest it
 * (half a refresh before); without the target the same commit is shown at once. */
static void timed_commit(bool with_target)
{
	struct presenter_fixture p;
	presenter_start_paced(&p, 60, NULL);
	struct test_client *c = client_connect(&p);
	bind_managers(c);
	struct test_window *w = window_create(c);
	struct wp_commit_timer_v1 *timer =
		track(c, wp_commit_timing_manager_v1_get_timer(timing_manager, w->surface));
	struct fb fb;
	feedback(c, w->surface, &fb);
	int64_t target = hf_now_ns() + TARGET_MS * 1000000ll;
	if (with_target)
		set_target(timer, target);
	wl_surface_attach(w->surface, shm_buffer(c, 0xffff0000), 0, 0);
	wl_surface_commit(w->surface);
	dispatch_until(c, &fb.done, 5000);
	CHECK(fb.presented);
	double early_ms = (double)(target - fb.time_ns) / 1e6;
	fprintf(stderr, "%s: presented %.1f ms before the target\n",
		with_target ? "with a target" : "without one", early_ms);
	if (with_target)
		CHECK_MSG(early_ms <= 1000.0 / 60 / 2 + 1, "shown %.1f ms before its target",
			  early_ms);
	else
		CHECK_MSG(early_ms > TARGET_MS / 2, "shown only %.1f ms before: no control",
			  early_ms);
	client_destroy(c);
	free(w);
	presenter_stop(&p);
}

static void test_commit_with_target_time_waits_for_the_frame_nearest_it(void)
{
	timed_commit(true);
}

static void test_commit_without_target_time_is_shown_at_once(void)
{
	timed_commit(false);
}

/* A commit behind a timed one waits behind it, though it has no time of its own. */
static void test_commit_after_timed_commit_waits_in_order(void)
{
	struct presenter_fixture p;
	presenter_start_paced(&p, 60, NULL);
	struct test_client *c = client_connect(&p);
	bind_managers(c);
	struct test_window *w = window_create(c);
	struct wp_commit_timer_v1 *timer =
		track(c, wp_commit_timing_manager_v1_get_timer(timing_manager, w->surface));
	struct fb first, second;
	int64_t target = hf_now_ns() + TARGET_MS * 1000000ll;
	feedback(c, w->surface, &first);
	set_target(timer, target);
	wl_surface_attach(w->surface, shm_buffer(c, 0xffff0000), 0, 0);
	wl_surface_commit(w->surface);
	feedback(c, w->surface, &second);
	wl_surface_attach(w->surface, shm_buffer(c, 0xff0000ff), 0, 0);
	wl_surface_commit(w->surface);
	dispatch_until(c, &second.done, 5000);
	CHECK(second.presented);
	CHECK_MSG(target - second.time_ns <= 1000000000 / 60 / 2 + 1000000,
		  "the later commit was shown %.1f ms before the earlier one's target",
		  (double)(target - second.time_ns) / 1e6);
	client_destroy(c);
	free(w);
	presenter_stop(&p);
}

static void timer_error(uint32_t nsec, bool twice, uint32_t code)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	bind_managers(c);
	struct wl_surface *s = track(c, wl_compositor_create_surface(c->compositor));
	struct wp_commit_timer_v1 *timer =
		track(c, wp_commit_timing_manager_v1_get_timer(timing_manager, s));
	wp_commit_timer_v1_set_timestamp(timer, 0, 1, nsec);
	if (twice)
		wp_commit_timer_v1_set_timestamp(timer, 0, 2, 0);
	expect_protocol_error(c, &wp_commit_timer_v1_interface, code);
	client_destroy(c);
	presenter_stop(&p);
}

static void test_timestamp_with_nsec_past_a_second_is_invalid_timestamp(void)
{
	timer_error(1000000000u, false, WP_COMMIT_TIMER_V1_ERROR_INVALID_TIMESTAMP);
}

static void test_two_timestamps_for_one_commit_is_timestamp_exists(void)
{
	timer_error(0, true, WP_COMMIT_TIMER_V1_ERROR_TIMESTAMP_EXISTS);
}

static void test_second_timer_is_commit_timer_exists(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	bind_managers(c);
	struct wl_surface *s = track(c, wl_compositor_create_surface(c->compositor));
	track(c, wp_commit_timing_manager_v1_get_timer(timing_manager, s));
	track(c, wp_commit_timing_manager_v1_get_timer(timing_manager, s));
	expect_protocol_error(c, &wp_commit_timing_manager_v1_interface,
			      WP_COMMIT_TIMING_MANAGER_V1_ERROR_COMMIT_TIMER_EXISTS);
	client_destroy(c);
	presenter_stop(&p);
}

HF_TESTS(T(test_fifo_barrier_shows_every_commit_in_order_at_60hz),
	 T(test_fifo_barrier_shows_every_commit_in_order_unpaced),
	 T(test_without_fifo_the_same_commits_replace_each_other),
	 T(test_barriers_clear_on_a_surface_that_shows_nothing),
	 T(test_second_fifo_object_is_already_exists),
	 T(test_fifo_request_after_surface_destroyed_is_error),
	 T(test_commit_with_target_time_waits_for_the_frame_nearest_it),
	 T(test_commit_without_target_time_is_shown_at_once),
	 T(test_commit_after_timed_commit_waits_in_order),
	 T(test_timestamp_with_nsec_past_a_second_is_invalid_timestamp),
	 T(test_two_timestamps_for_one_commit_is_timestamp_exists),
	 T(test_second_timer_is_commit_timer_exists))
