/*
 * handoff-v1 against a real headless presenter: every protocol error, and the sync rules
 * (release after the blit, mailbox discards, a client that never signals stalls nobody).
 */
#define _GNU_SOURCE
#include "harness.h"

#include "fixture.h"
#include "futex.h"
#include "image.h"
#include "time_util.h"
#include "timeline.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <glob.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <png.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Added to handoff-v1.xml by the presenter-core rewrite (issue 7); version stays 1. */
#ifndef HANDOFF_MANAGER_V1_ERROR_LIMIT_EXCEEDED
#define HANDOFF_MANAGER_V1_ERROR_LIMIT_EXCEEDED 8
#endif
#ifndef HANDOFF_SURFACE_V1_ERROR_QUEUE_FULL
#define HANDOFF_SURFACE_V1_ERROR_QUEUE_FULL 7
#endif

/* The per-client limits that handoff-v1.xml documents. */
#define MAX_TIMELINES       256
#define MAX_BUFFERS         256
#define MAX_MAPPED_BYTES    (4ull << 30)
#define MAX_WAITING_COMMITS 64
#define MAX_STRIDE          262144u

#define W    64
#define H    48
#define RED  0xffff0000u
#define BLUE 0xff0000ffu

struct setup {
	struct presenter_fixture presenter;
	struct test_client *client;
	struct test_window *window;
	struct handoff_surface_v1 *hs;
	struct hf_timeline *acquire, *release;
	struct handoff_timeline_v1 *acquire_obj, *release_obj;
};

/*
 * mode < 0 leaves the present mode alone and makes the handoff_surface_v1 after the window's
 * initial commit. Otherwise the initial (buffer-less) commit already carries the mode, as
 * handoff-producer's does.
 */
static void setup_start_with(struct setup *s, int refresh_hz, int mode)
{
	presenter_start_paced(&s->presenter, refresh_hz, NULL);
	s->client = client_connect(&s->presenter);
	s->window = window_create_uncommitted(s->client);
	if (mode >= 0) {
		s->hs = track(s->client, handoff_manager_v1_get_surface(s->client->manager,
									s->window->surface));
		handoff_surface_v1_set_present_mode(s->hs, (uint32_t)mode);
		window_initial_commit(s->window);
	} else {
		window_initial_commit(s->window);
		s->hs = track(s->client, handoff_manager_v1_get_surface(s->client->manager,
									s->window->surface));
	}
	s->acquire = hf_timeline_create();
	s->release = hf_timeline_create();
	CHECK(s->acquire && s->release);
	s->acquire_obj = import_timeline(s->client, s->acquire);
	s->release_obj = import_timeline(s->client, s->release);
	client_roundtrip(s->client);
}

static void setup_start(struct setup *s)
{
	setup_start_with(s, 0, -1);
}

static void setup_finish(struct setup *s)
{
	client_destroy(s->client);
	hf_timeline_unref(s->acquire);
	hf_timeline_unref(s->release);
	presenter_stop(&s->presenter);
	free(s->window);
}

static void commit_frame(struct setup *s, struct wl_buffer *b, uint64_t acquire, uint64_t release)
{
	wl_surface_attach(s->window->surface, b, 0, 0);
	wl_surface_damage_buffer(s->window->surface, 0, 0, W, H);
	handoff_surface_v1_set_acquire_point(s->hs, s->acquire_obj, 0, (uint32_t)acquire);
	handoff_surface_v1_set_release_point(s->hs, s->release_obj, 0, (uint32_t)release);
	wl_surface_commit(s->window->surface);
}

/*
 * Commits a NULL buffer, so that the content on screen is replaced: the presenter may hold the
 * buffer it shows until then (it may read it again to compose), so the shown commit's release
 * point is signaled only now.
 */
static void replace_with_null(struct setup *s)
{
	wl_surface_attach(s->window->surface, NULL, 0, 0);
	wl_surface_commit(s->window->surface);
	CHECK(wl_display_flush(s->client->display) >= 0);
}

static void expect_create_buffer_error(int fd, uint32_t kind, int32_t w, int32_t h, uint32_t fourcc,
				       uint32_t mod_lo, uint32_t offset, uint32_t stride,
				       uint32_t flags, uint32_t code)
{
	struct setup s;
	setup_start(&s);
	track(s.client, handoff_manager_v1_create_buffer(s.client->manager, fd, kind, w, h, fourcc,
							 0, mod_lo, offset, stride, flags));
	close(fd);
	expect_protocol_error(s.client, &handoff_manager_v1_interface, code);
	setup_finish(&s);
}

static void test_create_buffer_accepts_valid_image(void)
{
	struct setup s;
	setup_start(&s);
	struct wl_buffer *b = handoff_buffer(s.client, W, H, RED);
	client_roundtrip(s.client);
	wl_buffer_destroy(untrack(s.client, b));
	setup_finish(&s);
}

static void test_error_invalid_format(void)
{
	expect_create_buffer_error(image_memfd(W, H, 0, true), HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD,
				   W, H, DRM_FORMAT_NV12, 0, 0, W * 4, 0,
				   HANDOFF_MANAGER_V1_ERROR_INVALID_FORMAT);
}

static void test_error_invalid_format_modifier(void)
{
	expect_create_buffer_error(image_memfd(W, H, 0, true), HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD,
				   W, H, DRM_FORMAT_XRGB8888, 5, 0, W * 4, 0,
				   HANDOFF_MANAGER_V1_ERROR_INVALID_FORMAT);
}

static void test_error_invalid_dimensions_zero(void)
{
	expect_create_buffer_error(image_memfd(W, H, 0, true), HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD,
				   0, H, DRM_FORMAT_XRGB8888, 0, 0, W * 4, 0,
				   HANDOFF_MANAGER_V1_ERROR_INVALID_DIMENSIONS);
}

static void test_error_invalid_dimensions_stride(void)
{
	expect_create_buffer_error(image_memfd(W, H, 0, true), HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD,
				   W, H, DRM_FORMAT_XRGB8888, 0, 0, W * 4 - 1, 0,
				   HANDOFF_MANAGER_V1_ERROR_INVALID_DIMENSIONS);
}

static void test_error_out_of_bounds(void)
{
	expect_create_buffer_error(image_memfd(W, H, 0, true), HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD,
				   W, H, DRM_FORMAT_XRGB8888, 0, 4, W * 4, 0,
				   HANDOFF_MANAGER_V1_ERROR_OUT_OF_BOUNDS);
}

static void test_error_out_of_bounds_32bit_wrap(void)
{
	/* stride * height = 2^32: a 32-bit product would wrap to 0 and pass. */
	expect_create_buffer_error(image_memfd(W, H, 0, true), HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD,
				   16, 16384, DRM_FORMAT_XRGB8888, 0, 0, 0x40000, 0,
				   HANDOFF_MANAGER_V1_ERROR_OUT_OF_BOUNDS);
}

static void test_error_invalid_fd_unsealed(void)
{
	/* Unsealed memory could shrink under the presenter's mapping: SIGBUS. */
	expect_create_buffer_error(image_memfd(W, H, 0, false),
				   HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD, W, H, DRM_FORMAT_XRGB8888,
				   0, 0, W * 4, 0, HANDOFF_MANAGER_V1_ERROR_INVALID_FD);
}

static void test_error_invalid_fd_pipe(void)
{
	int fds[2];
	CHECK(pipe(fds) == 0);
	close(fds[1]);
	expect_create_buffer_error(fds[0], HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD, W, H,
				   DRM_FORMAT_XRGB8888, 0, 0, W * 4, 0,
				   HANDOFF_MANAGER_V1_ERROR_INVALID_FD);
}

static void test_error_unsupported_memory(void)
{
	expect_create_buffer_error(
		image_memfd(W, H, 0, true), HANDOFF_MANAGER_V1_MEMORY_KIND_VK_OPAQUE_FD, W, H,
		DRM_FORMAT_XRGB8888, 0, 0, W * 4, 0, HANDOFF_MANAGER_V1_ERROR_UNSUPPORTED_MEMORY);
}

static void test_error_invalid_flags(void)
{
	expect_create_buffer_error(image_memfd(W, H, 0, true), HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD,
				   W, H, DRM_FORMAT_XRGB8888, 0, 0, W * 4, 0x80,
				   HANDOFF_MANAGER_V1_ERROR_INVALID_FLAGS);
}

