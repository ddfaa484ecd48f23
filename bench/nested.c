/*
 * Nested, measured at the parent. One headless weston (pixman) is the parent of four chains:
 *
 *   floor:   producer --sync implicit            -> parent
 *   handoff: producer --sync explicit -> handoff-presenter --output wayland -> parent
 *     (direct frames: the producer's image goes on to the parent as it is)
 *   handoff_composed: the same with --direct off (the presenter composes each frame)
 *   weston:  producer --sync implicit -> weston --backend=wayland-backend.so -> parent
 *
 * Every chain is timed the same way, on CLOCK_MONOTONIC: weston's timeline writes its times,
 * vblanks included, on that clock (its wp_presentation reports CLOCK_MONOTONIC_RAW instead):
 * - frame N is ready when its acquire point is signaled (explicit) or when the producer's commit
 *   of it goes by (implicit), seen by a wire tap (tap.h) between the producer and its
 *   compositor;
 * - frame N reaches the parent in the first commit of the top client (the producer, the
 *   presenter or the nested weston) whose buffer shows colour N at its centre, seen by a second
 *   tap between the top client and the parent;
 * - the parent's `weston-debug timeline` says when that commit arrived (core_commit_damage),
 *   which repaint took it (core_flush_damage) and when that repaint was presented
 *   (core_repaint_finished, its vblank).
 * Latency is that presentation time minus the ready time. CPU is read from /proc for each
 * process of the chain over the measured window.
 */
#define _GNU_SOURCE
#include "bench.h"
#include "tap.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *const hb_nested_names[HB_NESTED_KINDS] = {"floor", "handoff", "handoff_composed",
						      "weston"};
const double hb_rates[HB_RATES] = {0.5, 0.95, 2.0, 0.0};

/* ---- the parent's timeline ---- */

struct event_list {
	int64_t *t;
	size_t n, cap;
};

static void events_add(struct event_list *l, int64_t t)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		int64_t *v = realloc(l->t, cap * sizeof(*v));
		if (!v)
			return;
		l->t = v;
		l->cap = cap;
	}
	l->t[l->n++] = t;
}

#define MAX_SURFACES 64

struct parent_timeline {
	struct event_list commits[MAX_SURFACES], flushes[MAX_SURFACES];
	struct event_list finished, vblank; /* the one output's repaints */
};

static void timeline_free(struct parent_timeline *tl)
{
	for (int i = 0; i < MAX_SURFACES; i++) {
		free(tl->commits[i].t);
		free(tl->flushes[i].t);
	}
	free(tl->finished.t);
	free(tl->vblank.t);
}

static int64_t pair_ns(const char *at)
{
	long long s, ns;
	if (!at || sscanf(at, "[%lld, %lld]", &s, &ns) != 2)
		return -1;
	return s * 1000000000LL + ns;
}

static bool timeline_parse(const char *path, struct parent_timeline *tl)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "handoff-bench: cannot read the parent's timeline %s\n", path);
		return false;
	}
	char line[1024];
	while (fgets(line, sizeof(line), f)) {
		const char *T = strstr(line, "\"T\":"), *N = strstr(line, "\"N\":\"");
		if (!T || !N)
			continue;
		int64_t t = pair_ns(T + 4);
		const char *ws = strstr(line, "\"ws\":");
		int surface = ws ? atoi(ws + 5) : -1;
		if (surface >= MAX_SURFACES)
			surface = -1;
		N += 5;
		if (!strncmp(N, "core_commit_damage\"", 19) && surface >= 0) {
			events_add(&tl->commits[surface], t);
		} else if (!strncmp(N, "core_flush_damage\"", 18) && surface >= 0) {
			events_add(&tl->flushes[surface], t);
		} else if (!strncmp(N, "core_repaint_finished\"", 22)) {
			const char *vb = strstr(line, "\"vblank_monotonic\":");
			events_add(&tl->finished, t);
			events_add(&tl->vblank, vb ? pair_ns(vb + 19) : t);
		}
	}
	fclose(f);
	return true;
}

