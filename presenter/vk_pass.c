/*
 * The Vulkan renderer's pass (vk_pass.h). Passes are submitted and waited for at submit: the
 * presenter's outputs are CPU memory, and no client point can hold the device back, since a
 * commit is latched only once its acquire point is signaled. Where that point is on a Vulkan
 * timeline, the submission can wait on it on the device as well (HF_RENDERER_VULKAN_DEVICE_WAIT),
 * which orders the reads after the client's writes on the device's own terms (it is reached
 * already: no delay).
 *
 * Client images cross queue families as handoff-v1.xml says: acquired from
 * VK_QUEUE_FAMILY_EXTERNAL in VK_IMAGE_LAYOUT_GENERAL before the read, released back to it in
 * VK_IMAGE_LAYOUT_GENERAL after.
 */
#include "vk_pass.h"

#include "gpu_timeline.h"
#include "log.h"
#include "time_util.h"
#include "vk_memory.h"
#include "vk_texture.h"

#include <drm_fourcc.h>
#include <stdio.h>
#include <string.h>

static struct hf_vk_pass *vk_pass(struct hf_render_pass *pass)
{
	return (struct hf_vk_pass *)pass;
}

/* A write of box that overlaps an earlier write of this pass, or is of the other kind
 * (compute or transfer), waits for what came before; writes side by side run together. */
static void write_barrier(struct hf_vk_pass *p, int32_t x1, int32_t y1, int32_t x2, int32_t y2,
			  bool transfer)
{
	pixman_box32_t box = {x1, y1, x2, y2};
	bool overlap = pixman_region32_contains_rectangle(&p->written, &box) != PIXMAN_REGION_OUT;
	bool other = transfer != p->written_by_transfer && pixman_region32_not_empty(&p->written);
	if (overlap || other) {
		VkMemoryBarrier mb = {
			.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
			.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
			.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
					 VK_ACCESS_TRANSFER_WRITE_BIT};
		VkPipelineStageFlags stages =
			VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
		vkCmdPipelineBarrier(p->cmd, stages, stages, 0, 1, &mb, 0, NULL, 0, NULL);
		pixman_region32_clear(&p->written);
	}
	p->written_by_transfer = transfer;
	pixman_region32_union_rect(&p->written, &p->written, x1, y1, (unsigned)(x2 - x1),
				   (unsigned)(y2 - y1));
}

/* The first thing added begins the command buffer; false: nothing can be drawn. */
static bool recording_start(struct hf_vk_pass *p)
{
	if (p->recording || p->failed)
		return p->recording;
	struct hf_vk_output *o = &p->output;
	if (!hf_vk_output_ensure(o, p->target.width, p->target.height) ||
	    vkResetCommandBuffer(p->cmd, 0) != VK_SUCCESS) {
		hf_error("the Vulkan renderer cannot draw into a %dx%d output", p->target.width,
			 p->target.height);
		p->drawn.data = NULL;
		p->failed = true;
		return false;
	}
	VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
				       .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
	vkBeginCommandBuffer(p->cmd, &bi);
	p->compose.bound = VK_NULL_HANDLE;
	if (p->timestamps) {
		vkCmdResetQueryPool(p->cmd, p->timestamps, 0, 2);
		vkCmdWriteTimestamp(p->cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, p->timestamps, 0);
	}
	/* The output image keeps the last composition: only what is drawn changes. The last
	 * submission was waited for: only the layout, the first time, has to change. */
	if (!o->defined)
		hf_vk_barrier(p->cmd, o->image, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_GENERAL,
			      VK_QUEUE_FAMILY_IGNORED, VK_QUEUE_FAMILY_IGNORED, 0,
			      VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
				      VK_ACCESS_TRANSFER_WRITE_BIT);
	o->defined = true;
	p->drawn = p->target;
	p->recording = true;
	return true;
}

/* Fallback: the 1x1 background image takes colour, recorded before the blits that use it. */
static void background_set(struct hf_vk_pass *p, uint32_t xrgb)
{
	if (p->background_xrgb == xrgb)
		return;
	hf_vk_barrier(p->cmd, p->background, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
		      VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_QUEUE_FAMILY_IGNORED,
		      VK_QUEUE_FAMILY_IGNORED, VK_ACCESS_TRANSFER_READ_BIT,
		      VK_ACCESS_TRANSFER_WRITE_BIT);
	VkClearColorValue color = {.float32 = {((xrgb >> 16) & 0xff) / 255.0f,
					       ((xrgb >> 8) & 0xff) / 255.0f,
					       (xrgb & 0xff) / 255.0f, 1.0f}};
	VkImageSubresourceRange range = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
	vkCmdClearColorImage(p->cmd, p->background, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &color, 1,
			     &range);
	hf_vk_barrier(p->cmd, p->background, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
		      VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_QUEUE_FAMILY_IGNORED,
		      VK_QUEUE_FAMILY_IGNORED, VK_ACCESS_TRANSFER_WRITE_BIT,
		      VK_ACCESS_TRANSFER_READ_BIT);
	p->background_xrgb = xrgb;
}

