/*
 * The globals for ordinary clients against a real headless presenter: wl_output (its events,
 * enter and leave), wl_seat (no capabilities headless, and the error for a device it never
 * had) and wl_data_device_manager (a selection from one client read by another, the focus
 * rule, drag-and-drop refused).
 */
#define _GNU_SOURCE
#include "harness.h"

#include "fixture.h"
#include "xdg-output-unstable-v1-client-protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct output_info {
	int32_t width, height, refresh, scale;
	uint32_t mode_flags;
	char name[64], description[128], make[64];
	int geometry, modes, dones;
};

static void output_geometry(void *data, struct wl_output *o, int32_t x, int32_t y, int32_t pw,
			    int32_t ph, int32_t subpixel, const char *make, const char *model,
			    int32_t transform)
{
	struct output_info *info = data;
	info->geometry++;
	snprintf(info->make, sizeof(info->make), "%s", make);
}

static void output_mode(void *data, struct wl_output *o, uint32_t flags, int32_t w, int32_t h,
			int32_t refresh)
{
	struct output_info *info = data;
	info->modes++;
	info->mode_flags = flags;
	info->width = w;
	info->height = h;
	info->refresh = refresh;
}

static void output_done(void *data, struct wl_output *o)
{
	((struct output_info *)data)->dones++;
}

static void output_scale(void *data, struct wl_output *o, int32_t factor)
{
	((struct output_info *)data)->scale = factor;
}

static void output_name(void *data, struct wl_output *o, const char *name)
{
	struct output_info *info = data;
	snprintf(info->name, sizeof(info->name), "%s", name);
}

static void output_description(void *data, struct wl_output *o, const char *description)
{
	struct output_info *info = data;
	snprintf(info->description, sizeof(info->description), "%s", description);
}

static const struct wl_output_listener output_listener = {
	.geometry = output_geometry,
	.mode = output_mode,
	.done = output_done,
	.scale = output_scale,
	.name = output_name,
	.description = output_description,
};

static void seat_capabilities(void *data, struct wl_seat *seat, uint32_t caps)
{
	*(int64_t *)data = caps;
}

static void seat_name(void *data, struct wl_seat *seat, const char *name)
{
}

static const struct wl_seat_listener seat_listener = {seat_capabilities, seat_name};

struct globals {
	struct wl_registry *registry;
	struct wl_output *output;
	struct wl_seat *seat;
	struct wl_data_device_manager *ddm;
	struct zxdg_output_manager_v1 *xdg_output_manager;
	struct wl_subcompositor *subcompositor;
	uint32_t output_version, seat_version, output_name;
	int n_outputs;
	struct output_info info; /* the first wl_output's events */
	int64_t caps;            /* the seat's; -1: none came */
};

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
			    const char *interface, uint32_t version)
{
	struct globals *g = data;
	if (!strcmp(interface, wl_output_interface.name)) {
		g->n_outputs++;
		g->output_version = version;
		if (!g->output) {
			g->output_name = name;
			g->output = wl_registry_bind(registry, name, &wl_output_interface, 4);
			wl_output_add_listener(g->output, &output_listener, &g->info);
		}
	} else if (!strcmp(interface, wl_seat_interface.name)) {
		g->seat_version = version;
		g->seat = wl_registry_bind(registry, name, &wl_seat_interface, 7);
		wl_seat_add_listener(g->seat, &seat_listener, &g->caps);
	} else if (!strcmp(interface, zxdg_output_manager_v1_interface.name)) {
		g->xdg_output_manager =
			wl_registry_bind(registry, name, &zxdg_output_manager_v1_interface, 3);
	} else if (!strcmp(interface, wl_subcompositor_interface.name)) {
		g->subcompositor = wl_registry_bind(registry, name, &wl_subcompositor_interface, 1);
	} else if (!strcmp(interface, wl_data_device_manager_interface.name)) {
		g->ddm = wl_registry_bind(registry, name, &wl_data_device_manager_interface, 3);
	}
}

static void registry_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {registry_global,
							      registry_global_remove};