static void test_error_invalid_timeline_magic(void)
{
	struct setup s;
	setup_start(&s);
	int fd = image_memfd(64, 16, 0, true); /* 4096 zero bytes: no magic */
	track(s.client, handoff_manager_v1_import_timeline(s.client->manager, fd,
							   HANDOFF_MANAGER_V1_TIMELINE_KIND_SHM));
	close(fd);
	expect_protocol_error(s.client, &handoff_manager_v1_interface,
			      HANDOFF_MANAGER_V1_ERROR_INVALID_TIMELINE);
	setup_finish(&s);
}

static void test_error_invalid_timeline_kind(void)
{
	struct setup s;
	setup_start(&s);
	track(s.client,
	      handoff_manager_v1_import_timeline(s.client->manager, hf_timeline_get_fd(s.acquire),
						 HANDOFF_MANAGER_V1_TIMELINE_KIND_DRM_SYNCOBJ));
	expect_protocol_error(s.client, &handoff_manager_v1_interface,
			      HANDOFF_MANAGER_V1_ERROR_INVALID_TIMELINE);
	setup_finish(&s);
}

static void test_error_surface_exists(void)
{
	struct setup s;
	setup_start(&s);
	track(s.client, handoff_manager_v1_get_surface(s.client->manager, s.window->surface));
	expect_protocol_error(s.client, &handoff_manager_v1_interface,
			      HANDOFF_MANAGER_V1_ERROR_SURFACE_EXISTS);
	setup_finish(&s);
}

static void test_error_no_buffer(void)
{
	struct setup s;
	setup_start(&s);
	handoff_surface_v1_set_acquire_point(s.hs, s.acquire_obj, 0, 1);
	handoff_surface_v1_set_release_point(s.hs, s.release_obj, 0, 1);
	wl_surface_commit(s.window->surface);
	expect_protocol_error(s.client, &handoff_surface_v1_interface,
			      HANDOFF_SURFACE_V1_ERROR_NO_BUFFER);
	setup_finish(&s);
}

static void test_error_unsupported_buffer(void)
{
	struct setup s;
	setup_start(&s);
	int fd = image_memfd(W, H, RED, true);
	struct wl_shm_pool *pool =
		track(s.client, wl_shm_create_pool(s.client->shm, fd, W * H * 4));
	struct wl_buffer *b = track(
		s.client, wl_shm_pool_create_buffer(pool, 0, W, H, W * 4, WL_SHM_FORMAT_XRGB8888));
	close(fd);
	commit_frame(&s, b, 1, 1);
	expect_protocol_error(s.client, &handoff_surface_v1_interface,
			      HANDOFF_SURFACE_V1_ERROR_UNSUPPORTED_BUFFER);
	setup_finish(&s);
}

static void test_error_no_acquire_point(void)
{
	struct setup s;
	setup_start(&s);
	wl_surface_attach(s.window->surface, handoff_buffer(s.client, W, H, RED), 0, 0);
	handoff_surface_v1_set_release_point(s.hs, s.release_obj, 0, 1);
	wl_surface_commit(s.window->surface);
	expect_protocol_error(s.client, &handoff_surface_v1_interface,
			      HANDOFF_SURFACE_V1_ERROR_NO_ACQUIRE_POINT);
	setup_finish(&s);
}

static void test_error_no_release_point(void)
{
	struct setup s;
	setup_start(&s);
	wl_surface_attach(s.window->surface, handoff_buffer(s.client, W, H, RED), 0, 0);
	handoff_surface_v1_set_acquire_point(s.hs, s.acquire_obj, 0, 1);
	wl_surface_commit(s.window->surface);
	expect_protocol_error(s.client, &handoff_surface_v1_interface,
			      HANDOFF_SURFACE_V1_ERROR_NO_RELEASE_POINT);
	setup_finish(&s);
}

static void test_error_conflicting_points(void)
{
	struct setup s;
	setup_start(&s);
	wl_surface_attach(s.window->surface, handoff_buffer(s.client, W, H, RED), 0, 0);
	handoff_surface_v1_set_acquire_point(s.hs, s.acquire_obj, 0, 5);
	handoff_surface_v1_set_release_point(s.hs, s.acquire_obj, 0, 5);
	wl_surface_commit(s.window->surface);
	expect_protocol_error(s.client, &handoff_surface_v1_interface,
			      HANDOFF_SURFACE_V1_ERROR_CONFLICTING_POINTS);
	setup_finish(&s);
}

static void test_same_timeline_points_accepted_when_ordered(void)
{
	struct setup s;
	setup_start(&s);
	wl_surface_attach(s.window->surface, handoff_buffer(s.client, W, H, RED), 0, 0);
	handoff_surface_v1_set_acquire_point(s.hs, s.acquire_obj, 0, 5);
	handoff_surface_v1_set_release_point(s.hs, s.acquire_obj, 0, 6);
	wl_surface_commit(s.window->surface);
	client_roundtrip(s.client);
	hf_timeline_signal(s.acquire, 5);
	client_roundtrip(s.client);
	replace_with_null(&s);
	CHECK(hf_timeline_wait(s.acquire, 6, 5 * HF_NSEC_PER_SEC) == 0);
	client_roundtrip(s.client);
	setup_finish(&s);
}

static void test_error_invalid_mode(void)
{
	struct setup s;
	setup_start(&s);
	handoff_surface_v1_set_present_mode(s.hs, 7);
	expect_protocol_error(s.client, &handoff_surface_v1_interface,
			      HANDOFF_SURFACE_V1_ERROR_INVALID_MODE);
	setup_finish(&s);
}

static void test_error_no_surface(void)
{
	struct setup s;
	setup_start(&s);
	xdg_toplevel_destroy(untrack(s.client, s.window->toplevel));
	xdg_surface_destroy(untrack(s.client, s.window->xdg_surface));
	wl_surface_destroy(untrack(s.client, s.window->surface));
	handoff_surface_v1_set_acquire_point(s.hs, s.acquire_obj, 0, 1);
	expect_protocol_error(s.client, &handoff_surface_v1_interface,
			      HANDOFF_SURFACE_V1_ERROR_NO_SURFACE);
	client_destroy(s.client);
	hf_timeline_unref(s.acquire);
	hf_timeline_unref(s.release);
	presenter_stop(&s.presenter);
	free(s.window);
}

static void test_release_waits_for_acquire_then_follows_blit(void)
{
	struct setup s;
	setup_start(&s);
	struct feedback_result fb;
	request_feedback(s.client, s.window->surface, &fb);
	commit_frame(&s, handoff_buffer(s.client, W, H, RED), 1, 1);
	client_roundtrip(s.client);
	/* Not signaled: the presenter must not read, so must not release either. */
	CHECK(hf_timeline_wait(s.release, 1, 100 * 1000000) != 0);
	CHECK(!fb.done);
	hf_timeline_signal(s.acquire, 1);
	CHECK(wait_feedback(s.client, &fb, 5000) && fb.presented);
	replace_with_null(&s);
	CHECK_MSG(hf_timeline_wait(s.release, 1, 5 * HF_NSEC_PER_SEC) == 0, "never released");
	setup_finish(&s);
}

/* One commit with a release timeline of its own, so that each commit's release can be seen. */
struct frame {
	struct hf_timeline *release;
	struct handoff_timeline_v1 *release_obj;
	struct feedback_result fb;
};

static void frame_commit(struct setup *s, struct frame *f, struct wl_buffer *b,
			 struct handoff_timeline_v1 *acquire, uint64_t point)
{
	f->release = hf_timeline_create();
	CHECK(f->release);
	f->release_obj = import_timeline(s->client, f->release);
	request_feedback(s->client, s->window->surface, &f->fb);
	wl_surface_attach(s->window->surface, b, 0, 0);
	wl_surface_damage_buffer(s->window->surface, 0, 0, W, H);
	handoff_surface_v1_set_acquire_point(s->hs, acquire, (uint32_t)(point >> 32),
					     (uint32_t)point);
	handoff_surface_v1_set_release_point(s->hs, f->release_obj, 0, 1);
	wl_surface_commit(s->window->surface);
}

static void frame_expect_released(struct frame *f, int n)
{
	CHECK_MSG(hf_timeline_wait(f->release, 1, 5 * HF_NSEC_PER_SEC) == 0,
		  "frame %d was never released", n);
}

