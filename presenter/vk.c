/* The presenter's Vulkan device (vk.h). */
#include "vk.h"

#include "log.h"
#include "pin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t hf_vk_memory_type(const struct hf_vk *vk, uint32_t bits, VkMemoryPropertyFlags flags)
{
	for (uint32_t i = 0; i < vk->mem_props.memoryTypeCount; i++)
		if ((bits & (1u << i)) &&
		    (vk->mem_props.memoryTypes[i].propertyFlags & flags) == flags)
			return i;
	return UINT32_MAX;
}

static bool has_extension(const VkExtensionProperties *exts, uint32_t n, const char *name)
{
	for (uint32_t i = 0; i < n; i++)
		if (!strcmp(exts[i].extensionName, name))
			return true;
	return false;
}

/* A device that can blit, with timeline semaphores; GPUs first. */
static bool pick_device(struct hf_vk *vk, bool require_gpu, char *why, size_t why_size)
{
	uint32_t n = 0;
	vkEnumeratePhysicalDevices(vk->instance, &n, NULL);
	VkPhysicalDevice *devs = calloc(n ? n : 1, sizeof(*devs));
	if (!devs)
		return false;
	vkEnumeratePhysicalDevices(vk->instance, &n, devs);
	int best = -1, best_score = -1;
	for (uint32_t i = 0; i < n; i++) {
		VkPhysicalDeviceProperties props;
		vkGetPhysicalDeviceProperties(devs[i], &props);
		if (props.apiVersion < VK_API_VERSION_1_2)
			continue;
		bool cpu = props.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU;
		if (cpu && require_gpu)
			continue;
		int score = cpu                                                        ? 0
			    : props.deviceType == VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU ? 3
										       : 2;
		if (score > best_score) {
			best = (int)i;
			best_score = score;
		}
	}
	if (best >= 0)
		vk->phys = devs[best];
	free(devs);
	if (best < 0)
		snprintf(why, why_size, "no Vulkan 1.2 device%s",
			 require_gpu ? " that is a GPU" : "");
	return best >= 0;
}

