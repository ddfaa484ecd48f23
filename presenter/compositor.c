/*
 * wl_compositor, wl_surface and wl_region. A commit that carries a buffer waits in its
 * surface's queue until its acquire point is signaled; latching picks what to show.
 */
#include "server.h"

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

static void callback_resource_destroy(struct wl_resource *resource)
{
	wl_list_remove(wl_resource_get_link(resource));
}

static void state_init(struct hf_surface_state *state)
{
	*state = (struct hf_surface_state){0};
	wl_list_init(&state->frame_callbacks);
	wl_list_init(&state->feedbacks);
}

static void state_finish(struct hf_surface_state *state)
{
	struct wl_resource *cb, *tmp;
	wl_resource_for_each_safe(cb, tmp, &state->frame_callbacks)
		wl_resource_destroy(cb);
	hf_feedback_list_discard(&state->feedbacks);
	hf_buffer_unref(state->buffer);
	hf_sync_point_clear(&state->acquire);
	hf_sync_point_clear(&state->release);
}

static void commit_destroy(struct hf_commit *commit)
{
	wl_list_remove(&commit->link);
	struct wl_resource *cb, *tmp;
	wl_resource_for_each_safe(cb, tmp, &commit->frame_callbacks)
		wl_resource_destroy(cb);
	hf_feedback_list_discard(&commit->feedbacks);
	hf_buffer_unref(commit->buffer);
	hf_sync_point_clear(&commit->acquire);
	hf_sync_point_clear(&commit->release);
	free(commit);
}

/* The buffer will not be read for this commit: give it back. */
static void commit_release(struct hf_commit *commit)
{
	if (commit->explicit_sync)
		hf_sync_point_signal(&commit->release);
	else if (commit->buffer)
		hf_buffer_send_release(commit->buffer);
}

static bool commit_ready(struct hf_commit *commit)
{
	if (commit->ready_ns)
		return true;
	if (!hf_sync_point_is_signaled(&commit->acquire))
		return false;
	commit->ready_ns = hf_now_ns();
	return true;
}

/* Replaced before it was read: release at once, tell the client, keep its callbacks. */
static void commit_discard(struct hf_surface *surface, struct hf_commit *commit)
{
	commit_release(commit);
	wl_list_insert_list(surface->frame_callbacks.prev, &commit->frame_callbacks);
	wl_list_init(&commit->frame_callbacks);
	surface->server->stats.commits_discarded += commit->attach;
	hf_feedback_list_discard(&commit->feedbacks);
	commit_destroy(commit);
}

static bool surface_upload(struct hf_surface *surface, struct hf_buffer *buffer)
{
	struct hf_server *server = surface->server;
	struct hf_renderer *r = server->renderer;
	struct hf_pixels pixels;
	if (!hf_buffer_begin_read(buffer, &pixels))
		return false;
	if (!surface->texture || surface->width != pixels.width ||
	    surface->height != pixels.height || surface->fourcc != pixels.fourcc) {
		r->impl->texture_destroy(r, surface->texture);
		surface->texture =
			r->impl->texture_create(r, pixels.width, pixels.height, pixels.fourcc);
		surface->width = pixels.width;
		surface->height = pixels.height;
		surface->fourcc = pixels.fourcc;
	}
	bool ok = surface->texture != NULL;
	if (ok && server->opts->blit_delay_us > 0) {
		/* Test only: a slow reader, to widen any window in which a writer could race. */
		int32_t half = pixels.height / 2;
		ok = r->impl->upload(r, surface->texture, &pixels, 0, half);
		hf_sleep_ns(hf_server_rand(server, server->opts->blit_delay_us) * 1000LL);
		ok = ok && r->impl->upload(r, surface->texture, &pixels, half, pixels.height);
	} else if (ok) {
		ok = r->impl->upload(r, surface->texture, &pixels, 0, pixels.height);
	}
	hf_buffer_end_read(buffer);
	if (!ok)
		hf_error("cannot upload a %dx%d buffer", pixels.width, pixels.height);
	return ok;
}

