/* wl_compositor, wl_surface and wl_region: the commit queue and what is shown (surface.h). */
#include "surface.h"

#include "buffer.h"
#include "client.h"
#include "log.h"
#include "time_util.h"

#include <assert.h>
#include <stdlib.h>
#include <wayland-server-protocol.h>

#define COMPOSITOR_VERSION 4

static const struct wl_surface_interface surface_impl;

struct hf_surface *hf_surface_from_resource(struct wl_resource *resource)
{
	assert(wl_resource_instance_of(resource, &wl_surface_interface, &surface_impl));
	return wl_resource_get_user_data(resource);
}

void hf_present_callbacks_done(struct wl_list *callbacks, const struct hf_present_info *info)
{
	while (!wl_list_empty(callbacks)) {
		struct hf_present_callback *cb = wl_container_of(callbacks->next, cb, link);
		wl_list_remove(&cb->link);
		wl_list_init(&cb->link);
		cb->done(cb, info);
	}
}

void hf_frame_callbacks_done(struct wl_list *callbacks, int64_t time_ns)
{
	struct wl_resource *cb, *tmp;
	wl_resource_for_each_safe(cb, tmp, callbacks) {
		wl_callback_send_done(cb, (uint32_t)(time_ns / 1000000));
		wl_resource_destroy(cb);
	}
}

static void destroy_frame_callbacks(struct wl_list *callbacks)
{
	struct wl_resource *cb, *tmp;
	wl_resource_for_each_safe(cb, tmp, callbacks)
		wl_resource_destroy(cb);
}

static void callback_resource_destroy(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
	hf_client_put(wl_resource_get_user_data(resource), hf_client_callbacks);
}

static void move_list(struct wl_list *to, struct wl_list *from)
{
	wl_list_insert_list(to->prev, from);
	wl_list_init(from);
}

static void state_init(struct hf_surface_state *state)
{
	*state = (struct hf_surface_state){0};
	wl_list_init(&state->frame_callbacks);
	wl_list_init(&state->present_callbacks);
}

static void state_finish(struct hf_surface_state *state)
{
	destroy_frame_callbacks(&state->frame_callbacks);
	hf_present_callbacks_done(&state->present_callbacks, NULL);
	hf_buffer_unref(state->buffer);
	hf_sync_point_clear(&state->acquire);
	hf_sync_point_clear(&state->release);
}

static void commit_destroy(struct hf_commit *commit)
{
	hf_sync_wait_cancel(&commit->acquire_wait);
	destroy_frame_callbacks(&commit->frame_callbacks);
	hf_present_callbacks_done(&commit->present_callbacks, NULL);
	hf_buffer_unref(commit->buffer);
	hf_sync_point_clear(&commit->acquire);
	hf_sync_point_clear(&commit->release);
	free(commit);
}

/* Nothing will read the commit's buffer again: give it back, then let go. */
static void commit_release(struct hf_commit *commit)
{
	if (commit->release.timeline) {
		hf_sync_point_signal(&commit->release);
	} else if (commit->attached && commit->buffer && --commit->buffer->readers == 0 &&
		   commit->buffer->resource) {
		wl_buffer_send_release(commit->buffer->resource);
	}
	commit_destroy(commit);
}

/* The content was current and is replaced: released now, or at its last unlock. */
static void commit_retire(struct hf_compositor *compositor, struct hf_commit *commit)
{
	if (!commit->drawn && commit->buffer)
		compositor->commits_discarded++;
	hf_present_callbacks_done(&commit->present_callbacks, NULL);
	commit->surface = NULL;
	commit->retired = true;
	if (commit->readers == 0)
		commit_release(commit);
}

struct hf_commit *hf_commit_lock(struct hf_commit *commit)
{
	assert(!commit->retired);
	commit->readers++;
	return commit;
}

void hf_commit_unlock(struct hf_commit *commit)
{
	assert(commit->readers > 0);
	if (--commit->readers == 0 && commit->retired)
		commit_release(commit);
}

static void queue_remove(struct hf_surface *surface, struct hf_commit *commit)
{
	wl_list_remove(&commit->link);
	surface->n_queued--;
	hf_totals.commits--;
}