/* The index of the first time >= t in a sorted list; n if none. */
static size_t first_at_or_after(const struct event_list *l, int64_t t)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->t[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* When the parent presented a commit that reached it at t, or -1. */
static int64_t parent_presented(const struct parent_timeline *tl, int surface, int64_t t)
{
	const struct event_list *commits = &tl->commits[surface], *flushes = &tl->flushes[surface];
	size_t c = first_at_or_after(commits, t);
	if (c == commits->n)
		return -1;
	size_t f = first_at_or_after(flushes, commits->t[c]);
	if (f == flushes->n)
		return -1;
	size_t r = first_at_or_after(&tl->finished, flushes->t[f] + 1);
	if (r == tl->finished.n)
		return -1;
	return tl->vblank.t[r];
}

static int top_surface(const struct parent_timeline *tl)
{
	int best = -1;
	size_t most = 0;
	for (int i = 0; i < MAX_SURFACES; i++) {
		if (tl->commits[i].n > most) {
			most = tl->commits[i].n;
			best = i;
		}
	}
	return best;
}

/* ---- a chain ---- */

struct chain {
	const struct hb_config *cfg;
	const struct hb_size *size;
	enum hb_nested_kind kind;
	char parent[64], top[64], middle[64], prod[64];
	char timeline_path[512], log_dir[256];
	pid_t weston, debug, middle_pid, producer;
	struct hb_tap *top_tap, *prod_tap;
	clockid_t clock;
};

static void chain_log(const struct chain *ch, const char *what, char *out, size_t size)
{
	snprintf(out, size, "%s/%s.log", ch->log_dir, what);
}

static bool start_parent(struct chain *ch)
{
	const struct hb_config *cfg = ch->cfg;
	char socket[96], width[32], height[32], log[512];
	snprintf(socket, sizeof(socket), "--socket=%s", ch->parent);
	snprintf(width, sizeof(width), "--width=%d", ch->size->width);
	snprintf(height, sizeof(height), "--height=%d", ch->size->height);
	char *argv[] = {(char *)cfg->weston,
			"--backend=headless-backend.so",
			"--use-pixman",
			"--debug",
			"--idle-time=0",
			socket,
			width,
			height,
			NULL};
	chain_log(ch, "parent", log, sizeof(log));
	ch->weston = hb_spawn(argv, NULL, log);
	if (ch->weston < 0 || !hb_wait_socket(cfg->runtime_dir, ch->parent, ch->weston, 10000)) {
		hb_show_log(log);
		fprintf(stderr, "handoff-bench: the parent weston did not start\n");
		return false;
	}
	char *debug_argv[] = {(char *)cfg->weston_debug, "timeline", NULL};
	ch->debug = hb_spawn(debug_argv, ch->parent, ch->timeline_path);
	if (ch->debug < 0)
		return false;
	return true;
}

static void stop_chain(struct chain *ch)
{
	hb_stop(ch->producer, SIGTERM, 10000);
	hb_stop(ch->middle_pid, SIGTERM, 10000);
	/* Let the last events reach the timeline file. */
	hb_sleep_ms(100);
	hb_stop(ch->debug, SIGTERM, 5000);
	hb_stop(ch->weston, SIGTERM, 10000);
	hb_tap_stop(ch->top_tap);
	hb_tap_stop(ch->prod_tap);
	ch->producer = ch->middle_pid = ch->debug = ch->weston = 0;
}

static void destroy_chain(struct chain *ch)
{
	stop_chain(ch);
	if (ch->prod_tap != ch->top_tap)
		hb_tap_destroy(ch->prod_tap);
	hb_tap_destroy(ch->top_tap);
	ch->prod_tap = ch->top_tap = NULL;
}

static bool start_middle(struct chain *ch)
{
	const struct hb_config *cfg = ch->cfg;
	char size_arg[32], log[512];
	snprintf(size_arg, sizeof(size_arg), "%dx%d", ch->size->width, ch->size->height);
	chain_log(ch, hb_nested_names[ch->kind], log, sizeof(log));
	if (ch->kind == HB_HANDOFF || ch->kind == HB_HANDOFF_COMPOSED) {
		char *argv[] = {(char *)cfg->presenter,
				"--socket",
				ch->middle,
				"--output",
				"wayland",
				"--renderer",
				"pixman",
				"--size",
				size_arg,
				"--direct",
				ch->kind == HB_HANDOFF ? "on" : "off",
				NULL};
		ch->middle_pid = hb_spawn(argv, ch->top, log);
	} else {
		char socket[96], width[32], height[32];
		snprintf(socket, sizeof(socket), "--socket=%s", ch->middle);
		snprintf(width, sizeof(width), "--width=%d", ch->size->width);
		snprintf(height, sizeof(height), "--height=%d", ch->size->height);
		char *argv[] = {(char *)cfg->weston,
				"--backend=wayland-backend.so",
				"--use-pixman",
				"--idle-time=0",
				socket,
				width,
				height,
				NULL};
		ch->middle_pid = hb_spawn(argv, ch->top, log);
	}
	if (ch->middle_pid < 0 ||
	    !hb_wait_socket(cfg->runtime_dir, ch->middle, ch->middle_pid, 15000)) {
		hb_show_log(log);
		fprintf(stderr, "handoff-bench: the nested %s did not start\n",
			hb_nested_names[ch->kind]);
		return false;
	}
	return true;
}

static bool start_producer(struct chain *ch, int fps, const char *display, bool explicit_sync,
			   int frames, char *log, size_t log_size)
{
	const struct hb_config *cfg = ch->cfg;
	char size_arg[32], fps_arg[16], frames_arg[16], buffers[16], stats[512];
	snprintf(size_arg, sizeof(size_arg), "%dx%d", ch->size->width, ch->size->height);
	snprintf(fps_arg, sizeof(fps_arg), "%d", fps);
	snprintf(frames_arg, sizeof(frames_arg), "%d", frames);
	snprintf(buffers, sizeof(buffers), "%d", cfg->buffers);
	snprintf(stats, sizeof(stats), "%s/producer-%s.json", ch->log_dir,
		 hb_nested_names[ch->kind]);
	chain_log(ch, "producer", log, log_size);
	char *argv[] = {(char *)cfg->producer,
			"--sync",
			explicit_sync ? "explicit" : "implicit",
			"--fps",
			fps_arg,
			"--frames",
			frames_arg,
			"--size",
			size_arg,
			"--pattern",
			"solid",
			"--buffers",
			buffers,
			"--stats",
			stats,
			NULL};
	ch->producer = hb_spawn(argv, display, log);
	return ch->producer > 0;
}

static int64_t median_interval(const struct event_list *l, size_t from)
{
	size_t n = l->n > from + 1 ? l->n - from - 1 : 0;
	if (n == 0)
		return 0;
	double *d = malloc(n * sizeof(*d));
	if (!d)
		return 0;
	for (size_t i = 0; i < n; i++)
		d[i] = (double)(l->t[from + i + 1] - l->t[from + i]);
	qsort(d, n, sizeof(*d), hb_compare_double);
	int64_t m = (int64_t)hb_percentile(d, n, 50);
	free(d);
	return m;
}

/* The parent's frame period when a client keeps it busy: weston's headless output repaints
 * on a timer after each repaint, so the period is not 1/60 s. */
static int64_t calibrate_refresh(const struct hb_config *cfg, const struct hb_size *size)
{
	struct chain ch = {.cfg = cfg, .size = size, .kind = HB_FLOOR};
	snprintf(ch.parent, sizeof(ch.parent), "bench-cal-parent-%s", size->name);
	snprintf(ch.log_dir, sizeof(ch.log_dir), "%s/nested-calibrate", cfg->runtime_dir);
	mkdir(ch.log_dir, 0700);
	snprintf(ch.timeline_path, sizeof(ch.timeline_path), "%s/timeline.txt", ch.log_dir);
	int64_t period = 0;
	char log[512];
	struct parent_timeline tl = {0};
	if (!start_parent(&ch) || !start_producer(&ch, 0, ch.parent, false, 60, log, sizeof(log)))
		goto out;
	int status;
	if (!hb_wait(ch.producer, 20000, &status)) {
		fprintf(stderr, "handoff-bench: the calibration producer did not finish\n");
		goto out;
	}
	ch.producer = 0;
	stop_chain(&ch);
	if (timeline_parse(ch.timeline_path, &tl))
		period = median_interval(&tl.vblank, tl.vblank.n > 40 ? tl.vblank.n - 40 : 0);
out:
	destroy_chain(&ch);
	timeline_free(&tl);
	return period;
}

static void run_chain(const struct hb_config *cfg, const struct hb_size *size,
		      enum hb_nested_kind kind, int fps, double refresh_ms,
		      struct hb_nested_result *out)
{
	struct chain ch = {.cfg = cfg, .size = size, .kind = kind, .clock = CLOCK_MONOTONIC};
	int id = getpid();
	snprintf(ch.parent, sizeof(ch.parent), "bench-parent-%d-%s-%d", id, size->name, kind);
	snprintf(ch.top, sizeof(ch.top), "bench-top-%d-%s-%d", id, size->name, kind);
	snprintf(ch.middle, sizeof(ch.middle), "bench-middle-%d-%s-%d", id, size->name, kind);
	snprintf(ch.prod, sizeof(ch.prod), "bench-prod-%d-%s-%d", id, size->name, kind);
	snprintf(ch.log_dir, sizeof(ch.log_dir), "%s/nested-%s-%s-%d", cfg->runtime_dir, size->name,
		 hb_nested_names[kind], fps);
	mkdir(ch.log_dir, 0700);
	snprintf(ch.timeline_path, sizeof(ch.timeline_path), "%s/timeline.txt", ch.log_dir);
	*out = (struct hb_nested_result){.producer_fps = fps, .parent_refresh_ms = refresh_ms};
	struct parent_timeline tl = {0};
	int64_t *present = NULL;
	char log[512];
	if (!start_parent(&ch)) {
		out->error = "the parent weston did not start";
		goto out;
	}
	ch.top_tap = hb_tap_start(cfg->runtime_dir, ch.top, ch.parent, ch.clock);
	if (!ch.top_tap) {
		out->error = "cannot start the wire tap";
		goto out;
	}
	const char *producer_display = ch.top;
	if (kind == HB_FLOOR) {
		ch.prod_tap = ch.top_tap;
	} else {
		if (!start_middle(&ch)) {
			out->error = "the nested compositor did not start";
			goto out;
		}
		ch.prod_tap = hb_tap_start(cfg->runtime_dir, ch.prod, ch.middle, ch.clock);
		if (!ch.prod_tap) {
			out->error = "cannot start the wire tap";
			goto out;
		}
		producer_display = ch.prod;
	}
	if (!start_producer(&ch, fps, producer_display,
			    kind == HB_HANDOFF || kind == HB_HANDOFF_COMPOSED, HB_MAX_FRAMES - 1,
			    log, sizeof(log))) {
		out->error = "cannot start the producer";
		goto out;
	}
	for (int i = 0; i < 1500 && hb_tap_decoded(ch.top_tap) < 5; i++) {
		if (!hb_alive(ch.producer) || (ch.middle_pid && !hb_alive(ch.middle_pid)))
			break;
		hb_sleep_ms(10);
	}
	if (hb_tap_decoded(ch.top_tap) < 5) {
		hb_show_log(log);
		out->error = "no frame of the producer reached the parent";
		goto out;
	}
	hb_sleep_ms(1000);
	pid_t pids[3] = {ch.weston, ch.middle_pid, ch.producer};
	int64_t cpu0[3], cpu1[3];
	for (int i = 0; i < 3; i++)
		cpu0[i] = pids[i] ? hb_proc_cpu_ns(pids[i]) : 0;
	int64_t t0 = hb_now(ch.clock);
	hb_sleep_ms((int)(cfg->plan.nested_seconds * 1000));
	int64_t t1 = hb_now(ch.clock);
	for (int i = 0; i < 3; i++)
		cpu1[i] = pids[i] ? hb_proc_cpu_ns(pids[i]) : 0;
	bool alive = hb_alive(ch.producer) && (!ch.middle_pid || hb_alive(ch.middle_pid));
	stop_chain(&ch);
	if (!alive || cpu1[0] < 0 || cpu1[1] < 0 || cpu1[2] < 0) {
		hb_show_log(log);
		out->error = "a process of the chain ended early";
		goto out;
	}
	if (!timeline_parse(ch.timeline_path, &tl)) {
		out->error = "no parent timeline";
		goto out;
	}
	int surface = top_surface(&tl);
	present = calloc(HB_MAX_FRAMES, sizeof(*present));
	out->lat_ms = calloc(HB_MAX_FRAMES, sizeof(double));
	if (surface < 0 || !present || !out->lat_ms) {
		out->error =
			surface < 0 ? "the parent's timeline shows no commit" : "out of memory";
		goto out;
	}
	size_t n_commits;
	const struct hb_tap_commit *commits = hb_tap_commits(ch.top_tap, &n_commits);
	/* With --keep, every followed frame goes to joins.txt, to check the method by hand. */
	char joins[600];
	snprintf(joins, sizeof(joins), "%s/joins.txt", ch.log_dir);
	FILE *debug = cfg->keep ? fopen(joins, "w") : NULL;
	for (size_t i = 0; i < n_commits; i++) {
		int64_t p = parent_presented(&tl, surface, commits[i].t);
		uint32_t f = commits[i].frame;
		if (p > 0 && (!present[f] || p < present[f]))
			present[f] = p;
		if (debug)
			fprintf(debug, "commit %u at %lld: ready %lld, presented %lld\n", f,
				(long long)commits[i].t, (long long)hb_tap_ready(ch.prod_tap, f),
				(long long)p);
	}
	for (uint32_t f = 1; f < HB_MAX_FRAMES; f++) {
		if (!present[f] || present[f] < t0 || present[f] >= t1)
			continue;
		out->frames++;
		int64_t ready = hb_tap_ready(ch.prod_tap, f);
		if (ready <= 0 || ready > present[f]) {
			out->unmatched++;
			continue;
		}
		out->lat_ms[out->n_lat++] = (double)(present[f] - ready) / 1e6;
	}
	if (debug)
		fclose(debug);
	if (out->n_lat == 0) {
		out->error = "no frame could be followed to the parent";
		goto out;
	}
	qsort(out->lat_ms, out->n_lat, sizeof(double), hb_compare_double);
	out->lat_p50_ms = hb_percentile(out->lat_ms, out->n_lat, 50);
	out->lat_p90_ms = hb_percentile(out->lat_ms, out->n_lat, 90);
	out->lat_p99_ms = hb_percentile(out->lat_ms, out->n_lat, 99);
	out->lat_max_ms = out->lat_ms[out->n_lat - 1];
	double seconds = (double)(t1 - t0) / 1e9, frames = (double)out->frames;
	out->fps = frames / seconds;
	out->cpu_parent_us = (double)(cpu1[0] - cpu0[0]) / 1e3 / frames;
	out->cpu_middle_us = (double)(cpu1[1] - cpu0[1]) / 1e3 / frames;
	out->cpu_producer_us = (double)(cpu1[2] - cpu0[2]) / 1e3 / frames;
	out->cpu_sum_us = out->cpu_parent_us + out->cpu_middle_us + out->cpu_producer_us;
	out->done = true;
out:
	destroy_chain(&ch);
	timeline_free(&tl);
	free(present);
	if (!out->done) {
		free(out->lat_ms);
		out->lat_ms = NULL;
		out->n_lat = 0;
	}
}

void hb_nested_run(const struct hb_config *cfg, const struct hb_size *size,
		   struct hb_nested_result out[HB_NESTED_KINDS])
{
	/* Per size: a parent composing 4K takes longer over a frame. */
	hb_progress("nested %s: measuring the parent weston's frame period", size->name);
	int64_t period = calibrate_refresh(cfg, size);
	if (period <= 0) {
		for (int k = 0; k < HB_NESTED_KINDS; k++)
			out[k] = (struct hb_nested_result){.error = "cannot measure the parent"};
		return;
	}
	/* A little below the parent's rate: no chain's frames queue behind each other, and the
	 * producer's phase sweeps across the parent's frame. At or above it, a producer locks to
	 * the parent's release of its buffers, and its latency depends on the phase it locks at:
	 * the added p50 of one chain varied by several ms from run to run. */
	int fps = (int)(0.95e9 / (double)period);
	for (int k = 0; k < HB_NESTED_KINDS; k++) {
		hb_progress("nested %s %s: producer at %d fps (the parent's %.2f ms frame)",
			    size->name, hb_nested_names[k], fps, (double)period / 1e6);
		run_chain(cfg, size, (enum hb_nested_kind)k, fps, (double)period / 1e6, &out[k]);
		if (!out[k].done)
			fprintf(stderr, "handoff-bench: nested %s %s: %s\n", size->name,
				hb_nested_names[k], out[k].error);
	}
}

void hb_nested_rates_run(const struct hb_config *cfg, const struct hb_size *size,
			 struct hb_nested_result out[HB_RATES][HB_RATE_KINDS])
{
	hb_progress("nested rates %s: measuring the parent weston's frame period", size->name);
	int64_t period = calibrate_refresh(cfg, size);
	for (int i = 0; i < HB_RATES; i++) {
		/* 0: free-running, as fast as the images come back. */
		int fps = hb_rates[i] > 0 ? (int)(hb_rates[i] * 1e9 / (double)period + 0.5) : 0;
		for (int k = 0; k < HB_RATE_KINDS; k++) {
			if (period <= 0) {
				out[i][k] = (struct hb_nested_result){
					.error = "cannot measure the parent"};
				continue;
			}
			hb_progress("nested rates %s %s: producer at %.2fx the parent (%d fps)",
				    size->name, hb_nested_names[k], hb_rates[i], fps);
			run_chain(cfg, size, (enum hb_nested_kind)k, fps, (double)period / 1e6,
				  &out[i][k]);
			if (!out[i][k].done)
				fprintf(stderr, "handoff-bench: nested rates %s %s: %s\n",
					size->name, hb_nested_names[k], out[i][k].error);
		}
	}
}
