/* The producer program's Vulkan device (vk_device.h). */
#define VK_NO_PROTOTYPES
#include "vk_device.h"

#include "pin.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOADER_NAME "libvulkan.so.1"

static bool has_extension(const VkExtensionProperties *exts, uint32_t n, const char *name)
{
	for (uint32_t i = 0; i < n; i++)
		if (!strcmp(exts[i].extensionName, name))
			return true;
	return false;
}

struct candidate {
	VkPhysicalDevice pdev;
	uint32_t queue_family;
	bool external_semaphore_fd;
	bool storage_write; /* a compute queue, and stores to images without a format */
	char name[VK_MAX_PHYSICAL_DEVICE_NAME_SIZE];
	uint8_t device_uuid[VK_UUID_SIZE], driver_uuid[VK_UUID_SIZE];
};

/* Whether pdev has what Handoff needs; if not, why, in why. */
static bool check_device(struct hp_vk_context *ctx, VkPhysicalDevice pdev, struct candidate *out,
			 char *why, size_t why_size)
{
	PFN_vkGetInstanceProcAddr gipa = ctx->get_instance_proc_addr;
	VkInstance inst = ctx->instance;
	PFN_vkGetPhysicalDeviceProperties2 get_props2 =
		(PFN_vkGetPhysicalDeviceProperties2)gipa(inst, "vkGetPhysicalDeviceProperties2");
	PFN_vkGetPhysicalDeviceFeatures2 get_features2 =
		(PFN_vkGetPhysicalDeviceFeatures2)gipa(inst, "vkGetPhysicalDeviceFeatures2");
	PFN_vkGetPhysicalDeviceQueueFamilyProperties get_families =
		(PFN_vkGetPhysicalDeviceQueueFamilyProperties)gipa(
			inst, "vkGetPhysicalDeviceQueueFamilyProperties");
	PFN_vkEnumerateDeviceExtensionProperties enum_exts =
		(PFN_vkEnumerateDeviceExtensionProperties)gipa(
			inst, "vkEnumerateDeviceExtensionProperties");
	if (!get_props2 || !get_features2 || !get_families || !enum_exts) {
		snprintf(why, why_size, "the Vulkan loader lacks Vulkan 1.1 functions");
		return false;
	}
	VkPhysicalDeviceIDProperties id = {.sType =
						   VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES};
	VkPhysicalDeviceProperties2 props = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
		.pNext = &id,
	};
	get_props2(pdev, &props);
	*out = (struct candidate){.pdev = pdev};
	snprintf(out->name, sizeof(out->name), "%s", props.properties.deviceName);
	memcpy(out->device_uuid, id.deviceUUID, VK_UUID_SIZE);
	memcpy(out->driver_uuid, id.driverUUID, VK_UUID_SIZE);
	if (props.properties.apiVersion < VK_API_VERSION_1_2) {
		snprintf(why, why_size, "%.128s supports only Vulkan %u.%u (1.2 is needed)",
			 out->name, VK_API_VERSION_MAJOR(props.properties.apiVersion),
			 VK_API_VERSION_MINOR(props.properties.apiVersion));
		return false;
	}
	VkPhysicalDeviceTimelineSemaphoreFeatures timeline = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES,
	};
	VkPhysicalDeviceFeatures2 features = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
		.pNext = &timeline,
	};
	get_features2(pdev, &features);
	if (!timeline.timelineSemaphore) {
		snprintf(why, why_size, "%.128s lacks timeline semaphores", out->name);
		return false;
	}
	uint32_t n = 0;
	if (enum_exts(pdev, NULL, &n, NULL) != VK_SUCCESS) {
		snprintf(why, why_size, "%.128s: cannot list device extensions", out->name);
		return false;
	}
	VkExtensionProperties *exts = calloc(n ? n : 1, sizeof(*exts));
	if (!exts) {
		snprintf(why, why_size, "out of memory");
		return false;
	}
	bool memory_fd = false;
	if (enum_exts(pdev, NULL, &n, exts) == VK_SUCCESS) {
		memory_fd = has_extension(exts, n, VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME);
		out->external_semaphore_fd =
			has_extension(exts, n, VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME);
	}
	free(exts);
	if (!memory_fd) {
		snprintf(why, why_size, "%.128s lacks %s", out->name,
			 VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME);
		return false;
	}
	uint32_t nf = 0;
	get_families(pdev, &nf, NULL);
	VkQueueFamilyProperties *families = calloc(nf ? nf : 1, sizeof(*families));
	if (!families) {
		snprintf(why, why_size, "out of memory");
		return false;
	}
	get_families(pdev, &nf, families);
	out->queue_family = UINT32_MAX;
	/* Graphics for the render pass; compute too where it can, for the patterns' shaders. */
	const VkQueueFlags both = VK_QUEUE_GRAPHICS_BIT | VK_QUEUE_COMPUTE_BIT;
	for (uint32_t i = 0; i < nf && out->queue_family == UINT32_MAX; i++)
		if ((families[i].queueFlags & both) == both && families[i].queueCount > 0)
			out->queue_family = i;
	for (uint32_t i = 0; i < nf && out->queue_family == UINT32_MAX; i++)
		if ((families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT) && families[i].queueCount > 0)
			out->queue_family = i;
	out->storage_write = out->queue_family != UINT32_MAX &&
			     (families[out->queue_family].queueFlags & VK_QUEUE_COMPUTE_BIT) &&
			     features.features.shaderStorageImageWriteWithoutFormat;
	free(families);
	if (out->queue_family == UINT32_MAX) {
		snprintf(why, why_size, "%.128s has no graphics queue", out->name);
		return false;
	}
	return true;
}

