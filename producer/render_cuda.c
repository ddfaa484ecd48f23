/*
 * The CUDA renderer (render_cuda.h). The kernels come from nvcc at build time, embedded as a
 * fatbin (cuda_kernels.c, generated); the driver API comes from libcuda.so.1 at run time.
 */
#include "render_cuda.h"

#include "cuda_driver.h"
#include "pattern_rects.h"
#include "time_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const unsigned char hp_cuda_kernels[];
extern const size_t hp_cuda_kernels_size;

/* Rectangle uploads in flight, by frame number: a slot is reused once its copy completed. */
#define RECT_SLOTS     32
#define STAMP_RING     1024
#define MAX_REGISTERED 16

struct paint_rect { /* as in render_cuda.cu */
	int32_t x, y, width, height;
	uint32_t pixel;
};

struct stamp_pair {
	uint64_t gpu_ns;
	int64_t present_ns;
};

struct hp_cuda_renderer {
	const struct hf_cuda *cu;
	hf_cu_device device;
	hf_cu_context context; /* the primary context, retained */
	hf_cu_module module;
	hf_cu_function paint_surface, paint_linear, spin, stamp, fault;
	hf_cu_stream stream;
	bool host_copy;
	uint64_t fault_at; /* the frame whose drawing faults; 0: none */
	/* Pinned host memory: RECT_SLOTS x 2 halves x HP_PATTERN_MAX_RECTS, and its device
	 * copy. */
	struct paint_rect *host_rects;
	hf_cu_deviceptr rects;
	hf_cu_event slot_done[RECT_SLOTS];
	bool slot_used[RECT_SLOTS];
	/* Host-mapped: STAMP_RING x {gpu_ns, frame}, and 2 more for calibration. */
	uint64_t *stamps;
	hf_cu_deviceptr stamps_dev;
	uint64_t calibrations;
	int64_t offset_start; /* GPU clock - CLOCK_MONOTONIC, measured at the start */
	uint64_t gpu_start;
	struct stamp_pair *presented;
	size_t n_presented, cap_presented;
	/* host_copy: the frame drawn here first, then copied to the image's memory. */
	hf_cu_deviceptr staging;
	size_t staging_pitch, staging_height;
	void *registered[MAX_REGISTERED]; /* image memory pinned for the copy (cuMemHostRegister) */
	int n_registered;
};

static bool check(struct hp_cuda_renderer *r, hf_cu_result res, const char *what)
{
	if (res == HF_CUDA_SUCCESS)
		return true;
	fprintf(stderr, "handoff-producer: CUDA: %s: %s\n", what, hf_cuda_result_str(r->cu, res));
	return false;
}

static bool push(struct hp_cuda_renderer *r)
{
	return check(r, r->cu->cuCtxPushCurrent(r->context), "cannot use the context");
}

static void pop(struct hp_cuda_renderer *r)
{
	hf_cu_context ctx;
	r->cu->cuCtxPopCurrent(&ctx);
}

/* The GPU clock's offset from CLOCK_MONOTONIC: a stamp is written to host memory and the host
 * spins until it sees it. Of 16 tries the quickest counts; the host saw the stamp at most the
 * time of one PCIe write after it was taken. */
static bool calibrate(struct hp_cuda_renderer *r, int64_t *offset, uint64_t *gpu)
{
	volatile uint64_t *slot = r->stamps + 2 * STAMP_RING;
	hf_cu_deviceptr slot_dev = r->stamps_dev + 2 * STAMP_RING * sizeof(uint64_t);
	int64_t best = INT64_MAX;
	if (!check(r, r->cu->cuStreamSynchronize(r->stream), "waiting for the stream"))
		return false;
	for (int i = 0; i < 16; i++) {
		unsigned long long tag = ++r->calibrations;
		void *params[] = {&slot_dev, &tag};
		int64_t t0 = hf_now_ns();
		if (!check(r,
			   r->cu->cuLaunchKernel(r->stamp, 1, 1, 1, 1, 1, 1, 0, r->stream, params,
						 NULL),
			   "cannot launch a kernel"))
			return false;
		while (slot[1] != tag)
			if (hf_now_ns() - t0 > HF_NSEC_PER_SEC)
				return check(r, r->cu->cuStreamSynchronize(r->stream),
					     "the GPU clock's stamp never came") &&
				       false;
		int64_t t1 = hf_now_ns();
		if (t1 - t0 < best) {
			best = t1 - t0;
			*gpu = slot[0];
			*offset = (int64_t)slot[0] - t1;
		}
	}
	return true;
}