static void vk_pass_add_rect(struct hf_render_pass *pass, const struct hf_render_rect_options *opts)
{
	struct hf_vk_pass *p = vk_pass(pass);
	if (!recording_start(p))
		return;
	uint32_t xrgb = opts->xrgb & 0xffffff;
	int n;
	const pixman_box32_t *boxes =
		pixman_region32_rectangles((pixman_region32_t *)opts->region, &n);
	if (n > 0 && !p->compute)
		background_set(p, xrgb);
	for (int i = 0; i < n; i++) {
		const pixman_box32_t *b = &boxes[i];
		write_barrier(p, b->x1, b->y1, b->x2, b->y2, !p->compute);
		if (p->compute) {
			struct hf_compose_params params = {
				.rect_min = {b->x1, b->y1},
				.rect_size = {b->x2 - b->x1, b->y2 - b->y1},
				.format = xrgb};
			hf_vk_compose_clear(&p->compose, p->vk, p->cmd, p->output.view, &params);
			continue;
		}
		VkImageBlit blit = {
			.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
			.srcOffsets = {{0, 0, 0}, {1, 1, 1}},
			.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
			.dstOffsets = {{b->x1, b->y1, 0}, {b->x2, b->y2, 1}},
		};
		vkCmdBlitImage(p->cmd, p->background, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
			       p->output.image, VK_IMAGE_LAYOUT_GENERAL, 1, &blit,
			       VK_FILTER_NEAREST);
	}
	pixman_region32_union(&p->touched, &p->touched, (pixman_region32_t *)opts->region);
}

static void say_fallback(struct hf_vk_pass *p, const char *why)
{
	if (p->said_fallback)
		return;
	p->said_fallback = true;
	hf_info("Vulkan renderer: %s; such windows are drawn by blits, the slower raster path",
		why);
}

static void blit_to_output(struct hf_vk_pass *p, struct hf_texture *tex, const struct hf_box *dst,
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
	if (dst->x < 0 || dst->y < 0 || dst->x + dst->width > p->output.width ||
	    dst->y + dst->height > p->output.height) {
		say_fallback(p, "a window reaches past the output, which a blit cannot draw");
		return;
	}
	write_barrier(p, dst->x, dst->y, dst->x + dst->width, dst->y + dst->height, true);
	vkCmdBlitImage(p->cmd, tex->image, layout, p->output.image, VK_IMAGE_LAYOUT_GENERAL, 1,
		       &blit, scaled ? VK_FILTER_LINEAR : VK_FILTER_NEAREST);
}

/* One dispatch per rectangle of region: tex read once, as pixman would, into the output. */
static void compose_texture(struct hf_vk_pass *p, struct hf_texture *tex, const struct hf_box *dst,
			    pixman_region32_t *region, bool blend)
{
	bool scaled = tex->width != dst->width || tex->height != dst->height;
	struct hf_compose_params params = {
		.box_min = {dst->x, dst->y},
		.box_size = {dst->width, dst->height},
		.src_size = {tex->width, tex->height},
		.flags = (blend ? HF_COMPOSE_BLEND : HF_COMPOSE_OPAQUE) |
			 (tex->y_invert ? HF_COMPOSE_Y_INVERT : 0) |
			 (tex->wide ? HF_COMPOSE_WIDE : 0) | (scaled ? HF_COMPOSE_SCALED : 0),
		.format = tex->compose_format,
		.offset = (uint32_t)(tex->buffer_offset / 4),
		.stride = (uint32_t)(tex->stride / 4),
	};
	int n;
	const pixman_box32_t *b = pixman_region32_rectangles(region, &n);
	for (int i = 0; i < n; i++) {
		write_barrier(p, b[i].x1, b[i].y1, b[i].x2, b[i].y2, false);
		params.rect_min[0] = b[i].x1;
		params.rect_min[1] = b[i].y1;
		params.rect_size[0] = b[i].x2 - b[i].x1;
		params.rect_size[1] = b[i].y2 - b[i].y1;
		if (tex->external)
			hf_vk_compose_image(&p->compose, p->vk, p->cmd, p->output.view, tex->view,
					    &params);
		else
			hf_vk_compose_buffer(&p->compose, p->vk, p->cmd, p->output.view,
					     tex->buffer, &params);
	}
	pixman_region32_union(&p->touched, &p->touched, region);
}

