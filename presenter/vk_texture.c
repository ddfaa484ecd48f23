/* The Vulkan renderer's textures (vk_texture.h). */
#include "vk_texture.h"

#include "format.h"
#include "log.h"
#include "vk_compose.h"
#include "vk_memory.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static VkFormat vk_format_of(uint32_t fourcc)
{
	const struct hf_format *fmt = hf_format_from_fourcc(fourcc);
	return fmt ? (VkFormat)fmt->vk_format : VK_FORMAT_UNDEFINED;
}

static void texture_set_format(struct hf_texture *tex, uint32_t fourcc)
{
	const struct hf_format *fmt = hf_format_from_fourcc(fourcc);
	tex->has_alpha = fmt && fmt->has_alpha;
	switch (fmt ? fmt->vk_format : 0) {
	case VK_FORMAT_R8G8B8A8_UNORM:
		tex->compose_format = HF_COMPOSE_RGBA8;
		break;
	case VK_FORMAT_A2B10G10R10_UNORM_PACK32:
		tex->compose_format = HF_COMPOSE_RGB10A2;
		tex->wide = true;
		break;
	case VK_FORMAT_R16G16B16A16_SFLOAT:
		tex->compose_format = HF_COMPOSE_RGBA16F;
		tex->wide = true;
		break;
	default:
		tex->compose_format = HF_COMPOSE_BGRA8;
		break;
	}
}

bool hf_vk_texture_supports_format(struct hf_vk *vk, uint32_t fourcc)
{
	VkFormat f = vk_format_of(fourcc);
	if (f == VK_FORMAT_UNDEFINED)
		return false;
	VkFormatProperties props;
	vkGetPhysicalDeviceFormatProperties(vk->phys, f, &props);
	VkFormatFeatureFlags need = VK_FORMAT_FEATURE_BLIT_SRC_BIT |
				    VK_FORMAT_FEATURE_TRANSFER_DST_BIT |
				    VK_FORMAT_FEATURE_SAMPLED_IMAGE_FILTER_LINEAR_BIT;
	return (props.optimalTilingFeatures & need) == need;
}

static void texture_free(struct hf_vk *vk, struct hf_texture *tex)
{
	if (tex->view)
		vkDestroyImageView(vk->device, tex->view, NULL);
	tex->view = VK_NULL_HANDLE;
	if (tex->buffer)
		vkDestroyBuffer(vk->device, tex->buffer, NULL);
	if (tex->buffer_mem)
		vkFreeMemory(vk->device, tex->buffer_mem, NULL);
	if (tex->image)
		vkDestroyImage(vk->device, tex->image, NULL);
	if (tex->image_mem)
		vkFreeMemory(vk->device, tex->image_mem, NULL);
	tex->buffer = VK_NULL_HANDLE;
	tex->buffer_mem = VK_NULL_HANDLE;
	tex->image = VK_NULL_HANDLE;
	tex->image_mem = VK_NULL_HANDLE;
}

void hf_vk_texture_destroy(struct hf_vk *vk, struct hf_texture *tex)
{
	if (!tex)
		return;
	texture_free(vk, tex);
	free(tex);
}

/* The client's memory as a buffer the device reads: imported in place where it can be. */
bool hf_vk_texture_bind_memory(struct hf_vk *vk, struct hf_texture *tex, void *data,
			       bool may_shrink, bool storage)
{
	size_t span = tex->stride * (size_t)tex->height;
	VkBufferUsageFlags usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT;
	/* The shaders read words: whole ones per row, and all of them within a binding. */
	tex->storage = storage && tex->stride % 4 == 0 &&
		       span + vk->host_import_alignment <= vk->props.limits.maxStorageBufferRange;
	if (tex->storage)
		usage |= VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
	if (tex->buffer) {
		if (tex->host == data || (!tex->host && tex->staging))
			return true;
		/* A wl_shm pool that was resized moved: import it again. */
		vkDestroyBuffer(vk->device, tex->buffer, NULL);
		vkFreeMemory(vk->device, tex->buffer_mem, NULL);
		tex->buffer = VK_NULL_HANDLE;
		tex->buffer_mem = VK_NULL_HANDLE;
	}
	/* Memory its client may shrink is copied on this thread: a driver reading it in place
	 * from its own threads (lavapipe) would take a SIGBUS that no guard catches. So is
	 * memory of a device that cannot import read-only mappings. */
	if (!may_shrink && vk->host_import_read_only &&
	    hf_vk_buffer_import_host(vk, data, span, usage, &tex->buffer, &tex->buffer_mem,
				     &tex->buffer_offset)) {
		/* Copies from a buffer start on a whole texel. */
		if (tex->buffer_offset % tex->bpp == 0) {
			tex->host = data;
			return true;
		}
		vkDestroyBuffer(vk->device, tex->buffer, NULL);
		vkFreeMemory(vk->device, tex->buffer_mem, NULL);
		tex->buffer = VK_NULL_HANDLE;
		tex->buffer_mem = VK_NULL_HANDLE;
	}
	tex->host = NULL;
	tex->buffer_offset = 0;
	return hf_vk_buffer_create(vk, span, usage, &tex->buffer, &tex->buffer_mem, &tex->staging);
}

