/*
 * The Vulkan renderer. Client memory is read by the device in place: a wl_shm pool or memfd
 * image is imported as host memory (VK_EXT_external_memory_host) where the device can, else
 * copied to a staging buffer; a create_vk_image buffer is the client's own image, imported
 * from its opaque fd. A composition runs compute shaders (vk_compose.h) on the queue: each
 * window is read once (copied, scaled, converted or blended as pixman would) into one
 * persistent output image, through a storage view; the clear too. The raster path (copies and
 * blits) runs at a fraction of the device's memory bandwidth on some GPUs, so it is only the
 * fallback, for a device that cannot run the shaders (said once) or a source they cannot
 * read. The CPU target gets the pixels asked for: the renderer keeps, per target, the region
 * it has not copied since the output image last changed there, and copies only that. Compositions
 * are submitted and waited for at end(): the presenter's outputs are CPU memory, and no client
 * point can hold the device back, since a commit is latched only once its acquire point is
 * signaled. Where that point is on a Vulkan timeline, the submission waits on it on the device as
 * well, which orders the reads after the client's writes on the device's own terms (it is reached
 * already: no delay).
 *
 * Client images cross queue families as handoff-v1.xml says: acquired from
 * VK_QUEUE_FAMILY_EXTERNAL in VK_IMAGE_LAYOUT_GENERAL before the read, released back to it in
 * VK_IMAGE_LAYOUT_GENERAL after.
 *
 * GPU timelines (vk_opaque_fd) are the service of gpu_timeline.h, on this renderer's device.
 */
#include "renderer.h"

#include "format.h"
#include "gpu_timeline.h"
#include "log.h"
#include "time_util.h"
#include "vk.h"
#include "vk_compose.h"
#include "vk_memory.h"
#include "vk_texture.h"

#include <drm_fourcc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define MAX_TARGETS   4
#define MAX_GPU_WAITS 16

struct target_buffer {
	void *data; /* the target's pixels this buffer writes into */
	size_t size;
	VkBuffer buffer;
	VkDeviceMemory memory;
	void *map; /* staging readback: copied to data after the composition */
	/* Where data differs from the output image: drawn since it was last copied here. */
	pixman_region32_t behind;
};

struct vk_renderer {
	struct hf_renderer base;
	struct hf_vk *vk;
	VkCommandBuffer cmd;
	VkSemaphore done; /* signaled with each composition's number */
	uint64_t submitted;
	VkQueryPool timestamps;
	/* The compute composition; compute false: blits only. */
	struct hf_vk_compose compose;
	bool compute;
	/* The persistent output image, in VK_IMAGE_LAYOUT_GENERAL once defined. */
	VkImage out;
	VkDeviceMemory out_mem;
	VkImageView out_view; /* R32_UINT storage view (compute) */
	int32_t out_width, out_height;
	bool out_defined;
	VkImage background; /* 1x1, blitted to clear (fallback) */
	VkDeviceMemory background_mem;
	uint32_t background_xrgb;
	bool said_fallback;
	/* The composition being recorded. */
	struct hf_pixels target;
	bool recording;
	pixman_region32_t read_back; /* of the target, wanted after end() */
	pixman_region32_t touched;
	pixman_region32_t written; /* since the last barrier: a later write there waits */
	bool written_by_transfer;
	VkSemaphore gpu_waits[MAX_GPU_WAITS]; /* the acquire points this composition waits on */
	uint64_t gpu_wait_values[MAX_GPU_WAITS];
	uint32_t n_gpu_waits;
	bool device_wait; /* HF_RENDERER_VULKAN_DEVICE_WAIT */
	/* How end() waits: HF_RENDERER_VULKAN_WAIT_*, 0 for the sleep-then-poll default, with
	 * the time from submission to completion it expects (a running mean). */
	unsigned wait_mode;
	int64_t expect_ns;
	struct target_buffer targets[MAX_TARGETS];
	int next_target;
};

static struct vk_renderer *vk_renderer(struct hf_renderer *r)
{
	return (struct vk_renderer *)r;
}

static void output_image_free(struct vk_renderer *vr)
{
	struct hf_vk *vk = vr->vk;
	if (vr->out_view)
		vkDestroyImageView(vk->device, vr->out_view, NULL);
	if (vr->out)
		vkDestroyImage(vk->device, vr->out, NULL);
	if (vr->out_mem)
		vkFreeMemory(vk->device, vr->out_mem, NULL);
	vr->out_view = VK_NULL_HANDLE;
	vr->out = VK_NULL_HANDLE;
	vr->out_mem = VK_NULL_HANDLE;
}

/* B8G8R8A8 for the copies to the CPU; for the shaders also seen as R32_UINT words, which every
 * device can store (VK_IMAGE_CREATE_EXTENDED_USAGE_BIT: the B8G8R8A8 view need not). */
