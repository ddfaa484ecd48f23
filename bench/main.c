/* handoff-bench: options, the order of the parts, and the outputs. */
#define _GNU_SOURCE
#include "bench.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

const struct hb_size hb_sizes[HB_SIZES] = {
	{"720p", 1280, 720},
	{"1080p", 1920, 1080},
	{"4k", 3840, 2160},
};

static const struct hb_plan plan_full = {
	.name = "full",
	.sizes = {true, true, true},
	.nested_sizes = {true, true, true},
	.copy_seconds = 1.0,
	.headless_seconds = 3.0,
	.headless_repeats = 3,
	.vulkan = true,
	.fifo = true,
	.nested_seconds = 15.0,
	.sync_iterations = 20000,
	.multi = true,
};

static const struct hb_plan plan_quick = {
	.name = "quick",
	.sizes = {true, true, true},
	.nested_sizes = {false, true, false},
	.copy_seconds = 0.3,
	.headless_seconds = 1.0,
	.headless_repeats = 1,
	.vulkan = true,
	.fifo = true,
	.nested_seconds = 5.0,
	.sync_iterations = 5000,
	.multi = true,
};

static const struct hb_plan plan_smoke = {
	.name = "smoke",
	.sizes = {false, true, false},
	.nested_sizes = {false, true, false},
	.copy_seconds = 0.2,
	.headless_seconds = 0.5,
	.headless_repeats = 1,
	.vulkan = false,
	.fifo = false,
	.nested_seconds = 2.0,
	.sync_iterations = 500,
	.multi = true,
};

static const char usage[] =
	"Usage: handoff-bench [OPTIONS]\n"
	"\n"
	"Measures Handoff in one run, side by side, and prints a Markdown table:\n"
	"  1. the copy limit: memcpy of one frame from as many rotating images as the\n"
	"     producer uses, at 720p, 1080p and 4K;\n"
	"  2. headless: handoff-producer into handoff-presenter with --refresh 0, each\n"
	"     size, mailbox and fifo, pixman and --renderer vulkan (on this machine that\n"
	"     may be lavapipe, a CPU implementation): presented fps, latency from\n"
	"     acquire signaled to presented, CPU per frame of each process;\n"
	"  3. nested in one headless weston (pixman), measured at the parent: the\n"
	"     producer straight on it (the floor), the presenter nested (Handoff, with\n"
	"     direct frames, then composing with --direct off) and weston nested (the\n"
	"     peer): latency from frame ready to the parent's\n"
	"     presentation, presented fps, CPU per presented frame of each process;\n"
	"  4. the sync cost: signal to event-loop callback through the presenter's own\n"
	"     sync code, against a pipe write into an event loop;\n"
	"  5. one producer, several readers, at 1080p with --refresh 0 (pixman,\n"
	"     mailbox): into 1, 2 and 4 headless presenters, and into one presenter\n"
	"     with two outputs: the producer's fps, each reader's fps and latency\n"
	"     p50/p99, CPU per frame of every process (--multi-only: only this).\n"
	"\n"
	"  --quick           a shorter run (about a minute; under 3 on 2 cores)\n"
	"  --smoke           a tiny subset at 1080p, for CI (about 20 seconds)\n"
	"  --json FILE       write every figure to FILE\n"
	"  --plots DIR       write nested-latency-cdf.png, fps-vs-size.png and\n"
	"                    multi-readers.png, of the parts that ran (gnuplot)\n"
	"  --buffers N       images in the producer's pool and the copy's sources\n"
	"                    (default 2, the producer's default)\n"
	"  --presenter PATH  the handoff-presenter to run (default: beside this program,\n"
	"                    then the build tree, then PATH)\n"
	"  --producer PATH   the handoff-producer to run (likewise)\n"
	"  --rates           also sweep the nested producer's rate at 1080p: 0.5x,\n"
	"                    0.95x and 2x the parent's rate and free-running, for the\n"
	"                    floor, Handoff with direct frames and --direct off\n"
	"  --rates-only      run that sweep and nothing else\n"
	"  --multi-only      run part 5 and nothing else\n"
	"  --keep            keep the run's directory (logs, stats, timelines)\n"
	"  -h, --help        show this help\n"
	"\n"
	"Progress goes to stderr, one line per case. The full run takes about 6\n"
	"minutes on 2 cores. The nested part needs weston and weston-debug; the plots\n"
	"need gnuplot (Debian: gnuplot-nox).\n";

/* The program beside this one, or in the build tree's layout, or on PATH. */
static char *find_sibling(const char *name, const char *build_subdir)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *dir = dirname(exe);
		char candidate[PATH_MAX + 64];
		snprintf(candidate, sizeof(candidate), "%s/%s", dir, name);
		if (access(candidate, X_OK) == 0)
			return strdup(candidate);
		snprintf(candidate, sizeof(candidate), "%s/../%s/%s", dir, build_subdir, name);
		char *real = realpath(candidate, NULL);
		if (real && access(real, X_OK) == 0)
			return real;
		free(real);
	}
	return hb_find_program(name);
}