/* Replaced before it was latched: its content is never read. */
static void commit_discard(struct hf_surface *surface, struct hf_commit *commit)
{
	queue_remove(surface, commit);
	move_list(&surface->frame_callbacks, &commit->frame_callbacks);
	if (!commit->attached)
		move_list(&surface->present_callbacks, &commit->present_callbacks);
	else if (commit->buffer)
		surface->compositor->commits_discarded++;
	commit_release(commit);
}

static void surface_set_mapped(struct hf_surface *surface, bool mapped)
{
	if (surface->mapped == mapped)
		return;
	surface->mapped = mapped;
	wl_signal_emit(mapped ? &surface->events.map : &surface->events.unmap, surface);
	wl_signal_emit(&surface->compositor->events.trees_changed, NULL);
}

static void surface_latch(struct hf_surface *surface, struct hf_commit *commit)
{
	queue_remove(surface, commit);
	surface->fifo_barrier |= commit->fifo_barrier;
	move_list(&surface->frame_callbacks, &commit->frame_callbacks);
	if (!commit->attached) {
		/* No content of its own: its feedback is due with the next frame. */
		move_list(&surface->present_callbacks, &commit->present_callbacks);
		wl_signal_emit(&surface->events.latch, commit);
		commit_destroy(commit);
		return;
	}
	struct hf_commit *old = surface->current;
	surface->current = commit;
	surface->content_serial++;
	if (old)
		commit_retire(surface->compositor, old);
	surface_set_mapped(surface, commit->buffer != NULL);
	wl_signal_emit(&surface->events.latch, commit);
}

/* Kept in order: never replaced by a later mailbox commit before it is shown (a held one
 * would be latched by its holder later). */
static bool commit_in_order(const struct hf_commit *commit)
{
	return commit->fifo || commit->fifo_wait || commit->role_holds > 0;
}

/* Whether the head of the queue may become current now. */
static bool head_may_latch(struct hf_surface *surface, struct hf_commit *head)
{
	if (head->holds > 0 || (head->fifo_wait && surface->fifo_barrier))
		return false;
	struct hf_commit *current = surface->current;
	if (!head->attached || !current || current->drawn)
		return true;
	/* Not yet drawn: a fifo frame is never replaced, and fifo takes one frame each. */
	return !head->fifo && !current->fifo;
}

static void surface_process(struct hf_surface *surface)
{
	while (!wl_list_empty(&surface->queue)) {
		struct hf_commit *head = wl_container_of(surface->queue.next, head, link);
		if (!head_may_latch(surface, head))
			break;
		surface_latch(surface, head);
	}
	if (hf_surface_wants_frame(surface))
		wl_signal_emit(&surface->compositor->events.frame_needed, surface);
}

/* Nothing holds the commit any more: a mailbox commit replaces the mailbox commits before it. */
static void commit_ready(struct hf_commit *commit)
{
	struct hf_surface *surface = commit->surface;
	commit->ready_ns = hf_now_ns();
	if (commit->attached && !commit_in_order(commit)) {
		while (commit->link.prev != &surface->queue) {
			struct hf_commit *older = wl_container_of(commit->link.prev, older, link);
			if (commit_in_order(older))
				break;
			commit_discard(surface, older);
		}
	}
	surface_process(surface);
}

static void commit_unhold(struct hf_commit *commit)
{
	if (--commit->holds == 0)
		commit_ready(commit);
}

void hf_commit_hold(struct hf_commit *commit)
{
	commit->holds++;
	commit->role_holds++;
}

void hf_commit_unhold(struct hf_commit *commit)
{
	/* One hold each: a subsurface's and a commit timer's on the same commit are let go
	 * apart, each by its own holder. */
	if (commit->role_holds == 0)
		return;
	commit->role_holds--;
	commit_unhold(commit);
}

static void commit_handle_acquire(struct hf_sync_wait *wait)
{
	struct hf_commit *commit = wl_container_of(wait, commit, acquire_wait);
	commit_unhold(commit);
}

