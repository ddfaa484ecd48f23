/*
 * wl_subcompositor against a real headless presenter: its errors, stacking and position as
 * composed (read back from the snapshot), synchronized commits held until the parent's
 * commit and desynchronized ones not, and a synchronized commit that still waits for its own
 * acquire point after the parent's commit.
 */
#define _GNU_SOURCE
#include "harness.h"

#include "fixture.h"
#include "timeline.h"

#include <drm_fourcc.h>
#include <png.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define RED   0xffff0000u
#define BLUE  0xff0000ffu
#define GREEN 0xff00ff00u

/* wayland 1.22's value; Debian 12's headers lack it. */
#ifndef WL_SUBCOMPOSITOR_ERROR_BAD_PARENT
#define WL_SUBCOMPOSITOR_ERROR_BAD_PARENT 1
#endif

static struct wl_subcompositor *subcompositor;

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
			    const char *interface, uint32_t version)
{
	if (!strcmp(interface, wl_subcompositor_interface.name))
		subcompositor = wl_registry_bind(registry, name, &wl_subcompositor_interface, 1);
}

static void registry_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {registry_global,
							      registry_global_remove};

static void bind_subcompositor(struct test_client *c)
{
	subcompositor = NULL;
	struct wl_registry *registry = track(c, wl_display_get_registry(c->display));
	wl_registry_add_listener(registry, &registry_listener, NULL);
	client_roundtrip(c);
	CHECK_MSG(subcompositor, "no wl_subcompositor");
	track(c, subcompositor);
}

static struct wl_buffer *shm_buffer(struct test_client *c, int32_t w, int32_t h, uint32_t colour)
{
	int fd = image_memfd(w, h, colour, true);
	struct wl_shm_pool *pool = wl_shm_create_pool(c->shm, fd, w * h * 4);
	struct wl_buffer *b =
		track(c, wl_shm_pool_create_buffer(pool, 0, w, h, w * 4, WL_SHM_FORMAT_XRGB8888));
	wl_shm_pool_destroy(pool);
	close(fd);
	return b;
}

static void attach_commit(struct wl_surface *s, struct wl_buffer *b)
{
	wl_surface_attach(s, b, 0, 0);
	wl_surface_damage_buffer(s, 0, 0, INT32_MAX, INT32_MAX);
	wl_surface_commit(s);
}

/* --- errors ------------------------------------------------------------------------------- */

static void test_subsurface_of_surface_with_xdg_role_is_bad_surface(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	bind_subcompositor(c);
	struct test_window *w = window_create(c);
	struct wl_surface *parent = track(c, wl_compositor_create_surface(c->compositor));
	track(c, wl_subcompositor_get_subsurface(subcompositor, w->surface, parent));
	expect_protocol_error(c, &wl_subcompositor_interface, WL_SUBCOMPOSITOR_ERROR_BAD_SURFACE);
	client_destroy(c);
	free(w);
	presenter_stop(&p);
}

static void test_second_subsurface_role_is_bad_surface(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	bind_subcompositor(c);
	struct wl_surface *a = track(c, wl_compositor_create_surface(c->compositor));
	struct wl_surface *b = track(c, wl_compositor_create_surface(c->compositor));
	track(c, wl_subcompositor_get_subsurface(subcompositor, a, b));
	client_roundtrip(c);
	track(c, wl_subcompositor_get_subsurface(subcompositor, a, b));
	expect_protocol_error(c, &wl_subcompositor_interface, WL_SUBCOMPOSITOR_ERROR_BAD_SURFACE);
	client_destroy(c);
	presenter_stop(&p);
}

static void test_subsurface_of_itself_is_bad_parent(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	bind_subcompositor(c);
	struct wl_surface *a = track(c, wl_compositor_create_surface(c->compositor));
	track(c, wl_subcompositor_get_subsurface(subcompositor, a, a));
	expect_protocol_error(c, &wl_subcompositor_interface, WL_SUBCOMPOSITOR_ERROR_BAD_PARENT);
	client_destroy(c);
	presenter_stop(&p);
}

