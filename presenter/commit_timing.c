/*
 * wp_commit_timing_v1 (staging): a commit with a target time is held (hf_commit_hold) until
 * half a refresh before it, so that the output frame it latches for is the one nearest the
 * target; the commits after it wait behind it, in order.
 */
#include "commit_timing.h"

#include "commit-timing-v1-server-protocol.h"
#include "output.h"
#include "surface.h"
#include "time_util.h"

#include <stdlib.h>

#define MANAGER_VERSION 1
#define MAX_HELD        64 /* commits a surface may have waiting for their time */

struct hf_commit_timing {
	struct hf_compositor *compositor;
	struct hf_output *output;
	struct wl_global *global;
};

struct held {
	struct hf_commit *commit;
	int64_t due_ns; /* when it may latch */
};

/* A wp_commit_timer_v1. */
struct timer {
	struct hf_commit_timing *ct;
	struct hf_surface *surface; /* NULL: gone, the object is inert */
	int64_t pending_ns;         /* the next commit's target; 0: none */
	struct held held[MAX_HELD]; /* oldest first */
	int n_held;
	struct wl_event_source *source;
	struct wl_listener surface_destroy, commit_made;
};

static void timer_arm(struct timer *t)
{
	if (t->n_held == 0) {
		wl_event_source_timer_update(t->source, 0);
		return;
	}
	int64_t wait = t->held[0].due_ns - hf_now_ns();
	int ms = wait <= 0 ? 1 : (int)((wait + 999999) / 1000000);
	wl_event_source_timer_update(t->source, ms);
}

/* Lets go of the commits whose time came, oldest first. */
static int timer_handle_fire(void *data)
{
	struct timer *t = data;
	int64_t now = hf_now_ns();
	while (t->n_held > 0 && t->held[0].due_ns <= now) {
		struct hf_commit *commit = t->held[0].commit;
		t->n_held--;
		for (int i = 0; i < t->n_held; i++)
			t->held[i] = t->held[i + 1];
		hf_commit_unhold(commit); /* may latch it, and free older ones */
	}
	timer_arm(t);
	return 0;
}

static void timer_handle_commit_made(struct wl_listener *listener, void *data)
{
	struct timer *t = wl_container_of(listener, t, commit_made);
	struct hf_commit *commit = data;
	if (!t->pending_ns)
		return;
	int64_t refresh_ns =
		t->ct->output->refresh_mhz > 0 ? 1000000000000ll / t->ct->output->refresh_mhz : 0;
	int64_t due = t->pending_ns - refresh_ns / 2;
	t->pending_ns = 0;
	if (due <= hf_now_ns())
		return;
	/* One entry a commit: a commit without content merges into the last waiting one. */
	for (int i = 0; i < t->n_held; i++) {
		if (t->held[i].commit == commit) {
			if (due > t->held[i].due_ns)
				t->held[i].due_ns = due;
			return;
		}
	}
	if (t->n_held == MAX_HELD)
		return; /* past the limit of waiting commits, the time is not kept */
	/* Times only rise along the queue: an earlier target waits for the commit before it. */
	if (t->n_held > 0 && due < t->held[t->n_held - 1].due_ns)
		due = t->held[t->n_held - 1].due_ns;
	hf_commit_hold(commit);
	t->held[t->n_held++] = (struct held){commit, due};
	timer_arm(t);
}

/* The surface's commits go with it (released unread): nothing is held any more. */
static void timer_handle_surface_destroy(struct wl_listener *listener, void *data)
{
	struct timer *t = wl_container_of(listener, t, surface_destroy);
	t->n_held = 0;
	timer_arm(t);
	t->surface = NULL;
	wl_list_remove(&t->surface_destroy.link);
	wl_list_init(&t->surface_destroy.link);
	wl_list_remove(&t->commit_made.link);
	wl_list_init(&t->commit_made.link);
}