static void frame_expect_feedback(struct setup *s, struct frame *f, int n, bool presented)
{
	CHECK_MSG(wait_feedback(s->client, &f->fb, 5000), "frame %d got no feedback", n);
	CHECK_MSG(f->fb.presented == presented, "frame %d was %s, expected %s", n,
		  f->fb.presented ? "presented" : "discarded",
		  presented ? "presented" : "discarded");
}

static void frame_finish(struct frame *f)
{
	hf_timeline_unref(f->release);
}

/* The newest ready commit replaces older ones even when they are not ready themselves. */
static void test_mailbox_discards_replaced_frames(void)
{
	struct setup s;
	setup_start(&s);
	handoff_surface_v1_set_present_mode(s.hs, HANDOFF_SURFACE_V1_PRESENT_MODE_MAILBOX);
	/* A timeline per commit: signaling the newest leaves the older points unsignaled. */
	struct hf_timeline *acquire[3];
	struct frame f[3];
	for (int i = 0; i < 3; i++) {
		acquire[i] = hf_timeline_create();
		CHECK(acquire[i]);
		frame_commit(&s, &f[i], handoff_buffer(s.client, W, H, RED + (uint32_t)i),
			     import_timeline(s.client, acquire[i]), 1);
	}
	client_roundtrip(s.client);
	hf_timeline_signal(acquire[2], 1);
	for (int i = 0; i < 2; i++)
		frame_expect_released(&f[i], i + 1);
	for (int i = 0; i < 3; i++)
		frame_expect_feedback(&s, &f[i], i + 1, i == 2);
	replace_with_null(&s);
	frame_expect_released(&f[2], 3);
	CHECK(hf_timeline_query(acquire[0]) == 0 && hf_timeline_query(acquire[1]) == 0);
	for (int i = 0; i < 3; i++) {
		frame_finish(&f[i]);
		hf_timeline_unref(acquire[i]);
	}
	setup_finish(&s);
}

/*
 * "At once" means before the next output refresh: on a 2 Hz output, a commit replaced just after
 * a refresh is released long before the next one (today it waited for the next latch).
 */
static void test_mailbox_releases_replaced_frame_before_next_refresh(void)
{
	struct setup s;
	setup_start_with(&s, 2, HANDOFF_SURFACE_V1_PRESENT_MODE_MAILBOX);
	struct wl_buffer *b = handoff_buffer(s.client, W, H, RED);
	struct hf_timeline *never = hf_timeline_create();
	CHECK(never);
	struct handoff_timeline_v1 *never_obj = import_timeline(s.client, never);
	struct frame f[3];
	frame_commit(&s, &f[0], b, s.acquire_obj, 1);
	hf_timeline_signal(s.acquire, 1);
	/* A refresh just happened: the next is 500 ms away. */
	frame_expect_feedback(&s, &f[0], 1, true);
	frame_commit(&s, &f[1], b, never_obj, 1);
	frame_commit(&s, &f[2], b, s.acquire_obj, 2);
	client_roundtrip(s.client);
	hf_timeline_signal(s.acquire, 2);
	if (hf_timeline_wait(f[1].release, 1, 200 * 1000000) != 0) {
		bool later = hf_timeline_wait(f[1].release, 1, HF_NSEC_PER_SEC) == 0;
		CHECK_MSG(false, "the replaced frame was released %s",
			  later ? "at the next refresh" : "not even at the next refresh");
	}
	frame_expect_feedback(&s, &f[1], 2, false);
	frame_expect_feedback(&s, &f[2], 3, true);
	replace_with_null(&s);
	for (int i = 0; i < 3; i++) {
		frame_expect_released(&f[i], i + 1);
		frame_finish(&f[i]);
	}
	hf_timeline_unref(never);
	setup_finish(&s);
}

static void test_fifo_presents_every_frame(void)
{
	struct setup s;
	setup_start(&s);
	handoff_surface_v1_set_present_mode(s.hs, HANDOFF_SURFACE_V1_PRESENT_MODE_FIFO);
	struct feedback_result fb[3];
	for (int i = 0; i < 3; i++) {
		request_feedback(s.client, s.window->surface, &fb[i]);
		commit_frame(&s, handoff_buffer(s.client, W, H, RED), (uint64_t)i + 1,
			     (uint64_t)i + 1);
	}
	hf_timeline_signal(s.acquire, 3);
	for (int i = 0; i < 3; i++)
		CHECK(wait_feedback(s.client, &fb[i], 5000) && fb[i].presented);
	replace_with_null(&s);
	CHECK(hf_timeline_wait(s.release, 3, 5 * HF_NSEC_PER_SEC) == 0);
	setup_finish(&s);
}

static void test_client_that_never_signals_stalls_nobody(void)
{
	struct setup stuck;
	setup_start(&stuck);
	commit_frame(&stuck, handoff_buffer(stuck.client, W, H, RED), 1, 1);
	client_roundtrip(stuck.client);

	struct test_client *other = client_connect(&stuck.presenter);
	struct test_window *w = window_create(other);
	struct handoff_surface_v1 *hs =
		track(other, handoff_manager_v1_get_surface(other->manager, w->surface));
	struct hf_timeline *tl = hf_timeline_create();
	struct handoff_timeline_v1 *obj = import_timeline(other, tl);
	for (uint32_t n = 1; n <= 20; n++) {
		struct feedback_result fb;
		request_feedback(other, w->surface, &fb);
		wl_surface_attach(w->surface, handoff_buffer(other, W, H, BLUE), 0, 0);
		handoff_surface_v1_set_acquire_point(hs, obj, 0, 2 * n - 1);
		handoff_surface_v1_set_release_point(hs, obj, 0, 2 * n);
		wl_surface_commit(w->surface);
		hf_timeline_signal(tl, 2 * n - 1);
		CHECK_MSG(wait_feedback(other, &fb, 5000) && fb.presented, "frame %u stalled", n);
	}
	CHECK(hf_timeline_query(stuck.release) == 0);
	client_destroy(other);
	free(w);
	hf_timeline_unref(tl);
	setup_finish(&stuck);
}

static void test_disconnect_signals_pending_release_points(void)
{
	struct setup s;
	setup_start(&s);
	commit_frame(&s, handoff_buffer(s.client, W, H, RED), 1, 1);
	client_roundtrip(s.client);
	client_destroy(s.client);
	/* Our own mapping of the release timeline outlives the connection. */
	CHECK(hf_timeline_wait(s.release, 1, 5 * HF_NSEC_PER_SEC) == 0);
	hf_timeline_unref(s.acquire);
	hf_timeline_unref(s.release);
	presenter_stop(&s.presenter);
	free(s.window);
}

/* libwayland's SIGBUS guard covers wl_shm: a pool truncated under the presenter is the
 * client's error (libwayland posts it on the wl_buffer), never the presenter's crash. */
static void test_truncated_shm_pool_does_not_crash_presenter(void)
{
	struct setup s;
	setup_start(&s);
	int fd = image_memfd(W, H, RED, false);
	struct wl_shm_pool *pool =
		track(s.client, wl_shm_create_pool(s.client->shm, fd, W * H * 4));
	struct wl_buffer *b = track(
		s.client, wl_shm_pool_create_buffer(pool, 0, W, H, W * 4, WL_SHM_FORMAT_XRGB8888));
	handoff_surface_v1_destroy(untrack(s.client, s.hs));
	CHECK(ftruncate(fd, 0) == 0);
	close(fd);
	wl_surface_attach(s.window->surface, b, 0, 0);
	wl_surface_commit(s.window->surface);
	expect_protocol_error(s.client, &wl_buffer_interface, WL_SHM_ERROR_INVALID_FD);
	/* The presenter still serves others. */
	struct test_client *other = client_connect(&s.presenter);
	client_destroy(other);
	setup_finish(&s);
}

