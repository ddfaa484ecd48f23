/*
 * handoff-presenter: wires the core, the protocols, the renderer, the output and the repaint
 * together, runs the loop and the command, and writes the snapshot and stats.
 */
#include "commit_timing.h"
#include "data_device.h"
#include "layout.h"
#include "log.h"
#include "options.h"
#include "output.h"
#include "protocols.h"
#include "report.h"
#include "seat.h"
#include "server.h"
#include "surface.h"
#include "sync.h"
#include "time_util.h"
#include "wl_output.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wayland-client-core.h>

extern char **environ;

struct presenter;

/* One output, as given on the command line, and its repaint. */
struct presenter_output {
	struct presenter *p;
	int index;
	const struct hf_output_options *opts;
	struct hf_output *output;
	struct hf_repaint *repaint; /* NULL until set up */
	struct hf_wl_output *wl_output;
	struct wl_listener closed;
	struct wl_listener snapshot;
	struct wl_listener resize;
};

struct presenter {
	struct hf_server server;
	const char *socket;
	struct hf_sync *sync;
	struct presenter_output outputs[HF_OPTIONS_MAX_OUTPUTS];
	int n_outputs;
	struct hf_seat *seat;
	struct hf_data_device_manager *data_device_manager;
	struct hf_commit_timing *commit_timing; /* NULL: not built */
	pid_t child;                            /* 0: none running */
	int signals;
	struct wl_event_source *signal_sources[4];
	struct wl_event_source *progress; /* NULL unless on a terminal or verbose */
	uint64_t progress_frames;
};

static int handle_sigchld(int signal, void *data)
{
	struct presenter *p = data;
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid != p->child)
			continue;
		p->child = 0;
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		hf_info("command exited with status %d", code);
		hf_server_quit(&p->server, code);
	}
	return 0;
}

static int handle_terminate(int signal, void *data)
{
	struct presenter *p = data;
	/* The first signal goes to the command, whose exit ends us; a second one ends us now. */
	if (p->child && p->signals++ == 0) {
		kill(p->child, signal);
		return 0;
	}
	hf_server_quit(&p->server, p->child ? 128 + signal : 0);
	return 0;
}

/* Once a second: the primary output's figures, and the checker's of every output. */
static int handle_progress(void *data)
{
	struct presenter *p = data;
	struct hf_repaint *primary = hf_server_primary(&p->server);
	struct hf_presenter_stats *s = &primary->stats;
	fprintf(stderr, "handoff-presenter: %llu fps, presented %llu, discarded %llu",
		(unsigned long long)(s->output_frames - p->progress_frames),
		(unsigned long long)s->commits_presented,
		(unsigned long long)p->server.compositor->commits_discarded);
	struct hf_repaint *rp;
	wl_list_for_each(rp, &p->server.repaints, link) {
		const struct hf_check_counts *check = &rp->checker.counts;
		if (rp->checker.kind)
			fprintf(stderr, ", torn %llu, stale %llu", (unsigned long long)check->torn,
				(unsigned long long)check->stale);
	}
	fputc('\n', stderr);
	p->progress_frames = s->output_frames;
	wl_event_source_timer_update(p->progress, 1000);
	return 0;
}

static void presenter_handle_output_closed(struct wl_listener *listener, void *data)
{
	struct presenter_output *po = wl_container_of(listener, po, closed);
	struct hf_output_closed_event *event = data;
	hf_server_quit(&po->p->server, event->exit_code);
}

static void presenter_handle_output_snapshot(struct wl_listener *listener, void *data)
{
	struct presenter_output *po = wl_container_of(listener, po, snapshot);
	const char *path =
		po->opts->snapshot_path ? po->opts->snapshot_path : "handoff-snapshot.png";
	if (hf_repaint_write_snapshot(po->repaint, path))
		printf("handoff-presenter: wrote %s\n", path);
	fflush(stdout);
}

