/*
 * What create_vk_image takes before any Vulkan driver sees it: the tiling, usage and create
 * flags handoff-v1.xml allows, and memory fds the device can import without reading them on
 * the event loop's thread (a CPU device's "opaque fd" is a memfd the driver reads and maps).
 */
#ifndef HF_VK_IMPORT_H
#define HF_VK_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hf_vk_image_desc;

/* False, with the reason, for a tiling, usage or flag the XML does not allow. */
bool hf_vk_import_check_params(const struct hf_vk_image_desc *desc, char *why, size_t why_size);

/* Checks fd as memory of size bytes for the device (cpu: a CPU implementation, whose opaque
 * fds are memfds with a header: size, offset, driver id); sets *mapped to what importing it
 * maps, the size to count against the client. False, with the reason, for an fd the device
 * could not import without blocking or faulting: a pipe, socket, FIFO, directory; on a CPU
 * device anything but a regular shmem file sealed against shrinking that holds what its
 * header claims. */
bool hf_vk_import_check_fd(int fd, bool cpu, uint64_t size, uint64_t *mapped, char *why,
			   size_t why_size);

#endif
