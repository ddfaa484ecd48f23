/*
 * The Vulkan renderer: the patterns as rectangles into the SDK's exported images, each stored
 * by a compute shader (shaders/fill.comp) where the images can be storage images: on some
 * GPUs everything on the raster path runs at a fraction of the memory's bandwidth. Otherwise
 * they are cleared with vkCmdClearAttachments inside a render pass (no shaders).
 *
 * A frame is drawn in one or two submissions (rows [0, half), then the rest, with the render
 * thread's delay in between). The first waits for the presenter's release on the GPU where the
 * release timeline is a Vulkan one and acquires the image; the last releases it and signals
 * the frame's timeline value, so the acquire point follows the GPU's completion, never the
 * submission.
 *
 * Queue family ownership and layouts (handoff-v1's convention for Vulkan images): between
 * frames an image belongs to VK_QUEUE_FAMILY_EXTERNAL in VK_IMAGE_LAYOUT_GENERAL. The producer
 * acquires it from EXTERNAL with oldLayout GENERAL (UNDEFINED, without a transfer, the first
 * time) into COLOR_ATTACHMENT_OPTIMAL (GENERAL for the shader), renders, and releases it to
 * EXTERNAL with newLayout GENERAL. The presenter acquires from EXTERNAL in
 * GENERAL and releases back to EXTERNAL in GENERAL. (hp_vk_cmd_acquire/release record it.)
 */
#define VK_NO_PROTOTYPES
#include "pattern_rects.h"
#include "renderer.h"
#include "time_util.h"
#include "vk_device.h"

#include <stdio.h>
#include <stdlib.h>

#include "fill.spv.h"

#define MAX_IMAGES 16
/* Command buffers in flight: two per frame, for 16 frames. */
#define RING           32
#define GPU_TIMEOUT_NS (10 * HF_NSEC_PER_SEC)

struct vk_target {
	VkImage image; /* VK_NULL_HANDLE: not seen yet */
	VkImageView view;
	VkFramebuffer framebuffer; /* render pass only */
	VkDescriptorSet set;       /* compute only: the view as a storage image */
};

struct vk_renderer {
	struct hp_renderer base;
	struct hp_vk_context *ctx;
	const struct hp_vk_device_fns *fn;
	VkFormat format; /* of the images, set by the first frame */
	bool chosen;     /* compute or render pass, at the first frame */
	VkRenderPass render_pass;
	/* The compute path. */
	bool compute;
	VkDescriptorSetLayout set_layout;
	VkPipelineLayout layout;
	VkPipeline pipeline;
	VkDescriptorPool sets;
	VkCommandPool pool;
	VkCommandBuffer cmds[RING];
	/* What each command buffer last drew: done once semaphore reaches frame. */
	struct {
		VkSemaphore semaphore;
		uint64_t frame;
	} cmd_done[RING];
	unsigned next_cmd;
	struct vk_target targets[MAX_IMAGES];
	VkSemaphore last_semaphore; /* the newest frame signaled, for destroy */
	uint64_t last_frame;
	struct hp_rect rects[HP_PATTERN_MAX_RECTS];
};

static void report(struct vk_renderer *r, const char *what, VkResult result)
{
	fprintf(stderr, "handoff-producer: Vulkan on %s: %s: %s (VkResult %d)\n", r->ctx->name,
		what, hf_vk_result_str(result), (int)result);
	if (result == VK_TIMEOUT)
		r->ctx->stuck = true;
}

static bool wait_value(struct vk_renderer *r, VkSemaphore sem, uint64_t value, int64_t timeout_ns)
{
	VkSemaphoreWaitInfo wait = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO,
		.semaphoreCount = 1,
		.pSemaphores = &sem,
		.pValues = &value,
	};
	VkResult res = r->fn->vkWaitSemaphores(r->ctx->device, &wait, (uint64_t)timeout_ns);
	if (res != VK_SUCCESS) {
		char what[96];
		snprintf(what, sizeof(what), "waiting for frame %llu to complete on the GPU",
			 (unsigned long long)value);
		report(r, what, res);
		return false;
	}
	return true;
}

