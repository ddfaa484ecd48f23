/* The Vulkan composition's compute shaders (vk_compose.h). */
#include "vk_compose.h"

#include <stdio.h>

#include "compose_clear.spv.h"
#include "compose_source_buffer.spv.h"
#include "compose_source_image.spv.h"

#define GROUP 16 /* local_size_x and _y in compose.comp */

bool hf_vk_compose_supported(const struct hf_vk *vk, char *why, size_t why_size)
{
	if (!vk->queue_compute) {
		snprintf(why, why_size, "its queue does not run compute shaders");
		return false;
	}
	if (!vk->push_descriptor_set) {
		snprintf(why, why_size, "it lacks VK_KHR_push_descriptor");
		return false;
	}
	VkFormatProperties props;
	vkGetPhysicalDeviceFormatProperties(vk->phys, VK_FORMAT_R32_UINT, &props);
	if (!(props.optimalTilingFeatures & VK_FORMAT_FEATURE_STORAGE_IMAGE_BIT)) {
		snprintf(why, why_size, "it cannot store to R32_UINT images");
		return false;
	}
	return true;
}

static bool set_layout(struct hf_vk *vk, VkDescriptorType source, VkDescriptorSetLayout *set,
		       VkPipelineLayout *layout)
{
	VkDescriptorSetLayoutBinding bindings[] = {
		{.binding = 0,
		 .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_IMAGE,
		 .descriptorCount = 1,
		 .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT},
		{.binding = 1,
		 .descriptorType = source,
		 .descriptorCount = 1,
		 .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT},
	};
	VkDescriptorSetLayoutCreateInfo dci = {
		.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
		.flags = VK_DESCRIPTOR_SET_LAYOUT_CREATE_PUSH_DESCRIPTOR_BIT_KHR,
		.bindingCount = 2,
		.pBindings = bindings};
	if (vkCreateDescriptorSetLayout(vk->device, &dci, NULL, set) != VK_SUCCESS)
		return false;
	VkPushConstantRange range = {.stageFlags = VK_SHADER_STAGE_COMPUTE_BIT,
				     .size = sizeof(struct hf_compose_params)};
	VkPipelineLayoutCreateInfo lci = {.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
					  .setLayoutCount = 1,
					  .pSetLayouts = set,
					  .pushConstantRangeCount = 1,
					  .pPushConstantRanges = &range};
	return vkCreatePipelineLayout(vk->device, &lci, NULL, layout) == VK_SUCCESS;
}

static bool pipeline(struct hf_vk *vk, const uint32_t *code, size_t size, VkPipelineLayout layout,
		     VkPipeline *out)
{
	VkShaderModuleCreateInfo mci = {.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
					.codeSize = size,
					.pCode = code};
	VkShaderModule module;
	if (vkCreateShaderModule(vk->device, &mci, NULL, &module) != VK_SUCCESS)
		return false;
	VkComputePipelineCreateInfo pci = {
		.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
		.stage = {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
			  .stage = VK_SHADER_STAGE_COMPUTE_BIT,
			  .module = module,
			  .pName = "main"},
		.layout = layout};
	VkResult res = vkCreateComputePipelines(vk->device, VK_NULL_HANDLE, 1, &pci, NULL, out);
	vkDestroyShaderModule(vk->device, module, NULL);
	return res == VK_SUCCESS;
}

bool hf_vk_compose_init(struct hf_vk_compose *c, struct hf_vk *vk, char *why, size_t why_size)
{
	*c = (struct hf_vk_compose){0};
	if (!hf_vk_compose_supported(vk, why, why_size))
		return false;
	VkSamplerCreateInfo sci = {.sType = VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO,
				   .magFilter = VK_FILTER_LINEAR,
				   .minFilter = VK_FILTER_LINEAR,
				   .mipmapMode = VK_SAMPLER_MIPMAP_MODE_NEAREST,
				   .addressModeU = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE,
				   .addressModeV = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE,
				   .addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE};
	if (vkCreateSampler(vk->device, &sci, NULL, &c->sampler) != VK_SUCCESS ||
	    !set_layout(vk, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, &c->set_image,
			&c->layout_image) ||
	    !set_layout(vk, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, &c->set_buffer, &c->layout_buffer) ||
	    !pipeline(vk, compose_source_image_spv, sizeof(compose_source_image_spv),
		      c->layout_image, &c->image) ||
	    !pipeline(vk, compose_source_buffer_spv, sizeof(compose_source_buffer_spv),
		      c->layout_buffer, &c->buffer) ||
	    !pipeline(vk, compose_clear_spv, sizeof(compose_clear_spv), c->layout_image,
		      &c->clear)) {
		snprintf(why, why_size, "cannot make its compute pipelines");
		hf_vk_compose_finish(c, vk);
		return false;
	}
	return true;
}

