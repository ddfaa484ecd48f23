#define _GNU_SOURCE
#include "fixture.h"

#include "harness.h"
#include "image.h"
#include "time_util.h"
#include "timeline.h"

#include <dirent.h>
#include <drm_fourcc.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef HANDOFF_PRESENTER
#error "HANDOFF_PRESENTER must name the presenter binary"
#endif

void presenter_start(struct presenter_fixture *f, const char *const *extra)
{
	presenter_start_paced(f, 0, extra);
}

void presenter_start_paced(struct presenter_fixture *f, int refresh_hz, const char *const *extra)
{
	char refresh[16];
	snprintf(refresh, sizeof(refresh), "%d", refresh_hz);
	snprintf(f->runtime_dir, sizeof(f->runtime_dir), "/tmp/handoff-test-XXXXXX");
	CHECK(mkdtemp(f->runtime_dir));
	snprintf(f->socket, sizeof(f->socket), "handoff-test-%d", getpid());
	setenv("XDG_RUNTIME_DIR", f->runtime_dir, 1);
	unsetenv("WAYLAND_DISPLAY");
	int out[2];
	CHECK(pipe(out) == 0);
	f->pid = fork();
	CHECK(f->pid >= 0);
	if (f->pid == 0) {
		const char *argv[32] = {HANDOFF_PRESENTER, "--output", "headless",
					"--refresh",       refresh,    "--size",
					"320x240",         "--socket", f->socket};
		int n = 9;
		for (int i = 0; extra && extra[i] && n < 31; i++)
			argv[n++] = extra[i];
		argv[n] = NULL;
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		close(out[1]);
		execv(argv[0], (char **)argv);
		_exit(127);
	}
	close(out[1]);
	/* The presenter prints its socket once it listens. */
	char line[256] = {0};
	struct pollfd pfd = {.fd = out[0], .events = POLLIN};
	CHECK_MSG(poll(&pfd, 1, 10000) == 1, "the presenter did not start");
	CHECK(read(out[0], line, sizeof(line) - 1) > 0);
	CHECK_MSG(strstr(line, "WAYLAND_DISPLAY="), "unexpected output: %s", line);
	close(out[0]);
}

int presenter_count_fds(const struct presenter_fixture *f)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)f->pid);
	DIR *dir = opendir(path);
	CHECK_MSG(dir, "cannot open %s", path);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dir)))
		if (e->d_name[0] != '.')
			n++;
	closedir(dir);
	return n;
}

long presenter_cpu_ticks(const struct presenter_fixture *f)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)f->pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK_MSG(fd >= 0, "cannot open %s", path);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	CHECK(n > 0);
	buf[n] = '\0';
	/* The command name may hold spaces: fields count from after its closing parenthesis. */
	char *p = strrchr(buf, ')');
	CHECK(p);
	unsigned long utime, stime;
	/* Fields 3..13 are skipped; 14 and 15 are utime and stime. */
	CHECK(sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime,
		     &stime) == 2);
	return (long)(utime + stime);
}

void presenter_stop(struct presenter_fixture *f)
{
	int status;
	kill(f->pid, SIGTERM);
	CHECK(waitpid(f->pid, &status, 0) == f->pid);
	CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the presenter failed: %d",
		  status);
	char path[256];
	snprintf(path, sizeof(path), "%s/%s.lock", f->runtime_dir, f->socket);
	unlink(path);
	rmdir(f->runtime_dir);
}

void *track(struct test_client *c, void *proxy)
{
	CHECK(c->n_tracked < MAX_TRACKED);
	c->tracked[c->n_tracked++] = proxy;
	return proxy;
}

void *untrack(struct test_client *c, void *proxy)
{
	for (int i = 0; i < c->n_tracked; i++)
		if (c->tracked[i] == proxy)
			c->tracked[i] = NULL;
	return proxy;
}

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
			    const char *interface, uint32_t version)
{
	struct test_client *c = data;
	if (!strcmp(interface, wl_compositor_interface.name))
		c->compositor =
			track(c, wl_registry_bind(registry, name, &wl_compositor_interface, 4));
	else if (!strcmp(interface, wl_shm_interface.name))
		c->shm = track(c, wl_registry_bind(registry, name, &wl_shm_interface, 1));
	else if (!strcmp(interface, xdg_wm_base_interface.name))
		c->wm_base = track(c, wl_registry_bind(registry, name, &xdg_wm_base_interface, 1));
	else if (!strcmp(interface, wp_presentation_interface.name))
		c->presentation =
			track(c, wl_registry_bind(registry, name, &wp_presentation_interface, 1));
	else if (!strcmp(interface, handoff_manager_v1_interface.name))
		c->manager =
			track(c, wl_registry_bind(registry, name, &handoff_manager_v1_interface,
						  version < 2 ? version : 2));
}

static void registry_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {registry_global,
							      registry_global_remove};

struct test_client *client_connect(const struct presenter_fixture *f)
{
	struct test_client *c = calloc(1, sizeof(*c));
	CHECK(c);
	c->display = wl_display_connect(f->socket);
	CHECK_MSG(c->display, "cannot connect to %s", f->socket);
	c->registry = track(c, wl_display_get_registry(c->display));
	wl_registry_add_listener(c->registry, &registry_listener, c);
	client_roundtrip(c);
	CHECK(c->compositor && c->shm && c->wm_base && c->presentation && c->manager);
	return c;
}

