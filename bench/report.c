/* What a run prints: the Markdown table, the JSON of every figure, and the plots. */
#define _GNU_SOURCE
#include "bench.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const renderer_names[2] = {"pixman", "vulkan"};
static const char *const mode_names[2] = {"mailbox", "fifo"};

/* The size the headline figures are for. */
#define HEADLINE 1 /* 1080p */

static const struct hb_nested_result *nested(const struct hb_results *r, int size, int kind)
{
	const struct hb_nested_result *n = &r->nested[size][kind];
	return n->done ? n : NULL;
}

/* ---- headline figures (NAN when not measured) ---- */

struct headline {
	double copy_us, copy_fps, fps, ratio, lat_p50_us, lat_goal_us;
	double nested_added_ms, weston_added_ms, cpu_handoff, cpu_weston, cpu_ratio;
	/* The same chain with --direct off; and the CPU ratio leaving out the parent, the one
	 * process both chains share. */
	double composed_added_ms, cpu_ratio_without_parent, cpu_ratio_composed;
	/* weston nested over the floor: what no nested compositor's chain can beat with this
	 * parent, since it cannot cost less than the producer alone on the parent. */
	double cpu_ratio_bound;
};

static struct headline headline(const struct hb_results *r)
{
	struct headline h;
	const struct hb_copy_result *c = &r->copy[HEADLINE];
	const struct hb_headless_result *hl = &r->headless[HEADLINE][0][0];
	h.copy_us = c->done ? c->us_p50 : NAN;
	h.copy_fps = c->done ? c->fps : NAN;
	h.fps = hl->done ? hl->fps : NAN;
	h.ratio = c->done && hl->done ? hl->fps / c->fps : NAN;
	h.lat_p50_us = hl->done ? hl->lat_p50_us : NAN;
	h.lat_goal_us = 2 * h.copy_us + 50;
	const struct hb_nested_result *fl = nested(r, HEADLINE, HB_FLOOR),
				      *ho = nested(r, HEADLINE, HB_HANDOFF),
				      *we = nested(r, HEADLINE, HB_WESTON);
	h.nested_added_ms = fl && ho ? ho->lat_p50_ms - fl->lat_p50_ms : NAN;
	h.weston_added_ms = fl && we ? we->lat_p50_ms - fl->lat_p50_ms : NAN;
	h.cpu_handoff = ho ? ho->cpu_sum_us : NAN;
	h.cpu_weston = we ? we->cpu_sum_us : NAN;
	h.cpu_ratio = ho && we && ho->cpu_sum_us > 0 ? we->cpu_sum_us / ho->cpu_sum_us : NAN;
	const struct hb_nested_result *hc = nested(r, HEADLINE, HB_HANDOFF_COMPOSED);
	h.composed_added_ms = fl && hc ? hc->lat_p50_ms - fl->lat_p50_ms : NAN;
	h.cpu_ratio_composed =
		hc && we && hc->cpu_sum_us > 0 ? we->cpu_sum_us / hc->cpu_sum_us : NAN;
	h.cpu_ratio_bound = fl && we && fl->cpu_sum_us > 0 ? we->cpu_sum_us / fl->cpu_sum_us : NAN;
	double ho_own = ho ? ho->cpu_middle_us + ho->cpu_producer_us : NAN;
	h.cpu_ratio_without_parent =
		ho && we && ho_own > 0 ? (we->cpu_middle_us + we->cpu_producer_us) / ho_own : NAN;
	return h;
}

static const char *verdict(double measured, double goal, bool higher_is_better)
{
	if (isnan(measured) || isnan(goal))
		return "not measured";
	return (higher_is_better ? measured >= goal : measured <= goal) ? "met" : "NOT met";
}

/* ---- the table ---- */

static void fmt(char *buf, size_t size, const char *format, double v)
{
	if (isnan(v))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, format, v);
}

