/*
 * xdg_popup and xdg_positioner against a real headless presenter (320x240): the positioner's
 * errors, the configure's place (anchor, gravity, offset, a flip and a slide at the output's
 * edge), reposition, popup_done when the parent goes, the popup's errors (not the topmost, a bad
 * parent, a late grab), and its pixels above the parent where it was placed, on both renderers.
 * The parent window is 320x240, so that it fills the output at scale 1: surface coordinates are
 * output pixels.
 */
#define _GNU_SOURCE
#include "harness.h"

#include "fixture.h"

#include <png.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define RED   0xffff0000u
#define GREEN 0xff00ff00u
#define BLUE  0xff0000ffu

static struct xdg_wm_base *wm; /* version 3: reposition */
static struct wl_seat *seat;

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
			    const char *interface, uint32_t version)
{
	if (!strcmp(interface, xdg_wm_base_interface.name) && version >= 3)
		wm = wl_registry_bind(registry, name, &xdg_wm_base_interface, 3);
	else if (!strcmp(interface, wl_seat_interface.name))
		seat = wl_registry_bind(registry, name, &wl_seat_interface, 1);
}

static void registry_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {registry_global,
							      registry_global_remove};

static struct test_client *connect_v3(const struct presenter_fixture *p)
{
	struct test_client *c = client_connect(p);
	wm = NULL;
	seat = NULL;
	struct wl_registry *registry = track(c, wl_display_get_registry(c->display));
	wl_registry_add_listener(registry, &registry_listener, NULL);
	client_roundtrip(c);
	CHECK_MSG(wm && seat, "no xdg_wm_base 3 or no wl_seat");
	track(c, wm);
	track(c, seat);
	return c;
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

/* An xdg_surface and what its configures said. */
struct xsurf {
	struct test_client *c;
	struct wl_surface *surface;
	struct xdg_surface *xdg;
	struct xdg_toplevel *toplevel;
	struct xdg_popup *popup;
	int configures;
	uint32_t serial;    /* of the last configure */
	int32_t x, y, w, h; /* the popup's last configure */
	bool done;
	uint32_t token;
	int repositioned;
};

static void xdg_configure(void *data, struct xdg_surface *s, uint32_t serial)
{
	struct xsurf *x = data;
	xdg_surface_ack_configure(s, serial);
	x->serial = serial;
	x->configures++;
}

static const struct xdg_surface_listener xdg_listener = {xdg_configure};

static void popup_configure(void *data, struct xdg_popup *p, int32_t x, int32_t y, int32_t w,
			    int32_t h)
{
	struct xsurf *s = data;
	s->x = x;
	s->y = y;
	s->w = w;
	s->h = h;
}

static void popup_done(void *data, struct xdg_popup *p)
{
	((struct xsurf *)data)->done = true;
}

static void popup_repositioned(void *data, struct xdg_popup *p, uint32_t token)
{
	struct xsurf *s = data;
	s->token = token;
	s->repositioned++;
}

static const struct xdg_popup_listener popup_listener = {popup_configure, popup_done,
							 popup_repositioned};

static struct xsurf *xsurf_new(struct test_client *c)
{
	struct xsurf *x = calloc(1, sizeof(*x));
	CHECK(x);
	x->c = c;
	x->surface = track(c, wl_compositor_create_surface(c->compositor));
	x->xdg = track(c, xdg_wm_base_get_xdg_surface(wm, x->surface));
	xdg_surface_add_listener(x->xdg, &xdg_listener, x);
	return x;
}

/* A mapped 320x240 toplevel of colour. */
static struct xsurf *toplevel_new(struct test_client *c, uint32_t colour)
{
	struct xsurf *t = xsurf_new(c);
	t->toplevel = track(c, xdg_surface_get_toplevel(t->xdg));
	wl_surface_commit(t->surface);
	client_roundtrip(c);
	CHECK(t->configures == 1);
	wl_surface_attach(t->surface, shm_buffer(c, 320, 240, colour), 0, 0);
	wl_surface_commit(t->surface);
	client_roundtrip(c);
	return t;
}

static struct xdg_positioner *positioner(struct test_client *c, int32_t w, int32_t h, int32_t ax,
					 int32_t ay, int32_t aw, int32_t ah, uint32_t anchor,
					 uint32_t gravity, uint32_t adjust)
{
	struct xdg_positioner *p = track(c, xdg_wm_base_create_positioner(wm));
	xdg_positioner_set_size(p, w, h);
	xdg_positioner_set_anchor_rect(p, ax, ay, aw, ah);
	xdg_positioner_set_anchor(p, anchor);
	xdg_positioner_set_gravity(p, gravity);
	xdg_positioner_set_constraint_adjustment(p, adjust);
	return p;
}

/* A popup of parent, configured by its initial commit. */
static struct xsurf *popup_new(struct test_client *c, struct xsurf *parent,
			       struct xdg_positioner *p)
{
	struct xsurf *x = xsurf_new(c);
	x->popup = track(c, xdg_surface_get_popup(x->xdg, parent->xdg, p));
	xdg_popup_add_listener(x->popup, &popup_listener, x);
	wl_surface_commit(x->surface);
	client_roundtrip(c);
	CHECK_MSG(x->configures == 1, "the popup's initial commit got %d configures",
		  x->configures);
	return x;
}

#define CHECK_PLACE(s, ex, ey, ew, eh)                                                             \
	CHECK_MSG((s)->x == (ex) && (s)->y == (ey) && (s)->w == (ew) && (s)->h == (eh),            \
		  "configured at %d,%d %dx%d, not %d,%d %dx%d", (s)->x, (s)->y, (s)->w, (s)->h,    \
		  ex, ey, ew, eh)

/* --- configure ---------------------------------------------------------------------------- */

static void placed(uint32_t anchor, uint32_t gravity, uint32_t adjust, int32_t ax, int32_t ex,
		   int32_t ey, int32_t ew)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = connect_v3(&p);
	struct xsurf *t = toplevel_new(c, RED);
	struct xdg_positioner *pos =
		positioner(c, 50, 40, ax, 100, 20, 10, anchor, gravity, adjust);
	xdg_positioner_set_offset(pos, 3, 4);
	struct xsurf *x = popup_new(c, t, pos);
	CHECK_PLACE(x, ex, ey, ew, 40);
	client_destroy(c);
	free(x);
	free(t);
	presenter_stop(&p);
}

