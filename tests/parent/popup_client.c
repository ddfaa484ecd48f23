/*
 * handoff-test-popup-client: a client for the nested popup test. It shows a red 320x240
 * window; the first click into it opens a green 40x30 popup at 100,100 with a grab; it prints
 * the pointer's and the keyboard's enter and leave (on "toplevel" or "popup", with surface
 * coordinates), buttons, the popup's configure and popup_done, one line each, and runs until
 * killed.
 */
#define _GNU_SOURCE
#include "xdg-shell-client-protocol.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wayland-client.h>

static struct wl_compositor *compositor;
static struct wl_shm *shm;
static struct xdg_wm_base *wm;
static struct wl_seat *seat;
static struct wl_surface *top, *pop;
static struct xdg_surface *top_xdg, *pop_xdg;
static struct xdg_popup *popup;
static bool opened;

static const char *name_of(struct wl_surface *s)
{
	return s == top ? "toplevel" : s && s == pop ? "popup" : "other";
}

static struct wl_buffer *buffer(int32_t w, int32_t h, uint32_t colour)
{
	size_t size = (size_t)w * (size_t)h * 4;
	int fd = memfd_create("popup-client", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)size) != 0)
		exit(2);
	uint32_t *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		exit(2);
	for (size_t i = 0; i < size / 4; i++)
		p[i] = colour;
	munmap(p, size);
	struct wl_shm_pool *pool = wl_shm_create_pool(shm, fd, (int32_t)size);
	struct wl_buffer *b =
		wl_shm_pool_create_buffer(pool, 0, w, h, w * 4, WL_SHM_FORMAT_XRGB8888);
	wl_shm_pool_destroy(pool);
	close(fd);
	return b;
}

static void top_configure(void *data, struct xdg_surface *s, uint32_t serial)
{
	xdg_surface_ack_configure(s, serial);
	static bool shown;
	if (shown)
		return;
	shown = true;
	wl_surface_attach(top, buffer(320, 240, 0xffff0000), 0, 0);
	wl_surface_commit(top);
}

static const struct xdg_surface_listener top_listener = {top_configure};

static void pop_configure(void *data, struct xdg_surface *s, uint32_t serial)
{
	xdg_surface_ack_configure(s, serial);
	wl_surface_attach(pop, buffer(40, 30, 0xff00ff00), 0, 0);
	wl_surface_commit(pop);
}

static const struct xdg_surface_listener pop_listener = {pop_configure};

static void popup_configure(void *data, struct xdg_popup *p, int32_t x, int32_t y, int32_t w,
			    int32_t h)
{
	printf("popup configured %d %d %d %d\n", x, y, w, h);
}

static void popup_done(void *data, struct xdg_popup *p)
{
	printf("popup done\n");
	xdg_popup_destroy(popup);
	popup = NULL;
}

static void popup_repositioned(void *data, struct xdg_popup *p, uint32_t token)
{
}

static const struct xdg_popup_listener popup_listener = {popup_configure, popup_done,
							 popup_repositioned};

static void open_popup(uint32_t serial)
{
	opened = true;
	pop = wl_compositor_create_surface(compositor);
	pop_xdg = xdg_wm_base_get_xdg_surface(wm, pop);
	xdg_surface_add_listener(pop_xdg, &pop_listener, NULL);
	struct xdg_positioner *pos = xdg_wm_base_create_positioner(wm);
	xdg_positioner_set_size(pos, 40, 30);
	xdg_positioner_set_anchor_rect(pos, 100, 100, 1, 1);
	xdg_positioner_set_anchor(pos, XDG_POSITIONER_ANCHOR_TOP_LEFT);
	xdg_positioner_set_gravity(pos, XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT);
	popup = xdg_surface_get_popup(pop_xdg, top_xdg, pos);
	xdg_positioner_destroy(pos);
	xdg_popup_add_listener(popup, &popup_listener, NULL);
	xdg_popup_grab(popup, seat, serial);
	wl_surface_commit(pop);
}

static void pointer_enter(void *data, struct wl_pointer *p, uint32_t serial, struct wl_surface *s,
			  wl_fixed_t x, wl_fixed_t y)
{
	printf("pointer enter %s %.0f %.0f\n", name_of(s), wl_fixed_to_double(x),
	       wl_fixed_to_double(y));
}

static void pointer_leave(void *data, struct wl_pointer *p, uint32_t serial, struct wl_surface *s)
{
	printf("pointer leave %s\n", name_of(s));
}

static void pointer_motion(void *data, struct wl_pointer *p, uint32_t time, wl_fixed_t x,
			   wl_fixed_t y)
{
}

