/* The repaint cycle: latch what is ready, compose, present, answer the clients. */
#include "server.h"

#include "format.h"
#include "log.h"
#include "time_util.h"
#include "waiter.h"

#include <stdlib.h>
#include <wayland-server-protocol.h>

#define BACKGROUND 0x202428u

void hf_server_schedule_frame(struct hf_server *server)
{
	if (server->frame_scheduled)
		return;
	server->frame_scheduled = true;
	server->output->impl->schedule_frame(server->output);
}

int hf_server_rand(struct hf_server *server, int max)
{
	if (max <= 0)
		return 0;
	server->rand_state = server->rand_state * 1103515245u + 12345u;
	return (int)((server->rand_state >> 8) % (unsigned)(max + 1));
}

static struct hf_box box_union(struct hf_box a, struct hf_box b)
{
	if (a.width <= 0 || a.height <= 0)
		return b;
	if (b.width <= 0 || b.height <= 0)
		return a;
	int32_t x0 = a.x < b.x ? a.x : b.x, y0 = a.y < b.y ? a.y : b.y;
	int32_t x1 = a.x + a.width > b.x + b.width ? a.x + a.width : b.x + b.width;
	int32_t y1 = a.y + a.height > b.y + b.height ? a.y + a.height : b.y + b.height;
	return (struct hf_box){x0, y0, x1 - x0, y1 - y0};
}

static void frame_destroy(struct hf_frame *frame)
{
	hf_feedback_list_discard(&frame->feedbacks);
	hf_callback_list_done(&frame->frame_callbacks, hf_now_ns());
	free(frame);
}

static void compose(struct hf_server *server, const struct hf_pixels *target)
{
	struct hf_renderer *r = server->renderer;
	struct hf_box all = {0, 0, target->width, target->height};
	if (!r->impl->begin(r, target)) {
		hf_error("the %s renderer cannot draw into the output", r->impl->name);
		return;
	}
	r->impl->clear(r, &all, BACKGROUND);
	struct hf_toplevel *toplevel;
	wl_list_for_each(toplevel, &server->toplevels, link) {
		struct hf_box box;
		if (hf_layout_box(server, toplevel, &box) && toplevel->surface->texture)
			r->impl->draw(r, toplevel->surface->texture, &box);
	}
	r->impl->end(r);
}

void hf_server_output_frame(struct hf_server *server)
{
	server->frame_scheduled = false;
	struct hf_pixels target;
	if (!server->output->impl->begin(server->output, &target))
		return; /* the output asks again once a target is free */
	struct hf_frame *frame = calloc(1, sizeof(*frame));
	if (!frame) {
		hf_error("out of memory in a repaint");
		return;
	}
	frame->cpu_start_ns = hf_cpu_ns();
	wl_list_init(&frame->feedbacks);
	wl_list_init(&frame->frame_callbacks);
	bool changed = false;
	struct hf_surface *surface, *tmp;
	wl_list_for_each_safe(surface, tmp, &server->surfaces, link) {
		if (server->opts->check)
			surface->check_ready_point = hf_check_ready_point(surface);
		struct hf_box before = {0}, after = {0};
		bool shown = surface->toplevel && surface->toplevel->linked &&
			     hf_layout_box(server, surface->toplevel, &before);
		if (!hf_surface_latch(surface, frame))
			continue;
		changed = true;
		if (shown && surface->toplevel && surface->toplevel->linked &&
		    hf_layout_box(server, surface->toplevel, &after))
			frame->damage = box_union(box_union(frame->damage, before), after);
	}
	/* Windows came, went or changed size: everything moves. */
	if (server->layout_dirty) {
		frame->damage = (struct hf_box){0, 0, target.width, target.height};
		changed = true;
		server->layout_dirty = false;
	}
	if (!changed && wl_list_empty(&frame->feedbacks) &&
	    wl_list_empty(&frame->frame_callbacks)) {
		frame_destroy(frame);
		return;
	}
	compose(server, &target);
	if (server->opts->check)
		hf_check_frame(server, &target);
	frame->number = ++server->frame_number;
	server->stats.cpu_ns += hf_cpu_ns() - frame->cpu_start_ns;
	server->output->impl->submit(server->output, frame);
}

void hf_server_frame_discarded(struct hf_server *server, struct hf_frame *frame)
{
	server->stats.output_frames_discarded++;
	frame_destroy(frame);
}

