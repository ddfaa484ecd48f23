#include "format.h"

#include <drm_fourcc.h>
#include <pixman.h>
#include <strings.h>
#include <vulkan/vulkan_core.h>
#include <wayland-client-protocol.h>

/* wl_shm uses its own codes for the two mandatory formats and the fourcc for the rest. */
static const struct hf_format formats[] = {
	{DRM_FORMAT_XRGB8888, "XRGB8888", 4, WL_SHM_FORMAT_XRGB8888, PIXMAN_x8r8g8b8,
	 VK_FORMAT_B8G8R8A8_UNORM, false},
	{DRM_FORMAT_ARGB8888, "ARGB8888", 4, WL_SHM_FORMAT_ARGB8888, PIXMAN_a8r8g8b8,
	 VK_FORMAT_B8G8R8A8_UNORM, true},
	{DRM_FORMAT_XBGR8888, "XBGR8888", 4, WL_SHM_FORMAT_XBGR8888, PIXMAN_x8b8g8r8,
	 VK_FORMAT_R8G8B8A8_UNORM, false},
	{DRM_FORMAT_ABGR8888, "ABGR8888", 4, WL_SHM_FORMAT_ABGR8888, PIXMAN_a8b8g8r8,
	 VK_FORMAT_R8G8B8A8_UNORM, true},
	{DRM_FORMAT_XBGR2101010, "XBGR2101010", 4, WL_SHM_FORMAT_XBGR2101010, PIXMAN_x2b10g10r10,
	 VK_FORMAT_A2B10G10R10_UNORM_PACK32, false},
	{DRM_FORMAT_ABGR2101010, "ABGR2101010", 4, WL_SHM_FORMAT_ABGR2101010, PIXMAN_a2b10g10r10,
	 VK_FORMAT_A2B10G10R10_UNORM_PACK32, true},
	{DRM_FORMAT_ABGR16161616F, "ABGR16161616F", 8, WL_SHM_FORMAT_ABGR16161616F, 0,
	 VK_FORMAT_R16G16B16A16_SFLOAT, true},
};

#define N_FORMATS (int)(sizeof(formats) / sizeof(formats[0]))

const struct hf_format *hf_format_at(int index)
{
	return index >= 0 && index < N_FORMATS ? &formats[index] : NULL;
}

const struct hf_format *hf_format_from_fourcc(uint32_t fourcc)
{
	for (int i = 0; i < N_FORMATS; i++)
		if (formats[i].fourcc == fourcc)
			return &formats[i];
	return NULL;
}

const struct hf_format *hf_format_from_name(const char *name)
{
	for (int i = 0; i < N_FORMATS; i++)
		if (strcasecmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

const struct hf_format *hf_format_from_wl_shm(uint32_t wl_shm_format)
{
	for (int i = 0; i < N_FORMATS; i++)
		if (formats[i].wl_shm_format == wl_shm_format)
			return &formats[i];
	return NULL;
}