struct hf_texture *hf_vk_texture_create(struct hf_vk *vk, const struct hf_pixels *src, bool storage)
{
	const struct hf_format *fmt = hf_format_from_fourcc(src->fourcc);
	if (!fmt || !hf_vk_texture_supports_format(vk, src->fourcc))
		return NULL;
	struct hf_texture *tex = calloc(1, sizeof(*tex));
	if (!tex)
		return NULL;
	tex->format = vk_format_of(src->fourcc);
	tex->bpp = fmt->bpp;
	tex->width = src->width;
	tex->height = src->height;
	tex->stride = src->stride;
	tex->y_invert = src->y_invert;
	texture_set_format(tex, src->fourcc);
	if (!hf_vk_texture_bind_memory(vk, tex, src->data, src->may_shrink, storage)) {
		hf_vk_texture_destroy(vk, tex);
		return NULL;
	}
	return tex;
}

/* The device's own word on such an image with opaque-fd memory, before vkCreateImage: usage,
 * flags, extent, and whether the memory can be imported (dedicated, if it must be). */
static bool image_importable(struct hf_vk *vk, const VkImageCreateInfo *ici,
			     const struct hf_vk_image_desc *d, char *why, size_t why_size)
{
	VkPhysicalDeviceExternalImageFormatInfo ext_info = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_IMAGE_FORMAT_INFO,
		.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT};
	VkPhysicalDeviceImageFormatInfo2 info = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_IMAGE_FORMAT_INFO_2,
		.pNext = &ext_info,
		.format = ici->format,
		.type = ici->imageType,
		.tiling = ici->tiling,
		.usage = ici->usage,
		.flags = ici->flags};
	VkExternalImageFormatProperties ext_props = {
		.sType = VK_STRUCTURE_TYPE_EXTERNAL_IMAGE_FORMAT_PROPERTIES};
	VkImageFormatProperties2 props = {.sType = VK_STRUCTURE_TYPE_IMAGE_FORMAT_PROPERTIES_2,
					  .pNext = &ext_props};
	VkResult res = vkGetPhysicalDeviceImageFormatProperties2(vk->phys, &info, &props);
	if (res != VK_SUCCESS) {
		snprintf(why, why_size,
			 "the device makes no such image (tiling %u, usage 0x%x, "
			 "flags 0x%x): %s",
			 d->tiling, d->usage, d->create_flags, hf_vk_result_str(res));
		return false;
	}
	const VkExternalMemoryProperties *ext = &ext_props.externalMemoryProperties;
	const VkExtent3D *max = &props.imageFormatProperties.maxExtent;
	if ((uint32_t)d->width > max->width || (uint32_t)d->height > max->height) {
		snprintf(why, why_size, "the device makes such images up to %ux%u", max->width,
			 max->height);
		return false;
	}
	if (!(ext->externalMemoryFeatures & VK_EXTERNAL_MEMORY_FEATURE_IMPORTABLE_BIT)) {
		snprintf(why, why_size,
			 "the device cannot import opaque-fd memory for such an image");
		return false;
	}
	if ((ext->externalMemoryFeatures & VK_EXTERNAL_MEMORY_FEATURE_DEDICATED_ONLY_BIT) &&
	    !d->dedicated) {
		snprintf(why, why_size,
			 "the device imports such memory only as a dedicated "
			 "allocation, and flags lack dedicated");
		return false;
	}
	return true;
}

/* Closes the driver's copy of fd after a refused import, unless the driver closed it already
 * (the number may belong to another thread's file now: only the same file is ours). */