static bool create_render_pass(struct vk_renderer *r, VkFormat format)
{
	VkAttachmentDescription attachment = {
		.format = format,
		.samples = VK_SAMPLE_COUNT_1_BIT,
		/* Two submissions draw one frame, each its own rows: keep what is there. */
		.loadOp = VK_ATTACHMENT_LOAD_OP_LOAD,
		.storeOp = VK_ATTACHMENT_STORE_OP_STORE,
		.stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
		.stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
		.initialLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
		.finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
	};
	VkAttachmentReference ref = {0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
	VkSubpassDescription subpass = {
		.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS,
		.colorAttachmentCount = 1,
		.pColorAttachments = &ref,
	};
	VkRenderPassCreateInfo info = {
		.sType = VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO,
		.attachmentCount = 1,
		.pAttachments = &attachment,
		.subpassCount = 1,
		.pSubpasses = &subpass,
	};
	VkResult res = r->fn->vkCreateRenderPass(r->ctx->device, &info, NULL, &r->render_pass);
	if (res != VK_SUCCESS) {
		report(r, "cannot create a render pass", res);
		return false;
	}
	r->format = format;
	return true;
}

static bool create_compute(struct vk_renderer *r, VkFormat format)
{
	const struct hp_vk_device_fns *fn = r->fn;
	VkDevice dev = r->ctx->device;
	VkDescriptorSetLayoutBinding binding = {
		.binding = 0,
		.descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_IMAGE,
		.descriptorCount = 1,
		.stageFlags = VK_SHADER_STAGE_COMPUTE_BIT,
	};
	VkDescriptorSetLayoutCreateInfo sli = {
		.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
		.bindingCount = 1,
		.pBindings = &binding,
	};
	VkPushConstantRange range = {VK_SHADER_STAGE_COMPUTE_BIT, 0, 32};
	VkPipelineLayoutCreateInfo pli = {
		.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
		.setLayoutCount = 1,
		.pSetLayouts = &r->set_layout,
		.pushConstantRangeCount = 1,
		.pPushConstantRanges = &range,
	};
	VkDescriptorPoolSize size = {VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, MAX_IMAGES};
	VkDescriptorPoolCreateInfo dpi = {
		.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
		.maxSets = MAX_IMAGES,
		.poolSizeCount = 1,
		.pPoolSizes = &size,
	};
	VkShaderModuleCreateInfo mi = {
		.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
		.codeSize = sizeof(fill_spv),
		.pCode = fill_spv,
	};
	VkShaderModule module = VK_NULL_HANDLE;
	VkResult res = fn->vkCreateDescriptorSetLayout(dev, &sli, NULL, &r->set_layout);
	if (res == VK_SUCCESS)
		res = fn->vkCreatePipelineLayout(dev, &pli, NULL, &r->layout);
	if (res == VK_SUCCESS)
		res = fn->vkCreateDescriptorPool(dev, &dpi, NULL, &r->sets);
	if (res == VK_SUCCESS)
		res = fn->vkCreateShaderModule(dev, &mi, NULL, &module);
	if (res == VK_SUCCESS) {
		VkComputePipelineCreateInfo ci = {
			.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
			.stage = {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
				  .stage = VK_SHADER_STAGE_COMPUTE_BIT,
				  .module = module,
				  .pName = "main"},
			.layout = r->layout,
		};
		res = fn->vkCreateComputePipelines(dev, VK_NULL_HANDLE, 1, &ci, NULL, &r->pipeline);
		fn->vkDestroyShaderModule(dev, module, NULL);
	}
	if (res != VK_SUCCESS) {
		report(r, "cannot make the compute pipeline; drawing in a render pass", res);
		return false;
	}
	r->format = format;
	return true;
}

static void target_finish(struct vk_renderer *r, struct vk_target *t)
{
	if (t->framebuffer)
		r->fn->vkDestroyFramebuffer(r->ctx->device, t->framebuffer, NULL);
	if (t->view)
		r->fn->vkDestroyImageView(r->ctx->device, t->view, NULL);
	/* The set stays, to be written again: the pool frees them all at the end. */
	*t = (struct vk_target){.set = t->set};
}

static bool target_bind_set(struct vk_renderer *r, struct vk_target *t)
{
	if (!t->set) {
		VkDescriptorSetAllocateInfo ai = {
			.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
			.descriptorPool = r->sets,
			.descriptorSetCount = 1,
			.pSetLayouts = &r->set_layout,
		};
		VkResult res = r->fn->vkAllocateDescriptorSets(r->ctx->device, &ai, &t->set);
		if (res != VK_SUCCESS) {
			report(r, "cannot allocate a descriptor set", res);
			t->set = VK_NULL_HANDLE;
			return false;
		}
	}
	VkDescriptorImageInfo info = {.imageView = t->view, .imageLayout = VK_IMAGE_LAYOUT_GENERAL};
	VkWriteDescriptorSet w = {
		.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
		.dstSet = t->set,
		.dstBinding = 0,
		.descriptorCount = 1,
		.descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_IMAGE,
		.pImageInfo = &info,
	};
	r->fn->vkUpdateDescriptorSets(r->ctx->device, 1, &w, 0, NULL);
	return true;
}

/* The view and framebuffer of a window image, made the first time it is drawn. */
static struct vk_target *target_get(struct vk_renderer *r, const struct hp_render_target *rt)
{
	const struct hp_vk_frame *vf = &rt->vk;
	if (vf->index >= MAX_IMAGES)
		return NULL;
	struct vk_target *t = &r->targets[vf->index];
	if (t->image == vf->image)
		return t;
	target_finish(r, t);
	VkImageViewCreateInfo view_info = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
		.image = vf->image,
		.viewType = VK_IMAGE_VIEW_TYPE_2D,
		.format = vf->format,
		.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1},
	};
	VkResult res = r->fn->vkCreateImageView(r->ctx->device, &view_info, NULL, &t->view);
	if (res != VK_SUCCESS) {
		report(r, "cannot create an image view", res);
		return NULL;
	}
	if (r->compute) {
		if (!target_bind_set(r, t)) {
			target_finish(r, t);
			return NULL;
		}
		t->image = vf->image;
		return t;
	}
	VkFramebufferCreateInfo fb_info = {
		.sType = VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO,
		.renderPass = r->render_pass,
		.attachmentCount = 1,
		.pAttachments = &t->view,
		.width = (uint32_t)rt->frame.width,
		.height = (uint32_t)rt->frame.height,
		.layers = 1,
	};
	res = r->fn->vkCreateFramebuffer(r->ctx->device, &fb_info, NULL, &t->framebuffer);
	if (res != VK_SUCCESS) {
		report(r, "cannot create a framebuffer", res);
		target_finish(r, t);
		return NULL;
	}
	t->image = vf->image;
	return t;
}

