/*
 * The SDK's Vulkan windows (handoff-producer-vulkan.h): exported images, the semaphores of
 * their frames, and the thread that turns GPU completion into shm acquire points where the
 * presenter cannot wait on the GPU itself.
 */
#define _GNU_SOURCE
#include "window_vulkan.h"

#include "format.h"
#include "handoff-v1-client-protocol.h"
#include "image.h"
#include "time_util.h"
#include "timeline.h"
#include "vk_result.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* How long a frame's GPU work may take before we call the device stuck. */
#define GPU_TIMEOUT_NS (10 * HF_NSEC_PER_SEC)
/* How often the completion thread looks at its stop flag. */
#define COMPLETION_SLICE_NS (100 * 1000000LL)

#define DEFAULT_USAGE                                                                              \
	(VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT |                       \
	 VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT)

void hp_vk_window_fail(struct hp_vk_window *vk, const char *what, VkResult r)
{
	pthread_mutex_lock(&vk->failure_lock);
	if (!atomic_load(&vk->failed)) {
		snprintf(vk->failure, sizeof(vk->failure), "Vulkan: %s: %s (VkResult %d)", what,
			 hf_vk_result_str(r), (int)r);
		atomic_store(&vk->failed, true);
	}
	pthread_mutex_unlock(&vk->failure_lock);
}

static const char *vk_window_failure(struct hp_window *w)
{
	struct hp_vk_window *vk = (struct hp_vk_window *)w;
	return atomic_load(&vk->failed) ? vk->failure : NULL;
}

static VkFormat vk_format_of(uint32_t fourcc)
{
	const struct hf_format *fmt = hf_format_from_fourcc(fourcc);
	return fmt ? (VkFormat)fmt->vk_format : VK_FORMAT_UNDEFINED;
}

static bool load_functions(struct hp_vk_window *vk, const struct hp_vk_device *dev, char *err,
			   size_t err_size)
{
	struct vk_fns *fn = &vk->fn;
	if (!dev->get_instance_proc_addr) {
		snprintf(err, err_size, "Vulkan: no get_instance_proc_addr given");
		return false;
	}
#define X(name)                                                                                    \
	fn->name = (PFN_##name)dev->get_instance_proc_addr(dev->instance, #name);                  \
	if (!fn->name) {                                                                           \
		snprintf(err, err_size, "Vulkan: the instance lacks %s (needs Vulkan 1.2)",        \
			 #name);                                                                   \
		return false;                                                                      \
	}
	VK_INSTANCE_FUNCS(X)
#undef X
#define X(name)                                                                                    \
	fn->name = (PFN_##name)fn->vkGetDeviceProcAddr(dev->device, #name);                        \
	if (!fn->name) {                                                                           \
		snprintf(err, err_size,                                                            \
			 "Vulkan: the device lacks %s (needs Vulkan 1.2, the timelineSemaphore "   \
			 "feature and VK_KHR_external_memory_fd)",                                 \
			 #name);                                                                   \
		return false;                                                                      \
	}
	VK_DEVICE_FUNCS(X)
#undef X
	if (dev->external_semaphore_fd)
		fn->vkGetSemaphoreFdKHR = (PFN_vkGetSemaphoreFdKHR)fn->vkGetDeviceProcAddr(
			dev->device, "vkGetSemaphoreFdKHR");
	return true;
}

/* Whether images of this tiling can be made and exported as opaque fds; dedicated is set when
 * the driver wants the memory dedicated to the image. */
static bool image_exportable(struct hp_vk_window *vk, VkPhysicalDevice pdev, VkImageTiling tiling,
			     int32_t width, int32_t height, bool *dedicated)
{
	VkPhysicalDeviceExternalImageFormatInfo external_info = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_IMAGE_FORMAT_INFO,
		.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT,
	};
	VkPhysicalDeviceImageFormatInfo2 info = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_IMAGE_FORMAT_INFO_2,
		.pNext = &external_info,
		.format = vk->format,
		.type = VK_IMAGE_TYPE_2D,
		.tiling = tiling,
		.usage = vk->usage,
	};
	VkExternalImageFormatProperties external_props = {
		.sType = VK_STRUCTURE_TYPE_EXTERNAL_IMAGE_FORMAT_PROPERTIES,
	};
	VkImageFormatProperties2 props = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_FORMAT_PROPERTIES_2,
		.pNext = &external_props,
	};
	if (vk->fn.vkGetPhysicalDeviceImageFormatProperties2(pdev, &info, &props) != VK_SUCCESS)
		return false;
	const VkExternalMemoryProperties *ext = &external_props.externalMemoryProperties;
	if (!(ext->externalMemoryFeatures & VK_EXTERNAL_MEMORY_FEATURE_EXPORTABLE_BIT))
		return false;
	if (props.imageFormatProperties.maxExtent.width < (uint32_t)width ||
	    props.imageFormatProperties.maxExtent.height < (uint32_t)height)
		return false;
	*dedicated = ext->externalMemoryFeatures & VK_EXTERNAL_MEMORY_FEATURE_DEDICATED_ONLY_BIT;
	return true;
}

static bool timeline_exportable(struct hp_vk_window *vk, VkPhysicalDevice pdev)
{
	if (!vk->fn.vkGetSemaphoreFdKHR)
		return false;
	VkSemaphoreTypeCreateInfo type = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
		.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE,
	};
	VkPhysicalDeviceExternalSemaphoreInfo info = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_SEMAPHORE_INFO,
		.pNext = &type,
		.handleType = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT,
	};
	VkExternalSemaphoreProperties props = {
		.sType = VK_STRUCTURE_TYPE_EXTERNAL_SEMAPHORE_PROPERTIES,
	};
	vk->fn.vkGetPhysicalDeviceExternalSemaphoreProperties(pdev, &info, &props);
	return props.externalSemaphoreFeatures & VK_EXTERNAL_SEMAPHORE_FEATURE_EXPORTABLE_BIT;
}