void hf_surface_update(struct hf_surface *surface)
{
	for (;;) {
		struct hf_commit *commit, *found = NULL;
		wl_list_for_each(commit, &surface->queue, link) {
			if (commit->holds > 0 && !wl_list_empty(&commit->acquire_wait.link) &&
			    hf_sync_point_is_signaled(&commit->acquire)) {
				found = commit;
				break;
			}
		}
		if (!found)
			break;
		hf_sync_wait_cancel(&found->acquire_wait);
		commit_unhold(found);
	}
	surface_process(surface);
}

bool hf_surface_wants_frame(const struct hf_surface *surface)
{
	return !wl_list_empty(&surface->frame_callbacks) ||
	       !wl_list_empty(&surface->present_callbacks) || surface->fifo_barrier ||
	       (surface->current && !surface->current->drawn);
}

void hf_surface_frame_done(struct hf_surface *surface, struct wl_list *into, bool drawn)
{
	/* An output frame went by: the barrier clears, shown or not (an output that shows
	 * nothing still clears them, so that fifo clients keep going). */
	surface->fifo_barrier = false;
	struct hf_commit *current = surface->current;
	if (current && !current->drawn) {
		current->drawn = true;
		if (drawn) {
			move_list(into, &current->present_callbacks);
		} else {
			surface->compositor->commits_discarded += current->buffer != NULL;
			hf_present_callbacks_done(&current->present_callbacks, NULL);
		}
	}
	if (drawn)
		move_list(into, &surface->present_callbacks);
	else
		hf_present_callbacks_done(&surface->present_callbacks, NULL);
	surface_process(surface);
}

static void surface_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void surface_attach(struct wl_client *client, struct wl_resource *resource,
			   struct wl_resource *buffer_resource, int32_t x, int32_t y)
{
	struct hf_surface *surface = hf_surface_from_resource(resource);
	struct hf_buffer *buffer = NULL;
	if (buffer_resource) {
		buffer = hf_buffer_from_resource(buffer_resource);
		if (!buffer) {
			/* wl_shm buffers post their own errors. */
			if (!wl_shm_buffer_get(buffer_resource))
				wl_resource_post_error(wl_client_get_object(client, 1),
						       WL_DISPLAY_ERROR_INVALID_OBJECT,
						       "wl_buffer@%u is of an unknown kind",
						       wl_resource_get_id(buffer_resource));
			return;
		}
		struct hf_renderer *r = surface->compositor->renderer;
		if (!r->impl->supports_format(r, buffer->fourcc)) {
			wl_resource_post_error(buffer_resource, WL_SHM_ERROR_INVALID_FORMAT,
					       "format 0x%08x cannot be shown", buffer->fourcc);
			return;
		}
		hf_buffer_ref(buffer);
	}
	hf_buffer_unref(surface->pending.buffer);
	surface->pending.buffer = buffer;
	surface->pending.attached = true;
}

static void surface_damage(struct wl_client *client, struct wl_resource *resource, int32_t x,
			   int32_t y, int32_t width, int32_t height)
{
	/* New content redraws its whole window: damage needs no tracking. */
}

