/*
 * handoff-producer's CUDA renderer: the patterns drawn by CUDA kernels (render_cuda.cu) on a
 * stream of its own, straight into a CUDA window's images (zero copies), or, for comparison,
 * into device memory copied to a CPU window's memfd image (the CPU round trip).
 */
#ifndef HP_RENDER_CUDA_H
#define HP_RENDER_CUDA_H

#include "handoff-producer-cuda.h"
#include "renderer.h"
#include "stats.h"

struct hp_cuda_renderer;

/* Loads the CUDA driver and the kernels on the CUDA device whose UUID is device_uuid (the
 * presenter's Vulkan device; NULL or none here: the first device). host_copy: frames are
 * drawn in device memory and copied to the frame's memory (CPU windows). NULL with the
 * reason in err, in one line. */
struct hp_cuda_renderer *hp_cuda_renderer_create(const uint8_t *device_uuid, bool host_copy,
						 char *err, size_t err_size);
void hp_cuda_renderer_destroy(struct hp_cuda_renderer *r); /* NULL is a no-op */
/* Queues frame's drawing on the stream: the release wait (CUDA windows), the top half, a
 * delay of delay_ns, the bottom half, the acquire signal. With host_copy: the copy to the
 * frame's memory, a wait for it, and hp_frame_signal(). false on a failure, with the reason
 * printed. */
bool hp_cuda_renderer_draw(struct hp_cuda_renderer *r, struct hp_client *client,
			   struct hp_frame *frame, enum hp_pattern pattern, int64_t delay_ns);
/* A frame was presented at present_ns (CLOCK_MONOTONIC): kept for the latency from the end of
 * its drawing on the GPU. */
void hp_cuda_renderer_presented(struct hp_cuda_renderer *r, uint64_t frame, int64_t present_ns);
/* The latencies from the end of a frame's last kernel (its stamp on the GPU's clock, brought
 * to CLOCK_MONOTONIC with offsets measured at the start and now) to its presentation, into
 * out. */
void hp_cuda_renderer_latencies(struct hp_cuda_renderer *r, struct hf_samples *out);
/* Testing: frame's drawing starts with a kernel that faults (a lost context). */
void hp_cuda_renderer_set_fault(struct hp_cuda_renderer *r, uint64_t frame);

#endif
