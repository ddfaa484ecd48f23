/*
 * handoff_manager_v1, handoff_timeline_v1 and handoff_surface_v1: shared images, imported
 * timelines, and a surface's acquire and release points, which the core then honours.
 */
#include "protocols.h"

#include "buffer.h"
#include "client.h"
#include "format.h"
#include "gpu_timeline.h"
#include "handoff-v1-server-protocol.h"
#include "image.h"
#include "log.h"
#include "surface.h"
#include "timeline.h"
#include "vk_import.h"

#include <assert.h>
#include <drm_fourcc.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HANDOFF_VERSION 2

struct hf_handoff_surface {
	struct wl_resource *resource;
	struct hf_surface *surface; /* NULL once the wl_surface is gone: the object is inert */
	struct wl_listener surface_client_commit;
	struct wl_listener surface_acquire_timeout;
	struct wl_listener surface_destroy;
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

/* The handoff_surface_v1's wl_surface, or NULL after posting no_surface. */
static struct hf_surface *live_surface(struct wl_resource *resource)
{
	struct hf_handoff_surface *hs = handoff_surface_from_resource(resource);
	if (!hs->surface)
		wl_resource_post_error(resource, HANDOFF_SURFACE_V1_ERROR_NO_SURFACE,
				       "the wl_surface was destroyed");
	return hs->surface;
}

static void handoff_surface_set_acquire_point(struct wl_client *client,
					      struct wl_resource *resource,
					      struct wl_resource *timeline, uint32_t hi,
					      uint32_t lo)
{
	struct hf_surface *surface = live_surface(resource);
	if (surface)
		hf_sync_point_set(&surface->pending.acquire, timeline_from_resource(timeline),
				  (uint64_t)hi << 32 | lo);
}

static void handoff_surface_set_release_point(struct wl_client *client,
					      struct wl_resource *resource,
					      struct wl_resource *timeline, uint32_t hi,
					      uint32_t lo)
{
	struct hf_surface *surface = live_surface(resource);
	if (surface)
		hf_sync_point_set(&surface->pending.release, timeline_from_resource(timeline),
				  (uint64_t)hi << 32 | lo);
}

static void handoff_surface_set_present_mode(struct wl_client *client, struct wl_resource *resource,
					     uint32_t mode)
{
	struct hf_surface *surface = live_surface(resource);
	if (!surface)
		return;
	if (mode != HANDOFF_SURFACE_V1_PRESENT_MODE_MAILBOX &&
	    mode != HANDOFF_SURFACE_V1_PRESENT_MODE_FIFO) {
		wl_resource_post_error(resource, HANDOFF_SURFACE_V1_ERROR_INVALID_MODE,
				       "present mode %u is unknown", mode);
		return;
	}
	surface->pending.fifo = mode == HANDOFF_SURFACE_V1_PRESENT_MODE_FIFO;
}

static const struct handoff_surface_v1_interface handoff_surface_impl = {
	.destroy = resource_destroy,
	.set_acquire_point = handoff_surface_set_acquire_point,
	.set_release_point = handoff_surface_set_release_point,
	.set_present_mode = handoff_surface_set_present_mode,
};

/* The checks of handoff-v1.xml, in its order; posts the error and returns false. */
static bool handoff_surface_validate(struct hf_handoff_surface *hs)
{
	struct wl_resource *res = hs->resource;
	struct hf_surface_state *pending = &hs->surface->pending;
	bool points = pending->acquire.timeline || pending->release.timeline;
	if (points && !pending->buffer) {
		wl_resource_post_error(res, HANDOFF_SURFACE_V1_ERROR_NO_BUFFER,
				       "timeline points set but no buffer attached");
		return false;
	}
	/* Every new commit counts, one without a buffer (an unmap) too: fifo holds each one for
	 * an output frame. */
	if (pending->attached && (uint32_t)hs->surface->n_queued >= hf_limits.queued_commits) {
		wl_resource_post_error(res, HANDOFF_SURFACE_V1_ERROR_QUEUE_FULL,
				       "%d commits already wait on this surface (the limit)",
				       hs->surface->n_queued);
		return false;
	}
	if (!pending->buffer)
		return true;
	if (pending->buffer->kind == HF_BUFFER_SHM) {
		wl_resource_post_error(
			res, HANDOFF_SURFACE_V1_ERROR_UNSUPPORTED_BUFFER,
			"the buffer was not made by handoff_manager_v1.create_buffer "
			"or create_vk_image");
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

static void handoff_surface_handle_client_commit(struct wl_listener *listener, void *data)
{
	struct hf_handoff_surface *hs = wl_container_of(listener, hs, surface_client_commit);
	struct hf_surface_commit_event *event = data;
	if (!handoff_surface_validate(hs))
		event->rejected = true;
}

static void handoff_surface_handle_acquire_timeout(struct wl_listener *listener, void *data)
{
	struct hf_handoff_surface *hs = wl_container_of(listener, hs, surface_acquire_timeout);
	struct hf_commit *commit = data;
	wl_resource_post_error(hs->resource, HANDOFF_SURFACE_V1_ERROR_ACQUIRE_TIMEOUT,
			       "acquire point %llu was not signaled within %.1f s",
			       (unsigned long long)commit->acquire.point,
			       hs->surface->compositor->acquire_timeout_ns / 1e9);
}

/* Back to implicit sync: later commits carry no points and use the default mode. */
static void handoff_surface_detach(struct hf_handoff_surface *hs)
{
	struct hf_surface *surface = hs->surface;
	if (!surface)
		return;
	hf_sync_point_clear(&surface->pending.acquire);
	hf_sync_point_clear(&surface->pending.release);
	surface->pending.fifo = false;
	wl_list_remove(&hs->surface_client_commit.link);
	wl_list_remove(&hs->surface_acquire_timeout.link);
	wl_list_remove(&hs->surface_destroy.link);
	hs->surface = NULL;
}

static void handoff_surface_handle_surface_destroy(struct wl_listener *listener, void *data)
{
	struct hf_handoff_surface *hs = wl_container_of(listener, hs, surface_destroy);
	handoff_surface_detach(hs);
}

static void handoff_surface_handle_resource_destroy(struct wl_resource *resource)
{
	struct hf_handoff_surface *hs = handoff_surface_from_resource(resource);
	handoff_surface_detach(hs);
	free(hs);
}

static uint32_t image_error_code(enum hf_image_error err)
{
	switch (err) {
	case HF_IMAGE_BAD_DIMENSIONS:
	case HF_IMAGE_BAD_STRIDE:
		return HANDOFF_MANAGER_V1_ERROR_INVALID_DIMENSIONS;
	case HF_IMAGE_OVERFLOW:
	case HF_IMAGE_OUT_OF_BOUNDS:
		return HANDOFF_MANAGER_V1_ERROR_OUT_OF_BOUNDS;
	case HF_IMAGE_BAD_FORMAT:
		return HANDOFF_MANAGER_V1_ERROR_INVALID_FORMAT;
	case HF_IMAGE_OK:
	case HF_IMAGE_BAD_FD:
	case HF_IMAGE_NOT_SEALED:
	case HF_IMAGE_HUGETLB:
		break;
	}
	return HANDOFF_MANAGER_V1_ERROR_INVALID_FD;
}

/* Whether size more bytes stay within the client's budget, without wrapping. */
static bool bytes_fit(const struct hf_client *owner, uint64_t size)
{
	return size <= hf_limits.bytes_mapped &&
	       owner->bytes_mapped <= hf_limits.bytes_mapped - size;
}

static void manager_create_buffer(struct wl_client *client, struct wl_resource *resource,
				  uint32_t id, int32_t fd, uint32_t memory_kind, int32_t width,
				  int32_t height, uint32_t fourcc, uint32_t modifier_hi,
				  uint32_t modifier_lo, uint32_t offset, uint32_t stride,
				  uint32_t flags)
{
	struct hf_compositor *compositor = wl_resource_get_user_data(resource);
	struct hf_renderer *r = compositor->renderer;
	uint64_t modifier = (uint64_t)modifier_hi << 32 | modifier_lo;
	struct hf_client *owner = hf_client_from_wl(client);
	if (!owner) {
		wl_client_post_no_memory(client);
		goto out;
	}
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
	    !r->impl->supports_format(r, fourcc)) {
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
	enum hf_image_error err = hf_image_validate(fd, &layout, reason, sizeof(reason));
	if (err != HF_IMAGE_OK) {
		wl_resource_post_error(resource, image_error_code(err), "%s", reason);
		goto out;
	}
	size_t map_size = (size_t)offset + (size_t)stride * (size_t)height;
	if (owner->buffers >= hf_limits.buffers) {
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_LIMIT_EXCEEDED,
				       "more than %u buffers", hf_limits.buffers);
		goto out;
	}
	if (!bytes_fit(owner, map_size)) {
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_LIMIT_EXCEEDED,
				       "more than %llu bytes of buffers mapped",
				       (unsigned long long)hf_limits.bytes_mapped);
		goto out;
	}
	void *map = mmap(NULL, map_size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		/* The presenter's own limits (address space, vm.max_map_count) are this
		 * client's problem, not its memory's. */
		if (errno == ENOMEM)
			wl_client_post_no_memory(client);
		else
			wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_INVALID_FD,
					       "the memory cannot be mapped");
		goto out;
	}
	bool y_invert = flags & HANDOFF_MANAGER_V1_BUFFER_FLAGS_Y_INVERT;
	struct hf_buffer *buffer = hf_buffer_create_handoff(
		client, id, owner, map, map_size, offset, width, height, stride, fourcc, y_invert);
	if (!buffer) {
		munmap(map, map_size);
		wl_client_post_no_memory(client);
		goto out;
	}
	struct hf_new_buffer_event event = {.buffer = buffer, .fd = fd};
	wl_signal_emit(&compositor->events.new_buffer, &event);
out:
	close(fd);
}

