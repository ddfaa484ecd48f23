/*
 * A Vulkan application on the producer SDK (handoff-producer-vulkan.h), with its own instance
 * and device: clears frame N of a Vulkan window to color(N) with vkCmdClearColorImage, waits
 * and signals the semaphores the SDK names, and shows `frames` frames. Run by
 * tests/e2e/vulkan_sdk_example.sh.
 */
#include <handoff-producer-vulkan.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct app {
	VkInstance instance;
	VkPhysicalDevice gpu;
	VkDevice device;
	VkQueue queue;
	uint32_t family;
	bool semaphore_fd;
	VkCommandPool pool;
	VkCommandBuffer cmds[2]; /* one per image: the SDK hands an image out only once its
				  * previous frame has completed on the GPU */
	uint64_t last_feedback;
};

static bool has_ext(VkPhysicalDevice gpu, const char *name)
{
	uint32_t n = 0;
	vkEnumerateDeviceExtensionProperties(gpu, NULL, &n, NULL);
	VkExtensionProperties *exts = calloc(n ? n : 1, sizeof(*exts));
	bool found = false;
	if (exts && vkEnumerateDeviceExtensionProperties(gpu, NULL, &n, exts) == VK_SUCCESS)
		for (uint32_t i = 0; i < n && !found; i++)
			found = !strcmp(exts[i].extensionName, name);
	free(exts);
	return found;
}

/* The presenter's device when it names one (same UUIDs), else the first with the extension. */
static bool pick_gpu(struct app *a, struct hp_client *c)
{
	uint8_t dev_uuid[16], drv_uuid[16];
	bool named = hp_client_get_vulkan_device(c, dev_uuid, drv_uuid);
	uint32_t n = 0;
	vkEnumeratePhysicalDevices(a->instance, &n, NULL);
	VkPhysicalDevice gpus[16];
	n = n > 16 ? 16 : n;
	vkEnumeratePhysicalDevices(a->instance, &n, gpus);
	for (uint32_t i = 0; i < n; i++) {
		VkPhysicalDeviceIDProperties id = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES};
		VkPhysicalDeviceProperties2 props = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, .pNext = &id};
		vkGetPhysicalDeviceProperties2(gpus[i], &props);
		if (!has_ext(gpus[i], VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME))
			continue;
		bool match = named && !memcmp(id.deviceUUID, dev_uuid, 16) &&
			     !memcmp(id.driverUUID, drv_uuid, 16);
		if (!a->gpu || match)
			a->gpu = gpus[i];
	}
	return a->gpu != VK_NULL_HANDLE;
}

static bool init_vulkan(struct app *a, struct hp_client *c)
{
	VkApplicationInfo info = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
				  .apiVersion = VK_API_VERSION_1_2};
	VkInstanceCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
				    .pApplicationInfo = &info};
	if (vkCreateInstance(&ici, NULL, &a->instance) != VK_SUCCESS || !pick_gpu(a, c))
		return false;
	uint32_t nf = 0;
	vkGetPhysicalDeviceQueueFamilyProperties(a->gpu, &nf, NULL);
	VkQueueFamilyProperties families[16];
	nf = nf > 16 ? 16 : nf;
	vkGetPhysicalDeviceQueueFamilyProperties(a->gpu, &nf, families);
	for (a->family = 0; a->family < nf; a->family++)
		if (families[a->family].queueFlags & VK_QUEUE_GRAPHICS_BIT)
			break;
	if (a->family == nf)
		return false;
	a->semaphore_fd = has_ext(a->gpu, VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME);
	const char *exts[] = {VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME,
			      VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME};
	float prio = 1.0f;
	VkDeviceQueueCreateInfo qci = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
				       .queueFamilyIndex = a->family,
				       .queueCount = 1,
				       .pQueuePriorities = &prio};
	VkPhysicalDeviceTimelineSemaphoreFeatures timeline = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES,
		.timelineSemaphore = VK_TRUE};
	VkDeviceCreateInfo dci = {.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
				  .pNext = &timeline,
				  .queueCreateInfoCount = 1,
				  .pQueueCreateInfos = &qci,
				  .enabledExtensionCount = a->semaphore_fd ? 2 : 1,
				  .ppEnabledExtensionNames = exts};
	if (vkCreateDevice(a->gpu, &dci, NULL, &a->device) != VK_SUCCESS)
		return false;
	vkGetDeviceQueue(a->device, a->family, 0, &a->queue);
	VkCommandPoolCreateInfo pci = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
				       .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
				       .queueFamilyIndex = a->family};
	VkCommandBufferAllocateInfo cai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
					   .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
					   .commandBufferCount = 2};
	if (vkCreateCommandPool(a->device, &pci, NULL, &a->pool) != VK_SUCCESS)
		return false;
	cai.commandPool = a->pool;
	return vkAllocateCommandBuffers(a->device, &cai, a->cmds) == VK_SUCCESS;
}