static bool output_image_create(struct vk_renderer *vr, int32_t w, int32_t h)
{
	struct hf_vk *vk = vr->vk;
	VkImageCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
				 .imageType = VK_IMAGE_TYPE_2D,
				 .format = VK_FORMAT_B8G8R8A8_UNORM,
				 .extent = {(uint32_t)w, (uint32_t)h, 1},
				 .mipLevels = 1,
				 .arrayLayers = 1,
				 .samples = VK_SAMPLE_COUNT_1_BIT,
				 .tiling = VK_IMAGE_TILING_OPTIMAL,
				 .usage = VK_IMAGE_USAGE_TRANSFER_DST_BIT |
					  VK_IMAGE_USAGE_TRANSFER_SRC_BIT,
				 .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED};
	if (vr->compute) {
		ici.flags = VK_IMAGE_CREATE_MUTABLE_FORMAT_BIT | VK_IMAGE_CREATE_EXTENDED_USAGE_BIT;
		ici.usage |= VK_IMAGE_USAGE_STORAGE_BIT;
	}
	if (vkCreateImage(vk->device, &ici, NULL, &vr->out) != VK_SUCCESS)
		return false;
	VkMemoryRequirements req;
	vkGetImageMemoryRequirements(vk->device, vr->out, &req);
	if (!hf_vk_alloc_memory(vk, &req, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, NULL,
				&vr->out_mem) ||
	    vkBindImageMemory(vk->device, vr->out, vr->out_mem, 0) != VK_SUCCESS)
		goto err;
	if (vr->compute) {
		VkImageViewUsageCreateInfo usage = {
			.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_USAGE_CREATE_INFO,
			.usage = VK_IMAGE_USAGE_STORAGE_BIT};
		VkImageViewCreateInfo vci = {
			.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
			.pNext = &usage,
			.image = vr->out,
			.viewType = VK_IMAGE_VIEW_TYPE_2D,
			.format = VK_FORMAT_R32_UINT,
			.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
		if (vkCreateImageView(vk->device, &vci, NULL, &vr->out_view) != VK_SUCCESS)
			goto err;
	}
	return true;
err:
	output_image_free(vr);
	return false;
}

static bool output_image_ensure(struct vk_renderer *vr, int32_t w, int32_t h)
{
	if (vr->out && vr->out_width == w && vr->out_height == h)
		return true;
	vkQueueWaitIdle(vr->vk->queue);
	output_image_free(vr);
	if (!output_image_create(vr, w, h))
		return false;
	vr->out_width = w;
	vr->out_height = h;
	vr->out_defined = false;
	/* No target holds any of the new image. */
	for (int i = 0; i < MAX_TARGETS; i++)
		pixman_region32_union_rect(&vr->targets[i].behind, &vr->targets[i].behind, 0, 0,
					   (unsigned)w, (unsigned)h);
	return true;
}

static void target_buffer_free(struct hf_vk *vk, struct target_buffer *tb)
{
	if (tb->buffer)
		vkDestroyBuffer(vk->device, tb->buffer, NULL);
	if (tb->memory)
		vkFreeMemory(vk->device, tb->memory, NULL);
	tb->buffer = VK_NULL_HANDLE;
	tb->memory = VK_NULL_HANDLE;
	tb->map = NULL;
	tb->data = NULL;
}

/* The buffer that writes into target pixels data: host memory imported, or staging. */
static struct target_buffer *target_buffer_get(struct vk_renderer *vr, const struct hf_pixels *t)
{
	struct hf_vk *vk = vr->vk;
	size_t size = t->stride * (size_t)t->height;
	for (int i = 0; i < MAX_TARGETS; i++)
		if (vr->targets[i].data == t->data && vr->targets[i].size == size &&
		    vr->targets[i].buffer)
			return &vr->targets[i];
	struct target_buffer *tb = &vr->targets[vr->next_target];
	vr->next_target = (vr->next_target + 1) % MAX_TARGETS;
	if (tb->buffer) {
		vkQueueWaitIdle(vk->queue);
		target_buffer_free(vk, tb);
	}
	tb->data = t->data;
	tb->size = size;
	/* Whatever the target holds, it is not known to be the output image. */
	pixman_region32_fini(&tb->behind);
	pixman_region32_init_rect(&tb->behind, 0, 0, (unsigned)t->width, (unsigned)t->height);
	VkDeviceSize offset;
	if (hf_vk_buffer_import_host(vk, t->data, size, VK_BUFFER_USAGE_TRANSFER_DST_BIT,
				     &tb->buffer, &tb->memory, &offset) &&
	    offset == 0)
		return tb;
	target_buffer_free(vk, tb);
	tb->data = t->data;
	if (!hf_vk_buffer_create(vk, size, VK_BUFFER_USAGE_TRANSFER_DST_BIT, &tb->buffer,
				 &tb->memory, &tb->map)) {
		tb->data = NULL;
		return NULL;
	}
	return tb;
}

/* A write of box that overlaps an earlier write of this composition, or is of the other kind
 * (compute or transfer), waits for what came before; writes side by side run together. */
static void write_barrier(struct vk_renderer *vr, int32_t x1, int32_t y1, int32_t x2, int32_t y2,
			  bool transfer)
{
	pixman_box32_t box = {x1, y1, x2, y2};
	bool overlap = pixman_region32_contains_rectangle(&vr->written, &box) != PIXMAN_REGION_OUT;
	bool other = transfer != vr->written_by_transfer && pixman_region32_not_empty(&vr->written);
	if (overlap || other) {
		VkMemoryBarrier mb = {
			.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
			.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
			.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
					 VK_ACCESS_TRANSFER_WRITE_BIT};
		VkPipelineStageFlags stages =
			VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
		vkCmdPipelineBarrier(vr->cmd, stages, stages, 0, 1, &mb, 0, NULL, 0, NULL);
		pixman_region32_clear(&vr->written);
	}
	vr->written_by_transfer = transfer;
	pixman_region32_union_rect(&vr->written, &vr->written, x1, y1, (unsigned)(x2 - x1),
				   (unsigned)(y2 - y1));
}