static void surface_frame(struct wl_client *client, struct wl_resource *resource, uint32_t id)
{
	struct hf_surface *surface = hf_surface_from_resource(resource);
	struct hf_client *owner =
		hf_client_take(client, hf_client_callbacks, hf_limits.callbacks, "frame callbacks");
	if (!owner)
		return;
	struct wl_resource *cb = wl_resource_create(client, &wl_callback_interface, 1, id);
	if (!cb) {
		hf_client_put(owner, hf_client_callbacks);
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(cb, NULL, owner, callback_resource_destroy);
	wl_list_insert(surface->pending.frame_callbacks.prev, wl_resource_get_link(cb));
}

static void surface_set_region(struct wl_client *client, struct wl_resource *resource,
			       struct wl_resource *region)
{
	/* Regions affect input and blending hints, neither of which the presenter uses. */
}

static struct hf_commit *commit_create(struct hf_surface *surface)
{
	struct hf_commit *commit = calloc(1, sizeof(*commit));
	if (!commit)
		return NULL;
	struct hf_surface_state *pending = &surface->pending;
	commit->surface = surface;
	commit->seq = ++surface->commit_seq;
	hf_sync_wait_init(&commit->acquire_wait);
	commit->attached = pending->attached;
	commit->buffer = pending->buffer;
	pending->buffer = NULL;
	pending->attached = false;
	hf_sync_point_move(&commit->acquire, &pending->acquire);
	hf_sync_point_move(&commit->release, &pending->release);
	commit->fifo = pending->fifo;
	wl_list_init(&commit->frame_callbacks);
	wl_list_init(&commit->present_callbacks);
	commit->commit_ns = hf_now_ns();
	if (commit->attached && commit->buffer && !commit->release.timeline)
		commit->buffer->readers++;
	return commit;
}

static void surface_commit(struct wl_client *client, struct wl_resource *resource)
{
	struct hf_surface *surface = hf_surface_from_resource(resource);
	struct hf_surface_state *pending = &surface->pending;
	struct hf_surface_commit_event event = {.surface = surface};
	wl_signal_emit(&surface->events.client_commit, &event);
	if (event.rejected)
		return;

	struct hf_commit *commit;
	bool made = false;
	if (!pending->attached && !wl_list_empty(&surface->queue)) {
		/* No new content: it applies with the last commit still waiting. */
		commit = wl_container_of(surface->queue.prev, commit, link);
	} else {
		/* The extensions check their own limits first (handoff's queue_full); these hold
		 * for every surface, one that left explicit sync with fifo commits waiting too. */
		if ((uint32_t)surface->n_queued >= hf_limits.queued_commits) {
			wl_resource_post_error(
				wl_client_get_object(client, 1), WL_DISPLAY_ERROR_NO_MEMORY,
				"more than %u commits wait on wl_surface@%u (the "
				"presenter's limit per surface)",
				hf_limits.queued_commits, wl_resource_get_id(resource));
			return;
		}
		if (hf_totals.commits >= hf_limits.total_commits) {
			hf_post_total_limit(client, hf_limits.total_commits, "waiting commits");
			return;
		}
		commit = commit_create(surface);
		if (!commit) {
			wl_client_post_no_memory(client);
			return;
		}
		/* The wait is armed now, with the commit: nothing polls for it later. */
		if (!hf_sync_point_is_signaled(&commit->acquire)) {
			if (!hf_sync_wait_arm(&commit->acquire_wait, &commit->acquire,
					      commit_handle_acquire)) {
				commit_release(commit);
				wl_client_post_no_memory(client);
				return;
			}
			commit->holds++;
		}
		wl_list_insert(surface->queue.prev, &commit->link);
		surface->n_queued++;
		hf_totals.commits++;
		surface->compositor->commits += commit->attached && commit->buffer;
		made = true;
	}
	move_list(&commit->frame_callbacks, &pending->frame_callbacks);
	move_list(&commit->present_callbacks, &pending->present_callbacks);
	commit->fifo_barrier |= pending->fifo_barrier;
	commit->fifo_wait |= pending->fifo_wait;
	pending->fifo_barrier = pending->fifo_wait = false;
	wl_signal_emit(&surface->events.commit_made, commit);
	if (made && commit->holds == 0) {
		commit_ready(commit);
	} else {
		surface_process(surface);
	}
	wl_signal_emit(&surface->events.commit, surface);
}

static void surface_set_buffer_transform(struct wl_client *client, struct wl_resource *resource,
					 int32_t transform)
{
	if (transform < 0 || transform > WL_OUTPUT_TRANSFORM_FLIPPED_270)
		wl_resource_post_error(resource, WL_SURFACE_ERROR_INVALID_TRANSFORM,
				       "transform %d is not a wl_output.transform", transform);
}

static void surface_set_buffer_scale(struct wl_client *client, struct wl_resource *resource,
				     int32_t scale)
{
	if (scale < 1)
		wl_resource_post_error(resource, WL_SURFACE_ERROR_INVALID_SCALE,
				       "scale %d is not positive", scale);
}

static const struct wl_surface_interface surface_impl = {
	.destroy = surface_destroy,
	.attach = surface_attach,
	.damage = surface_damage,
	.frame = surface_frame,
	.set_opaque_region = surface_set_region,
	.set_input_region = surface_set_region,
	.commit = surface_commit,
	.set_buffer_transform = surface_set_buffer_transform,
	.set_buffer_scale = surface_set_buffer_scale,
	.damage_buffer = surface_damage,
};

static void surface_handle_resource_destroy(struct wl_resource *resource)
{
	struct hf_surface *surface = hf_surface_from_resource(resource);
	wl_signal_emit(&surface->events.destroy, surface);
	/* Nothing waiting will be read now: every release point is signaled. */
	while (!wl_list_empty(&surface->queue)) {
		struct hf_commit *commit = wl_container_of(surface->queue.next, commit, link);
		queue_remove(surface, commit);
		commit_release(commit);
	}
	if (surface->current)
		commit_retire(surface->compositor, surface->current);
	surface->current = NULL;
	state_finish(&surface->pending);
	destroy_frame_callbacks(&surface->frame_callbacks);
	hf_present_callbacks_done(&surface->present_callbacks, NULL);
	wl_list_remove(&surface->link);
	hf_client_put(surface->client, hf_client_surfaces);
	free(surface);
}

static void compositor_create_surface(struct wl_client *client, struct wl_resource *resource,
				      uint32_t id)
{
	struct hf_compositor *compositor = wl_resource_get_user_data(resource);
	struct hf_client *owner =
		hf_client_take(client, hf_client_surfaces, hf_limits.surfaces, "surfaces");
	if (!owner)
		return;
	struct hf_surface *surface = calloc(1, sizeof(*surface));
	if (surface)
		surface->resource = wl_resource_create(client, &wl_surface_interface,
						       wl_resource_get_version(resource), id);
	if (!surface || !surface->resource) {
		free(surface);
		hf_client_put(owner, hf_client_surfaces);
		wl_client_post_no_memory(client);
		return;
	}
	surface->client = owner;
	surface->compositor = compositor;
	state_init(&surface->pending);
	wl_list_init(&surface->queue);
	wl_list_init(&surface->frame_callbacks);
	wl_list_init(&surface->present_callbacks);
	wl_signal_init(&surface->events.client_commit);
	wl_signal_init(&surface->events.commit);
	wl_signal_init(&surface->events.commit_made);
	wl_list_init(&surface->stack);
	wl_list_init(&surface->stack_pending);
	wl_list_init(&surface->popups);
	wl_signal_init(&surface->events.latch);
	wl_signal_init(&surface->events.map);
	wl_signal_init(&surface->events.unmap);
	wl_signal_init(&surface->events.destroy);
	wl_signal_init(&surface->events.acquire_timeout);
	wl_list_insert(compositor->surfaces.prev, &surface->link);
	wl_resource_set_implementation(surface->resource, &surface_impl, surface,
				       surface_handle_resource_destroy);
}

static void region_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void region_add(struct wl_client *client, struct wl_resource *resource, int32_t x, int32_t y,
		       int32_t width, int32_t height)
{
}

static const struct wl_region_interface region_impl = {
	.destroy = region_destroy,
	.add = region_add,
	.subtract = region_add,
};

static void compositor_create_region(struct wl_client *client, struct wl_resource *resource,
				     uint32_t id)
{
	struct wl_resource *region = wl_resource_create(client, &wl_region_interface, 1, id);
	if (!region) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(region, &region_impl, NULL, NULL);
}

static const struct wl_compositor_interface compositor_impl = {
	.create_surface = compositor_create_surface,
	.create_region = compositor_create_region,
};

static void compositor_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *resource =
		wl_resource_create(client, &wl_compositor_interface, version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &compositor_impl, data, NULL);
}