/* A y_invert buffer holds its bottom row first: the top of the output shows it. */
static void test_y_invert_buffer_is_shown_upright(void)
{
	char shot[64];
	snprintf(shot, sizeof(shot), "/tmp/handoff-yinv-%d.png", getpid());
	const char *args[] = {"--snapshot", shot, NULL};
	struct setup s;
	s.presenter = (struct presenter_fixture){0};
	presenter_start(&s.presenter, args);
	s.client = client_connect(&s.presenter);
	s.window = window_create(s.client);
	s.hs = track(s.client,
		     handoff_manager_v1_get_surface(s.client->manager, s.window->surface));
	s.acquire = hf_timeline_create();
	s.release = hf_timeline_create();
	s.acquire_obj = import_timeline(s.client, s.acquire);
	s.release_obj = import_timeline(s.client, s.release);
	/* Rows 0..H/2 in memory are RED, the rest BLUE: upright, the top is BLUE. */
	int fd = image_memfd(W, H, BLUE, true);
	uint32_t *p = mmap(NULL, W * H * 4, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	for (int i = 0; i < W * H / 2; i++)
		p[i] = RED;
	munmap(p, W * H * 4);
	struct wl_buffer *b =
		track(s.client, handoff_manager_v1_create_buffer(
					s.client->manager, fd, HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD,
					W, H, DRM_FORMAT_XRGB8888, 0, 0, 0, W * 4,
					HANDOFF_MANAGER_V1_BUFFER_FLAGS_Y_INVERT));
	close(fd);
	struct feedback_result fb;
	request_feedback(s.client, s.window->surface, &fb);
	commit_frame(&s, b, 1, 1);
	hf_timeline_signal(s.acquire, 1);
	CHECK(wait_feedback(s.client, &fb, 5000) && fb.presented);
	presenter_stop(&s.presenter); /* writes the snapshot with the window still shown */
	client_destroy(s.client);
	hf_timeline_unref(s.acquire);
	hf_timeline_unref(s.release);
	free(s.window);

	png_image img = {.version = PNG_IMAGE_VERSION};
	CHECK(png_image_begin_read_from_file(&img, shot));
	img.format = PNG_FORMAT_BGRA;
	uint32_t *px = malloc(PNG_IMAGE_SIZE(img));
	CHECK(px && png_image_finish_read(&img, NULL, px, 0, NULL));
	unlink(shot);
	uint32_t top = px[0] & 0xffffff, bottom = px[(img.height - 1) * img.width] & 0xffffff;
	free(px);
	CHECK_MSG(top == (BLUE & 0xffffff) && bottom == (RED & 0xffffff),
		  "top %06x bottom %06x: the picture is upside down", top, bottom);
}

/* --- set_present_mode applies per commit, from the next commit on ------------------------- */

static void expect_presented_in_order(struct setup *s, struct frame *f, int first, int last)
{
	int order = 0;
	for (int i = first; i <= last; i++) {
		frame_expect_feedback(s, &f[i], i + 1, true);
		CHECK_MSG(f[i].fb.order > order, "frame %d was presented out of order", i + 1);
		order = f[i].fb.order;
	}
}

/* Commits made in fifo keep fifo's promise (every one shown) when the mode changes later. */
static void test_present_mode_switch_to_mailbox_keeps_queued_fifo_commits(void)
{
	struct setup s;
	setup_start(&s);
	struct wl_buffer *b = handoff_buffer(s.client, W, H, RED);
	struct frame f[4];
	handoff_surface_v1_set_present_mode(s.hs, HANDOFF_SURFACE_V1_PRESENT_MODE_FIFO);
	for (int i = 0; i < 3; i++)
		frame_commit(&s, &f[i], b, s.acquire_obj, (uint64_t)i + 1);
	handoff_surface_v1_set_present_mode(s.hs, HANDOFF_SURFACE_V1_PRESENT_MODE_MAILBOX);
	frame_commit(&s, &f[3], b, s.acquire_obj, 4);
	client_roundtrip(s.client);
	hf_timeline_signal(s.acquire, 4); /* all four ready at once */
	expect_presented_in_order(&s, f, 0, 3);
	replace_with_null(&s);
	for (int i = 0; i < 4; i++)
		frame_expect_released(&f[i], i + 1);
	for (int i = 0; i < 4; i++)
		frame_finish(&f[i]);
	setup_finish(&s);
}

/* Commits made in mailbox are still replaced when the mode changes to fifo after them. */
static void test_present_mode_switch_to_fifo_keeps_queued_mailbox_commits(void)
{
	struct setup s;
	setup_start(&s);
	struct wl_buffer *b = handoff_buffer(s.client, W, H, RED);
	struct frame f[4];
	handoff_surface_v1_set_present_mode(s.hs, HANDOFF_SURFACE_V1_PRESENT_MODE_MAILBOX);
	for (int i = 0; i < 2; i++)
		frame_commit(&s, &f[i], b, s.acquire_obj, (uint64_t)i + 1);
	handoff_surface_v1_set_present_mode(s.hs, HANDOFF_SURFACE_V1_PRESENT_MODE_FIFO);
	for (int i = 2; i < 4; i++)
		frame_commit(&s, &f[i], b, s.acquire_obj, (uint64_t)i + 1);
	client_roundtrip(s.client);
	hf_timeline_signal(s.acquire, 4);
	frame_expect_feedback(&s, &f[0], 1, false);
	expect_presented_in_order(&s, f, 1, 3);
	replace_with_null(&s);
	for (int i = 0; i < 4; i++)
		frame_expect_released(&f[i], i + 1);
	for (int i = 0; i < 4; i++)
		frame_finish(&f[i]);
	setup_finish(&s);
}

/* --- fifo and mailbox on paced outputs -------------------------------------------------- */

/* Commits arrive faster than the output shows them: fifo shows each once, in order. */
static void fifo_presents_every_frame_in_order(int refresh_hz)
{
	enum { N = 8 };
	struct setup s;
	setup_start_with(&s, refresh_hz, HANDOFF_SURFACE_V1_PRESENT_MODE_FIFO);
	struct wl_buffer *b[2] = {handoff_buffer(s.client, W, H, RED),
				  handoff_buffer(s.client, W, H, BLUE)};
	struct frame f[N + 1];
	frame_commit(&s, &f[0], b[0], s.acquire_obj, 1);
	hf_timeline_signal(s.acquire, 1);
	frame_expect_feedback(&s, &f[0], 1, true);
	/*
	 * Then, in one batch, a buffer-less commit (a client may commit state without content at
	 * any time) and N frames behind it: the buffer-less commit must not hold the fifo slot so
	 * that the frames behind it are never watched (the stall of issue 7).
	 */
	wl_surface_commit(s.window->surface);
	for (int i = 1; i <= N; i++)
		frame_commit(&s, &f[i], b[i % 2], s.acquire_obj, (uint64_t)i + 1);
	CHECK(wl_display_flush(s.client->display) >= 0);
	hf_timeline_signal(s.acquire, N + 1); /* all ready at once: still one per output frame */
	expect_presented_in_order(&s, f, 1, N);
	replace_with_null(&s);
	for (int i = 0; i <= N; i++) {
		frame_expect_released(&f[i], i + 1);
		frame_finish(&f[i]);
	}
	setup_finish(&s);
}

/*
 * A two-buffer producer at full speed: each frame waits for the release of the frame two
 * before it. Every frame gets feedback, the last is presented, and none is presented after a
 * newer one.
 */
static void mailbox_keeps_two_buffers_flowing(int refresh_hz)
{
	enum { N = 24 };
	struct setup s;
	setup_start_with(&s, refresh_hz, HANDOFF_SURFACE_V1_PRESENT_MODE_MAILBOX);
	struct wl_buffer *b[2] = {handoff_buffer(s.client, W, H, RED),
				  handoff_buffer(s.client, W, H, BLUE)};
	struct frame f[N];
	for (int i = 0; i < N; i++) {
		if (i >= 2)
			frame_expect_released(&f[i - 2], i - 1);
		frame_commit(&s, &f[i], b[i % 2], s.acquire_obj, (uint64_t)i + 1);
		CHECK(wl_display_flush(s.client->display) >= 0);
		hf_timeline_signal(s.acquire, (uint64_t)i + 1);
	}
	frame_expect_feedback(&s, &f[N - 1], N, true);
	replace_with_null(&s);
	int order = 0;
	for (int i = 0; i < N; i++) {
		CHECK_MSG(wait_feedback(s.client, &f[i].fb, 5000), "frame %d got no feedback",
			  i + 1);
		if (f[i].fb.presented) {
			CHECK_MSG(f[i].fb.order > order, "frame %d was presented after a newer one",
				  i + 1);
			order = f[i].fb.order;
		}
		frame_expect_released(&f[i], i + 1);
		frame_finish(&f[i]);
	}
	setup_finish(&s);
}

static void test_fifo_presents_every_frame_in_order_unpaced(void)
{
	fifo_presents_every_frame_in_order(0);
}

static void test_fifo_presents_every_frame_in_order_at_30hz(void)
{
	fifo_presents_every_frame_in_order(30);
}

static void test_fifo_presents_every_frame_in_order_at_60hz(void)
{
	fifo_presents_every_frame_in_order(60);
}

static void test_fifo_presents_every_frame_in_order_at_144hz(void)
{
	fifo_presents_every_frame_in_order(144);
}

static void test_mailbox_keeps_two_buffers_flowing_unpaced(void)
{
	mailbox_keeps_two_buffers_flowing(0);
}

static void test_mailbox_keeps_two_buffers_flowing_at_30hz(void)
{
	mailbox_keeps_two_buffers_flowing(30);
}

static void test_mailbox_keeps_two_buffers_flowing_at_60hz(void)
{
	mailbox_keeps_two_buffers_flowing(60);
}

static void test_mailbox_keeps_two_buffers_flowing_at_144hz(void)
{
	mailbox_keeps_two_buffers_flowing(144);
}

/* --- destroying objects while commits wait ----------------------------------------------- */

enum queued_victim { VICTIM_HANDOFF_SURFACE, VICTIM_ACQUIRE_TIMELINE, VICTIM_BUFFER };

/* A commit already made keeps its buffer and points whatever the client destroys after it. */
static void queued_commit_survives_destroy(enum queued_victim victim)
{
	struct setup s;
	setup_start(&s);
	struct wl_buffer *b = handoff_buffer(s.client, W, H, RED);
	struct frame f;
	frame_commit(&s, &f, b, s.acquire_obj, 1);
	client_roundtrip(s.client);
	switch (victim) {
	case VICTIM_HANDOFF_SURFACE:
		handoff_surface_v1_destroy(untrack(s.client, s.hs));
		break;
	case VICTIM_ACQUIRE_TIMELINE:
		handoff_timeline_v1_destroy(untrack(s.client, s.acquire_obj));
		break;
	case VICTIM_BUFFER:
		wl_buffer_destroy(untrack(s.client, b));
		break;
	}
	client_roundtrip(s.client);
	CHECK(!f.fb.done);
	hf_timeline_signal(s.acquire, 1);
	frame_expect_feedback(&s, &f, 1, true);
	replace_with_null(&s);
	frame_expect_released(&f, 1);
	frame_finish(&f);
	setup_finish(&s);
}

static void test_queued_commit_survives_handoff_surface_destroy(void)
{
	queued_commit_survives_destroy(VICTIM_HANDOFF_SURFACE);
}

static void test_queued_commit_survives_acquire_timeline_destroy(void)
{
	queued_commit_survives_destroy(VICTIM_ACQUIRE_TIMELINE);
}

static void test_queued_commit_survives_wl_buffer_destroy(void)
{
	queued_commit_survives_destroy(VICTIM_BUFFER);
}

static void test_surface_destroy_releases_and_discards_queued_commits(void)
{
	struct setup s;
	setup_start(&s);
	struct wl_buffer *b = handoff_buffer(s.client, W, H, RED);
	struct frame f[3];
	for (int i = 0; i < 3; i++)
		frame_commit(&s, &f[i], b, s.acquire_obj, (uint64_t)i + 1);
	client_roundtrip(s.client);
	xdg_toplevel_destroy(untrack(s.client, s.window->toplevel));
	xdg_surface_destroy(untrack(s.client, s.window->xdg_surface));
	wl_surface_destroy(untrack(s.client, s.window->surface));
	client_roundtrip(s.client);
	for (int i = 0; i < 3; i++)
		frame_expect_released(&f[i], i + 1);
	for (int i = 0; i < 3; i++) {
		frame_expect_feedback(&s, &f[i], i + 1, false);
		frame_finish(&f[i]);
	}
	CHECK(hf_timeline_query(s.acquire) == 0);
	setup_finish(&s);
}

/* --- strides ------------------------------------------------------------------------------ */

/* A sparse sealed memfd: its size costs nothing until written. */
static int sparse_memfd(uint64_t size)
{
	int fd = memfd_create("test-sparse", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, (off_t)size) == 0);
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) == 0);
	return fd;
}