/* Shows the commit: copies its buffer, then releases it at once. True when the content
 * changed. */
static bool commit_apply(struct hf_surface *surface, struct hf_commit *commit,
			 struct hf_frame *frame)
{
	bool was_mapped = surface->mapped;
	if (!commit->attach) {
		/* Only callbacks and feedback: the content stays. */
	} else if (commit->buffer) {
		if (surface_upload(surface, commit->buffer)) {
			surface->mapped = true;
			surface->shown_point = commit->acquire.point;
		}
	} else {
		struct hf_renderer *r = surface->server->renderer;
		r->impl->texture_destroy(r, surface->texture);
		surface->texture = NULL;
		surface->mapped = false;
	}
	commit_release(commit);
	if (commit->attach) {
		if (frame->n_ready < HF_FRAME_SAMPLES)
			frame->ready_ns[frame->n_ready++] = commit->ready_ns;
		surface->server->stats.commits_presented++;
	}
	wl_list_insert_list(frame->feedbacks.prev, &commit->feedbacks);
	wl_list_init(&commit->feedbacks);
	wl_list_insert_list(surface->frame_callbacks.prev, &commit->frame_callbacks);
	wl_list_init(&commit->frame_callbacks);
	bool changed = commit->attach;
	commit_destroy(commit);
	if (surface->toplevel && was_mapped != surface->mapped)
		hf_toplevel_surface_mapped(surface->toplevel, surface->mapped);
	return changed;
}

bool hf_surface_latch(struct hf_surface *surface, struct hf_frame *frame)
{
	bool changed = false;
	struct hf_commit *commit, *tmp;
	if (surface->mode == HF_MODE_FIFO) {
		if (!wl_list_empty(&surface->queue)) {
			commit = wl_container_of(surface->queue.next, commit, link);
			if (commit_ready(commit))
				changed = commit_apply(surface, commit, frame);
		}
	} else {
		struct hf_commit *newest = NULL;
		wl_list_for_each(commit, &surface->queue, link)
			if (commit_ready(commit))
				newest = commit;
		if (newest) {
			wl_list_for_each_safe(commit, tmp, &surface->queue, link) {
				if (commit == newest)
					break;
				commit_discard(surface, commit);
			}
			changed = commit_apply(surface, newest, frame);
		}
	}
	wl_list_insert_list(frame->frame_callbacks.prev, &surface->frame_callbacks);
	wl_list_init(&surface->frame_callbacks);
	return changed;
}

bool hf_surface_has_ready_commit(struct hf_surface *surface)
{
	bool ready = false;
	struct hf_commit *commit;
	wl_list_for_each(commit, &surface->queue, link) {
		if (commit_ready(commit))
			ready = true;
		else
			hf_sync_point_watch(&commit->acquire);
		if (surface->mode == HF_MODE_FIFO)
			break;
	}
	return ready || !wl_list_empty(&surface->frame_callbacks);
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
		if (!buffer || !surface->server->renderer->impl->supports_format(
				       surface->server->renderer, buffer->fourcc)) {
			wl_resource_post_error(resource, WL_DISPLAY_ERROR_INVALID_OBJECT,
					       "wl_buffer@%u is of an unsupported type or format",
					       wl_resource_get_id(buffer_resource));
			return;
		}
		hf_buffer_ref(buffer);
	}
	hf_buffer_unref(surface->pending.buffer);
	surface->pending.buffer = buffer;
	surface->pending.buffer_attached = true;
}

static void surface_damage(struct wl_client *client, struct wl_resource *resource, int32_t x,
			   int32_t y, int32_t width, int32_t height)
{
	/* Every frame is drawn whole: damage needs no tracking. */
}