static void test_popup_configure_follows_anchor_gravity_and_offset(void)
{
	/* The anchor rectangle's bottom right corner 120,110, the popup below right of it. */
	placed(XDG_POSITIONER_ANCHOR_BOTTOM_RIGHT, XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT, 0, 100, 123,
	       114, 50);
	/* Its top left corner 100,100, the popup above left of it. */
	placed(XDG_POSITIONER_ANCHOR_TOP_LEFT, XDG_POSITIONER_GRAVITY_TOP_LEFT, 0, 100, 53, 64, 50);
}

static void test_popup_flips_at_the_output_edge(void)
{
	/* Right of 290..310 it would end at 363: flipped left of it, the offset with it. */
	placed(XDG_POSITIONER_ANCHOR_RIGHT, XDG_POSITIONER_GRAVITY_RIGHT,
	       XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_FLIP_X, 290, 290 - 50 - 3, 105 - 20 + 4, 50);
}

static void test_popup_slides_at_the_output_edge(void)
{
	placed(XDG_POSITIONER_ANCHOR_RIGHT, XDG_POSITIONER_GRAVITY_RIGHT,
	       XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_SLIDE_X, 290, 320 - 50, 105 - 20 + 4, 50);
}

static void test_popup_resizes_at_the_output_edge(void)
{
	placed(XDG_POSITIONER_ANCHOR_RIGHT, XDG_POSITIONER_GRAVITY_RIGHT,
	       XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_RESIZE_X, 290, 313, 105 - 20 + 4, 7);
}