/* After a client's protocol error, another client still gets a window. */
static void expect_presenter_serves_others(const struct presenter_fixture *f)
{
	struct test_client *other = client_connect(f);
	struct test_window *w = window_create(other);
	client_roundtrip(other);
	client_destroy(other);
	free(w);
}

/*
 * The file holds offset + stride * height, so only the stride check can refuse the buffer. The
 * same batch commits it with its acquire point signaled: a presenter that took the buffer would
 * read it at once.
 */
static void expect_stride_refused(uint32_t stride, int32_t height)
{
	struct setup s;
	setup_start(&s);
	int fd = sparse_memfd((uint64_t)stride * (uint64_t)height + 4096);
	struct wl_buffer *b =
		track(s.client, handoff_manager_v1_create_buffer(
					s.client->manager, fd, HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD,
					W, height, DRM_FORMAT_XRGB8888, 0, 0, 0, stride, 0));
	close(fd);
	hf_timeline_signal(s.acquire, 1);
	commit_frame(&s, b, 1, 2);
	expect_protocol_error(s.client, &handoff_manager_v1_interface,
			      HANDOFF_MANAGER_V1_ERROR_INVALID_DIMENSIONS);
	expect_presenter_serves_others(&s.presenter);
	setup_finish(&s);
}

static void test_error_invalid_dimensions_stride_2g(void)
{
	expect_stride_refused(0x80000000u, 2);
}

static void test_error_invalid_dimensions_stride_near_2g(void)
{
	expect_stride_refused(0x7ffffffcu, 2);
}

static void test_error_invalid_dimensions_stride_above_262144(void)
{
	expect_stride_refused(MAX_STRIDE + 4, H);
}

static void test_error_invalid_dimensions_stride_not_whole_pixels(void)
{
	expect_stride_refused(W * 4 + 2, H);
}

static void test_create_buffer_accepts_stride_262144(void)
{
	struct setup s;
	setup_start(&s);
	int fd = sparse_memfd((uint64_t)MAX_STRIDE * H);
	struct feedback_result fb;
	request_feedback(s.client, s.window->surface, &fb);
	commit_frame(
		&s,
		track(s.client, handoff_manager_v1_create_buffer(
					s.client->manager, fd, HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD,
					W, H, DRM_FORMAT_XRGB8888, 0, 0, 0, MAX_STRIDE, 0)),
		1, 1);
	close(fd);
	hf_timeline_signal(s.acquire, 1);
	CHECK(wait_feedback(s.client, &fb, 5000) && fb.presented);
	setup_finish(&s);
}

/* A plain wl_shm buffer that libwayland accepts but whose rows overlap or split pixels. */
static void expect_shm_stride_refused(int32_t stride)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	struct test_window *w = window_create(c);
	/* The pool holds stride * height, as libwayland requires. */
	int fd = sparse_memfd((uint64_t)stride * H);
	struct wl_shm_pool *pool = track(c, wl_shm_create_pool(c->shm, fd, stride * H));
	close(fd);
	struct wl_buffer *b =
		track(c, wl_shm_pool_create_buffer(pool, 0, W, H, stride, WL_SHM_FORMAT_XRGB8888));
	client_roundtrip(c); /* libwayland itself accepts it */
	wl_surface_attach(w->surface, b, 0, 0);
	wl_surface_damage_buffer(w->surface, 0, 0, W, H);
	wl_surface_commit(w->surface);
	expect_protocol_error(c, &wl_buffer_interface, WL_SHM_ERROR_INVALID_STRIDE);
	client_destroy(c);
	free(w);
	expect_presenter_serves_others(&p);
	presenter_stop(&p);
}

static void test_shm_stride_below_row_is_invalid_stride(void)
{
	expect_shm_stride_refused(W * 2);
}

static void test_shm_stride_not_whole_pixels_is_invalid_stride(void)
{
	expect_shm_stride_refused(W * 4 + 2);
}

/* --- per-client limits --------------------------------------------------------------------- */

