/* handoff_manager_v1, handoff_timeline_v1 and handoff_surface_v1. */
#include "server.h"

#include "format.h"
#include "handoff-v1-server-protocol.h"
#include "image.h"
#include "log.h"
#include "timeline.h"

#include <assert.h>
#include <drm_fourcc.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define HANDOFF_VERSION 1

struct hf_handoff_surface {
	struct wl_resource *resource;
	struct hf_surface *surface; /* NULL once the wl_surface is gone: the object is inert */
};

static const struct handoff_timeline_v1_interface timeline_impl;
static const struct handoff_surface_v1_interface handoff_surface_impl;

static struct hf_sync_timeline *timeline_from_resource(struct wl_resource *resource)
{
	assert(wl_resource_instance_of(resource, &handoff_timeline_v1_interface, &timeline_impl));
	return wl_resource_get_user_data(resource);
}

static struct hf_handoff_surface *handoff_surface_from_resource(struct wl_resource *resource)
{
	assert(wl_resource_instance_of(resource, &handoff_surface_v1_interface,
				       &handoff_surface_impl));
	return wl_resource_get_user_data(resource);
}

static void resource_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct handoff_timeline_v1_interface timeline_impl = {
	.destroy = resource_destroy,
};

static void timeline_handle_resource_destroy(struct wl_resource *resource)
{
	hf_sync_timeline_unref(timeline_from_resource(resource));
}

static void set_point(struct wl_resource *resource, struct wl_resource *timeline_resource,
		      uint32_t hi, uint32_t lo, bool acquire)
{
	struct hf_handoff_surface *hs = handoff_surface_from_resource(resource);
	if (!hs->surface) {
		wl_resource_post_error(resource, HANDOFF_SURFACE_V1_ERROR_NO_SURFACE,
				       "the wl_surface was destroyed");
		return;
	}
	struct hf_surface_state *pending = &hs->surface->pending;
	hf_sync_point_set(acquire ? &pending->acquire : &pending->release,
			  timeline_from_resource(timeline_resource), (uint64_t)hi << 32 | lo);
}

static void handoff_surface_set_acquire_point(struct wl_client *client,
					      struct wl_resource *resource,
					      struct wl_resource *timeline, uint32_t hi,
					      uint32_t lo)
{
	set_point(resource, timeline, hi, lo, true);
}

static void handoff_surface_set_release_point(struct wl_client *client,
					      struct wl_resource *resource,
					      struct wl_resource *timeline, uint32_t hi,
					      uint32_t lo)
{
	set_point(resource, timeline, hi, lo, false);
}

static void handoff_surface_set_present_mode(struct wl_client *client, struct wl_resource *resource,
					     uint32_t mode)
{
	struct hf_handoff_surface *hs = handoff_surface_from_resource(resource);
	if (!hs->surface) {
		wl_resource_post_error(resource, HANDOFF_SURFACE_V1_ERROR_NO_SURFACE,
				       "the wl_surface was destroyed");
		return;
	}
	if (mode != HANDOFF_SURFACE_V1_PRESENT_MODE_MAILBOX &&
	    mode != HANDOFF_SURFACE_V1_PRESENT_MODE_FIFO) {
		wl_resource_post_error(resource, HANDOFF_SURFACE_V1_ERROR_INVALID_MODE,
				       "present mode %u is unknown", mode);
		return;
	}
	hs->surface->pending.mode_set = true;
	hs->surface->pending.mode =
		mode == HANDOFF_SURFACE_V1_PRESENT_MODE_FIFO ? HF_MODE_FIFO : HF_MODE_MAILBOX;
}

static const struct handoff_surface_v1_interface handoff_surface_impl = {
	.destroy = resource_destroy,
	.set_acquire_point = handoff_surface_set_acquire_point,
	.set_release_point = handoff_surface_set_release_point,
	.set_present_mode = handoff_surface_set_present_mode,
};

void hf_handoff_surface_detach(struct hf_handoff_surface *hs)
{
	struct hf_surface *surface = hs->surface;
	if (!surface)
		return;
	hf_sync_point_clear(&surface->pending.acquire);
	hf_sync_point_clear(&surface->pending.release);
	surface->handoff = NULL;
	hs->surface = NULL;
}