/* SIGUSR1 does what the f key does, for scripts and tests: on every nested output. */
static int handle_usr1(int signal, void *data)
{
	struct presenter *p = data;
	for (int i = 0; i < p->n_outputs; i++) {
		struct hf_output *o = p->outputs[i].output;
		if (o->impl->toggle_fullscreen)
			o->impl->toggle_fullscreen(o);
	}
	return 0;
}

/* A command still running when we stop has lost its compositor: give it a moment to notice
 * and exit on its own, then stop it. */
static void reap_command(struct presenter *p)
{
	if (p->child <= 0)
		return;
	for (int i = 0; i < 200; i++) {
		if (waitpid(p->child, NULL, WNOHANG) == p->child)
			return;
		hf_sleep_ns(10 * 1000000);
	}
	kill(p->child, SIGTERM);
	waitpid(p->child, NULL, 0);
}

/* The environment with WAYLAND_DISPLAY set to socket, made before spawning: the process has
 * threads, so nothing but exec may run between fork and exec. */
static char **command_environment(const char *socket)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = calloc(n + 2, sizeof(*env));
	size_t len = strlen("WAYLAND_DISPLAY=") + strlen(socket) + 1;
	char *display = malloc(len);
	if (!env || !display) {
		free(env);
		free(display);
		return NULL;
	}
	snprintf(display, len, "WAYLAND_DISPLAY=%s", socket);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "WAYLAND_DISPLAY=", 16) != 0)
			env[k++] = environ[i];
	env[k++] = display;
	env[k] = NULL;
	return env;
}

static rlim_t initial_nofile;

/* Each client costs an fd (its socket): the soft limit, often 1024, goes up to the hard one
 * at start, as long-running servers do; the clients limit bounds them. */
static void raise_nofile(void)
{
	struct rlimit l;
	if (getrlimit(RLIMIT_NOFILE, &l) != 0)
		return;
	initial_nofile = l.rlim_cur;
	if (l.rlim_cur < l.rlim_max) {
		l.rlim_cur = l.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &l) != 0)
			hf_log_errno(HF_LOG_INFO, "cannot raise the soft fd limit");
	}
}

/* The child's pid, or -1 with errno set. */
static pid_t spawn_command(char **command, const char *socket)
{
	char **env = command_environment(socket);
	if (!env) {
		errno = ENOMEM;
		return -1;
	}
	/* The command gets the soft fd limit the presenter was given (raised at start): a
	 * program that uses select() needs fds below 1024. */
	struct rlimit raised;
	bool lowered =
		getrlimit(RLIMIT_NOFILE, &raised) == 0 && raised.rlim_cur != initial_nofile &&
		setrlimit(RLIMIT_NOFILE, &(struct rlimit){initial_nofile, raised.rlim_max}) == 0;
	posix_spawnattr_t attr;
	sigset_t none;
	sigemptyset(&none);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	pid_t pid;
	int r = posix_spawnp(&pid, command[0], NULL, &attr, command, env);
	posix_spawnattr_destroy(&attr);
	if (lowered)
		setrlimit(RLIMIT_NOFILE, &raised);
	size_t last = 0;
	while (env[last + 1])
		last++;
	free(env[last]); /* ours: WAYLAND_DISPLAY=...; the rest is environ's */
	free(env);
	if (r != 0) {
		errno = r;
		return -1;
	}
	return pid;
}

static const char *add_socket(struct wl_display *display, const char *name)
{
	static char auto_name[32];
	if (name)
		return wl_display_add_socket(display, name) == 0 ? name : NULL;
	for (int i = 0; i < 64; i++) {
		snprintf(auto_name, sizeof(auto_name), "handoff-%d", i);
		if (wl_display_add_socket(display, auto_name) == 0)
			return auto_name;
	}
	return NULL;
}