static void test_popup_reposition_sends_repositioned_and_configure(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = connect_v3(&p);
	struct xsurf *t = toplevel_new(c, RED);
	struct xsurf *x = popup_new(c, t,
				    positioner(c, 50, 40, 10, 10, 1, 1, XDG_POSITIONER_ANCHOR_NONE,
					       XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT, 0));
	CHECK_PLACE(x, 10, 10, 50, 40);
	xdg_popup_reposition(x->popup,
			     positioner(c, 60, 30, 200, 20, 0, 0, XDG_POSITIONER_ANCHOR_NONE,
					XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT, 0),
			     42);
	client_roundtrip(c);
	CHECK_MSG(x->repositioned == 1 && x->token == 42, "repositioned %d times, token %u",
		  x->repositioned, x->token);
	CHECK(x->configures == 2);
	CHECK_PLACE(x, 200, 20, 60, 30);
	client_destroy(c);
	free(x);
	free(t);
	presenter_stop(&p);
}

/* --- reactive, parent size --------------------------------------------------------------- */

/* Right of 290..310, 50 wide, slid back to end at the output's edge: 270 while the window
 * fills the 320x240 output at scale 1. */
static struct xdg_positioner *edge_positioner(struct test_client *c, bool reactive)
{
	struct xdg_positioner *pos = positioner(
		c, 50, 40, 290, 100, 20, 10, XDG_POSITIONER_ANCHOR_RIGHT,
		XDG_POSITIONER_GRAVITY_RIGHT, XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_SLIDE_X);
	if (reactive)
		xdg_positioner_set_reactive(pos);
	return pos;
}

/*
 * The window's reach on the output grows to 640x480 of its own pixels (another window halves
 * its cell, or its buffer doubles): the reactive popup needs no slide any more and is
 * configured anew at 310, the one that is not keeps its place and gets no configure.
 */
static void reactive_follows(bool another_window)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = connect_v3(&p);
	struct xsurf *t = toplevel_new(c, RED);
	struct xsurf *reactive = popup_new(c, t, edge_positioner(c, true));
	struct xsurf *fixed = popup_new(c, t, edge_positioner(c, false));
	CHECK_PLACE(reactive, 270, 85, 50, 40);
	CHECK_PLACE(fixed, 270, 85, 50, 40);
	struct xsurf *other = NULL;
	if (another_window) {
		other = toplevel_new(c, GREEN);
	} else {
		struct feedback_result fb;
		request_feedback(c, t->surface, &fb);
		wl_surface_attach(t->surface, shm_buffer(c, 640, 480, RED), 0, 0);
		wl_surface_commit(t->surface);
		CHECK(wait_feedback(c, &fb, 5000) && fb.presented);
	}
	client_roundtrip(c);
	CHECK_MSG(reactive->configures == 2, "the reactive popup got %d configures, not 2",
		  reactive->configures);
	CHECK_PLACE(reactive, 310, 85, 50, 40);
	CHECK_MSG(fixed->configures == 1, "the popup that is not reactive got %d configures",
		  fixed->configures);
	CHECK(!reactive->done && !fixed->done);
	client_destroy(c);
	free(other);
	free(fixed);
	free(reactive);
	free(t);
	presenter_stop(&p);
}

static void test_reactive_popup_is_reconfigured_when_another_window_moves_its_own(void)
{
	reactive_follows(true);
}

static void test_reactive_popup_is_reconfigured_when_its_window_resizes(void)
{
	reactive_follows(false);
}

/*
 * The toplevel acked a configure (set_maximized's) and has not committed since: a positioner
 * that names that configure, with the 640x480 the window will have, places the popup for that
 * window (310, no slide); without the serial, or with a configure already answered, the
 * current window places it (270).
 */
static void test_popup_is_placed_for_the_parent_size_of_a_pending_configure(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = connect_v3(&p);
	struct xsurf *t = toplevel_new(c, RED);
	/* Whatever came since the map (activated) is answered by a commit. */
	wl_surface_commit(t->surface);
	client_roundtrip(c);
	uint32_t answered = t->serial;
	int configures = t->configures;
	xdg_toplevel_set_maximized(t->toplevel);
	client_roundtrip(c);
	CHECK(t->configures > configures && t->serial != answered);
	struct {
		bool set_serial;
		uint32_t serial;
		int32_t x;
	} cases[] = {{true, t->serial, 310}, {false, 0, 270}, {true, answered, 270}};
	for (int i = 0; i < 3; i++) {
		struct xdg_positioner *pos = edge_positioner(c, false);
		xdg_positioner_set_parent_size(pos, 640, 480);
		if (cases[i].set_serial)
			xdg_positioner_set_parent_configure(pos, cases[i].serial);
		struct xsurf *x = popup_new(c, t, pos);
		CHECK_MSG(x->x == cases[i].x, "case %d: placed at x %d, not %d", i, x->x,
			  cases[i].x);
		free(x);
	}
	client_destroy(c);
	free(t);
	presenter_stop(&p);
}

