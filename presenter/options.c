#include "options.h"

#include "cli.h"
#include "client.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
	"Usage: handoff-presenter [OPTIONS] [-- COMMAND ARGS...]\n"
	"\n"
	"A mini Wayland compositor that shows frames handed over with explicit sync\n"
	"(handoff-v1), as a window in a parent compositor or on a headless output.\n"
	"\n"
	"  --socket NAME          listen on NAME (default: the first free handoff-N)\n"
	"  --output KIND          auto, wayland or headless (default auto: nested when\n"
	"                         WAYLAND_DISPLAY reaches a compositor, else headless);\n"
	"                         repeatable, up to 8: each --output adds an output, and\n"
	"                         --size, --fullscreen, --refresh, --snapshot and --stats\n"
	"                         after it are its own (before the first, the first's).\n"
	"                         Every window shows on every output, and the input of\n"
	"                         every nested one reaches the clients; frame callbacks,\n"
	"                         feedback and fifo follow the first output\n"
	"  --renderer KIND        auto, pixman or vulkan (default auto)\n"
	"  --size WxH             output size: headless 1920x1080 by default; nested,\n"
	"                         the window's first size, 1280x720 by default\n"
	"  --fullscreen           nested: start fullscreen (f and SIGUSR1 toggle it)\n"
	"  --direct on|off        nested: when one opaque window fills the output, hand\n"
	"                         its image to the parent compositor as it is, with no\n"
	"                         composition; its release waits for the parent's\n"
	"                         (default on; handoff images only, not wl_shm)\n"
	"  --refresh HZ           headless refresh rate; 0 repaints as soon as a frame\n"
	"                         is ready (default 60)\n"
	"  --snapshot FILE.png    on exit, write what the output showed\n"
	"  --stats FILE.json      on exit, write the output's frame counts and latencies\n"
	"  --exit-after-frames N  exit after N output frames\n"
	"  --acquire-timeout S    disconnect a client whose commit waits more than S\n"
	"                         seconds for its acquire point (default: wait forever)\n"
	"  --limit NAME=N         what one client may hold (repeatable); NAME and default:\n"
	"                         timelines=256, buffers=256, mapped-mib=4096 (handoff\n"
	"                         buffers and wl_shm pools), queued-commits=64 (per\n"
	"                         surface), surfaces=256, callbacks=256 (frame callbacks\n"
	"                         pending), feedbacks=256 (presentation feedback pending),\n"
	"                         objects=4096 (of every interface), pools=256 (wl_shm);\n"
	"                         and all clients together: clients=64, windows=1024,\n"
	"                         total-commits=8192 (waiting), total-timelines=8192\n"
	"  -v, --verbose          log more; twice for debug output\n"
	"  -h, --help             show this help\n"
	"\n"
	"Testing and demonstration:\n"
	"  --check solid|stamp    check every composed frame: each window (solid) or\n"
	"                         its first column, the stamp of every pattern (stamp),\n"
	"                         is one colour, color(N) of its acquire point N, never\n"
	"                         older than shown or ready; counts torn and stale\n"
	"  --check-every N        with --check, check one frame in N (a GPU renderer then\n"
	"                         reads the output back only for those; default 1)\n"
	"  --torn-snapshot FILE.png  with --check, write the first torn frame there\n"
	"  --debug-blit-delay-us N  sleep up to N us in the middle of each buffer read\n"
	"  --debug-vk-blit        the Vulkan renderer composes by blits and copies, its\n"
	"                         fallback for devices that cannot run its shaders\n"
	"  --debug-vk-wait sleep|poll|hybrid  how the Vulkan renderer waits for a\n"
	"                         composition: the driver's sleeping wait, a poll, or\n"
	"                         (default on a GPU) a sleep until shortly before the\n"
	"                         expected completion, then a poll\n"
	"  --debug-vk-device-wait the Vulkan composition also waits on the device for\n"
	"                         acquire points the presenter saw reached (as before)\n"
	"  --debug-vk-copy-client-memory  the Vulkan renderer copies memfd client memory\n"
	"                         instead of importing it, as it does on every GPU (only\n"
	"                         CPU devices import read-only mappings)\n"
	"  --debug-direct-early-release  a BUG on purpose: a direct frame's release does\n"
	"                         not wait for the parent compositor (expect torn frames\n"
	"                         with --check)\n"
	"  --debug-ignore-reads N  a BUG on purpose: output N (0: the first) takes no\n"
	"                         lock on the commits it reads (compositions, direct\n"
	"                         frames), so their release does not wait for it\n"
	"  --seed N               seed for the random delays\n"
	"\n"
	"With -- COMMAND, COMMAND runs with WAYLAND_DISPLAY set to the presenter's\n"
	"socket; the presenter exits with COMMAND's status once it ends.\n"
	"\n"
	"Nested, the parent's keyboard and pointer go to the windows, except these keys\n"
	"with Ctrl+Alt held: Q or Escape quits, F toggles fullscreen, S writes a snapshot\n"
	"(to the --snapshot file, else handoff-snapshot.png). The presenter exits with\n"
	"status 1 if the parent compositor goes away.\n";