/* Part 5: one producer, several readers. */
static void report_multi_table(FILE *f, const struct hb_results *r)
{
	fprintf(f, "\n### 5. One producer, several readers: %s, `--refresh 0`, pixman, mailbox\n\n",
		hb_sizes[HB_MULTI_SIZE].name);
	fprintf(f, "The CPU producer at `--fps 0` with `--display` once per presenter. Producer "
		   "fps: frames submitted per second. Each reader (a presenter's output): "
		   "frames shown per second, latency ready -> presented p50 / p99. CPU: the "
		   "whole process from /proc, per frame the producer submitted.\n\n");
	fprintf(f, "| case | producer fps | readers: fps shown | readers: latency p50 / p99 | "
		   "producer CPU/frame | presenters CPU/frame | all CPU/frame |\n");
	fprintf(f, "|---|---|---|---|---|---|---|\n");
	for (int i = 0; i < HB_MULTI_CASES; i++) {
		const struct hb_multi_result *m = &r->multi[i];
		if (!m->done) {
			fprintf(f, "| %s | failed: %s |  |  |  |  |  |\n", hb_multi_cases[i].name,
				m->error ? m->error : "-");
			continue;
		}
		fprintf(f, "| %s | %.0f |", hb_multi_cases[i].name, m->producer_fps);
		for (int k = 0; k < m->readers; k++)
			fprintf(f, "%s%.0f", k ? ", " : " ", m->reader_fps[k]);
		fprintf(f, " |");
		for (int k = 0; k < m->readers; k++)
			fprintf(f, "%s%.0f / %.0f us", k ? ", " : " ", m->lat_p50_us[k],
				m->lat_p99_us[k]);
		fprintf(f, " | %.0f us |", m->producer_cpu_us);
		for (int p = 0; p < m->presenters; p++)
			fprintf(f, "%s%.0f", p ? ", " : " ", m->presenter_cpu_us[p]);
		fprintf(f, " us | %.0f us |\n", m->cpu_sum_us);
	}
}