/* A reactive popup on a popup that moves (reposition, acked, committed) is placed anew: at the
 * right of its parent at 10, it fits; with its parent at 250 it slides back inside the output. */
static void test_reactive_popup_follows_its_parent_popup(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = connect_v3(&p);
	struct xsurf *t = toplevel_new(c, RED);
	struct xsurf *a = popup_new(c, t,
				    positioner(c, 50, 40, 10, 10, 0, 0, XDG_POSITIONER_ANCHOR_NONE,
					       XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT, 0));
	wl_surface_commit(a->surface);
	struct xdg_positioner *pos = positioner(
		c, 50, 20, 40, 10, 10, 10, XDG_POSITIONER_ANCHOR_RIGHT,
		XDG_POSITIONER_GRAVITY_RIGHT, XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_SLIDE_X);
	xdg_positioner_set_reactive(pos);
	struct xsurf *b = popup_new(c, a, pos);
	CHECK_PLACE(b, 50, 5, 50, 20);
	xdg_popup_reposition(a->popup,
			     positioner(c, 50, 40, 250, 10, 0, 0, XDG_POSITIONER_ANCHOR_NONE,
					XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT, 0),
			     7);
	client_roundtrip(c); /* the configure, acked */
	CHECK(b->configures == 1);
	wl_surface_commit(a->surface);
	client_roundtrip(c);
	CHECK_MSG(b->configures == 2, "the popup above got %d configures, not 2", b->configures);
	CHECK_PLACE(b, 320 - 250 - 50, 5, 50, 20);
	client_destroy(c);
	free(b);
	free(a);
	free(t);
	presenter_stop(&p);
}

/* The parent goes, or unmaps: its popup is told it is done, and the popup above it too. */
static void parent_gone(bool destroy)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = connect_v3(&p);
	struct xsurf *t = toplevel_new(c, RED);
	struct xsurf *a = popup_new(c, t, positioner(c, 50, 40, 10, 10, 1, 1, 0, 0, 0));
	struct xsurf *b = popup_new(c, a, positioner(c, 20, 20, 5, 5, 1, 1, 0, 0, 0));
	client_roundtrip(c);
	CHECK(!a->done && !b->done);
	if (destroy) {
		xdg_toplevel_destroy(untrack(c, t->toplevel));
		xdg_surface_destroy(untrack(c, t->xdg));
		wl_surface_destroy(untrack(c, t->surface));
	} else {
		wl_surface_attach(t->surface, NULL, 0, 0);
		wl_surface_commit(t->surface);
	}
	client_roundtrip(c);
	CHECK_MSG(a->done && b->done, "popup_done: the parent's popup %d, the one above it %d",
		  a->done, b->done);
	client_destroy(c);
	free(a);
	free(b);
	free(t);
	presenter_stop(&p);
}

static void test_popup_done_when_parent_is_destroyed(void)
{
	parent_gone(true);
}

static void test_popup_done_when_parent_is_unmapped(void)
{
	parent_gone(false);
}

/* --- errors ------------------------------------------------------------------------------- */

static void positioner_error(int which)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = connect_v3(&p);
	struct xdg_positioner *pos = track(c, xdg_wm_base_create_positioner(wm));
	switch (which) {
	case 0:
		xdg_positioner_set_size(pos, 0, 10);
		break;
	case 1:
		xdg_positioner_set_size(pos, 10, -1);
		break;
	case 2:
		xdg_positioner_set_anchor_rect(pos, 0, 0, -1, 5);
		break;
	case 3:
		xdg_positioner_set_anchor(pos, XDG_POSITIONER_ANCHOR_BOTTOM_RIGHT + 1);
		break;
	default:
		xdg_positioner_set_gravity(pos, XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT + 1);
		break;
	}
	expect_protocol_error(c, &xdg_positioner_interface, XDG_POSITIONER_ERROR_INVALID_INPUT);
	client_destroy(c);
	presenter_stop(&p);
}