static bool load(struct hp_cuda_renderer *r, char *err, size_t err_size)
{
	const struct hf_cuda *cu = r->cu;
	hf_cu_result res;
	if (!hp_cuda_kernels_size) {
		snprintf(err, err_size,
			 "this handoff-producer was built without CUDA kernels (no nvcc at build "
			 "time)");
		return false;
	}
	if ((res = cu->cuModuleLoadData(&r->module, hp_cuda_kernels)) != HF_CUDA_SUCCESS) {
		snprintf(err, err_size, "CUDA: the kernels do not load on this GPU: %s",
			 hf_cuda_result_str(cu, res));
		return false;
	}
	static const char *const names[] = {"hp_paint_surface", "hp_paint_linear", "hp_spin",
					    "hp_stamp", "hp_fault"};
	hf_cu_function *fns[] = {&r->paint_surface, &r->paint_linear, &r->spin, &r->stamp,
				 &r->fault};
	for (int i = 0; i < 5; i++)
		if ((res = cu->cuModuleGetFunction(fns[i], r->module, names[i])) !=
		    HF_CUDA_SUCCESS) {
			snprintf(err, err_size, "CUDA: no kernel %s: %s", names[i],
				 hf_cuda_result_str(cu, res));
			return false;
		}
	size_t rect_bytes =
		(size_t)RECT_SLOTS * 2 * HP_PATTERN_MAX_RECTS * sizeof(struct paint_rect);
	size_t stamp_bytes = (2 * STAMP_RING + 2) * sizeof(uint64_t);
	if ((res = cu->cuStreamCreate(&r->stream, HF_CU_STREAM_NON_BLOCKING)) ||
	    (res = cu->cuMemHostAlloc((void **)&r->host_rects, rect_bytes, 0)) ||
	    (res = cu->cuMemAlloc(&r->rects, rect_bytes)) ||
	    (res = cu->cuMemHostAlloc((void **)&r->stamps, stamp_bytes,
				      HF_CU_MEMHOSTALLOC_DEVICEMAP)) ||
	    (res = cu->cuMemHostGetDevicePointer(&r->stamps_dev, r->stamps, 0))) {
		snprintf(err, err_size, "CUDA: cannot allocate the renderer's memory: %s",
			 hf_cuda_result_str(cu, res));
		return false;
	}
	memset(r->stamps, 0, stamp_bytes);
	for (int i = 0; i < RECT_SLOTS; i++)
		if ((res = cu->cuEventCreate(&r->slot_done[i], HF_CU_EVENT_DISABLE_TIMING))) {
			snprintf(err, err_size, "CUDA: cannot create an event: %s",
				 hf_cuda_result_str(cu, res));
			return false;
		}
	if (!calibrate(r, &r->offset_start, &r->gpu_start)) {
		snprintf(err, err_size, "CUDA: cannot read the GPU's clock");
		return false;
	}
	return true;
}