static bool create_timeline(struct hp_vk_window *vk, bool exported, VkSemaphore *out, char *err,
			    size_t err_size)
{
	VkExportSemaphoreCreateInfo export_info = {
		.sType = VK_STRUCTURE_TYPE_EXPORT_SEMAPHORE_CREATE_INFO,
		.handleTypes = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT,
	};
	VkSemaphoreTypeCreateInfo type = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
		.pNext = exported ? &export_info : NULL,
		.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE,
	};
	VkSemaphoreCreateInfo info = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO,
		.pNext = &type,
	};
	VkResult r = vk->fn.vkCreateSemaphore(vk->device, &info, NULL, out);
	if (r != VK_SUCCESS) {
		snprintf(err, err_size, "Vulkan: cannot create a timeline semaphore: %s",
			 hf_vk_result_str(r));
		return false;
	}
	return true;
}

/* Imports a Vulkan timeline into presenter p; NULL with err set on failure. */
static struct handoff_timeline_v1 *import_vk_timeline(struct hp_vk_window *vk, int p,
						      VkSemaphore sem, char *err, size_t err_size)
{
	VkSemaphoreGetFdInfoKHR info = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_GET_FD_INFO_KHR,
		.semaphore = sem,
		.handleType = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT,
	};
	int fd = -1;
	VkResult r = vk->fn.vkGetSemaphoreFdKHR(vk->device, &info, &fd);
	if (r != VK_SUCCESS) {
		snprintf(err, err_size, "Vulkan: the driver refuses to export a timeline: %s",
			 hf_vk_result_str(r));
		return NULL;
	}
	struct handoff_timeline_v1 *obj =
		handoff_manager_v1_import_timeline(vk->base.pres[p].client->manager, fd,
						   HANDOFF_MANAGER_V1_TIMELINE_KIND_VK_OPAQUE_FD);
	close(fd);
	return obj;
}

/* Device-local memory for the GPU to share; for a memfd, memory we can map to find it. */
static uint32_t pick_memory_type(struct hp_vk_window *vk, VkPhysicalDevice pdev, uint32_t bits)
{
	VkPhysicalDeviceMemoryProperties props;
	vk->fn.vkGetPhysicalDeviceMemoryProperties(pdev, &props);
	VkMemoryPropertyFlags need = vk->vk_memory ? 0
						   : VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
							     VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
	VkMemoryPropertyFlags prefer = need | VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
	for (uint32_t i = 0; i < props.memoryTypeCount; i++)
		if ((bits & (1u << i)) && (props.memoryTypes[i].propertyFlags & prefer) == prefer)
			return i;
	for (uint32_t i = 0; i < props.memoryTypeCount; i++)
		if ((bits & (1u << i)) && (props.memoryTypes[i].propertyFlags & need) == need)
			return i;
	return UINT32_MAX;
}

/*
 * Where the allocation lies in its exported memfd. Drivers may put a header first: Mesa's
 * lavapipe starts the file with one page of its own. So a marker written through
 * vkMapMemory is looked for at each page of the file where the allocation would fit.
 */
static bool find_in_memfd(struct hp_vk_window *vk, VkDeviceMemory memory, VkDeviceSize size, int fd,
			  uint64_t *offset)
{
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size < size)
		return false;
	void *mem = NULL;
	if (vk->fn.vkMapMemory(vk->device, memory, 0, VK_WHOLE_SIZE, 0, &mem) != VK_SUCCESS)
		return false;
	uint32_t marker[16];
	for (int i = 0; i < 16; i++)
		marker[i] = 0x48464d4bu ^ (uint32_t)(i * 2654435761u) ^ (uint32_t)getpid();
	size_t marker_size = size < sizeof(marker) ? (size_t)size : sizeof(marker);
	memcpy(mem, marker, marker_size);
	uint8_t *file = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	bool found = false;
	if (file != MAP_FAILED) {
		for (uint64_t at = 0; !found && at + size <= (uint64_t)st.st_size; at += 4096) {
			found = !memcmp(file + at, marker, marker_size);
			if (found)
				*offset = at;
		}
		munmap(file, (size_t)st.st_size);
	}
	vk->fn.vkUnmapMemory(vk->device, memory);
	return found;
}

