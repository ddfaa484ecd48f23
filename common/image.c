#define _GNU_SOURCE
#include "image.h"

#include "format.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <sys/stat.h>
#include <unistd.h>

enum hf_image_error hf_image_check_layout(const struct hf_image_layout *l, uint64_t *needed)
{
	if (l->width <= 0 || l->height <= 0 || l->width > HF_IMAGE_MAX_DIM ||
	    l->height > HF_IMAGE_MAX_DIM)
		return HF_IMAGE_BAD_DIMENSIONS;
	const struct hf_format *fmt = hf_format_from_fourcc(l->fourcc);
	if (!fmt)
		return HF_IMAGE_BAD_FORMAT;
	/* width <= 16384 and bpp <= 8: the row size cannot overflow. */
	if (l->stride < (uint64_t)l->width * fmt->bpp || l->stride > HF_IMAGE_MAX_STRIDE ||
	    l->stride % fmt->bpp != 0)
		return HF_IMAGE_BAD_STRIDE;
	uint64_t bytes, end;
	if (__builtin_mul_overflow(l->stride, (uint64_t)l->height, &bytes) ||
	    __builtin_add_overflow(bytes, l->offset, &end))
		return HF_IMAGE_OVERFLOW;
	if (needed)
		*needed = end;
	return HF_IMAGE_OK;
}

enum hf_image_error hf_image_check_fd(int fd, uint64_t *size)
{
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return HF_IMAGE_BAD_FD;
	int seals = fcntl(fd, F_GET_SEALS);
	if (seals < 0 || !(seals & F_SEAL_SHRINK))
		return HF_IMAGE_NOT_SEALED;
	/* A punched hole in shmem reads back as zeros; in hugetlbfs it is SIGBUS. */
	struct statfs fs;
	if (fstatfs(fd, &fs) < 0 || fs.f_type == HUGETLBFS_MAGIC)
		return HF_IMAGE_HUGETLB;
	if (size)
		*size = (uint64_t)st.st_size;
	return HF_IMAGE_OK;
}

enum hf_image_error hf_image_validate(int fd, const struct hf_image_layout *l, char *reason,
				      size_t reason_size)
{
	uint64_t needed = 0, size = 0;
	enum hf_image_error err = hf_image_check_layout(l, &needed);
	if (err == HF_IMAGE_OK)
		err = hf_image_check_fd(fd, &size);
	if (err == HF_IMAGE_OK && needed > size)
		err = HF_IMAGE_OUT_OF_BOUNDS;
	if (!reason || reason_size == 0)
		return err;
	const struct hf_format *fmt = hf_format_from_fourcc(l->fourcc);
	switch (err) {
	case HF_IMAGE_OK:
		snprintf(reason, reason_size, "ok");
		break;
	case HF_IMAGE_BAD_DIMENSIONS:
		snprintf(reason, reason_size, "invalid size %dx%d (each side must be 1..%d)",
			 l->width, l->height, HF_IMAGE_MAX_DIM);
		break;
	case HF_IMAGE_BAD_FORMAT:
		snprintf(reason, reason_size, "unknown fourcc 0x%08x", l->fourcc);
		break;
	case HF_IMAGE_BAD_STRIDE: {
		uint64_t row = (uint64_t)l->width * (fmt ? fmt->bpp : 0);
		if (l->stride < row)
			snprintf(reason, reason_size,
				 "stride %llu is smaller than a row of %d pixels (%llu bytes)",
				 (unsigned long long)l->stride, l->width, (unsigned long long)row);
		else if (l->stride > HF_IMAGE_MAX_STRIDE)
			snprintf(reason, reason_size, "stride %llu is above the limit of %u bytes",
				 (unsigned long long)l->stride, HF_IMAGE_MAX_STRIDE);
		else
			snprintf(reason, reason_size,
				 "stride %llu is not a whole number of %u-byte pixels",
				 (unsigned long long)l->stride, fmt ? fmt->bpp : 0);
		break;
	}
	case HF_IMAGE_OVERFLOW:
		snprintf(reason, reason_size, "offset %llu + stride %llu * height %d overflows",
			 (unsigned long long)l->offset, (unsigned long long)l->stride, l->height);
		break;
	case HF_IMAGE_OUT_OF_BOUNDS:
		snprintf(reason, reason_size,
			 "offset %llu + stride %llu * height %d = %llu is beyond the %llu bytes of "
			 "the file",
			 (unsigned long long)l->offset, (unsigned long long)l->stride, l->height,
			 (unsigned long long)needed, (unsigned long long)size);
		break;
	case HF_IMAGE_BAD_FD:
		snprintf(reason, reason_size, "fd %d is not a regular file or memfd", fd);
		break;
	case HF_IMAGE_NOT_SEALED:
		snprintf(reason, reason_size, "fd %d is not sealed with F_SEAL_SHRINK", fd);
		break;
	case HF_IMAGE_HUGETLB:
		snprintf(reason, reason_size,
			 "fd %d is huge-page memory, whose pages a hole punch can take away "
			 "under the reader",
			 fd);
		break;
	}
	return err;
}

int hf_memfd_create_sealed(const char *name, uint64_t size)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)size) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

bool hf_image_fd_mappable_rw(int fd)
{
	int mode = fcntl(fd, F_GETFL), seals = fcntl(fd, F_GET_SEALS);
	return mode >= 0 && (mode & O_ACCMODE) == O_RDWR && seals >= 0 && (seals & F_SEAL_SEAL) &&
	       !(seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE));
}