void hb_report_table(FILE *f, const struct hb_config *cfg, const struct hb_results *r)
{
	fprintf(f, "## handoff-bench (%s run)\n\n", cfg->plan.name);
	fprintf(f, "Machine: %s. Frames are XRGB8888; the producer uses %d images.\n\n", r->machine,
		cfg->buffers);

	fprintf(f, "### 1. The copy limit (one memcpy of a frame from %d rotating images)\n\n",
		cfg->buffers);
	fprintf(f, "| size | memcpy p50 | memcpy mean | copy-bound fps |\n|---|---|---|---|\n");
	for (int s = 0; s < HB_SIZES; s++) {
		const struct hb_copy_result *c = &r->copy[s];
		if (c->done)
			fprintf(f, "| %s | %.0f us | %.0f us | %.0f |\n", hb_sizes[s].name,
				c->us_p50, c->us_mean, c->fps);
	}

	fprintf(f, "\n### 2. Headless: producer -> presenter, `--refresh 0`\n\n");
	fprintf(f, "Latency: acquire signaled -> presented, as the producer is told. CPU per "
		   "frame: the programs' `--stats` (the presenter's counts only its repaints), "
		   "then in brackets the whole process from /proc per presented frame.\n\n");
	fprintf(f, "| size | renderer | mode | presented fps | x copy bound | latency p50 / p99 / "
		   "max | producer CPU/frame | presenter CPU/frame |\n");
	fprintf(f, "|---|---|---|---|---|---|---|---|\n");
	for (int s = 0; s < HB_SIZES; s++) {
		for (int v = 0; v < 2; v++) {
			for (int m = 0; m < 2; m++) {
				const struct hb_headless_result *h = &r->headless[s][v][m];
				const char *rname = v ? "vulkan (lavapipe, CPU)" : "pixman";
				if (!h->done && h->error)
					fprintf(f, "| %s | %s | %s | failed: %s |  |  |  |  |\n",
						hb_sizes[s].name, rname, mode_names[m], h->error);
				if (!h->done)
					continue;
				char ratio[32];
				fmt(ratio, sizeof(ratio), "%.2f",
				    r->copy[s].done ? h->fps / r->copy[s].fps : NAN);
				fprintf(f,
					"| %s | %s | %s | %.0f | %s | %.0f / %.0f / %.0f us | "
					"%.0f us (%.0f) | %.0f us (%.0f) |\n",
					hb_sizes[s].name, rname, mode_names[m], h->fps, ratio,
					h->lat_p50_us, h->lat_p99_us, h->lat_max_us,
					h->producer_cpu_us, h->producer_proc_us,
					h->presenter_cpu_us, h->presenter_proc_us);
			}
		}
	}

	fprintf(f, "\n### 3. Nested in a headless weston (pixman), measured at the parent\n\n");
	fprintf(f, "Latency: frame ready (acquire signaled, or the implicit commit) -> the "
		   "parent's presentation of it. CPU per frame the parent presented, from "
		   "/proc, for each process of the chain.\n\n");
	fprintf(f, "| size | chain | producer fps | presented fps | latency p50 / p90 / p99 / max "
		   "| added p50 vs floor | CPU/frame parent + middle + producer = sum |\n");
	fprintf(f, "|---|---|---|---|---|---|---|\n");
	static const char *const chain_names[HB_NESTED_KINDS] = {
		"floor: producer on the parent", "Handoff: presenter nested (direct frames)",
		"Handoff, `--direct off` (composed)", "peer: weston nested"};
	for (int s = 0; s < HB_SIZES; s++) {
		for (int k = 0; k < HB_NESTED_KINDS; k++) {
			const struct hb_nested_result *n = &r->nested[s][k];
			if (!n->done && n->error)
				fprintf(f, "| %s | %s | failed: %s |  |  |  |  |\n",
					hb_sizes[s].name, chain_names[k], n->error);
			if (!n->done)
				continue;
			const struct hb_nested_result *fl = nested(r, s, HB_FLOOR);
			char added[32];
			fmt(added, sizeof(added), "%+.2f ms",
			    fl ? n->lat_p50_ms - fl->lat_p50_ms : NAN);
			fprintf(f,
				"| %s | %s | %d | %.1f | %.2f / %.2f / %.2f / %.2f ms | %s | "
				"%.0f + %.0f + %.0f = %.0f us |\n",
				hb_sizes[s].name, chain_names[k], n->producer_fps, n->fps,
				n->lat_p50_ms, n->lat_p90_ms, n->lat_p99_ms, n->lat_max_ms,
				k == HB_FLOOR ? "-" : added, n->cpu_parent_us, n->cpu_middle_us,
				n->cpu_producer_us, n->cpu_sum_us);
		}
	}

	if (cfg->rates) {
		fprintf(f, "\n### 3b. Nested at %s, by the producer's rate (`--rates`)\n\n",
			hb_sizes[HB_RATES_SIZE].name);
		fprintf(f, "Latency measured as in 3. Added: over the floor at the same rate.\n\n");
		fprintf(f,
			"| producer rate | producer fps | floor p50 / p90 | Handoff (direct) p50 / "
			"p90 | added p50 / p90 | `--direct off` p50 / p90 | added p50 / p90 |\n");
		fprintf(f, "|---|---|---|---|---|---|---|\n");
		for (int i = 0; i < HB_RATES; i++) {
			const struct hb_nested_result *n = r->rates[i];
			char rate[32];
			if (hb_rates[i] > 0)
				snprintf(rate, sizeof(rate), "%.2fx the parent", hb_rates[i]);
			else
				snprintf(rate, sizeof(rate), "free-running");
			fprintf(f, "| %s | %d |", rate, n[0].producer_fps);
			for (int k = 0; k < HB_RATE_KINDS; k++) {
				if (!n[k].done) {
					fprintf(f, " failed: %s |%s", n[k].error ? n[k].error : "-",
						k ? " |" : "");
					continue;
				}
				fprintf(f, " %.2f / %.2f ms |", n[k].lat_p50_ms, n[k].lat_p90_ms);
				if (k == 0)
					continue;
				char a[32], b[32];
				fmt(a, sizeof(a), "%+.2f",
				    n[0].done ? n[k].lat_p50_ms - n[0].lat_p50_ms : NAN);
				fmt(b, sizeof(b), "%+.2f",
				    n[0].done ? n[k].lat_p90_ms - n[0].lat_p90_ms : NAN);
				fprintf(f, " %s / %s ms |", a, b);
			}
			fputc('\n', f);
		}
	}

	if (r->sync.done) {
		fprintf(f,
			"\n### 4. Sync cost: signal -> callback in the event loop, across "
			"processes (%d each, alternating)\n\n",
			r->sync.iterations);
		fprintf(f, "| path | p50 | p99 |\n|---|---|---|\n");
		fprintf(f,
			"| shm timeline -> waiter thread (futex_waitv) -> eventfd -> event "
			"loop (presenter/sync.c) | %.1f us | %.1f us |\n",
			r->sync.product_p50_us, r->sync.product_p99_us);
		fprintf(f, "| pipe write -> event loop | %.1f us | %.1f us |\n",
			r->sync.pipe_p50_us, r->sync.pipe_p99_us);
	}

	if (cfg->plan.multi)
		report_multi_table(f, r);

	struct headline h = headline(r);
	char a[64], b[64];
	fprintf(f, "\n### Goals at 1080p (measured, never asserted)\n\n");
	fprintf(f, "| goal | target | measured | |\n|---|---|---|---|\n");
	fmt(a, sizeof(a), "%.2fx", h.ratio);
	fprintf(f, "| headless throughput (pixman, mailbox) | >= 0.5x copy bound | %s | %s |\n", a,
		verdict(h.ratio, 0.5, true));
	fmt(a, sizeof(a), "%.0f us", h.lat_p50_us);
	fmt(b, sizeof(b), "<= %.0f us (2 x copy + 50 us)", h.lat_goal_us);
	fprintf(f, "| headless latency p50 | %s | %s | %s |\n", b, a,
		verdict(h.lat_p50_us, h.lat_goal_us, false));
	fmt(a, sizeof(a), "%+.2f ms", h.nested_added_ms);
	fprintf(f, "| nested: Handoff adds over the floor (p50) | <= 1 ms | %s | %s |\n", a,
		verdict(h.nested_added_ms, 1.0, false));
	fmt(a, sizeof(a), "%+.2f ms", h.weston_added_ms);
	fprintf(f, "| nested: weston adds over the floor (p50) | (a parent frame) | %s | |\n", a);
	fmt(a, sizeof(a), "%+.2f ms", h.composed_added_ms);
	fprintf(f,
		"| nested: Handoff `--direct off` adds over the floor (p50) | (before direct "
		"frames) | %s | |\n",
		a);
	fmt(a, sizeof(a), "%.2f", h.cpu_ratio_without_parent);
	fprintf(f,
		"| chain CPU without the parent (nested compositor + producer): weston nested / "
		"Handoff | >= 3 | %s | %s |\n",
		a, verdict(h.cpu_ratio_without_parent, 3.0, true));
	char c[64];
	fmt(a, sizeof(a), "%.2f", h.cpu_ratio);
	fmt(b, sizeof(b), "%.2f", h.cpu_ratio_composed);
	fmt(c, sizeof(c), "%.2f", h.cpu_ratio_bound);
	fprintf(f,
		"| chain CPU with the parent: weston nested / Handoff | >= 3 | %s (`--direct "
		"off`: %s; weston nested / floor, the most any nested chain can reach with "
		"this parent: %s) | %s |\n",
		a, b, c, verdict(h.cpu_ratio, 3.0, true));
	const struct hb_multi_result *m1 = &r->multi[0], *m4 = &r->multi[2];
	fmt(a, sizeof(a), "%.2fx",
	    m1->done && m4->done && m1->producer_fps > 0 ? m4->producer_fps / m1->producer_fps
							 : NAN);
	fprintf(f,
		"| one producer into 4 presenters: its fps against into 1 | >= 0.8x | %s (on "
		"%ld cores, each presenter's composition its own CPU) | %s |\n",
		a, sysconf(_SC_NPROCESSORS_ONLN),
		m1->done && m4->done ? verdict(m4->producer_fps / m1->producer_fps, 0.8, true)
				     : "");
	fprintf(f, "\n%.0f s in all.\n", r->seconds);
}