struct hp_cuda_renderer *hp_cuda_renderer_create(const uint8_t *device_uuid, bool host_copy,
						 char *err, size_t err_size)
{
	const struct hf_cuda *cu = hf_cuda_load(err, err_size);
	if (!cu)
		return NULL;
	struct hp_cuda_renderer *r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	r->cu = cu;
	r->host_copy = host_copy;
	int ordinal = device_uuid ? hf_cuda_device_by_uuid(cu, device_uuid) : -1;
	hf_cu_result res = cu->cuDeviceGet(&r->device, ordinal < 0 ? 0 : ordinal);
	if (res == HF_CUDA_SUCCESS)
		res = cu->cuDevicePrimaryCtxRetain(&r->context, r->device);
	if (res != HF_CUDA_SUCCESS) {
		snprintf(err, err_size, "CUDA: cannot use the device: %s",
			 hf_cuda_result_str(cu, res));
		free(r);
		return NULL;
	}
	if (cu->cuCtxPushCurrent(r->context) != HF_CUDA_SUCCESS) {
		snprintf(err, err_size, "CUDA: cannot use the device's context");
		hp_cuda_renderer_destroy(r);
		return NULL;
	}
	bool ok = load(r, err, err_size);
	pop(r);
	if (!ok) {
		hp_cuda_renderer_destroy(r);
		return NULL;
	}
	return r;
}

void hp_cuda_renderer_destroy(struct hp_cuda_renderer *r)
{
	if (!r)
		return;
	const struct hf_cuda *cu = r->cu;
	if (r->context && cu->cuCtxPushCurrent(r->context) == HF_CUDA_SUCCESS) {
		/* Bounded: a stream stuck on a release that never comes is left behind. */
		int64_t deadline = hf_now_ns() + 2 * HF_NSEC_PER_SEC;
		while (r->stream && cu->cuStreamQuery(r->stream) == HF_CUDA_ERROR_NOT_READY) {
			if (hf_now_ns() > deadline) {
				fprintf(stderr,
					"handoff-producer: CUDA: the stream never finished: "
					"leaving it\n");
				pop(r);
				return;
			}
			hf_sleep_ns(100000);
		}
		for (int i = 0; i < r->n_registered; i++)
			cu->cuMemHostUnregister(r->registered[i]);
		for (int i = 0; i < RECT_SLOTS; i++)
			if (r->slot_done[i])
				cu->cuEventDestroy(r->slot_done[i]);
		if (r->staging)
			cu->cuMemFree(r->staging);
		if (r->rects)
			cu->cuMemFree(r->rects);
		if (r->host_rects)
			cu->cuMemFreeHost(r->host_rects);
		if (r->stamps)
			cu->cuMemFreeHost(r->stamps);
		if (r->stream)
			cu->cuStreamDestroy(r->stream);
		if (r->module)
			cu->cuModuleUnload(r->module);
		pop(r);
	}
	if (r->context)
		cu->cuDevicePrimaryCtxRelease(r->device);
	free(r->presented);
	free(r);
}

/* Where the kernels write: a surface, or a linear pointer and pitch. */
struct paint_target {
	unsigned long long surface, ptr, pitch;
};

/* Uploads the rectangles of rows [y0, y1) and paints them. */
static bool paint(struct hp_cuda_renderer *r, const struct paint_target *t,
		  const struct hp_frame *frame, enum hp_pattern pattern, int half, int32_t y0,
		  int32_t y1)
{
	if (y1 <= y0)
		return true;
	unsigned slot = (unsigned)(frame->number % RECT_SLOTS);
	size_t base = ((size_t)slot * 2 + (size_t)half) * HP_PATTERN_MAX_RECTS;
	struct hp_rect rects[HP_PATTERN_MAX_RECTS];
	size_t n = hp_pattern_rects(pattern, frame->width, frame->height, frame->number, y0, y1,
				    rects);
	struct paint_rect *host = r->host_rects + base;
	for (size_t i = 0; i < n; i++)
		host[i] = (struct paint_rect){rects[i].x, rects[i].y, rects[i].width,
					      rects[i].height, 0xff000000u | rects[i].xrgb};
	hf_cu_deviceptr dev = r->rects + base * sizeof(struct paint_rect);
	if (n &&
	    !check(r, r->cu->cuMemcpyHtoDAsync(dev, host, n * sizeof(struct paint_rect), r->stream),
		   "cannot upload the pattern"))
		return false;
	int width = frame->width, count = (int)n;
	unsigned gx = (unsigned)(width + 31) / 32, gy = (unsigned)(y1 - y0 + 7) / 8;
	void *surface_params[] = {(void *)&t->surface, &width, &y0, &y1, &dev, &count};
	void *linear_params[] = {(void *)&t->ptr, (void *)&t->pitch, &width, &y0, &y1, &dev,
				 &count};
	return check(r,
		     r->cu->cuLaunchKernel(t->surface ? r->paint_surface : r->paint_linear, gx, gy,
					   1, 32, 8, 1, 0, r->stream,
					   t->surface ? surface_params : linear_params, NULL),
		     "cannot launch the paint kernel");
}