/* Binds wl_output, wl_seat and wl_data_device_manager, and takes their first events. */
static void globals_bind(struct test_client *c, struct globals *g)
{
	*g = (struct globals){.caps = -1};
	g->registry = track(c, wl_display_get_registry(c->display));
	wl_registry_add_listener(g->registry, &registry_listener, g);
	client_roundtrip(c);
	client_roundtrip(c);
	CHECK_MSG(g->output && g->seat && g->ddm, "wl_output %p wl_seat %p ddm %p",
		  (void *)g->output, (void *)g->seat, (void *)g->ddm);
	track(c, g->output);
	track(c, g->seat);
	track(c, g->ddm);
	CHECK(g->xdg_output_manager);
	track(c, g->xdg_output_manager);
	CHECK(g->subcompositor);
	track(c, g->subcompositor);
}

/* --- wl_output ------------------------------------------------------------------------------ */

static void test_wl_output_tells_headless_size_refresh_and_name(void)
{
	struct presenter_fixture p;
	const char *extra[] = {"--size", "640x360", NULL};
	presenter_start_paced(&p, 30, extra);
	struct test_client *c = client_connect(&p);
	struct globals g;
	globals_bind(c, &g);
	struct output_info info = g.info;
	CHECK_MSG(g.n_outputs == 1 && g.output_version == 4, "%d outputs, version %u", g.n_outputs,
		  g.output_version);
	CHECK(info.geometry == 1 && info.modes == 1 && info.dones == 1);
	CHECK_MSG(info.width == 640 && info.height == 360 && info.refresh == 30000, "mode %dx%d@%d",
		  info.width, info.height, info.refresh);
	CHECK(info.mode_flags & WL_OUTPUT_MODE_CURRENT);
	CHECK(info.scale == 1);
	CHECK_MSG(!strcmp(info.name, "HANDOFF-1"), "name %s", info.name);
	CHECK(info.description[0] && !strcmp(info.make, "Handoff"));
	client_destroy(c);
	presenter_stop(&p);
}

struct xdg_output_info {
	int32_t width, height;
	char name[64];
};

static void xo_position(void *data, struct zxdg_output_v1 *xo, int32_t x, int32_t y)
{
}

static void xo_size(void *data, struct zxdg_output_v1 *xo, int32_t w, int32_t h)
{
	struct xdg_output_info *info = data;
	info->width = w;
	info->height = h;
}

static void xo_done(void *data, struct zxdg_output_v1 *xo)
{
}

static void xo_name(void *data, struct zxdg_output_v1 *xo, const char *name)
{
	snprintf(((struct xdg_output_info *)data)->name, 64, "%s", name);
}

static void xo_description(void *data, struct zxdg_output_v1 *xo, const char *d)
{
}

static const struct zxdg_output_v1_listener xo_listener = {xo_position, xo_size, xo_done, xo_name,
							   xo_description};

static void test_xdg_output_tells_logical_size_and_name(void)
{
	struct presenter_fixture p;
	const char *extra[] = {"--size", "640x360", NULL};
	presenter_start_paced(&p, 30, extra);
	struct test_client *c = client_connect(&p);
	struct globals g;
	globals_bind(c, &g);
	struct xdg_output_info info = {0};
	struct zxdg_output_v1 *xo =
		track(c, zxdg_output_manager_v1_get_xdg_output(g.xdg_output_manager, g.output));
	zxdg_output_v1_add_listener(xo, &xo_listener, &info);
	client_roundtrip(c);
	CHECK_MSG(info.width == 640 && info.height == 360 && !strcmp(info.name, "HANDOFF-1"),
		  "%dx%d %s", info.width, info.height, info.name);
	client_destroy(c);
	presenter_stop(&p);
}

static void test_wl_output_refresh_is_zero_when_unpaced(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	struct globals g;
	globals_bind(c, &g);
	struct output_info info = g.info;
	CHECK_MSG(info.width == 320 && info.height == 240 && info.refresh == 0, "mode %dx%d@%d",
		  info.width, info.height, info.refresh);
	client_destroy(c);
	presenter_stop(&p);
}

