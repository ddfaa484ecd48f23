/* The outputs' repaints, and what the core tells all of them (server.h). */
#include "server.h"

#include "surface.h"

#include <stdlib.h>

static void server_handle_frame_needed(struct wl_listener *listener, void *data)
{
	struct hf_server *server = wl_container_of(listener, server, frame_needed);
	struct hf_repaint *rp;
	wl_list_for_each(rp, &server->repaints, link)
		if (hf_repaint_has_news(rp))
			hf_repaint_schedule(rp);
}

static void server_handle_windows_changed(struct wl_listener *listener, void *data)
{
	struct hf_server *server = wl_container_of(listener, server, windows_changed);
	bool removed_last = *(bool *)data;
	struct hf_repaint *rp;
	wl_list_for_each(rp, &server->repaints, link)
		hf_repaint_windows_changed(rp, removed_last);
}

static void server_handle_window_hiding(struct wl_listener *listener, void *data)
{
	struct hf_server *server = wl_container_of(listener, server, window_hiding);
	struct hf_window *window = data;
	bool last = wl_list_length(&server->compositor->windows) == 1;
	struct hf_repaint *rp;
	wl_list_for_each(rp, &server->repaints, link)
		hf_repaint_window_hiding(rp, window, last);
}

void hf_server_init(struct hf_server *server)
{
	wl_list_init(&server->repaints);
	server->shared.display = server->display;
	server->shared.rand_state = server->shared.config.seed;
	server->frame_needed.notify = server_handle_frame_needed;
	wl_signal_add(&server->compositor->events.frame_needed, &server->frame_needed);
	server->windows_changed.notify = server_handle_windows_changed;
	wl_signal_add(&server->compositor->events.windows_changed, &server->windows_changed);
	server->window_hiding.notify = server_handle_window_hiding;
	wl_signal_add(&server->compositor->events.window_hiding, &server->window_hiding);
}

void hf_server_finish(struct hf_server *server)
{
	wl_list_remove(&server->frame_needed.link);
	wl_list_remove(&server->windows_changed.link);
	wl_list_remove(&server->window_hiding.link);
	while (!wl_list_empty(&server->repaints)) {
		struct hf_repaint *rp = wl_container_of(server->repaints.prev, rp, link);
		wl_list_remove(&rp->link);
		hf_repaint_finish(rp);
		free(rp);
	}
	server->n_repaints = 0;
}

struct hf_repaint *hf_server_add_output(struct hf_server *server, struct hf_output *output)
{
	if (server->n_repaints >= HF_MAX_OUTPUTS)
		return NULL;
	struct hf_repaint *rp = malloc(sizeof(*rp));
	if (!rp)
		return NULL;
	hf_repaint_init(rp, &server->shared, server->compositor, server->renderer, output,
			server->n_repaints);
	wl_list_insert(server->repaints.prev, &rp->link);
	server->n_repaints++;
	server->shared.n_outputs = server->n_repaints;
	return rp;
}

struct hf_repaint *hf_server_primary(struct hf_server *server)
{
	if (wl_list_empty(&server->repaints))
		return NULL;
	struct hf_repaint *rp = wl_container_of(server->repaints.next, rp, link);
	return rp;
}

void hf_server_schedule_frame(struct hf_server *server)
{
	struct hf_repaint *rp;
	wl_list_for_each(rp, &server->repaints, link)
		hf_repaint_schedule(rp);
}

void hf_server_quit(struct hf_server *server, int code)
{
	hf_repaint_quit(&server->shared, code);
}