/* A command buffer whose previous use the GPU has completed. */
static VkCommandBuffer next_cmd(struct vk_renderer *r)
{
	unsigned i = r->next_cmd++ % RING;
	if (r->cmd_done[i].semaphore &&
	    !wait_value(r, r->cmd_done[i].semaphore, r->cmd_done[i].frame, GPU_TIMEOUT_NS))
		return VK_NULL_HANDLE;
	VkResult res = r->fn->vkResetCommandBuffer(r->cmds[i], 0);
	if (res != VK_SUCCESS) {
		report(r, "cannot reset a command buffer", res);
		return VK_NULL_HANDLE;
	}
	r->cmd_done[i].semaphore = VK_NULL_HANDLE;
	return r->cmds[i];
}

static void mark_cmd(struct vk_renderer *r, VkSemaphore sem, uint64_t frame)
{
	unsigned i = (r->next_cmd - 1) % RING;
	r->cmd_done[i].semaphore = sem;
	r->cmd_done[i].frame = frame;
}

static void record_rects(struct vk_renderer *r, VkCommandBuffer cmd, const struct vk_target *t,
			 const struct hp_render_target *rt, enum hp_pattern pattern, int32_t y0,
			 int32_t y1)
{
	const struct hp_frame *f = &rt->frame;
	VkRenderPassBeginInfo begin = {
		.sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
		.renderPass = r->render_pass,
		.framebuffer = t->framebuffer,
		.renderArea = {{0, y0}, {(uint32_t)f->width, (uint32_t)(y1 - y0)}},
	};
	r->fn->vkCmdBeginRenderPass(cmd, &begin, VK_SUBPASS_CONTENTS_INLINE);
	size_t n = hp_pattern_rects(pattern, f->width, f->height, f->number, y0, y1, r->rects);
	/* Clears run in rasterization order, so later rectangles cover earlier ones. Colours are
	 * exact: c / 255 converts back to c in every UNORM8 format. */
	for (size_t i = 0; i < n; i++) {
		const struct hp_rect *rc = &r->rects[i];
		VkClearAttachment clear = {
			.aspectMask = VK_IMAGE_ASPECT_COLOR_BIT,
			.colorAttachment = 0,
			.clearValue.color.float32 = {(float)((rc->xrgb >> 16) & 0xff) / 255.0f,
						     (float)((rc->xrgb >> 8) & 0xff) / 255.0f,
						     (float)(rc->xrgb & 0xff) / 255.0f, 1.0f},
		};
		VkClearRect rect = {
			.rect = {{rc->x, rc->y}, {(uint32_t)rc->width, (uint32_t)rc->height}},
			.baseArrayLayer = 0,
			.layerCount = 1,
		};
		r->fn->vkCmdClearAttachments(cmd, 1, &clear, 1, &rect);
	}
	r->fn->vkCmdEndRenderPass(cmd);
}