static bool vk_begin(struct hf_renderer *r, const struct hf_pixels *target,
		     const pixman_region32_t *read_back)
{
	struct vk_renderer *vr = vk_renderer(r);
	if (target->fourcc != DRM_FORMAT_XRGB8888 ||
	    !output_image_ensure(vr, target->width, target->height))
		return false;
	if (vkResetCommandBuffer(vr->cmd, 0) != VK_SUCCESS)
		return false;
	VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
				       .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
	vkBeginCommandBuffer(vr->cmd, &bi);
	vr->compose.bound = VK_NULL_HANDLE;
	if (vr->timestamps) {
		vkCmdResetQueryPool(vr->cmd, vr->timestamps, 0, 2);
		vkCmdWriteTimestamp(vr->cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, vr->timestamps, 0);
	}
	/* The output image keeps the last composition: only what is drawn changes. The last
	 * submission was waited for: only the layout, the first time, has to change. */
	if (!vr->out_defined)
		hf_vk_barrier(vr->cmd, vr->out, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_GENERAL,
			      VK_QUEUE_FAMILY_IGNORED, VK_QUEUE_FAMILY_IGNORED, 0,
			      VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
				      VK_ACCESS_TRANSFER_WRITE_BIT);
	vr->out_defined = true;
	vr->target = *target;
	vr->recording = true;
	vr->n_gpu_waits = 0;
	pixman_region32_clear(&vr->touched);
	pixman_region32_clear(&vr->written);
	pixman_region32_clear(&vr->read_back);
	if (read_back)
		pixman_region32_intersect_rect(&vr->read_back, (pixman_region32_t *)read_back, 0, 0,
					       (unsigned)target->width, (unsigned)target->height);
	return true;
}

/* Fallback: the 1x1 background image takes colour, recorded before the blits that use it. */
static void background_set(struct vk_renderer *vr, uint32_t xrgb)
{
	if (vr->background_xrgb == xrgb)
		return;
	hf_vk_barrier(vr->cmd, vr->background, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
		      VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_QUEUE_FAMILY_IGNORED,
		      VK_QUEUE_FAMILY_IGNORED, VK_ACCESS_TRANSFER_READ_BIT,
		      VK_ACCESS_TRANSFER_WRITE_BIT);
	VkClearColorValue color = {.float32 = {((xrgb >> 16) & 0xff) / 255.0f,
					       ((xrgb >> 8) & 0xff) / 255.0f,
					       (xrgb & 0xff) / 255.0f, 1.0f}};
	VkImageSubresourceRange range = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
	vkCmdClearColorImage(vr->cmd, vr->background, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &color,
			     1, &range);
	hf_vk_barrier(vr->cmd, vr->background, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
		      VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_QUEUE_FAMILY_IGNORED,
		      VK_QUEUE_FAMILY_IGNORED, VK_ACCESS_TRANSFER_WRITE_BIT,
		      VK_ACCESS_TRANSFER_READ_BIT);
	vr->background_xrgb = xrgb;
}

static void vk_clear(struct hf_renderer *r, const pixman_region32_t *region, uint32_t xrgb)
{
	struct vk_renderer *vr = vk_renderer(r);
	int n;
	const pixman_box32_t *boxes = pixman_region32_rectangles((pixman_region32_t *)region, &n);
	if (n > 0 && !vr->compute)
		background_set(vr, xrgb & 0xffffff);
	for (int i = 0; i < n; i++) {
		const pixman_box32_t *b = &boxes[i];
		write_barrier(vr, b->x1, b->y1, b->x2, b->y2, !vr->compute);
		if (vr->compute) {
			struct hf_compose_params p = {.rect_min = {b->x1, b->y1},
						      .rect_size = {b->x2 - b->x1, b->y2 - b->y1},
						      .format = xrgb & 0xffffff};
			hf_vk_compose_clear(&vr->compose, vr->vk, vr->cmd, vr->out_view, &p);
			continue;
		}
		VkImageBlit blit = {
			.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
			.srcOffsets = {{0, 0, 0}, {1, 1, 1}},
			.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
			.dstOffsets = {{b->x1, b->y1, 0}, {b->x2, b->y2, 1}},
		};
		vkCmdBlitImage(vr->cmd, vr->background, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
			       vr->out, VK_IMAGE_LAYOUT_GENERAL, 1, &blit, VK_FILTER_NEAREST);
	}
	pixman_region32_union(&vr->touched, &vr->touched, (pixman_region32_t *)region);
}

static void say_fallback(struct vk_renderer *vr, const char *why)
{
	if (vr->said_fallback)
		return;
	vr->said_fallback = true;
	hf_info("Vulkan renderer: %s; such windows are drawn by blits, the slower raster path",
		why);
}

static void blit_to_output(struct vk_renderer *vr, struct hf_texture *tex, const struct hf_box *dst,
			   VkImageLayout layout)
{
	int32_t top = tex->y_invert ? tex->height : 0, bottom = tex->y_invert ? 0 : tex->height;
	VkImageBlit blit = {
		.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
		.srcOffsets = {{0, top, 0}, {tex->width, bottom, 1}},
		.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
		.dstOffsets = {{dst->x, dst->y, 0}, {dst->x + dst->width, dst->y + dst->height, 1}},
	};
	bool scaled = tex->width != dst->width || tex->height != dst->height;
	/* A blit cannot be clipped to the image; the layout keeps boxes inside the output. */
	if (dst->x < 0 || dst->y < 0 || dst->x + dst->width > vr->out_width ||
	    dst->y + dst->height > vr->out_height) {
		say_fallback(vr, "a window reaches past the output, which a blit cannot draw");
		return;
	}
	write_barrier(vr, dst->x, dst->y, dst->x + dst->width, dst->y + dst->height, true);
	vkCmdBlitImage(vr->cmd, tex->image, layout, vr->out, VK_IMAGE_LAYOUT_GENERAL, 1, &blit,
		       scaled ? VK_FILTER_LINEAR : VK_FILTER_NEAREST);
}

