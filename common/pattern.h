/* The frame patterns that tests check (DESIGN.md, "Frames the tests can check"). */
#ifndef HF_PATTERN_H
#define HF_PATTERN_H

#include <stdint.h>

/* The colour of every pixel of frame n with --pattern solid, as XRGB8888. */
static inline uint32_t hf_solid_color(uint64_t n)
{
	return 0xff000000u | (((uint32_t)n * 2654435761u) >> 8);
}

#endif
