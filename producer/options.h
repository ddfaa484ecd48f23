/* The producer's command line (DESIGN.md, "Command lines"). */
#ifndef HP_OPTIONS_H
#define HP_OPTIONS_H

#include "handoff-producer.h"
#include "renderer.h"

#define HP_OPTIONS_MAX_DISPLAYS 8

struct hp_options {
	uint64_t frames; /* 0: until interrupted */
	int32_t width, height;
	uint32_t fourcc;
	int buffers;
	/* --display, in order; none: $WAYLAND_DISPLAY. The first is the window's client. */
	const char *displays[HP_OPTIONS_MAX_DISPLAYS];
	int n_displays;
	int hold_limit; /* 0: the SDK's default */
	bool vulkan;
	bool cuda;              /* CUDA kernels into the presenter's GPU memory */
	bool cuda_host;         /* CUDA kernels, the frame copied to a memfd: the CPU round trip */
	int cuda_layout;        /* enum hp_cuda_layout */
	uint64_t cuda_fault_at; /* 0: none */
	enum hp_sync sync;
	enum hp_present_mode mode;
	int fps; /* 0: as fast as images come back */
	enum hp_pattern pattern;
	bool hold;
	const char *stats_path;
	int render_delay_us;
	bool vk_render_pass; /* test only: the Vulkan renderer's render pass, not its shader */
	unsigned seed;
	int verbose;
};

/* Returns 0 to run, -1 after --help (exit 0), or 2 on a usage error. */
int hp_options_parse(struct hp_options *opts, int argc, char **argv);

#endif
