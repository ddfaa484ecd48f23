/* The SDK's own Vulkan device (vk_own_device.h). */
#include "vk_own_device.h"

#include "vk_result.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#define MAX_DEVICES 16

static const char *const device_extensions[] = {
	"VK_KHR_external_memory_fd",
	"VK_KHR_external_semaphore_fd",
};

/* The physical device with this UUID, or NULL with its name list in err. */
static VkPhysicalDevice find_device(struct hp_vk_own_device *d, const uint8_t uuid[16], char *err,
				    size_t err_size)
{
	PFN_vkEnumeratePhysicalDevices enumerate =
		(PFN_vkEnumeratePhysicalDevices)d->get_instance_proc_addr(
			d->instance, "vkEnumeratePhysicalDevices");
	PFN_vkGetPhysicalDeviceProperties2 props2 =
		(PFN_vkGetPhysicalDeviceProperties2)d->get_instance_proc_addr(
			d->instance, "vkGetPhysicalDeviceProperties2");
	VkPhysicalDevice pdevs[MAX_DEVICES];
	uint32_t n = MAX_DEVICES;
	VkResult r = enumerate ? enumerate(d->instance, &n, pdevs) : VK_ERROR_INITIALIZATION_FAILED;
	if ((r != VK_SUCCESS && r != VK_INCOMPLETE) || !props2) {
		snprintf(err, err_size, "Vulkan: cannot list the GPUs: %s", hf_vk_result_str(r));
		return NULL;
	}
	for (uint32_t i = 0; i < n; i++) {
		VkPhysicalDeviceIDProperties id = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES,
		};
		VkPhysicalDeviceProperties2 p = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
			.pNext = &id,
		};
		props2(pdevs[i], &p);
		if (!memcmp(id.deviceUUID, uuid, VK_UUID_SIZE)) {
			snprintf(d->name, sizeof(d->name), "%s", p.properties.deviceName);
			return pdevs[i];
		}
	}
	snprintf(err, err_size, "Vulkan: none of the %u GPUs here is the presenter's", n);
	return NULL;
}

bool hp_vk_own_device_create(struct hp_vk_own_device *d, const uint8_t device_uuid[16], char *err,
			     size_t err_size)
{
	*d = (struct hp_vk_own_device){0};
	d->loader = dlopen("libvulkan.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!d->loader) {
		snprintf(err, err_size, "no Vulkan loader: %s", dlerror());
		return false;
	}
	*(void **)&d->get_instance_proc_addr = dlsym(d->loader, "vkGetInstanceProcAddr");
	PFN_vkCreateInstance create_instance =
		d->get_instance_proc_addr
			? (PFN_vkCreateInstance)d->get_instance_proc_addr(NULL, "vkCreateInstance")
			: NULL;
	if (!create_instance) {
		snprintf(err, err_size, "the Vulkan loader lacks vkCreateInstance");
		return false;
	}
	VkApplicationInfo app = {
		.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
		.pApplicationName = "handoff-producer SDK",
		.apiVersion = VK_API_VERSION_1_2,
	};
	VkInstanceCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
		.pApplicationInfo = &app,
	};
	VkResult r = create_instance(&ici, NULL, &d->instance);
	if (r != VK_SUCCESS) {
		snprintf(err, err_size, "Vulkan: cannot create an instance: %s",
			 hf_vk_result_str(r));
		return false;
	}
	d->physical_device = find_device(d, device_uuid, err, err_size);
	if (!d->physical_device)
		return false;
	PFN_vkCreateDevice create_device =
		(PFN_vkCreateDevice)d->get_instance_proc_addr(d->instance, "vkCreateDevice");
	/* No queue is used (CUDA does the work), but a device has at least one. */
	float priority = 0.0f;
	VkDeviceQueueCreateInfo queue = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
		.queueFamilyIndex = 0,
		.queueCount = 1,
		.pQueuePriorities = &priority,
	};
	VkPhysicalDeviceVulkan12Features features12 = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
		.timelineSemaphore = VK_TRUE,
	};
	VkDeviceCreateInfo dci = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
		.pNext = &features12,
		.queueCreateInfoCount = 1,
		.pQueueCreateInfos = &queue,
		.enabledExtensionCount = sizeof(device_extensions) / sizeof(device_extensions[0]),
		.ppEnabledExtensionNames = device_extensions,
	};
	r = create_device ? create_device(d->physical_device, &dci, NULL, &d->device)
			  : VK_ERROR_INITIALIZATION_FAILED;
	if (r != VK_SUCCESS) {
		d->device = VK_NULL_HANDLE;
		snprintf(err, err_size,
			 "Vulkan: cannot make a device on %s with timeline semaphores and "
			 "opaque-fd export: %s",
			 d->name, hf_vk_result_str(r));
		return false;
	}
	return true;
}

struct hp_vk_device hp_vk_own_device_sdk(const struct hp_vk_own_device *d)
{
	return (struct hp_vk_device){
		.get_instance_proc_addr = d->get_instance_proc_addr,
		.instance = d->instance,
		.physical_device = d->physical_device,
		.device = d->device,
		.queue_family = d->queue_family,
		.external_semaphore_fd = true,
	};
}

void hp_vk_own_device_destroy(struct hp_vk_own_device *d)
{
	if (!d->loader)
		return;
	if (d->device) {
		PFN_vkDestroyDevice destroy_device = (PFN_vkDestroyDevice)d->get_instance_proc_addr(
			d->instance, "vkDestroyDevice");
		destroy_device(d->device, NULL);
	}
	if (d->instance) {
		PFN_vkDestroyInstance destroy_instance =
			(PFN_vkDestroyInstance)d->get_instance_proc_addr(d->instance,
									 "vkDestroyInstance");
		destroy_instance(d->instance, NULL);
	}
	dlclose(d->loader);
	*d = (struct hp_vk_own_device){0};
}