static void draw_external(struct hf_vk_pass *p, struct hf_texture *tex, const struct hf_box *dst,
			  pixman_region32_t *region, bool blend)
{
	struct hf_vk *vk = p->vk;
	bool scaled = tex->width != dst->width || tex->height != dst->height;
	bool compute = p->compute && hf_vk_texture_view(vk, tex, scaled);
	if (p->compute && !compute)
		say_fallback(p, "a client image cannot be sampled");
	/* The client's image: ours between these two ownership transfers only. */
	VkImageLayout layout =
		compute ? VK_IMAGE_LAYOUT_GENERAL : VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
	VkAccessFlags access = compute ? VK_ACCESS_SHADER_READ_BIT : VK_ACCESS_TRANSFER_READ_BIT;
	hf_vk_barrier(p->cmd, tex->image, VK_IMAGE_LAYOUT_GENERAL, layout, VK_QUEUE_FAMILY_EXTERNAL,
		      vk->queue_family, 0, access);
	if (compute) {
		compose_texture(p, tex, dst, region, blend);
	} else {
		blit_to_output(p, tex, dst, layout);
		pixman_region32_union_rect(&p->touched, &p->touched, dst->x, dst->y,
					   (unsigned)dst->width, (unsigned)dst->height);
	}
	hf_vk_barrier(p->cmd, tex->image, layout, VK_IMAGE_LAYOUT_GENERAL, vk->queue_family,
		      VK_QUEUE_FAMILY_EXTERNAL, access, 0);
}

