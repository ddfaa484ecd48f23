/* Client buffers: wl_shm's, and handoff memfd images. */
#include "buffer.h"

#include "client.h"
#include "format.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <wayland-server-protocol.h>

static void buffer_handle_resource_destroy(struct wl_listener *listener, void *data)
{
	struct hf_buffer *buffer = wl_container_of(listener, buffer, resource_destroy);
	wl_list_remove(&buffer->resource_destroy.link);
	buffer->resource = NULL;
	hf_buffer_unref(buffer);
}

static void buffer_init(struct hf_buffer *buffer, struct wl_resource *resource)
{
	buffer->refs = 1; /* the resource's */
	hf_addon_set_init(&buffer->addons);
	buffer->resource = resource;
	buffer->resource_destroy.notify = buffer_handle_resource_destroy;
	wl_resource_add_destroy_listener(resource, &buffer->resource_destroy);
}

static struct hf_buffer *shm_buffer_get(struct wl_resource *resource, struct wl_shm_buffer *shm)
{
	struct wl_listener *l =
		wl_resource_get_destroy_listener(resource, buffer_handle_resource_destroy);
	if (l) {
		struct hf_buffer *buffer = wl_container_of(l, buffer, resource_destroy);
		return buffer;
	}
	const struct hf_format *fmt = hf_format_from_wl_shm(wl_shm_buffer_get_format(shm));
	if (!fmt)
		return NULL;
	int32_t width = wl_shm_buffer_get_width(shm), height = wl_shm_buffer_get_height(shm);
	int32_t stride = wl_shm_buffer_get_stride(shm);
	/* libwayland checks stride >= width only: the rows must hold whole pixels. */
	if (stride < 0 || (uint64_t)stride < (uint64_t)width * fmt->bpp || stride % fmt->bpp) {
		wl_resource_post_error(resource, WL_SHM_ERROR_INVALID_STRIDE,
				       "stride %d cannot hold rows of %d %u-byte pixels", stride,
				       width, fmt->bpp);
		return NULL;
	}
	struct hf_buffer *buffer = calloc(1, sizeof(*buffer));
	if (!buffer)
		return NULL;
	buffer->kind = HF_BUFFER_SHM;
	buffer->width = width;
	buffer->height = height;
	buffer->stride = (size_t)stride;
	buffer->fourcc = fmt->fourcc;
	buffer_init(buffer, resource);
	return buffer;
}

static const struct wl_buffer_interface handoff_buffer_impl;

struct hf_buffer *hf_buffer_from_resource(struct wl_resource *resource)
{
	struct wl_shm_buffer *shm = wl_shm_buffer_get(resource);
	if (shm)
		return shm_buffer_get(resource, shm);
	if (wl_resource_instance_of(resource, &wl_buffer_interface, &handoff_buffer_impl))
		return wl_resource_get_user_data(resource);
	return NULL;
}

struct hf_buffer *hf_buffer_ref(struct hf_buffer *buffer)
{
	buffer->refs++;
	return buffer;
}

void hf_buffer_unref(struct hf_buffer *buffer)
{
	if (!buffer || --buffer->refs > 0)
		return;
	if (buffer->texture)
		buffer->renderer->impl->texture_destroy(buffer->renderer, buffer->texture);
	hf_addon_set_finish(&buffer->addons);
	if (buffer->map)
		munmap(buffer->map, buffer->map_size);
	if (buffer->client) {
		buffer->client->buffers--;
		buffer->client->bytes_mapped -= buffer->map_size;
		hf_client_unref(buffer->client);
	}
	free(buffer);
}

bool hf_buffer_has_alpha(const struct hf_buffer *buffer)
{
	const struct hf_format *fmt = hf_format_from_fourcc(buffer->fourcc);
	return fmt && fmt->has_alpha;
}

bool hf_buffer_begin_read(struct hf_buffer *buffer, struct hf_pixels *pixels)
{
	*pixels = (struct hf_pixels){.width = buffer->width,
				     .height = buffer->height,
				     .stride = buffer->stride,
				     .fourcc = buffer->fourcc,
				     .y_invert = buffer->y_invert};
	if (buffer->kind == HF_BUFFER_HANDOFF) {
		pixels->data = (char *)buffer->map + buffer->offset;
		return true;
	}
	if (buffer->kind == HF_BUFFER_VK)
		return true; /* the renderer reads its own import */
	/* A wl_shm pool can be remapped by a resize, and is out of reach once the wl_buffer is
	 * gone: its address is taken anew for every read, under libwayland's SIGBUS guard. */
	if (!buffer->resource)
		return false;
	struct wl_shm_buffer *shm = wl_shm_buffer_get(buffer->resource);
	wl_shm_buffer_begin_access(shm);
	pixels->data = wl_shm_buffer_get_data(shm);
	pixels->may_shrink = true;
	return true;
}

void hf_buffer_end_read(struct hf_buffer *buffer)
{
	if (buffer->kind == HF_BUFFER_SHM && buffer->resource)
		wl_shm_buffer_end_access(wl_shm_buffer_get(buffer->resource));
}

static void handoff_buffer_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wl_buffer_interface handoff_buffer_impl = {
	.destroy = handoff_buffer_destroy,
};

/* A buffer of handoff_manager_v1, counted against its client. */
static struct hf_buffer *client_buffer_create(struct wl_client *client, uint32_t id,
					      struct hf_client *owner, enum hf_buffer_kind kind,
					      size_t size, int32_t width, int32_t height,
					      uint32_t fourcc, bool y_invert)
{
	struct hf_buffer *buffer = calloc(1, sizeof(*buffer));
	if (!buffer)
		return NULL;
	struct wl_resource *resource = wl_resource_create(client, &wl_buffer_interface, 1, id);
	if (!resource) {
		free(buffer);
		return NULL;
	}
	wl_resource_set_implementation(resource, &handoff_buffer_impl, buffer, NULL);
	buffer->kind = kind;
	buffer->map_size = size;
	buffer->width = width;
	buffer->height = height;
	buffer->fourcc = fourcc;
	buffer->y_invert = y_invert;
	buffer->client = hf_client_ref(owner);
	owner->buffers++;
	owner->bytes_mapped += size;
	buffer_init(buffer, resource);
	return buffer;
}

struct hf_buffer *hf_buffer_create_handoff(struct wl_client *client, uint32_t id,
					   struct hf_client *owner, void *map, size_t map_size,
					   size_t offset, int32_t width, int32_t height,
					   size_t stride, uint32_t fourcc, bool y_invert)
{
	struct hf_buffer *buffer = client_buffer_create(client, id, owner, HF_BUFFER_HANDOFF,
							map_size, width, height, fourcc, y_invert);
	if (buffer) {
		buffer->map = map;
		buffer->offset = offset;
		buffer->stride = stride;
	}
	return buffer;
}

struct hf_buffer *hf_buffer_create_vk(struct wl_client *client, uint32_t id,
				      struct hf_client *owner, struct hf_renderer *renderer,
				      struct hf_texture *texture, size_t size, int32_t width,
				      int32_t height, uint32_t fourcc, bool y_invert)
{
	struct hf_buffer *buffer = client_buffer_create(client, id, owner, HF_BUFFER_VK, size,
							width, height, fourcc, y_invert);
	if (buffer) {
		buffer->texture = texture;
		buffer->renderer = renderer;
	}
	return buffer;
}
