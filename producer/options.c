#include "options.h"

#include "cli.h"
#include "format.h"

#include <drm_fourcc.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
	"Usage: handoff-producer [OPTIONS]\n"
	"\n"
	"Renders frames into shared images and hands them to a Wayland compositor\n"
	"($WAYLAND_DISPLAY) with explicit sync (handoff-v1), or as a plain wl_shm client.\n"
	"\n"
	"  --display NAME         the compositor to show the window in (default\n"
	"                         $WAYLAND_DISPLAY); give it up to 8 times to show one\n"
	"                         window in several presenters at once (any renderer):\n"
	"                         each gets every frame it has room for, and an image is\n"
	"                         reused once every presenter has released it\n"
	"  --hold-limit N         with several displays: a presenter that holds N images\n"
	"                         gets no new frame until it releases one, so a slow or\n"
	"                         stopped one never holds the others back (default 2)\n"
	"  --frames N             stop after N frames (default: run until interrupted)\n"
	"  --size WxH             image size (default 1280x720)\n"
	"  --format NAME          XRGB8888 (default), ARGB8888, XBGR8888, ABGR8888,\n"
	"                         XBGR2101010, ABGR2101010 or ABGR16161616F\n"
	"  --buffers N            images in the pool, 2..16 (default 2, with several\n"
	"                         displays the hold limit + 2): a compositor keeps the\n"
	"                         image it shows until another replaces it. The pool\n"
	"                         starts with two and grows as images run short (any\n"
	"                         renderer; the summary and --stats say how far)\n"
	"  --renderer KIND        cpu (default), vulkan, cuda or cuda-host.\n"
	"                         vulkan: render on the GPU with Vulkan 1.2+ (timeline\n"
	"                         semaphores, VK_KHR_external_memory_fd), on the\n"
	"                         presenter's Vulkan device where it names one. Images go\n"
	"                         as vk_opaque_fd memory where the presenter takes it on\n"
	"                         this device, else as sealed memfds (Mesa's lavapipe); a\n"
	"                         frame's acquire point is signaled when the GPU has\n"
	"                         completed it, by the GPU itself where the presenter takes\n"
	"                         Vulkan timelines. No usable device, a refused export, a\n"
	"                         lost device or no memory: a message and exit status 1.\n"
	"                         cuda: CUDA kernels write the presenter's own Vulkan images\n"
	"                         on its GPU (the presenter runs --renderer vulkan there);\n"
	"                         the stream waits for each release and signals each acquire\n"
	"                         after the kernels: no copy, no host wait. cuda-host: the\n"
	"                         same kernels, each frame copied to host memory and handed\n"
	"                         over as a memfd (the CPU round trip, to compare). Without\n"
	"                         a CUDA driver or device: a message and exit status 1\n"
	"  --cuda-layout KIND     array (default): images in the GPU's tiling, written as\n"
	"                         CUDA surfaces; linear: device pointers with a row pitch\n"
	"  --sync MODE            explicit (default): handoff-v1 acquire/release points;\n"
	"                         implicit: a plain wl_shm client, for any compositor;\n"
	"                         none: NO synchronization, the D3D9 shared-surface bug:\n"
	"                         images are reused without waiting and signaled before\n"
	"                         they are drawn (a demonstration: expect torn frames)\n"
	"  --present-mode MODE    mailbox (default: newest ready frame wins) or fifo\n"
	"  --fps N                frames per second; 0 renders as fast as images come\n"
	"                         back (default 60)\n"
	"  --pattern NAME         moving (default) or solid: every pixel of frame N is\n"
	"                         0xFF000000 | ((N * 2654435761) >> 8)\n"
	"  --hold                 after the last frame, keep the window until SIGINT or\n"
	"                         SIGTERM, then exit 0\n"
	"  --stats FILE.json      write frame counts, latency and CPU time at exit\n"
	"  --debug-render-delay-us N  sleep up to N us in the middle of drawing each frame\n"
	"                         (cuda: a kernel on the stream spins that long)\n"
	"  --debug-vk-render-pass  the Vulkan renderer clears in a render pass, its\n"
	"                         fallback, instead of storing with a compute shader\n"
	"  --seed N               seed for the random delays\n"
	"  --debug-cuda-fault-at N  with cuda: frame N's drawing starts with a kernel that\n"
	"                         faults, which loses the CUDA context (a failure test)\n"
	"  -v, --verbose          print progress once a second even when not on a terminal\n"
	"  -h, --help             show this help\n";