/* One dispatch per rectangle of region: tex read once, as pixman would, into the output. */
static void compose_texture(struct vk_renderer *vr, struct hf_texture *tex,
			    const struct hf_box *dst, pixman_region32_t *region)
{
	bool scaled = tex->width != dst->width || tex->height != dst->height;
	struct hf_compose_params p = {
		.box_min = {dst->x, dst->y},
		.box_size = {dst->width, dst->height},
		.src_size = {tex->width, tex->height},
		.flags = (tex->has_alpha ? HF_COMPOSE_BLEND : HF_COMPOSE_OPAQUE) |
			 (tex->y_invert ? HF_COMPOSE_Y_INVERT : 0) |
			 (tex->wide ? HF_COMPOSE_WIDE : 0) | (scaled ? HF_COMPOSE_SCALED : 0),
		.format = tex->compose_format,
		.offset = (uint32_t)(tex->buffer_offset / 4),
		.stride = (uint32_t)(tex->stride / 4),
	};
	int n;
	const pixman_box32_t *b = pixman_region32_rectangles(region, &n);
	for (int i = 0; i < n; i++) {
		write_barrier(vr, b[i].x1, b[i].y1, b[i].x2, b[i].y2, false);
		p.rect_min[0] = b[i].x1;
		p.rect_min[1] = b[i].y1;
		p.rect_size[0] = b[i].x2 - b[i].x1;
		p.rect_size[1] = b[i].y2 - b[i].y1;
		if (tex->external)
			hf_vk_compose_image(&vr->compose, vr->vk, vr->cmd, vr->out_view, tex->view,
					    &p);
		else
			hf_vk_compose_buffer(&vr->compose, vr->vk, vr->cmd, vr->out_view,
					     tex->buffer, &p);
	}
	pixman_region32_union(&vr->touched, &vr->touched, region);
}

static void draw_external(struct vk_renderer *vr, struct hf_texture *tex, const struct hf_box *dst,
			  pixman_region32_t *region)
{
	struct hf_vk *vk = vr->vk;
	bool scaled = tex->width != dst->width || tex->height != dst->height;
	bool compute = vr->compute && hf_vk_texture_view(vr->vk, tex, scaled);
	if (vr->compute && !compute)
		say_fallback(vr, "a client image cannot be sampled");
	/* The client's image: ours between these two ownership transfers only. */
	VkImageLayout layout =
		compute ? VK_IMAGE_LAYOUT_GENERAL : VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
	VkAccessFlags access = compute ? VK_ACCESS_SHADER_READ_BIT : VK_ACCESS_TRANSFER_READ_BIT;
	hf_vk_barrier(vr->cmd, tex->image, VK_IMAGE_LAYOUT_GENERAL, layout,
		      VK_QUEUE_FAMILY_EXTERNAL, vk->queue_family, 0, access);
	if (compute) {
		compose_texture(vr, tex, dst, region);
	} else {
		blit_to_output(vr, tex, dst, layout);
		pixman_region32_union_rect(&vr->touched, &vr->touched, dst->x, dst->y,
					   (unsigned)dst->width, (unsigned)dst->height);
	}
	hf_vk_barrier(vr->cmd, tex->image, layout, VK_IMAGE_LAYOUT_GENERAL, vk->queue_family,
		      VK_QUEUE_FAMILY_EXTERNAL, access, 0);
}

