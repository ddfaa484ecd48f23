/*
 * handoff-bench-vk-copy: the baselines a composition is held to, on the presenter's own queue,
 * each a frame copied 200 times in a row (a barrier between copies, as compositions follow one
 * another) and timed with GPU timestamps:
 *   raster_us   vkCmdCopyImage, image to image (what this benchmark timed alone before: on
 *               some GPUs the transfer and raster paths run far below the memory's bandwidth)
 *   compute_us  a compute shader, image to image: a sampled read, a store through an R32_UINT
 *               view, as the composition reads and writes
 *   buffer_us   a compute shader, buffer to buffer, 16 bytes an invocation: the memory bound
 * and, for each, GB/s read plus written. copy_us is the best of the three.
 */
#include "vk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copy_buffer.spv.h"
#include "copy_image.spv.h"

#define COPIES 200

static bool hung;      /* a submission never finished: nothing may be freed or submitted */
static bool no_raster; /* --no-raster: vkCmdCopyImage is not timed (raster_us -1) */

struct bench {
	struct hf_vk *vk;
	VkCommandBuffer cmd;
	VkQueryPool pool;
	VkSampler sampler;
	VkDescriptorSetLayout set_image, set_buffer;
	VkPipelineLayout layout_image, layout_buffer;
	VkPipeline image, buffer;
};

static bool make_image(struct hf_vk *vk, uint32_t w, uint32_t h, VkImage *image,
		       VkDeviceMemory *memory)
{
	VkImageCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
		.flags = VK_IMAGE_CREATE_MUTABLE_FORMAT_BIT | VK_IMAGE_CREATE_EXTENDED_USAGE_BIT,
		.imageType = VK_IMAGE_TYPE_2D,
		.format = VK_FORMAT_B8G8R8A8_UNORM,
		.extent = {w, h, 1},
		.mipLevels = 1,
		.arrayLayers = 1,
		.samples = VK_SAMPLE_COUNT_1_BIT,
		.tiling = VK_IMAGE_TILING_OPTIMAL,
		.usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT |
			 VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_STORAGE_BIT};
	if (vkCreateImage(vk->device, &ici, NULL, image) != VK_SUCCESS)
		return false;
	VkMemoryRequirements req;
	vkGetImageMemoryRequirements(vk->device, *image, &req);
	VkMemoryAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
				   .allocationSize = req.size,
				   .memoryTypeIndex =
					   hf_vk_memory_type(vk, req.memoryTypeBits,
							     VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT)};
	return vkAllocateMemory(vk->device, &ai, NULL, memory) == VK_SUCCESS &&
	       vkBindImageMemory(vk->device, *image, *memory, 0) == VK_SUCCESS;
}

static VkImageView make_view(struct hf_vk *vk, VkImage image, VkFormat format,
			     VkImageUsageFlags usage)
{
	VkImageViewUsageCreateInfo u = {.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_USAGE_CREATE_INFO,
					.usage = usage};
	VkImageViewCreateInfo vci = {.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
				     .pNext = &u,
				     .image = image,
				     .viewType = VK_IMAGE_VIEW_TYPE_2D,
				     .format = format,
				     .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
	VkImageView view = VK_NULL_HANDLE;
	vkCreateImageView(vk->device, &vci, NULL, &view);
	return view;
}

static bool make_buffer(struct hf_vk *vk, VkDeviceSize size, VkBuffer *buffer,
			VkDeviceMemory *memory)
{
	VkBufferCreateInfo bci = {.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
				  .size = size,
				  .usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
					   VK_BUFFER_USAGE_TRANSFER_DST_BIT};
	if (vkCreateBuffer(vk->device, &bci, NULL, buffer) != VK_SUCCESS)
		return false;
	VkMemoryRequirements req;
	vkGetBufferMemoryRequirements(vk->device, *buffer, &req);
	VkMemoryAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
				   .allocationSize = req.size,
				   .memoryTypeIndex =
					   hf_vk_memory_type(vk, req.memoryTypeBits,
							     VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT)};
	return vkAllocateMemory(vk->device, &ai, NULL, memory) == VK_SUCCESS &&
	       vkBindBufferMemory(vk->device, *buffer, *memory, 0) == VK_SUCCESS;
}

