/* handoff-producer: a thin command line over the producer SDK. */
#include "format.h"
#include "handoff-producer-vulkan.h"
#include "cuda_driver.h"
#include "options.h"
#include "render_cuda.h"
#include "render_thread.h"
#include "renderer.h"
#include "stats.h"
#include "time_util.h"
#include "vk_device.h"

#include <drm_fourcc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How long the presenter may keep every image before we call it stuck. */
#define IMAGE_TIMEOUT_NS (10 * HF_NSEC_PER_SEC)
/* How often a wait for an image looks at whether the renderer failed. */
#define IMAGE_SLICE_NS (100 * 1000000LL)

struct producer {
	struct hp_options opts;
	struct hp_client *client;
	struct hp_client *more_clients[HP_OPTIONS_MAX_DISPLAYS - 1]; /* further --display */
	struct hp_vk_context *vk;                                    /* NULL: CPU rendering */
	struct hp_window *window;
	struct hp_renderer *renderer;
	struct hp_render_thread *render_thread;
	struct hp_cuda_renderer *cuda; /* NULL: not --renderer cuda or cuda-host */
	unsigned rand_state;           /* the CUDA renderer's random delays */
	uint64_t submitted, presented, discarded;
	uint64_t last_feedback[HP_OPTIONS_MAX_DISPLAYS]; /* by presenter: the newest frame */
	struct hf_samples latency_ns;
	int64_t start_ns, cpu_start_ns;
};

static volatile sig_atomic_t interrupted;

static void handle_signal(int sig)
{
	interrupted = 1;
}

static void on_feedback(void *data, const struct hp_feedback *fb)
{
	struct producer *p = data;
	if (fb->presented) {
		p->presented++;
		if (p->cuda)
			hp_cuda_renderer_presented(p->cuda, fb->frame, fb->present_ns);
		if (fb->signal_ns)
			hf_samples_add(&p->latency_ns, fb->present_ns - fb->signal_ns);
	} else {
		p->discarded++;
	}
	if (fb->presenter >= 0 && fb->presenter < HP_OPTIONS_MAX_DISPLAYS &&
	    fb->frame > p->last_feedback[fb->presenter])
		p->last_feedback[fb->presenter] = fb->frame;
}

static void print_progress(struct producer *p, bool final)
{
	double secs = (double)(hf_now_ns() - p->start_ns) / 1e9;
	fprintf(stderr, "%sframe %llu  presented %llu  discarded %llu  %.1f fps%s",
		isatty(STDERR_FILENO) ? "\r" : "", (unsigned long long)p->submitted,
		(unsigned long long)p->presented, (unsigned long long)p->discarded,
		secs > 0 ? (double)p->presented / secs : 0.0,
		final || !isatty(STDERR_FILENO) ? "\n" : "   ");
}

/* With several displays (or -v): what each presenter got, and how far the pool grew. */
static void print_presenters(struct producer *p)
{
	int n = hp_window_presenter_count(p->window);
	if (n > 1 || p->opts.verbose)
		fprintf(stderr, "handoff-producer: %d images made of --buffers %d\n",
			hp_window_image_count(p->window), p->opts.buffers);
	for (int i = 0; n > 1 && i < n; i++) {
		struct hp_presenter_info info;
		hp_window_presenter_get(p->window, i, &info);
		fprintf(stderr,
			"handoff-producer: presenter %d (%s): %llu frames sent, %llu skipped%s\n",
			i, p->opts.displays[i], (unsigned long long)info.sent,
			(unsigned long long)info.skipped, info.gone ? ", went away" : "");
	}
}

/* The newest frame any presenter gave feedback for. */
static uint64_t newest_feedback(const struct producer *p)
{
	uint64_t newest = 0;
	for (int i = 0; i < HP_OPTIONS_MAX_DISPLAYS; i++)
		if (p->last_feedback[i] > newest)
			newest = p->last_feedback[i];
	return newest;
}

