/* An offscreen output: one persistent image, paced by a timer or by nothing at all. */
#include "output.h"

#include "log.h"
#include "presentation-time-server-protocol.h"
#include "time_util.h"

#include <drm_fourcc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

struct headless_output {
	struct hf_output base;
	struct hf_pixels image;
	int64_t period_ns; /* 0: no pacing */
	int timer_fd;
	struct wl_event_source *timer_source, *idle_source;
	bool frame_wanted, timer_armed, drawn;
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
	wl_signal_emit(&h->base.events.frame, &h->base);
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
		wl_signal_emit(&h->base.events.frame, &h->base);
	}
	return 0;
}

static void headless_schedule_frame(struct hf_output *o)
{
	struct headless_output *h = headless(o);
	struct wl_event_loop *loop = h->base.loop;
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

static bool headless_begin(struct hf_output *o, struct hf_output_target *target)
{
	struct headless_output *h = headless(o);
	/* One image, kept between frames: it always holds the last one. */
	*target = (struct hf_output_target){.pixels = h->image, .age = h->drawn ? 1 : 0};
	return true;
}

static void headless_submit(struct hf_output *o, const pixman_region32_t *damage, void *frame,
			    bool replaceable)
{
	struct headless_output *h = headless(o);
	h->drawn = true;
	if (h->period_ns)
		h->next_tick_ns += h->period_ns;
	struct hf_output_present_event event = {
		.frame = frame,
		.presented = true,
		.time_ns = hf_now_ns(),
		.refresh_ns = h->period_ns,
		.seq = ++h->seq,
		/* Paced by a timer standing in for vblank; nothing is hardware here. */
		.flags = h->period_ns ? WP_PRESENTATION_FEEDBACK_KIND_VSYNC : 0,
	};
	wl_signal_emit(&o->events.present, &event);
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

struct hf_output *hf_output_headless_create(struct wl_event_loop *loop, int32_t width,
					    int32_t height, int refresh_hz)
{
	struct headless_output *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	hf_output_init(&h->base, &headless_impl, loop, width, height);
	/* Unpaced: no rate to tell (wl_output's mode says 0, unknown). No input. */
	h->base.refresh_mhz = refresh_hz > 0 ? refresh_hz * 1000 : 0;
	h->base.description =
		refresh_hz > 0 ? "Handoff headless output" : "Handoff headless output, unpaced";
	h->timer_fd = -1;
	h->image = (struct hf_pixels){.width = width,
				      .height = height,
				      .stride = (size_t)width * 4,
				      .fourcc = DRM_FORMAT_XRGB8888};
	/* Page-aligned, whole pages: a GPU renderer may import it as host memory. */
	size_t size = ((size_t)width * (size_t)height * 4 + 4095) & ~(size_t)4095;
	h->image.data = aligned_alloc(4096, size);
	if (!h->image.data)
		goto err;
	memset(h->image.data, 0, size);
	if (refresh_hz > 0) {
		h->period_ns = HF_NSEC_PER_SEC / refresh_hz;
		h->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		if (h->timer_fd < 0)
			goto err;
		h->timer_source = wl_event_loop_add_fd(loop, h->timer_fd, WL_EVENT_READABLE,
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
