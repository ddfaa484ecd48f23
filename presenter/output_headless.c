/* An offscreen output: one persistent image, paced by a timer or by nothing at all. */
#include "output.h"

#include "log.h"
#include "server.h"
#include "time_util.h"

#include <drm_fourcc.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <unistd.h>

struct headless_output {
	struct hf_output base;
	struct hf_pixels image;
	int64_t period_ns; /* 0: no pacing */
	int timer_fd;
	struct wl_event_source *timer_source, *idle_source;
	bool frame_wanted, timer_armed;
	int64_t next_tick_ns;
	uint64_t seq;
};

static struct headless_output *headless(struct hf_output *o)
{
	return (struct headless_output *)o;
}

static void headless_destroy(struct hf_output *o)
{
	struct headless_output *h = headless(o);
	if (h->idle_source)
		wl_event_source_remove(h->idle_source);
	if (h->timer_source)
		wl_event_source_remove(h->timer_source);
	if (h->timer_fd >= 0)
		close(h->timer_fd);
	free(h->image.data);
	free(h);
}

static void headless_handle_idle(void *data)
{
	struct headless_output *h = data;
	h->idle_source = NULL;
	h->frame_wanted = false;
	hf_server_output_frame(h->base.server);
}

static int headless_handle_timer(int fd, uint32_t mask, void *data)
{
	struct headless_output *h = data;
	uint64_t expirations;
	if (read(fd, &expirations, sizeof(expirations)) < 0)
		return 0;
	h->timer_armed = false;
	if (h->frame_wanted) {
		h->frame_wanted = false;
		hf_server_output_frame(h->base.server);
	}
	return 0;
}

static void headless_schedule_frame(struct hf_output *o)
{
	struct headless_output *h = headless(o);
	struct wl_event_loop *loop = h->base.server->loop;
	h->frame_wanted = true;
	if (h->period_ns == 0) {
		if (!h->idle_source)
			h->idle_source = wl_event_loop_add_idle(loop, headless_handle_idle, h);
		return;
	}
	if (h->timer_armed)
		return;
	/* The next vblank on a fixed grid, never sooner than one period after the last. */
	int64_t now = hf_now_ns();
	if (h->next_tick_ns <= now)
		h->next_tick_ns = now + h->period_ns - (now - h->next_tick_ns) % h->period_ns;
	struct itimerspec its = {.it_value = hf_ns_to_timespec(h->next_tick_ns)};
	if (timerfd_settime(h->timer_fd, TFD_TIMER_ABSTIME, &its, NULL) == 0)
		h->timer_armed = true;
	else
		hf_log_errno(HF_LOG_ERROR, "timerfd_settime");
}

static bool headless_begin(struct hf_output *o, struct hf_pixels *target)
{
	*target = headless(o)->image;
	return true;
}

static void headless_submit(struct hf_output *o, struct hf_frame *frame)
{
	struct headless_output *h = headless(o);
	int64_t now = hf_now_ns();
	if (h->period_ns)
		h->next_tick_ns += h->period_ns;
	hf_server_frame_presented(o->server, frame, now, h->period_ns, ++h->seq);
}

static bool headless_read_last(struct hf_output *o, struct hf_pixels *pixels)
{
	*pixels = headless(o)->image;
	return true;
}

static const struct hf_output_impl headless_impl = {
	.name = "headless",
	.destroy = headless_destroy,
	.schedule_frame = headless_schedule_frame,
	.begin = headless_begin,
	.submit = headless_submit,
	.read_last = headless_read_last,
};

struct hf_output *hf_output_headless_create(struct hf_server *server, int32_t width, int32_t height,
					    int refresh_hz)
{
	struct headless_output *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->base.impl = &headless_impl;
	h->base.server = server;
	h->base.width = width;
	h->base.height = height;
	h->timer_fd = -1;
	h->image = (struct hf_pixels){.width = width,
				      .height = height,
				      .stride = width * 4,
				      .fourcc = DRM_FORMAT_XRGB8888};
	h->image.data = calloc((size_t)width * (size_t)height, 4);
	if (!h->image.data)
		goto err;
	if (refresh_hz > 0) {
		h->period_ns = HF_NSEC_PER_SEC / refresh_hz;
		h->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		if (h->timer_fd < 0)
			goto err;
		h->timer_source = wl_event_loop_add_fd(server->loop, h->timer_fd, WL_EVENT_READABLE,
						       headless_handle_timer, h);
		if (!h->timer_source)
			goto err;
	}
	return &h->base;
err:
	hf_log_errno(HF_LOG_ERROR, "cannot create a %dx%d headless output", width, height);
	headless_destroy(&h->base);
	return NULL;
}