/* Fallback for client memory: copies (same size and format) or blits through an image. */
static void draw_memory_raster(struct hf_vk_pass *p, struct hf_texture *tex,
			       const struct hf_box *dst, pixman_region32_t *region)
{
	struct hf_vk *vk = p->vk;
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
			write_barrier(p, b[i].x1, b[i].y1, b[i].x2, b[i].y2, true);
			vkCmdCopyBufferToImage(p->cmd, tex->buffer, p->output.image,
					       VK_IMAGE_LAYOUT_GENERAL, 1, &copy);
		}
		pixman_region32_union(&p->touched, &p->touched, region);
		return;
	}
	/* Scaled, flipped or converted: through an image of the client's size. */
	if (!tex->image &&
	    !hf_vk_image_create(vk, tex->format, tex->width, tex->height,
				VK_IMAGE_USAGE_TRANSFER_DST_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT,
				&tex->image, &tex->image_mem))
		return;
	hf_vk_barrier(
		p->cmd, tex->image,
		tex->image_ready ? VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL : VK_IMAGE_LAYOUT_UNDEFINED,
		VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_QUEUE_FAMILY_IGNORED,
		VK_QUEUE_FAMILY_IGNORED, VK_ACCESS_TRANSFER_READ_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
	VkBufferImageCopy copy = {
		.bufferOffset = tex->buffer_offset,
		.bufferRowLength = (uint32_t)(tex->stride / tex->bpp),
		.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
		.imageExtent = {(uint32_t)tex->width, (uint32_t)tex->height, 1},
	};
	vkCmdCopyBufferToImage(p->cmd, tex->buffer, tex->image,
			       VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &copy);
	hf_vk_barrier(p->cmd, tex->image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
		      VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_QUEUE_FAMILY_IGNORED,
		      VK_QUEUE_FAMILY_IGNORED, VK_ACCESS_TRANSFER_WRITE_BIT,
		      VK_ACCESS_TRANSFER_READ_BIT);
	tex->image_ready = true;
	blit_to_output(p, tex, dst, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
	pixman_region32_union_rect(&p->touched, &p->touched, dst->x, dst->y, (unsigned)dst->width,
				   (unsigned)dst->height);
}

static void vk_pass_add_texture(struct hf_render_pass *pass,
				const struct hf_render_texture_options *opts)
{
	struct hf_vk_pass *p = vk_pass(pass);
	if (!recording_start(p))
		return;
	struct hf_texture *tex = opts->texture;
	const struct hf_box *dst = &opts->dst;
	const struct hf_pixels *src = opts->src;
	bool blend = tex->has_alpha && opts->blend_mode == HF_BLEND_PREMULTIPLIED;
	pixman_region32_t region;
	pixman_region32_init_rect(&region, dst->x, dst->y, (unsigned)dst->width,
				  (unsigned)dst->height);
	if (opts->clip)
		pixman_region32_intersect(&region, &region, (pixman_region32_t *)opts->clip);
	pixman_region32_intersect_rect(&region, &region, 0, 0, (unsigned)p->output.width,
				       (unsigned)p->output.height);
	if (!pixman_region32_not_empty(&region))
		goto out;
	if (tex->external) {
		draw_external(p, tex, dst, &region, blend);
		goto out;
	}
	if (!src->data ||
	    !hf_vk_texture_bind_memory(p->vk, tex, src->data, src->may_shrink, p->compute))
		goto out;
	if (tex->staging) /* no host import: one more copy, on the CPU */
		memcpy(tex->staging, src->data, tex->stride * (size_t)tex->height);
	if (tex->storage) {
		compose_texture(p, tex, dst, &region, blend);
		goto out;
	}
	if (p->compute)
		say_fallback(p, "a client buffer cannot be bound to the shaders");
	draw_memory_raster(p, tex, dst, &region);
out:
	pixman_region32_fini(&region);
}

/* Submits what is recorded and waits for it: the device reads and writes nothing after. */
static bool submit_and_wait(struct hf_vk_pass *p, uint64_t value)
{
	struct hf_vk *vk = p->vk;
	VkPipelineStageFlags stages[HF_VK_PASS_MAX_WAITS];
	for (uint32_t i = 0; i < p->n_gpu_waits; i++)
		stages[i] = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
	VkTimelineSemaphoreSubmitInfo ts = {
		.sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO,
		.waitSemaphoreValueCount = p->n_gpu_waits,
		.pWaitSemaphoreValues = p->gpu_wait_values,
		.signalSemaphoreValueCount = 1,
		.pSignalSemaphoreValues = &value};
	VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
			   .pNext = &ts,
			   .waitSemaphoreCount = p->n_gpu_waits,
			   .pWaitSemaphores = p->gpu_waits,
			   .pWaitDstStageMask = stages,
			   .commandBufferCount = 1,
			   .pCommandBuffers = &p->cmd,
			   .signalSemaphoreCount = 1,
			   .pSignalSemaphores = &p->waiter.done};
	p->n_gpu_waits = 0;
	int64_t t0 = hf_now_ns();
	VkResult res = vkQueueSubmit(vk->queue, 1, &si, VK_NULL_HANDLE);
	int64_t t1 = hf_now_ns();
	if (res == VK_SUCCESS)
		res = hf_vk_waiter_wait(&p->waiter, value, t1);
	p->renderer->submit_ns += (uint64_t)(t1 - t0);
	p->renderer->wait_ns += (uint64_t)(hf_now_ns() - t1);
	if (res != VK_SUCCESS) {
		hf_error("the Vulkan device failed a composition: %s", hf_vk_result_str(res));
		/* Nothing can be trusted after that: the presenter stops, with the reason. */
		p->renderer->failed = hf_vk_result_str(res);
		return false;
	}
	return true;
}

/* What was drawn goes to the device, and the read-back region to the target. */
static uint64_t submit_drawn(struct hf_vk_pass *p)
{
	if (p->timestamps)
		vkCmdWriteTimestamp(p->cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, p->timestamps, 1);
	hf_vk_output_drawn(&p->output, &p->touched);
	pixman_region32_t copy;
	pixman_region32_init(&copy);
	struct hf_vk_target *tb = NULL;
	if (pixman_region32_not_empty(&p->read_back) &&
	    (tb = hf_vk_output_target(&p->output, &p->target)))
		pixman_region32_intersect(&copy, &tb->behind, &p->read_back);
	if (tb && pixman_region32_not_empty(&copy))
		hf_vk_output_record_copy(&p->output, p->cmd, tb, &copy);
	vkEndCommandBuffer(p->cmd);
	uint64_t number = ++p->submitted;
	if (submit_and_wait(p, number)) {
		if (tb)
			hf_vk_output_copied(&p->output, tb, &copy);
		if (p->timestamps) {
			uint64_t ts[2];
			if (vkGetQueryPoolResults(p->vk->device, p->timestamps, 0, 2, sizeof(ts),
						  ts, sizeof(ts[0]),
						  VK_QUERY_RESULT_64_BIT) == VK_SUCCESS)
				p->renderer->gpu_ns +=
					(uint64_t)((double)(ts[1] - ts[0]) * p->vk->timestamp_ns);
		}
	}
	pixman_region32_fini(&copy);
	hf_renderer_complete(p->renderer, number);
	return number;
}