/* Hands the exported memory over: create_vk_image, or create_buffer / wl_shm for a memfd. */
static bool image_share(struct hp_vk_window *vk, struct hp_image *image, int fd, VkDeviceSize size,
			uint32_t memory_type, bool dedicated, char *err, size_t err_size)
{
	struct hp_window *w = &vk->base;
	const struct hp_window_config *cfg = &w->cfg;
	struct hp_vk_image *vi = &vk->images[image - w->images];
	VkSubresourceLayout layout = {0};
	if (vk->tiling == VK_IMAGE_TILING_LINEAR) {
		VkImageSubresource sub = {.aspectMask = VK_IMAGE_ASPECT_COLOR_BIT};
		vk->fn.vkGetImageSubresourceLayout(vk->device, vi->image, &sub, &layout);
		vi->layout = layout;
	}
	if (vk->vk_memory) {
		/* The same memory in every presenter: each imports the fd (a copy travels in
		 * each message). */
		for (int p = 0; p < w->n_pres; p++)
			image->links[p].buffer = handoff_manager_v1_create_vk_image(
				w->pres[p].client->manager, fd,
				HANDOFF_MANAGER_V1_MEMORY_KIND_VK_OPAQUE_FD, cfg->width,
				cfg->height, cfg->fourcc, (uint32_t)vk->format,
				(uint32_t)vk->tiling, (uint32_t)vk->usage, 0,
				(uint32_t)(size >> 32), (uint32_t)size, memory_type,
				(uint32_t)layout.offset, (uint32_t)layout.rowPitch,
				dedicated ? HANDOFF_MANAGER_V1_BUFFER_FLAGS_DEDICATED : 0);
		return true;
	}
	/* A memfd: the presenter maps it, so it must be sealed and hold the whole image. */
	uint64_t base = 0;
	if (!find_in_memfd(vk, vi->memory, size, fd, &base)) {
		snprintf(err, err_size,
			 "the presenter takes only memfd memory, and this Vulkan driver's exported "
			 "image memory is not a memfd holding the image; run the presenter with "
			 "Vulkan on the same device");
		return false;
	}
	struct hf_image_layout l = {
		.width = cfg->width,
		.height = cfg->height,
		.fourcc = cfg->fourcc,
		.offset = base + layout.offset,
		.stride = layout.rowPitch,
	};
	char reason[160];
	if (l.offset > INT32_MAX || layout.rowPitch > INT32_MAX ||
	    hf_image_validate(fd, &l, reason, sizeof(reason)) != HF_IMAGE_OK) {
		snprintf(err, err_size,
			 "the presenter takes only memfd memory, and this Vulkan driver's exported "
			 "image memory is not a sealed memfd holding the image (%s); run the "
			 "presenter with Vulkan on the same device",
			 l.offset > INT32_MAX || layout.rowPitch > INT32_MAX
				 ? "offset or row pitch out of range"
				 : reason);
		return false;
	}
	return hp_image_share_memfd(w, image, fd, (uint32_t)l.offset, (uint32_t)layout.rowPitch,
				    l.offset + layout.rowPitch * (uint64_t)cfg->height, err,
				    err_size);
}

/* Makes image, shares it with every presenter, and makes its release timelines. On failure
 * what was made stays in vk->images for hp_vk_window_finish(). */