struct hf_compositor *hf_compositor_create(struct wl_display *display, struct hf_sync *sync,
					   struct hf_renderer *renderer)
{
	struct hf_compositor *compositor = calloc(1, sizeof(*compositor));
	if (!compositor)
		return NULL;
	compositor->display = display;
	compositor->sync = sync;
	compositor->renderer = renderer;
	wl_list_init(&compositor->surfaces);
	wl_list_init(&compositor->windows);
	wl_signal_init(&compositor->events.frame_needed);
	wl_signal_init(&compositor->events.window_hiding);
	wl_signal_init(&compositor->events.windows_changed);
	wl_signal_init(&compositor->events.grab_changed);
	wl_signal_init(&compositor->events.trees_changed);
	wl_signal_init(&compositor->events.popup_bounds_changed);
	wl_signal_init(&compositor->events.new_buffer);
	if (!wl_global_create(display, &wl_compositor_interface, COMPOSITOR_VERSION, compositor,
			      compositor_bind)) {
		hf_compositor_destroy(compositor);
		return NULL;
	}
	return compositor;
}

#define TIMEOUT_CHECK_MS 250

/* A commit still held by its acquire point past the timeout is reported, once. */
static int compositor_handle_timeout_timer(void *data)
{
	struct hf_compositor *compositor = data;
	int64_t now = hf_now_ns();
	struct hf_surface *surface, *tmp;
	wl_list_for_each_safe(surface, tmp, &compositor->surfaces, link) {
		struct hf_commit *commit;
		wl_list_for_each(commit, &surface->queue, link) {
			/* A role's hold is no wait for the acquire point. */
			if (commit->holds > commit->role_holds && !commit->timed_out &&
			    now - commit->commit_ns > compositor->acquire_timeout_ns) {
				commit->timed_out = true;
				wl_signal_emit(&surface->events.acquire_timeout, commit);
				/* Whatever the client destroyed since (the handoff_surface_v1
				 * whose listener says it precisely), the timeout holds: no
				 * protocol defines it, so the display's error names it. */
				wl_resource_post_error(
					wl_client_get_object(
						wl_resource_get_client(surface->resource), 1),
					WL_DISPLAY_ERROR_NO_MEMORY,
					"acquire point %llu was not signaled within %.1f s (the "
					"presenter's --acquire-timeout)",
					(unsigned long long)commit->acquire.point,
					compositor->acquire_timeout_ns / 1e9);
				break;
			}
		}
	}
	wl_event_source_timer_update(compositor->timeout_timer, TIMEOUT_CHECK_MS);
	return 0;
}