/* Fallback for client memory: copies (same size and format) or blits through an image. */
static void draw_memory_raster(struct vk_renderer *vr, struct hf_texture *tex,
			       const struct hf_box *dst, pixman_region32_t *region)
{
	struct hf_vk *vk = vr->vk;
	bool direct = tex->width == dst->width && tex->height == dst->height && !tex->y_invert &&
		      tex->format == VK_FORMAT_B8G8R8A8_UNORM && !tex->has_alpha;
	if (direct) {
		/* Same size and format: one copy per damaged rectangle, nothing in between. */
		int n;
		const pixman_box32_t *b = pixman_region32_rectangles(region, &n);
		for (int i = 0; i < n; i++) {
			int32_t sx = b[i].x1 - dst->x, sy = b[i].y1 - dst->y;
			VkBufferImageCopy copy = {
				.bufferOffset = tex->buffer_offset +
						(VkDeviceSize)sy * tex->stride +
						(VkDeviceSize)sx * tex->bpp,
				.bufferRowLength = (uint32_t)(tex->stride / tex->bpp),
				.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
				.imageOffset = {b[i].x1, b[i].y1, 0},
				.imageExtent = {(uint32_t)(b[i].x2 - b[i].x1),
						(uint32_t)(b[i].y2 - b[i].y1), 1},
			};
			write_barrier(vr, b[i].x1, b[i].y1, b[i].x2, b[i].y2, true);
			vkCmdCopyBufferToImage(vr->cmd, tex->buffer, vr->out,
					       VK_IMAGE_LAYOUT_GENERAL, 1, &copy);
		}
		pixman_region32_union(&vr->touched, &vr->touched, region);
		return;
	}
	/* Scaled, flipped or converted: through an image of the client's size. */
	if (!tex->image &&
	    !hf_vk_image_create(vk, tex->format, tex->width, tex->height,
				VK_IMAGE_USAGE_TRANSFER_DST_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT,
				&tex->image, &tex->image_mem))
		return;
	hf_vk_barrier(
		vr->cmd, tex->image,
		tex->image_ready ? VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL : VK_IMAGE_LAYOUT_UNDEFINED,
		VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_QUEUE_FAMILY_IGNORED,
		VK_QUEUE_FAMILY_IGNORED, VK_ACCESS_TRANSFER_READ_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
	VkBufferImageCopy copy = {
		.bufferOffset = tex->buffer_offset,
		.bufferRowLength = (uint32_t)(tex->stride / tex->bpp),
		.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
		.imageExtent = {(uint32_t)tex->width, (uint32_t)tex->height, 1},
	};
	vkCmdCopyBufferToImage(vr->cmd, tex->buffer, tex->image,
			       VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &copy);
	hf_vk_barrier(vr->cmd, tex->image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
		      VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_QUEUE_FAMILY_IGNORED,
		      VK_QUEUE_FAMILY_IGNORED, VK_ACCESS_TRANSFER_WRITE_BIT,
		      VK_ACCESS_TRANSFER_READ_BIT);
	tex->image_ready = true;
	blit_to_output(vr, tex, dst, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
	pixman_region32_union_rect(&vr->touched, &vr->touched, dst->x, dst->y, (unsigned)dst->width,
				   (unsigned)dst->height);
}

static void vk_draw(struct hf_renderer *r, struct hf_texture *tex, const struct hf_pixels *src,
		    const struct hf_box *dst, const pixman_region32_t *clip)
{
	struct vk_renderer *vr = vk_renderer(r);
	pixman_region32_t region;
	pixman_region32_init_rect(&region, dst->x, dst->y, (unsigned)dst->width,
				  (unsigned)dst->height);
	pixman_region32_intersect(&region, &region, (pixman_region32_t *)clip);
	pixman_region32_intersect_rect(&region, &region, 0, 0, (unsigned)vr->out_width,
				       (unsigned)vr->out_height);
	if (!pixman_region32_not_empty(&region))
		goto out;
	if (tex->external) {
		draw_external(vr, tex, dst, &region);
		goto out;
	}
	if (!src->data ||
	    !hf_vk_texture_bind_memory(vr->vk, tex, src->data, src->may_shrink, vr->compute))
		goto out;
	if (tex->staging) /* no host import: one more copy, on the CPU */
		memcpy(tex->staging, src->data, tex->stride * (size_t)tex->height);
	if (tex->storage) {
		compose_texture(vr, tex, dst, &region);
		goto out;
	}
	if (vr->compute)
		say_fallback(vr, "a client buffer cannot be bound to the shaders");
	draw_memory_raster(vr, tex, dst, &region);
out:
	pixman_region32_fini(&region);
}

/* Records the copy of region from the output image into the target's buffer. */
static void record_read_back(struct vk_renderer *vr, struct target_buffer *tb,
			     pixman_region32_t *region)
{
	int n;
	const pixman_box32_t *b = pixman_region32_rectangles(region, &n);
	for (int i = 0; i < n; i++) {
		VkBufferImageCopy copy = {
			.bufferOffset = (VkDeviceSize)b[i].y1 * vr->target.stride +
					(VkDeviceSize)b[i].x1 * 4,
			.bufferRowLength = (uint32_t)(vr->target.stride / 4),
			.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
			.imageOffset = {b[i].x1, b[i].y1, 0},
			.imageExtent = {(uint32_t)(b[i].x2 - b[i].x1),
					(uint32_t)(b[i].y2 - b[i].y1), 1},
		};
		vkCmdCopyImageToBuffer(vr->cmd, vr->out, VK_IMAGE_LAYOUT_GENERAL, tb->buffer, 1,
				       &copy);
	}
}

static void copy_staged(struct vk_renderer *vr, struct target_buffer *tb, pixman_region32_t *region)
{
	if (!tb || !tb->map)
		return;
	int n;
	const pixman_box32_t *b = pixman_region32_rectangles(region, &n);
	for (int i = 0; i < n; i++)
		for (int32_t y = b[i].y1; y < b[i].y2; y++) {
			size_t off = (size_t)y * vr->target.stride + (size_t)b[i].x1 * 4;
			memcpy((char *)tb->data + off, (char *)tb->map + off,
			       (size_t)(b[i].x2 - b[i].x1) * 4);
		}
}

static VkResult poll_until(struct vk_renderer *vr, uint64_t value, int64_t until_ns)
{
	do {
		uint64_t now = 0;
		VkResult res = vkGetSemaphoreCounterValue(vr->vk->device, vr->done, &now);
		if (res != VK_SUCCESS || now >= value)
			return res;
	} while (hf_now_ns() < until_ns);
	return VK_TIMEOUT;
}

/*
 * Waits for the done semaphore to reach value, submitted at submit_ns. A sleeping
 * vkWaitSemaphores returns 40-50 us after the device is done on some drivers, a poll sees it in
 * about a microsecond: by default this sleeps until shortly before the completion it expects
 * (the mean of the last ones), then polls, for at most a bounded time, then sleeps in the
 * driver's wait. The poll costs a core for the margin only, and nothing when idle.
 */
static VkResult wait_done(struct vk_renderer *vr, uint64_t value, int64_t submit_ns)
{
	const int64_t timeout_ns = 5 * HF_NSEC_PER_SEC;
	VkSemaphoreWaitInfo wi = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO,
				  .semaphoreCount = 1,
				  .pSemaphores = &vr->done,
				  .pValues = &value};
	if (vr->wait_mode == HF_RENDERER_VULKAN_WAIT_SLEEP)
		return vkWaitSemaphores(vr->vk->device, &wi, (uint64_t)timeout_ns);
	VkResult res;
	if (vr->wait_mode == HF_RENDERER_VULKAN_WAIT_POLL) {
		res = poll_until(vr, value, submit_ns + timeout_ns);
	} else {
		int64_t margin = 30000 + vr->expect_ns / 8;
		int64_t poll_from = submit_ns + vr->expect_ns - margin;
		if (poll_from - hf_now_ns() > 20000)
			hf_sleep_ns(poll_from - hf_now_ns());
		res = poll_until(vr, value, hf_now_ns() + 2 * margin + 100000);
		if (res == VK_TIMEOUT)
			res = vkWaitSemaphores(vr->vk->device, &wi, (uint64_t)timeout_ns);
	}
	if (res == VK_SUCCESS) {
		int64_t took = hf_now_ns() - submit_ns;
		vr->expect_ns = vr->expect_ns ? vr->expect_ns + (took - vr->expect_ns) / 8 : took;
	}
	return res;
}

/* Submits what is recorded and waits for it: the device reads and writes nothing after. */
static bool submit_and_wait(struct vk_renderer *vr, uint64_t value)
{
	struct hf_vk *vk = vr->vk;
	VkPipelineStageFlags stages[MAX_GPU_WAITS];
	for (uint32_t i = 0; i < vr->n_gpu_waits; i++)
		stages[i] = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
	VkTimelineSemaphoreSubmitInfo ts = {
		.sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO,
		.waitSemaphoreValueCount = vr->n_gpu_waits,
		.pWaitSemaphoreValues = vr->gpu_wait_values,
		.signalSemaphoreValueCount = 1,
		.pSignalSemaphoreValues = &value};
	VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
			   .pNext = &ts,
			   .waitSemaphoreCount = vr->n_gpu_waits,
			   .pWaitSemaphores = vr->gpu_waits,
			   .pWaitDstStageMask = stages,
			   .commandBufferCount = 1,
			   .pCommandBuffers = &vr->cmd,
			   .signalSemaphoreCount = 1,
			   .pSignalSemaphores = &vr->done};
	vr->n_gpu_waits = 0;
	int64_t t0 = hf_now_ns();
	VkResult res = vkQueueSubmit(vk->queue, 1, &si, VK_NULL_HANDLE);
	int64_t t1 = hf_now_ns();
	if (res == VK_SUCCESS)
		res = wait_done(vr, value, t1);
	vr->base.submit_ns += (uint64_t)(t1 - t0);
	vr->base.wait_ns += (uint64_t)(hf_now_ns() - t1);
	if (res != VK_SUCCESS) {
		hf_error("the Vulkan device failed a composition: %s", hf_vk_result_str(res));
		/* Nothing can be trusted after that: the presenter stops, with the reason. */
		vr->base.failed = hf_vk_result_str(res);
		return false;
	}
	return true;
}