static bool parent_reachable(void)
{
	const char *name = getenv("WAYLAND_DISPLAY");
	if (!name || !name[0])
		return false;
	struct wl_display *d = wl_display_connect(NULL);
	if (!d)
		return false;
	wl_display_disconnect(d);
	return true;
}

static struct hf_output *create_output(struct wl_event_loop *loop,
				       const struct hf_output_options *opts)
{
	enum hf_output_kind kind = opts->kind;
	if (kind == HF_OUTPUT_AUTO)
		kind = parent_reachable() ? HF_OUTPUT_WAYLAND : HF_OUTPUT_HEADLESS;
	if (kind == HF_OUTPUT_WAYLAND) {
		return hf_output_wayland_create(loop, opts->width ? opts->width : 1280,
						opts->height ? opts->height : 720,
						opts->fullscreen);
	}
	return hf_output_headless_create(loop, opts->width ? opts->width : 1920,
					 opts->height ? opts->height : 1080, opts->refresh_hz);
}

/* auto: Vulkan on a GPU, else pixman; vulkan: any Vulkan device, lavapipe included. */
static struct hf_renderer *create_renderer(struct wl_event_loop *loop,
					   const struct hf_options *opts)
{
	enum hf_renderer_kind kind = opts->renderer;
	if (kind == HF_RENDERER_PIXMAN)
		return hf_renderer_pixman_create();
	char why[256];
	static const unsigned waits[] = {0, HF_RENDERER_VULKAN_WAIT_SLEEP,
					 HF_RENDERER_VULKAN_WAIT_POLL};
	unsigned flags = (kind == HF_RENDERER_VULKAN ? HF_RENDERER_VULKAN_ALLOW_CPU : 0) |
			 (opts->vk_blit ? HF_RENDERER_VULKAN_BLIT : 0) | waits[opts->vk_wait] |
			 (opts->vk_device_wait ? HF_RENDERER_VULKAN_DEVICE_WAIT : 0) |
			 (opts->vk_copy_client ? HF_RENDERER_VULKAN_COPY_CLIENT : 0);
	struct hf_renderer *r = hf_renderer_vulkan_create(loop, flags, why, sizeof(why));
	if (r)
		return r;
	if (kind == HF_RENDERER_VULKAN) {
		hf_error("cannot use the Vulkan renderer: %s", why);
		return NULL;
	}
	hf_info("no Vulkan GPU (%s): using the pixman renderer", why);
	return hf_renderer_pixman_create();
}

static void write_results(struct presenter *p)
{
	int *code = &p->server.shared.exit_code;
	for (int i = 0; i < p->n_outputs; i++) {
		struct presenter_output *po = &p->outputs[i];
		const struct hf_output_options *opts = po->opts;
		if (opts->snapshot_path &&
		    !hf_repaint_write_snapshot(po->repaint, opts->snapshot_path))
			*code = *code ? *code : 1;
		if (opts->stats_path && !hf_presenter_stats_write(po->repaint, i, opts->stats_path))
			*code = *code ? *code : 1;
	}
}

/* Popups stay inside the primary output, as the window is laid out on it. */
static bool popup_bounds(void *data, const struct hf_window *window, int32_t root_width,
			 int32_t root_height, struct hf_box *bounds)
{
	struct hf_output *o = data;
	return hf_layout_output_in_window(window->surface->compositor, o->width, o->height, window,
					  root_width, root_height, bounds);
}

/* The primary output's size is what popup_bounds reads: reactive popups are placed anew. */
static void presenter_handle_output_resize(struct wl_listener *listener, void *data)
{
	struct presenter_output *po = wl_container_of(listener, po, resize);
	if (po->index == 0)
		wl_signal_emit(&po->p->server.compositor->events.popup_bounds_changed, NULL);
}