/* ---- JSON ---- */

static void json_multi(FILE *f, bool *first, const struct hb_results *r);

static void json_num(FILE *f, bool *first, const char *key, double v)
{
	fprintf(f, "%s\n  \"%s\": ", *first ? "" : ",", key);
	*first = false;
	if (isnan(v) || isinf(v))
		fprintf(f, "null");
	else
		fprintf(f, "%.6g", v);
}

static void json_str(FILE *f, bool *first, const char *key, const char *v)
{
	fprintf(f, "%s\n  \"%s\": \"", *first ? "" : ",", key);
	*first = false;
	for (const char *p = v; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', f);
		if ((unsigned char)*p >= 0x20)
			fputc(*p, f);
	}
	fputc('"', f);
}

/* multi_CASE_FIELD, and multi_CASE_readerK_FIELD / multi_CASE_presenterK_cpu_us. */
static void json_multi(FILE *f, bool *first, const struct hb_results *r)
{
	char key[128];
	for (int i = 0; i < HB_MULTI_CASES; i++) {
		const struct hb_multi_result *m = &r->multi[i];
		const char *name = hb_multi_cases[i].key;
		if (!m->done)
			continue;
		snprintf(key, sizeof(key), "multi_%s_producer_fps", name);
		json_num(f, first, key, m->producer_fps);
		snprintf(key, sizeof(key), "multi_%s_producer_cpu_us", name);
		json_num(f, first, key, m->producer_cpu_us);
		snprintf(key, sizeof(key), "multi_%s_cpu_sum_us", name);
		json_num(f, first, key, m->cpu_sum_us);
		for (int p = 0; p < m->presenters; p++) {
			snprintf(key, sizeof(key), "multi_%s_presenter%d_cpu_us", name, p);
			json_num(f, first, key, m->presenter_cpu_us[p]);
		}
		for (int k = 0; k < m->readers; k++) {
			snprintf(key, sizeof(key), "multi_%s_reader%d_fps", name, k);
			json_num(f, first, key, m->reader_fps[k]);
			snprintf(key, sizeof(key), "multi_%s_reader%d_latency_p50_us", name, k);
			json_num(f, first, key, m->lat_p50_us[k]);
			snprintf(key, sizeof(key), "multi_%s_reader%d_latency_p99_us", name, k);
			json_num(f, first, key, m->lat_p99_us[k]);
		}
	}
	const struct hb_multi_result *m1 = &r->multi[0], *m4 = &r->multi[2];
	if (m1->done && m4->done && m1->producer_fps > 0)
		json_num(f, first, "multi_four_vs_one_producer_fps",
			 m4->producer_fps / m1->producer_fps);
}