static void test_subsurface_of_its_descendant_is_bad_parent(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	bind_subcompositor(c);
	struct wl_surface *a = track(c, wl_compositor_create_surface(c->compositor));
	struct wl_surface *b = track(c, wl_compositor_create_surface(c->compositor));
	struct wl_surface *d = track(c, wl_compositor_create_surface(c->compositor));
	track(c, wl_subcompositor_get_subsurface(subcompositor, b, a)); /* a > b */
	track(c, wl_subcompositor_get_subsurface(subcompositor, d, b)); /* b > d */
	client_roundtrip(c);
	track(c, wl_subcompositor_get_subsurface(subcompositor, a, d)); /* a under its own d */
	expect_protocol_error(c, &wl_subcompositor_interface, WL_SUBCOMPOSITOR_ERROR_BAD_PARENT);
	client_destroy(c);
	presenter_stop(&p);
}

static void test_place_above_non_sibling_is_bad_surface(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	bind_subcompositor(c);
	struct wl_surface *parent = track(c, wl_compositor_create_surface(c->compositor));
	struct wl_surface *child = track(c, wl_compositor_create_surface(c->compositor));
	struct wl_surface *stranger = track(c, wl_compositor_create_surface(c->compositor));
	struct wl_subsurface *sub =
		track(c, wl_subcompositor_get_subsurface(subcompositor, child, parent));
	wl_subsurface_place_above(sub, parent); /* the parent is fine */
	client_roundtrip(c);
	wl_subsurface_place_above(sub, stranger);
	expect_protocol_error(c, &wl_subsurface_interface, WL_SUBSURFACE_ERROR_BAD_SURFACE);
	client_destroy(c);
	presenter_stop(&p);
}

/* --- composition -------------------------------------------------------------------------- */

/* The snapshot's pixel at x, y (0xRRGGBB). */
static uint32_t snapshot_pixel(const char *path, uint32_t x, uint32_t y)
{
	png_image img = {.version = PNG_IMAGE_VERSION};
	CHECK(png_image_begin_read_from_file(&img, path));
	img.format = PNG_FORMAT_BGRA;
	uint32_t *px = malloc(PNG_IMAGE_SIZE(img));
	CHECK(px && png_image_finish_read(&img, NULL, px, 0, NULL));
	CHECK(x < img.width && y < img.height);
	uint32_t v = px[y * img.width + x] & 0xffffff;
	free(px);
	return v;
}

/*
 * A 64x64 red parent fills 240x240 of the 320x240 output at 40,0 (scale 3.75); a 16x16 blue
 * subsurface at 8,8 covers output 70..130 x 30..90: its centre, output 100,60, is blue above
 * the parent and red below it; a green one at 24,24, above, covers 130..190 x 90..150.
 */
static void composed(const char *renderer, bool child_above, uint32_t expect_at_100,
		     uint32_t expect_at_160)
{
	char shot[64];
	snprintf(shot, sizeof(shot), "/tmp/handoff-sub-%d.png", getpid());
	const char *args[] = {"--snapshot", shot, "--renderer", renderer, NULL};
	struct presenter_fixture p;
	presenter_start(&p, args);
	struct test_client *c = client_connect(&p);
	bind_subcompositor(c);
	struct test_window *w = window_create(c);
	struct wl_surface *blue = track(c, wl_compositor_create_surface(c->compositor));
	struct wl_subsurface *sb =
		track(c, wl_subcompositor_get_subsurface(subcompositor, blue, w->surface));
	struct wl_surface *green = track(c, wl_compositor_create_surface(c->compositor));
	struct wl_subsurface *sg =
		track(c, wl_subcompositor_get_subsurface(subcompositor, green, w->surface));
	wl_subsurface_set_position(sb, 8, 8);
	wl_subsurface_set_position(sg, 24, 24);
	if (!child_above)
		wl_subsurface_place_below(sb, w->surface);
	attach_commit(blue, shm_buffer(c, 16, 16, BLUE));
	attach_commit(green, shm_buffer(c, 16, 16, GREEN));
	struct feedback_result fb;
	request_feedback(c, w->surface, &fb);
	attach_commit(w->surface, shm_buffer(c, 64, 64, RED));
	CHECK(wait_feedback(c, &fb, 5000) && fb.presented);
	presenter_stop(&p);
	client_destroy(c);
	free(w);
	uint32_t at100 = snapshot_pixel(shot, 100, 60), at160 = snapshot_pixel(shot, 160, 120);
	uint32_t outside = snapshot_pixel(shot, 50, 10);
	unlink(shot);
	CHECK_MSG(at100 == (expect_at_100 & 0xffffff) && at160 == (expect_at_160 & 0xffffff) &&
			  outside == (RED & 0xffffff),
		  "at 100,60 %06x, at 160,120 %06x, at 50,10 %06x", at100, at160, outside);
}

