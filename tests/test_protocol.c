/*
 * handoff-v1 against a real headless presenter: every protocol error, and the sync rules
 * (release after the blit, mailbox discards, a client that never signals stalls nobody).
 */
#define _GNU_SOURCE
#include "harness.h"

#include "fixture.h"
#include "time_util.h"
#include "timeline.h"

#include <drm_fourcc.h>
#include <fcntl.h>
#include <png.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

static void setup_start(struct setup *s)
{
	presenter_start(&s->presenter, NULL);
	s->client = client_connect(&s->presenter);
	s->window = window_create(s->client);
	s->hs = track(s->client,
		      handoff_manager_v1_get_surface(s->client->manager, s->window->surface));
	s->acquire = hf_timeline_create();
	s->release = hf_timeline_create();
	CHECK(s->acquire && s->release);
	s->acquire_obj = import_timeline(s->client, s->acquire);
	s->release_obj = import_timeline(s->client, s->release);
	client_roundtrip(s->client);
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
	CHECK_MSG(hf_timeline_wait(s.release, 1, 5 * HF_NSEC_PER_SEC) == 0, "never released");
	CHECK(wait_feedback(s.client, &fb, 5000) && fb.presented);
	setup_finish(&s);
}

static void test_mailbox_discards_replaced_frames(void)
{
	struct setup s;
	setup_start(&s);
	struct hf_timeline *rel[3];
	struct handoff_timeline_v1 *rel_obj[3];
	struct feedback_result fb[3];
	for (int i = 0; i < 3; i++) {
		rel[i] = hf_timeline_create();
		rel_obj[i] = import_timeline(s.client, rel[i]);
		request_feedback(s.client, s.window->surface, &fb[i]);
		wl_surface_attach(s.window->surface, handoff_buffer(s.client, W, H, RED + i), 0, 0);
		handoff_surface_v1_set_acquire_point(s.hs, s.acquire_obj, 0, (uint32_t)(i + 1));
		handoff_surface_v1_set_release_point(s.hs, rel_obj[i], 0, 1);
		wl_surface_commit(s.window->surface);
	}
	client_roundtrip(s.client);
	hf_timeline_signal(s.acquire, 3); /* only the newest is ready: it wins */
	for (int i = 0; i < 3; i++)
		CHECK(hf_timeline_wait(rel[i], 1, 5 * HF_NSEC_PER_SEC) == 0);
	for (int i = 0; i < 3; i++) {
		CHECK(wait_feedback(s.client, &fb[i], 5000));
		CHECK_MSG(fb[i].presented == (i == 2), "frame %d presented=%d", i + 1,
			  fb[i].presented);
		hf_timeline_unref(rel[i]);
	}
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
	CHECK(hf_timeline_query(s.release) == 3);
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
	 T(test_mailbox_discards_replaced_frames), T(test_fifo_presents_every_frame),
	 T(test_client_that_never_signals_stalls_nobody),
	 T(test_disconnect_signals_pending_release_points),
	 T(test_truncated_shm_pool_does_not_crash_presenter),
	 T(test_y_invert_buffer_is_shown_upright))