struct enter_log {
	struct wl_output *entered; /* the last enter; NULL after a leave */
	int enters, leaves;
};

static void surface_enter(void *data, struct wl_surface *s, struct wl_output *o)
{
	struct enter_log *log = data;
	log->entered = o;
	log->enters++;
}

static void surface_leave(void *data, struct wl_surface *s, struct wl_output *o)
{
	struct enter_log *log = data;
	CHECK(log->entered == o);
	log->entered = NULL;
	log->leaves++;
}

static const struct wl_surface_listener surface_listener = {surface_enter, surface_leave};

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

static void show(struct test_window *w, struct wl_buffer *b)
{
	wl_surface_attach(w->surface, b, 0, 0);
	wl_surface_damage_buffer(w->surface, 0, 0, 64, 64);
	wl_surface_commit(w->surface);
	client_roundtrip(w->client);
	client_roundtrip(w->client);
}

static void test_surface_enters_output_when_shown_and_leaves_when_unmapped(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	struct globals g;
	globals_bind(c, &g);
	struct test_window *w = window_create(c);
	struct enter_log log = {0};
	wl_surface_add_listener(w->surface, &surface_listener, &log);
	client_roundtrip(c);
	CHECK_MSG(log.enters == 0, "entered before it showed anything");
	show(w, shm_buffer(c, 64, 64, 0xff00ff00));
	CHECK_MSG(log.enters == 1 && log.entered == g.output, "enters %d", log.enters);
	show(w, NULL);
	CHECK_MSG(log.leaves == 1 && !log.entered, "leaves %d", log.leaves);
	show(w, shm_buffer(c, 64, 64, 0xff0000ff));
	CHECK(log.enters == 2 && log.entered == g.output);
	/* A wl_output bound later is entered too. */
	struct wl_output *second =
		track(c, wl_registry_bind(g.registry, g.output_name, &wl_output_interface, 4));
	client_roundtrip(c);
	CHECK_MSG(log.enters == 3 && log.entered == second, "enters %d", log.enters);
	client_destroy(c);
	free(w);
	presenter_stop(&p);
}

static void popup_xdg_configure(void *data, struct xdg_surface *s, uint32_t serial)
{
	xdg_surface_ack_configure(s, serial);
	*(bool *)data = true;
}

static const struct xdg_surface_listener popup_xdg_listener = {popup_xdg_configure};

/* Subsurfaces and popups follow their window's outputs: they enter when they show, and leave
 * when they unmap (before, only the window's own surface was told). */
static void test_subsurface_and_popup_enter_and_leave_with_their_window(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	struct globals g;
	globals_bind(c, &g);
	struct test_window *w = window_create(c);
	show(w, shm_buffer(c, 64, 64, 0xff00ff00));

	struct wl_surface *child = track(c, wl_compositor_create_surface(c->compositor));
	struct enter_log child_log = {0};
	wl_surface_add_listener(child, &surface_listener, &child_log);
	track(c, wl_subcompositor_get_subsurface(g.subcompositor, child, w->surface));
	wl_surface_attach(child, shm_buffer(c, 16, 16, 0xff0000ff), 0, 0);
	wl_surface_commit(child);
	wl_surface_commit(w->surface);
	client_roundtrip(c);
	client_roundtrip(c);
	CHECK_MSG(child_log.enters == 1 && child_log.entered == g.output,
		  "the subsurface entered %d times", child_log.enters);

	struct wl_surface *popup = track(c, wl_compositor_create_surface(c->compositor));
	struct enter_log popup_log = {0};
	wl_surface_add_listener(popup, &surface_listener, &popup_log);
	struct xdg_surface *pxs = track(c, xdg_wm_base_get_xdg_surface(c->wm_base, popup));
	bool configured = false;
	xdg_surface_add_listener(pxs, &popup_xdg_listener, &configured);
	struct xdg_positioner *pos = track(c, xdg_wm_base_create_positioner(c->wm_base));
	xdg_positioner_set_size(pos, 10, 10);
	xdg_positioner_set_anchor_rect(pos, 0, 0, 1, 1);
	track(c, xdg_surface_get_popup(pxs, w->xdg_surface, pos));
	wl_surface_commit(popup);
	client_roundtrip(c);
	CHECK(configured);
	CHECK_MSG(popup_log.enters == 0, "an unmapped popup entered");
	wl_surface_attach(popup, shm_buffer(c, 10, 10, 0xffff0000), 0, 0);
	wl_surface_commit(popup);
	client_roundtrip(c);
	client_roundtrip(c);
	CHECK_MSG(popup_log.enters == 1 && popup_log.entered == g.output,
		  "the popup entered %d times", popup_log.enters);

	wl_surface_attach(child, NULL, 0, 0);
	wl_surface_commit(child);
	wl_surface_commit(w->surface);
	client_roundtrip(c);
	client_roundtrip(c);
	CHECK_MSG(child_log.leaves == 1 && !child_log.entered, "the subsurface left %d times",
		  child_log.leaves);
	/* The window unmaps: its popup goes with it. */
	show(w, NULL);
	CHECK_MSG(popup_log.leaves == 1 && !popup_log.entered, "the popup left %d times",
		  popup_log.leaves);
	client_destroy(c);
	free(w);
	presenter_stop(&p);
}