void hf_vk_compose_finish(struct hf_vk_compose *c, struct hf_vk *vk)
{
	VkPipeline pipelines[] = {c->image, c->buffer, c->clear};
	for (size_t i = 0; i < sizeof(pipelines) / sizeof(pipelines[0]); i++)
		if (pipelines[i])
			vkDestroyPipeline(vk->device, pipelines[i], NULL);
	if (c->layout_image)
		vkDestroyPipelineLayout(vk->device, c->layout_image, NULL);
	if (c->layout_buffer)
		vkDestroyPipelineLayout(vk->device, c->layout_buffer, NULL);
	if (c->set_image)
		vkDestroyDescriptorSetLayout(vk->device, c->set_image, NULL);
	if (c->set_buffer)
		vkDestroyDescriptorSetLayout(vk->device, c->set_buffer, NULL);
	if (c->sampler)
		vkDestroySampler(vk->device, c->sampler, NULL);
	*c = (struct hf_vk_compose){0};
}

static void dispatch(struct hf_vk_compose *c, struct hf_vk *vk, VkCommandBuffer cmd,
		     VkPipeline pipeline, VkPipelineLayout layout, VkImageView out,
		     const VkWriteDescriptorSet *source, const struct hf_compose_params *params)
{
	if (params->rect_size[0] <= 0 || params->rect_size[1] <= 0)
		return;
	if (c->bound != pipeline) {
		vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
		c->bound = pipeline;
	}
	VkDescriptorImageInfo out_info = {.imageView = out, .imageLayout = VK_IMAGE_LAYOUT_GENERAL};
	VkWriteDescriptorSet writes[2] = {
		{.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
		 .dstBinding = 0,
		 .descriptorCount = 1,
		 .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_IMAGE,
		 .pImageInfo = &out_info},
	};
	uint32_t n = 1;
	if (source)
		writes[n++] = *source;
	vk->push_descriptor_set(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, layout, 0, n, writes);
	vkCmdPushConstants(cmd, layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof(*params), params);
	vkCmdDispatch(cmd, (uint32_t)(params->rect_size[0] + GROUP - 1) / GROUP,
		      (uint32_t)(params->rect_size[1] + GROUP - 1) / GROUP, 1);
}

void hf_vk_compose_clear(struct hf_vk_compose *c, struct hf_vk *vk, VkCommandBuffer cmd,
			 VkImageView out, const struct hf_compose_params *params)
{
	dispatch(c, vk, cmd, c->clear, c->layout_image, out, NULL, params);
}

void hf_vk_compose_image(struct hf_vk_compose *c, struct hf_vk *vk, VkCommandBuffer cmd,
			 VkImageView out, VkImageView src, const struct hf_compose_params *params)
{
	VkDescriptorImageInfo info = {
		.sampler = c->sampler, .imageView = src, .imageLayout = VK_IMAGE_LAYOUT_GENERAL};
	VkWriteDescriptorSet write = {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
				      .dstBinding = 1,
				      .descriptorCount = 1,
				      .descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER,
				      .pImageInfo = &info};
	dispatch(c, vk, cmd, c->image, c->layout_image, out, &write, params);
}

void hf_vk_compose_buffer(struct hf_vk_compose *c, struct hf_vk *vk, VkCommandBuffer cmd,
			  VkImageView out, VkBuffer src, const struct hf_compose_params *params)
{
	VkDescriptorBufferInfo info = {.buffer = src, .range = VK_WHOLE_SIZE};
	VkWriteDescriptorSet write = {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
				      .dstBinding = 1,
				      .descriptorCount = 1,
				      .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
				      .pBufferInfo = &info};
	dispatch(c, vk, cmd, c->buffer, c->layout_buffer, out, &write, params);
}