/* Every target falls behind where the output image was drawn. */
static void targets_fall_behind(struct vk_renderer *vr, pixman_region32_t *drawn)
{
	for (int i = 0; i < MAX_TARGETS; i++)
		if (vr->targets[i].buffer)
			pixman_region32_union(&vr->targets[i].behind, &vr->targets[i].behind,
					      drawn);
}

/* The current target's buffer, and in copy what of want it lacks: what to read back. */
static struct target_buffer *read_back_prepare(struct vk_renderer *vr, pixman_region32_t *want,
					       pixman_region32_t *copy)
{
	struct target_buffer *tb = target_buffer_get(vr, &vr->target);
	if (tb)
		pixman_region32_intersect(copy, &tb->behind, want);
	return tb;
}

static void read_back_done(struct vk_renderer *vr, struct target_buffer *tb,
			   pixman_region32_t *copy)
{
	copy_staged(vr, tb, copy);
	pixman_region32_subtract(&tb->behind, &tb->behind, copy);
}

/* The output image's writes, by shaders or copies, come before the copies to the CPU. */
static void read_back_barrier(struct vk_renderer *vr)
{
	VkMemoryBarrier mb = {.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
			      .srcAccessMask =
				      VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
			      .dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT};
	vkCmdPipelineBarrier(vr->cmd,
			     VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
			     VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &mb, 0, NULL, 0, NULL);
}

static uint64_t vk_end(struct hf_renderer *r)
{
	struct vk_renderer *vr = vk_renderer(r);
	vr->recording = false;
	if (vr->timestamps)
		vkCmdWriteTimestamp(vr->cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, vr->timestamps,
				    1);
	targets_fall_behind(vr, &vr->touched);
	pixman_region32_t copy;
	pixman_region32_init(&copy);
	struct target_buffer *tb = NULL;
	if (pixman_region32_not_empty(&vr->read_back))
		tb = read_back_prepare(vr, &vr->read_back, &copy);
	if (tb && pixman_region32_not_empty(&copy)) {
		read_back_barrier(vr);
		record_read_back(vr, tb, &copy);
	}
	vkEndCommandBuffer(vr->cmd);
	uint64_t number = ++vr->submitted;
	if (submit_and_wait(vr, number)) {
		if (tb)
			read_back_done(vr, tb, &copy);
		if (vr->timestamps) {
			uint64_t ts[2];
			if (vkGetQueryPoolResults(vr->vk->device, vr->timestamps, 0, 2, sizeof(ts),
						  ts, sizeof(ts[0]),
						  VK_QUERY_RESULT_64_BIT) == VK_SUCCESS)
				r->gpu_ns +=
					(uint64_t)((double)(ts[1] - ts[0]) * vr->vk->timestamp_ns);
		}
	}
	pixman_region32_fini(&copy);
	hf_renderer_complete(r, number);
	return number;
}