bool hb_report_json(const char *path, const struct hb_config *cfg, const struct hb_results *r)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "handoff-bench: cannot write %s: %s\n", path, strerror(errno));
		return false;
	}
	bool first = true;
	char key[128];
	fprintf(f, "{");
	json_str(f, &first, "program", "handoff-bench");
	json_str(f, &first, "run", cfg->plan.name);
	json_str(f, &first, "machine", r->machine);
	json_str(f, &first, "command", r->command);
	json_str(f, &first, "vulkan_device", r->vulkan_device);
	json_num(f, &first, "buffers", cfg->buffers);
	json_num(f, &first, "seconds", r->seconds);

	struct headline h = headline(r);
	json_num(f, &first, "ratio_vs_copy_1080p", h.ratio);
	json_num(f, &first, "latency_p50_1080p_us", h.lat_p50_us);
	json_num(f, &first, "copy_1080p_us", h.copy_us);
	json_num(f, &first, "nested_added_latency_ms", h.nested_added_ms);
	json_num(f, &first, "weston_nested_added_latency_ms", h.weston_added_ms);
	json_num(f, &first, "cpu_ratio_vs_weston_nested_1080p", h.cpu_ratio);
	json_num(f, &first, "cpu_ratio_vs_weston_nested_without_parent_1080p",
		 h.cpu_ratio_without_parent);
	json_num(f, &first, "cpu_ratio_vs_weston_nested_composed_1080p", h.cpu_ratio_composed);
	json_num(f, &first, "cpu_ratio_weston_nested_vs_floor_1080p", h.cpu_ratio_bound);
	json_num(f, &first, "nested_composed_added_latency_ms", h.composed_added_ms);
	json_num(f, &first, "goal_latency_p50_1080p_us", h.lat_goal_us);

	for (int s = 0; s < HB_SIZES; s++) {
		const char *sz = hb_sizes[s].name;
		const struct hb_copy_result *c = &r->copy[s];
		if (c->done) {
			snprintf(key, sizeof(key), "copy_%s_us", sz);
			json_num(f, &first, key, c->us_p50);
			snprintf(key, sizeof(key), "copy_%s_mean_us", sz);
			json_num(f, &first, key, c->us_mean);
			snprintf(key, sizeof(key), "copy_%s_fps", sz);
			json_num(f, &first, key, c->fps);
		}
		for (int v = 0; v < 2; v++) {
			for (int m = 0; m < 2; m++) {
				const struct hb_headless_result *hl = &r->headless[s][v][m];
				if (!hl->done)
					continue;
				struct {
					const char *name;
					double v;
				} fields[] = {
					{"fps", hl->fps},
					{"ratio_vs_copy", c->done ? hl->fps / c->fps : NAN},
					{"latency_p50_us", hl->lat_p50_us},
					{"latency_p99_us", hl->lat_p99_us},
					{"latency_max_us", hl->lat_max_us},
					{"presenter_latency_p50_us", hl->pres_lat_p50_us},
					{"presenter_latency_p99_us", hl->pres_lat_p99_us},
					{"producer_cpu_us", hl->producer_cpu_us},
					{"presenter_cpu_us", hl->presenter_cpu_us},
					{"producer_proc_cpu_us", hl->producer_proc_us},
					{"presenter_proc_cpu_us", hl->presenter_proc_us},
					{"frames_presented", hl->frames_presented},
					{"frames_discarded", hl->frames_discarded},
				};
				for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
					snprintf(key, sizeof(key), "headless_%s_%s_%s_%s",
						 renderer_names[v], mode_names[m], sz,
						 fields[i].name);
					json_num(f, &first, key, fields[i].v);
				}
			}
		}
		for (int k = 0; k < HB_NESTED_KINDS; k++) {
			const struct hb_nested_result *n = nested(r, s, k);
			if (!n)
				continue;
			struct {
				const char *name;
				double v;
			} fields[] = {
				{"producer_fps", n->producer_fps},
				{"parent_frame_ms", n->parent_refresh_ms},
				{"fps", n->fps},
				{"latency_p50_ms", n->lat_p50_ms},
				{"latency_p90_ms", n->lat_p90_ms},
				{"latency_p99_ms", n->lat_p99_ms},
				{"latency_max_ms", n->lat_max_ms},
				{"cpu_parent_us", n->cpu_parent_us},
				{"cpu_middle_us", n->cpu_middle_us},
				{"cpu_producer_us", n->cpu_producer_us},
				{"cpu_sum_us", n->cpu_sum_us},
				{"frames", (double)n->frames},
				{"frames_unmatched", (double)n->unmatched},
			};
			for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
				snprintf(key, sizeof(key), "nested_%s_%s_%s", hb_nested_names[k],
					 sz, fields[i].name);
				json_num(f, &first, key, fields[i].v);
			}
		}
	}
	for (int i = 0; cfg->rates && i < HB_RATES; i++) {
		for (int k = 0; k < HB_RATE_KINDS; k++) {
			const struct hb_nested_result *n = &r->rates[i][k];
			if (!n->done)
				continue;
			char rate[16];
			if (hb_rates[i] > 0)
				snprintf(rate, sizeof(rate), "%.2fx", hb_rates[i]);
			else
				snprintf(rate, sizeof(rate), "free");
			struct {
				const char *name;
				double v;
			} fields[] = {
				{"producer_fps", n->producer_fps},
				{"fps", n->fps},
				{"latency_p50_ms", n->lat_p50_ms},
				{"latency_p90_ms", n->lat_p90_ms},
				{"latency_p99_ms", n->lat_p99_ms},
				{"cpu_sum_us", n->cpu_sum_us},
			};
			for (size_t j = 0; j < sizeof(fields) / sizeof(fields[0]); j++) {
				snprintf(key, sizeof(key), "rates_%s_%s_%s", rate,
					 hb_nested_names[k], fields[j].name);
				json_num(f, &first, key, fields[j].v);
			}
		}
	}
	json_multi(f, &first, r);
	if (r->sync.done) {
		json_num(f, &first, "sync_iterations", r->sync.iterations);
		json_num(f, &first, "sync_product_p50_us", r->sync.product_p50_us);
		json_num(f, &first, "sync_product_p99_us", r->sync.product_p99_us);
		json_num(f, &first, "sync_pipe_p50_us", r->sync.pipe_p50_us);
		json_num(f, &first, "sync_pipe_p99_us", r->sync.pipe_p99_us);
		json_num(f, &first, "sync_ratio_p50",
			 r->sync.pipe_p50_us > 0 ? r->sync.product_p50_us / r->sync.pipe_p50_us
						 : NAN);
	}
	fprintf(f, "\n}\n");
	bool ok = fclose(f) == 0;
	if (!ok)
		fprintf(stderr, "handoff-bench: cannot write %s: %s\n", path, strerror(errno));
	return ok;
}

