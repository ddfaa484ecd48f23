/* Checks on shared image memory that both sides run before mapping anything. */
#ifndef HF_IMAGE_H
#define HF_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HF_IMAGE_MAX_DIM 16384
/* Room for the widest row (16384 pixels of 8 bytes) with as much padding again. */
#define HF_IMAGE_MAX_STRIDE 262144

enum hf_image_error {
	HF_IMAGE_OK = 0,
	HF_IMAGE_BAD_DIMENSIONS, /* zero, negative or above HF_IMAGE_MAX_DIM */
	HF_IMAGE_BAD_STRIDE,     /* below width * bpp, above the maximum, or not whole pixels */
	HF_IMAGE_OVERFLOW,       /* offset + stride * height does not fit in 64 bits */
	HF_IMAGE_OUT_OF_BOUNDS,  /* offset + stride * height beyond the file */
	HF_IMAGE_BAD_FD,         /* fstat failed, or not a regular file or memfd */
	HF_IMAGE_NOT_SEALED,     /* no F_SEAL_SHRINK */
	HF_IMAGE_HUGETLB,        /* huge pages: a punched hole faults (SIGBUS) under a reader */
	HF_IMAGE_BAD_FORMAT,     /* unknown fourcc */
};

struct hf_image_layout {
	int32_t width, height;
	uint32_t fourcc;
	uint64_t offset;
	uint64_t stride;
};

/* Arithmetic only: dimensions, stride, overflow. Sets *needed to offset + stride*height. */
enum hf_image_error hf_image_check_layout(const struct hf_image_layout *layout, uint64_t *needed);
/* The fd only: a regular file sealed against shrinking, of ordinary shared memory (not
 * hugetlbfs, whose pages a hole punch takes away despite the seal). Sets *size to its size. */
enum hf_image_error hf_image_check_fd(int fd, uint64_t *size);
/* Both, plus the bounds. On failure writes a sentence naming the problem into reason. */
enum hf_image_error hf_image_validate(int fd, const struct hf_image_layout *layout, char *reason,
				      size_t reason_size);

/* A sealed memfd of the given size, for the producer and tests. -1 on failure. */
int hf_memfd_create_sealed(const char *name, uint64_t size);
/* Whether another process can map the image's fd shared for reading and writing, as a
 * wl_shm pool is mapped, at any later time: opened read-write, with no write seal, and
 * F_SEAL_SEAL, so that no write seal can come later (seals belong to the file, and whoever
 * holds another fd of it could add one). */
bool hf_image_fd_mappable_rw(int fd);

#endif