/* --- wl_seat ------------------------------------------------------------------------------ */

static void test_headless_seat_has_no_capabilities(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	struct globals g;
	globals_bind(c, &g);
	CHECK_MSG(g.caps == 0, "capabilities %lld", (long long)g.caps);
	client_destroy(c);
	presenter_stop(&p);
}

static void test_get_keyboard_of_a_seat_that_never_had_one_is_missing_capability(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	struct globals g;
	globals_bind(c, &g);
	track(c, wl_seat_get_keyboard(g.seat));
	expect_protocol_error(c, &wl_seat_interface, WL_SEAT_ERROR_MISSING_CAPABILITY);
	client_destroy(c);
	presenter_stop(&p);
}

/* --- wl_data_device_manager --------------------------------------------------------------- */

struct clip {
	struct wl_data_offer *offer; /* the selection; NULL: none */
	bool has_text;
	int selections;
};

static void offer_offer(void *data, struct wl_data_offer *offer, const char *mime)
{
	struct clip *clip = data;
	if (!strcmp(mime, "text/plain"))
		clip->has_text = true;
}

static const struct wl_data_offer_listener offer_listener = {.offer = offer_offer};

static void device_data_offer(void *data, struct wl_data_device *d, struct wl_data_offer *offer)
{
	wl_data_offer_add_listener(offer, &offer_listener, data);
}

static void device_selection(void *data, struct wl_data_device *d, struct wl_data_offer *offer)
{
	struct clip *clip = data;
	if (clip->offer && clip->offer != offer)
		wl_data_offer_destroy(clip->offer);
	clip->offer = offer;
	clip->selections++;
}

static const struct wl_data_device_listener device_listener = {
	.data_offer = device_data_offer,
	.selection = device_selection,
};

struct source_log {
	int sends, cancelled;
	const char *text;
};

static void source_target(void *data, struct wl_data_source *s, const char *mime)
{
}

static void source_send(void *data, struct wl_data_source *s, const char *mime, int32_t fd)
{
	struct source_log *log = data;
	log->sends++;
	CHECK(write(fd, log->text, strlen(log->text)) == (ssize_t)strlen(log->text));
	close(fd);
}

static void source_cancelled(void *data, struct wl_data_source *s)
{
	((struct source_log *)data)->cancelled++;
}

static const struct wl_data_source_listener source_listener = {
	.target = source_target,
	.send = source_send,
	.cancelled = source_cancelled,
};

static struct wl_data_source *make_source(struct test_client *c, struct globals *g,
					  struct source_log *log)
{
	struct wl_data_source *src = track(c, wl_data_device_manager_create_data_source(g->ddm));
	wl_data_source_add_listener(src, &source_listener, log);
	wl_data_source_offer(src, "text/plain");
	return src;
}

/* Client A, focused (its window is the newest), sets the selection; client B's window then
 * takes the focus, B sees the offer and reads A's text through it. */