static void manager_create_vk_image(struct wl_client *client, struct wl_resource *resource,
				    uint32_t id, int32_t fd, uint32_t memory_kind, int32_t width,
				    int32_t height, uint32_t fourcc, uint32_t vk_format,
				    uint32_t tiling, uint32_t usage, uint32_t create_flags,
				    uint32_t size_hi, uint32_t size_lo, uint32_t memory_type,
				    uint32_t offset, uint32_t stride, uint32_t flags)
{
	struct hf_compositor *compositor = wl_resource_get_user_data(resource);
	struct hf_renderer *r = compositor->renderer;
	struct hf_client *owner = hf_client_from_wl(client);
	uint64_t size = (uint64_t)size_hi << 32 | size_lo;
	const uint32_t known = HANDOFF_MANAGER_V1_BUFFER_FLAGS_Y_INVERT |
			       HANDOFF_MANAGER_V1_BUFFER_FLAGS_DEDICATED;
	if (!owner) {
		wl_client_post_no_memory(client);
		goto out;
	}
	if (memory_kind != HANDOFF_MANAGER_V1_MEMORY_KIND_VK_OPAQUE_FD || !r->vk_memory) {
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_UNSUPPORTED_MEMORY,
				       "memory kind %u is not offered for Vulkan images",
				       memory_kind);
		goto out;
	}
	const struct hf_format *fmt = hf_format_from_fourcc(fourcc);
	if (!fmt || !r->impl->supports_format(r, fourcc)) {
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_INVALID_FORMAT,
				       "format 0x%08x is not offered", fourcc);
		goto out;
	}
	if (fmt->vk_format != vk_format) {
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_INVALID_FORMAT,
				       "VkFormat %u is not the format of fourcc 0x%08x (%u)",
				       vk_format, fourcc, fmt->vk_format);
		goto out;
	}
	if (width <= 0 || height <= 0 || width > HF_IMAGE_MAX_DIM || height > HF_IMAGE_MAX_DIM) {
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_INVALID_DIMENSIONS,
				       "invalid size %dx%d (each side must be 1..%d)", width,
				       height, HF_IMAGE_MAX_DIM);
		goto out;
	}
	if (flags & ~known) {
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_INVALID_FLAGS,
				       "unknown flags 0x%x", flags);
		goto out;
	}
	struct hf_vk_image_desc desc = {
		.width = width,
		.height = height,
		.fourcc = fourcc,
		.vk_format = vk_format,
		.tiling = tiling,
		.usage = usage,
		.create_flags = create_flags,
		.size = size,
		.memory_type = memory_type,
		.offset = offset,
		.stride = stride,
		.dedicated = flags & HANDOFF_MANAGER_V1_BUFFER_FLAGS_DEDICATED,
		.y_invert = flags & HANDOFF_MANAGER_V1_BUFFER_FLAGS_Y_INVERT,
	};
	char why[256];
	if (!hf_vk_import_check_params(&desc, why, sizeof(why))) {
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_INVALID_VK_IMAGE, "%s",
				       why);
		goto out;
	}
	/* Before any driver call: a driver may read the fd on this thread. */
	uint64_t mapped = 0;
	if (!hf_vk_import_check_fd(fd, r->vk_cpu, size, &mapped, why, sizeof(why))) {
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_INVALID_FD, "%s", why);
		goto out;
	}
	if (owner->buffers >= hf_limits.buffers || !bytes_fit(owner, mapped)) {
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_LIMIT_EXCEEDED,
				       "more than %u buffers or %llu bytes of buffers",
				       hf_limits.buffers,
				       (unsigned long long)hf_limits.bytes_mapped);
		goto out;
	}
	struct hf_texture *tex = r->impl->texture_import_vk(r, fd, &desc, why, sizeof(why));
	if (!tex) {
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_INVALID_VK_IMAGE, "%s",
				       why);
		goto out;
	}
	if (!hf_buffer_create_vk(client, id, owner, r, tex, mapped, width, height, fourcc,
				 desc.y_invert)) {
		r->impl->texture_destroy(r, tex);
		wl_client_post_no_memory(client);
	}