static bool image_init(struct hp_vk_window *vk, struct hp_image *image, char *err, size_t err_size)
{
	struct hp_window *w = &vk->base;
	const struct hp_window_config *cfg = &w->cfg;
	struct hp_vk_image *vi = &vk->images[image - w->images];
	VkExternalMemoryImageCreateInfo external = {
		.sType = VK_STRUCTURE_TYPE_EXTERNAL_MEMORY_IMAGE_CREATE_INFO,
		.handleTypes = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT,
	};
	/* Exactly what create_vk_image tells the presenter to make. */
	VkImageCreateInfo info = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
		.pNext = &external,
		.imageType = VK_IMAGE_TYPE_2D,
		.format = vk->format,
		.extent = {(uint32_t)cfg->width, (uint32_t)cfg->height, 1},
		.mipLevels = 1,
		.arrayLayers = 1,
		.samples = VK_SAMPLE_COUNT_1_BIT,
		.tiling = vk->tiling,
		.usage = vk->usage,
		.sharingMode = VK_SHARING_MODE_EXCLUSIVE,
		.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
	};
	VkResult r = vk->fn.vkCreateImage(vk->device, &info, NULL, &vi->image);
	if (r != VK_SUCCESS) {
		snprintf(err, err_size, "Vulkan: cannot create a %dx%d image: %s", cfg->width,
			 cfg->height, hf_vk_result_str(r));
		return false;
	}
	VkMemoryDedicatedRequirements dedicated_req = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_DEDICATED_REQUIREMENTS,
	};
	VkMemoryRequirements2 req = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_REQUIREMENTS_2,
		.pNext = &dedicated_req,
	};
	VkImageMemoryRequirementsInfo2 req_info = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_REQUIREMENTS_INFO_2,
		.image = vi->image,
	};
	vk->fn.vkGetImageMemoryRequirements2(vk->device, &req_info, &req);
	bool dedicated = vk->dedicated_memory || dedicated_req.prefersDedicatedAllocation ||
			 dedicated_req.requiresDedicatedAllocation;
	uint32_t type =
		pick_memory_type(vk, vk->physical_device, req.memoryRequirements.memoryTypeBits);
	if (type == UINT32_MAX) {
		snprintf(err, err_size, "Vulkan: no memory type fits the image%s",
			 vk->vk_memory ? "" : " and is host-visible (for memfd memory)");
		return false;
	}
	VkMemoryDedicatedAllocateInfo dedicated_info = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_DEDICATED_ALLOCATE_INFO,
		.image = vi->image,
	};
	VkExportMemoryAllocateInfo export_info = {
		.sType = VK_STRUCTURE_TYPE_EXPORT_MEMORY_ALLOCATE_INFO,
		.pNext = dedicated ? &dedicated_info : NULL,
		.handleTypes = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT,
	};
	VkMemoryAllocateInfo alloc = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
		.pNext = &export_info,
		.allocationSize = req.memoryRequirements.size,
		.memoryTypeIndex = type,
	};
	r = vk->fn.vkAllocateMemory(vk->device, &alloc, NULL, &vi->memory);
	if (r != VK_SUCCESS) {
		snprintf(err, err_size,
			 "Vulkan: cannot allocate %llu bytes of exportable memory: %s",
			 (unsigned long long)alloc.allocationSize, hf_vk_result_str(r));
		return false;
	}
	r = vk->fn.vkBindImageMemory(vk->device, vi->image, vi->memory, 0);
	if (r != VK_SUCCESS) {
		snprintf(err, err_size, "Vulkan: cannot bind image memory: %s",
			 hf_vk_result_str(r));
		return false;
	}
	VkMemoryGetFdInfoKHR fd_info = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_GET_FD_INFO_KHR,
		.memory = vi->memory,
		.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT,
	};
	int fd = -1;
	r = vk->fn.vkGetMemoryFdKHR(vk->device, &fd_info, &fd);
	if (r != VK_SUCCESS) {
		snprintf(err, err_size, "Vulkan: the driver refuses to export image memory: %s",
			 hf_vk_result_str(r));
		return false;
	}
	bool ok = image_share(vk, image, fd, alloc.allocationSize, type, dedicated, err, err_size);
	close(fd);
	if (!ok)
		return false;
	image->frame = (struct hp_frame){
		.width = cfg->width,
		.height = cfg->height,
		.fourcc = cfg->fourcc,
		.window = w,
	};
	vi->size = alloc.allocationSize;
	vi->dedicated = dedicated;
	if (cfg->sync == HP_SYNC_IMPLICIT)
		return true;
	if (!vk->vk_timeline)
		return image->release_timeline || hp_image_add_shm_release(w, image, err, err_size);
	for (int p = 0; p < w->n_pres; p++) {
		if (!create_timeline(vk, true, &vi->release[p], err, err_size))
			return false;
		image->links[p].release_object =
			import_vk_timeline(vk, p, vi->release[p], err, err_size);
		if (!image->links[p].release_object)
			return false;
	}
	return true;
}

static void *completion_main(void *data)
{
	struct hp_vk_window *vk = data;
	struct hp_window *w = &vk->base;
	uint64_t signaled = 0;
	pthread_mutex_lock(&vk->lock);
	for (;;) {
		while (!vk->stop && vk->committed <= signaled)
			pthread_cond_wait(&vk->changed, &vk->lock);
		if (vk->stop)
			break;
		uint64_t committed = vk->committed;
		pthread_mutex_unlock(&vk->lock);

		/* The next frame, so that each is signaled as soon as the GPU is done with it. */
		uint64_t next = signaled + 1;
		VkSemaphoreWaitInfo wait = {
			.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO,
			.semaphoreCount = 1,
			.pSemaphores = &vk->acquire,
			.pValues = &next,
		};
		VkResult r = vk->fn.vkWaitSemaphores(vk->device, &wait, COMPLETION_SLICE_NS);
		uint64_t value = 0;
		if (r == VK_SUCCESS)
			r = vk->fn.vkGetSemaphoreCounterValue(vk->device, vk->acquire, &value);
		if (r != VK_SUCCESS && r != VK_TIMEOUT) {
			hp_vk_window_fail(vk, "waiting for a frame's GPU work", r);
			pthread_mutex_lock(&vk->lock);
			break;
		}
		if (r == VK_SUCCESS) {
			/* Complete on the GPU, not merely submitted: now the presenter may read. */
			signaled = value < committed ? value : committed;
			int64_t now = hf_now_ns();
			for (uint64_t f = next; f < signaled; f++)
				atomic_store(&w->signal_ns[f % HP_SIGNAL_RING], now);
			hp_window_signal_acquire(w, signaled);
		}
		pthread_mutex_lock(&vk->lock);
	}
	pthread_mutex_unlock(&vk->lock);
	return NULL;
}