static bool write_stats(struct producer *p, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "handoff-producer: cannot write %s\n", path);
		return false;
	}
	double secs = (double)(hf_now_ns() - p->start_ns) / 1e9;
	int64_t cpu = hf_cpu_ns() - p->cpu_start_ns;
	struct hf_percentiles lat = hf_samples_percentiles(&p->latency_ns);
	static const char *const syncs[] = {"explicit", "implicit", "none"};
	fprintf(f, "{\n  \"program\": \"handoff-producer\",\n  \"sync\": \"%s\",\n",
		syncs[p->opts.sync]);
	fprintf(f, "  \"renderer\": \"%s\",\n",
		p->cuda ? (p->opts.cuda_host ? "cuda-host" : "cuda")
			: (p->opts.vulkan ? "vulkan" : "cpu"));
	fprintf(f, "  \"present_mode\": \"%s\",\n",
		p->opts.mode == HP_PRESENT_FIFO ? "fifo" : "mailbox");
	fprintf(f, "  \"width\": %d,\n  \"height\": %d,\n", p->opts.width, p->opts.height);
	fprintf(f, "  \"frames_submitted\": %llu,\n  \"frames_presented\": %llu,\n",
		(unsigned long long)p->submitted, (unsigned long long)p->presented);
	fprintf(f, "  \"frames_discarded\": %llu,\n  \"last_frame_feedback\": %llu,\n",
		(unsigned long long)p->discarded, (unsigned long long)newest_feedback(p));
	fprintf(f, "  \"seconds\": %.3f,\n  \"presented_fps\": %.2f,\n", secs,
		secs > 0 ? (double)p->presented / secs : 0.0);
	fprintf(f, "  ");
	hf_percentiles_write_json(f, "latency_acquire_to_presented", &lat);
	if (p->cuda) {
		struct hf_samples kernel = {0};
		hp_cuda_renderer_latencies(p->cuda, &kernel);
		struct hf_percentiles k = hf_samples_percentiles(&kernel);
		fprintf(f, ",\n  ");
		hf_percentiles_write_json(f, "latency_kernel_end_to_presented", &k);
		hf_samples_finish(&kernel);
	}
	fprintf(f, ",\n  \"presenters\": [");
	for (int i = 0; i < hp_window_presenter_count(p->window); i++) {
		struct hp_presenter_info info;
		hp_window_presenter_get(p->window, i, &info);
		fprintf(f, "%s{\"sent\": %llu, \"skipped\": %llu, \"gone\": %s}", i ? ", " : "",
			(unsigned long long)info.sent, (unsigned long long)info.skipped,
			info.gone ? "true" : "false");
	}
	fprintf(f, "]");
	fprintf(f, ",\n  \"images\": %d,\n  \"buffers\": %d", hp_window_image_count(p->window),
		p->opts.buffers);
	fprintf(f, ",\n  \"cpu_us_per_frame\": %.1f\n}\n",
		p->submitted ? (double)cpu / 1e3 / (double)p->submitted : 0.0);
	return fclose(f) == 0;
}

static void pace(struct producer *p)
{
	if (p->opts.fps <= 0)
		return;
	int64_t due = p->start_ns + (int64_t)p->submitted * HF_NSEC_PER_SEC / p->opts.fps;
	int64_t now;
	while (!interrupted && (now = hf_now_ns()) < due)
		if (!hp_window_dispatch(p->window, (int)((due - now) / 1000000) + 1))
			return;
}

static bool render_failed(struct producer *p)
{
	return p->render_thread && hp_render_thread_failed(p->render_thread);
}

/* A free image; NULL when none came in time, the connection broke or the renderer failed. */
static struct hp_frame *begin_frame(struct producer *p)
{
	int64_t deadline = hf_now_ns() + IMAGE_TIMEOUT_NS;
	for (;;) {
		struct hp_frame *frame = hp_frame_begin(p->window, IMAGE_SLICE_NS);
		if (frame || render_failed(p) || interrupted || hf_now_ns() > deadline)
			return frame;
		/* Timed out: go on unless the connection broke meanwhile. */
		if (!hp_window_dispatch(p->window, 0))
			return NULL;
	}
}