/* Nothing added: the target, if it is the one last drawn, gets what it lacks of the read-back
 * region. Returns the last number when there is nothing to copy. */
static uint64_t submit_read_back(struct hf_vk_pass *p)
{
	const struct hf_pixels *t = &p->target, *d = &p->drawn;
	p->n_gpu_waits = 0;
	if (!p->output.image || !p->output.defined || !d->data || t->data != d->data ||
	    t->width != d->width || t->height != d->height || t->stride != d->stride ||
	    !pixman_region32_not_empty(&p->read_back))
		return p->submitted;
	uint64_t number = p->submitted;
	pixman_region32_t copy;
	pixman_region32_init(&copy);
	struct hf_vk_target *tb = hf_vk_output_target(&p->output, t);
	if (tb)
		pixman_region32_intersect(&copy, &tb->behind, &p->read_back);
	if (tb && pixman_region32_not_empty(&copy)) {
		VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
					       .flags =
						       VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
		vkResetCommandBuffer(p->cmd, 0);
		vkBeginCommandBuffer(p->cmd, &bi);
		hf_vk_output_record_copy(&p->output, p->cmd, tb, &copy);
		vkEndCommandBuffer(p->cmd);
		number = ++p->submitted;
		if (submit_and_wait(p, number))
			hf_vk_output_copied(&p->output, tb, &copy);
		hf_renderer_complete(p->renderer, number);
	}
	pixman_region32_fini(&copy);
	return number;
}

static uint64_t vk_pass_submit(struct hf_render_pass *pass)
{
	struct hf_vk_pass *p = vk_pass(pass);
	uint64_t number = 0;
	if (p->recording)
		number = submit_drawn(p);
	else if (!p->failed)
		number = submit_read_back(p);
	p->n_gpu_waits = 0;
	p->active = p->recording = p->failed = false;
	return number;
}

static const struct hf_render_pass_impl vk_pass_impl = {
	.add_texture = vk_pass_add_texture,
	.add_rect = vk_pass_add_rect,
	.submit = vk_pass_submit,
};

/* The presenter latches a commit only once it has seen its acquire point reached: the
 * producer's signal made its writes available, and the reads' barriers make them visible, so
 * by default the submission does not wait on the device too (that wait cost a queue
 * round-trip for nothing). HF_RENDERER_VULKAN_DEVICE_WAIT keeps it, to measure. */
static void add_gpu_wait(struct hf_vk_pass *p, const struct hf_render_wait *wait)
{
	VkSemaphore semaphore = hf_gpu_timeline_semaphore(wait->timeline);
	for (uint32_t i = 0; i < p->n_gpu_waits; i++) {
		if (p->gpu_waits[i] == semaphore) {
			if (wait->point > p->gpu_wait_values[i])
				p->gpu_wait_values[i] = wait->point;
			return;
		}
	}
	/* Past the array the wait is only the host's, which saw the point reached. */
	if (p->n_gpu_waits < HF_VK_PASS_MAX_WAITS) {
		p->gpu_waits[p->n_gpu_waits] = semaphore;
		p->gpu_wait_values[p->n_gpu_waits++] = wait->point;
	}
}

struct hf_render_pass *hf_vk_pass_begin(struct hf_vk_pass *p, const struct hf_pixels *target,
					const struct hf_pass_options *options)
{
	if (p->active || target->fourcc != DRM_FORMAT_XRGB8888)
		return NULL;
	p->active = true;
	p->target = *target;
	p->n_gpu_waits = 0;
	pixman_region32_clear(&p->touched);
	pixman_region32_clear(&p->written);
	pixman_region32_clear(&p->read_back);
	if (options->read_back)
		pixman_region32_intersect_rect(&p->read_back,
					       (pixman_region32_t *)options->read_back, 0, 0,
					       (unsigned)target->width, (unsigned)target->height);
	for (size_t i = 0; p->device_wait && i < options->n_waits; i++)
		add_gpu_wait(p, &options->waits[i]);
	return &p->base;
}