/* The frame's rectangle slot is free: its previous upload has completed. */
static bool slot_wait(struct hp_cuda_renderer *r, uint64_t number)
{
	unsigned slot = (unsigned)(number % RECT_SLOTS);
	if (r->slot_used[slot] &&
	    !check(r, r->cu->cuEventSynchronize(r->slot_done[slot]), "the GPU failed"))
		return false;
	return true;
}

static bool slot_done(struct hp_cuda_renderer *r, uint64_t number)
{
	unsigned slot = (unsigned)(number % RECT_SLOTS);
	r->slot_used[slot] = true;
	return check(r, r->cu->cuEventRecord(r->slot_done[slot], r->stream), "cannot record");
}

static bool draw_frame(struct hp_cuda_renderer *r, const struct paint_target *t,
		       const struct hp_frame *frame, enum hp_pattern pattern, int64_t delay_ns)
{
	if (r->fault_at && frame->number == r->fault_at &&
	    !check(r, r->cu->cuLaunchKernel(r->fault, 1, 1, 1, 1, 1, 1, 0, r->stream, NULL, NULL),
		   "cannot launch the fault kernel"))
		return false;
	int32_t mid = frame->height / 2;
	if (!paint(r, t, frame, pattern, 0, 0, mid))
		return false;
	if (delay_ns > 0) {
		unsigned long long ns = (unsigned long long)delay_ns;
		void *params[] = {&ns};
		if (!check(r,
			   r->cu->cuLaunchKernel(r->spin, 1, 1, 1, 1, 1, 1, 0, r->stream, params,
						 NULL),
			   "cannot launch the delay kernel"))
			return false;
	}
	if (!paint(r, t, frame, pattern, 1, mid, frame->height))
		return false;
	hf_cu_deviceptr slot = r->stamps_dev + (frame->number % STAMP_RING) * 2 * sizeof(uint64_t);
	unsigned long long number = frame->number;
	void *params[] = {&slot, &number};
	return check(r,
		     r->cu->cuLaunchKernel(r->stamp, 1, 1, 1, 1, 1, 1, 0, r->stream, params, NULL),
		     "cannot launch the stamp kernel");
}

/* host_copy: device memory for one frame, and the frame's memory pinned for the copy. */
static bool host_copy_prepare(struct hp_cuda_renderer *r, const struct hp_frame *frame)
{
	size_t row = (size_t)frame->width * 4;
	if (!r->staging) {
		if (!check(r,
			   r->cu->cuMemAllocPitch(&r->staging, &r->staging_pitch, row,
						  (size_t)frame->height, 4),
			   "cannot allocate device memory for the frame"))
			return false;
		r->staging_height = (size_t)frame->height;
	}
	for (int i = 0; i < r->n_registered; i++)
		if (r->registered[i] == frame->data)
			return true;
	/* Pinned, the copy runs at the bus's speed; else the driver stages it itself. */
	if (r->n_registered < MAX_REGISTERED &&
	    r->cu->cuMemHostRegister(frame->data, (size_t)frame->stride * (size_t)frame->height,
				     0) == HF_CUDA_SUCCESS)
		r->registered[r->n_registered++] = frame->data;
	return true;
}