static void vk_read_back(struct hf_renderer *r, const pixman_region32_t *region)
{
	struct vk_renderer *vr = vk_renderer(r);
	if (!vr->out_defined || !vr->target.data)
		return;
	pixman_region32_t want, copy;
	pixman_region32_init_rect(&want, 0, 0, (unsigned)vr->target.width,
				  (unsigned)vr->target.height);
	if (region)
		pixman_region32_intersect(&want, &want, (pixman_region32_t *)region);
	pixman_region32_init(&copy);
	struct target_buffer *tb = read_back_prepare(vr, &want, &copy);
	if (tb && pixman_region32_not_empty(&copy)) {
		VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
					       .flags =
						       VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
		vkResetCommandBuffer(vr->cmd, 0);
		vkBeginCommandBuffer(vr->cmd, &bi);
		read_back_barrier(vr);
		record_read_back(vr, tb, &copy);
		vkEndCommandBuffer(vr->cmd);
		uint64_t number = ++vr->submitted;
		if (submit_and_wait(vr, number))
			read_back_done(vr, tb, &copy);
		hf_renderer_complete(r, number);
	}
	pixman_region32_fini(&copy);
	pixman_region32_fini(&want);
}

/* The presenter latches a commit only once it has seen its acquire point reached: the
 * producer's signal made its writes available, and the reads' barriers make them visible, so
 * by default the submission does not wait on the device too (that wait cost a queue
 * round-trip for nothing). HF_RENDERER_VULKAN_DEVICE_WAIT keeps it, to measure. */
static void vk_timeline_wait_gpu(struct hf_renderer *r, struct hf_gpu_timeline *tl, uint64_t point)
{
	struct vk_renderer *vr = vk_renderer(r);
	if (!vr->device_wait)
		return;
	for (uint32_t i = 0; i < vr->n_gpu_waits; i++) {
		if (vr->gpu_waits[i] == hf_gpu_timeline_semaphore(tl)) {
			if (point > vr->gpu_wait_values[i])
				vr->gpu_wait_values[i] = point;
			return;
		}
	}
	/* Past the array the wait is only the host's, which saw the point reached. */
	if (vr->n_gpu_waits < MAX_GPU_WAITS) {
		vr->gpu_waits[vr->n_gpu_waits] = hf_gpu_timeline_semaphore(tl);
		vr->gpu_wait_values[vr->n_gpu_waits++] = point;
	}
}

static bool vk_supports_format(struct hf_renderer *r, uint32_t fourcc)
{
	return hf_vk_texture_supports_format(vk_renderer(r)->vk, fourcc);
}

static struct hf_texture *vk_texture_create(struct hf_renderer *r, const struct hf_pixels *src)
{
	return hf_vk_texture_create(vk_renderer(r)->vk, src, vk_renderer(r)->compute);
}

static void vk_texture_destroy(struct hf_renderer *r, struct hf_texture *tex)
{
	hf_vk_texture_destroy(vk_renderer(r)->vk, tex);
}

static struct hf_texture *vk_texture_import_vk(struct hf_renderer *r, int fd,
					       const struct hf_vk_image_desc *d, char *why,
					       size_t why_size)
{
	return hf_vk_texture_import(vk_renderer(r)->vk, fd, d, why, why_size);
}

static void vk_destroy(struct hf_renderer *r)
{
	struct vk_renderer *vr = vk_renderer(r);
	struct hf_vk *vk = vr->vk;
	hf_gpu_timelines_destroy(vr->base.timelines);
	if (vk && vk->device) {
		vkDeviceWaitIdle(vk->device);
		for (int i = 0; i < MAX_TARGETS; i++)
			target_buffer_free(vk, &vr->targets[i]);
		output_image_free(vr);
		hf_vk_compose_finish(&vr->compose, vk);
		if (vr->background)
			vkDestroyImage(vk->device, vr->background, NULL);
		if (vr->background_mem)
			vkFreeMemory(vk->device, vr->background_mem, NULL);
		if (vr->timestamps)
			vkDestroyQueryPool(vk->device, vr->timestamps, NULL);
		if (vr->done)
			vkDestroySemaphore(vk->device, vr->done, NULL);
	}
	for (int i = 0; i < MAX_TARGETS; i++)
		pixman_region32_fini(&vr->targets[i].behind);
	pixman_region32_fini(&vr->touched);
	pixman_region32_fini(&vr->written);
	pixman_region32_fini(&vr->read_back);
	hf_vk_destroy(vk);
	free(vr);
}

static const struct hf_renderer_impl vk_impl = {
	.name = "vulkan",
	.destroy = vk_destroy,
	.supports_format = vk_supports_format,
	.texture_create = vk_texture_create,
	.texture_destroy = vk_texture_destroy,
	.begin = vk_begin,
	.clear = vk_clear,
	.draw = vk_draw,
	.end = vk_end,
	.read_back = vk_read_back,
	.texture_import_vk = vk_texture_import_vk,
	.timeline_wait_gpu = vk_timeline_wait_gpu,
};

static VkSemaphore timeline_semaphore(struct hf_vk *vk)
{
	VkSemaphoreTypeCreateInfo type = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
					  .semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE};
	VkSemaphoreCreateInfo sci = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO,
				     .pNext = &type};
	VkSemaphore s = VK_NULL_HANDLE;
	vkCreateSemaphore(vk->device, &sci, NULL, &s);
	return s;
}