void client_destroy(struct test_client *c)
{
	for (int i = c->n_tracked - 1; i >= 0; i--)
		if (c->tracked[i])
			wl_proxy_destroy(c->tracked[i]);
	wl_display_disconnect(c->display);
	free(c);
}

void client_roundtrip(struct test_client *c)
{
	int r = wl_display_roundtrip(c->display);
	if (r < 0) {
		const struct wl_interface *iface = NULL;
		uint32_t id;
		uint32_t code = wl_display_get_protocol_error(c->display, &iface, &id);
		CHECK_MSG(r >= 0, "unexpected error %u on %s", code, iface ? iface->name : "?");
	}
}

void expect_protocol_error(struct test_client *c, const struct wl_interface *iface, uint32_t code)
{
	int r = 0;
	for (int i = 0; i < 10 && r >= 0; i++)
		r = wl_display_roundtrip(c->display);
	CHECK_MSG(r < 0, "no protocol error came");
	const struct wl_interface *got_iface = NULL;
	uint32_t id;
	uint32_t got = wl_display_get_protocol_error(c->display, &got_iface, &id);
	CHECK_MSG(wl_display_get_error(c->display) == EPROTO, "not a protocol error: %s",
		  strerror(wl_display_get_error(c->display)));
	CHECK_MSG(got_iface == iface && got == code, "expected error %u on %s, got %u on %s", code,
		  iface->name, got, got_iface ? got_iface->name : "?");
}

static void xdg_surface_configure(void *data, struct xdg_surface *s, uint32_t serial)
{
	struct test_window *w = data;
	xdg_surface_ack_configure(s, serial);
	w->configured = true;
}

static const struct xdg_surface_listener xdg_surface_listener = {xdg_surface_configure};

struct test_window *window_create_uncommitted(struct test_client *c)
{
	struct test_window *w = calloc(1, sizeof(*w));
	CHECK(w);
	w->client = c;
	w->surface = track(c, wl_compositor_create_surface(c->compositor));
	w->xdg_surface = track(c, xdg_wm_base_get_xdg_surface(c->wm_base, w->surface));
	xdg_surface_add_listener(w->xdg_surface, &xdg_surface_listener, w);
	w->toplevel = track(c, xdg_surface_get_toplevel(w->xdg_surface));
	return w;
}

void window_initial_commit(struct test_window *w)
{
	wl_surface_commit(w->surface);
	client_roundtrip(w->client);
	CHECK(w->configured);
}

struct test_window *window_create(struct test_client *c)
{
	struct test_window *w = window_create_uncommitted(c);
	window_initial_commit(w);
	return w;
}

int image_memfd(int32_t width, int32_t height, uint32_t colour, bool sealed)
{
	size_t size = (size_t)width * (size_t)height * 4;
	int fd = memfd_create("test-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, (off_t)size) == 0);
	if (colour) {
		uint32_t *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		CHECK(p != MAP_FAILED);
		for (size_t i = 0; i < size / 4; i++)
			p[i] = colour;
		munmap(p, size);
	}
	if (sealed)
		CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) == 0);
	return fd;
}

struct wl_buffer *handoff_buffer(struct test_client *c, int32_t width, int32_t height,
				 uint32_t colour)
{
	int fd = image_memfd(width, height, colour, true);
	struct wl_buffer *b =
		track(c, handoff_manager_v1_create_buffer(
				 c->manager, fd, HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD, width,
				 height, DRM_FORMAT_XRGB8888, 0, 0, 0, (uint32_t)width * 4, 0));
	close(fd);
	return b;
}

struct handoff_timeline_v1 *import_timeline(struct test_client *c, struct hf_timeline *tl)
{
	return track(c, handoff_manager_v1_import_timeline(c->manager, hf_timeline_get_fd(tl),
							   HANDOFF_MANAGER_V1_TIMELINE_KIND_SHM));
}

static void fb_sync_output(void *data, struct wp_presentation_feedback *fb,
			   struct wl_output *output)
{
}

/* Each test runs in its own process, so one counter orders the feedback of its clients. */
static int feedback_events;

static void fb_presented(void *data, struct wp_presentation_feedback *fb, uint32_t a, uint32_t b,
			 uint32_t c, uint32_t d, uint32_t e, uint32_t f, uint32_t g)
{
	struct feedback_result *r = data;
	r->done = r->presented = true;
	r->order = ++feedback_events;
}

static void fb_discarded(void *data, struct wp_presentation_feedback *fb)
{
	struct feedback_result *r = data;
	r->done = true;
	r->presented = false;
	r->order = ++feedback_events;
}

static const struct wp_presentation_feedback_listener fb_listener = {fb_sync_output, fb_presented,
								     fb_discarded};

void request_feedback(struct test_client *c, struct wl_surface *surface,
		      struct feedback_result *result)
{
	*result = (struct feedback_result){0};
	struct wp_presentation_feedback *fb =
		track(c, wp_presentation_feedback(c->presentation, surface));
	wp_presentation_feedback_add_listener(fb, &fb_listener, result);
}

bool wait_feedback(struct test_client *c, struct feedback_result *result, int timeout_ms)
{
	int64_t deadline = hf_now_ns() + (int64_t)timeout_ms * 1000000;
	while (!result->done && hf_now_ns() < deadline) {
		wl_display_flush(c->display);
		struct pollfd pfd = {.fd = wl_display_get_fd(c->display), .events = POLLIN};
		if (poll(&pfd, 1, 10) > 0)
			CHECK(wl_display_dispatch(c->display) >= 0);
		else
			CHECK(wl_display_dispatch_pending(c->display) >= 0);
	}
	return result->done;
}