enum {
	OPT_FRAMES = 256,
	OPT_SIZE,
	OPT_FORMAT,
	OPT_BUFFERS,
	OPT_RENDERER,
	OPT_SYNC,
	OPT_MODE,
	OPT_FPS,
	OPT_PATTERN,
	OPT_HOLD,
	OPT_STATS,
	OPT_DELAY,
	OPT_VK_RENDER_PASS,
	OPT_SEED,
	OPT_CUDA_LAYOUT,
	OPT_CUDA_FAULT,
	OPT_DISPLAY,
	OPT_HOLD_LIMIT,
};

static int usage_error(const char *option, const char *value, const char *expected)
{
	return hf_usage_error("handoff-producer", option, value, expected);
}

int hp_options_parse(struct hp_options *opts, int argc, char **argv)
{
	*opts = (struct hp_options){
		.width = 1280,
		.height = 720,
		.fourcc = DRM_FORMAT_XRGB8888,
		.buffers = 2,
		.sync = HP_SYNC_EXPLICIT,
		.mode = HP_PRESENT_MAILBOX,
		.fps = 60,
		.pattern = HP_PATTERN_MOVING,
		.seed = (unsigned)time(NULL),
	};
	static const struct option long_opts[] = {
		{"frames", required_argument, NULL, OPT_FRAMES},
		{"size", required_argument, NULL, OPT_SIZE},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"buffers", required_argument, NULL, OPT_BUFFERS},
		{"renderer", required_argument, NULL, OPT_RENDERER},
		{"sync", required_argument, NULL, OPT_SYNC},
		{"present-mode", required_argument, NULL, OPT_MODE},
		{"fps", required_argument, NULL, OPT_FPS},
		{"pattern", required_argument, NULL, OPT_PATTERN},
		{"hold", no_argument, NULL, OPT_HOLD},
		{"stats", required_argument, NULL, OPT_STATS},
		{"debug-render-delay-us", required_argument, NULL, OPT_DELAY},
		{"debug-vk-render-pass", no_argument, NULL, OPT_VK_RENDER_PASS},
		{"seed", required_argument, NULL, OPT_SEED},
		{"cuda-layout", required_argument, NULL, OPT_CUDA_LAYOUT},
		{"debug-cuda-fault-at", required_argument, NULL, OPT_CUDA_FAULT},
		{"display", required_argument, NULL, OPT_DISPLAY},
		{"hold-limit", required_argument, NULL, OPT_HOLD_LIMIT},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	/* In the order of their enums. */
	static const char *const renderers[] = {"cpu", "vulkan", "cuda", "cuda-host", NULL};
	static const char *const layouts[] = {"array", "linear", NULL};
	static const char *const syncs[] = {"explicit", "implicit", "none", NULL};
	static const char *const modes[] = {"mailbox", "fifo", NULL};
	static const char *const patterns[] = {"moving", "solid", NULL};
	unsigned long long v;
	int c, choice;
	bool buffers_set = false;
	while ((c = getopt_long(argc, argv, "vh", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_FRAMES:
			if (!hf_parse_uint(optarg, UINT64_MAX / 2, &v) || v == 0)
				return usage_error("--frames", optarg, "a positive count");
			opts->frames = v;
			break;
		case OPT_SIZE:
			if (!hf_parse_size(optarg, &opts->width, &opts->height))
				return usage_error("--size", optarg, "WxH, each side 1..16384");
			break;
		case OPT_FORMAT: {
			const struct hf_format *fmt = hf_format_from_name(optarg);
			if (!fmt)
				return usage_error("--format", optarg, "a format named in --help");
			opts->fourcc = fmt->fourcc;
			break;
		}
		case OPT_BUFFERS:
			if (!hf_parse_uint(optarg, 16, &v) || v < 2)
				return usage_error("--buffers", optarg,
						   "2..16 (one image shown is never released)");
			opts->buffers = (int)v;
			buffers_set = true;
			break;
		case OPT_DISPLAY:
			if (!optarg[0])
				return usage_error("--display", optarg, "a display name");
			if (opts->n_displays == HP_OPTIONS_MAX_DISPLAYS)
				return usage_error("--display", optarg, "at most 8 displays");
			opts->displays[opts->n_displays++] = optarg;
			break;
		case OPT_HOLD_LIMIT:
			if (!hf_parse_uint(optarg, 16, &v) || v < 1)
				return usage_error("--hold-limit", optarg, "1..16 images");
			opts->hold_limit = (int)v;
			break;
		case OPT_RENDERER:
			if ((choice = hf_parse_choice(optarg, renderers)) < 0)
				return usage_error("--renderer", optarg,
						   "cpu, vulkan, cuda or cuda-host");
			opts->vulkan = choice == 1;
			opts->cuda = choice == 2;
			opts->cuda_host = choice == 3;
			break;
		case OPT_SYNC:
			if ((choice = hf_parse_choice(optarg, syncs)) < 0)
				return usage_error("--sync", optarg, "explicit, implicit or none");
			opts->sync = (enum hp_sync)choice;
			break;
		case OPT_MODE:
			if ((choice = hf_parse_choice(optarg, modes)) < 0)
				return usage_error("--present-mode", optarg, "mailbox or fifo");
			opts->mode = (enum hp_present_mode)choice;
			break;
		case OPT_FPS:
			if (!hf_parse_uint(optarg, 10000, &v))
				return usage_error("--fps", optarg, "0..10000");
			opts->fps = (int)v;
			break;
		case OPT_PATTERN:
			if ((choice = hf_parse_choice(optarg, patterns)) < 0)
				return usage_error("--pattern", optarg, "moving or solid");
			opts->pattern = (enum hp_pattern)choice;
			break;
		case OPT_HOLD:
			opts->hold = true;
			break;
		case OPT_STATS:
			opts->stats_path = optarg;
			break;
		case OPT_DELAY:
			if (!hf_parse_uint(optarg, 1000000, &v))
				return usage_error("--debug-render-delay-us", optarg, "0..1000000");
			opts->render_delay_us = (int)v;
			break;
		case OPT_VK_RENDER_PASS:
			opts->vk_render_pass = true;
			break;
		case OPT_SEED:
			if (!hf_parse_uint(optarg, UINT32_MAX, &v))
				return usage_error("--seed", optarg, "a number");
			opts->seed = (unsigned)v;
			break;
		case OPT_CUDA_LAYOUT:
			if ((choice = hf_parse_choice(optarg, layouts)) < 0)
				return usage_error("--cuda-layout", optarg, "array or linear");
			opts->cuda_layout = choice;
			break;
		case OPT_CUDA_FAULT:
			if (!hf_parse_uint(optarg, UINT64_MAX / 2, &v) || v == 0)
				return usage_error("--debug-cuda-fault-at", optarg,
						   "a frame number");
			opts->cuda_fault_at = v;
			break;
		case 'v':
			opts->verbose++;
			break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		default:
			fprintf(stderr, "Try 'handoff-producer --help'.\n");
			return 2;
		}
	}
	if (optind < argc)
		return usage_error("argument", argv[optind], "options only");
	/* A stopped presenter holds up to the hold limit: the others need two more. */
	if (opts->n_displays > 1 && !buffers_set) {
		int limit = opts->hold_limit ? opts->hold_limit : 2;
		opts->buffers = limit + 2 > 16 ? 16 : limit + 2;
	}
	return 0;
}
