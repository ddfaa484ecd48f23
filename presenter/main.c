/* handoff-presenter: set up, run the loop, run the command, write the snapshot and stats. */
#include "server.h"

#include "log.h"
#include "time_util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wayland-client-core.h>

struct presenter {
	struct hf_server server;
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
		(unsigned long long)s->commits_presented, (unsigned long long)s->commits_discarded);
	if (p->server.opts->check)
		fprintf(stderr, ", torn %llu, stale %llu", (unsigned long long)s->torn,
			(unsigned long long)s->stale);
	fputc('\n', stderr);
	p->progress_frames = s->output_frames;
	wl_event_source_timer_update(p->progress, 1000);
	return 0;
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

static pid_t spawn_command(char **command, const char *socket)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setenv("WAYLAND_DISPLAY", socket, 1);
	execvp(command[0], command);
	fprintf(stderr, "handoff-presenter: cannot run %s: %s\n", command[0], strerror(errno));
	_exit(127);
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

static struct hf_output *create_output(struct hf_server *server, const struct hf_options *opts)
{
	enum hf_output_kind kind = opts->output;
	if (kind == HF_OUTPUT_AUTO)
		kind = parent_reachable() ? HF_OUTPUT_WAYLAND : HF_OUTPUT_HEADLESS;
	if (kind == HF_OUTPUT_WAYLAND) {
		return hf_output_wayland_create(server, opts->width ? opts->width : 1280,
						opts->height ? opts->height : 720,
						opts->fullscreen);
	}
	return hf_output_headless_create(server, opts->width ? opts->width : 1920,
					 opts->height ? opts->height : 1080, opts->refresh_hz);
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
	wl_list_init(&server->surfaces);
	wl_list_init(&server->toplevels);
	server->display = wl_display_create();
	if (!server->display) {
		hf_error("cannot create the Wayland display");
		return 1;
	}
	server->loop = wl_display_get_event_loop(server->display);
	if (opts.renderer == HF_RENDERER_VULKAN) {
		hf_error("the Vulkan renderer is not available in this build; use --renderer "
			 "pixman");
		goto out;
	}
	server->renderer = hf_renderer_pixman_create();
	if (!server->renderer || !hf_server_init_globals(server)) {
		hf_error("cannot set up the compositor");
		goto out;
	}
	server->socket = add_socket(server->display, opts.socket);
	if (!server->socket) {
		hf_log_errno(HF_LOG_ERROR, "cannot listen on %s",
			     opts.socket ? opts.socket : "any handoff-N socket");
		goto out;
	}
	server->output = create_output(server, &opts);
	if (!server->output)
		goto out;
	p.signal_sources[0] = wl_event_loop_add_signal(server->loop, SIGCHLD, handle_sigchld, &p);
	p.signal_sources[1] = wl_event_loop_add_signal(server->loop, SIGINT, handle_terminate, &p);
	p.signal_sources[2] = wl_event_loop_add_signal(server->loop, SIGTERM, handle_terminate, &p);
	p.signal_sources[3] = wl_event_loop_add_signal(server->loop, SIGUSR1, handle_usr1, &p);
	if (isatty(STDERR_FILENO) || opts.verbose) {
		p.progress = wl_event_loop_add_timer(server->loop, handle_progress, &p);
		if (p.progress)
			wl_event_source_timer_update(p.progress, 1000);
	}
	printf("handoff-presenter: WAYLAND_DISPLAY=%s output=%s renderer=%s size=%dx%d\n",
	       server->socket, server->output->impl->name, server->renderer->impl->name,
	       server->output->width, server->output->height);
	fflush(stdout);
	if (opts.command) {
		p.child = spawn_command(opts.command, server->socket);
		if (p.child < 0) {
			hf_log_errno(HF_LOG_ERROR, "cannot start %s", opts.command[0]);
			goto out;
		}
	}
	server->exit_code = 0;
	server->layout_dirty = true;
	hf_server_schedule_frame(server);
	wl_display_run(server->display);
	write_results(server, &opts);
out:
	for (int i = 0; i < 4; i++)
		if (p.signal_sources[i])
			wl_event_source_remove(p.signal_sources[i]);
	if (p.progress)
		wl_event_source_remove(p.progress);
	/* Clients see their connection close before anything else happens to them. */
	hf_server_finish(server);
	reap_command(&p);
	return server->exit_code;
}