static void test_imported_timelines_keep_no_fd_open(void)
{
	enum { N = 200 };
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	client_roundtrip(c);
	int before = presenter_count_fds(&p);
	struct hf_timeline *tls[N];
	for (int i = 0; i < N; i++) {
		tls[i] = hf_timeline_create();
		CHECK(tls[i]);
		import_timeline(c, tls[i]);
	}
	client_roundtrip(c);
	int grown = presenter_count_fds(&p) - before;
	CHECK_MSG(grown <= 8, "%d imported timelines left %d more fds open in the presenter", N,
		  grown);
	client_destroy(c);
	for (int i = 0; i < N; i++)
		hf_timeline_unref(tls[i]);
	presenter_stop(&p);
}

static void test_timeline_limit_is_256_alive_per_client(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	struct hf_timeline *tls[MAX_TIMELINES + 2];
	struct handoff_timeline_v1 *objs[MAX_TIMELINES];
	for (int i = 0; i < MAX_TIMELINES + 2; i++) {
		tls[i] = hf_timeline_create();
		CHECK(tls[i]);
	}
	for (int i = 0; i < MAX_TIMELINES; i++)
		objs[i] = import_timeline(c, tls[i]);
	client_roundtrip(c);
	/* A destroyed timeline no longer counts. */
	handoff_timeline_v1_destroy(untrack(c, objs[0]));
	import_timeline(c, tls[MAX_TIMELINES]);
	client_roundtrip(c);
	import_timeline(c, tls[MAX_TIMELINES + 1]);
	expect_protocol_error(c, &handoff_manager_v1_interface,
			      HANDOFF_MANAGER_V1_ERROR_LIMIT_EXCEEDED);
	client_destroy(c);
	for (int i = 0; i < MAX_TIMELINES + 2; i++)
		hf_timeline_unref(tls[i]);
	expect_presenter_serves_others(&p);
	presenter_stop(&p);
}

static void test_buffer_limit_is_256_per_client(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	int fd = image_memfd(W, H, 0, true);
	for (int i = 0; i <= MAX_BUFFERS; i++) {
		if (i == MAX_BUFFERS)
			client_roundtrip(c); /* 256 are fine */
		track(c, handoff_manager_v1_create_buffer(
				 c->manager, fd, HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD, W, H,
				 DRM_FORMAT_XRGB8888, 0, 0, 0, W * 4, 0));
	}
	close(fd);
	expect_protocol_error(c, &handoff_manager_v1_interface,
			      HANDOFF_MANAGER_V1_ERROR_LIMIT_EXCEEDED);
	client_destroy(c);
	expect_presenter_serves_others(&p);
	presenter_stop(&p);
}

static void test_mapped_bytes_limit_is_4gib_per_client(void)
{
	enum { SIDE = 16384 };
	const uint64_t size = (uint64_t)SIDE * SIDE * 4; /* 1 GiB */
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	int fd = sparse_memfd(size);
	for (uint64_t mapped = 0; mapped <= MAX_MAPPED_BYTES; mapped += size) {
		if (mapped == MAX_MAPPED_BYTES)
			client_roundtrip(c); /* exactly 4 GiB is fine */
		track(c, handoff_manager_v1_create_buffer(
				 c->manager, fd, HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD, SIDE, SIDE,
				 DRM_FORMAT_XRGB8888, 0, 0, 0, SIDE * 4, 0));
	}
	close(fd);
	expect_protocol_error(c, &handoff_manager_v1_interface,
			      HANDOFF_MANAGER_V1_ERROR_LIMIT_EXCEEDED);
	client_destroy(c);
	expect_presenter_serves_others(&p);
	presenter_stop(&p);
}

/* A client that never signals cannot grow the presenter's queue without bound. */
static void test_waiting_commit_limit_is_64_per_surface(void)
{
	struct setup s;
	setup_start(&s);
	struct wl_buffer *b = handoff_buffer(s.client, W, H, RED);
	for (uint64_t n = 1; n <= MAX_WAITING_COMMITS + 1; n++) {
		if (n == MAX_WAITING_COMMITS + 1)
			client_roundtrip(s.client); /* 64 are fine */
		commit_frame(&s, b, n, n);
	}
	expect_protocol_error(s.client, &handoff_surface_v1_interface,
			      HANDOFF_SURFACE_V1_ERROR_QUEUE_FULL);
	expect_presenter_serves_others(&s.presenter);
	setup_finish(&s);
}

/* The limits that no protocol defines end the client with wl_display.error.no_memory, whose
 * message names the limit; libwayland-client reports it as ENOMEM. */
static void expect_no_memory_error(struct test_client *c)
{
	int r = 0;
	for (int i = 0; i < 10 && r >= 0; i++)
		r = wl_display_roundtrip(c->display);
	CHECK_MSG(r < 0, "no error came");
	CHECK_MSG(wl_display_get_error(c->display) == ENOMEM, "expected no_memory, got %s",
		  strerror(wl_display_get_error(c->display)));
}

static void test_frame_callback_limit_is_256_per_client(void)
{
	struct setup s;
	setup_start(&s);
	for (int i = 0; i < 256; i++)
		track(s.client, wl_surface_frame(s.window->surface));
	client_roundtrip(s.client); /* 256 are fine */
	track(s.client, wl_surface_frame(s.window->surface));
	expect_no_memory_error(s.client);
	expect_presenter_serves_others(&s.presenter);
	setup_finish(&s);
}

static void test_feedback_limit_is_256_per_client(void)
{
	struct setup s;
	setup_start(&s);
	for (int i = 0; i < 256; i++)
		track(s.client,
		      wp_presentation_feedback(s.client->presentation, s.window->surface));
	client_roundtrip(s.client);
	track(s.client, wp_presentation_feedback(s.client->presentation, s.window->surface));
	expect_no_memory_error(s.client);
	expect_presenter_serves_others(&s.presenter);
	setup_finish(&s);
}

static void test_surface_limit_is_256_per_client(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	for (int i = 0; i < 256; i++) {
		if (i == 255)
			client_roundtrip(c); /* the 256th is still fine */
		wl_surface_destroy(wl_compositor_create_surface(c->compositor));
	}
	client_roundtrip(c); /* destroyed surfaces do not count */
	struct wl_surface *kept[256];
	for (int i = 0; i < 256; i++)
		kept[i] = wl_compositor_create_surface(c->compositor);
	client_roundtrip(c);
	struct wl_surface *over = wl_compositor_create_surface(c->compositor);
	expect_no_memory_error(c);
	wl_surface_destroy(over);
	for (int i = 0; i < 256; i++)
		wl_surface_destroy(kept[i]);
	expect_presenter_serves_others(&p);
	client_destroy(c);
	presenter_stop(&p);
}

/* --acquire-timeout: a commit whose acquire point never comes ends its client, nobody else. */
static void test_acquire_timeout_disconnects_only_that_client(void)
{
	const char *args[] = {"--acquire-timeout", "1", NULL};
	struct setup s = {0};
	presenter_start(&s.presenter, args);
	s.client = client_connect(&s.presenter);
	s.window = window_create(s.client);
	s.hs = track(s.client,
		     handoff_manager_v1_get_surface(s.client->manager, s.window->surface));
	s.acquire = hf_timeline_create();
	s.release = hf_timeline_create();
	s.acquire_obj = import_timeline(s.client, s.acquire);
	s.release_obj = import_timeline(s.client, s.release);
	int64_t start = hf_now_ns();
	commit_frame(&s, handoff_buffer(s.client, W, H, RED), 1, 1);
	client_roundtrip(s.client);
	/* Within the second, nothing happens; after it, the error. */
	CHECK(wl_display_roundtrip(s.client->display) >= 0);
	int r = 0;
	while (r >= 0 && hf_now_ns() - start < 5 * HF_NSEC_PER_SEC) {
		hf_sleep_ns(50 * 1000000LL);
		r = wl_display_roundtrip(s.client->display);
	}
	CHECK_MSG(r < 0, "the client was not disconnected after 5 s");
	CHECK_MSG(hf_now_ns() - start >= HF_NSEC_PER_SEC, "disconnected before the timeout");
	const struct wl_interface *iface = NULL;
	uint32_t id;
	uint32_t code = wl_display_get_protocol_error(s.client->display, &iface, &id);
	CHECK_MSG(iface == &handoff_surface_v1_interface &&
			  code == HANDOFF_SURFACE_V1_ERROR_ACQUIRE_TIMEOUT,
		  "got error %u on %s", code, iface ? iface->name : "?");
	/* Its release point is signaled as it goes; the presenter serves others. */
	CHECK(hf_timeline_wait(s.release, 1, 5 * HF_NSEC_PER_SEC) == 0);
	expect_presenter_serves_others(&s.presenter);
	setup_finish(&s);
}

