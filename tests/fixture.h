/* Test fixtures: a private presenter, and a bare-bones client that can misbehave on purpose. */
#ifndef HF_FIXTURE_H
#define HF_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <wayland-client.h>

#include "handoff-v1-client-protocol.h"
#include "presentation-time-client-protocol.h"
#include "xdg-shell-client-protocol.h"

struct hf_timeline;

struct presenter_fixture {
	pid_t pid;
	char runtime_dir[64];
	char socket[64];
};

/* Starts handoff-presenter headless on a private socket; extra args may be NULL. */
void presenter_start(struct presenter_fixture *f, const char *const *extra_args);
/* The same, on an output paced at refresh_hz (0: repaints as soon as a frame is ready). */
void presenter_start_paced(struct presenter_fixture *f, int refresh_hz,
			   const char *const *extra_args);
/* Open fds of the presenter process, and its CPU time (user + system) in clock ticks. */
int presenter_count_fds(const struct presenter_fixture *f);
long presenter_cpu_ticks(const struct presenter_fixture *f);
void presenter_stop(struct presenter_fixture *f);

#define MAX_TRACKED 512

struct test_client {
	struct wl_display *display;
	/* Every proxy a test makes, freed with the client even after a protocol error. */
	struct wl_proxy *tracked[MAX_TRACKED];
	int n_tracked;
	struct wl_registry *registry;
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct xdg_wm_base *wm_base;
	struct wp_presentation *presentation;
	struct handoff_manager_v1 *manager;
};

struct test_window {
	struct test_client *client;
	struct wl_surface *surface;
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	bool configured;
};

struct test_client *client_connect(const struct presenter_fixture *f);
/* Frees the proxy with the client; returns it. */
void *track(struct test_client *c, void *proxy);
/* For a proxy the test destroys itself: returns it, forgotten. */
void *untrack(struct test_client *c, void *proxy);
void client_destroy(struct test_client *c);
void client_roundtrip(struct test_client *c); /* fails the test on a protocol error */
/* Roundtrips until the connection dies; checks it died of this error on this interface. */
void expect_protocol_error(struct test_client *c, const struct wl_interface *iface, uint32_t code);

/* An xdg_toplevel, mapped and configured by its initial (buffer-less) commit. */
struct test_window *window_create(struct test_client *c);
/* The same in two steps, for state that must come with the initial commit. */
struct test_window *window_create_uncommitted(struct test_client *c);
void window_initial_commit(struct test_window *w);

/* A sealed memfd (or not), filled with one XRGB colour when non-zero. Caller closes. */
int image_memfd(int32_t width, int32_t height, uint32_t colour, bool sealed);
struct wl_buffer *handoff_buffer(struct test_client *c, int32_t width, int32_t height,
				 uint32_t colour);
struct handoff_timeline_v1 *import_timeline(struct test_client *c, struct hf_timeline *tl);

/* The feedback object is tracked: it lives until the client goes. */
struct feedback_result {
	bool done, presented;
	int order; /* 1 for the first feedback event of the test (all clients), 2 for the next... */
};
void request_feedback(struct test_client *c, struct wl_surface *surface,
		      struct feedback_result *result);
/* Dispatches until result->done or timeout; returns result->done. */
bool wait_feedback(struct test_client *c, struct feedback_result *result, int timeout_ms);

#endif