/* ---- plots ---- */

static bool run_gnuplot(const struct hb_config *cfg, const char *script)
{
	char *argv[] = {(char *)cfg->gnuplot, (char *)script, NULL};
	char log[256];
	snprintf(log, sizeof(log), "%s/gnuplot.log", cfg->runtime_dir);
	pid_t pid = hb_spawn(argv, NULL, log);
	int status;
	if (pid < 0 || !hb_wait(pid, 60000, &status) || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		hb_show_log(log);
		fprintf(stderr, "handoff-bench: gnuplot failed on %s\n", script);
		return false;
	}
	return true;
}

static bool plot_cdf(const struct hb_config *cfg, const struct hb_results *r, int s)
{
	static const char *const titles[HB_NESTED_KINDS] = {
		"floor: producer straight on the parent",
		"Handoff: presenter nested, direct frames",
		"Handoff nested, --direct off (composed)", "peer: weston nested"};
	char data[256], script[256];
	snprintf(script, sizeof(script), "%s/nested-latency-cdf.gp", cfg->runtime_dir);
	FILE *gp = fopen(script, "w");
	if (!gp)
		return false;
	fprintf(gp,
		"set terminal pngcairo size 900,560 font 'DejaVu Sans,11'\n"
		"set output '%s/nested-latency-cdf.png'\n"
		"set title 'Nested in a headless weston, %s: frame ready -> presented by the "
		"parent'\n"
		"set xlabel 'latency (ms)'\nset ylabel 'fraction of frames'\n"
		"set yrange [0:1]\nset grid\nset key bottom right\nplot ",
		cfg->plots_dir, hb_sizes[s].name);
	bool any = false;
	for (int k = 0; k < HB_NESTED_KINDS; k++) {
		const struct hb_nested_result *n = nested(r, s, k);
		if (!n)
			continue;
		snprintf(data, sizeof(data), "%s/cdf-%s.dat", cfg->runtime_dir, hb_nested_names[k]);
		FILE *d = fopen(data, "w");
		if (!d)
			break;
		for (size_t i = 0; i < n->n_lat; i++)
			fprintf(d, "%.4f %.5f\n", n->lat_ms[i], (double)(i + 1) / (double)n->n_lat);
		fclose(d);
		fprintf(gp, "%s'%s' using 1:2 with steps lw 2 title '%s (p50 %.1f ms)'",
			any ? ", " : "", data, titles[k], n->lat_p50_ms);
		any = true;
	}
	fprintf(gp, "\n");
	fclose(gp);
	return !any || run_gnuplot(cfg, script);
}

