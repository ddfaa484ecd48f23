/* Image validation: every rejection, with overflow cases, and the formats table. */
#define _GNU_SOURCE
#include "harness.h"

#include "format.h"
#include "image.h"

#include <drm_fourcc.h>
#include <fcntl.h>
#include <pixman.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wayland-client-protocol.h>

static const struct hf_image_layout good = {
	.width = 64, .height = 32, .fourcc = DRM_FORMAT_XRGB8888, .offset = 0, .stride = 256};

static int memfd_of(size_t size, unsigned seals)
{
	int fd = memfd_create("test", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, (off_t)size) == 0);
	if (seals)
		CHECK(fcntl(fd, F_ADD_SEALS, seals) == 0);
	return fd;
}

static void expect(int fd, struct hf_image_layout l, enum hf_image_error want, const char *words)
{
	char reason[256];
	enum hf_image_error got = hf_image_validate(fd, &l, reason, sizeof(reason));
	CHECK_MSG(got == want, "expected error %d, got %d (%s)", want, got, reason);
	CHECK_MSG(strstr(reason, words), "reason \"%s\" does not say \"%s\"", reason, words);
}

static void test_accepts_exact_fit(void)
{
	int fd = memfd_of(256 * 32, F_SEAL_SHRINK);
	expect(fd, good, HF_IMAGE_OK, "ok");
	struct hf_image_layout l = good;
	l.offset = 100;
	close(fd);
	fd = memfd_of(100 + 256 * 32, F_SEAL_SHRINK);
	expect(fd, l, HF_IMAGE_OK, "ok");
	close(fd);
}

static void test_rejects_zero_negative_and_huge_sizes(void)
{
	int fd = memfd_of(1 << 20, F_SEAL_SHRINK);
	int32_t bad[][2] = {{0, 32}, {64, 0}, {-1, 32}, {64, -5}, {16385, 1}, {1, 16385}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct hf_image_layout l = good;
		l.width = bad[i][0];
		l.height = bad[i][1];
		expect(fd, l, HF_IMAGE_BAD_DIMENSIONS, "invalid size");
	}
	close(fd);
}

static void test_rejects_stride_smaller_than_row(void)
{
	int fd = memfd_of(1 << 20, F_SEAL_SHRINK);
	struct hf_image_layout l = good;
	l.stride = 255;
	expect(fd, l, HF_IMAGE_BAD_STRIDE, "smaller than a row");
	l.fourcc = DRM_FORMAT_ABGR16161616F; /* 8 bytes a pixel: 64 * 8 = 512 */
	l.stride = 511;
	expect(fd, l, HF_IMAGE_BAD_STRIDE, "512 bytes");
	close(fd);
}

/* A stride of 2^31 or more once reached the renderer as a negative int32_t and crashed it. */
static void test_rejects_stride_above_limit(void)
{
	int fd = memfd_of(1 << 20, F_SEAL_SHRINK);
	struct hf_image_layout l = good;
	uint64_t huge[] = {HF_IMAGE_MAX_STRIDE + 4, 0x80000000u, 0xffffffffu, UINT64_MAX / 16};
	for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		l.stride = huge[i];
		expect(fd, l, HF_IMAGE_BAD_STRIDE, "above the limit");
	}
	l.stride = HF_IMAGE_MAX_STRIDE;
	l.height = 2;
	expect(fd, l, HF_IMAGE_OK, "ok");
	close(fd);
}

static void test_rejects_stride_of_partial_pixels(void)
{
	int fd = memfd_of(1 << 20, F_SEAL_SHRINK);
	struct hf_image_layout l = good;
	l.stride = 258; /* a row of 64 pixels is 256 bytes: 258 is not whole pixels */
	expect(fd, l, HF_IMAGE_BAD_STRIDE, "whole number");
	close(fd);
}

/* Huge pages that a hole punch takes away fault under the reader despite F_SEAL_SHRINK. */
static void test_rejects_hugetlb_memfd(void)
{
	int fd = memfd_create("huge", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB);
	if (fd < 0)
		hf_test_skip("this kernel makes no hugetlb memfd");
	if (ftruncate(fd, 2 << 20) != 0 || fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) != 0) {
		close(fd);
		hf_test_skip("the hugetlb memfd cannot be sized or sealed here");
	}
	expect(fd, good, HF_IMAGE_HUGETLB, "huge-page");
	close(fd);
}

static void test_rejects_unknown_fourcc(void)
{
	int fd = memfd_of(1 << 20, F_SEAL_SHRINK);
	struct hf_image_layout l = good;
	l.fourcc = DRM_FORMAT_NV12;
	expect(fd, l, HF_IMAGE_BAD_FORMAT, "unknown fourcc");
	close(fd);
}