/* What every presenter of the window takes: the kinds chosen are the ones all of them take,
 * since each image and timeline is shared with each. */
struct common_offer {
	bool same_device;    /* all name this Vulkan device */
	bool vk_memory;      /* all take vk_opaque_fd memory (version 2: create_vk_image) */
	bool vk_timelines;   /* all take vk_opaque_fd timelines */
	int no_memfd;        /* a presenter that takes no memfd memory, or -1 */
	int no_shm_timeline; /* a presenter that takes no shm timeline, or -1 */
};

static struct common_offer common_offer(const struct hp_window *w,
					const VkPhysicalDeviceIDProperties *id)
{
	struct common_offer o = {true, true, true, -1, -1};
	for (int i = 0; i < w->n_pres; i++) {
		const struct hp_client *c = w->pres[i].client;
		o.same_device = o.same_device && c->has_vulkan_device &&
				!memcmp(c->device_uuid, id->deviceUUID, HP_UUID_SIZE) &&
				!memcmp(c->driver_uuid, id->driverUUID, HP_UUID_SIZE);
		o.vk_memory = o.vk_memory && c->vk_memory &&
			      handoff_manager_v1_get_version(c->manager) >= 2;
		o.vk_timelines = o.vk_timelines && c->vk_timelines;
		if (!c->memfd_memory && o.no_memfd < 0)
			o.no_memfd = i;
		if (!c->shm_timelines && o.no_shm_timeline < 0)
			o.no_shm_timeline = i;
	}
	return o;
}

/* "the presenter", or "presenter N" when there are several. */
static const char *presenter_name(const struct hp_window *w, int i, char *buf, size_t size)
{
	if (w->n_pres == 1)
		return "the presenter";
	snprintf(buf, size, "presenter %d", i);
	return buf;
}

static bool choose_transport(struct hp_vk_window *vk, const struct hp_vk_device *dev,
			     const struct hp_vk_window_options *options, bool *dedicated, char *err,
			     size_t err_size)
{
	const struct hp_window *w = &vk->base;
	const struct hp_window_config *cfg = &w->cfg;
	VkPhysicalDeviceIDProperties id = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES,
	};
	VkPhysicalDeviceProperties2 props = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
		.pNext = &id,
	};
	vk->fn.vkGetPhysicalDeviceProperties2(dev->physical_device, &props);
	if (props.properties.apiVersion < VK_API_VERSION_1_2) {
		snprintf(err, err_size, "Vulkan: %s supports Vulkan %u.%u; 1.2 is needed",
			 props.properties.deviceName,
			 VK_API_VERSION_MAJOR(props.properties.apiVersion),
			 VK_API_VERSION_MINOR(props.properties.apiVersion));
		return false;
	}
	struct common_offer offer = common_offer(w, &id);
	bool explicit_sync = cfg->sync == HP_SYNC_EXPLICIT;
	char who[32];

	/* Memory: vk_opaque_fd where offered on this device (optimal tiling if exportable),
	 * else a linear image whose exported fd must turn out to be a sealed memfd. */
	vk->vk_memory = cfg->sync != HP_SYNC_IMPLICIT && offer.same_device && offer.vk_memory;
	int32_t width = cfg->width, height = cfg->height;
	vk->tiling = VK_IMAGE_TILING_OPTIMAL;
	if (!vk->vk_memory || options->linear ||
	    !image_exportable(vk, dev->physical_device, vk->tiling, width, height, dedicated)) {
		vk->tiling = VK_IMAGE_TILING_LINEAR;
		if (!image_exportable(vk, dev->physical_device, vk->tiling, width, height,
				      dedicated)) {
			snprintf(err, err_size,
				 "Vulkan: %s cannot export %dx%d images of VkFormat %d with usage "
				 "0x%x as opaque fds",
				 props.properties.deviceName, width, height, (int)vk->format,
				 (unsigned)vk->usage);
			return false;
		}
	}
	if (!vk->vk_memory && cfg->sync != HP_SYNC_IMPLICIT && offer.no_memfd >= 0) {
		snprintf(err, err_size, "%s takes neither memfd memory nor Vulkan memory of %s",
			 presenter_name(w, offer.no_memfd, who, sizeof(who)),
			 props.properties.deviceName);
		return false;
	}

	/* Timelines: Vulkan ones where the presenters wait on this device's GPU, else shm. */
	vk->vk_timeline = explicit_sync && offer.same_device && offer.vk_timelines &&
			  timeline_exportable(vk, dev->physical_device);
	if (cfg->sync != HP_SYNC_IMPLICIT && !vk->vk_timeline && offer.no_shm_timeline >= 0) {
		snprintf(err, err_size, "%s offers no timeline kind that %s can use",
			 presenter_name(w, offer.no_shm_timeline, who, sizeof(who)),
			 props.properties.deviceName);
		return false;
	}
	if (options->require_vk_transport &&
	    (!vk->vk_memory || (explicit_sync && !vk->vk_timeline))) {
		snprintf(err, err_size,
			 "%s not take Vulkan %s of %s: run %s with --renderer vulkan on this GPU",
			 w->n_pres > 1 ? "the presenters do" : "the presenter does",
			 !vk->vk_memory ? "memory" : "timelines", props.properties.deviceName,
			 w->n_pres > 1 ? "each" : "it");
		return false;
	}
	snprintf(vk->transport, sizeof(vk->transport), "%s: memory %s (%s tiling), timelines %s",
		 props.properties.deviceName,
		 cfg->sync == HP_SYNC_IMPLICIT ? "wl_shm"
		 : vk->vk_memory               ? "vk_opaque_fd"
					       : "memfd",
		 vk->tiling == VK_IMAGE_TILING_LINEAR ? "linear" : "optimal",
		 cfg->sync == HP_SYNC_IMPLICIT ? "none (implicit sync)"
		 : vk->vk_timeline             ? "vk_opaque_fd (signaled by the GPU)"
		 : explicit_sync               ? "shm (signaled once the GPU has completed)"
					       : "shm (signaled at submit: no sync)");
	return true;
}

