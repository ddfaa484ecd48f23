/* Checks the pixels of a snapshot or screenshot, for the shell tests. */
#include <png.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"Usage: handoff-png-probe FILE.png CHECK\n"
	"  --fill RRGGBB        every pixel is RRGGBB\n"
	"  --window RRGGBB WxH  the pixels of colour RRGGBB form one filled rectangle of at\n"
	"                       least WxH (a window showing one colour)\n"
	"  --varied N           at least N distinct colours\n"
	"Exit status 0 when the check holds, 1 when not, 2 on bad input.\n";

struct image {
	uint32_t *px; /* 0xRRGGBB */
	uint32_t w, h;
};

static bool load(const char *path, struct image *img)
{
	png_image pi = {.version = PNG_IMAGE_VERSION};
	if (!png_image_begin_read_from_file(&pi, path)) {
		fprintf(stderr, "handoff-png-probe: cannot read %s: %s\n", path, pi.message);
		return false;
	}
	pi.format = PNG_FORMAT_BGRA;
	img->w = pi.width;
	img->h = pi.height;
	img->px = malloc(PNG_IMAGE_SIZE(pi));
	if (!img->px || !png_image_finish_read(&pi, NULL, img->px, 0, NULL)) {
		fprintf(stderr, "handoff-png-probe: cannot decode %s\n", path);
		return false;
	}
	for (size_t i = 0; i < (size_t)img->w * img->h; i++)
		img->px[i] &= 0xffffff;
	return true;
}

static int check_fill(const struct image *img, uint32_t want)
{
	size_t bad = 0, first = 0;
	for (size_t i = 0; i < (size_t)img->w * img->h; i++)
		if (img->px[i] != want && bad++ == 0)
			first = i;
	if (!bad)
		return 0;
	fprintf(stderr, "%zu of %u pixels are not %06x; the first, at (%zu,%zu), is %06x\n", bad,
		img->w * img->h, want, first % img->w, first / img->w, img->px[first]);
	return 1;
}

static int check_window(const struct image *img, uint32_t want, uint32_t min_w, uint32_t min_h)
{
	uint32_t x0 = UINT32_MAX, y0 = UINT32_MAX, x1 = 0, y1 = 0;
	for (uint32_t y = 0; y < img->h; y++)
		for (uint32_t x = 0; x < img->w; x++)
			if (img->px[(size_t)y * img->w + x] == want) {
				x0 = x < x0 ? x : x0;
				y0 = y < y0 ? y : y0;
				x1 = x > x1 ? x : x1;
				y1 = y > y1 ? y : y1;
			}
	if (x0 == UINT32_MAX) {
		fprintf(stderr, "no pixel is %06x\n", want);
		return 1;
	}
	size_t other = 0;
	for (uint32_t y = y0; y <= y1; y++)
		for (uint32_t x = x0; x <= x1; x++)
			other += img->px[(size_t)y * img->w + x] != want;
	uint32_t w = x1 - x0 + 1, h = y1 - y0 + 1;
	printf("window %06x at %u,%u size %ux%u, %zu other pixels inside\n", want, x0, y0, w, h,
	       other);
	return other == 0 && w >= min_w && h >= min_h ? 0 : 1;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static int check_varied(const struct image *img, size_t min)
{
	size_t n = (size_t)img->w * img->h, distinct = n ? 1 : 0;
	qsort(img->px, n, sizeof(uint32_t), cmp_u32);
	for (size_t i = 1; i < n; i++)
		distinct += img->px[i] != img->px[i - 1];
	printf("%zu distinct colours\n", distinct);
	return distinct >= min ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	struct image img;
	if (argc < 4) {
		fputs(usage, stderr);
		return 2;
	}
	if (!load(argv[1], &img))
		return 2;
	uint32_t colour = (uint32_t)strtoul(argv[3], NULL, 16);
	if (!strcmp(argv[2], "--fill"))
		return check_fill(&img, colour);
	if (!strcmp(argv[2], "--window") && argc == 5) {
		unsigned w, h;
		if (sscanf(argv[4], "%ux%u", &w, &h) != 2)
			return 2;
		return check_window(&img, colour, w, h);
	}
	if (!strcmp(argv[2], "--varied"))
		return check_varied(&img, (size_t)atol(argv[3]));
	fputs(usage, stderr);
	return 2;
}