/* --limit changes a limit: with timelines=4, the fifth import is one too many. */
static void test_limit_option_sets_the_timeline_limit(void)
{
	const char *args[] = {"--limit", "timelines=4", NULL};
	struct presenter_fixture p;
	presenter_start(&p, args);
	struct test_client *c = client_connect(&p);
	struct hf_timeline *tl = hf_timeline_create();
	CHECK(tl);
	for (int i = 0; i < 4; i++)
		import_timeline(c, tl);
	client_roundtrip(c);
	import_timeline(c, tl);
	expect_protocol_error(c, &handoff_manager_v1_interface,
			      HANDOFF_MANAGER_V1_ERROR_LIMIT_EXCEEDED);
	client_destroy(c);
	hf_timeline_unref(tl);
	presenter_stop(&p);
}

/* --- create_vk_image (version 2) ---------------------------------------------------------- */

#define VK_FORMAT_R8G8B8A8_UNORM_   37u
#define VK_FORMAT_B8G8R8A8_UNORM_   44u
#define VK_IMAGE_USAGE_TRANSFER_SRC 1u

/* A Vulkan presenter on Mesa's lavapipe, which CI has: skipped where it is not installed. */
static void start_vulkan_presenter(struct setup *s)
{
	glob_t g;
	bool lavapipe = glob("/usr/share/vulkan/icd.d/lvp_icd*.json", 0, NULL, &g) == 0;
	if (lavapipe)
		globfree(&g);
	if (!lavapipe)
		hf_test_skip("no lavapipe ICD (mesa-vulkan-drivers)");
	const char *args[] = {"--renderer", "vulkan", NULL};
	*s = (struct setup){0};
	presenter_start(&s->presenter, args);
	s->client = client_connect(&s->presenter);
	s->window = window_create(s->client);
	s->acquire = hf_timeline_create();
	s->release = hf_timeline_create();
	CHECK(handoff_manager_v1_get_version(s->client->manager) >= 2);
}

static void create_vk_image(struct setup *s, uint32_t kind, uint32_t vk_format,
			    uint32_t memory_type)
{
	/* Laid out as a CPU device's opaque fd is (a header: size, offset), so that the request
	 * gets past the fd's checks to the one it tests. */
	uint64_t header[2] = {4096 + W * H * 4 * 2, 4096};
	int fd = hf_memfd_create_sealed("vk-image", header[0]);
	if (pwrite(fd, header, sizeof(header), 0) != (ssize_t)sizeof(header))
		fprintf(stderr, "cannot write the memory header\n");
	track(s->client, handoff_manager_v1_create_vk_image(
				 s->client->manager, fd, kind, W, H, DRM_FORMAT_XRGB8888, vk_format,
				 0 /* optimal */, VK_IMAGE_USAGE_TRANSFER_SRC, 0, 0, W * H * 4 * 2,
				 memory_type, 0, 0, 0));
	close(fd);
}

/* handoff-v1.xml: a fourcc that does not match vk_format is invalid_format. */
static void test_create_vk_image_with_another_format_is_invalid_format(void)
{
	struct setup s;
	start_vulkan_presenter(&s);
	create_vk_image(&s, HANDOFF_MANAGER_V1_MEMORY_KIND_VK_OPAQUE_FD, VK_FORMAT_R8G8B8A8_UNORM_,
			0);
	expect_protocol_error(s.client, &handoff_manager_v1_interface,
			      HANDOFF_MANAGER_V1_ERROR_INVALID_FORMAT);
	expect_presenter_serves_others(&s.presenter);
	setup_finish(&s);
}

static void test_create_vk_image_with_unknown_memory_type_is_invalid_vk_image(void)
{
	struct setup s;
	start_vulkan_presenter(&s);
	create_vk_image(&s, HANDOFF_MANAGER_V1_MEMORY_KIND_VK_OPAQUE_FD, VK_FORMAT_B8G8R8A8_UNORM_,
			1000);
	expect_protocol_error(s.client, &handoff_manager_v1_interface,
			      HANDOFF_MANAGER_V1_ERROR_INVALID_VK_IMAGE);
	expect_presenter_serves_others(&s.presenter);
	setup_finish(&s);
}

/* The pixman presenter offers no Vulkan memory: the request is answered, not crashed on. */
static void test_create_vk_image_without_vulkan_memory_is_unsupported(void)
{
	struct setup s;
	setup_start(&s);
	create_vk_image(&s, HANDOFF_MANAGER_V1_MEMORY_KIND_VK_OPAQUE_FD, VK_FORMAT_B8G8R8A8_UNORM_,
			0);
	expect_protocol_error(s.client, &handoff_manager_v1_interface,
			      HANDOFF_MANAGER_V1_ERROR_UNSUPPORTED_MEMORY);
	setup_finish(&s);
}

/* --- a peer that bumps the futex word without signaling ------------------------------------ */

struct bumper {
	pthread_t thread;
	uint32_t *word;
	atomic_bool stop;
};

static void *bumper_run(void *data)
{
	struct bumper *b = data;
	while (!atomic_load(&b->stop)) {
		__atomic_fetch_add(b->word, 1, __ATOMIC_SEQ_CST);
		hf_futex_wake_all(b->word, true);
	}
	return NULL;
}

static void test_futex_word_bumps_do_not_make_presenter_spin(void)
{
	struct setup s;
	setup_start(&s);
	struct feedback_result fb;
	request_feedback(s.client, s.window->surface, &fb);
	commit_frame(&s, handoff_buffer(s.client, W, H, RED), 1, 1);
	client_roundtrip(s.client); /* the presenter now watches acquire point 1 */
	struct bumper bumper = {.word = hf_timeline_futex_word(s.acquire)};
	CHECK(pthread_create(&bumper.thread, NULL, bumper_run, &bumper) == 0);
	long ticks0 = presenter_cpu_ticks(&s.presenter);
	int64_t t0 = hf_now_ns();
	hf_sleep_ns(2 * HF_NSEC_PER_SEC); /* the measurement window */
	long ticks = presenter_cpu_ticks(&s.presenter) - ticks0;
	double wall = (double)(hf_now_ns() - t0) / HF_NSEC_PER_SEC;
	atomic_store(&bumper.stop, true);
	CHECK(pthread_join(bumper.thread, NULL) == 0);
	double cpu = (double)ticks / (double)sysconf(_SC_CLK_TCK) / wall;
	CHECK_MSG(cpu < 0.2, "the presenter used %.0f%% of a CPU while the value stayed put",
		  cpu * 100);
	fprintf(stderr, "presenter CPU while a peer spins on its timeline: %.1f%%\n", cpu * 100);
	/* The watch still works. */
	CHECK(hf_timeline_query(s.acquire) == 0);
	hf_timeline_signal(s.acquire, 1);
	CHECK(wait_feedback(s.client, &fb, 5000) && fb.presented);
	setup_finish(&s);
}

/* --- xdg-shell ----------------------------------------------------------------------------- */

/* Before any role request too: a wl_surface has at most one xdg_surface. */
static void test_second_get_xdg_surface_is_role_error(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	struct wl_surface *surface = track(c, wl_compositor_create_surface(c->compositor));
	track(c, xdg_wm_base_get_xdg_surface(c->wm_base, surface));
	client_roundtrip(c);
	track(c, xdg_wm_base_get_xdg_surface(c->wm_base, surface));
	expect_protocol_error(c, &xdg_wm_base_interface, XDG_WM_BASE_ERROR_ROLE);
	client_destroy(c);
	expect_presenter_serves_others(&p);
	presenter_stop(&p);
}

/* Once its wl_surface is gone an xdg_surface is inert: requests on it are no error. */
static void test_get_toplevel_after_surface_destroyed_is_no_error(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	struct wl_surface *surface = wl_compositor_create_surface(c->compositor);
	struct xdg_surface *xs = track(c, xdg_wm_base_get_xdg_surface(c->wm_base, surface));
	client_roundtrip(c);
	wl_surface_destroy(surface);
	client_roundtrip(c);
	track(c, xdg_surface_get_toplevel(xs));
	client_roundtrip(c);
	client_roundtrip(c);
	client_destroy(c);
	presenter_stop(&p);
}