bool hp_vk_window_init(struct hp_vk_window *vk, const struct hp_vk_device *dev,
		       const struct hp_vk_window_options *options, char *err, size_t err_size)
{
	struct hp_window *w = &vk->base;
	const struct hp_window_config *cfg = &w->cfg;
	pthread_mutex_init(&vk->lock, NULL);
	pthread_cond_init(&vk->changed, NULL);
	pthread_mutex_init(&vk->failure_lock, NULL);
	vk->initialized = true;
	vk->format = vk_format_of(cfg->fourcc);
	if (vk->format == VK_FORMAT_UNDEFINED) {
		snprintf(err, err_size, "no Vulkan format for fourcc 0x%08x", cfg->fourcc);
		return false;
	}
	vk->device = dev->device;
	vk->queue_family = dev->queue_family;
	/* The presenter reads the image by copying or sampling it. */
	vk->usage = (options->usage ? options->usage : DEFAULT_USAGE) |
		    VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_SAMPLED_BIT;
	bool dedicated = false;
	if (!load_functions(vk, dev, err, err_size) ||
	    !choose_transport(vk, dev, options, &dedicated, err, err_size))
		return false;
	dedicated = dedicated || options->dedicated;
	if (!create_timeline(vk, vk->vk_timeline, &vk->acquire, err, err_size))
		return false;
	if (vk->vk_timeline) {
		/* One acquire timeline that every presenter waits on: only the GPU signals it. */
		for (int p = 0; p < w->n_pres; p++) {
			w->pres[p].acquire_object =
				import_vk_timeline(vk, p, vk->acquire, err, err_size);
			if (!w->pres[p].acquire_object)
				return false;
		}
	} else if (cfg->sync != HP_SYNC_IMPLICIT && !hp_window_add_shm_acquire(w, err, err_size)) {
		return false;
	}
	/* No image yet: the core makes two in hp_window_finish_setup(), and more only when
	 * none is free (vk_window_add_image()), so a pool of --buffers costs device memory only
	 * as far as the presenters hold images. */
	vk->physical_device = dev->physical_device;
	vk->dedicated_memory = dedicated;
	if (cfg->sync == HP_SYNC_EXPLICIT && !vk->vk_timeline) {
		if (pthread_create(&vk->thread, NULL, completion_main, vk) != 0) {
			snprintf(err, err_size, "cannot start the GPU completion thread");
			return false;
		}
		vk->thread_running = true;
	}
	return true;
}

struct hp_window *hp_window_create_vulkan(struct hp_client *c, const struct hp_window_config *cfg,
					  const struct hp_vk_device *dev, VkImageUsageFlags usage,
					  char *err, size_t err_size)
{
	struct hp_window *w = hp_window_new(c, cfg, &hp_vk_window_impl, sizeof(struct hp_vk_window),
					    true, err, err_size);
	if (!w)
		return NULL;
	struct hp_vk_window_options options = {.usage = usage};
	if (!hp_vk_window_init((struct hp_vk_window *)w, dev, &options, err, err_size) ||
	    !hp_window_finish_setup(w, err, err_size)) {
		hp_window_destroy(w);
		return NULL;
	}
	return w;
}