static void test_positioner_zero_or_negative_size_is_invalid_input(void)
{
	positioner_error(0);
	positioner_error(1);
}

static void test_positioner_negative_anchor_rect_is_invalid_input(void)
{
	positioner_error(2);
}

static void test_positioner_bad_anchor_or_gravity_is_invalid_input(void)
{
	positioner_error(3);
	positioner_error(4);
}

static void test_popup_with_incomplete_positioner_is_invalid_positioner(void)
{
	for (int missing = 0; missing < 2; missing++) {
		struct presenter_fixture p;
		presenter_start(&p, NULL);
		struct test_client *c = connect_v3(&p);
		struct xsurf *t = toplevel_new(c, RED);
		struct xdg_positioner *pos = track(c, xdg_wm_base_create_positioner(wm));
		if (missing == 0)
			xdg_positioner_set_size(pos, 10, 10);
		else
			xdg_positioner_set_anchor_rect(pos, 0, 0, 1, 1);
		struct xsurf *x = xsurf_new(c);
		track(c, xdg_surface_get_popup(x->xdg, t->xdg, pos));
		expect_protocol_error(c, &xdg_wm_base_interface,
				      XDG_WM_BASE_ERROR_INVALID_POSITIONER);
		client_destroy(c);
		free(x);
		free(t);
		presenter_stop(&p);
	}
}

static void test_reposition_with_incomplete_positioner_is_invalid_positioner(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = connect_v3(&p);
	struct xsurf *t = toplevel_new(c, RED);
	struct xsurf *x = popup_new(c, t, positioner(c, 50, 40, 10, 10, 1, 1, 0, 0, 0));
	struct xdg_positioner *empty = track(c, xdg_wm_base_create_positioner(wm));
	xdg_popup_reposition(x->popup, empty, 1);
	expect_protocol_error(c, &xdg_wm_base_interface, XDG_WM_BASE_ERROR_INVALID_POSITIONER);
	client_destroy(c);
	free(x);
	free(t);
	presenter_stop(&p);
}

static void test_popup_of_roleless_xdg_surface_is_invalid_popup_parent(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = connect_v3(&p);
	struct xsurf *parent = xsurf_new(c); /* no toplevel, no popup */
	struct xsurf *x = xsurf_new(c);
	track(c, xdg_surface_get_popup(x->xdg, parent->xdg,
				       positioner(c, 10, 10, 0, 0, 1, 1, 0, 0, 0)));
	expect_protocol_error(c, &xdg_wm_base_interface, XDG_WM_BASE_ERROR_INVALID_POPUP_PARENT);
	client_destroy(c);
	free(x);
	free(parent);
	presenter_stop(&p);
}

static void test_destroying_a_popup_below_another_is_not_the_topmost_popup(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = connect_v3(&p);
	struct xsurf *t = toplevel_new(c, RED);
	struct xsurf *a = popup_new(c, t, positioner(c, 50, 40, 10, 10, 1, 1, 0, 0, 0));
	struct xsurf *b = popup_new(c, a, positioner(c, 20, 20, 5, 5, 1, 1, 0, 0, 0));
	(void)b;
	xdg_popup_destroy(untrack(c, a->popup));
	expect_protocol_error(c, &xdg_wm_base_interface, XDG_WM_BASE_ERROR_NOT_THE_TOPMOST_POPUP);
	client_destroy(c);
	free(a);
	free(b);
	free(t);
	presenter_stop(&p);
}

/* The topmost first is fine, and so is a popup below one already dismissed. */
static void test_destroying_popups_topmost_first_is_accepted(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = connect_v3(&p);
	struct xsurf *t = toplevel_new(c, RED);
	struct xsurf *a = popup_new(c, t, positioner(c, 50, 40, 10, 10, 1, 1, 0, 0, 0));
	struct xsurf *b = popup_new(c, a, positioner(c, 20, 20, 5, 5, 1, 1, 0, 0, 0));
	xdg_popup_destroy(untrack(c, b->popup));
	xdg_popup_destroy(untrack(c, a->popup));
	client_roundtrip(c);
	client_destroy(c);
	free(a);
	free(b);
	free(t);
	presenter_stop(&p);
}