static bool create_instance(struct hp_vk_context *ctx, char *err, size_t err_size)
{
	PFN_vkGetInstanceProcAddr gipa = ctx->get_instance_proc_addr;
	PFN_vkEnumerateInstanceVersion enum_version =
		(PFN_vkEnumerateInstanceVersion)gipa(NULL, "vkEnumerateInstanceVersion");
	uint32_t version = VK_API_VERSION_1_0;
	if (enum_version && enum_version(&version) != VK_SUCCESS)
		version = VK_API_VERSION_1_0;
	if (version < VK_API_VERSION_1_2) {
		snprintf(err, err_size, "the Vulkan loader supports Vulkan %u.%u; 1.2 is needed",
			 VK_API_VERSION_MAJOR(version), VK_API_VERSION_MINOR(version));
		return false;
	}
	PFN_vkCreateInstance create = (PFN_vkCreateInstance)gipa(NULL, "vkCreateInstance");
	VkApplicationInfo app = {
		.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
		.pApplicationName = "handoff-producer",
		.apiVersion =
			version >= VK_API_VERSION_1_3 ? VK_API_VERSION_1_3 : VK_API_VERSION_1_2,
	};
	VkInstanceCreateInfo info = {
		.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
		.pApplicationInfo = &app,
	};
	VkResult r = create ? create(&info, NULL, &ctx->instance) : VK_ERROR_INITIALIZATION_FAILED;
	if (r != VK_SUCCESS) {
		snprintf(err, err_size, "cannot create a Vulkan instance: %s%s",
			 hf_vk_result_str(r),
			 r == VK_ERROR_INCOMPATIBLE_DRIVER ? " (is a Vulkan driver installed?)"
							   : "");
		return false;
	}
	ctx->destroy_instance = (PFN_vkDestroyInstance)gipa(ctx->instance, "vkDestroyInstance");
	hf_pin_loaded_objects();
	return true;
}

static bool pick_device(struct hp_vk_context *ctx, const uint8_t *device_uuid,
			const uint8_t *driver_uuid, struct candidate *chosen, char *err,
			size_t err_size)
{
	PFN_vkEnumeratePhysicalDevices enum_devices =
		(PFN_vkEnumeratePhysicalDevices)ctx->get_instance_proc_addr(
			ctx->instance, "vkEnumeratePhysicalDevices");
	uint32_t n = 0;
	VkResult r = enum_devices(ctx->instance, &n, NULL);
	if (r != VK_SUCCESS || n == 0) {
		snprintf(err, err_size, "no Vulkan device%s%s",
			 r != VK_SUCCESS ? ": " : " (is a Vulkan driver installed?)",
			 r != VK_SUCCESS ? hf_vk_result_str(r) : "");
		return false;
	}
	VkPhysicalDevice *pdevs = calloc(n, sizeof(*pdevs));
	if (!pdevs) {
		snprintf(err, err_size, "out of memory");
		return false;
	}
	r = enum_devices(ctx->instance, &n, pdevs);
	if (r != VK_SUCCESS && r != VK_INCOMPLETE) {
		free(pdevs);
		snprintf(err, err_size, "cannot list Vulkan devices: %s", hf_vk_result_str(r));
		return false;
	}
	bool found = false;
	char why[256] = "";
	for (uint32_t i = 0; i < n; i++) {
		struct candidate c;
		char reason[256];
		if (!check_device(ctx, pdevs[i], &c, reason, sizeof(reason))) {
			if (!why[0])
				snprintf(why, sizeof(why), "%s", reason);
			continue;
		}
		bool named = device_uuid && !memcmp(c.device_uuid, device_uuid, VK_UUID_SIZE) &&
			     !memcmp(c.driver_uuid, driver_uuid, VK_UUID_SIZE);
		/* The presenter's device wins; otherwise the first that fits. */
		if (!found || named) {
			*chosen = c;
			found = true;
			ctx->presenter_device = named;
		}
		if (named)
			break;
	}
	free(pdevs);
	if (!found)
		snprintf(err, err_size, "no usable Vulkan device: %s", why);
	return found;
}

