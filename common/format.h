/* The DRM fourccs Handoff carries, with their wl_shm and pixman equivalents. */
#ifndef HF_FORMAT_H
#define HF_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

struct hf_format {
	uint32_t fourcc;        /* DRM_FORMAT_* */
	const char *name;       /* as on the command line: "XRGB8888" */
	uint32_t bpp;           /* bytes per pixel */
	uint32_t wl_shm_format; /* WL_SHM_FORMAT_* */
	uint32_t pixman_format; /* pixman_format_code_t, or 0 where pixman has none */
	uint32_t vk_format;     /* VkFormat of the same bytes */
	bool has_alpha;
};

const struct hf_format *hf_format_from_fourcc(uint32_t fourcc);
const struct hf_format *hf_format_from_name(const char *name);
const struct hf_format *hf_format_from_wl_shm(uint32_t wl_shm_format);
/* Iterate: returns NULL past the end. */
const struct hf_format *hf_format_at(int index);

#endif
