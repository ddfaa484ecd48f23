/*
 * The Vulkan renderer: the device (vk.h), what it can do, and the calls of renderer.h over
 * the parts that do the work. Client memory is read by the device in place: a wl_shm pool or
 * memfd image is imported as host memory (VK_EXT_external_memory_host) where the device can,
 * else copied to a staging buffer; a create_vk_image buffer is the client's own image,
 * imported from its opaque fd (vk_texture.h). A composition is the renderer's pass
 * (vk_pass.h), by compute shaders or, as a fallback, blits, into one persistent output image
 * copied to the CPU targets as they need it (vk_output.h), and waited for (vk_wait.h).
 *
 * GPU timelines (vk_opaque_fd) are the service of gpu_timeline.h, on this renderer's device.
 */
#include "renderer.h"

#include "gpu_timeline.h"
#include "log.h"
#include "vk.h"
#include "vk_pass.h"
#include "vk_texture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vk_renderer {
	struct hf_renderer base;
	struct hf_vk *vk;
	struct hf_vk_pass pass;
};

static struct vk_renderer *vk_renderer(struct hf_renderer *r)
{
	return (struct vk_renderer *)r;
}

static bool vk_supports_format(struct hf_renderer *r, uint32_t fourcc)
{
	return hf_vk_texture_supports_format(vk_renderer(r)->vk, fourcc);
}

static struct hf_texture *vk_texture_create(struct hf_renderer *r, const struct hf_pixels *src)
{
	struct vk_renderer *vr = vk_renderer(r);
	return hf_vk_texture_create(vr->vk, src, vr->pass.compute);
}

static struct hf_texture *vk_texture_import_vk(struct hf_renderer *r, int fd,
					       const struct hf_vk_image_desc *d, char *why,
					       size_t why_size)
{
	return hf_vk_texture_import(vk_renderer(r)->vk, fd, d, why, why_size);
}

static void vk_texture_destroy(struct hf_renderer *r, struct hf_texture *tex)
{
	hf_vk_texture_destroy(vk_renderer(r)->vk, tex);
}

static struct hf_render_pass *vk_begin_pass(struct hf_renderer *r, const struct hf_pixels *target,
					    const struct hf_pass_options *options)
{
	return hf_vk_pass_begin(&vk_renderer(r)->pass, target, options);
}

static void vk_destroy(struct hf_renderer *r)
{
	struct vk_renderer *vr = vk_renderer(r);
	hf_gpu_timelines_destroy(vr->base.timelines);
	hf_vk_pass_finish(&vr->pass);
	hf_vk_destroy(vr->vk);
	free(vr);
}

static const struct hf_renderer_impl vk_impl = {
	.name = "vulkan",
	.destroy = vk_destroy,
	.supports_format = vk_supports_format,
	.texture_create = vk_texture_create,
	.texture_import_vk = vk_texture_import_vk,
	.texture_destroy = vk_texture_destroy,
	.begin_pass = vk_begin_pass,
};

struct hf_renderer *hf_renderer_vulkan_create(struct wl_event_loop *loop, unsigned flags, char *why,
					      size_t why_size)
{
	struct vk_renderer *vr = calloc(1, sizeof(*vr));
	if (!vr) {
		snprintf(why, why_size, "out of memory");
		return NULL;
	}
	hf_renderer_init(&vr->base, &vk_impl);
	vr->vk = hf_vk_create(!(flags & HF_RENDERER_VULKAN_ALLOW_CPU), why, why_size);
	if (!vr->vk)
		goto err;
	struct hf_vk *vk = vr->vk;
	vk->host_import_read_only =
		vk->host_import && vk->cpu && !(flags & HF_RENDERER_VULKAN_COPY_CLIENT);
	if (!hf_vk_pass_init(&vr->pass, &vr->base, vk, flags, why, why_size))
		goto err;
	if (!(vr->base.timelines = hf_gpu_timelines_create(loop, vk, why, why_size)))
		goto err;
	vr->base.vk_memory = vk->opaque_memory;
	vr->base.vk_timelines = vk->opaque_semaphores;
	vr->base.vk_cpu = vk->cpu;
	memcpy(vr->base.device_uuid, vk->device_uuid, VK_UUID_SIZE);
	memcpy(vr->base.driver_uuid, vk->driver_uuid, VK_UUID_SIZE);
	hf_info("Vulkan renderer on %s: composing by %s, opaque-fd memory %s, opaque-fd "
		"timelines %s, host import %s",
		vk->name, vr->pass.compute ? "compute shaders" : "blits",
		vk->opaque_memory ? "yes" : "no", vk->opaque_semaphores ? "yes" : "no",
		!vk->host_import            ? "no"
		: vk->host_import_read_only ? "yes"
					    : "of writable memory only (client memory is copied)");
	return &vr->base;
err:
	vk_destroy(&vr->base);
	return NULL;
}