const char *hp_vk_window_transport(const struct hp_window *w)
{
	return w->impl->transport ? w->impl->transport(w) : "cpu";
}

static const char *vk_window_transport(const struct hp_window *w)
{
	return ((const struct hp_vk_window *)w)->transport;
}

static VkResult wait_frame(struct hp_vk_window *vk, uint64_t frame, int64_t timeout_ns)
{
	VkSemaphoreWaitInfo wait = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO,
		.semaphoreCount = 1,
		.pSemaphores = &vk->acquire,
		.pValues = &frame,
	};
	return vk->fn.vkWaitSemaphores(vk->device, &wait,
				       timeout_ns < 0 ? UINT64_MAX : (uint64_t)timeout_ns);
}

void hp_vk_window_finish(struct hp_vk_window *vk)
{
	if (!vk->initialized)
		return;
	if (vk->thread_running) {
		pthread_mutex_lock(&vk->lock);
		vk->stop = true;
		pthread_cond_broadcast(&vk->changed);
		pthread_mutex_unlock(&vk->lock);
		pthread_join(vk->thread, NULL);
	}
	/* Nothing may be destroyed while the GPU may still use it. A device that never finishes
	 * leaves the objects behind rather than undefined behaviour. */
	bool idle = true;
	if (vk->acquire && vk->committed) {
		VkResult r = wait_frame(vk, vk->committed, HF_NSEC_PER_SEC);
		idle = r == VK_SUCCESS;
		if (!idle)
			fprintf(stderr,
				"handoff SDK: frame %llu never completed on the GPU (%s): leaving "
				"its Vulkan objects\n",
				(unsigned long long)vk->committed, hf_vk_result_str(r));
	}
	for (int i = 0; idle && i < HP_MAX_BUFFERS; i++) {
		struct hp_vk_image *vi = &vk->images[i];
		for (int p = 0; p < HP_MAX_PRESENTERS; p++)
			if (vi->release[p])
				vk->fn.vkDestroySemaphore(vk->device, vi->release[p], NULL);
		if (vi->image)
			vk->fn.vkDestroyImage(vk->device, vi->image, NULL);
		if (vi->memory)
			vk->fn.vkFreeMemory(vk->device, vi->memory, NULL);
	}
	if (idle && vk->acquire)
		vk->fn.vkDestroySemaphore(vk->device, vk->acquire, NULL);
	pthread_mutex_destroy(&vk->failure_lock);
	pthread_cond_destroy(&vk->changed);
	pthread_mutex_destroy(&vk->lock);
}

static void vk_window_destroy(struct hp_window *w)
{
	hp_vk_window_finish((struct hp_vk_window *)w);
}

static bool vk_window_frame_done(struct hp_window *w, uint64_t frame)
{
	struct hp_vk_window *vk = (struct hp_vk_window *)w;
	if (frame == 0)
		return true;
	uint64_t value = 0;
	VkResult r = vk->fn.vkGetSemaphoreCounterValue(vk->device, vk->acquire, &value);
	if (r != VK_SUCCESS) {
		hp_vk_window_fail(vk, "reading a frame's timeline", r);
		return false;
	}
	return value >= frame;
}

static void vk_window_wait_frame(struct hp_window *w, uint64_t frame, int64_t timeout_ns)
{
	struct hp_vk_window *vk = (struct hp_vk_window *)w;
	VkResult r = wait_frame(vk, frame, timeout_ns);
	if (r != VK_SUCCESS && r != VK_TIMEOUT)
		hp_vk_window_fail(vk, "waiting for a frame's GPU work", r);
}

static bool vk_window_frame_committed(struct hp_window *w, uint64_t frame)
{
	struct hp_vk_window *vk = (struct hp_vk_window *)w;
	if (w->cfg.sync == HP_SYNC_IMPLICIT) {
		/* A wl_shm buffer must be complete when it is committed. */
		VkResult r = wait_frame(vk, frame, GPU_TIMEOUT_NS);
		if (r != VK_SUCCESS) {
			hp_vk_window_fail(vk, "waiting for a frame's GPU work", r);
			hp_client_set_error(w->client, "%s", vk->failure);
			return false;
		}
	}
	pthread_mutex_lock(&vk->lock);
	vk->committed = frame;
	pthread_cond_broadcast(&vk->changed);
	pthread_mutex_unlock(&vk->lock);
	return true;
}

/* With several presenters: presenter's Vulkan release timeline, read (or waited on) here. */
static bool vk_window_release_signaled(struct hp_window *w, const struct hp_image *image,
				       int presenter, int64_t timeout_ns)
{
	struct hp_vk_window *vk = (struct hp_vk_window *)w;
	uint64_t point = image->links[presenter].release_point;
	VkSemaphore sem = vk->images[image - w->images].release[presenter];
	if (!sem || point == 0)
		return true;
	VkSemaphoreWaitInfo wait = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO,
		.semaphoreCount = 1,
		.pSemaphores = &sem,
		.pValues = &point,
	};
	VkResult r = vk->fn.vkWaitSemaphores(vk->device, &wait,
					     timeout_ns > 0 ? (uint64_t)timeout_ns : 0);
	if (r != VK_SUCCESS && r != VK_TIMEOUT)
		hp_vk_window_fail(vk, "reading a presenter's release timeline", r);
	return r == VK_SUCCESS;
}

