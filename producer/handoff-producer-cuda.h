/*
 * The producer SDK for CUDA applications (PyTorch, simulations, anything with kernels): a
 * window whose images the application's kernels write in place, with the frame's acquire
 * point signaled by the application's CUDA stream after its kernels, and the wait for the
 * presenter's release of the image on that stream too: the host never waits for the
 * presenter.
 *
 *     struct hp_window *w = hp_window_create_cuda(c, &cfg, HP_CUDA_LINEAR, err, sizeof(err));
 *     for (;;) {
 *             struct hp_frame *f = hp_cuda_frame_begin(w, stream, -1); // release wait queued
 *             struct hp_cuda_frame cf;
 *             hp_cuda_frame_get(f, &cf);
 *             my_kernel<<<grid, block, 0, stream>>>(cf.ptr, cf.pitch, f->width, f->height);
 *             hp_cuda_frame_submit(w, f, stream); // acquire signaled after my_kernel; commits
 *     }
 *
 * How it works: the images are Vulkan images that the SDK makes on its own Vulkan device, the
 * presenter's GPU (the presenter's Vulkan device UUID is the CUDA device's UUID), exported as
 * opaque fds to the presenter (memory kind vk_opaque_fd) and imported into CUDA
 * (cuImportExternalMemory); the acquire and release timelines are Vulkan timeline semaphores,
 * imported into CUDA too (cuImportExternalSemaphore), which the stream signals and waits on
 * (cuSignalExternalSemaphoresAsync, cuWaitExternalSemaphoresAsync). No frame is copied.
 * So the presenter must compose with Vulkan on that GPU (handoff-presenter --renderer vulkan);
 * explicit sync and HP_SYNC_NONE only (wl_shm cannot carry GPU memory).
 *
 * The images live in the primary context of that GPU, the context the CUDA runtime (and so
 * PyTorch) uses: a driver-API application makes it current (cuDevicePrimaryCtxRetain) to use
 * them. The SDK calls libcuda.so.1, loaded at run time, and links no CUDA library itself;
 * this header needs no CUDA header (the types below are the driver API's own).
 *
 * hp_frame_begin() hands out an image only once the stream work of its previous frame has
 * completed, as for Vulkan windows, so that at most `buffers` frames are queued; a frame's
 * stream work waits for the presenter. hp_frame_signal() does nothing for CUDA windows.
 */
#ifndef HANDOFF_PRODUCER_CUDA_H
#define HANDOFF_PRODUCER_CUDA_H

#include "handoff-producer.h"

#ifdef __cplusplus
extern "C" {
#endif

struct CUstream_st; /* CUstream, cudaStream_t */
struct CUarray_st;  /* CUarray, cudaArray_t */

/* How the application's kernels see an image. */
enum hp_cuda_layout {
	/* A CUDA array over an image in the GPU's own (optimal) tiling, with a surface object
	 * (surf2Dwrite): the fastest for the presenter to sample, and what CUDA graphics
	 * interop usually hands out. A tensor is copied into it (cuMemcpy2DAsync: one device
	 * copy a frame). */
	HP_CUDA_ARRAY,
	/* A linear image: a device pointer and a row pitch, which a kernel or a strided tensor
	 * writes directly (zero copies). */
	HP_CUDA_LINEAR,
};

struct hp_cuda_frame {
	struct hp_window *window;
	uint32_t index; /* which image of the pool, 0..buffers-1 */
	enum hp_cuda_layout layout;
	int device; /* the CUDA device ordinal the image is on */
	/* HP_CUDA_ARRAY: the image's array (of the format's channels, e.g. 4 x uint8 in memory
	 * order B, G, R, X for XRGB8888) and a surface object over it; else NULL and 0. */
	struct CUarray_st *array;
	unsigned long long surface; /* CUsurfObject */
	/* HP_CUDA_LINEAR: the CUdeviceptr of pixel (0, 0) and the bytes from one row to the
	 * next; else 0. */
	unsigned long long ptr;
	size_t pitch;
};

/*
 * Creates a window whose images CUDA kernels write. The CUDA device is the presenter's GPU
 * (its Vulkan device UUID); no CUDA driver, no CUDA device of that UUID, a presenter without
 * Vulkan memory and timelines of that GPU, or an import the driver refuses: NULL, with the
 * reason in err.
 */
struct hp_window *hp_window_create_cuda(struct hp_client *c, const struct hp_window_config *cfg,
					enum hp_cuda_layout layout, char *err, size_t err_size);
/* Fills out for a frame of a CUDA window; false for a window of another kind. */
bool hp_cuda_frame_get(const struct hp_frame *frame, struct hp_cuda_frame *out);
/* Queues on stream (NULL: the legacy default stream) the wait for the presenter's release of
 * the frame's image: the work queued after it may write the image. Nothing for an image's
 * first use or with HP_SYNC_NONE. false on a CUDA failure, with the reason in the client. */
bool hp_cuda_frame_wait(const struct hp_frame *frame, struct CUstream_st *stream);
/* Queues on stream the frame's acquire point: signaled once the work queued on stream before
 * it has completed. Call it after the kernels that write the frame, before or after
 * hp_frame_submit(). With HP_SYNC_NONE the point is signaled at submit instead (the bug it
 * shows); call it all the same, so that hp_window_destroy() knows when the stream is done. */
bool hp_cuda_frame_signal(const struct hp_frame *frame, struct CUstream_st *stream);
/* hp_frame_begin(), then hp_cuda_frame_wait() on stream. */
struct hp_frame *hp_cuda_frame_begin(struct hp_window *w, struct CUstream_st *stream,
				     int64_t timeout_ns);
/* hp_cuda_frame_signal() on stream, then hp_frame_submit(). */
bool hp_cuda_frame_submit(struct hp_window *w, struct hp_frame *frame, struct CUstream_st *stream);

#ifdef __cplusplus
}
#endif

#endif