static void handoff_surface_handle_resource_destroy(struct wl_resource *resource)
{
	struct hf_handoff_surface *hs = handoff_surface_from_resource(resource);
	hf_handoff_surface_detach(hs);
	free(hs);
}

bool hf_handoff_surface_validate(struct hf_handoff_surface *hs, struct hf_surface_state *pending)
{
	struct wl_resource *res = hs->resource;
	bool points = pending->acquire.timeline || pending->release.timeline;
	if (points && !pending->buffer) {
		wl_resource_post_error(res, HANDOFF_SURFACE_V1_ERROR_NO_BUFFER,
				       "timeline points set but no buffer attached");
		return false;
	}
	if (!pending->buffer)
		return true;
	if (pending->buffer->kind != HF_BUFFER_HANDOFF) {
		wl_resource_post_error(
			res, HANDOFF_SURFACE_V1_ERROR_UNSUPPORTED_BUFFER,
			"the buffer was not made by handoff_manager_v1.create_buffer");
		return false;
	}
	if (!pending->acquire.timeline) {
		wl_resource_post_error(res, HANDOFF_SURFACE_V1_ERROR_NO_ACQUIRE_POINT,
				       "a buffer is attached without an acquire point");
		return false;
	}
	if (!pending->release.timeline) {
		wl_resource_post_error(res, HANDOFF_SURFACE_V1_ERROR_NO_RELEASE_POINT,
				       "a buffer is attached without a release point");
		return false;
	}
	if (pending->acquire.timeline == pending->release.timeline &&
	    pending->acquire.point >= pending->release.point) {
		wl_resource_post_error(res, HANDOFF_SURFACE_V1_ERROR_CONFLICTING_POINTS,
				       "acquire point %llu is not below release point %llu",
				       (unsigned long long)pending->acquire.point,
				       (unsigned long long)pending->release.point);
		return false;
	}
	return true;
}

static void manager_create_buffer(struct wl_client *client, struct wl_resource *resource,
				  uint32_t id, int32_t fd, uint32_t memory_kind, int32_t width,
				  int32_t height, uint32_t fourcc, uint32_t modifier_hi,
				  uint32_t modifier_lo, uint32_t offset, uint32_t stride,
				  uint32_t flags)
{
	struct hf_server *server = wl_resource_get_user_data(resource);
	uint64_t modifier = (uint64_t)modifier_hi << 32 | modifier_lo;
	if (memory_kind != HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD) {
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_UNSUPPORTED_MEMORY,
				       "memory kind %u is not offered", memory_kind);
		goto out;
	}
	if (flags & ~(uint32_t)HANDOFF_MANAGER_V1_BUFFER_FLAGS_Y_INVERT) {
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_INVALID_FLAGS,
				       "unknown flags 0x%x", flags);
		goto out;
	}
	if (!hf_format_from_fourcc(fourcc) || modifier != DRM_FORMAT_MOD_LINEAR ||
	    !server->renderer->impl->supports_format(server->renderer, fourcc)) {
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_INVALID_FORMAT,
				       "format 0x%08x with modifier 0x%llx is not offered", fourcc,
				       (unsigned long long)modifier);
		goto out;
	}
	struct hf_image_layout layout = {.width = width,
					 .height = height,
					 .fourcc = fourcc,
					 .offset = offset,
					 .stride = stride};
	char reason[256];
	uint32_t code;
	switch (hf_image_validate(fd, &layout, reason, sizeof(reason))) {
	case HF_IMAGE_OK:
		break;
	case HF_IMAGE_BAD_DIMENSIONS:
	case HF_IMAGE_BAD_STRIDE:
		code = HANDOFF_MANAGER_V1_ERROR_INVALID_DIMENSIONS;
		goto err;
	case HF_IMAGE_OVERFLOW:
	case HF_IMAGE_OUT_OF_BOUNDS:
		code = HANDOFF_MANAGER_V1_ERROR_OUT_OF_BOUNDS;
		goto err;
	case HF_IMAGE_BAD_FORMAT:
		code = HANDOFF_MANAGER_V1_ERROR_INVALID_FORMAT;
		goto err;
	case HF_IMAGE_BAD_FD:
	case HF_IMAGE_NOT_SEALED:
		code = HANDOFF_MANAGER_V1_ERROR_INVALID_FD;
		goto err;
	}
	size_t map_size = (size_t)offset + (size_t)stride * (size_t)height;
	void *map = mmap(NULL, map_size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_INVALID_FD,
				       "the memory cannot be mapped");
		goto out;
	}
	struct hf_buffer *buffer = hf_buffer_create_handoff(client, id, map, map_size, offset,
							    width, height, (int32_t)stride, fourcc);
	if (!buffer) {
		munmap(map, map_size);
		wl_client_post_no_memory(client);
		goto out;
	}
	buffer->y_invert = flags & HANDOFF_MANAGER_V1_BUFFER_FLAGS_Y_INVERT;
	goto out;