static bool make_pipeline(struct bench *b, VkDescriptorType second, const uint32_t *code,
			  size_t size, VkDescriptorSetLayout *set, VkPipelineLayout *layout,
			  VkPipeline *pipeline)
{
	struct hf_vk *vk = b->vk;
	VkDescriptorType first = second == VK_DESCRIPTOR_TYPE_STORAGE_BUFFER
					 ? VK_DESCRIPTOR_TYPE_STORAGE_BUFFER
					 : VK_DESCRIPTOR_TYPE_STORAGE_IMAGE;
	VkDescriptorSetLayoutBinding bindings[] = {
		{0, first, 1, VK_SHADER_STAGE_COMPUTE_BIT, NULL},
		{1, second, 1, VK_SHADER_STAGE_COMPUTE_BIT, NULL},
	};
	VkDescriptorSetLayoutCreateInfo dci = {
		.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
		.flags = VK_DESCRIPTOR_SET_LAYOUT_CREATE_PUSH_DESCRIPTOR_BIT_KHR,
		.bindingCount = 2,
		.pBindings = bindings};
	VkPushConstantRange range = {VK_SHADER_STAGE_COMPUTE_BIT, 0, 8};
	VkPipelineLayoutCreateInfo lci = {.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
					  .setLayoutCount = 1,
					  .pSetLayouts = set,
					  .pushConstantRangeCount = 1,
					  .pPushConstantRanges = &range};
	VkShaderModuleCreateInfo mci = {.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
					.codeSize = size,
					.pCode = code};
	VkShaderModule module;
	if (vkCreateDescriptorSetLayout(vk->device, &dci, NULL, set) != VK_SUCCESS ||
	    vkCreatePipelineLayout(vk->device, &lci, NULL, layout) != VK_SUCCESS ||
	    vkCreateShaderModule(vk->device, &mci, NULL, &module) != VK_SUCCESS)
		return false;
	VkComputePipelineCreateInfo pci = {
		.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
		.stage = {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
			  .stage = VK_SHADER_STAGE_COMPUTE_BIT,
			  .module = module,
			  .pName = "main"},
		.layout = *layout};
	VkResult res =
		vkCreateComputePipelines(vk->device, VK_NULL_HANDLE, 1, &pci, NULL, pipeline);
	vkDestroyShaderModule(vk->device, module, NULL);
	return res == VK_SUCCESS;
}

static void begin(struct bench *b)
{
	VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
	vkResetCommandBuffer(b->cmd, 0);
	vkBeginCommandBuffer(b->cmd, &bi);
}

static void copy_barrier(struct bench *b)
{
	VkMemoryBarrier mb = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
		.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_SHADER_WRITE_BIT,
		.dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_SHADER_WRITE_BIT};
	VkPipelineStageFlags stages =
		VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT;
	vkCmdPipelineBarrier(b->cmd, stages, stages, 0, 1, &mb, 0, NULL, 0, NULL);
}

/* Submits what is recorded and waits for it, 5 s at most: a device that never finishes (the
 * raster path was seen to hang on a GPU) ends the benchmark with a message, not a hang. */
static bool submit_bounded(struct bench *b)
{
	VkFenceCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
	VkFence fence;
	if (vkCreateFence(b->vk->device, &fci, NULL, &fence) != VK_SUCCESS)
		return false;
	VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
			   .commandBufferCount = 1,
			   .pCommandBuffers = &b->cmd};
	VkResult res = vkQueueSubmit(b->vk->queue, 1, &si, fence);
	if (res == VK_SUCCESS)
		res = vkWaitForFences(b->vk->device, 1, &fence, VK_TRUE, 5000000000ull);
	vkDestroyFence(b->vk->device, fence, NULL);
	if (res != VK_SUCCESS) {
		fprintf(stderr, "handoff-bench-vk-copy: the device did not finish: %s\n",
			hf_vk_result_str(res));
		hung = true;
		return false;
	}
	return true;
}