static void test_selection_set_by_one_client_is_read_by_another(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *a = client_connect(&p), *b = client_connect(&p);
	struct globals ga, gb;
	globals_bind(a, &ga);
	globals_bind(b, &gb);
	struct clip clip_a = {0}, clip_b = {0};
	struct wl_data_device *da =
		track(a, wl_data_device_manager_get_data_device(ga.ddm, ga.seat));
	struct wl_data_device *db =
		track(b, wl_data_device_manager_get_data_device(gb.ddm, gb.seat));
	wl_data_device_add_listener(da, &device_listener, &clip_a);
	wl_data_device_add_listener(db, &device_listener, &clip_b);
	struct test_window *wa = window_create(a);
	show(wa, shm_buffer(a, 64, 64, 0xffff0000));
	struct source_log log = {.text = "handoff clipboard"};
	struct wl_data_source *src = make_source(a, &ga, &log);
	wl_data_device_set_selection(da, src, 0);
	client_roundtrip(a);
	client_roundtrip(b);
	CHECK_MSG(clip_b.selections == 0, "a client without the focus saw the selection");
	struct test_window *wb = window_create(b);
	show(wb, shm_buffer(b, 64, 64, 0xff0000ff));
	client_roundtrip(b);
	CHECK_MSG(clip_b.offer && clip_b.has_text, "no selection reached the focused client");
	int pipefd[2];
	CHECK(pipe2(pipefd, O_CLOEXEC) == 0);
	wl_data_offer_receive(clip_b.offer, "text/plain", pipefd[1]);
	close(pipefd[1]);
	CHECK(wl_display_flush(b->display) >= 0);
	client_roundtrip(a); /* A answers send */
	CHECK(log.sends == 1);
	char got[64] = {0};
	ssize_t n = read(pipefd[0], got, sizeof(got) - 1);
	close(pipefd[0]);
	CHECK_MSG(n > 0 && !strcmp(got, "handoff clipboard"), "read '%s'", got);
	CHECK(log.cancelled == 0);
	wl_data_offer_destroy(clip_b.offer);
	if (clip_a.offer)
		wl_data_offer_destroy(clip_a.offer); /* A had the focus when it set it */
	client_destroy(b);
	client_destroy(a);
	free(wa);
	free(wb);
	presenter_stop(&p);
}

/* A client without the focus cannot take the clipboard: its source is cancelled. */
static void test_selection_from_unfocused_client_is_cancelled(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *a = client_connect(&p), *b = client_connect(&p);
	struct globals ga, gb;
	globals_bind(a, &ga);
	globals_bind(b, &gb);
	struct test_window *wb = window_create(b);
	show(wb, shm_buffer(b, 64, 64, 0xff0000ff));
	struct clip clip_b = {0};
	struct wl_data_device *db =
		track(b, wl_data_device_manager_get_data_device(gb.ddm, gb.seat));
	wl_data_device_add_listener(db, &device_listener, &clip_b);
	struct wl_data_device *da =
		track(a, wl_data_device_manager_get_data_device(ga.ddm, ga.seat));
	struct source_log log = {.text = "x"};
	wl_data_device_set_selection(da, make_source(a, &ga, &log), 0);
	client_roundtrip(a);
	client_roundtrip(b);
	CHECK(log.cancelled == 1);
	CHECK_MSG(!clip_b.offer, "the unfocused client's selection was offered");
	client_destroy(b);
	client_destroy(a);
	free(wb);
	presenter_stop(&p);
}

static void test_drag_is_refused_by_cancelling_the_source(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	struct globals g;
	globals_bind(c, &g);
	struct test_window *w = window_create(c);
	show(w, shm_buffer(c, 64, 64, 0xffff0000));
	struct wl_data_device *d = track(c, wl_data_device_manager_get_data_device(g.ddm, g.seat));
	struct source_log log = {.text = "x"};
	wl_data_device_start_drag(d, make_source(c, &g, &log), w->surface, NULL, 0);
	client_roundtrip(c);
	CHECK(log.cancelled == 1 && log.sends == 0);
	client_destroy(c);
	free(w);
	presenter_stop(&p);
}