enum {
	OPT_SOCKET = 256,
	OPT_OUTPUT,
	OPT_RENDERER,
	OPT_SIZE,
	OPT_REFRESH,
	OPT_SNAPSHOT,
	OPT_STATS,
	OPT_EXIT_AFTER,
	OPT_CHECK,
	OPT_BLIT_DELAY,
	OPT_VK_BLIT,
	OPT_VK_WAIT,
	OPT_VK_DEVICE_WAIT,
	OPT_VK_COPY_CLIENT,
	OPT_SEED,
	OPT_FULLSCREEN,
	OPT_TORN_SNAPSHOT,
	OPT_ACQUIRE_TIMEOUT,
	OPT_CHECK_EVERY,
	OPT_LIMIT,
	OPT_DIRECT,
	OPT_DIRECT_EARLY_RELEASE,
	OPT_IGNORE_READS,
};

static int usage_error(const char *option, const char *value, const char *expected)
{
	return hf_usage_error("handoff-presenter", option, value, expected);
}

static bool same_file(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

int hf_options_parse(struct hf_options *opts, int argc, char **argv)
{
	*opts = (struct hf_options){.n_outputs = 1,
				    .seed = (unsigned)time(NULL),
				    .check_every = 1,
				    .direct = true,
				    .ignore_reads_output = -1};
	for (int i = 0; i < HF_OPTIONS_MAX_OUTPUTS; i++)
		opts->outputs[i].refresh_hz = 60;
	/* The output the per-output options apply to; seen: an --output was given. */
	struct hf_output_options *out = &opts->outputs[0];
	bool seen_output = false;
	static const struct option long_opts[] = {
		{"socket", required_argument, NULL, OPT_SOCKET},
		{"output", required_argument, NULL, OPT_OUTPUT},
		{"renderer", required_argument, NULL, OPT_RENDERER},
		{"size", required_argument, NULL, OPT_SIZE},
		{"refresh", required_argument, NULL, OPT_REFRESH},
		{"snapshot", required_argument, NULL, OPT_SNAPSHOT},
		{"stats", required_argument, NULL, OPT_STATS},
		{"exit-after-frames", required_argument, NULL, OPT_EXIT_AFTER},
		{"check", required_argument, NULL, OPT_CHECK},
		{"check-every", required_argument, NULL, OPT_CHECK_EVERY},
		{"limit", required_argument, NULL, OPT_LIMIT},
		{"debug-blit-delay-us", required_argument, NULL, OPT_BLIT_DELAY},
		{"debug-vk-blit", no_argument, NULL, OPT_VK_BLIT},
		{"debug-vk-wait", required_argument, NULL, OPT_VK_WAIT},
		{"debug-vk-device-wait", no_argument, NULL, OPT_VK_DEVICE_WAIT},
		{"debug-vk-copy-client-memory", no_argument, NULL, OPT_VK_COPY_CLIENT},
		{"seed", required_argument, NULL, OPT_SEED},
		{"fullscreen", no_argument, NULL, OPT_FULLSCREEN},
		{"direct", required_argument, NULL, OPT_DIRECT},
		{"debug-direct-early-release", no_argument, NULL, OPT_DIRECT_EARLY_RELEASE},
		{"debug-ignore-reads", required_argument, NULL, OPT_IGNORE_READS},
		{"torn-snapshot", required_argument, NULL, OPT_TORN_SNAPSHOT},
		{"acquire-timeout", required_argument, NULL, OPT_ACQUIRE_TIMEOUT},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	/* In the order of their enums. */
	static const char *const outputs[] = {"auto", "wayland", "headless", NULL};
	static const char *const renderers[] = {"auto", "pixman", "vulkan", NULL};
	static const char *const checks[] = {"solid", "stamp", NULL};
	static const char *const vk_waits[] = {"hybrid", "sleep", "poll", NULL};
	static const char *const on_off[] = {"off", "on", NULL};
	unsigned long long v;
	int c, choice;
	while ((c = getopt_long(argc, argv, "+vh", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_SOCKET:
			if (!optarg[0] || strchr(optarg, '/'))
				return usage_error("--socket", optarg, "a name without '/'");
			opts->socket = optarg;
			break;
		case OPT_OUTPUT:
			if ((choice = hf_parse_choice(optarg, outputs)) < 0)
				return usage_error("--output", optarg, "auto, wayland or headless");
			if (seen_output) {
				if (opts->n_outputs == HF_OPTIONS_MAX_OUTPUTS)
					return usage_error("--output", optarg, "at most 8 outputs");
				out = &opts->outputs[opts->n_outputs++];
			}
			seen_output = true;
			out->kind = (enum hf_output_kind)choice;
			break;
		case OPT_RENDERER:
			if ((choice = hf_parse_choice(optarg, renderers)) < 0)
				return usage_error("--renderer", optarg, "auto, pixman or vulkan");
			opts->renderer = (enum hf_renderer_kind)choice;
			break;
		case OPT_SIZE:
			if (!hf_parse_size(optarg, &out->width, &out->height))
				return usage_error("--size", optarg, "WxH, each side 1..16384");
			break;
		case OPT_REFRESH:
			if (!hf_parse_uint(optarg, 1000, &v))
				return usage_error("--refresh", optarg, "a rate in Hz, 0..1000");
			out->refresh_hz = (int)v;
			break;
		case OPT_SNAPSHOT:
			out->snapshot_path = optarg;
			break;
		case OPT_STATS:
			out->stats_path = optarg;
			break;
		case OPT_EXIT_AFTER:
			if (!hf_parse_uint(optarg, UINT64_MAX, &v) || v == 0)
				return usage_error("--exit-after-frames", optarg,
						   "a positive count");
			opts->exit_after_frames = v;
			break;
		case OPT_CHECK:
			if ((choice = hf_parse_choice(optarg, checks)) < 0)
				return usage_error("--check", optarg, "solid or stamp");
			opts->check = choice == 0 ? HF_CHECK_SOLID : HF_CHECK_STAMP;
			break;
		case OPT_BLIT_DELAY:
			if (!hf_parse_uint(optarg, 1000000, &v))
				return usage_error("--debug-blit-delay-us", optarg, "0..1000000");
			opts->blit_delay_us = (int)v;
			break;
		case OPT_VK_BLIT:
			opts->vk_blit = true;
			break;
		case OPT_VK_WAIT:
			if ((choice = hf_parse_choice(optarg, vk_waits)) < 0)
				return usage_error("--debug-vk-wait", optarg,
						   "sleep, poll or hybrid");
			opts->vk_wait = choice;
			break;
		case OPT_VK_DEVICE_WAIT:
			opts->vk_device_wait = true;
			break;
		case OPT_VK_COPY_CLIENT:
			opts->vk_copy_client = true;
			break;
		case OPT_SEED:
			if (!hf_parse_uint(optarg, UINT32_MAX, &v))
				return usage_error("--seed", optarg, "a number");
			opts->seed = (unsigned)v;
			break;
		case OPT_FULLSCREEN:
			out->fullscreen = true;
			break;
		case OPT_DIRECT:
			if ((choice = hf_parse_choice(optarg, on_off)) < 0)
				return usage_error("--direct", optarg, "on or off");
			opts->direct = choice == 1;
			break;
		case OPT_DIRECT_EARLY_RELEASE:
			opts->direct_early_release = true;
			break;
		case OPT_IGNORE_READS:
			if (!hf_parse_uint(optarg, HF_OPTIONS_MAX_OUTPUTS - 1, &v))
				return usage_error("--debug-ignore-reads", optarg,
						   "an output's number, 0..7");
			opts->ignore_reads_output = (int)v;
			break;
		case OPT_LIMIT:
			if (!hf_limits_parse(&hf_limits, optarg))
				return usage_error("--limit", optarg,
						   "NAME=N with a NAME from --help and N from 1");
			break;
		case OPT_CHECK_EVERY:
			if (!hf_parse_uint(optarg, 1000000, &v) || v == 0)
				return usage_error("--check-every", optarg, "1..1000000");
			opts->check_every = (unsigned)v;
			break;
		case OPT_ACQUIRE_TIMEOUT:
			if (!hf_parse_uint(optarg, 86400, &v) || v == 0)
				return usage_error("--acquire-timeout", optarg, "1..86400 seconds");
			opts->acquire_timeout_s = (unsigned)v;
			break;
		case OPT_TORN_SNAPSHOT:
			opts->torn_snapshot_path = optarg;
			break;
		case 'v':
			opts->verbose++;
			break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		default:
			fprintf(stderr, "Try 'handoff-presenter --help'.\n");
			return 2;
		}
	}
	for (int i = 0; i < opts->n_outputs; i++) {
		for (int j = 0; j < i; j++) {
			const struct hf_output_options *a = &opts->outputs[i],
						       *b = &opts->outputs[j];
			if (same_file(a->snapshot_path, b->snapshot_path))
				return usage_error("--snapshot", a->snapshot_path,
						   "a different file for each output");
			if (same_file(a->stats_path, b->stats_path))
				return usage_error("--stats", a->stats_path,
						   "a different file for each output");
		}
	}
	if (opts->ignore_reads_output >= opts->n_outputs) {
		char n[16];
		snprintf(n, sizeof(n), "%d", opts->ignore_reads_output);
		return usage_error("--debug-ignore-reads", n, "the number of an output given");
	}
	if (opts->torn_snapshot_path && !opts->check)
		return usage_error("--torn-snapshot", opts->torn_snapshot_path,
				   "a file, together with --check");
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--") != 0)
			return usage_error("argument", argv[optind], "options, then -- COMMAND");
		opts->command = &argv[optind];
	}
	return 0;
}