static void timer_set_timestamp(struct wl_client *client, struct wl_resource *resource,
				uint32_t sec_hi, uint32_t sec_lo, uint32_t nsec)
{
	struct timer *t = wl_resource_get_user_data(resource);
	if (!t->surface) {
		wl_resource_post_error(resource, WP_COMMIT_TIMER_V1_ERROR_SURFACE_DESTROYED,
				       "the wl_surface of this wp_commit_timer_v1 is gone");
		return;
	}
	uint64_t sec = (uint64_t)sec_hi << 32 | sec_lo;
	if (nsec >= 1000000000u || sec > (uint64_t)INT64_MAX / 1000000000u - 1) {
		wl_resource_post_error(resource, WP_COMMIT_TIMER_V1_ERROR_INVALID_TIMESTAMP,
				       "%llu s %u ns is not a time", (unsigned long long)sec, nsec);
		return;
	}
	if (t->pending_ns) {
		wl_resource_post_error(resource, WP_COMMIT_TIMER_V1_ERROR_TIMESTAMP_EXISTS,
				       "this commit has a target time already");
		return;
	}
	int64_t ns = (int64_t)sec * 1000000000 + nsec;
	t->pending_ns = ns > 0 ? ns : 1;
}

static void resource_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wp_commit_timer_v1_interface timer_impl = {
	.set_timestamp = timer_set_timestamp,
	.destroy = resource_destroy,
};

/* Held commits are let go: the object's end leaves the surface's content as it was. */
static void timer_resource_destroy(struct wl_resource *resource)
{
	struct timer *t = wl_resource_get_user_data(resource);
	wl_list_remove(&t->surface_destroy.link);
	wl_list_remove(&t->commit_made.link);
	wl_event_source_remove(t->source);
	struct held held[MAX_HELD];
	int n = t->n_held;
	for (int i = 0; i < n; i++)
		held[i] = t->held[i];
	free(t);
	for (int i = 0; i < n; i++)
		hf_commit_unhold(held[i].commit);
}

static void manager_get_timer(struct wl_client *client, struct wl_resource *resource, uint32_t id,
			      struct wl_resource *surface_resource)
{
	struct hf_commit_timing *ct = wl_resource_get_user_data(resource);
	if (wl_resource_get_destroy_listener(surface_resource, timer_handle_surface_destroy)) {
		wl_resource_post_error(resource,
				       WP_COMMIT_TIMING_MANAGER_V1_ERROR_COMMIT_TIMER_EXISTS,
				       "wl_surface@%u has a wp_commit_timer_v1 already",
				       wl_resource_get_id(surface_resource));
		return;
	}
	struct timer *t = calloc(1, sizeof(*t));
	struct wl_resource *r = t ? wl_resource_create(client, &wp_commit_timer_v1_interface,
						       wl_resource_get_version(resource), id)
				  : NULL;
	if (t && r)
		t->source = wl_event_loop_add_timer(
			wl_display_get_event_loop(ct->compositor->display), timer_handle_fire, t);
	if (!t || !r || !t->source) {
		if (r)
			wl_resource_destroy(r);
		free(t);
		wl_client_post_no_memory(client);
		return;
	}
	t->ct = ct;
	t->surface = hf_surface_from_resource(surface_resource);
	t->surface_destroy.notify = timer_handle_surface_destroy;
	wl_resource_add_destroy_listener(surface_resource, &t->surface_destroy);
	t->commit_made.notify = timer_handle_commit_made;
	wl_signal_add(&t->surface->events.commit_made, &t->commit_made);
	wl_resource_set_implementation(r, &timer_impl, t, timer_resource_destroy);
}

static const struct wp_commit_timing_manager_v1_interface manager_impl = {
	.destroy = resource_destroy,
	.get_timer = manager_get_timer,
};

static void manager_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *r =
		wl_resource_create(client, &wp_commit_timing_manager_v1_interface, version, id);
	if (!r) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(r, &manager_impl, data, NULL);
}

struct hf_commit_timing *hf_commit_timing_create(struct hf_compositor *compositor,
						 struct hf_output *output)
{
	struct hf_commit_timing *ct = calloc(1, sizeof(*ct));
	if (!ct)
		return NULL;
	ct->compositor = compositor;
	ct->output = output;
	ct->global = wl_global_create(compositor->display, &wp_commit_timing_manager_v1_interface,
				      MANAGER_VERSION, ct, manager_bind);
	if (!ct->global) {
		free(ct);
		return NULL;
	}
	return ct;
}

void hf_commit_timing_destroy(struct hf_commit_timing *ct)
{
	if (!ct)
		return;
	wl_global_destroy(ct->global);
	free(ct);
}