/* Submits what is recorded between two timestamps; microseconds per copy, < 0 on failure. */
static double timed(struct bench *b, void (*record)(struct bench *, void *), void *data)
{
	begin(b);
	vkCmdResetQueryPool(b->cmd, b->pool, 0, 2);
	/* One untimed copy first: caches and clocks as for the others. */
	record(b, data);
	copy_barrier(b);
	vkCmdWriteTimestamp(b->cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, b->pool, 0);
	for (int i = 0; i < COPIES; i++) {
		record(b, data);
		copy_barrier(b);
	}
	vkCmdWriteTimestamp(b->cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, b->pool, 1);
	vkEndCommandBuffer(b->cmd);
	if (!submit_bounded(b))
		return -1;
	uint64_t ts[2] = {0, 0};
	vkGetQueryPoolResults(b->vk->device, b->pool, 0, 2, sizeof(ts), ts, sizeof(ts[0]),
			      VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT);
	return (double)(ts[1] - ts[0]) * b->vk->timestamp_ns / 1e3 / COPIES;
}

struct frame {
	uint32_t w, h;
	VkImage src, dst;
	VkImageView src_view, dst_view;
	VkBuffer src_buf, dst_buf;
};

static void record_raster(struct bench *b, void *data)
{
	struct frame *f = data;
	VkImageCopy region = {.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
			      .dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
			      .extent = {f->w, f->h, 1}};
	vkCmdCopyImage(b->cmd, f->src, VK_IMAGE_LAYOUT_GENERAL, f->dst, VK_IMAGE_LAYOUT_GENERAL, 1,
		       &region);
}

static void record_compute(struct bench *b, void *data)
{
	struct frame *f = data;
	VkDescriptorImageInfo dst = {.imageView = f->dst_view,
				     .imageLayout = VK_IMAGE_LAYOUT_GENERAL};
	VkDescriptorImageInfo src = {.sampler = b->sampler,
				     .imageView = f->src_view,
				     .imageLayout = VK_IMAGE_LAYOUT_GENERAL};
	VkWriteDescriptorSet w[2] = {
		{.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
		 .dstBinding = 0,
		 .descriptorCount = 1,
		 .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_IMAGE,
		 .pImageInfo = &dst},
		{.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
		 .dstBinding = 1,
		 .descriptorCount = 1,
		 .descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER,
		 .pImageInfo = &src},
	};
	int32_t size[2] = {(int32_t)f->w, (int32_t)f->h};
	vkCmdBindPipeline(b->cmd, VK_PIPELINE_BIND_POINT_COMPUTE, b->image);
	b->vk->push_descriptor_set(b->cmd, VK_PIPELINE_BIND_POINT_COMPUTE, b->layout_image, 0, 2,
				   w);
	vkCmdPushConstants(b->cmd, b->layout_image, VK_SHADER_STAGE_COMPUTE_BIT, 0, 8, size);
	vkCmdDispatch(b->cmd, (f->w + 15) / 16, (f->h + 15) / 16, 1);
}

static void record_buffer(struct bench *b, void *data)
{
	struct frame *f = data;
	VkDescriptorBufferInfo dst = {.buffer = f->dst_buf, .range = VK_WHOLE_SIZE};
	VkDescriptorBufferInfo src = {.buffer = f->src_buf, .range = VK_WHOLE_SIZE};
	VkWriteDescriptorSet w[2] = {
		{.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
		 .dstBinding = 0,
		 .descriptorCount = 1,
		 .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
		 .pBufferInfo = &dst},
		{.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
		 .dstBinding = 1,
		 .descriptorCount = 1,
		 .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
		 .pBufferInfo = &src},
	};
	uint32_t vec4s = f->w * f->h / 4;
	int32_t size[2] = {(int32_t)vec4s, 0};
	uint32_t groups = (vec4s + 255) / 256, x = groups < 65535 ? groups : 65535;
	vkCmdBindPipeline(b->cmd, VK_PIPELINE_BIND_POINT_COMPUTE, b->buffer);
	b->vk->push_descriptor_set(b->cmd, VK_PIPELINE_BIND_POINT_COMPUTE, b->layout_buffer, 0, 2,
				   w);
	vkCmdPushConstants(b->cmd, b->layout_buffer, VK_SHADER_STAGE_COMPUTE_BIT, 0, 8, size);
	vkCmdDispatch(b->cmd, x, (groups + x - 1) / x, 1);
}