static void close_if_same_file(int copy, int fd)
{
	struct stat a, b;
	if (fstat(copy, &a) == 0 && fstat(fd, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino)
		close(copy);
}

struct hf_texture *hf_vk_texture_import(struct hf_vk *vk, int fd, const struct hf_vk_image_desc *d,
					char *why, size_t why_size)
{
	VkFormat format = vk_format_of(d->fourcc);
	if (format == VK_FORMAT_UNDEFINED || (uint32_t)format != d->vk_format) {
		snprintf(why, why_size, "VkFormat %u is not the format of fourcc 0x%08x",
			 d->vk_format, d->fourcc);
		return NULL;
	}
	if (d->memory_type >= vk->mem_props.memoryTypeCount) {
		snprintf(why, why_size, "memory type %u is not one of the device's %u",
			 d->memory_type, vk->mem_props.memoryTypeCount);
		return NULL;
	}
	struct hf_texture *tex = calloc(1, sizeof(*tex));
	if (!tex) {
		snprintf(why, why_size, "out of memory");
		return NULL;
	}
	tex->format = format;
	tex->width = d->width;
	tex->height = d->height;
	tex->y_invert = d->y_invert;
	tex->external = true;
	tex->usage = d->usage;
	texture_set_format(tex, d->fourcc);
	VkExternalMemoryImageCreateInfo ext = {
		.sType = VK_STRUCTURE_TYPE_EXTERNAL_MEMORY_IMAGE_CREATE_INFO,
		.handleTypes = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT};
	VkImageCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
				 .pNext = &ext,
				 .flags = d->create_flags,
				 .imageType = VK_IMAGE_TYPE_2D,
				 .format = format,
				 .extent = {(uint32_t)d->width, (uint32_t)d->height, 1},
				 .mipLevels = 1,
				 .arrayLayers = 1,
				 .samples = VK_SAMPLE_COUNT_1_BIT,
				 .tiling = (VkImageTiling)d->tiling,
				 .usage = d->usage,
				 .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED};
	VkResult res;
	if (!(d->usage & VK_IMAGE_USAGE_TRANSFER_SRC_BIT)) {
		snprintf(why, why_size, "the image's usage 0x%x lacks TRANSFER_SRC", d->usage);
		goto err;
	}
	if (!image_importable(vk, &ici, d, why, why_size))
		goto err;
	if ((res = vkCreateImage(vk->device, &ici, NULL, &tex->image)) != VK_SUCCESS) {
		snprintf(why, why_size, "the device cannot make such an image: %s",
			 hf_vk_result_str(res));
		goto err;
	}
	VkMemoryRequirements req;
	vkGetImageMemoryRequirements(vk->device, tex->image, &req);
	if (d->size < req.size || !(req.memoryTypeBits & (1u << d->memory_type))) {
		snprintf(why, why_size,
			 "%llu bytes of memory type %u cannot hold the image (%llu bytes, types "
			 "0x%x)",
			 (unsigned long long)d->size, d->memory_type, (unsigned long long)req.size,
			 req.memoryTypeBits);
		goto err;
	}
	VkMemoryDedicatedAllocateInfo dedicated = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_DEDICATED_ALLOCATE_INFO, .image = tex->image};
	/* The driver owns what it imports, and some close the fd when they refuse it too: it
	 * gets a copy, never the caller's fd. */
	int driver_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (driver_fd < 0) {
		snprintf(why, why_size, "out of file descriptors");
		goto err;
	}
	VkImportMemoryFdInfoKHR import = {.sType = VK_STRUCTURE_TYPE_IMPORT_MEMORY_FD_INFO_KHR,
					  .pNext = d->dedicated ? &dedicated : NULL,
					  .handleType =
						  VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT,
					  .fd = driver_fd};
	VkMemoryAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
				   .pNext = &import,
				   .allocationSize = d->size,
				   .memoryTypeIndex = d->memory_type};
	if ((res = vkAllocateMemory(vk->device, &ai, NULL, &tex->image_mem)) != VK_SUCCESS) {
		close_if_same_file(driver_fd, fd);
		snprintf(why, why_size, "the driver refused the memory: %s", hf_vk_result_str(res));
		goto err;
	}
	if (vkBindImageMemory(vk->device, tex->image, tex->image_mem, 0) != VK_SUCCESS) {
		snprintf(why, why_size, "the memory cannot be bound to the image");
		goto err;
	}
	if (d->tiling == VK_IMAGE_TILING_LINEAR) {
		/* The same image on the same device has the same layout; if not, the client's
		 * writes and these reads disagree about where each row is. Said once. */
		static bool said;
		VkImageSubresource sub = {.aspectMask = VK_IMAGE_ASPECT_COLOR_BIT};
		VkSubresourceLayout l;
		vkGetImageSubresourceLayout(vk->device, tex->image, &sub, &l);
		if ((l.offset != d->offset || l.rowPitch != d->stride) && !said) {
			said = true;
			hf_error("create_vk_image: a linear %dx%d image has offset %llu and row "
				 "pitch "
				 "%llu on this device, the client said offset %u and stride %u",
				 d->width, d->height, (unsigned long long)l.offset,
				 (unsigned long long)l.rowPitch, d->offset, d->stride);
		}
	}
	return tex;
err:
	hf_vk_texture_destroy(vk, tex);
	return NULL;
}

/* A sampled view of the client's image, for the shaders; false: blit it instead. */
bool hf_vk_texture_view(struct hf_vk *vk, struct hf_texture *tex, bool scaled)
{
	if (!(tex->usage & VK_IMAGE_USAGE_SAMPLED_BIT) || tex->view_failed)
		return false;
	VkFormatProperties props;
	vkGetPhysicalDeviceFormatProperties(vk->phys, tex->format, &props);
	VkFormatFeatureFlags need = VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT;
	if (scaled)
		need |= VK_FORMAT_FEATURE_SAMPLED_IMAGE_FILTER_LINEAR_BIT;
	if ((props.optimalTilingFeatures & need) != need)
		return false;
	if (tex->view)
		return true;
	VkImageViewCreateInfo vci = {.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
				     .image = tex->image,
				     .viewType = VK_IMAGE_VIEW_TYPE_2D,
				     .format = tex->format,
				     .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
	if (vkCreateImageView(vk->device, &vci, NULL, &tex->view) != VK_SUCCESS) {
		tex->view = VK_NULL_HANDLE;
		tex->view_failed = true;
		return false;
	}
	return true;
}