bool hf_server_write_snapshot(struct hf_server *server, const char *path)
{
	struct hf_pixels now;
	const struct hf_pixels *shot = server->last_window_shot;
	if (!wl_list_empty(&server->toplevels) || !shot) {
		if (!server->output->impl->read_last(server->output, &now))
			return false;
		shot = &now;
	}
	return hf_snapshot_write_png(shot, path);
}

void hf_server_frame_presented(struct hf_server *server, struct hf_frame *frame, int64_t time_ns,
			       int64_t refresh_ns, uint64_t seq)
{
	struct hf_presenter_stats *stats = &server->stats;
	for (int i = 0; i < frame->n_ready; i++)
		hf_samples_add(&stats->latency_ns, time_ns - frame->ready_ns[i]);
	hf_feedback_list_present(&frame->feedbacks, time_ns, refresh_ns, seq);
	hf_callback_list_done(&frame->frame_callbacks, time_ns);
	stats->output_frames++;
	frame_destroy(frame);

	uint64_t limit = server->opts->exit_after_frames;
	if (limit && stats->output_frames >= limit) {
		hf_info("presented %llu frames, exiting", (unsigned long long)limit);
		hf_server_quit(server, 0);
		return;
	}
	/* fifo queues and frames that became ready while this one was drawn. */
	struct hf_surface *surface;
	wl_list_for_each(surface, &server->surfaces, link)
		if (hf_surface_has_ready_commit(surface))
			hf_server_schedule_frame(server);
}

void hf_server_toplevels_changed(struct hf_server *server, bool removed_last)
{
	server->layout_dirty = true;
	hf_server_schedule_frame(server);
	if (!removed_last)
		return;
	/* The snapshot of a finished run shows its last frame, not the empty background. */
	struct hf_pixels last;
	if (!server->output->impl->read_last(server->output, &last))
		return;
	hf_pixels_free(server->last_window_shot);
	server->last_window_shot = hf_pixels_copy(&last);
}

void hf_server_output_resized(struct hf_server *server)
{
	server->stats.output_resizes++;
	server->layout_dirty = true;
	hf_server_schedule_frame(server);
}

void hf_server_quit(struct hf_server *server, int code)
{
	server->exit_code = code;
	wl_display_terminate(server->display);
}

static int server_handle_waiter(int fd, uint32_t mask, void *data)
{
	struct hf_server *server = data;
	hf_waiter_drain(server->waiter);
	struct hf_surface *surface;
	wl_list_for_each(surface, &server->surfaces, link)
		if (hf_surface_has_ready_commit(surface))
			hf_server_schedule_frame(server);
	return 0;
}

bool hf_server_init_globals(struct hf_server *server)
{
	server->waiter = hf_waiter_create();
	if (!server->waiter) {
		hf_log_errno(HF_LOG_ERROR, "cannot start the timeline waiter");
		return false;
	}
	server->waiter_source =
		wl_event_loop_add_fd(server->loop, hf_waiter_get_fd(server->waiter),
				     WL_EVENT_READABLE, server_handle_waiter, server);
	if (!server->waiter_source || wl_display_init_shm(server->display) != 0)
		return false;
	/* wl_shm advertises ARGB8888 and XRGB8888 by itself; add what the renderer reads. */
	const struct hf_format *fmt;
	for (int i = 0; (fmt = hf_format_at(i)); i++)
		if (fmt->wl_shm_format != WL_SHM_FORMAT_ARGB8888 &&
		    fmt->wl_shm_format != WL_SHM_FORMAT_XRGB8888 &&
		    server->renderer->impl->supports_format(server->renderer, fmt->fourcc))
			wl_display_add_shm_format(server->display, fmt->wl_shm_format);
	return hf_compositor_init(server) && hf_xdg_shell_init(server) &&
	       hf_presentation_init(server) && hf_handoff_init(server);
}

void hf_server_finish(struct hf_server *server)
{
	if (server->display) {
		wl_display_destroy_clients(server->display);
	}
	if (server->output)
		server->output->impl->destroy(server->output);
	if (server->waiter_source)
		wl_event_source_remove(server->waiter_source);
	if (server->display)
		wl_display_destroy(server->display);
	hf_waiter_destroy(server->waiter);
	if (server->renderer)
		server->renderer->impl->destroy(server->renderer);
	hf_pixels_free(server->last_window_shot);
	hf_samples_finish(&server->stats.latency_ns);
}
