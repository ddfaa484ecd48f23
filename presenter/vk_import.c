/* The checks of create_vk_image that need no device (vk_import.h). */
#define _GNU_SOURCE
#include "vk_import.h"

#include "renderer.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <vulkan/vulkan_core.h>

/* What the compositor does with the image, and what a producer may also do with its own: no
 * depth, transient or extension usage it would have to honour. */
#define USAGE_ALLOWED                                                                              \
	(VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT |                       \
	 VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_STORAGE_BIT |                                 \
	 VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_INPUT_ATTACHMENT_BIT)
/* No sparse, cube, array, alias, disjoint, protected or split-instance images: one plain 2D
 * image, whose views may use other formats. */
#define CREATE_FLAGS_ALLOWED                                                                       \
	(VK_IMAGE_CREATE_MUTABLE_FORMAT_BIT | VK_IMAGE_CREATE_EXTENDED_USAGE_BIT)

bool hf_vk_import_check_params(const struct hf_vk_image_desc *d, char *why, size_t why_size)
{
	if (d->tiling != VK_IMAGE_TILING_OPTIMAL && d->tiling != VK_IMAGE_TILING_LINEAR) {
		snprintf(why, why_size, "tiling %u is not OPTIMAL (0) or LINEAR (1)", d->tiling);
		return false;
	}
	if (d->usage & ~(uint32_t)USAGE_ALLOWED) {
		snprintf(why, why_size, "usage 0x%x has bits 0x%x the protocol does not take",
			 d->usage, d->usage & ~(uint32_t)USAGE_ALLOWED);
		return false;
	}
	if (!(d->usage & VK_IMAGE_USAGE_TRANSFER_SRC_BIT)) {
		snprintf(why, why_size, "the image's usage 0x%x lacks TRANSFER_SRC", d->usage);
		return false;
	}
	if (d->create_flags & ~(uint32_t)CREATE_FLAGS_ALLOWED) {
		snprintf(why, why_size,
			 "create flags 0x%x have bits 0x%x the protocol does not take",
			 d->create_flags, d->create_flags & ~(uint32_t)CREATE_FLAGS_ALLOWED);
		return false;
	}
	return true;
}

/* Mesa's CPU drivers export memory as a memfd that starts with this header, then map
 * header.size bytes of it read-write and take the memory from header.offset on. */
struct cpu_memory_header {
	uint64_t size;
	uint64_t offset;
};

static bool check_cpu_memfd(int fd, const struct stat *st, uint64_t size, uint64_t *mapped,
			    char *why, size_t why_size)
{
	struct statfs fs;
	int seals = fcntl(fd, F_GET_SEALS);
	if (!S_ISREG(st->st_mode) || fstatfs(fd, &fs) < 0 || fs.f_type != TMPFS_MAGIC) {
		snprintf(why, why_size,
			 "fd %d is not a memfd, the only memory this CPU device "
			 "exports",
			 fd);
		return false;
	}
	if (seals < 0 || !(seals & F_SEAL_SHRINK)) {
		snprintf(why, why_size, "fd %d is not sealed with F_SEAL_SHRINK", fd);
		return false;
	}
	/* A regular shmem file: this read cannot block. */
	struct cpu_memory_header h;
	if (pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h)) {
		snprintf(why, why_size, "fd %d is too short to hold a memory header", fd);
		return false;
	}
	if (h.size > (uint64_t)st->st_size || h.offset >= h.size || h.size - h.offset < size) {
		snprintf(why, why_size,
			 "the memory's header claims %llu bytes from offset %llu, but the file has "
			 "%llu and the image takes %llu",
			 (unsigned long long)h.size, (unsigned long long)h.offset,
			 (unsigned long long)st->st_size, (unsigned long long)size);
		return false;
	}
	*mapped = h.size;
	return true;
}

bool hf_vk_import_check_fd(int fd, bool cpu, uint64_t size, uint64_t *mapped, char *why,
			   size_t why_size)
{
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(why, why_size, "fd %d cannot be examined", fd);
		return false;
	}
	if (cpu)
		return check_cpu_memfd(fd, &st, size, mapped, why, why_size);
	/* A GPU driver hands the fd to its kernel driver, which refuses what it did not make;
	 * these are not memory at all. */
	if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISDIR(st.st_mode)) {
		snprintf(why, why_size, "fd %d is a pipe, socket or directory, not device memory",
			 fd);
		return false;
	}
	*mapped = size;
	return true;
}