static bool plot_fps(const struct hb_config *cfg, const struct hb_results *r)
{
	char script[256], data[256];
	snprintf(script, sizeof(script), "%s/fps-vs-size.gp", cfg->runtime_dir);
	snprintf(data, sizeof(data), "%s/fps-vs-size.dat", cfg->runtime_dir);
	FILE *d = fopen(data, "w");
	if (!d)
		return false;
	/* One block per system (gnuplot's index), one line per size. */
	const char *titles[16];
	int blocks = 0;
	fprintf(d, "# megapixels fps\n");
	titles[blocks++] = "copy limit (memcpy of one frame)";
	for (int s = 0; s < HB_SIZES; s++)
		if (r->copy[s].done)
			fprintf(d, "%.3f %.2f\n", hb_sizes[s].width * hb_sizes[s].height / 1e6,
				r->copy[s].fps);
	static const char *const headless_titles[2][2] = {
		{"Handoff headless, pixman, mailbox", "Handoff headless, pixman, fifo"},
		{"Handoff headless, Vulkan on lavapipe (CPU), mailbox",
		 "Handoff headless, Vulkan on lavapipe (CPU), fifo"}};
	for (int v = 0; v < 2; v++) {
		for (int m = 0; m < 2; m++) {
			fprintf(d, "\n\n");
			titles[blocks++] = headless_titles[v][m];
			for (int s = 0; s < HB_SIZES; s++) {
				const struct hb_headless_result *h = &r->headless[s][v][m];
				if (h->done)
					fprintf(d, "%.3f %.2f\n",
						hb_sizes[s].width * hb_sizes[s].height / 1e6,
						h->fps);
			}
		}
	}
	static const char *const nested_titles[HB_NESTED_KINDS] = {
		"nested floor (producer on the parent), at the parent",
		"nested Handoff (direct frames), at the parent",
		"nested Handoff --direct off, at the parent", "nested weston, at the parent"};
	for (int k = 0; k < HB_NESTED_KINDS; k++) {
		fprintf(d, "\n\n");
		titles[blocks++] = nested_titles[k];
		for (int s = 0; s < HB_SIZES; s++) {
			const struct hb_nested_result *n = nested(r, s, k);
			if (n)
				fprintf(d, "%.3f %.2f\n",
					hb_sizes[s].width * hb_sizes[s].height / 1e6, n->fps);
		}
	}
	fclose(d);
	FILE *gp = fopen(script, "w");
	if (!gp)
		return false;
	fprintf(gp,
		"set terminal pngcairo size 1000,640 font 'DejaVu Sans,11'\n"
		"set output '%s/fps-vs-size.png'\n"
		"set title 'Presented frames per second against frame size (XRGB8888)'\n"
		"set xlabel 'frame size (pixels, log scale)'\n"
		"set ylabel 'frames per second (log scale)'\n"
		"set logscale y\nset logscale x\nset grid\nset key outside below\n"
		"set xrange [0.7:11]\nset xtics ('720p' 0.92, '1080p' 2.07, '4K' 8.29)\n"
		"plot ",
		cfg->plots_dir);
	for (int b = 0; b < blocks; b++)
		fprintf(gp, "%s'%s' index %d using 1:2 with linespoints %s title '%s'",
			b ? ", \\\n     " : "", data, b,
			b == 0 ? "lw 3 dt 2 lc rgb 'black'" : "lw 2", titles[b]);
	fprintf(gp, "\n");
	fclose(gp);
	return run_gnuplot(cfg, script);
}