static bool create_device(struct hp_vk_context *ctx, const struct candidate *c, char *err,
			  size_t err_size)
{
	PFN_vkGetInstanceProcAddr gipa = ctx->get_instance_proc_addr;
	PFN_vkCreateDevice create = (PFN_vkCreateDevice)gipa(ctx->instance, "vkCreateDevice");
	PFN_vkGetDeviceProcAddr gdpa =
		(PFN_vkGetDeviceProcAddr)gipa(ctx->instance, "vkGetDeviceProcAddr");
	const char *exts[2] = {VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME,
			       VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME};
	float priority = 1.0f;
	VkDeviceQueueCreateInfo queue = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
		.queueFamilyIndex = c->queue_family,
		.queueCount = 1,
		.pQueuePriorities = &priority,
	};
	VkPhysicalDeviceTimelineSemaphoreFeatures timeline = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES,
		.timelineSemaphore = VK_TRUE,
	};
	VkPhysicalDeviceFeatures2 features = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
		.pNext = &timeline,
		.features.shaderStorageImageWriteWithoutFormat = c->storage_write,
	};
	VkDeviceCreateInfo info = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
		.pNext = &features,
		.queueCreateInfoCount = 1,
		.pQueueCreateInfos = &queue,
		.enabledExtensionCount = c->external_semaphore_fd ? 2 : 1,
		.ppEnabledExtensionNames = exts,
	};
	VkResult r = create && gdpa ? create(c->pdev, &info, NULL, &ctx->device)
				    : VK_ERROR_INITIALIZATION_FAILED;
	if (r != VK_SUCCESS) {
		snprintf(err, err_size, "cannot create a Vulkan device on %s: %s", c->name,
			 hf_vk_result_str(r));
		return false;
	}
	const char *device_name = c->name;
#define X(fn_name)                                                                                 \
	ctx->fn.fn_name = (PFN_##fn_name)gdpa(ctx->device, #fn_name);                              \
	if (!ctx->fn.fn_name) {                                                                    \
		snprintf(err, err_size, "the Vulkan device %s lacks %s", device_name, #fn_name);   \
		return false;                                                                      \
	}
	HP_VK_DEVICE_FUNCS(X)
#undef X
	ctx->physical_device = c->pdev;
	ctx->queue_family = c->queue_family;
	ctx->external_semaphore_fd = c->external_semaphore_fd;
	ctx->storage_write = c->storage_write;
	ctx->get_format_properties = (PFN_vkGetPhysicalDeviceFormatProperties)gipa(
		ctx->instance, "vkGetPhysicalDeviceFormatProperties");
	snprintf(ctx->name, sizeof(ctx->name), "%s", c->name);
	ctx->fn.vkGetDeviceQueue(ctx->device, c->queue_family, 0, &ctx->queue);
	return true;
}

struct hp_vk_context *hp_vk_context_create(const uint8_t *device_uuid, const uint8_t *driver_uuid,
					   char *err, size_t err_size)
{
	struct hp_vk_context *ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	ctx->loader = dlopen(LOADER_NAME, RTLD_NOW | RTLD_LOCAL);
	if (!ctx->loader) {
		snprintf(err, err_size, "cannot load the Vulkan loader: %s", dlerror());
		goto err;
	}
	ctx->get_instance_proc_addr =
		(PFN_vkGetInstanceProcAddr)dlsym(ctx->loader, "vkGetInstanceProcAddr");
	if (!ctx->get_instance_proc_addr) {
		snprintf(err, err_size, "%s has no vkGetInstanceProcAddr", LOADER_NAME);
		goto err;
	}
	struct candidate chosen;
	if (!create_instance(ctx, err, err_size) ||
	    !pick_device(ctx, device_uuid, driver_uuid, &chosen, err, err_size) ||
	    !create_device(ctx, &chosen, err, err_size))
		goto err;
	return ctx;
err:
	hp_vk_context_destroy(ctx);
	return NULL;
}

void hp_vk_context_destroy(struct hp_vk_context *ctx)
{
	if (!ctx)
		return;
	if (ctx->stuck) {
		/* Destroying a device with work still pending is undefined: leave it to exit. */
		free(ctx);
		return;
	}
	if (ctx->device && ctx->fn.vkDestroyDevice)
		ctx->fn.vkDestroyDevice(ctx->device, NULL);
	if (ctx->instance && ctx->destroy_instance)
		ctx->destroy_instance(ctx->instance, NULL);
	if (ctx->loader)
		dlclose(ctx->loader);
	free(ctx);
}

bool hp_vk_context_can_store(const struct hp_vk_context *ctx, VkFormat format)
{
	if (!ctx->storage_write || !ctx->get_format_properties)
		return false;
	VkFormatProperties props;
	ctx->get_format_properties(ctx->physical_device, format, &props);
	return props.optimalTilingFeatures & VK_FORMAT_FEATURE_STORAGE_IMAGE_BIT;
}

struct hp_vk_device hp_vk_context_sdk_device(const struct hp_vk_context *ctx)
{
	return (struct hp_vk_device){
		.get_instance_proc_addr = ctx->get_instance_proc_addr,
		.instance = ctx->instance,
		.physical_device = ctx->physical_device,
		.device = ctx->device,
		.queue_family = ctx->queue_family,
		.external_semaphore_fd = ctx->external_semaphore_fd,
	};
}
