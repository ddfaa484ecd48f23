/*
 * The SDK's CUDA windows with no kernel of our own (no nvcc needed): every frame is filled
 * with color(N) by cuMemsetD2D32Async on the application's stream, between the SDK's release
 * wait and acquire signal on that stream (hp_cuda_frame_begin / hp_cuda_frame_submit). On a
 * GPU it is the shortest complete CUDA producer; without one the failure tests run it against
 * a fake driver. Usage: handoff-cuda-sdk-example [FRAMES [WxH [DISPLAY...]]]: each DISPLAY
 * is one more presenter to show the window in (hp_window_config.more_clients).
 */
#include "cuda_driver.h"
#include "handoff-producer-cuda.h"
#include "handoff-producer-vulkan.h" /* hp_vk_window_transport() */
#include "pattern.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc > 1 && argv[1][0] == '-') {
		printf("Usage: handoff-cuda-sdk-example [FRAMES [WxH [DISPLAY...]]]\n"
		       "Fills FRAMES frames (default 100) of WxH (default 640x360) with the solid\n"
		       "pattern from a CUDA stream, into the presenter at $WAYLAND_DISPLAY and\n"
		       "into each DISPLAY (up to 7).\n");
		return 0;
	}
	int frames = argc > 1 ? atoi(argv[1]) : 100;
	int width = 640, height = 360;
	if (argc > 2 && sscanf(argv[2], "%dx%d", &width, &height) != 2) {
		fprintf(stderr, "cuda-sdk-example: size WxH, not %s\n", argv[2]);
		return 2;
	}
	char err[256];
	const struct hf_cuda *cu = hf_cuda_load(err, sizeof(err));
	if (!cu) {
		fprintf(stderr, "cuda-sdk-example: %s\n", err);
		return 1;
	}
	struct hp_client *c = hp_client_connect(NULL, err, sizeof(err));
	if (!c) {
		fprintf(stderr, "cuda-sdk-example: %s\n", err);
		return 1;
	}
	struct hp_client *more[7] = {0};
	int n_more = argc > 3 ? argc - 3 : 0;
	if (n_more > 7) {
		fprintf(stderr, "cuda-sdk-example: at most 7 more displays\n");
		return 2;
	}
	for (int i = 0; i < n_more; i++)
		if (!(more[i] = hp_client_connect(argv[3 + i], err, sizeof(err)))) {
			fprintf(stderr, "cuda-sdk-example: %s: %s\n", argv[3 + i], err);
			return 1;
		}
	struct hp_window_config cfg = hp_window_config_default(width, height);
	cfg.buffers = n_more ? 4 : 3;
	cfg.more_clients = more;
	cfg.n_more_clients = n_more;
	struct hp_window *w = hp_window_create_cuda(c, &cfg, HP_CUDA_LINEAR, err, sizeof(err));
	if (!w) {
		fprintf(stderr, "cuda-sdk-example: %s\n", err);
		for (int i = 0; i < n_more; i++)
			hp_client_destroy(more[i]);
		hp_client_destroy(c);
		return 1;
	}
	printf("cuda-sdk-example: %s\n", hp_vk_window_transport(w));
	/* A stream on the window's device (the presenter's GPU), in its primary context: the
	 * one the images live in. */
	uint8_t device_uuid[16], driver_uuid[16];
	hp_client_get_vulkan_device(c, device_uuid, driver_uuid);
	hf_cu_context ctx = NULL;
	hf_cu_device dev;
	hf_cu_stream stream = NULL;
	int code = 0;
	if (cu->cuDeviceGet(&dev, hf_cuda_device_by_uuid(cu, device_uuid)) ||
	    cu->cuDevicePrimaryCtxRetain(&ctx, dev) || cu->cuCtxPushCurrent(ctx) ||
	    cu->cuStreamCreate(&stream, HF_CU_STREAM_NON_BLOCKING)) {
		fprintf(stderr, "cuda-sdk-example: cannot make a stream\n");
		code = 1;
	}
	for (int i = 0; i < frames && code == 0; i++) {
		struct hp_frame *f = NULL;
		struct hp_cuda_frame cf;
		if (!(f = hp_cuda_frame_begin(w, (struct CUstream_st *)stream, -1)) ||
		    !hp_cuda_frame_get(f, &cf) ||
		    cu->cuMemsetD2D32Async(cf.ptr, cf.pitch, hf_solid_color(f->number),
					   (size_t)width, (size_t)height, stream) ||
		    !hp_cuda_frame_submit(w, f, (struct CUstream_st *)stream)) {
			fprintf(stderr, "cuda-sdk-example: frame %d: %s\n", i + 1,
				hp_client_error(c));
			code = 1;
		}
	}
	if (stream)
		cu->cuStreamSynchronize(stream);
	hp_window_destroy(w);
	if (stream)
		cu->cuStreamDestroy(stream);
	if (ctx)
		cu->cuDevicePrimaryCtxRelease(dev);
	for (int i = 0; i < n_more; i++)
		hp_client_destroy(more[i]);
	hp_client_destroy(c);
	return code;
}