/* Part 5: frames per second of the producer and of its slowest and fastest reader, and CPU per
 * frame of the producer and of all its presenters, case by case. */
static bool plot_multi(const struct hb_config *cfg, const struct hb_results *r)
{
	char script[256], data[256];
	snprintf(script, sizeof(script), "%s/multi-readers.gp", cfg->runtime_dir);
	snprintf(data, sizeof(data), "%s/multi-readers.dat", cfg->runtime_dir);
	FILE *d = fopen(data, "w");
	if (!d)
		return false;
	fprintf(d, "# case producer_fps slowest_reader_fps fastest_reader_fps producer_cpu_us "
		   "presenters_cpu_us\n");
	for (int c = 0; c < HB_MULTI_CASES; c++) {
		const struct hb_multi_result *m = &r->multi[c];
		if (!m->done)
			continue;
		double lo = m->reader_fps[0], hi = m->reader_fps[0], presenters = 0;
		for (int i = 1; i < m->readers; i++) {
			lo = m->reader_fps[i] < lo ? m->reader_fps[i] : lo;
			hi = m->reader_fps[i] > hi ? m->reader_fps[i] : hi;
		}
		for (int i = 0; i < m->presenters; i++)
			presenters += m->presenter_cpu_us[i];
		fprintf(d, "\"%s\" %.1f %.1f %.1f %.1f %.1f\n", hb_multi_cases[c].name,
			m->producer_fps, lo, hi, m->producer_cpu_us, presenters);
	}
	fclose(d);
	FILE *gp = fopen(script, "w");
	if (!gp)
		return false;
	fprintf(gp,
		"set terminal pngcairo size 1100,480 font 'DejaVu Sans,11'\n"
		"set output '%s/multi-readers.png'\n"
		"set multiplot layout 1,2 title 'One producer, several readers (1080p, "
		"--refresh 0, mailbox, pixman)'\n"
		"set style data histograms\nset style fill solid 0.8 border -1\n"
		"set boxwidth 0.9\nset grid ytics\nset yrange [0:*]\nset key top right\n"
		"set xtics rotate by -20\n"
		"set title 'frames per second'\nset style histogram clustered gap 1\n"
		"plot '%s' using 2:xtic(1) title 'producer', '' using 3 title 'slowest reader', "
		"'' using 4 title 'fastest reader'\n"
		"set title 'CPU per frame the producer submitted (us)'\n"
		"set style histogram rowstacked\nset key top left\n"
		"plot '%s' using 5:xtic(1) title 'producer', '' using 6 title 'all presenters'\n"
		"unset multiplot\n",
		cfg->plots_dir, data, data);
	fclose(gp);
	return run_gnuplot(cfg, script);
}

static bool any_multi(const struct hb_results *r)
{
	for (int c = 0; c < HB_MULTI_CASES; c++)
		if (r->multi[c].done)
			return true;
	return false;
}

static bool any_fps(const struct hb_results *r)
{
	for (int s = 0; s < HB_SIZES; s++) {
		if (r->copy[s].done)
			return true;
		for (int v = 0; v < 2; v++)
			for (int m = 0; m < 2; m++)
				if (r->headless[s][v][m].done)
					return true;
	}
	return false;
}

bool hb_report_plots(const struct hb_config *cfg, const struct hb_results *r)
{
	if (!cfg->gnuplot) {
		fprintf(stderr, "handoff-bench: gnuplot is not installed (Debian: gnuplot-nox); "
				"no plots\n");
		return false;
	}
	if (mkdir(cfg->plots_dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "handoff-bench: cannot create %s: %s\n", cfg->plots_dir,
			strerror(errno));
		return false;
	}
	int s = nested(r, HEADLINE, HB_FLOOR) ? HEADLINE : 0;
	for (int i = 0; i < HB_SIZES && !nested(r, s, HB_FLOOR); i++)
		s = i;
	bool ok = plot_cdf(cfg, r, s);
	if (any_fps(r))
		ok = plot_fps(cfg, r) && ok;
	if (any_multi(r))
		ok = plot_multi(cfg, r) && ok;
	if (ok)
		hb_progress("plots in %s:%s%s%s", cfg->plots_dir,
			    nested(r, s, HB_FLOOR) ? " nested-latency-cdf.png" : "",
			    any_fps(r) ? " fps-vs-size.png" : "",
			    any_multi(r) ? " multi-readers.png" : "");
	return ok;
}