static int64_t cuda_delay_ns(struct producer *p)
{
	if (p->opts.render_delay_us <= 0)
		return 0;
	p->rand_state = p->rand_state * 1103515245u + 12345u;
	return (int64_t)((p->rand_state >> 8) % (unsigned)(p->opts.render_delay_us + 1)) * 1000;
}

static bool produce_frame(struct producer *p)
{
	struct hp_frame *frame = begin_frame(p);
	if (!frame)
		return false;
	if (p->cuda) {
		/* Queued on the GPU (cuda), or drawn and copied (cuda-host), before the commit. */
		if (!hp_cuda_renderer_draw(p->cuda, p->client, frame, p->opts.pattern,
					   cuda_delay_ns(p)))
			return false;
		if (!hp_frame_submit(p->window, frame))
			return false;
		p->submitted++;
		return true;
	}
	struct hp_render_target target = {.frame = *frame};
	hp_vk_frame_get(frame, &target.vk);
	if (p->opts.sync == HP_SYNC_IMPLICIT) {
		/* A plain wl_shm client can only hand over finished frames: the SDK waits for the
		 * GPU in hp_frame_submit(). */
		if (!p->renderer->impl->draw(p->renderer, &target, p->opts.pattern, 0,
					     frame->height))
			return false;
	} else {
		/* Drawn after the commit, like a GPU would: the acquire point covers it. */
		hp_render_thread_push(p->render_thread, &target);
	}
	if (!hp_frame_submit(p->window, frame))
		return false;
	p->submitted++;
	return true;
}

/* The last frame is really shown (or replaced) before we go: in every presenter that is
 * still there, so that each one ends on it. A presenter that has not shown it LAGGARD_NS
 * after the first one did (stopped, or holding its images) is not waited for longer. */
#define LAGGARD_NS HF_NSEC_PER_SEC
static bool wait_last_feedback(struct producer *p)
{
	int64_t deadline = hf_now_ns() + IMAGE_TIMEOUT_NS, laggard_deadline = 0;
	int n = hp_window_presenter_count(p->window);
	while (!interrupted) {
		bool all = true, any = false;
		for (int i = 0; i < n; i++) {
			struct hp_presenter_info info;
			hp_window_presenter_get(p->window, i, &info);
			if (info.gone)
				continue;
			if (p->last_feedback[i] >= p->submitted)
				any = true;
			else
				all = false;
		}
		if (all)
			return true;
		int64_t now = hf_now_ns();
		if (any && !laggard_deadline)
			laggard_deadline = now + LAGGARD_NS;
		if (any && now > laggard_deadline) {
			for (int i = 0; i < n; i++) {
				struct hp_presenter_info info;
				hp_window_presenter_get(p->window, i, &info);
				if (!info.gone && p->last_feedback[i] < p->submitted)
					fprintf(stderr,
						"handoff-producer: presenter %d did not show frame "
						"%llu within %lld ms of the first: not waited "
						"for\n",
						i, (unsigned long long)p->submitted,
						(long long)(LAGGARD_NS / 1000000));
			}
			return true;
		}
		if (now > deadline) {
			fprintf(stderr, "handoff-producer: no feedback for frame %llu\n",
				(unsigned long long)p->submitted);
			return false;
		}
		if (!hp_window_dispatch(p->window, n > 1 ? 10 : 100))
			return false;
	}
	return true;
}

static int run(struct producer *p)
{
	struct hp_options *o = &p->opts;
	int64_t next_progress = p->start_ns + HF_NSEC_PER_SEC;
	bool show_progress = isatty(STDERR_FILENO) || o->verbose;
	while (!interrupted && (o->frames == 0 || p->submitted < o->frames)) {
		if (hp_window_should_close(p->window))
			break;
		if (!produce_frame(p))
			goto err;
		if (render_failed(p))
			goto err_render;
		pace(p);
		if (show_progress && hf_now_ns() >= next_progress) {
			print_progress(p, false);
			next_progress += HF_NSEC_PER_SEC;
		}
	}
	if (p->render_thread)
		hp_render_thread_drain(p->render_thread);
	if (render_failed(p))
		goto err_render;
	if (p->submitted && !wait_last_feedback(p) && !interrupted)
		goto err;
	if (show_progress)
		print_progress(p, true);
	if (o->hold) {
		printf("handoff-producer: showing frame %llu until interrupted\n",
		       (unsigned long long)p->submitted);
		fflush(stdout);
	}
	while (o->hold && !interrupted && !hp_window_should_close(p->window))
		if (!hp_window_dispatch(p->window, 100))
			goto err;
	return 0;
err:
	if (render_failed(p))
		goto err_render;
	fprintf(stderr, "handoff-producer: %s\n", hp_client_error(p->client));
	return 1;
err_render:
	fprintf(stderr, "handoff-producer: the %s renderer failed (see above)\n",
		p->renderer->impl->name);
	return 1;
}