static void pointer_button(void *data, struct wl_pointer *p, uint32_t serial, uint32_t time,
			   uint32_t button, uint32_t state)
{
	if (state != WL_POINTER_BUTTON_STATE_PRESSED)
		return;
	printf("button\n");
	if (!opened)
		open_popup(serial);
}

static void pointer_axis(void *data, struct wl_pointer *p, uint32_t time, uint32_t axis,
			 wl_fixed_t value)
{
}

static const struct wl_pointer_listener pointer_listener = {
	.enter = pointer_enter,
	.leave = pointer_leave,
	.motion = pointer_motion,
	.button = pointer_button,
	.axis = pointer_axis,
};

static void keyboard_keymap(void *data, struct wl_keyboard *k, uint32_t format, int32_t fd,
			    uint32_t size)
{
	close(fd);
}

static void keyboard_enter(void *data, struct wl_keyboard *k, uint32_t serial, struct wl_surface *s,
			   struct wl_array *keys)
{
	printf("keyboard enter %s\n", name_of(s));
}

static void keyboard_leave(void *data, struct wl_keyboard *k, uint32_t serial, struct wl_surface *s)
{
	printf("keyboard leave %s\n", name_of(s));
}

static void keyboard_key(void *data, struct wl_keyboard *k, uint32_t serial, uint32_t time,
			 uint32_t key, uint32_t state)
{
}

static void keyboard_modifiers(void *data, struct wl_keyboard *k, uint32_t serial, uint32_t dep,
			       uint32_t lat, uint32_t lock, uint32_t group)
{
}

static const struct wl_keyboard_listener keyboard_listener = {
	.keymap = keyboard_keymap,
	.enter = keyboard_enter,
	.leave = keyboard_leave,
	.key = keyboard_key,
	.modifiers = keyboard_modifiers,
};

static void seat_capabilities(void *data, struct wl_seat *s, uint32_t caps)
{
	static struct wl_pointer *pointer;
	static struct wl_keyboard *keyboard;
	if ((caps & WL_SEAT_CAPABILITY_POINTER) && !pointer) {
		pointer = wl_seat_get_pointer(s);
		wl_pointer_add_listener(pointer, &pointer_listener, NULL);
	}
	if ((caps & WL_SEAT_CAPABILITY_KEYBOARD) && !keyboard) {
		keyboard = wl_seat_get_keyboard(s);
		wl_keyboard_add_listener(keyboard, &keyboard_listener, NULL);
	}
}

static void seat_name(void *data, struct wl_seat *s, const char *name)
{
}

static const struct wl_seat_listener seat_listener = {seat_capabilities, seat_name};

static void wm_ping(void *data, struct xdg_wm_base *b, uint32_t serial)
{
	xdg_wm_base_pong(b, serial);
}

static const struct xdg_wm_base_listener wm_listener = {wm_ping};

static void global(void *data, struct wl_registry *r, uint32_t name, const char *iface,
		   uint32_t version)
{
	if (!strcmp(iface, wl_compositor_interface.name))
		compositor = wl_registry_bind(r, name, &wl_compositor_interface, 4);
	else if (!strcmp(iface, wl_shm_interface.name))
		shm = wl_registry_bind(r, name, &wl_shm_interface, 1);
	else if (!strcmp(iface, xdg_wm_base_interface.name))
		wm = wl_registry_bind(r, name, &xdg_wm_base_interface, 1);
	else if (!strcmp(iface, wl_seat_interface.name))
		seat = wl_registry_bind(r, name, &wl_seat_interface, 1);
}

static void global_remove(void *data, struct wl_registry *r, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {global, global_remove};

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct wl_display *display = wl_display_connect(NULL);
	if (!display) {
		fprintf(stderr, "popup-client: no display\n");
		return 2;
	}
	struct wl_registry *registry = wl_display_get_registry(display);
	wl_registry_add_listener(registry, &registry_listener, NULL);
	wl_display_roundtrip(display);
	if (!compositor || !shm || !wm || !seat) {
		fprintf(stderr, "popup-client: a global is missing\n");
		return 2;
	}
	xdg_wm_base_add_listener(wm, &wm_listener, NULL);
	wl_seat_add_listener(seat, &seat_listener, NULL);
	top = wl_compositor_create_surface(compositor);
	top_xdg = xdg_wm_base_get_xdg_surface(wm, top);
	xdg_surface_add_listener(top_xdg, &top_listener, NULL);
	xdg_surface_get_toplevel(top_xdg);
	wl_surface_commit(top);
	while (wl_display_dispatch(display) >= 0)
		;
	fprintf(stderr, "popup-client: the connection ended\n");
	return 1;
}