bool hf_compositor_set_acquire_timeout(struct hf_compositor *compositor, int64_t timeout_ns)
{
	compositor->acquire_timeout_ns = timeout_ns;
	if (timeout_ns <= 0)
		return true;
	if (!compositor->timeout_timer) {
		struct wl_event_loop *loop = wl_display_get_event_loop(compositor->display);
		compositor->timeout_timer =
			wl_event_loop_add_timer(loop, compositor_handle_timeout_timer, compositor);
	}
	return compositor->timeout_timer &&
	       wl_event_source_timer_update(compositor->timeout_timer, TIMEOUT_CHECK_MS) == 0;
}

void hf_compositor_destroy(struct hf_compositor *compositor)
{
	if (!compositor)
		return;
	if (compositor->timeout_timer)
		wl_event_source_remove(compositor->timeout_timer);
	free(compositor);
}

bool hf_window_show(struct hf_compositor *compositor, struct hf_window *window,
		    struct hf_surface *surface)
{
	if (window->shown)
		return true;
	if ((uint32_t)compositor->n_windows >= hf_limits.windows)
		return false;
	window->surface = surface;
	surface->window = window;
	window->shown = true;
	hf_addon_set_init(&window->addons);
	window->index = compositor->n_windows++;
	wl_list_insert(compositor->windows.prev, &window->link);
	bool last = false;
	wl_signal_emit(&compositor->events.windows_changed, &last);
	return true;
}

void hf_window_hide(struct hf_compositor *compositor, struct hf_window *window)
{
	if (!window->shown)
		return;
	wl_signal_emit(&compositor->events.window_hiding, window);
	window->shown = false;
	if (window->surface && window->surface->window == window)
		window->surface->window = NULL;
	/* The windows after it move up one place: the layout reads each window's index. */
	for (struct wl_list *l = window->link.next; l != &compositor->windows; l = l->next) {
		struct hf_window *w = wl_container_of(l, w, link);
		w->index--;
	}
	wl_list_remove(&window->link);
	hf_addon_set_finish(&window->addons);
	compositor->n_windows--;
	bool last = wl_list_empty(&compositor->windows);
	wl_signal_emit(&compositor->events.windows_changed, &last);
}