/* --- xdg_toplevel states ------------------------------------------------------------------ */

struct states {
	int configures;
	bool activated, fullscreen, maximized;
};

static void toplevel_configure(void *data, struct xdg_toplevel *t, int32_t w, int32_t h,
			       struct wl_array *array)
{
	struct states *st = data;
	st->configures++;
	st->activated = st->fullscreen = st->maximized = false;
	uint32_t *state;
	wl_array_for_each(state, array) {
		st->activated |= *state == XDG_TOPLEVEL_STATE_ACTIVATED;
		st->fullscreen |= *state == XDG_TOPLEVEL_STATE_FULLSCREEN;
		st->maximized |= *state == XDG_TOPLEVEL_STATE_MAXIMIZED;
	}
}

static void toplevel_close(void *data, struct xdg_toplevel *t)
{
}

static void toplevel_bounds(void *data, struct xdg_toplevel *t, int32_t w, int32_t h)
{
}

static void toplevel_caps(void *data, struct xdg_toplevel *t, struct wl_array *caps)
{
}

static const struct xdg_toplevel_listener toplevel_listener = {
	.configure = toplevel_configure,
	.close = toplevel_close,
	.configure_bounds = toplevel_bounds,
	.wm_capabilities = toplevel_caps,
};

static struct test_window *window_with_states(struct test_client *c, struct states *st)
{
	struct test_window *w = window_create_uncommitted(c);
	xdg_toplevel_add_listener(w->toplevel, &toplevel_listener, st);
	window_initial_commit(w);
	return w;
}

/* The focused window is activated: the newest shown, the others not. */
static void test_newest_window_is_activated_and_the_previous_one_not(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	struct states sa = {0}, sb = {0};
	struct test_window *a = window_with_states(c, &sa);
	CHECK(sa.configures == 1 && !sa.activated);
	show(a, shm_buffer(c, 64, 64, 0xffff0000));
	CHECK_MSG(sa.activated, "the only window is not activated");
	struct test_window *b = window_with_states(c, &sb);
	show(b, shm_buffer(c, 64, 64, 0xff0000ff));
	CHECK_MSG(sb.activated && !sa.activated, "b %d a %d", sb.activated, sa.activated);
	client_destroy(c);
	free(a);
	free(b);
	presenter_stop(&p);
}

static void test_set_fullscreen_and_maximized_are_answered_with_configures(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = client_connect(&p);
	struct states st = {0};
	struct test_window *w = window_with_states(c, &st);
	int n = st.configures;
	xdg_toplevel_set_fullscreen(w->toplevel, NULL);
	client_roundtrip(c);
	CHECK_MSG(st.configures == n + 1 && st.fullscreen, "configures %d fullscreen %d",
		  st.configures, st.fullscreen);
	xdg_toplevel_set_maximized(w->toplevel);
	xdg_toplevel_unset_fullscreen(w->toplevel);
	client_roundtrip(c);
	CHECK(st.maximized && !st.fullscreen);
	xdg_toplevel_unset_maximized(w->toplevel);
	client_roundtrip(c);
	CHECK(!st.maximized && !st.fullscreen);
	client_destroy(c);
	free(w);
	presenter_stop(&p);
}

HF_TESTS(T(test_wl_output_tells_headless_size_refresh_and_name),
	 T(test_wl_output_refresh_is_zero_when_unpaced),
	 T(test_xdg_output_tells_logical_size_and_name),
	 T(test_surface_enters_output_when_shown_and_leaves_when_unmapped),
	 T(test_subsurface_and_popup_enter_and_leave_with_their_window),
	 T(test_headless_seat_has_no_capabilities),
	 T(test_get_keyboard_of_a_seat_that_never_had_one_is_missing_capability),
	 T(test_selection_set_by_one_client_is_read_by_another),
	 T(test_selection_from_unfocused_client_is_cancelled),
	 T(test_drag_is_refused_by_cancelling_the_source),
	 T(test_newest_window_is_activated_and_the_previous_one_not),
	 T(test_set_fullscreen_and_maximized_are_answered_with_configures))
