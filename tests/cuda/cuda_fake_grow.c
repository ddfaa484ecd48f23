/*
 * A CUDA window's pool grows one image at a time, and each image is imported into CUDA once,
 * when it is made: run against the fake libcuda.so.1 in its same-device mode
 * (tests/e2e/cuda_fake.sh), with a Vulkan presenter on lavapipe at $WAYLAND_DISPLAY.
 *
 * lavapipe exports no timeline semaphores, so the only CUDA window it can hold is one without
 * sync, whose images are reused in turn and never run short: the core would not grow it. So
 * this test grows it as hp_frame_begin() does when no image is free (hp_window_impl.add_image
 * at n_images, sdk.h), then checks that frames use every image made, and that destroy gives
 * back exactly what was imported (none of the images never made).
 */
#include "handoff-producer-cuda.h"
#include "sdk.h"

#include "cuda_driver.h"
#include "fake_cuda.h"

#include <dlfcn.h>
#include <stdio.h>

#define BUFFERS 6
#define GROWN   4

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "cuda-fake-grow: " __VA_ARGS__);                           \
			fprintf(stderr, "\n");                                                     \
			return 1;                                                                  \
		}                                                                                  \
	} while (0)

static int run(struct hp_client *c, const struct fake_cuda_counts *n)
{
	char err[256];
	struct hp_window_config cfg = hp_window_config_default(64, 64);
	cfg.buffers = BUFFERS;
	cfg.sync = HP_SYNC_NONE;
	struct hp_window *w = hp_window_create_cuda(c, &cfg, HP_CUDA_LINEAR, err, sizeof(err));
	CHECK(w, "%s", err);
	CHECK(hp_window_image_count(w) == 2, "the window made %d images, not 2 of %d",
	      hp_window_image_count(w), BUFFERS);
	CHECK(n->memory_imported == 2 && n->buffers_mapped == 2,
	      "CUDA imported %d memories and mapped %d for 2 images", n->memory_imported,
	      n->buffers_mapped);
	while (w->n_images < GROWN) {
		CHECK(w->impl->add_image(w, w->n_images, err, sizeof(err)), "growing: %s", err);
		w->n_images++;
	}
	CHECK(n->memory_imported == GROWN && n->buffers_mapped == GROWN,
	      "CUDA imported %d memories and mapped %d for %d images", n->memory_imported,
	      n->buffers_mapped, GROWN);
	hf_cu_deviceptr seen[GROWN] = {0};
	int distinct = 0;
	for (int i = 0; i < 2 * GROWN; i++) {
		struct hp_frame *f = hp_cuda_frame_begin(w, NULL, -1);
		struct hp_cuda_frame cf;
		CHECK(f && hp_cuda_frame_get(f, &cf), "frame %d: %s", i + 1, hp_client_error(c));
		CHECK(cf.index < GROWN && cf.ptr, "frame %d: image %u, pointer %llx", i + 1,
		      cf.index, (unsigned long long)cf.ptr);
		distinct += !seen[cf.index];
		seen[cf.index] = cf.ptr;
		CHECK(hp_cuda_frame_submit(w, f, NULL), "frame %d: %s", i + 1, hp_client_error(c));
	}
	CHECK(distinct == GROWN, "frames used %d of the %d images", distinct, GROWN);
	hp_window_destroy(w);
	CHECK(n->memory_destroyed == GROWN && n->buffers_freed == GROWN,
	      "destroy gave back %d memories and %d buffers of %d", n->memory_destroyed,
	      n->buffers_freed, GROWN);
	CHECK(n->semaphores_imported == 0 && n->semaphores_destroyed == 0,
	      "%d semaphores imported, %d destroyed, without sync", n->semaphores_imported,
	      n->semaphores_destroyed);
	printf("cuda-fake-grow: 2 images, grown to %d of %d, each imported once and given back\n",
	       GROWN, BUFFERS);
	return 0;
}

int main(void)
{
	char err[256];
	/* The SDK loads the driver on its own; its counts are found in that copy. */
	void *lib = dlopen("libcuda.so.1", RTLD_NOW);
	const struct fake_cuda_counts *(*counts)(void) =
		lib ? (const struct fake_cuda_counts *(*)(void))dlsym(lib, "fake_cuda_counts")
		    : NULL;
	if (!counts) {
		fprintf(stderr, "cuda-fake-grow: libcuda.so.1 is not the fake driver\n");
		return 1;
	}
	struct hp_client *c = hp_client_connect(NULL, err, sizeof(err));
	if (!c) {
		fprintf(stderr, "cuda-fake-grow: %s\n", err);
		return 1;
	}
	int code = run(c, counts());
	hp_client_destroy(c);
	dlclose(lib);
	return code;
}