static void test_rejects_image_beyond_file(void)
{
	int fd = memfd_of(256 * 32 - 1, F_SEAL_SHRINK);
	expect(fd, good, HF_IMAGE_OUT_OF_BOUNDS, "beyond");
	close(fd);
	fd = memfd_of(256 * 32, F_SEAL_SHRINK);
	struct hf_image_layout l = good;
	l.offset = 1;
	expect(fd, l, HF_IMAGE_OUT_OF_BOUNDS, "beyond the 8192 bytes");
	close(fd);
}

/* stride * height wraps in 32 bits: must be caught by the bounds check, not wrap to small. */
static void test_rejects_product_overflowing_32_bits(void)
{
	int fd = memfd_of(4096, F_SEAL_SHRINK);
	struct hf_image_layout l = good;
	l.width = 16;
	l.height = 16384;
	l.stride = 0x40000; /* 0x40000 * 0x4000 = 2^32: zero in 32-bit arithmetic */
	expect(fd, l, HF_IMAGE_OUT_OF_BOUNDS, "4294967296");
	l.offset = 0xffffffffu; /* the largest offset the protocol can carry */
	expect(fd, l, HF_IMAGE_OUT_OF_BOUNDS, "beyond");
	close(fd);
}

static void test_rejects_product_overflowing_64_bits(void)
{
	int fd = memfd_of(4096, F_SEAL_SHRINK);
	struct hf_image_layout l = good;
	l.stride = 256;
	l.height = 32;
	l.offset = UINT64_MAX - 100;
	expect(fd, l, HF_IMAGE_OVERFLOW, "overflows");
	close(fd);
}

static void test_rejects_unsealed_memfd(void)
{
	int fd = memfd_of(1 << 20, 0);
	expect(fd, good, HF_IMAGE_NOT_SEALED, "F_SEAL_SHRINK");
	close(fd);
	fd = memfd_of(1 << 20, F_SEAL_GROW | F_SEAL_WRITE);
	expect(fd, good, HF_IMAGE_NOT_SEALED, "F_SEAL_SHRINK");
	close(fd);
}

static void test_rejects_fd_that_is_not_a_file(void)
{
	int fds[2];
	CHECK(pipe(fds) == 0);
	expect(fds[0], good, HF_IMAGE_BAD_FD, "not a regular file");
	close(fds[0]);
	close(fds[1]);
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	expect(null, good, HF_IMAGE_BAD_FD, "not a regular file");
	close(null);
	expect(-1, good, HF_IMAGE_BAD_FD, "not a regular file");
}

static void test_sealed_memfd_helper_cannot_shrink(void)
{
	int fd = hf_memfd_create_sealed("test", 8192);
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, 100) < 0);
	uint64_t size = 0;
	CHECK(hf_image_check_fd(fd, &size) == HF_IMAGE_OK && size == 8192);
	close(fd);
}

static void test_format_table_is_consistent(void)
{
	const char *required[] = {"XRGB8888",    "ARGB8888",    "XBGR8888",     "ABGR8888",
				  "XBGR2101010", "ABGR2101010", "ABGR16161616F"};
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		const struct hf_format *f = hf_format_from_name(required[i]);
		CHECK_MSG(f, "%s missing", required[i]);
		CHECK(hf_format_from_fourcc(f->fourcc) == f);
		CHECK(hf_format_from_wl_shm(f->wl_shm_format) == f);
		if (f->pixman_format)
			CHECK((uint32_t)PIXMAN_FORMAT_BPP(f->pixman_format) == f->bpp * 8);
	}
	CHECK(hf_format_from_name("XRGB8888")->wl_shm_format == WL_SHM_FORMAT_XRGB8888);
	CHECK(hf_format_from_name("ARGB8888")->wl_shm_format == WL_SHM_FORMAT_ARGB8888);
	CHECK(hf_format_from_name("ABGR16161616F")->bpp == 8);
	CHECK(!hf_format_from_name("NV12"));
}

HF_TESTS(T(test_accepts_exact_fit), T(test_rejects_zero_negative_and_huge_sizes),
	 T(test_rejects_stride_smaller_than_row), T(test_rejects_unknown_fourcc),
	 T(test_rejects_image_beyond_file), T(test_rejects_product_overflowing_32_bits),
	 T(test_rejects_product_overflowing_64_bits), T(test_rejects_stride_above_limit),
	 T(test_rejects_stride_of_partial_pixels), T(test_rejects_hugetlb_memfd),
	 T(test_rejects_unsealed_memfd), T(test_rejects_fd_that_is_not_a_file),
	 T(test_sealed_memfd_helper_cannot_shrink), T(test_format_table_is_consistent))