static void test_subsurfaces_are_composed_above_parent_at_their_position(void)
{
	composed("pixman", true, BLUE, GREEN);
}

static void test_subsurface_placed_below_parent_is_hidden_by_it(void)
{
	composed("pixman", false, RED, GREEN);
}

/* The same on the Vulkan renderer, on Mesa's lavapipe where no GPU is. */
static void test_subsurfaces_are_composed_by_the_vulkan_renderer(void)
{
	const char *icds[] = {"/usr/share/vulkan/icd.d/lvp_icd.x86_64.json",
			      "/usr/share/vulkan/icd.d/lvp_icd.aarch64.json"};
	const char *icd = NULL;
	for (size_t i = 0; i < sizeof(icds) / sizeof(icds[0]); i++)
		if (access(icds[i], R_OK) == 0)
			icd = icds[i];
	if (!icd)
		hf_test_skip("no lavapipe ICD (package mesa-vulkan-drivers)");
	setenv("VK_ICD_FILENAMES", icd, 1);
	setenv("VK_DRIVER_FILES", icd, 1);
	composed("vulkan", true, BLUE, GREEN);
	composed("vulkan", false, RED, GREEN);
}

/* --- synchronization ---------------------------------------------------------------------- */

static bool feedback_within(struct test_client *c, struct feedback_result *fb, int ms)
{
	return wait_feedback(c, fb, ms);
}

static void sync_mode(bool desync)
{
	struct presenter_fixture p;
	presenter_start_paced(&p, 60, NULL);
	struct test_client *c = client_connect(&p);
	bind_subcompositor(c);
	struct test_window *w = window_create(c);
	struct wl_surface *child = track(c, wl_compositor_create_surface(c->compositor));
	struct wl_subsurface *sub =
		track(c, wl_subcompositor_get_subsurface(subcompositor, child, w->surface));
	if (desync)
		wl_subsurface_set_desync(sub);
	struct feedback_result fb_parent;
	request_feedback(c, w->surface, &fb_parent);
	attach_commit(w->surface, shm_buffer(c, 64, 64, RED));
	CHECK(wait_feedback(c, &fb_parent, 5000) && fb_parent.presented);
	struct feedback_result fb_child;
	request_feedback(c, child, &fb_child);
	attach_commit(child, shm_buffer(c, 16, 16, BLUE));
	bool early = feedback_within(c, &fb_child, 300);
	if (desync) {
		CHECK_MSG(early && fb_child.presented, "a desynchronized commit waited");
	} else {
		CHECK_MSG(!early, "a synchronized commit was shown before its parent's commit");
		wl_surface_commit(w->surface);
		CHECK_MSG(wait_feedback(c, &fb_child, 5000) && fb_child.presented,
			  "the parent's commit did not apply the subsurface's");
	}
	client_destroy(c);
	free(w);
	presenter_stop(&p);
}

static void test_synchronized_commit_waits_for_parent_commit(void)
{
	sync_mode(false);
}

static void test_desynchronized_commit_is_shown_alone(void)
{
	sync_mode(true);
}

/* After the parent's commit, a synchronized commit still waits for its acquire point. */
static void test_synchronized_commit_waits_for_its_acquire_point(void)
{
	struct presenter_fixture p;
	presenter_start_paced(&p, 60, NULL);
	struct test_client *c = client_connect(&p);
	bind_subcompositor(c);
	struct test_window *w = window_create(c);
	struct wl_surface *child = track(c, wl_compositor_create_surface(c->compositor));
	track(c, wl_subcompositor_get_subsurface(subcompositor, child, w->surface));
	struct handoff_surface_v1 *hs = track(c, handoff_manager_v1_get_surface(c->manager, child));
	struct hf_timeline *acquire = hf_timeline_create(), *release = hf_timeline_create();
	CHECK(acquire && release);
	struct handoff_timeline_v1 *ta = import_timeline(c, acquire),
				   *tr = import_timeline(c, release);
	struct feedback_result fb_parent, fb_child;
	request_feedback(c, w->surface, &fb_parent);
	attach_commit(w->surface, shm_buffer(c, 64, 64, RED));
	CHECK(wait_feedback(c, &fb_parent, 5000) && fb_parent.presented);
	request_feedback(c, child, &fb_child);
	handoff_surface_v1_set_acquire_point(hs, ta, 0, 1);
	handoff_surface_v1_set_release_point(hs, tr, 0, 1);
	attach_commit(child, handoff_buffer(c, 16, 16, BLUE));
	wl_surface_commit(w->surface);
	CHECK_MSG(!feedback_within(c, &fb_child, 300), "shown before its acquire point");
	hf_timeline_signal(acquire, 1);
	CHECK_MSG(wait_feedback(c, &fb_child, 5000) && fb_child.presented,
		  "not shown after its acquire point");
	client_destroy(c);
	hf_timeline_unref(acquire);
	hf_timeline_unref(release);
	free(w);
	presenter_stop(&p);
}