static void surface_frame(struct wl_client *client, struct wl_resource *resource, uint32_t id)
{
	struct hf_surface *surface = hf_surface_from_resource(resource);
	struct wl_resource *cb = wl_resource_create(client, &wl_callback_interface, 1, id);
	if (!cb) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(cb, NULL, NULL, callback_resource_destroy);
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
	commit->attach = pending->buffer_attached;
	commit->buffer = pending->buffer;
	pending->buffer = NULL;
	commit->explicit_sync = pending->acquire.timeline != NULL;
	commit->acquire = pending->acquire;
	commit->release = pending->release;
	pending->acquire = (struct hf_sync_point){0};
	pending->release = (struct hf_sync_point){0};
	wl_list_init(&commit->frame_callbacks);
	wl_list_init(&commit->feedbacks);
	commit->commit_ns = hf_now_ns();
	return commit;
}

static void surface_commit(struct wl_client *client, struct wl_resource *resource)
{
	struct hf_surface *surface = hf_surface_from_resource(resource);
	struct hf_surface_state *pending = &surface->pending;
	if (surface->handoff && !hf_handoff_surface_validate(surface->handoff, pending))
		return;
	if (pending->mode_set)
		surface->mode = pending->mode;
	pending->mode_set = false;

	struct hf_commit *commit;
	if (!pending->buffer_attached && !wl_list_empty(&surface->queue)) {
		/* No new content: it belongs with the last commit still waiting. */
		commit = wl_container_of(surface->queue.prev, commit, link);
	} else {
		commit = commit_create(surface);
		if (!commit) {
			wl_client_post_no_memory(client);
			return;
		}
		if (!pending->buffer_attached) {
			/* Keeps the content: let it through as soon as possible. */
			commit->ready_ns = commit->commit_ns;
		}
		wl_list_insert(surface->queue.prev, &commit->link);
		surface->server->stats.commits += commit->attach;
	}
	wl_list_insert_list(commit->frame_callbacks.prev, &pending->frame_callbacks);
	wl_list_init(&pending->frame_callbacks);
	wl_list_insert_list(commit->feedbacks.prev, &pending->feedbacks);
	wl_list_init(&pending->feedbacks);
	pending->buffer_attached = false;

	if (surface->toplevel)
		hf_toplevel_surface_committed(surface->toplevel);
	if (hf_surface_has_ready_commit(surface))
		hf_server_schedule_frame(surface->server);
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
	wl_signal_emit(&surface->destroy_signal, surface);
	if (surface->handoff)
		hf_handoff_surface_detach(surface->handoff);
	/* Nothing waiting will be read now: every release point is signaled. */
	struct hf_commit *commit, *tmp;
	wl_list_for_each_safe(commit, tmp, &surface->queue, link) {
		commit_release(commit);
		commit_destroy(commit);
	}
	state_finish(&surface->pending);
	struct wl_resource *cb, *cb_tmp;
	wl_resource_for_each_safe(cb, cb_tmp, &surface->frame_callbacks)
		wl_resource_destroy(cb);
	surface->server->renderer->impl->texture_destroy(surface->server->renderer,
							 surface->texture);
	wl_list_remove(&surface->link);
	free(surface);
}

static void compositor_create_surface(struct wl_client *client, struct wl_resource *resource,
				      uint32_t id)
{
	struct hf_server *server = wl_resource_get_user_data(resource);
	struct hf_surface *surface = calloc(1, sizeof(*surface));
	if (!surface) {
		wl_client_post_no_memory(client);
		return;
	}
	surface->resource = wl_resource_create(client, &wl_surface_interface,
					       wl_resource_get_version(resource), id);
	if (!surface->resource) {
		free(surface);
		wl_client_post_no_memory(client);
		return;
	}
	surface->server = server;
	state_init(&surface->pending);
	wl_list_init(&surface->queue);
	wl_list_init(&surface->frame_callbacks);
	wl_signal_init(&surface->destroy_signal);
	wl_list_insert(server->surfaces.prev, &surface->link);
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

bool hf_compositor_init(struct hf_server *server)
{
	return wl_global_create(server->display, &wl_compositor_interface, COMPOSITOR_VERSION,
				server, compositor_bind) != NULL;
}