static void test_grab_after_initial_commit_is_invalid_grab(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = connect_v3(&p);
	/* The headless seat has no devices, but it is a wl_seat to name. */
	struct xsurf *t = toplevel_new(c, RED);
	struct xsurf *x = popup_new(c, t, positioner(c, 50, 40, 10, 10, 1, 1, 0, 0, 0));
	xdg_popup_grab(x->popup, seat, 0);
	expect_protocol_error(c, &xdg_popup_interface, XDG_POPUP_ERROR_INVALID_GRAB);
	client_destroy(c);
	free(x);
	free(t);
	presenter_stop(&p);
}

/* The headless seat has sent no press, so no serial a grab names is one: neither 0 nor a real
 * serial the client got (its window's configure). The popup is dismissed at once, with no
 * error, and its initial commit gets no configure. */
static void test_grab_without_a_press_serial_dismisses_the_popup(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	struct test_client *c = connect_v3(&p);
	struct xsurf *t = toplevel_new(c, RED);
	uint32_t serials[] = {0, t->serial};
	for (int i = 0; i < 2; i++) {
		struct xsurf *x = xsurf_new(c);
		x->popup = track(
			c, xdg_surface_get_popup(x->xdg, t->xdg,
						 positioner(c, 50, 40, 10, 10, 1, 1, 0, 0, 0)));
		xdg_popup_add_listener(x->popup, &popup_listener, x);
		xdg_popup_grab(x->popup, seat, serials[i]);
		client_roundtrip(c);
		CHECK_MSG(x->done, "a grab with serial %u was not dismissed", serials[i]);
		wl_surface_commit(x->surface);
		client_roundtrip(c);
		CHECK_MSG(x->configures == 0, "the dismissed popup got %d configures",
			  x->configures);
		free(x);
	}
	client_destroy(c);
	free(t);
	presenter_stop(&p);
}

/* Objects gone in orders the protocol frowns on, and a client gone with a grabbing popup
 * shown: the presenter neither crashes nor leaks (ASan), and serves the next client. */
static void test_popup_objects_gone_in_any_order_leave_the_presenter_running(void)
{
	struct presenter_fixture p;
	presenter_start(&p, NULL);
	for (int order = 0; order < 4; order++) {
		struct test_client *c = connect_v3(&p);
		struct xsurf *t = toplevel_new(c, RED);
		struct xsurf *a = popup_new(c, t, positioner(c, 50, 40, 10, 10, 1, 1, 0, 0, 0));
		wl_surface_attach(a->surface, shm_buffer(c, 50, 40, GREEN), 0, 0);
		wl_surface_commit(a->surface);
		struct xsurf *b = popup_new(c, a, positioner(c, 20, 20, 5, 5, 1, 1, 0, 0, 0));
		if (order == 3)
			xdg_popup_grab(b->popup, seat, 0); /* too late: invalid_grab, then gone */
		else
			client_roundtrip(c);
		switch (order) {
		case 0: /* the parent's wl_surface first, under its role objects */
			wl_surface_destroy(untrack(c, t->surface));
			wl_surface_destroy(untrack(c, a->surface));
			break;
		case 1: /* the popups' xdg_surfaces before their xdg_popups */
			xdg_surface_destroy(untrack(c, b->xdg));
			xdg_surface_destroy(untrack(c, a->xdg));
			break;
		case 2: /* the parent's xdg_surface and toplevel, the popups still there */
			xdg_toplevel_destroy(untrack(c, t->toplevel));
			xdg_surface_destroy(untrack(c, t->xdg));
			break;
		default: /* the connection, with everything in it */
			break;
		}
		if (order != 3)
			client_roundtrip(c);
		client_destroy(c);
		free(a);
		free(b);
		free(t);
	}
	struct test_client *c = connect_v3(&p);
	struct xsurf *t = toplevel_new(c, RED);
	client_destroy(c);
	free(t);
	presenter_stop(&p);
}