/* The CUDA renderer on the presenter's GPU, then a window of that GPU's images (cuda) or of
 * memfds (cuda-host). */
static bool create_cuda_window(struct producer *p, const struct hp_window_config *cfg, char *err,
			       size_t err_size)
{
	uint8_t device_uuid[16], driver_uuid[16];
	bool named = hp_client_get_vulkan_device(p->client, device_uuid, driver_uuid);
	p->cuda = hp_cuda_renderer_create(named ? device_uuid : NULL, p->opts.cuda_host, err,
					  err_size);
	if (!p->cuda)
		return false;
	hp_cuda_renderer_set_fault(p->cuda, p->opts.cuda_fault_at);
	if ((cfg->fourcc != DRM_FORMAT_XRGB8888 && cfg->fourcc != DRM_FORMAT_ARGB8888)) {
		snprintf(err, err_size, "the CUDA renderer draws XRGB8888 and ARGB8888 only");
		return false;
	}
	p->window = p->opts.cuda_host
			    ? hp_window_create(p->client, cfg, err, err_size)
			    : hp_window_create_cuda(p->client, cfg,
						    (enum hp_cuda_layout)p->opts.cuda_layout, err,
						    err_size);
	if (!p->window)
		return false;
	if (p->opts.verbose)
		fprintf(stderr, "handoff-producer: cuda: %s\n",
			p->opts.cuda_host ? "memfd images, copied from device memory every frame"
					  : hp_vk_window_transport(p->window));
	return true;
}

/* The presenter's Vulkan device if it names one, then a window of that device's images. */
static bool create_vulkan_window(struct producer *p, const struct hp_window_config *cfg, char *err,
				 size_t err_size)
{
	uint8_t device_uuid[16], driver_uuid[16];
	bool named = hp_client_get_vulkan_device(p->client, device_uuid, driver_uuid);
	p->vk = hp_vk_context_create(named ? device_uuid : NULL, named ? driver_uuid : NULL, err,
				     err_size);
	if (!p->vk)
		return false;
	if (named && !p->vk->presenter_device)
		fprintf(stderr,
			"handoff-producer: the presenter's Vulkan device is not here; "
			"using %s\n",
			p->vk->name);
	struct hp_vk_device dev = hp_vk_context_sdk_device(p->vk);
	/* Storage too, for the renderer's compute shaders, where the device can; without it if
	 * such images cannot be shared (the renderer then draws in a render pass). */
	const VkImageUsageFlags usage =
		VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT |
		VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT |
		VK_IMAGE_USAGE_STORAGE_BIT;
	const struct hf_format *fmt = hf_format_from_fourcc(cfg->fourcc);
	if (fmt && !p->opts.vk_render_pass &&
	    hp_vk_context_can_store(p->vk, (VkFormat)fmt->vk_format)) {
		char ignored[256];
		p->window = hp_window_create_vulkan(p->client, cfg, &dev, usage, ignored,
						    sizeof(ignored));
		p->vk->images_storage = p->window != NULL;
	}
	if (!p->window)
		p->window = hp_window_create_vulkan(p->client, cfg, &dev, 0, err, err_size);
	if (!p->window)
		return false;
	p->renderer = hp_renderer_vulkan_create(p->vk, err, err_size);
	if (!p->renderer)
		return false;
	if (p->opts.verbose)
		fprintf(stderr, "handoff-producer: vulkan: %s; patterns %s\n",
			hp_vk_window_transport(p->window),
			p->vk->images_storage ? "by compute shader (if the format can be stored)"
					      : "in a render pass");
	return true;
}