static bool draw_via_host(struct hp_cuda_renderer *r, struct hp_frame *frame,
			  enum hp_pattern pattern, int64_t delay_ns)
{
	if (!host_copy_prepare(r, frame))
		return false;
	struct paint_target t = {.ptr = r->staging, .pitch = r->staging_pitch};
	if (!draw_frame(r, &t, frame, pattern, delay_ns) || !slot_done(r, frame->number))
		return false;
	struct hf_cu_memcpy2d copy = {
		.src_memory_type = HF_CU_MEMORYTYPE_DEVICE,
		.src_device = r->staging,
		.src_pitch = r->staging_pitch,
		.dst_memory_type = HF_CU_MEMORYTYPE_HOST,
		.dst_host = frame->data,
		.dst_pitch = (size_t)frame->stride,
		.width_in_bytes = (size_t)frame->width * 4,
		.height = (size_t)frame->height,
	};
	if (!check(r, r->cu->cuMemcpy2DAsync(&copy, r->stream), "cannot copy the frame to host") ||
	    !check(r, r->cu->cuStreamSynchronize(r->stream), "the frame's GPU work failed"))
		return false;
	hp_frame_signal(frame);
	return true;
}

bool hp_cuda_renderer_draw(struct hp_cuda_renderer *r, struct hp_client *client,
			   struct hp_frame *frame, enum hp_pattern pattern, int64_t delay_ns)
{
	if (!push(r))
		return false;
	bool ok = slot_wait(r, frame->number);
	if (ok && r->host_copy) {
		ok = draw_via_host(r, frame, pattern, delay_ns);
	} else if (ok) {
		struct hp_cuda_frame cf;
		if (!hp_cuda_frame_get(frame, &cf)) {
			fprintf(stderr, "handoff-producer: CUDA: not a CUDA window's frame\n");
			ok = false;
		}
		struct paint_target t = {.surface = cf.surface, .ptr = cf.ptr, .pitch = cf.pitch};
		hf_cu_stream s = r->stream;
		/* The wait, the kernels and the signal, in this order on one stream: the host
		 * waits for nothing. */
		ok = ok && hp_cuda_frame_wait(frame, (struct CUstream_st *)s) &&
		     draw_frame(r, &t, frame, pattern, delay_ns) && slot_done(r, frame->number) &&
		     hp_cuda_frame_signal(frame, (struct CUstream_st *)s);
		if (!ok && hp_client_error(client)[0])
			fprintf(stderr, "handoff-producer: %s\n", hp_client_error(client));
	}
	pop(r);
	return ok;
}

void hp_cuda_renderer_presented(struct hp_cuda_renderer *r, uint64_t frame, int64_t present_ns)
{
	volatile uint64_t *slot = r->stamps + (frame % STAMP_RING) * 2;
	/* Not this frame's stamp: without sync a frame may be shown before its kernels end. */
	if (slot[1] != frame)
		return;
	if (r->n_presented == r->cap_presented) {
		size_t cap = r->cap_presented ? 2 * r->cap_presented : 4096;
		struct stamp_pair *p = realloc(r->presented, cap * sizeof(*p));
		if (!p)
			return;
		r->presented = p;
		r->cap_presented = cap;
	}
	r->presented[r->n_presented++] = (struct stamp_pair){slot[0], present_ns};
}

void hp_cuda_renderer_latencies(struct hp_cuda_renderer *r, struct hf_samples *out)
{
	/* The clocks drift apart a little: the offset is interpolated between the start's and
	 * now's, by the GPU's time. */
	int64_t offset_end = r->offset_start;
	uint64_t gpu_end = r->gpu_start;
	if (push(r)) {
		if (!calibrate(r, &offset_end, &gpu_end))
			offset_end = r->offset_start, gpu_end = r->gpu_start;
		pop(r);
	}
	double span = (double)(gpu_end - r->gpu_start);
	for (size_t i = 0; i < r->n_presented; i++) {
		const struct stamp_pair *p = &r->presented[i];
		double f = span > 0 ? (double)(p->gpu_ns - r->gpu_start) / span : 0.0;
		int64_t offset =
			r->offset_start + (int64_t)(f * (double)(offset_end - r->offset_start));
		hf_samples_add(out, p->present_ns - ((int64_t)p->gpu_ns - offset));
	}
}

void hp_cuda_renderer_set_fault(struct hp_cuda_renderer *r, uint64_t frame)
{
	r->fault_at = frame;
}