out:
	close(fd); /* the device has a copy of its own */
}

static void manager_import_timeline(struct wl_client *client, struct wl_resource *resource,
				    uint32_t id, int32_t fd, uint32_t kind)
{
	struct hf_compositor *compositor = wl_resource_get_user_data(resource);
	struct hf_client *owner = hf_client_from_wl(client);
	if (!owner) {
		close(fd);
		wl_client_post_no_memory(client);
		return;
	}
	bool gpu = kind == HANDOFF_MANAGER_V1_TIMELINE_KIND_VK_OPAQUE_FD &&
		   compositor->renderer->vk_timelines;
	if (kind != HANDOFF_MANAGER_V1_TIMELINE_KIND_SHM && !gpu) {
		close(fd);
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_INVALID_TIMELINE,
				       "timeline kind %u is not offered", kind);
		return;
	}
	if (owner->timelines >= hf_limits.timelines) {
		close(fd);
		wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_LIMIT_EXCEEDED,
				       "more than %u timelines", hf_limits.timelines);
		return;
	}
	if (hf_totals.timelines >= hf_limits.total_timelines) {
		close(fd);
		hf_post_total_limit(client, hf_limits.total_timelines, "timelines");
		return;
	}
	struct hf_sync_timeline *st;
	if (gpu) {
		struct hf_gpu_timelines *gpus = compositor->renderer->timelines;
		char why[256];
		uint64_t unused;
		if (!hf_vk_import_check_fd(fd, false, 0, &unused, why, sizeof(why))) {
			close(fd);
			wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_INVALID_TIMELINE,
					       "%s", why);
			return;
		}
		struct hf_gpu_timeline *tl = hf_gpu_timeline_import(gpus, fd, why, sizeof(why));
		if (!tl) {
			wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_INVALID_TIMELINE,
					       "%s", why);
			return;
		}
		st = hf_sync_timeline_create_gpu(compositor->sync, tl, owner);
		if (!st)
			hf_gpu_timeline_destroy(gpus, tl);
	} else {
		enum hf_timeline_error err;
		struct hf_timeline *timeline = hf_timeline_import(fd, &err);
		if (!timeline && err == HF_TIMELINE_SYSTEM) {
			/* The presenter could not map it (memory, vm.max_map_count): not the
			 * timeline's fault. */
			wl_client_post_no_memory(client);
			return;
		}
		if (!timeline) {
			wl_resource_post_error(resource, HANDOFF_MANAGER_V1_ERROR_INVALID_TIMELINE,
					       "%s", hf_timeline_error_str(err));
			return;
		}
		st = hf_sync_timeline_create(compositor->sync, timeline, owner);
		if (!st)
			hf_timeline_unref(timeline);
	}
	struct wl_resource *tl_resource =
		st ? wl_resource_create(client, &handoff_timeline_v1_interface, 1, id) : NULL;
	if (!tl_resource) {
		hf_sync_timeline_unref(st);
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
	if (wl_signal_get(&surface->events.client_commit, handoff_surface_handle_client_commit)) {
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
	hs->surface_client_commit.notify = handoff_surface_handle_client_commit;
	wl_signal_add(&surface->events.client_commit, &hs->surface_client_commit);
	hs->surface_acquire_timeout.notify = handoff_surface_handle_acquire_timeout;
	wl_signal_add(&surface->events.acquire_timeout, &hs->surface_acquire_timeout);
	hs->surface_destroy.notify = handoff_surface_handle_surface_destroy;
	wl_signal_add(&surface->events.destroy, &hs->surface_destroy);
	wl_resource_set_implementation(hs->resource, &handoff_surface_impl, hs,
				       handoff_surface_handle_resource_destroy);
}

static const struct handoff_manager_v1_interface manager_impl = {
	.destroy = resource_destroy,
	.create_buffer = manager_create_buffer,
	.import_timeline = manager_import_timeline,
	.get_surface = manager_get_surface,
	.create_vk_image = manager_create_vk_image,
};

static void manager_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct hf_compositor *compositor = data;
	struct hf_renderer *r = compositor->renderer;
	struct wl_resource *resource =
		wl_resource_create(client, &handoff_manager_v1_interface, version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &manager_impl, compositor, NULL);
	const struct hf_format *fmt;
	for (int i = 0; (fmt = hf_format_at(i)); i++)
		if (r->impl->supports_format(r, fmt->fourcc))
			handoff_manager_v1_send_format(resource, fmt->fourcc, 0, 0);
	handoff_manager_v1_send_memory_kind(resource, HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD);
	handoff_manager_v1_send_timeline_kind(resource, HANDOFF_MANAGER_V1_TIMELINE_KIND_SHM);
	/* Vulkan kinds only where the device can import them, and only from version 2, which
	 * has create_vk_image. */
	bool vk_memory = r->vk_memory && version >= 2;
	if (vk_memory)
		handoff_manager_v1_send_memory_kind(resource,
						    HANDOFF_MANAGER_V1_MEMORY_KIND_VK_OPAQUE_FD);
	if (r->vk_timelines)
		handoff_manager_v1_send_timeline_kind(
			resource, HANDOFF_MANAGER_V1_TIMELINE_KIND_VK_OPAQUE_FD);
	if (vk_memory || r->vk_timelines) {
		struct wl_array device, driver;
		wl_array_init(&device);
		wl_array_init(&driver);
		void *d = wl_array_add(&device, sizeof(r->device_uuid));
		void *v = wl_array_add(&driver, sizeof(r->driver_uuid));
		if (d && v) {
			memcpy(d, r->device_uuid, sizeof(r->device_uuid));
			memcpy(v, r->driver_uuid, sizeof(r->driver_uuid));
			handoff_manager_v1_send_vulkan_device(resource, &device, &driver);
		}
		wl_array_release(&device);
		wl_array_release(&driver);
	}
	handoff_manager_v1_send_done(resource);
}

bool hf_handoff_init(struct hf_compositor *compositor)
{
	return wl_global_create(compositor->display, &handoff_manager_v1_interface, HANDOFF_VERSION,
				compositor, manager_bind) != NULL;
}
