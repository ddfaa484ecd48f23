/*
 * handoff-bench: one run that measures Handoff against the copy limit, a client drawn straight
 * on a parent compositor and weston nested. Each part lives in its own file; this header is
 * what they share.
 */
#ifndef HB_BENCH_H
#define HB_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#define HB_SIZES 3

struct hb_size {
	const char *name; /* 720p, 1080p, 4k */
	int width, height;
};

extern const struct hb_size hb_sizes[HB_SIZES];

/* How much of everything a run does: --smoke, --quick or the full run. */
struct hb_plan {
	const char *name;
	bool sizes[HB_SIZES];        /* headless and copy sizes */
	bool nested_sizes[HB_SIZES]; /* nested sizes */
	double copy_seconds;         /* per size */
	double headless_seconds;     /* per measured run */
	int headless_repeats;        /* runs per case; the median by fps is reported */
	bool vulkan, fifo;
	double nested_seconds; /* measured window per nested case */
	int sync_iterations;
	bool multi; /* one producer into several presenters, and into two outputs */
};

struct hb_config {
	struct hb_plan plan;
	const char *presenter, *producer;  /* absolute paths */
	const char *weston, *weston_debug; /* NULL: not installed; nested parts are skipped */
	const char *gnuplot;               /* NULL: no plots */
	const char *json_path, *plots_dir; /* NULL: not asked for */
	char runtime_dir[64];              /* private XDG_RUNTIME_DIR of this run */
	int buffers;                       /* the producer's images, and the copy's sources */
	bool rates;                        /* the nested producer-rate sweep (--rates) */
	bool rates_only;                   /* only that (--rates-only) */
	bool multi_only;                   /* only part 5 (--multi-only) */
	bool keep;                         /* keep runtime_dir (logs) */
};

/* ---- results ---- */

struct hb_copy_result {
	bool done;
	double us_p50, us_mean, fps; /* fps = 1e6 / us_p50 */
};

struct hb_headless_result {
	bool done;
	const char *error; /* a short reason when the case could not run; NULL otherwise */
	double fps;        /* producer's presented frames per second */
	double lat_p50_us, lat_p99_us, lat_max_us;  /* producer: acquire -> presented */
	double pres_lat_p50_us, pres_lat_p99_us;    /* presenter: ready -> presented */
	double producer_cpu_us, presenter_cpu_us;   /* from --stats */
	double producer_proc_us, presenter_proc_us; /* from /proc, per presented frame */
	double frames_presented, frames_discarded;
};

enum hb_nested_kind { HB_FLOOR, HB_HANDOFF, HB_HANDOFF_COMPOSED, HB_WESTON, HB_NESTED_KINDS };

struct hb_nested_result {
	bool done;
	const char *error;
	double fps; /* producer frames presented by the parent, per second */
	int producer_fps;
	double parent_refresh_ms;
	double lat_p50_ms, lat_p90_ms, lat_p99_ms, lat_max_ms;
	double cpu_parent_us, cpu_middle_us, cpu_producer_us, cpu_sum_us; /* per presented frame */
	size_t frames, unmatched;
	double *lat_ms; /* sorted; for the CDF */
	size_t n_lat;
};

/* The nested rate sweep, at 1080p: the producer at these multiples of the parent's rate (0:
 * free-running), for the floor and Handoff's two chains. */
#define HB_RATES      4
#define HB_RATE_KINDS 3 /* HB_FLOOR, HB_HANDOFF, HB_HANDOFF_COMPOSED */
#define HB_RATES_SIZE 1 /* 1080p */
extern const double hb_rates[HB_RATES];

/* One producer, several readers (multi.c), at 1080p, --refresh 0: into 1, 2 and 4
 * presenters of one output each, and into one presenter of two outputs. */
#define HB_MULTI_CASES       4
#define HB_MULTI_SIZE        1 /* 1080p */
#define HB_MULTI_MAX_READERS 4 /* presenters, or outputs, of one case */

struct hb_multi_case {
	const char *name, *key;  /* in the table; in the JSON keys */
	int presenters, outputs; /* outputs of each presenter */
};
extern const struct hb_multi_case hb_multi_cases[HB_MULTI_CASES];