static void machine_description(char *out, size_t size)
{
	char model[128] = "unknown CPU";
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "model name", 10)) {
			char *colon = strchr(line, ':');
			if (colon) {
				snprintf(model, sizeof(model), "%s", colon + 2);
				model[strcspn(model, "\n")] = '\0';
			}
			break;
		}
	}
	if (f)
		fclose(f);
	long mem_kb = 0;
	f = fopen("/proc/meminfo", "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %ld kB", &mem_kb) == 1)
			break;
	if (f)
		fclose(f);
	struct utsname u;
	uname(&u);
	snprintf(out, size, "%s, %ld cores, %.0f GiB, Linux %s", model,
		 sysconf(_SC_NPROCESSORS_ONLN), (double)mem_kb / 1048576.0, u.release);
}

/* Which device the presenter's Vulkan renderer gets; false if it cannot start one. */
static bool vulkan_probe(const struct hb_config *cfg, char *device, size_t size)
{
	char log[256];
	snprintf(log, sizeof(log), "%s/vulkan-probe.log", cfg->runtime_dir);
	char *argv[] = {
		(char *)cfg->presenter, "--output", "headless", "--renderer", "vulkan", "--socket",
		"bench-vulkan-probe",   "-v",       "--",       "/bin/true",  NULL};
	pid_t pid = hb_spawn(argv, NULL, log);
	int status;
	if (pid < 0 || !hb_wait(pid, 30000, &status)) {
		hb_stop(pid, SIGKILL, 1000);
		return false;
	}
	FILE *f = fopen(log, "r");
	char line[512];
	bool found = false;
	while (f && !found && fgets(line, sizeof(line), f)) {
		char *at = strstr(line, "Vulkan renderer on ");
		if (at) {
			at += strlen("Vulkan renderer on ");
			snprintf(device, size, "%s", at);
			device[strcspn(device, ":\n")] = '\0';
			found = true;
		}
	}
	if (f)
		fclose(f);
	if (!found)
		hb_show_log(log);
	return found && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int remove_tree(const char *dir)
{
	char *argv[] = {"/bin/rm", "-rf", (char *)dir, NULL};
	char log[] = "/dev/null";
	pid_t pid = hb_spawn(argv, NULL, log);
	int status = 0;
	if (pid > 0)
		hb_wait(pid, 30000, &status);
	return status;
}

int main(int argc, char **argv)
{
	static struct hb_config cfg = {.buffers = 2};
	static struct hb_results results;
	const struct hb_plan *plan = &plan_full;
	const char *presenter = NULL, *producer = NULL;
	enum {
		OPT_QUICK = 256,
		OPT_SMOKE,
		OPT_JSON,
		OPT_PLOTS,
		OPT_BUFFERS,
		OPT_PRESENTER,
		OPT_PRODUCER,
		OPT_KEEP,
		OPT_RATES,
		OPT_RATES_ONLY,
		OPT_MULTI_ONLY
	};
	static const struct option long_opts[] = {
		{"quick", no_argument, NULL, OPT_QUICK},
		{"smoke", no_argument, NULL, OPT_SMOKE},
		{"json", required_argument, NULL, OPT_JSON},
		{"plots", required_argument, NULL, OPT_PLOTS},
		{"buffers", required_argument, NULL, OPT_BUFFERS},
		{"presenter", required_argument, NULL, OPT_PRESENTER},
		{"producer", required_argument, NULL, OPT_PRODUCER},
		{"keep", no_argument, NULL, OPT_KEEP},
		{"rates", no_argument, NULL, OPT_RATES},
		{"rates-only", no_argument, NULL, OPT_RATES_ONLY},
		{"multi-only", no_argument, NULL, OPT_MULTI_ONLY},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_QUICK:
			plan = &plan_quick;
			break;
		case OPT_SMOKE:
			plan = &plan_smoke;
			break;
		case OPT_JSON:
			cfg.json_path = optarg;
			break;
		case OPT_PLOTS:
			cfg.plots_dir = optarg;
			break;
		case OPT_BUFFERS: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 16) {
				fprintf(stderr,
					"handoff-bench: --buffers: expected 1..16, got "
					"'%s'\n",
					optarg);
				return 2;
			}
			cfg.buffers = (int)v;
			break;
		}
		case OPT_PRESENTER:
			presenter = optarg;
			break;
		case OPT_PRODUCER:
			producer = optarg;
			break;
		case OPT_KEEP:
			cfg.keep = true;
			break;
		case OPT_RATES:
			cfg.rates = true;
			break;
		case OPT_RATES_ONLY:
			cfg.rates = cfg.rates_only = true;
			break;
		case OPT_MULTI_ONLY:
			cfg.multi_only = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fprintf(stderr, "Try 'handoff-bench --help'.\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "handoff-bench: unexpected argument '%s' (see --help)\n",
			argv[optind]);
		return 2;
	}
	cfg.plan = *plan;
	if (cfg.rates_only || cfg.multi_only) {
		memset(cfg.plan.sizes, 0, sizeof(cfg.plan.sizes));
		memset(cfg.plan.nested_sizes, 0, sizeof(cfg.plan.nested_sizes));
		cfg.plan.sync_iterations = 0;
		cfg.plan.vulkan = false;
		cfg.plan.multi = cfg.plan.multi && !cfg.rates_only;
	}
	if (cfg.multi_only)
		cfg.rates = false;
	cfg.presenter = presenter ? realpath(presenter, NULL)
				  : find_sibling("handoff-presenter", "presenter");
	cfg.producer =
		producer ? realpath(producer, NULL) : find_sibling("handoff-producer", "producer");
	if (!cfg.presenter || !cfg.producer) {
		fprintf(stderr, "handoff-bench: cannot find %s (use --presenter and --producer)\n",
			!cfg.presenter ? "handoff-presenter" : "handoff-producer");
		return 1;
	}
	cfg.weston = hb_find_program("weston");
	cfg.weston_debug = hb_find_program("weston-debug");
	cfg.gnuplot = cfg.plots_dir ? hb_find_program("gnuplot") : NULL;
	if (cfg.plots_dir && !cfg.gnuplot) {
		fprintf(stderr, "handoff-bench: --plots needs gnuplot (Debian: gnuplot-nox)\n");
		return 1;
	}

	snprintf(cfg.runtime_dir, sizeof(cfg.runtime_dir), "/tmp/handoff-bench-XXXXXX");
	if (!mkdtemp(cfg.runtime_dir)) {
		fprintf(stderr, "handoff-bench: cannot create a directory in /tmp: %s\n",
			strerror(errno));
		return 1;
	}
	setenv("XDG_RUNTIME_DIR", cfg.runtime_dir, 1);
	unsetenv("WAYLAND_DISPLAY");
	signal(SIGPIPE, SIG_IGN);

	struct hb_results *r = &results;
	machine_description(r->machine, sizeof(r->machine));
	size_t len = 0;
	for (int i = 0; i < argc && len < sizeof(r->command) - 1; i++)
		len += (size_t)snprintf(r->command + len, sizeof(r->command) - len, "%s%s",
					i ? " " : "", argv[i]);
	int64_t start = hb_now(CLOCK_MONOTONIC);
	hb_progress("%s run, files in %s", cfg.plan.name, cfg.runtime_dir);

	for (int s = 0; s < HB_SIZES; s++) {
		if (!cfg.plan.sizes[s])
			continue;
		hb_progress("copy limit %s", hb_sizes[s].name);
		hb_copy_run(&cfg, &hb_sizes[s], &r->copy[s]);
	}

	if (cfg.plan.sync_iterations > 0) {
		hb_progress("sync cost: %d signals each way", cfg.plan.sync_iterations);
		hb_sync_run(cfg.plan.sync_iterations, &r->sync);
	}

	bool vulkan = cfg.plan.vulkan;
	if (vulkan) {
		vulkan = vulkan_probe(&cfg, r->vulkan_device, sizeof(r->vulkan_device));
		if (!vulkan)
			hb_progress("the presenter cannot start its Vulkan renderer here: skipped");
		else
			hb_progress("Vulkan device: %s%s", r->vulkan_device,
				    strstr(r->vulkan_device, "llvmpipe")
					    ? " (lavapipe, a CPU implementation)"
					    : "");
	}
	for (int s = 0; s < HB_SIZES; s++) {
		if (!cfg.plan.sizes[s])
			continue;
		for (int v = 0; v < (vulkan ? 2 : 1); v++)
			for (int m = 0; m < (cfg.plan.fifo ? 2 : 1); m++)
				hb_headless_run(&cfg, &hb_sizes[s], v, m, &r->headless[s][v][m]);
	}

	if (cfg.plan.multi)
		hb_multi_run(&cfg, &hb_sizes[HB_MULTI_SIZE], r->multi);

	if (cfg.multi_only) {
		/* Nothing nested. */
	} else if (!cfg.weston || !cfg.weston_debug) {
		hb_progress("weston or weston-debug is not installed: the nested part is skipped");
	} else {
		for (int s = 0; s < HB_SIZES; s++)
			if (cfg.plan.nested_sizes[s])
				hb_nested_run(&cfg, &hb_sizes[s], r->nested[s]);
		if (cfg.rates)
			hb_nested_rates_run(&cfg, &hb_sizes[HB_RATES_SIZE], r->rates);
	}
	r->seconds = (double)(hb_now(CLOCK_MONOTONIC) - start) / 1e9;

	hb_report_table(stdout, &cfg, r);
	fflush(stdout);
	bool ok = true;
	if (cfg.json_path)
		ok = hb_report_json(cfg.json_path, &cfg, r) && ok;
	if (cfg.plots_dir)
		ok = hb_report_plots(&cfg, r) && ok;
	if (cfg.keep)
		hb_progress("kept %s", cfg.runtime_dir);
	else
		remove_tree(cfg.runtime_dir);
	return ok ? 0 : 1;
}
