/* PNG snapshots of XRGB8888 pixels, and copies of pixels to keep or convert. */
#ifndef HF_SNAPSHOT_H
#define HF_SNAPSHOT_H

#include "renderer.h"

bool hf_snapshot_write_png(const struct hf_pixels *pixels, const char *path);
struct hf_pixels *hf_pixels_copy(const struct hf_pixels *src);
void hf_pixels_free(struct hf_pixels *pixels); /* NULL is a no-op */
/* An XRGB8888 copy of pixels of any format pixman reads; NULL when it reads none. */
struct hf_pixels *hf_pixels_to_xrgb(const struct hf_pixels *src);

#endif