struct hf_vk *hf_vk_create(bool require_gpu, char *why, size_t why_size)
{
	struct hf_vk *vk = calloc(1, sizeof(*vk));
	if (!vk) {
		snprintf(why, why_size, "out of memory");
		return NULL;
	}
	VkApplicationInfo app = {
		.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
		.pApplicationName = "handoff-presenter",
		.apiVersion = VK_API_VERSION_1_2,
	};
	VkInstanceCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
				    .pApplicationInfo = &app};
	VkResult res = vkCreateInstance(&ici, NULL, &vk->instance);
	if (res != VK_SUCCESS) {
		snprintf(why, why_size, "cannot create a Vulkan instance: %s",
			 hf_vk_result_str(res));
		goto err;
	}
	hf_pin_loaded_objects();
	if (!pick_device(vk, require_gpu, why, why_size))
		goto err;

	VkPhysicalDeviceIDProperties id_props = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES};
	VkPhysicalDeviceProperties2 props2 = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, .pNext = &id_props};
	vkGetPhysicalDeviceProperties2(vk->phys, &props2);
	snprintf(vk->name, sizeof(vk->name), "%s", props2.properties.deviceName);
	vk->cpu = props2.properties.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU;
	memcpy(vk->device_uuid, id_props.deviceUUID, VK_UUID_SIZE);
	memcpy(vk->driver_uuid, id_props.driverUUID, VK_UUID_SIZE);
	vk->timestamp_ns = props2.properties.limits.timestampPeriod;
	vkGetPhysicalDeviceMemoryProperties(vk->phys, &vk->mem_props);

	uint32_t n_qf = 0;
	vkGetPhysicalDeviceQueueFamilyProperties(vk->phys, &n_qf, NULL);
	VkQueueFamilyProperties qf[16];
	if (n_qf > 16)
		n_qf = 16;
	vkGetPhysicalDeviceQueueFamilyProperties(vk->phys, &n_qf, qf);
	vk->queue_family = UINT32_MAX;
	/* Blits need a graphics queue; the composition's shaders want it to compute too. */
	const VkQueueFlags both = VK_QUEUE_GRAPHICS_BIT | VK_QUEUE_COMPUTE_BIT;
	for (uint32_t i = 0; i < n_qf && vk->queue_family == UINT32_MAX; i++)
		if ((qf[i].queueFlags & both) == both)
			vk->queue_family = i;
	for (uint32_t i = 0; i < n_qf && vk->queue_family == UINT32_MAX; i++)
		if (qf[i].queueFlags & VK_QUEUE_GRAPHICS_BIT)
			vk->queue_family = i;
	if (vk->queue_family != UINT32_MAX)
		vk->queue_compute = (qf[vk->queue_family].queueFlags & VK_QUEUE_COMPUTE_BIT) != 0;
	if (vk->queue_family == UINT32_MAX) {
		snprintf(why, why_size, "%s has no graphics queue", vk->name);
		goto err;
	}
	if (qf[vk->queue_family].timestampValidBits == 0)
		vk->timestamp_ns = 0;

	uint32_t n_ext = 0;
	vkEnumerateDeviceExtensionProperties(vk->phys, NULL, &n_ext, NULL);
	VkExtensionProperties *exts = calloc(n_ext ? n_ext : 1, sizeof(*exts));
	if (!exts)
		goto err;
	vkEnumerateDeviceExtensionProperties(vk->phys, NULL, &n_ext, exts);
	const char *enable[8];
	uint32_t n_enable = 0;
	bool mem_fd = has_extension(exts, n_ext, VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME);
	bool sem_fd = has_extension(exts, n_ext, VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME);
	vk->host_import = has_extension(exts, n_ext, VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME);
	bool push = has_extension(exts, n_ext, VK_KHR_PUSH_DESCRIPTOR_EXTENSION_NAME);
	free(exts);
	if (mem_fd)
		enable[n_enable++] = VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME;
	if (sem_fd)
		enable[n_enable++] = VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME;
	if (vk->host_import)
		enable[n_enable++] = VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME;
	if (push)
		enable[n_enable++] = VK_KHR_PUSH_DESCRIPTOR_EXTENSION_NAME;

	VkPhysicalDeviceTimelineSemaphoreFeatures timeline = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES};
	VkPhysicalDeviceFeatures2 features = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
					      .pNext = &timeline};
	vkGetPhysicalDeviceFeatures2(vk->phys, &features);
	if (!timeline.timelineSemaphore) {
		snprintf(why, why_size, "%s has no timeline semaphores", vk->name);
		goto err;
	}
	VkPhysicalDeviceTimelineSemaphoreFeatures want_timeline = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES,
		.timelineSemaphore = VK_TRUE};
	float priority = 1.0f;
	VkDeviceQueueCreateInfo qci = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
				       .queueFamilyIndex = vk->queue_family,
				       .queueCount = 1,
				       .pQueuePriorities = &priority};
	VkDeviceCreateInfo dci = {.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
				  .pNext = &want_timeline,
				  .queueCreateInfoCount = 1,
				  .pQueueCreateInfos = &qci,
				  .enabledExtensionCount = n_enable,
				  .ppEnabledExtensionNames = enable};
	res = vkCreateDevice(vk->phys, &dci, NULL, &vk->device);
	if (res != VK_SUCCESS) {
		snprintf(why, why_size, "cannot create a device on %s: %s", vk->name,
			 hf_vk_result_str(res));
		goto err;
	}
	vkGetDeviceQueue(vk->device, vk->queue_family, 0, &vk->queue);
	VkCommandPoolCreateInfo pci = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
				       .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
				       .queueFamilyIndex = vk->queue_family};
	if (vkCreateCommandPool(vk->device, &pci, NULL, &vk->pool) != VK_SUCCESS) {
		snprintf(why, why_size, "cannot create a command pool");
		goto err;
	}

	vkGetPhysicalDeviceProperties(vk->phys, &vk->props);
	if (push)
		vk->push_descriptor_set = (PFN_vkCmdPushDescriptorSetKHR)vkGetDeviceProcAddr(
			vk->device, "vkCmdPushDescriptorSetKHR");
	if (vk->host_import) {
		VkPhysicalDeviceExternalMemoryHostPropertiesEXT host = {
			.sType =
				VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_MEMORY_HOST_PROPERTIES_EXT};
		VkPhysicalDeviceProperties2 p2 = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, .pNext = &host};
		vkGetPhysicalDeviceProperties2(vk->phys, &p2);
		vk->host_import_alignment = host.minImportedHostPointerAlignment;
		vk->get_host_pointer_props =
			(PFN_vkGetMemoryHostPointerPropertiesEXT)vkGetDeviceProcAddr(
				vk->device, "vkGetMemoryHostPointerPropertiesEXT");
		vk->host_import = vk->get_host_pointer_props != NULL;
	}
	if (mem_fd) {
		VkPhysicalDeviceExternalImageFormatInfo ext_info = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_IMAGE_FORMAT_INFO,
			.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT};
		VkPhysicalDeviceImageFormatInfo2 info = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_IMAGE_FORMAT_INFO_2,
			.pNext = &ext_info,
			.format = VK_FORMAT_B8G8R8A8_UNORM,
			.type = VK_IMAGE_TYPE_2D,
			.tiling = VK_IMAGE_TILING_OPTIMAL,
			.usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT};
		VkExternalImageFormatProperties ext_props = {
			.sType = VK_STRUCTURE_TYPE_EXTERNAL_IMAGE_FORMAT_PROPERTIES};
		VkImageFormatProperties2 props = {
			.sType = VK_STRUCTURE_TYPE_IMAGE_FORMAT_PROPERTIES_2, .pNext = &ext_props};
		vk->opaque_memory = vkGetPhysicalDeviceImageFormatProperties2(
					    vk->phys, &info, &props) == VK_SUCCESS &&
				    (ext_props.externalMemoryProperties.externalMemoryFeatures &
				     VK_EXTERNAL_MEMORY_FEATURE_IMPORTABLE_BIT);
	}
	if (sem_fd) {
		VkSemaphoreTypeCreateInfo type = {
			.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
			.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE};
		VkPhysicalDeviceExternalSemaphoreInfo info = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_SEMAPHORE_INFO,
			.pNext = &type,
			.handleType = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT};
		VkExternalSemaphoreProperties props = {
			.sType = VK_STRUCTURE_TYPE_EXTERNAL_SEMAPHORE_PROPERTIES};
		vkGetPhysicalDeviceExternalSemaphoreProperties(vk->phys, &info, &props);
		vk->get_semaphore_fd = (PFN_vkGetSemaphoreFdKHR)vkGetDeviceProcAddr(
			vk->device, "vkGetSemaphoreFdKHR");
		vk->import_semaphore_fd = (PFN_vkImportSemaphoreFdKHR)vkGetDeviceProcAddr(
			vk->device, "vkImportSemaphoreFdKHR");
		vk->opaque_semaphores = (props.externalSemaphoreFeatures &
					 VK_EXTERNAL_SEMAPHORE_FEATURE_IMPORTABLE_BIT) &&
					vk->import_semaphore_fd;
	}
	return vk;
err:
	hf_vk_destroy(vk);
	return NULL;
}

void hf_vk_destroy(struct hf_vk *vk)
{
	if (!vk)
		return;
	if (vk->device) {
		vkDeviceWaitIdle(vk->device);
		if (vk->pool)
			vkDestroyCommandPool(vk->device, vk->pool, NULL);
		vkDestroyDevice(vk->device, NULL);
	}
	if (vk->instance)
		vkDestroyInstance(vk->instance, NULL);
	free(vk);
}