/* The background colour, as a 1x1 image to blit from. */
static bool background_create(struct vk_renderer *vr, uint32_t xrgb)
{
	struct hf_vk *vk = vr->vk;
	if (!hf_vk_image_create(vk, VK_FORMAT_B8G8R8A8_UNORM, 1, 1,
				VK_IMAGE_USAGE_TRANSFER_DST_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT,
				&vr->background, &vr->background_mem))
		return false;
	VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
				       .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
	vkBeginCommandBuffer(vr->cmd, &bi);
	hf_vk_barrier(vr->cmd, vr->background, VK_IMAGE_LAYOUT_UNDEFINED,
		      VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_QUEUE_FAMILY_IGNORED,
		      VK_QUEUE_FAMILY_IGNORED, 0, VK_ACCESS_TRANSFER_WRITE_BIT);
	VkClearColorValue color = {.float32 = {((xrgb >> 16) & 0xff) / 255.0f,
					       ((xrgb >> 8) & 0xff) / 255.0f,
					       (xrgb & 0xff) / 255.0f, 1.0f}};
	VkImageSubresourceRange range = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
	vkCmdClearColorImage(vr->cmd, vr->background, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &color,
			     1, &range);
	hf_vk_barrier(vr->cmd, vr->background, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
		      VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_QUEUE_FAMILY_IGNORED,
		      VK_QUEUE_FAMILY_IGNORED, VK_ACCESS_TRANSFER_WRITE_BIT,
		      VK_ACCESS_TRANSFER_READ_BIT);
	vkEndCommandBuffer(vr->cmd);
	vr->background_xrgb = xrgb;
	return submit_and_wait(vr, ++vr->submitted);
}

struct hf_renderer *hf_renderer_vulkan_create(struct wl_event_loop *loop, unsigned flags, char *why,
					      size_t why_size)
{
	struct vk_renderer *vr = calloc(1, sizeof(*vr));
	if (!vr) {
		snprintf(why, why_size, "out of memory");
		return NULL;
	}
	hf_renderer_init(&vr->base, &vk_impl);
	pixman_region32_init(&vr->touched);
	pixman_region32_init(&vr->written);
	pixman_region32_init(&vr->read_back);
	for (int i = 0; i < MAX_TARGETS; i++)
		pixman_region32_init(&vr->targets[i].behind);
	vr->device_wait = flags & HF_RENDERER_VULKAN_DEVICE_WAIT;
	vr->wait_mode = flags & (HF_RENDERER_VULKAN_WAIT_SLEEP | HF_RENDERER_VULKAN_WAIT_POLL);
	vr->vk = hf_vk_create(!(flags & HF_RENDERER_VULKAN_ALLOW_CPU), why, why_size);
	if (!vr->vk)
		goto err;
	struct hf_vk *vk = vr->vk;
	vk->host_import_read_only =
		vk->host_import && vk->cpu && !(flags & HF_RENDERER_VULKAN_COPY_CLIENT);
	/* On a CPU device a poll takes the cores the device's own threads need: sleep there. */
	if (!vr->wait_mode && vk->cpu)
		vr->wait_mode = HF_RENDERER_VULKAN_WAIT_SLEEP;
	/* The sleep before the poll must end when asked, not up to 50 us later (the default
	 * timer slack of this thread, the event loop's). */
	if (!vr->wait_mode)
		prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
	VkCommandBufferAllocateInfo cai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
					   .commandPool = vk->pool,
					   .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
					   .commandBufferCount = 1};
	vr->done = timeline_semaphore(vk);
	if (vkAllocateCommandBuffers(vk->device, &cai, &vr->cmd) != VK_SUCCESS || !vr->done) {
		snprintf(why, why_size, "cannot set up command buffers on %s", vk->name);
		goto err;
	}
	if (vk->timestamp_ns > 0) {
		VkQueryPoolCreateInfo qci = {.sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO,
					     .queryType = VK_QUERY_TYPE_TIMESTAMP,
					     .queryCount = 2};
		if (vkCreateQueryPool(vk->device, &qci, NULL, &vr->timestamps) != VK_SUCCESS)
			vr->timestamps = VK_NULL_HANDLE;
	}
	char no_compute[128] = "--debug-vk-blit";
	vr->compute = !(flags & HF_RENDERER_VULKAN_BLIT) &&
		      hf_vk_compose_init(&vr->compose, vk, no_compute, sizeof(no_compute));
	if (!vr->compute) {
		vr->said_fallback = true;
		hf_info("Vulkan renderer on %s: composing by blits, the slower raster path (%s)",
			vk->name, no_compute);
	}
	if (!background_create(vr, 0x202428u)) {
		snprintf(why, why_size, "cannot make the background on %s", vk->name);
		goto err;
	}
	if (!(vr->base.timelines = hf_gpu_timelines_create(loop, vk, why, why_size)))
		goto err;
	vr->base.vk_memory = vk->opaque_memory;
	vr->base.vk_timelines = vk->opaque_semaphores;
	vr->base.vk_cpu = vk->cpu;
	vr->base.vk_cpu = vk->cpu;
	memcpy(vr->base.device_uuid, vk->device_uuid, VK_UUID_SIZE);
	memcpy(vr->base.driver_uuid, vk->driver_uuid, VK_UUID_SIZE);
	hf_info("Vulkan renderer on %s: composing by %s, opaque-fd memory %s, opaque-fd "
		"timelines %s, host import %s",
		vk->name, vr->compute ? "compute shaders" : "blits",
		vk->opaque_memory ? "yes" : "no", vk->opaque_semaphores ? "yes" : "no",
		!vk->host_import            ? "no"
		: vk->host_import_read_only ? "yes"
					    : "of writable memory only (client memory is copied)");
	return &vr->base;
err:
	vk_destroy(&vr->base);
	return NULL;
}