/* Each output given, with its repaint; false when one cannot be made. */
static bool setup_outputs(struct presenter *p, const struct hf_options *opts)
{
	struct hf_server *server = &p->server;
	for (int i = 0; i < opts->n_outputs; i++) {
		struct presenter_output *po = &p->outputs[i];
		*po = (struct presenter_output){.p = p, .index = i, .opts = &opts->outputs[i]};
		po->output = create_output(server->loop, po->opts);
		if (!po->output)
			return false;
		p->n_outputs++;
		po->repaint = hf_server_add_output(server, po->output);
		if (!po->repaint)
			return false;
		po->closed.notify = presenter_handle_output_closed;
		wl_signal_add(&po->output->events.closed, &po->closed);
		po->snapshot.notify = presenter_handle_output_snapshot;
		wl_signal_add(&po->output->events.snapshot, &po->snapshot);
		po->resize.notify = presenter_handle_output_resize;
		wl_signal_add(&po->output->events.resize, &po->resize);
	}
	return true;
}

int main(int argc, char **argv)
{
	struct hf_options opts;
	int r = hf_options_parse(&opts, argc, argv);
	if (r)
		return r < 0 ? 0 : r;
	hf_log_init(opts.verbose >= 2 ? HF_LOG_DEBUG
		    : opts.verbose    ? HF_LOG_INFO
				      : HF_LOG_ERROR,
		    "handoff-presenter");
	/* Before any thread exists, so that only the event loop's signalfd sees these. */
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	raise_nofile();

	static struct presenter p;
	struct hf_server *server = &p.server;
	server->shared.config = (struct hf_repaint_config){
		.check = opts.check,
		.check_every = opts.check_every,
		.torn_snapshot_path = opts.torn_snapshot_path,
		.direct = {.enabled = opts.direct, .early_release = opts.direct_early_release},
		.ignore_reads_output = opts.ignore_reads_output,
		.blit_delay_us = opts.blit_delay_us,
		.exit_after_frames = opts.exit_after_frames,
		.seed = opts.seed,
	};
	server->shared.exit_code = 1;
	server->display = wl_display_create();
	if (!server->display) {
		hf_error("cannot create the Wayland display");
		return 1;
	}
	server->loop = wl_display_get_event_loop(server->display);
	/* Bottom up: renderer and sync, the core, the protocols, the output, the repaint. */
	server->renderer = create_renderer(server->loop, &opts);
	if (!server->renderer)
		goto out;
	p.sync = hf_sync_create(server->loop, server->renderer);
	if (!server->renderer || !p.sync)
		goto err_setup;
	server->compositor = hf_compositor_create(server->display, p.sync, server->renderer);
	if (!server->compositor || !hf_protocols_init(server->compositor) ||
	    !hf_compositor_set_acquire_timeout(server->compositor,
					       (int64_t)opts.acquire_timeout_s * HF_NSEC_PER_SEC))
		goto err_setup;
	p.socket = add_socket(server->display, opts.socket);
	if (!p.socket) {
		hf_log_errno(HF_LOG_ERROR, "cannot listen on %s",
			     opts.socket ? opts.socket : "any handoff-N socket");
		goto out;
	}
	hf_server_init(server);
	if (!setup_outputs(&p, &opts))
		goto out;
	/* The globals above the outputs: a wl_output each; one seat, fed by every output's
	 * input (each window in a parent); commit timing follows the primary output, as frame
	 * callbacks do. */
	for (int i = 0; i < p.n_outputs; i++) {
		p.outputs[i].wl_output =
			hf_wl_output_create(server->compositor, p.outputs[i].output, i + 1);
		if (!p.outputs[i].wl_output)
			goto err_setup;
	}
	if (!hf_xdg_output_manager_init(server->display))
		goto err_setup;
	server->compositor->popup_bounds = popup_bounds;
	server->compositor->popup_bounds_data = p.outputs[0].output;
	struct hf_output *outputs[HF_OPTIONS_MAX_OUTPUTS];
	for (int i = 0; i < p.n_outputs; i++)
		outputs[i] = p.outputs[i].output;
	p.seat = hf_seat_create(server->compositor, outputs, p.n_outputs);
	p.data_device_manager =
		p.seat ? hf_data_device_manager_create(server->compositor, p.seat) : NULL;
	if (!p.seat || !p.data_device_manager)
		goto err_setup;
#ifdef HF_HAVE_COMMIT_TIMING
	p.commit_timing = hf_commit_timing_create(server->compositor, p.outputs[0].output);
	if (!p.commit_timing)
		goto err_setup;
#endif
	p.signal_sources[0] = wl_event_loop_add_signal(server->loop, SIGCHLD, handle_sigchld, &p);
	p.signal_sources[1] = wl_event_loop_add_signal(server->loop, SIGINT, handle_terminate, &p);
	p.signal_sources[2] = wl_event_loop_add_signal(server->loop, SIGTERM, handle_terminate, &p);
	p.signal_sources[3] = wl_event_loop_add_signal(server->loop, SIGUSR1, handle_usr1, &p);
	if (isatty(STDERR_FILENO) || opts.verbose) {
		p.progress = wl_event_loop_add_timer(server->loop, handle_progress, &p);
		if (p.progress)
			wl_event_source_timer_update(p.progress, 1000);
	}
	/* The first output's line is what scripts have always read; the others follow it. */
	for (int i = 0; i < p.n_outputs; i++) {
		struct hf_output *o = p.outputs[i].output;
		if (i == 0)
			printf("handoff-presenter: WAYLAND_DISPLAY=%s output=%s renderer=%s "
			       "size=%dx%d\n",
			       p.socket, o->impl->name, server->renderer->impl->name, o->width,
			       o->height);
		else
			printf("handoff-presenter: output %d: %s size=%dx%d\n", i, o->impl->name,
			       o->width, o->height);
	}
	fflush(stdout);
	if (opts.command) {
		p.child = spawn_command(opts.command, p.socket);
		if (p.child < 0) {
			p.child = 0;
			hf_log_errno(HF_LOG_ERROR, "cannot start %s", opts.command[0]);
			goto out;
		}
	}
	server->shared.exit_code = 0;
	hf_server_schedule_frame(server);
	wl_display_run(server->display);
	write_results(&p);
	goto out;
err_setup:
	hf_error("cannot set up the compositor");
out:
	for (int i = 0; i < 4; i++)
		if (p.signal_sources[i])
			wl_event_source_remove(p.signal_sources[i]);
	if (p.progress)
		wl_event_source_remove(p.progress);
	/* Clients see their connection close before anything else happens to them; teardown
	 * runs in the reverse order of setup. */
	if (server->display)
		wl_display_destroy_clients(server->display);
#ifdef HF_HAVE_COMMIT_TIMING
	hf_commit_timing_destroy(p.commit_timing);
#endif
	hf_data_device_manager_destroy(p.data_device_manager);
	hf_seat_destroy(p.seat);
	for (int i = 0; i < p.n_outputs; i++) {
		hf_wl_output_destroy(p.outputs[i].wl_output);
		if (!p.outputs[i].repaint)
			continue;
		wl_list_remove(&p.outputs[i].closed.link);
		wl_list_remove(&p.outputs[i].snapshot.link);
		wl_list_remove(&p.outputs[i].resize.link);
	}
	if (server->repaints.next) /* set up */
		hf_server_finish(server);
	for (int i = p.n_outputs - 1; i >= 0; i--)
		p.outputs[i].output->impl->destroy(p.outputs[i].output);
	hf_compositor_destroy(server->compositor);
	/* Sync and the renderer have event sources: they go before the loop. */
	hf_sync_destroy(p.sync);
	if (server->renderer)
		server->renderer->impl->destroy(server->renderer);
	wl_display_destroy(server->display);
	reap_command(&p);
	return server->shared.exit_code;
}