/* A toplevel whose configures are kept, not acked: the test acks them itself, or not. */
struct unacked_window {
	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	uint32_t serial; /* of the last configure; 0: none came */
};

static void unacked_configure(void *data, struct xdg_surface *s, uint32_t serial)
{
	((struct unacked_window *)data)->serial = serial;
}

static const struct xdg_surface_listener unacked_listener = {unacked_configure};

static void unacked_window_init(struct unacked_window *w, struct test_client *c)
{
	w->serial = 0;
	w->surface = track(c, wl_compositor_create_surface(c->compositor));
	w->xdg_surface = track(c, xdg_wm_base_get_xdg_surface(c->wm_base, w->surface));
	xdg_surface_add_listener(w->xdg_surface, &unacked_listener, w);
	track(c, xdg_surface_get_toplevel(w->xdg_surface));
}

/* A buffer on an xdg_surface before its first configure was acked: before the initial commit,
 * and after it with the configure received but not acked. */
static void expect_unconfigured_buffer(bool initial_commit)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	struct unacked_window w;
	unacked_window_init(&w, c);
	if (initial_commit) {
		wl_surface_commit(w.surface);
		client_roundtrip(c);
		CHECK_MSG(w.serial != 0, "the initial commit got no configure");
	}
	wl_surface_attach(w.surface, handoff_buffer(c, 64, 64, 0xff00ff00u), 0, 0);
	wl_surface_commit(w.surface);
	expect_protocol_error(c, &xdg_surface_interface, XDG_SURFACE_ERROR_UNCONFIGURED_BUFFER);
	client_destroy(c);
	expect_presenter_serves_others(&p);
	presenter_stop(&p);
}

static void test_buffer_before_initial_commit_is_unconfigured_buffer(void)
{
	expect_unconfigured_buffer(false);
}

static void test_buffer_before_first_ack_is_unconfigured_buffer(void)
{
	expect_unconfigured_buffer(true);
}

/* The configure acked, the same buffer is shown: no error. */
static void test_buffer_after_first_ack_is_accepted(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	struct unacked_window w;
	unacked_window_init(&w, c);
	wl_surface_commit(w.surface);
	client_roundtrip(c);
	xdg_surface_ack_configure(w.xdg_surface, w.serial);
	struct feedback_result fb;
	request_feedback(c, w.surface, &fb);
	wl_surface_attach(w.surface, handoff_buffer(c, 64, 64, 0xff00ff00u), 0, 0);
	wl_surface_commit(w.surface);
	CHECK_MSG(wait_feedback(c, &fb, 5000) && fb.presented, "the acked window was not shown");
	client_destroy(c);
	presenter_stop(&p);
}

static void test_ack_of_a_serial_never_sent_is_invalid_serial(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	struct unacked_window w;
	unacked_window_init(&w, c);
	wl_surface_commit(w.surface);
	client_roundtrip(c);
	CHECK(w.serial != 0);
	xdg_surface_ack_configure(w.xdg_surface, w.serial + 1000);
	expect_protocol_error(c, &xdg_surface_interface, XDG_SURFACE_ERROR_INVALID_SERIAL);
	client_destroy(c);
	expect_presenter_serves_others(&p);
	presenter_stop(&p);
}

/* A serial that went to another xdg_surface was never sent to this one. */
static void test_ack_of_another_surfaces_serial_is_invalid_serial(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	struct unacked_window a, b;
	unacked_window_init(&a, c);
	unacked_window_init(&b, c);
	wl_surface_commit(a.surface);
	client_roundtrip(c);
	CHECK(a.serial != 0 && b.serial == 0);
	xdg_surface_ack_configure(b.xdg_surface, a.serial);
	expect_protocol_error(c, &xdg_surface_interface, XDG_SURFACE_ERROR_INVALID_SERIAL);
	client_destroy(c);
	presenter_stop(&p);
}

HF_TESTS(T(test_create_buffer_accepts_valid_image), T(test_error_invalid_format),
	 T(test_error_invalid_format_modifier), T(test_error_invalid_dimensions_zero),
	 T(test_error_invalid_dimensions_stride), T(test_error_out_of_bounds),
	 T(test_error_out_of_bounds_32bit_wrap), T(test_error_invalid_fd_unsealed),
	 T(test_error_invalid_fd_pipe), T(test_error_unsupported_memory),
	 T(test_error_invalid_flags), T(test_error_invalid_timeline_magic),
	 T(test_error_invalid_timeline_kind), T(test_error_surface_exists), T(test_error_no_buffer),
	 T(test_error_unsupported_buffer), T(test_error_no_acquire_point),
	 T(test_error_no_release_point), T(test_error_conflicting_points),
	 T(test_same_timeline_points_accepted_when_ordered), T(test_error_invalid_mode),
	 T(test_error_no_surface), T(test_release_waits_for_acquire_then_follows_blit),
	 T(test_mailbox_discards_replaced_frames),
	 T(test_mailbox_releases_replaced_frame_before_next_refresh),
	 T(test_fifo_presents_every_frame), T(test_client_that_never_signals_stalls_nobody),
	 T(test_disconnect_signals_pending_release_points),
	 T(test_truncated_shm_pool_does_not_crash_presenter),
	 T(test_y_invert_buffer_is_shown_upright),
	 T(test_present_mode_switch_to_mailbox_keeps_queued_fifo_commits),
	 T(test_present_mode_switch_to_fifo_keeps_queued_mailbox_commits),
	 T(test_fifo_presents_every_frame_in_order_unpaced),
	 T(test_fifo_presents_every_frame_in_order_at_30hz),
	 T(test_fifo_presents_every_frame_in_order_at_60hz),
	 T(test_fifo_presents_every_frame_in_order_at_144hz),
	 T(test_mailbox_keeps_two_buffers_flowing_unpaced),
	 T(test_mailbox_keeps_two_buffers_flowing_at_30hz),
	 T(test_mailbox_keeps_two_buffers_flowing_at_60hz),
	 T(test_mailbox_keeps_two_buffers_flowing_at_144hz),
	 T(test_queued_commit_survives_handoff_surface_destroy),
	 T(test_queued_commit_survives_acquire_timeline_destroy),
	 T(test_queued_commit_survives_wl_buffer_destroy),
	 T(test_surface_destroy_releases_and_discards_queued_commits),
	 T(test_error_invalid_dimensions_stride_2g),
	 T(test_error_invalid_dimensions_stride_near_2g),
	 T(test_error_invalid_dimensions_stride_above_262144),
	 T(test_error_invalid_dimensions_stride_not_whole_pixels),
	 T(test_create_buffer_accepts_stride_262144),
	 T(test_shm_stride_below_row_is_invalid_stride),
	 T(test_shm_stride_not_whole_pixels_is_invalid_stride),
	 T(test_imported_timelines_keep_no_fd_open), T(test_timeline_limit_is_256_alive_per_client),
	 T(test_buffer_limit_is_256_per_client), T(test_mapped_bytes_limit_is_4gib_per_client),
	 T(test_waiting_commit_limit_is_64_per_surface),
	 T(test_frame_callback_limit_is_256_per_client), T(test_feedback_limit_is_256_per_client),
	 T(test_surface_limit_is_256_per_client),
	 T(test_acquire_timeout_disconnects_only_that_client),
	 T(test_limit_option_sets_the_timeline_limit),
	 T(test_create_vk_image_with_another_format_is_invalid_format),
	 T(test_create_vk_image_with_unknown_memory_type_is_invalid_vk_image),
	 T(test_create_vk_image_without_vulkan_memory_is_unsupported),
	 T(test_futex_word_bumps_do_not_make_presenter_spin),
	 T(test_second_get_xdg_surface_is_role_error),
	 T(test_get_toplevel_after_surface_destroyed_is_no_error),
	 T(test_buffer_before_initial_commit_is_unconfigured_buffer),
	 T(test_buffer_before_first_ack_is_unconfigured_buffer),
	 T(test_buffer_after_first_ack_is_accepted),
	 T(test_ack_of_a_serial_never_sent_is_invalid_serial),
	 T(test_ack_of_another_surfaces_serial_is_invalid_serial))