/* --- pixels ------------------------------------------------------------------------------- */

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
 * A green 40x30 popup at 100,100 of the red window, and a blue 10x10 one on it at 5,5 of the
 * green (105,105 of the window): green at 130,120, blue at 108,108, red outside at 90,90.
 */
static void popup_pixels(const char *renderer)
{
	char shot[64];
	snprintf(shot, sizeof(shot), "/tmp/handoff-popup-%d.png", getpid());
	const char *args[] = {"--snapshot", shot, "--renderer", renderer, NULL};
	struct presenter_fixture p;
	presenter_start(&p, args);
	struct test_client *c = connect_v3(&p);
	struct xsurf *t = toplevel_new(c, RED);
	struct xsurf *a =
		popup_new(c, t,
			  positioner(c, 40, 30, 100, 100, 0, 0, XDG_POSITIONER_ANCHOR_NONE,
				     XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT, 0));
	struct xsurf *b = popup_new(c, a,
				    positioner(c, 10, 10, 5, 5, 0, 0, XDG_POSITIONER_ANCHOR_NONE,
					       XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT, 0));
	wl_surface_attach(a->surface, shm_buffer(c, 40, 30, GREEN), 0, 0);
	wl_surface_commit(a->surface);
	struct feedback_result fb;
	request_feedback(c, b->surface, &fb);
	wl_surface_attach(b->surface, shm_buffer(c, 10, 10, BLUE), 0, 0);
	wl_surface_commit(b->surface);
	CHECK_MSG(wait_feedback(c, &fb, 5000) && fb.presented, "the popup was not presented");
	presenter_stop(&p);
	client_destroy(c);
	free(a);
	free(b);
	free(t);
	uint32_t green = snapshot_pixel(shot, 130, 120), blue = snapshot_pixel(shot, 108, 108);
	uint32_t red = snapshot_pixel(shot, 90, 90), after = snapshot_pixel(shot, 141, 131);
	unlink(shot);
	CHECK_MSG(green == (GREEN & 0xffffff) && blue == (BLUE & 0xffffff) &&
			  red == (RED & 0xffffff) && after == (RED & 0xffffff),
		  "at 130,120 %06x, at 108,108 %06x, at 90,90 %06x, at 141,131 %06x", green, blue,
		  red, after);
}

static void test_popup_is_composed_above_parent_where_placed(void)
{
	popup_pixels("pixman");
}

static void test_popup_is_composed_by_the_vulkan_renderer(void)
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
	popup_pixels("vulkan");
}

HF_TESTS(T(test_popup_configure_follows_anchor_gravity_and_offset),
	 T(test_popup_flips_at_the_output_edge), T(test_popup_slides_at_the_output_edge),
	 T(test_popup_resizes_at_the_output_edge),
	 T(test_popup_reposition_sends_repositioned_and_configure),
	 T(test_reactive_popup_is_reconfigured_when_another_window_moves_its_own),
	 T(test_reactive_popup_is_reconfigured_when_its_window_resizes),
	 T(test_popup_is_placed_for_the_parent_size_of_a_pending_configure),
	 T(test_reactive_popup_follows_its_parent_popup),
	 T(test_popup_done_when_parent_is_destroyed), T(test_popup_done_when_parent_is_unmapped),
	 T(test_positioner_zero_or_negative_size_is_invalid_input),
	 T(test_positioner_negative_anchor_rect_is_invalid_input),
	 T(test_positioner_bad_anchor_or_gravity_is_invalid_input),
	 T(test_popup_with_incomplete_positioner_is_invalid_positioner),
	 T(test_reposition_with_incomplete_positioner_is_invalid_positioner),
	 T(test_popup_of_roleless_xdg_surface_is_invalid_popup_parent),
	 T(test_destroying_a_popup_below_another_is_not_the_topmost_popup),
	 T(test_destroying_popups_topmost_first_is_accepted),
	 T(test_grab_after_initial_commit_is_invalid_grab),
	 T(test_grab_without_a_press_serial_dismisses_the_popup),
	 T(test_popup_objects_gone_in_any_order_leave_the_presenter_running),
	 T(test_popup_is_composed_above_parent_where_placed),
	 T(test_popup_is_composed_by_the_vulkan_renderer))
