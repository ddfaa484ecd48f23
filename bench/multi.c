/*
 * One producer, several readers: the CPU producer at --fps 0 into 1, 2 and 4 headless
 * presenters at --refresh 0 (handoff-producer --display, repeated), and into one presenter
 * with two headless outputs. The figures come from every program's --stats (fps, latency) and
 * from /proc over a window in the middle of the run (CPU of each process, per frame the
 * producer submitted: the one unit common to every process of a case).
 */
#include "bench.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

const struct hb_multi_case hb_multi_cases[HB_MULTI_CASES] = {
	{"1 presenter", "one", 1, 1},
	{"2 presenters", "two", 2, 1},
	{"4 presenters", "four", 4, 1},
	{"1 presenter, 2 outputs", "two_outputs", 1, 2},
};

static int run_counter;

/* A presenter's stats file: its output o of presenter p. */
static void stats_path(char *out, size_t size, const struct hb_config *cfg, int n, int p, int o)
{
	snprintf(out, size, "%s/multi-%d-presenter-%d-output-%d.json", cfg->runtime_dir, n, p, o);
}

static pid_t start_presenter(const struct hb_config *cfg, const struct hb_size *size, int n, int p,
			     int outputs, const char *socket)
{
	char size_arg[32], stats[HB_MULTI_MAX_READERS][256], log[256];
	snprintf(size_arg, sizeof(size_arg), "%dx%d", size->width, size->height);
	snprintf(log, sizeof(log), "%s/multi-%d-presenter-%d.log", cfg->runtime_dir, n, p);
	char *argv[8 + 8 * HB_MULTI_MAX_READERS] = {(char *)cfg->presenter, "--socket",
						    (char *)socket};
	int a = 3;
	for (int o = 0; o < outputs; o++) {
		stats_path(stats[o], sizeof(stats[o]), cfg, n, p, o);
		char *more[] = {"--output", "headless", "--refresh", "0",
				"--size",   size_arg,   "--stats",   stats[o]};
		for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
			argv[a++] = more[i];
	}
	argv[a] = NULL;
	pid_t pid = hb_spawn(argv, NULL, log);
	if (pid > 0 && !hb_wait_socket(cfg->runtime_dir, socket, pid, 10000)) {
		hb_stop(pid, SIGKILL, 1000);
		hb_show_log(log);
		return -1;
	}
	return pid;
}

static void run_case(const struct hb_config *cfg, const struct hb_size *size,
		     const struct hb_multi_case *mc, struct hb_multi_result *out)
{
	int n = ++run_counter;
	char sockets[HB_MULTI_MAX_READERS][64], size_arg[32], c_stats[256], log[256];
	pid_t presenters[HB_MULTI_MAX_READERS] = {0};
	*out = (struct hb_multi_result){.presenters = mc->presenters, .outputs = mc->outputs};
	snprintf(size_arg, sizeof(size_arg), "%dx%d", size->width, size->height);
	snprintf(c_stats, sizeof(c_stats), "%s/multi-%d-producer.json", cfg->runtime_dir, n);
	snprintf(log, sizeof(log), "%s/multi-%d-producer.log", cfg->runtime_dir, n);
	char *argv[16 + 2 * HB_MULTI_MAX_READERS] = {
		(char *)cfg->producer, "--frames", "100000000", "--fps", "0", "--size", size_arg,
		"--pattern",           "solid",    "--stats",   c_stats,
	};
	int a = 11;
	for (int p = 0; p < mc->presenters; p++) {
		snprintf(sockets[p], sizeof(sockets[p]), "bench-multi-%d-%d", n, p);
		presenters[p] = start_presenter(cfg, size, n, p, mc->outputs, sockets[p]);
		if (presenters[p] < 0) {
			out->error = "a presenter did not start";
			goto stop;
		}
		argv[a++] = "--display";
		argv[a++] = sockets[p];
	}
	argv[a] = NULL;
	pid_t producer = hb_spawn(argv, NULL, log);
	if (producer < 0) {
		out->error = "cannot start the producer";
		goto stop;
	}
	int warm_ms = 500, window_ms = (int)(cfg->plan.headless_seconds * 1000);
	hb_sleep_ms(warm_ms);
	int64_t cpu0[HB_MULTI_MAX_READERS], cpu1[HB_MULTI_MAX_READERS];
	int64_t prod0 = hb_proc_cpu_ns(producer);
	for (int p = 0; p < mc->presenters; p++)
		cpu0[p] = hb_proc_cpu_ns(presenters[p]);
	hb_sleep_ms(window_ms);
	int64_t prod1 = hb_proc_cpu_ns(producer);
	for (int p = 0; p < mc->presenters; p++)
		cpu1[p] = hb_proc_cpu_ns(presenters[p]);
	/* SIGINT: the producer writes its stats and exits 0. */
	int status = hb_stop(producer, SIGINT, 10000);
	if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		hb_show_log(log);
		out->error = "the producer failed";
		goto stop;
	}
	for (int p = 0; p < mc->presenters; p++) {
		status = hb_stop(presenters[p], SIGTERM, 10000);
		presenters[p] = 0;
		if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			out->error = "a presenter failed";
			goto stop;
		}
	}
	double seconds = 0, submitted = 0;
	if (!hb_json_number(c_stats, NULL, "seconds", &seconds) ||
	    !hb_json_number(c_stats, NULL, "frames_submitted", &submitted) || seconds <= 0) {
		out->error = "the producer's stats lack a figure";
		return;
	}
	out->producer_fps = submitted / seconds;
	/* Frames submitted in the CPU window, at the run's mean rate. */
	double frames = out->producer_fps * window_ms / 1e3;
	if (frames <= 0 || prod0 < 0 || prod1 < 0) {
		out->error = "no frames in the CPU window";
		return;
	}
	out->producer_cpu_us = (double)(prod1 - prod0) / 1e3 / frames;
	out->cpu_sum_us = out->producer_cpu_us;
	int r = 0;
	for (int p = 0; p < mc->presenters; p++) {
		if (cpu0[p] >= 0 && cpu1[p] >= 0)
			out->presenter_cpu_us[p] = (double)(cpu1[p] - cpu0[p]) / 1e3 / frames;
		out->cpu_sum_us += out->presenter_cpu_us[p];
		for (int o = 0; o < mc->outputs; o++, r++) {
			char path[256];
			double presented = 0;
			stats_path(path, sizeof(path), cfg, n, p, o);
			if (!hb_json_number(path, NULL, "output_frames", &presented) ||
			    !hb_json_number(path, "latency_ready_to_presented", "p50_us",
					    &out->lat_p50_us[r]) ||
			    !hb_json_number(path, "latency_ready_to_presented", "p99_us",
					    &out->lat_p99_us[r])) {
				fprintf(stderr, "handoff-bench: %s lacks a figure\n", path);
				out->error = "a presenter's stats lack a figure";
				return;
			}
			out->reader_fps[r] = presented / seconds;
		}
	}
	out->readers = r;
	out->done = true;
	return;
stop:
	for (int p = 0; p < mc->presenters; p++)
		if (presenters[p] > 0)
			hb_stop(presenters[p], SIGKILL, 1000);
}

void hb_multi_run(const struct hb_config *cfg, const struct hb_size *size,
		  struct hb_multi_result out[HB_MULTI_CASES])
{
	for (int i = 0; i < HB_MULTI_CASES; i++) {
		hb_progress("one producer, %s, %s", hb_multi_cases[i].name, size->name);
		run_case(cfg, size, &hb_multi_cases[i], &out[i]);
		if (!out[i].done)
			hb_progress("  failed: %s", out[i].error);
	}
}
