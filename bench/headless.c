/*
 * Headless: the producer into the presenter with --refresh 0, as fast as frames come. The
 * figures come from both programs' --stats; the whole-process CPU of each is also read from
 * /proc over a window in the middle of the run, since the presenter's stats count only its
 * repaints.
 */
#include "bench.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int run_counter;

static void run_once(const struct hb_config *cfg, const struct hb_size *size, bool vulkan,
		     bool fifo, struct hb_headless_result *out)
{
	char socket[64], size_arg[32], buffers[16], p_stats[256], c_stats[256], log[256];
	int n = ++run_counter;
	snprintf(socket, sizeof(socket), "bench-headless-%d", n);
	snprintf(size_arg, sizeof(size_arg), "%dx%d", size->width, size->height);
	snprintf(buffers, sizeof(buffers), "%d", cfg->buffers);
	snprintf(p_stats, sizeof(p_stats), "%s/headless-%d-presenter.json", cfg->runtime_dir, n);
	snprintf(c_stats, sizeof(c_stats), "%s/headless-%d-producer.json", cfg->runtime_dir, n);
	snprintf(log, sizeof(log), "%s/headless-%d.log", cfg->runtime_dir, n);
	char *argv[] = {
		(char *)cfg->presenter,
		"--socket",
		socket,
		"--output",
		"headless",
		"--refresh",
		"0",
		"--renderer",
		vulkan ? "vulkan" : "pixman",
		"--size",
		size_arg,
		"--stats",
		p_stats,
		"--",
		(char *)cfg->producer,
		"--frames",
		"100000000",
		"--fps",
		"0",
		"--size",
		size_arg,
		"--pattern",
		"solid",
		"--present-mode",
		fifo ? "fifo" : "mailbox",
		"--buffers",
		buffers,
		"--stats",
		c_stats,
		NULL,
	};
	*out = (struct hb_headless_result){0};
	pid_t presenter = hb_spawn(argv, NULL, log);
	if (presenter < 0) {
		out->error = "cannot start the presenter";
		return;
	}
	pid_t producer = 0;
	for (int i = 0; i < 500 && !producer && hb_alive(presenter); i++) {
		hb_sleep_ms(10);
		producer = hb_first_child(presenter);
	}
	if (!producer) {
		hb_stop(presenter, SIGKILL, 1000);
		hb_show_log(log);
		out->error = "the presenter did not start the producer";
		return;
	}
	/* Start-up (Vulkan's especially) stays out of the CPU window. */
	int warm_ms = 300, window_ms = (int)(cfg->plan.headless_seconds * 1000);
	hb_sleep_ms(warm_ms);
	int64_t t0 = hb_now(CLOCK_MONOTONIC);
	int64_t pres0 = hb_proc_cpu_ns(presenter), prod0 = hb_proc_cpu_ns(producer);
	hb_sleep_ms(window_ms);
	int64_t t1 = hb_now(CLOCK_MONOTONIC);
	int64_t pres1 = hb_proc_cpu_ns(presenter), prod1 = hb_proc_cpu_ns(producer);
	/* The presenter passes the first SIGTERM to its command, whose exit ends both. */
	int status = hb_stop(presenter, SIGTERM, 10000);
	if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		hb_show_log(log);
		out->error = "the presenter or the producer failed";
		return;
	}
	struct {
		const char *path, *in, *key;
		double *out;
	} fields[] = {
		{c_stats, NULL, "presented_fps", &out->fps},
		{c_stats, NULL, "frames_presented", &out->frames_presented},
		{c_stats, NULL, "frames_discarded", &out->frames_discarded},
		{c_stats, "latency_acquire_to_presented", "p50_us", &out->lat_p50_us},
		{c_stats, "latency_acquire_to_presented", "p99_us", &out->lat_p99_us},
		{c_stats, "latency_acquire_to_presented", "max_us", &out->lat_max_us},
		{c_stats, NULL, "cpu_us_per_frame", &out->producer_cpu_us},
		{p_stats, "latency_ready_to_presented", "p50_us", &out->pres_lat_p50_us},
		{p_stats, "latency_ready_to_presented", "p99_us", &out->pres_lat_p99_us},
		{p_stats, NULL, "cpu_us_per_output_frame", &out->presenter_cpu_us},
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!hb_json_number(fields[i].path, fields[i].in, fields[i].key, fields[i].out)) {
			fprintf(stderr, "handoff-bench: no \"%s\" in %s\n", fields[i].key,
				fields[i].path);
			out->error = "a stats file lacks a figure";
			return;
		}
	}
	double frames = out->fps * (double)(t1 - t0) / 1e9;
	if (pres0 >= 0 && pres1 >= 0 && prod0 >= 0 && prod1 >= 0 && frames > 0) {
		out->presenter_proc_us = (double)(pres1 - pres0) / 1e3 / frames;
		out->producer_proc_us = (double)(prod1 - prod0) / 1e3 / frames;
	}
	out->done = true;
}

static int compare_fps(const void *a, const void *b)
{
	const struct hb_headless_result *x = a, *y = b;
	return (x->fps > y->fps) - (x->fps < y->fps);
}

void hb_headless_run(const struct hb_config *cfg, const struct hb_size *size, bool vulkan,
		     bool fifo, struct hb_headless_result *out)
{
	int repeats = cfg->plan.headless_repeats;
	struct hb_headless_result runs[8];
	int done = 0;
	if (repeats > 8)
		repeats = 8;
	*out = (struct hb_headless_result){0};
	for (int i = 0; i < repeats; i++) {
		hb_progress("headless %s %s %s, run %d of %d", size->name,
			    vulkan ? "vulkan" : "pixman", fifo ? "fifo" : "mailbox", i + 1,
			    repeats);
		run_once(cfg, size, vulkan, fifo, &runs[done]);
		if (runs[done].done)
			done++;
		else
			out->error = runs[done].error;
	}
	if (done == 0)
		return;
	qsort(runs, (size_t)done, sizeof(runs[0]), compare_fps);
	*out = runs[done / 2];
}