/* Rectangles stored in order by the shader: one that overlaps one stored since the last
 * barrier waits for it, so that later ones cover earlier ones; the others run together. */
static void record_fills(struct vk_renderer *r, VkCommandBuffer cmd, const struct vk_target *t,
			 const struct hp_render_target *rt, enum hp_pattern pattern, int32_t y0,
			 int32_t y1)
{
	const struct hp_frame *f = &rt->frame;
	size_t n = hp_pattern_rects(pattern, f->width, f->height, f->number, y0, y1, r->rects);
	r->fn->vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, r->pipeline);
	r->fn->vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, r->layout, 0, 1,
				       &t->set, 0, NULL);
	size_t since = 0; /* r->rects[since..i) were stored since the last barrier */
	for (size_t i = 0; i < n; i++) {
		const struct hp_rect *rc = &r->rects[i];
		for (size_t j = since; j < i; j++) {
			const struct hp_rect *o = &r->rects[j];
			if (rc->x < o->x + o->width && o->x < rc->x + rc->width &&
			    rc->y < o->y + o->height && o->y < rc->y + rc->height) {
				VkMemoryBarrier b = {
					.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
					.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT,
					.dstAccessMask = VK_ACCESS_SHADER_WRITE_BIT,
				};
				r->fn->vkCmdPipelineBarrier(cmd,
							    VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
							    VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0,
							    1, &b, 0, NULL, 0, NULL);
				since = i;
				break;
			}
		}
		struct {
			int32_t rect[4];
			float colour[4];
		} pc = {
			{rc->x, rc->y, rc->width, rc->height},
			{(float)((rc->xrgb >> 16) & 0xff) / 255.0f,
			 (float)((rc->xrgb >> 8) & 0xff) / 255.0f,
			 (float)(rc->xrgb & 0xff) / 255.0f, 1.0f},
		};
		r->fn->vkCmdPushConstants(cmd, r->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0,
					  sizeof(pc), &pc);
		r->fn->vkCmdDispatch(cmd, ((uint32_t)rc->width + 15) / 16,
				     ((uint32_t)rc->height + 15) / 16, 1);
	}
}

static bool vk_draw(struct hp_renderer *base, const struct hp_render_target *rt,
		    enum hp_pattern pattern, int32_t y0, int32_t y1)
{
	struct vk_renderer *r = (struct vk_renderer *)base;
	const struct hp_vk_frame *vf = &rt->vk;
	const struct hp_frame *f = &rt->frame;
	bool first = y0 == 0, last = y1 >= f->height;
	if (!vf->image) {
		fprintf(stderr, "handoff-producer: the Vulkan renderer needs a Vulkan window\n");
		return false;
	}
	if (!r->chosen) {
		r->chosen = true;
		r->compute = r->ctx->images_storage &&
			     hp_vk_context_can_store(r->ctx, vf->format) &&
			     create_compute(r, vf->format);
	}
	if (!r->compute && !r->render_pass && !create_render_pass(r, vf->format))
		return false;
	struct vk_target *t = target_get(r, rt);
	if (!t)
		return false;
	VkCommandBuffer cmd = next_cmd(r);
	if (!cmd)
		return false;
	VkCommandBufferBeginInfo begin = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
		.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
	};
	VkResult res = r->fn->vkBeginCommandBuffer(cmd, &begin);
	if (res != VK_SUCCESS) {
		report(r, "cannot begin a command buffer", res);
		return false;
	}
	const VkPipelineStageFlags stage = r->compute
						   ? VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT
						   : VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
	const VkAccessFlags write =
		r->compute ? VK_ACCESS_SHADER_WRITE_BIT : VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
	const VkAccessFlags access =
		r->compute ? write : VK_ACCESS_COLOR_ATTACHMENT_READ_BIT | write;
	const VkImageLayout layout =
		r->compute ? VK_IMAGE_LAYOUT_GENERAL : VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
	if (first) {
		hp_vk_cmd_acquire(vf, cmd, layout, stage, access);
	} else {
		/* The first half's rows, stored by the previous submission, come before ours. */
		VkMemoryBarrier barrier = {
			.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
			.srcAccessMask = write,
			.dstAccessMask = access,
		};
		r->fn->vkCmdPipelineBarrier(cmd, stage, stage, 0, 1, &barrier, 0, NULL, 0, NULL);
	}
	if (y1 > y0 && r->compute)
		record_fills(r, cmd, t, rt, pattern, y0, y1 < f->height ? y1 : f->height);
	else if (y1 > y0)
		record_rects(r, cmd, t, rt, pattern, y0, y1 < f->height ? y1 : f->height);
	if (last)
		hp_vk_cmd_release(vf, cmd, layout, stage, write);
	res = r->fn->vkEndCommandBuffer(cmd);
	if (res != VK_SUCCESS) {
		report(r, "cannot record a command buffer", res);
		return false;
	}
	bool wait = first && vf->wait_semaphore;
	VkTimelineSemaphoreSubmitInfo values = {
		.sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO,
		.waitSemaphoreValueCount = wait ? 1 : 0,
		.pWaitSemaphoreValues = &vf->wait_value,
		.signalSemaphoreValueCount = last ? 1 : 0,
		.pSignalSemaphoreValues = &vf->signal_value,
	};
	VkSubmitInfo submit = {
		.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
		.pNext = &values,
		.waitSemaphoreCount = wait ? 1 : 0,
		.pWaitSemaphores = &vf->wait_semaphore,
		.pWaitDstStageMask = &stage,
		.commandBufferCount = 1,
		.pCommandBuffers = &cmd,
		.signalSemaphoreCount = last ? 1 : 0,
		.pSignalSemaphores = &vf->signal_semaphore,
	};
	res = r->fn->vkQueueSubmit(r->ctx->queue, 1, &submit, VK_NULL_HANDLE);
	if (res != VK_SUCCESS) {
		report(r, "cannot submit a frame", res);
		return false;
	}
	/* Both halves are done once the frame's value is signaled: it follows them in
	 * submission order. */
	mark_cmd(r, vf->signal_semaphore, vf->signal_value);
	if (last) {
		r->last_semaphore = vf->signal_semaphore;
		r->last_frame = vf->signal_value;
	}
	return true;
}