int main(int argc, char **argv)
{
	static struct producer p;
	int r = hp_options_parse(&p.opts, argc, argv);
	if (r)
		return r < 0 ? 0 : r;
	struct hp_options *o = &p.opts;
	struct sigaction sa = {.sa_handler = handle_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	int code = 1;
	char err[256];
	/* No CUDA here: say so before anything else. */
	if ((o->cuda || o->cuda_host) && !hf_cuda_load(err, sizeof(err))) {
		fprintf(stderr, "handoff-producer: --renderer %s: %s\n",
			o->cuda ? "cuda" : "cuda-host", err);
		return 1;
	}
	p.client = hp_client_connect(o->n_displays ? o->displays[0] : NULL, err, sizeof(err));
	if (!p.client) {
		fprintf(stderr, "handoff-producer: %s\n", err);
		return 1;
	}
	for (int i = 1; i < o->n_displays; i++) {
		p.more_clients[i - 1] = hp_client_connect(o->displays[i], err, sizeof(err));
		if (!p.more_clients[i - 1]) {
			fprintf(stderr, "handoff-producer: --display %s: %s\n", o->displays[i],
				err);
			goto out;
		}
	}
	struct hp_window_config cfg = hp_window_config_default(o->width, o->height);
	cfg.fourcc = o->fourcc;
	cfg.buffers = o->buffers;
	cfg.sync = o->sync;
	cfg.mode = o->mode;
	cfg.title = "handoff-producer";
	cfg.more_clients = p.more_clients;
	cfg.n_more_clients = o->n_displays > 1 ? o->n_displays - 1 : 0;
	cfg.hold_limit = o->hold_limit;
	p.rand_state = o->seed;
	if (o->cuda || o->cuda_host) {
		if (!create_cuda_window(&p, &cfg, err, sizeof(err))) {
			fprintf(stderr, "handoff-producer: --renderer %s: %s\n",
				o->cuda ? "cuda" : "cuda-host", err);
			goto out;
		}
	} else if (o->vulkan) {
		if (!create_vulkan_window(&p, &cfg, err, sizeof(err))) {
			fprintf(stderr, "handoff-producer: --renderer vulkan: %s\n", err);
			goto out;
		}
	} else {
		p.window = hp_window_create(p.client, &cfg, err, sizeof(err));
		if (!p.window) {
			fprintf(stderr, "handoff-producer: %s\n", err);
			goto out;
		}
		p.renderer = hp_renderer_cpu_create();
		if (!p.renderer) {
			fprintf(stderr, "handoff-producer: cannot create the renderer: out of "
					"memory\n");
			goto out;
		}
	}
	hp_window_set_feedback(p.window, on_feedback, &p);
	if (o->sync != HP_SYNC_IMPLICIT && !p.cuda) {
		p.render_thread = hp_render_thread_create(p.renderer, o->pattern,
							  o->render_delay_us, o->seed);
		if (!p.render_thread) {
			fprintf(stderr, "handoff-producer: cannot start the render thread\n");
			goto out;
		}
	}
	p.start_ns = hf_now_ns();
	p.cpu_start_ns = hf_cpu_ns();
	code = run(&p);
	print_presenters(&p);
	if (o->stats_path && !write_stats(&p, o->stats_path))
		code = 1;
out:
	hp_render_thread_destroy(p.render_thread);
	if (p.renderer)
		p.renderer->impl->destroy(p.renderer);
	hp_window_destroy(p.window);
	hp_cuda_renderer_destroy(p.cuda);
	hp_client_destroy(p.client);
	for (int i = 0; i < HP_OPTIONS_MAX_DISPLAYS - 1; i++)
		hp_client_destroy(p.more_clients[i]);
	hp_vk_context_destroy(p.vk);
	hf_samples_finish(&p.latency_ns);
	return code;
}
