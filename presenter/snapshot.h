/* PNG snapshots of XRGB8888 pixels, and copies of pixels to keep. */
#ifndef HF_SNAPSHOT_H
#define HF_SNAPSHOT_H

#include "renderer.h"

bool hf_snapshot_write_png(const struct hf_pixels *pixels, const char *path);
struct hf_pixels *hf_pixels_copy(const struct hf_pixels *src);
void hf_pixels_free(struct hf_pixels *pixels); /* NULL is a no-op */

#endif
