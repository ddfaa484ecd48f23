/* The presenter's command line (DESIGN.md, "Command lines"). */
#ifndef HF_PRESENTER_OPTIONS_H
#define HF_PRESENTER_OPTIONS_H

#include "checker.h"

#include <stdbool.h>
#include <stdint.h>

enum hf_output_kind { HF_OUTPUT_AUTO, HF_OUTPUT_WAYLAND, HF_OUTPUT_HEADLESS };
enum hf_renderer_kind { HF_RENDERER_AUTO, HF_RENDERER_PIXMAN, HF_RENDERER_VULKAN };

#define HF_OPTIONS_MAX_OUTPUTS 8

/* One --output and the options that follow it. */
struct hf_output_options {
	enum hf_output_kind kind;
	int width, height; /* 0: the output's default */
	bool fullscreen;
	int refresh_hz; /* 0: repaint as soon as a frame is ready */
	const char *snapshot_path, *stats_path;
};

struct hf_options {
	const char *socket; /* NULL: the first free handoff-N */
	struct hf_output_options outputs[HF_OPTIONS_MAX_OUTPUTS]; /* the first is primary */
	int n_outputs;                                            /* at least 1 */
	enum hf_renderer_kind renderer;
	bool direct; /* nested: hand a whole-output client image to the parent as it is */
	uint64_t exit_after_frames; /* 0: never */
	int verbose;
	unsigned acquire_timeout_s; /* 0: commits may wait for their acquire point forever */
	enum hf_check_kind check;
	unsigned check_every;           /* check one composed frame in this many (1: all) */
	const char *torn_snapshot_path; /* with check: the first torn frame goes there */
	int blit_delay_us;         /* test only: random delay inside each buffer read, up to this */
	bool vk_blit;              /* test only: the Vulkan renderer's fallback, by blits */
	int vk_wait;               /* measurements: 0 hybrid, 1 sleep, 2 poll */
	bool vk_device_wait;       /* measurements: device-side waits on acquire points */
	bool vk_copy_client;       /* tests: memfd client memory copied, never imported */
	bool direct_early_release; /* test only: direct frames do not wait for the parent */
	int ignore_reads_output;   /* test only: that output's reads take no lock; -1: none */
	unsigned seed;
	char **command; /* after "--", NULL-terminated; NULL when none */
};

/* Returns 0 to run, -1 after --help (exit 0), or 2 on a usage error. */
int hf_options_parse(struct hf_options *opts, int argc, char **argv);

#endif