static bool draw(struct app *a, const struct hp_vk_frame *vf)
{
	VkCommandBuffer cmd = a->cmds[vf->index];
	VkCommandBufferBeginInfo begin = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
	if (vkBeginCommandBuffer(cmd, &begin) != VK_SUCCESS)
		return false;
	VkPipelineStageFlags stage = VK_PIPELINE_STAGE_TRANSFER_BIT;
	hp_vk_cmd_acquire(vf, cmd, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, stage,
			  VK_ACCESS_TRANSFER_WRITE_BIT);
	uint32_t c = 0xff000000u | (((uint32_t)vf->signal_value * 2654435761u) >> 8);
	VkClearColorValue colour = {.float32 = {(float)((c >> 16) & 0xff) / 255.0f,
						(float)((c >> 8) & 0xff) / 255.0f,
						(float)(c & 0xff) / 255.0f, 1.0f}};
	VkImageSubresourceRange range = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
	vkCmdClearColorImage(cmd, vf->image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &colour, 1,
			     &range);
	hp_vk_cmd_release(vf, cmd, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, stage,
			  VK_ACCESS_TRANSFER_WRITE_BIT);
	if (vkEndCommandBuffer(cmd) != VK_SUCCESS)
		return false;
	bool wait = vf->wait_semaphore != VK_NULL_HANDLE;
	VkTimelineSemaphoreSubmitInfo values = {
		.sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO,
		.waitSemaphoreValueCount = wait ? 1 : 0,
		.pWaitSemaphoreValues = &vf->wait_value,
		.signalSemaphoreValueCount = 1,
		.pSignalSemaphoreValues = &vf->signal_value};
	VkSubmitInfo submit = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
			       .pNext = &values,
			       .waitSemaphoreCount = wait ? 1 : 0,
			       .pWaitSemaphores = &vf->wait_semaphore,
			       .pWaitDstStageMask = &stage,
			       .commandBufferCount = 1,
			       .pCommandBuffers = &cmd,
			       .signalSemaphoreCount = 1,
			       .pSignalSemaphores = &vf->signal_semaphore};
	return vkQueueSubmit(a->queue, 1, &submit, VK_NULL_HANDLE) == VK_SUCCESS;
}

static void on_feedback(void *data, const struct hp_feedback *fb)
{
	struct app *a = data;
	a->last_feedback = fb->frame;
}

int main(int argc, char **argv)
{
	uint64_t frames = argc > 1 ? strtoull(argv[1], NULL, 10) : 10;
	struct app a = {0};
	char err[256];
	int code = 1;
	struct hp_client *c = hp_client_connect(NULL, err, sizeof(err));
	if (!c) {
		fprintf(stderr, "vk-sdk-example: %s\n", err);
		return 1;
	}
	struct hp_window *w = NULL;
	if (!init_vulkan(&a, c)) {
		fprintf(stderr, "vk-sdk-example: no usable Vulkan device\n");
		goto out;
	}
	struct hp_vk_device dev = {
		.get_instance_proc_addr = vkGetInstanceProcAddr,
		.instance = a.instance,
		.physical_device = a.gpu,
		.device = a.device,
		.queue_family = a.family,
		.external_semaphore_fd = a.semaphore_fd,
	};
	struct hp_window_config cfg = hp_window_config_default(160, 120);
	w = hp_window_create_vulkan(c, &cfg, &dev, VK_IMAGE_USAGE_TRANSFER_DST_BIT, err,
				    sizeof(err));
	if (!w) {
		fprintf(stderr, "vk-sdk-example: %s\n", err);
		goto out;
	}
	printf("vk-sdk-example: %s\n", hp_vk_window_transport(w));
	hp_window_set_feedback(w, on_feedback, &a);
	for (uint64_t i = 0; i < frames; i++) {
		struct hp_frame *f = hp_frame_begin(w, -1);
		struct hp_vk_frame vf;
		if (!f || !hp_vk_frame_get(f, &vf) || f->data != NULL) {
			fprintf(stderr, "vk-sdk-example: %s\n", hp_client_error(c));
			goto out;
		}
		if (!draw(&a, &vf) || !hp_frame_submit(w, f)) {
			fprintf(stderr, "vk-sdk-example: cannot submit: %s\n", hp_client_error(c));
			goto out;
		}
	}
	while (a.last_feedback < frames)
		if (!hp_client_dispatch(c, 1000)) {
			fprintf(stderr, "vk-sdk-example: %s\n", hp_client_error(c));
			goto out;
		}
	code = 0;
out:
	hp_window_destroy(w); /* waits for the GPU before it destroys the images */
	if (a.device) {
		vkDeviceWaitIdle(a.device);
		vkDestroyCommandPool(a.device, a.pool, NULL);
		vkDestroyDevice(a.device, NULL);
	}
	if (a.instance)
		vkDestroyInstance(a.instance, NULL);
	hp_client_destroy(c);
	return code;
}