static void buffer_release(void *data, struct wl_buffer *buffer)
{
	*(bool *)data = true;
}

static const struct wl_buffer_listener buffer_listener = {buffer_release};

/* Dispatches for up to ms or until *flag is set; returns *flag. */
static bool dispatch_until(struct test_client *c, bool *flag, int ms)
{
	for (int waited = 0; !*flag && waited < ms; waited += 10) {
		client_roundtrip(c);
		if (!*flag)
			usleep(10 * 1000);
	}
	return *flag;
}

/*
 * The subsurface shows A; B replaces it in its cache, and the parent's commit that applies B
 * waits for its acquire point. Until that commit latches, A is what the window shows, so A is
 * not released (the old code latched B at the parent's commit and released A then, while the
 * parent's content that goes with B was not shown yet).
 */
static void test_synchronized_buffer_released_when_its_replacement_latches(void)
{
	struct presenter_fixture p;
	presenter_start_paced(&p, 60, NULL);
	struct test_client *c = client_connect(&p);
	bind_subcompositor(c);
	struct test_window *w = window_create(c);
	struct wl_surface *child = track(c, wl_compositor_create_surface(c->compositor));
	track(c, wl_subcompositor_get_subsurface(subcompositor, child, w->surface));
	struct handoff_surface_v1 *hs =
		track(c, handoff_manager_v1_get_surface(c->manager, w->surface));
	struct hf_timeline *acquire = hf_timeline_create(), *release = hf_timeline_create();
	CHECK(acquire && release);
	struct handoff_timeline_v1 *ta = import_timeline(c, acquire),
				   *tr = import_timeline(c, release);
	struct wl_buffer *a = shm_buffer(c, 16, 16, BLUE);
	bool a_released = false;
	wl_buffer_add_listener(a, &buffer_listener, &a_released);
	struct feedback_result fb_child;
	request_feedback(c, child, &fb_child);
	attach_commit(child, a);
	hf_timeline_signal(acquire, 1);
	handoff_surface_v1_set_acquire_point(hs, ta, 0, 1);
	handoff_surface_v1_set_release_point(hs, tr, 0, 1);
	attach_commit(w->surface, handoff_buffer(c, 64, 64, RED));
	CHECK_MSG(wait_feedback(c, &fb_child, 5000) && fb_child.presented, "A was never shown");

	attach_commit(child, shm_buffer(c, 16, 16, GREEN));
	handoff_surface_v1_set_acquire_point(hs, ta, 0, 2);
	handoff_surface_v1_set_release_point(hs, tr, 0, 2);
	attach_commit(w->surface, handoff_buffer(c, 64, 64, RED));
	CHECK_MSG(!dispatch_until(c, &a_released, 300),
		  "A was released at the parent's commit, before the commit replacing it latched");
	hf_timeline_signal(acquire, 2);
	CHECK_MSG(dispatch_until(c, &a_released, 5000),
		  "A was not released once its replacement latched");
	client_destroy(c);
	hf_timeline_unref(acquire);
	hf_timeline_unref(release);
	free(w);
	presenter_stop(&p);
}

HF_TESTS(T(test_subsurface_of_surface_with_xdg_role_is_bad_surface),
	 T(test_second_subsurface_role_is_bad_surface), T(test_subsurface_of_itself_is_bad_parent),
	 T(test_subsurface_of_its_descendant_is_bad_parent),
	 T(test_place_above_non_sibling_is_bad_surface),
	 T(test_subsurfaces_are_composed_above_parent_at_their_position),
	 T(test_subsurface_placed_below_parent_is_hidden_by_it),
	 T(test_subsurfaces_are_composed_by_the_vulkan_renderer),
	 T(test_synchronized_commit_waits_for_parent_commit),
	 T(test_desynchronized_commit_is_shown_alone),
	 T(test_synchronized_commit_waits_for_its_acquire_point),
	 T(test_synchronized_buffer_released_when_its_replacement_latches))
