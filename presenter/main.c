/*
 * handoff-presenter: wires the core, the protocols, the renderer, the output and the repaint
 * together, runs the loop and the command, and writes the snapshot and stats.
 */
#include "commit_timing.h"
#include "data_device.h"
#include "log.h"
#include "output.h"
#include "protocols.h"
#include "repaint.h"
#include "report.h"
#include "seat.h"
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
#include <sys/wait.h>
#include <unistd.h>
#include <wayland-client-core.h>

extern char **environ;

struct presenter {
	struct hf_server server;
	const char *socket;
	struct hf_sync *sync;
	struct hf_wl_output *wl_output;
	struct hf_seat *seat;
	struct hf_data_device_manager *data_device_manager;
	struct hf_commit_timing *commit_timing; /* NULL: not built */
	struct wl_listener output_closed;
	struct wl_listener output_snapshot;
	pid_t child; /* 0: none running */
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

static int handle_progress(void *data)
{
	struct presenter *p = data;
	struct hf_presenter_stats *s = &p->server.stats;
	fprintf(stderr, "handoff-presenter: %llu fps, presented %llu, discarded %llu",
		(unsigned long long)(s->output_frames - p->progress_frames),
		(unsigned long long)s->commits_presented,
		(unsigned long long)p->server.compositor->commits_discarded);
	if (p->server.opts->check)
		fprintf(stderr, ", torn %llu, stale %llu", (unsigned long long)s->check.torn,
			(unsigned long long)s->check.stale);
	fputc('\n', stderr);
	p->progress_frames = s->output_frames;
	wl_event_source_timer_update(p->progress, 1000);
	return 0;
}

static void presenter_handle_output_closed(struct wl_listener *listener, void *data)
{
	struct presenter *p = wl_container_of(listener, p, output_closed);
	struct hf_output_closed_event *event = data;
	hf_server_quit(&p->server, event->exit_code);
}

static void presenter_handle_output_snapshot(struct wl_listener *listener, void *data)
{
	struct presenter *p = wl_container_of(listener, p, output_snapshot);
	const char *path = p->server.opts->snapshot_path ? p->server.opts->snapshot_path
							 : "handoff-snapshot.png";
	if (hf_server_write_snapshot(&p->server, path))
		printf("handoff-presenter: wrote %s\n", path);
	fflush(stdout);
}

/* SIGUSR1 does what the f key does, for scripts and tests. */
static int handle_usr1(int signal, void *data)
{
	struct presenter *p = data;
	struct hf_output *o = p->server.output;
	if (o->impl->toggle_fullscreen)
		o->impl->toggle_fullscreen(o);
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

/* The child's pid, or -1 with errno set. */
static pid_t spawn_command(char **command, const char *socket)
{
	char **env = command_environment(socket);
	if (!env) {
		errno = ENOMEM;
		return -1;
	}
	posix_spawnattr_t attr;
	sigset_t none;
	sigemptyset(&none);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	pid_t pid;
	int r = posix_spawnp(&pid, command[0], NULL, &attr, command, env);
	posix_spawnattr_destroy(&attr);
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

static struct hf_output *create_output(struct wl_event_loop *loop, const struct hf_options *opts)
{
	enum hf_output_kind kind = opts->output;
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
			 (opts->vk_device_wait ? HF_RENDERER_VULKAN_DEVICE_WAIT : 0);
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

static void write_results(struct hf_server *server, const struct hf_options *opts)
{
	if (opts->snapshot_path && !hf_server_write_snapshot(server, opts->snapshot_path))
		server->exit_code = server->exit_code ? server->exit_code : 1;
	if (opts->stats_path && !hf_presenter_stats_write(server, opts->stats_path))
		server->exit_code = server->exit_code ? server->exit_code : 1;
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

	static struct presenter p;
	struct hf_server *server = &p.server;
	server->opts = &opts;
	server->rand_state = opts.seed;
	server->exit_code = 1;
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
	server->output = create_output(server->loop, &opts);
	if (!server->output)
		goto out;
	hf_repaint_init(server);
	p.output_closed.notify = presenter_handle_output_closed;
	wl_signal_add(&server->output->events.closed, &p.output_closed);
	p.output_snapshot.notify = presenter_handle_output_snapshot;
	wl_signal_add(&server->output->events.snapshot, &p.output_snapshot);
	/* The globals of the output's own, above it. */
	p.wl_output = hf_wl_output_create(server->compositor, server->output, 1);
	if (!hf_xdg_output_manager_init(server->display))
		goto err_setup;
	p.seat = hf_seat_create(server->compositor, server->output);
	p.data_device_manager =
		p.seat ? hf_data_device_manager_create(server->compositor, p.seat) : NULL;
	if (!p.wl_output || !p.seat || !p.data_device_manager)
		goto err_setup;
#ifdef HF_HAVE_COMMIT_TIMING
	p.commit_timing = hf_commit_timing_create(server->compositor, server->output);
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
	printf("handoff-presenter: WAYLAND_DISPLAY=%s output=%s renderer=%s size=%dx%d\n", p.socket,
	       server->output->impl->name, server->renderer->impl->name, server->output->width,
	       server->output->height);
	fflush(stdout);
	if (opts.command) {
		p.child = spawn_command(opts.command, p.socket);
		if (p.child < 0) {
			p.child = 0;
			hf_log_errno(HF_LOG_ERROR, "cannot start %s", opts.command[0]);
			goto out;
		}
	}
	server->exit_code = 0;
	hf_server_schedule_frame(server);
	wl_display_run(server->display);
	write_results(server, &opts);
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
	hf_wl_output_destroy(p.wl_output);
	if (server->output) {
		wl_list_remove(&p.output_closed.link);
		wl_list_remove(&p.output_snapshot.link);
		hf_repaint_finish(server);
	}
	/* The core before the output: buffers hold the output's images. */
	hf_compositor_destroy(server->compositor);
	if (server->output)
		server->output->impl->destroy(server->output);
	/* Sync and the renderer have event sources: they go before the loop. */
	hf_sync_destroy(p.sync);
	if (server->renderer)
		server->renderer->impl->destroy(server->renderer);
	wl_display_destroy(server->display);
	hf_samples_finish(&server->stats.latency_ns);
	hf_samples_finish(&server->stats.wait_ns);
	hf_samples_finish(&server->stats.repaint_ns);
	reap_command(&p);
	return server->exit_code;
}