err:
	wl_resource_post_error(resource, code, "%s", reason);
out:
	close(fd);
}

static void manager_import_timeline(struct wl_client *client, struct wl_resource *resource,
				    uint32_t id, int32_t fd, uint32_t kind)
{
	struct hf_server *server = wl_resource_get_user_data(resource);
	if (kind != HANDOFF_MANAGER_V1_TIMELINE_KIND_SHM) {
		close(fd);
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_INVALID_TIMELINE,
				       "timeline kind %u is not offered", kind);
		return;
	}
	enum hf_timeline_error err;
	struct hf_timeline *timeline = hf_timeline_import(fd, &err);
	if (!timeline) {
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_INVALID_TIMELINE, "%s",
				       hf_timeline_error_str(err));
		return;
	}
	struct hf_sync_timeline *st = hf_sync_timeline_create(server, timeline);
	struct wl_resource *tl_resource =
		st ? wl_resource_create(client, &handoff_timeline_v1_interface, 1, id) : NULL;
	if (!tl_resource) {
		if (st)
			hf_sync_timeline_unref(st);
		else
			hf_timeline_unref(timeline);
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(tl_resource, &timeline_impl, st,
				       timeline_handle_resource_destroy);
}

static void manager_get_surface(struct wl_client *client, struct wl_resource *resource, uint32_t id,
				struct wl_resource *surface_resource)
{
	struct hf_surface *surface = hf_surface_from_resource(surface_resource);
	if (surface->handoff) {
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_SURFACE_EXISTS,
				       "wl_surface@%u already has a handoff_surface_v1",
				       wl_resource_get_id(surface_resource));
		return;
	}
	struct hf_handoff_surface *hs = calloc(1, sizeof(*hs));
	if (!hs) {
		wl_client_post_no_memory(client);
		return;
	}
	hs->resource = wl_resource_create(client, &handoff_surface_v1_interface,
					  wl_resource_get_version(resource), id);
	if (!hs->resource) {
		free(hs);
		wl_client_post_no_memory(client);
		return;
	}
	hs->surface = surface;
	surface->handoff = hs;
	wl_resource_set_implementation(hs->resource, &handoff_surface_impl, hs,
				       handoff_surface_handle_resource_destroy);
}

static const struct handoff_manager_v1_interface manager_impl = {
	.destroy = resource_destroy,
	.create_buffer = manager_create_buffer,
	.import_timeline = manager_import_timeline,
	.get_surface = manager_get_surface,
};

static void manager_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct hf_server *server = data;
	struct wl_resource *resource =
		wl_resource_create(client, &handoff_manager_v1_interface, version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &manager_impl, server, NULL);
	const struct hf_format *fmt;
	for (int i = 0; (fmt = hf_format_at(i)); i++)
		if (server->renderer->impl->supports_format(server->renderer, fmt->fourcc))
			handoff_manager_v1_send_format(resource, fmt->fourcc, 0, 0);
	handoff_manager_v1_send_memory_kind(resource, HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD);
	handoff_manager_v1_send_timeline_kind(resource, HANDOFF_MANAGER_V1_TIMELINE_KIND_SHM);
	handoff_manager_v1_send_done(resource);
}

bool hf_handoff_init(struct hf_server *server)
{
	return wl_global_create(server->display, &handoff_manager_v1_interface, HANDOFF_VERSION,
				server, manager_bind) != NULL;
}