/* The background colour, as a 1x1 image to blit from. */
static bool background_create(struct hf_vk_pass *p, uint32_t xrgb)
{
	struct hf_vk *vk = p->vk;
	if (!hf_vk_image_create(vk, VK_FORMAT_B8G8R8A8_UNORM, 1, 1,
				VK_IMAGE_USAGE_TRANSFER_DST_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT,
				&p->background, &p->background_mem))
		return false;
	VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
				       .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
	vkBeginCommandBuffer(p->cmd, &bi);
	hf_vk_barrier(p->cmd, p->background, VK_IMAGE_LAYOUT_UNDEFINED,
		      VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_QUEUE_FAMILY_IGNORED,
		      VK_QUEUE_FAMILY_IGNORED, 0, VK_ACCESS_TRANSFER_WRITE_BIT);
	VkClearColorValue color = {.float32 = {((xrgb >> 16) & 0xff) / 255.0f,
					       ((xrgb >> 8) & 0xff) / 255.0f,
					       (xrgb & 0xff) / 255.0f, 1.0f}};
	VkImageSubresourceRange range = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
	vkCmdClearColorImage(p->cmd, p->background, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &color, 1,
			     &range);
	hf_vk_barrier(p->cmd, p->background, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
		      VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_QUEUE_FAMILY_IGNORED,
		      VK_QUEUE_FAMILY_IGNORED, VK_ACCESS_TRANSFER_WRITE_BIT,
		      VK_ACCESS_TRANSFER_READ_BIT);
	vkEndCommandBuffer(p->cmd);
	p->background_xrgb = xrgb;
	return submit_and_wait(p, ++p->submitted);
}

bool hf_vk_pass_init(struct hf_vk_pass *p, struct hf_renderer *r, struct hf_vk *vk, unsigned flags,
		     char *why, size_t why_size)
{
	*p = (struct hf_vk_pass){.renderer = r, .vk = vk};
	hf_render_pass_init(&p->base, &vk_pass_impl);
	pixman_region32_init(&p->touched);
	pixman_region32_init(&p->written);
	pixman_region32_init(&p->read_back);
	p->device_wait = flags & HF_RENDERER_VULKAN_DEVICE_WAIT;
	unsigned wait_mode = flags & (HF_RENDERER_VULKAN_WAIT_SLEEP | HF_RENDERER_VULKAN_WAIT_POLL);
	VkCommandBufferAllocateInfo cai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
					   .commandPool = vk->pool,
					   .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
					   .commandBufferCount = 1};
	bool waiter = hf_vk_waiter_init(&p->waiter, vk, wait_mode);
	if (vkAllocateCommandBuffers(vk->device, &cai, &p->cmd) != VK_SUCCESS || !waiter) {
		snprintf(why, why_size, "cannot set up command buffers on %s", vk->name);
		return false;
	}
	if (vk->timestamp_ns > 0) {
		VkQueryPoolCreateInfo qci = {.sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO,
					     .queryType = VK_QUERY_TYPE_TIMESTAMP,
					     .queryCount = 2};
		if (vkCreateQueryPool(vk->device, &qci, NULL, &p->timestamps) != VK_SUCCESS)
			p->timestamps = VK_NULL_HANDLE;
	}
	char no_compute[128] = "--debug-vk-blit";
	p->compute = !(flags & HF_RENDERER_VULKAN_BLIT) &&
		     hf_vk_compose_init(&p->compose, vk, no_compute, sizeof(no_compute));
	if (!p->compute) {
		p->said_fallback = true;
		hf_info("Vulkan renderer on %s: composing by blits, the slower raster path (%s)",
			vk->name, no_compute);
	}
	hf_vk_output_init(&p->output, vk, p->compute);
	if (!background_create(p, 0x202428u)) {
		snprintf(why, why_size, "cannot make the background on %s", vk->name);
		return false;
	}
	return true;
}

void hf_vk_pass_finish(struct hf_vk_pass *p)
{
	struct hf_vk *vk = p->vk;
	if (vk && vk->device) {
		vkDeviceWaitIdle(vk->device);
		hf_vk_output_finish(&p->output);
		hf_vk_compose_finish(&p->compose, vk);
		if (p->background)
			vkDestroyImage(vk->device, p->background, NULL);
		if (p->background_mem)
			vkFreeMemory(vk->device, p->background_mem, NULL);
		if (p->timestamps)
			vkDestroyQueryPool(vk->device, p->timestamps, NULL);
		hf_vk_waiter_finish(&p->waiter);
	}
	pixman_region32_fini(&p->touched);
	pixman_region32_fini(&p->written);
	pixman_region32_fini(&p->read_back);
}