struct hb_multi_result {
	bool done;
	const char *error;
	int presenters, outputs, readers;              /* readers: presenters x outputs */
	double producer_fps;                           /* frames submitted per second */
	double producer_cpu_us;                        /* /proc, per frame submitted */
	double presenter_cpu_us[HB_MULTI_MAX_READERS]; /* each presenter, per frame submitted */
	double cpu_sum_us;
	/* By reader (presenter p's output o at p * outputs + o): frames shown per second and
	 * the latency from ready to presented. */
	double reader_fps[HB_MULTI_MAX_READERS];
	double lat_p50_us[HB_MULTI_MAX_READERS], lat_p99_us[HB_MULTI_MAX_READERS];
};

struct hb_sync_result {
	bool done;
	double product_p50_us, product_p99_us, pipe_p50_us, pipe_p99_us;
	int iterations;
};

struct hb_results {
	struct hb_copy_result copy[HB_SIZES];
	/* [size][renderer: 0 pixman, 1 vulkan][mode: 0 mailbox, 1 fifo] */
	struct hb_headless_result headless[HB_SIZES][2][2];
	struct hb_nested_result nested[HB_SIZES][HB_NESTED_KINDS];
	struct hb_nested_result rates[HB_RATES][HB_RATE_KINDS];
	struct hb_sync_result sync;
	struct hb_multi_result multi[HB_MULTI_CASES];
	char vulkan_device[128];
	char machine[256];
	char command[512];
	double seconds;
};

extern const char *const hb_nested_names[HB_NESTED_KINDS];

/* ---- the parts ---- */

void hb_copy_run(const struct hb_config *cfg, const struct hb_size *size,
		 struct hb_copy_result *out);
void hb_headless_run(const struct hb_config *cfg, const struct hb_size *size, bool vulkan,
		     bool fifo, struct hb_headless_result *out);
void hb_nested_run(const struct hb_config *cfg, const struct hb_size *size,
		   struct hb_nested_result out[HB_NESTED_KINDS]);
void hb_nested_rates_run(const struct hb_config *cfg, const struct hb_size *size,
			 struct hb_nested_result out[HB_RATES][HB_RATE_KINDS]);
bool hb_sync_run(int iterations, struct hb_sync_result *out);
void hb_multi_run(const struct hb_config *cfg, const struct hb_size *size,
		  struct hb_multi_result out[HB_MULTI_CASES]);

void hb_report_table(FILE *f, const struct hb_config *cfg, const struct hb_results *r);
bool hb_report_json(const char *path, const struct hb_config *cfg, const struct hb_results *r);
bool hb_report_plots(const struct hb_config *cfg, const struct hb_results *r);

/* ---- processes and files (proc.c) ---- */

/* Starts argv[0] (a path) with WAYLAND_DISPLAY set to display (NULL: unset), stdout and
 * stderr into log_path. Returns the pid, or -1 with a message printed. */
pid_t hb_spawn(char *const argv[], const char *display, const char *log_path);
/* Sends sig, waits up to timeout_ms, then SIGKILLs. Returns the wait status, -1 if none. */
int hb_stop(pid_t pid, int sig, int timeout_ms);
/* Waits for pid to exit within timeout_ms: true with *status, false if it still runs. */
bool hb_wait(pid_t pid, int timeout_ms, int *status);
bool hb_alive(pid_t pid);
/* CPU time of a live process, all threads, in ns (from each thread's schedstat where the
 * kernel has it); -1 when it is gone. */
int64_t hb_proc_cpu_ns(pid_t pid);
/* The first child of pid, 0 if none yet. */
pid_t hb_first_child(pid_t pid);
/* Waits up to timeout_ms for a socket NAME in runtime_dir that accepts connections (false
 * at once if owner dies). */
bool hb_wait_socket(const char *runtime_dir, const char *name, pid_t owner, int timeout_ms);
/* The number after "key": in a JSON file; within the object named in (NULL: anywhere). */
bool hb_json_number(const char *path, const char *in, const char *key, double *out);
/* Prints the last lines of a log file to stderr, to explain a failure. */
void hb_show_log(const char *path);
/* Finds name in PATH; NULL if absent. The result is allocated. */
char *hb_find_program(const char *name);
int64_t hb_now(clockid_t clock);
void hb_sleep_ms(int ms);
void hb_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int hb_compare_double(const void *a, const void *b);
/* Nearest-rank percentile of sorted values. */
double hb_percentile(const double *sorted, size_t n, double percent);

#endif