static void vk_destroy(struct hp_renderer *base)
{
	struct vk_renderer *r = (struct vk_renderer *)base;
	/* Nothing the GPU may still use is destroyed: a GPU that never finishes keeps all. */
	if (r->ctx->stuck || (r->last_semaphore &&
			      !wait_value(r, r->last_semaphore, r->last_frame, HF_NSEC_PER_SEC))) {
		r->ctx->stuck = true;
		free(r);
		return;
	}
	for (int i = 0; i < MAX_IMAGES; i++)
		target_finish(r, &r->targets[i]);
	if (r->pool)
		r->fn->vkDestroyCommandPool(r->ctx->device, r->pool, NULL);
	if (r->render_pass)
		r->fn->vkDestroyRenderPass(r->ctx->device, r->render_pass, NULL);
	if (r->pipeline)
		r->fn->vkDestroyPipeline(r->ctx->device, r->pipeline, NULL);
	if (r->sets)
		r->fn->vkDestroyDescriptorPool(r->ctx->device, r->sets, NULL);
	if (r->layout)
		r->fn->vkDestroyPipelineLayout(r->ctx->device, r->layout, NULL);
	if (r->set_layout)
		r->fn->vkDestroyDescriptorSetLayout(r->ctx->device, r->set_layout, NULL);
	free(r);
}

static const struct hp_renderer_impl vulkan_impl = {
	.name = "vulkan",
	.destroy = vk_destroy,
	.draw = vk_draw,
};

struct hp_renderer *hp_renderer_vulkan_create(struct hp_vk_context *ctx, char *err, size_t err_size)
{
	struct vk_renderer *r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	r->base.impl = &vulkan_impl;
	r->ctx = ctx;
	r->fn = &ctx->fn;
	VkCommandPoolCreateInfo pool_info = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
		.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
		.queueFamilyIndex = ctx->queue_family,
	};
	VkResult res = r->fn->vkCreateCommandPool(ctx->device, &pool_info, NULL, &r->pool);
	if (res != VK_SUCCESS) {
		snprintf(err, err_size, "Vulkan: cannot create a command pool: %s",
			 hf_vk_result_str(res));
		goto err;
	}
	VkCommandBufferAllocateInfo alloc = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
		.commandPool = r->pool,
		.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
		.commandBufferCount = RING,
	};
	res = r->fn->vkAllocateCommandBuffers(ctx->device, &alloc, r->cmds);
	if (res != VK_SUCCESS) {
		snprintf(err, err_size, "Vulkan: cannot allocate command buffers: %s",
			 hf_vk_result_str(res));
		goto err;
	}
	return &r->base;
err:
	vk_destroy(&r->base);
	return NULL;
}