/*
 * Called on the application's thread, from hp_frame_begin() too, while the completion thread
 * may be waiting on the acquire timeline and the GPU may be drawing other images. That is
 * safe: the completion thread reads only vk->acquire and the window's acquire timeline, never
 * an image; the Vulkan calls here create new objects, which no other thread knows yet, and a
 * VkDevice needs no external synchronization for that; and the image is not handed out until
 * it has been made and shared with every presenter.
 */
static bool vk_window_add_image(struct hp_window *w, int index, char *err, size_t err_size)
{
	struct hp_vk_window *vk = (struct hp_vk_window *)w;
	return image_init(vk, &w->images[index], err, err_size);
}

const struct hp_window_impl hp_vk_window_impl = {
	.name = "vulkan",
	.destroy = vk_window_destroy,
	.frame_done = vk_window_frame_done,
	.wait_frame = vk_window_wait_frame,
	.frame_committed = vk_window_frame_committed,
	.failure = vk_window_failure,
	.transport = vk_window_transport,
	.release_signaled = vk_window_release_signaled,
	.add_image = vk_window_add_image,
};

bool hp_vk_frame_get(const struct hp_frame *frame, struct hp_vk_frame *out)
{
	struct hp_window *w = frame->window;
	/* Only the application's own Vulkan windows: other backends' devices are theirs. */
	if (w->impl != &hp_vk_window_impl)
		return false;
	struct hp_vk_window *vk = (struct hp_vk_window *)w;
	struct hp_image *image = hp_image_of(frame);
	uint32_t index = (uint32_t)(image - w->images);
	*out = (struct hp_vk_frame){
		.window = w,
		.index = index,
		.image = vk->images[index].image,
		.format = vk->format,
		.tiling = vk->tiling,
		.usage = vk->usage,
		.queue_family = vk->queue_family,
		.first_use = image->last_frame == 0,
		.signal_semaphore = vk->acquire,
		.signal_value = frame->number,
	};
	/* With several presenters the SDK waited for every release already. */
	if (w->n_pres == 1 && vk->images[index].release[0] && image->release_point > 0) {
		out->wait_semaphore = vk->images[index].release[0];
		out->wait_value = image->release_point;
	}
	return true;
}

void hp_vk_cmd_acquire(const struct hp_vk_frame *frame, VkCommandBuffer cmd, VkImageLayout layout,
		       VkPipelineStageFlags stage, VkAccessFlags access)
{
	struct hp_vk_window *vk = (struct hp_vk_window *)frame->window;
	VkImageMemoryBarrier barrier = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
		.dstAccessMask = access,
		.oldLayout = frame->first_use ? VK_IMAGE_LAYOUT_UNDEFINED : VK_IMAGE_LAYOUT_GENERAL,
		.newLayout = layout,
		.srcQueueFamilyIndex =
			frame->first_use ? VK_QUEUE_FAMILY_IGNORED : VK_QUEUE_FAMILY_EXTERNAL,
		.dstQueueFamilyIndex =
			frame->first_use ? VK_QUEUE_FAMILY_IGNORED : vk->queue_family,
		.image = frame->image,
		.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1},
	};
	/* The source stage is the stage the release wait blocks, so the transition follows it. */
	vk->fn.vkCmdPipelineBarrier(cmd, stage, stage, 0, 0, NULL, 0, NULL, 1, &barrier);
}

void hp_vk_cmd_release(const struct hp_vk_frame *frame, VkCommandBuffer cmd, VkImageLayout layout,
		       VkPipelineStageFlags stage, VkAccessFlags access)
{
	struct hp_vk_window *vk = (struct hp_vk_window *)frame->window;
	VkImageMemoryBarrier barrier = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
		.srcAccessMask = access,
		.oldLayout = layout,
		.newLayout = VK_IMAGE_LAYOUT_GENERAL,
		.srcQueueFamilyIndex = vk->queue_family,
		.dstQueueFamilyIndex = VK_QUEUE_FAMILY_EXTERNAL,
		.image = frame->image,
		.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1},
	};
	/* A memfd is read by the presenter's CPU: make the writes visible to the host too. */
	VkMemoryBarrier host = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
		.srcAccessMask = access,
		.dstAccessMask = VK_ACCESS_HOST_READ_BIT,
	};
	bool to_host = !vk->vk_memory;
	vk->fn.vkCmdPipelineBarrier(cmd, stage,
				    VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT |
					    (to_host ? VK_PIPELINE_STAGE_HOST_BIT : 0),
				    0, to_host ? 1 : 0, &host, 0, NULL, 1, &barrier);
}