static int bench_size(struct bench *b, uint32_t w, uint32_t h)
{
	struct hf_vk *vk = b->vk;
	struct frame f = {.w = w, .h = h};
	VkDeviceMemory mem[4] = {0};
	VkDeviceSize bytes = (VkDeviceSize)w * h * 4;
	if (!make_image(vk, w, h, &f.src, &mem[0]) || !make_image(vk, w, h, &f.dst, &mem[1]) ||
	    !make_buffer(vk, bytes, &f.src_buf, &mem[2]) ||
	    !make_buffer(vk, bytes, &f.dst_buf, &mem[3])) {
		fprintf(stderr, "handoff-bench-vk-copy: cannot make %ux%u images\n", w, h);
		return 1;
	}
	f.src_view = make_view(vk, f.src, VK_FORMAT_B8G8R8A8_UNORM, VK_IMAGE_USAGE_SAMPLED_BIT);
	f.dst_view = make_view(vk, f.dst, VK_FORMAT_R32_UINT, VK_IMAGE_USAGE_STORAGE_BIT);
	begin(b);
	VkImage images[2] = {f.src, f.dst};
	for (int i = 0; i < 2; i++) {
		VkImageMemoryBarrier ib = {
			.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
			.dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
			.oldLayout = VK_IMAGE_LAYOUT_UNDEFINED,
			.newLayout = VK_IMAGE_LAYOUT_GENERAL,
			.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
			.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
			.image = images[i],
			.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
		vkCmdPipelineBarrier(b->cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT,
				     VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL, 0, NULL, 1, &ib);
	}
	VkClearColorValue grey = {.float32 = {0.25f, 0.5f, 0.75f, 1.0f}};
	VkImageSubresourceRange range = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
	vkCmdClearColorImage(b->cmd, f.src, VK_IMAGE_LAYOUT_GENERAL, &grey, 1, &range);
	vkCmdFillBuffer(b->cmd, f.src_buf, 0, VK_WHOLE_SIZE, 0x5a5a5a5au);
	copy_barrier(b);
	vkEndCommandBuffer(b->cmd);
	submit_bounded(b);
	/* The memory bound first, the raster path last; -1: it never finished. */
	double buffer = hung ? -1 : timed(b, record_buffer, &f);
	double compute = hung ? -1 : timed(b, record_compute, &f);
	double raster = hung || no_raster ? -1 : timed(b, record_raster, &f);
	double best = 1e30;
	if (buffer > 0 && buffer < best)
		best = buffer;
	if (compute > 0 && compute < best)
		best = compute;
	if (raster > 0 && raster < best)
		best = raster;
	double gb = 2.0 * (double)bytes / 1e3; /* per us: GB/s */
	printf("{\"width\": %u, \"height\": %u, \"copy_us\": %.2f, \"raster_us\": %.2f, "
	       "\"compute_us\": %.2f, \"buffer_us\": %.2f, \"raster_gb_per_s\": %.1f, "
	       "\"compute_gb_per_s\": %.1f, \"buffer_gb_per_s\": %.1f}\n",
	       w, h, best < 1e30 ? best : -1, raster, compute, buffer, raster > 0 ? gb / raster : 0,
	       compute > 0 ? gb / compute : 0, buffer > 0 ? gb / buffer : 0);
	if (hung)
		exit(3); /* nothing can be freed while the device may still use it */
	vkDestroyImageView(vk->device, f.src_view, NULL);
	vkDestroyImageView(vk->device, f.dst_view, NULL);
	vkDestroyImage(vk->device, f.src, NULL);
	vkDestroyImage(vk->device, f.dst, NULL);
	vkDestroyBuffer(vk->device, f.src_buf, NULL);
	vkDestroyBuffer(vk->device, f.dst_buf, NULL);
	for (int i = 0; i < 4; i++)
		vkFreeMemory(vk->device, mem[i], NULL);
	return 0;
}

static bool bench_init(struct bench *b, struct hf_vk *vk)
{
	b->vk = vk;
	VkQueryPoolCreateInfo qci = {.sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO,
				     .queryType = VK_QUERY_TYPE_TIMESTAMP,
				     .queryCount = 2};
	VkCommandBufferAllocateInfo cai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
					   .commandPool = vk->pool,
					   .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
					   .commandBufferCount = 1};
	VkSamplerCreateInfo sci = {.sType = VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
	return vk->push_descriptor_set &&
	       vkCreateQueryPool(vk->device, &qci, NULL, &b->pool) == VK_SUCCESS &&
	       vkAllocateCommandBuffers(vk->device, &cai, &b->cmd) == VK_SUCCESS &&
	       vkCreateSampler(vk->device, &sci, NULL, &b->sampler) == VK_SUCCESS &&
	       make_pipeline(b, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, copy_image_spv,
			     sizeof(copy_image_spv), &b->set_image, &b->layout_image, &b->image) &&
	       make_pipeline(b, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, copy_buffer_spv,
			     sizeof(copy_buffer_spv), &b->set_buffer, &b->layout_buffer,
			     &b->buffer);
}

static void bench_finish(struct bench *b)
{
	VkDevice d = b->vk->device;
	vkDeviceWaitIdle(d);
	if (b->image)
		vkDestroyPipeline(d, b->image, NULL);
	if (b->buffer)
		vkDestroyPipeline(d, b->buffer, NULL);
	if (b->layout_image)
		vkDestroyPipelineLayout(d, b->layout_image, NULL);
	if (b->layout_buffer)
		vkDestroyPipelineLayout(d, b->layout_buffer, NULL);
	if (b->set_image)
		vkDestroyDescriptorSetLayout(d, b->set_image, NULL);
	if (b->set_buffer)
		vkDestroyDescriptorSetLayout(d, b->set_buffer, NULL);
	if (b->sampler)
		vkDestroySampler(d, b->sampler, NULL);
	if (b->pool)
		vkDestroyQueryPool(d, b->pool, NULL);
}

int main(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("Usage: handoff-bench-vk-copy [--no-raster] [WxH...]\n\n"
		       "Times copies of one B8G8R8A8 frame on the presenter's Vulkan queue with "
		       "GPU\n"
		       "timestamps (200 copies in a row): vkCmdCopyImage (raster_us), a compute\n"
		       "shader image to image (compute_us) and buffer to buffer (buffer_us, the\n"
		       "memory bound), for each size given (default 1920x1080 and 3840x2160), and\n"
		       "prints one JSON line per size; copy_us is the best of them.\n"
		       "--no-raster: vkCmdCopyImage is not timed (raster_us -1), for devices "
		       "whose\n"
		       "raster path hangs.\n");
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--no-raster")) {
		no_raster = true;
		argv++;
		argc--;
	}
	char why[256];
	struct hf_vk *vk = hf_vk_create(false, why, sizeof(why));
	if (!vk) {
		fprintf(stderr, "handoff-bench-vk-copy: %s\n", why);
		return 77;
	}
	if (vk->timestamp_ns <= 0) {
		fprintf(stderr, "handoff-bench-vk-copy: %s has no timestamps\n", vk->name);
		hf_vk_destroy(vk);
		return 77;
	}
	fprintf(stderr, "handoff-bench-vk-copy: %s\n", vk->name);
	struct bench b = {0};
	if (!bench_init(&b, vk)) {
		fprintf(stderr, "handoff-bench-vk-copy: cannot set up compute pipelines on %s\n",
			vk->name);
		bench_finish(&b);
		hf_vk_destroy(vk);
		return 1;
	}
	const char *defaults[] = {"1920x1080", "3840x2160"};
	int n = argc > 1 ? argc - 1 : 2;
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		unsigned w, h;
		const char *arg = argc > 1 ? argv[i + 1] : defaults[i];
		if (sscanf(arg, "%ux%u", &w, &h) != 2 || !w || !h || w > 16384 || h > 16384) {
			fprintf(stderr, "handoff-bench-vk-copy: %s is not WxH\n", arg);
			rc = 2;
			break;
		}
		rc = bench_size(&b, w, h);
	}
	bench_finish(&b);
	hf_vk_destroy(vk);
	return rc;
}
