/* The SDK's CPU windows (hp_window_create()): images in sealed memfds that the application
 * maps and draws into, and whose acquire points hp_frame_signal() signals. Each image is
 * shared with every presenter of the window. */
#define _GNU_SOURCE
#include "sdk.h"

#include "format.h"
#include "image.h"
#include "timeline.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct cpu_window {
	struct hp_window base;
	struct {
		void *map; /* NULL until mapped */
		size_t size;
	} maps[HP_MAX_BUFFERS];
};

static struct cpu_window *cpu_window(struct hp_window *w)
{
	return (struct cpu_window *)w;
}

static void cpu_destroy(struct hp_window *w)
{
	struct cpu_window *cw = cpu_window(w);
	for (int i = 0; i < HP_MAX_BUFFERS; i++)
		if (cw->maps[i].map)
			munmap(cw->maps[i].map, cw->maps[i].size);
}

/* The application signals: an shm timeline; implicit sync has none and waits for nothing. */
static bool cpu_frame_done(struct hp_window *w, uint64_t frame)
{
	return !w->acquire_timeline || hf_timeline_is_signaled(w->acquire_timeline, frame);
}

static void cpu_wait_frame(struct hp_window *w, uint64_t frame, int64_t timeout_ns)
{
	if (w->acquire_timeline)
		hf_timeline_wait(w->acquire_timeline, frame, timeout_ns);
}

static bool cpu_add_image(struct hp_window *w, int index, char *err, size_t err_size)
{
	struct cpu_window *cw = cpu_window(w);
	const struct hf_format *fmt = hf_format_from_fourcc(w->cfg.fourcc);
	struct hp_image *image = &w->images[index];
	const struct hp_window_config *cfg = &w->cfg;
	int32_t stride = cfg->width * (int32_t)fmt->bpp;
	size_t size = (size_t)stride * (size_t)cfg->height;
	int fd = hf_memfd_create_sealed("handoff-image", size);
	if (fd < 0) {
		snprintf(err, err_size, "cannot allocate an image of %zu bytes: %s", size,
			 strerror(errno));
		return false;
	}
	void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		snprintf(err, err_size, "cannot map an image: %s", strerror(errno));
		close(fd);
		return false;
	}
	cw->maps[index].map = map;
	cw->maps[index].size = size;
	image->frame = (struct hp_frame){.data = map,
					 .width = cfg->width,
					 .height = cfg->height,
					 .stride = stride,
					 .fourcc = cfg->fourcc,
					 .window = w};
	bool ok = hp_image_share_memfd(w, image, fd, 0, (uint32_t)stride, size, err, err_size);
	close(fd);
	return ok;
}

static const struct hp_window_impl cpu_impl = {
	.name = "cpu",
	.destroy = cpu_destroy,
	.frame_done = cpu_frame_done,
	.wait_frame = cpu_wait_frame,
	.app_signals = true,
	.add_image = cpu_add_image,
};

struct hp_window *hp_window_create(struct hp_client *c, const struct hp_window_config *cfg,
				   char *err, size_t err_size)
{
	struct hp_window *w =
		hp_window_new(c, cfg, &cpu_impl, sizeof(struct cpu_window), false, err, err_size);
	if (!w)
		return NULL;
	if (cfg->sync != HP_SYNC_IMPLICIT && !hp_window_add_shm_acquire(w, err, err_size))
		goto err;
	/* The images: two now, more as they run short (hp_window_impl.add_image). */
	if (!hp_window_finish_setup(w, err, err_size))
		goto err;
	return w;
err:
	hp_window_destroy(w);
	return NULL;
}
