/*
 * The SDK's CUDA windows (handoff-producer-cuda.h): Vulkan windows (window_vulkan.c) on a
 * Vulkan device of the SDK's own, the presenter's GPU, whose exported images and timeline
 * semaphores are imported into CUDA, so that the application's stream writes the images,
 * waits for their release and signals their acquire.
 */
#include "handoff-producer-cuda.h"
#include "window_vulkan.h"

#include "cuda_driver.h"
#include "format.h"
#include "time_util.h"
#include "vk_own_device.h"
#include "vk_result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* CUDA writes the memory itself, so Vulkan needs only what the presenter reads with (copies
 * and sampling). No colour attachment: with it the driver may choose a layout that a CUDA
 * array must be told of (CUDA_ARRAY3D_COLOR_ATTACHMENT). */
#define CUDA_IMAGE_USAGE                                                                           \
	(VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT |                       \
	 VK_IMAGE_USAGE_SAMPLED_BIT)

struct cuda_image {
	hf_cu_external_memory memory;
	hf_cu_mipmapped_array mipmap; /* HP_CUDA_ARRAY */
	hf_cu_array array;            /* level 0 of mipmap */
	hf_cu_surf_object surface;
	hf_cu_deviceptr buffer; /* HP_CUDA_LINEAR: the whole memory, mapped */
	hf_cu_external_semaphore release;
};

struct cuda_window {
	struct hp_vk_window vk; /* first: its base is the window's */
	struct hp_vk_own_device own;
	const struct hf_cuda *cu;
	int ordinal;
	hf_cu_device device;
	hf_cu_context context; /* the device's primary context, retained; NULL if not */
	enum hp_cuda_layout layout;
	hf_cu_external_semaphore acquire;
	/* Imported as the pool grows (cuda_add_image()): zero past base.n_images. */
	struct cuda_image images[HP_MAX_BUFFERS];
	/* Recorded after each signal: a stream that failed (a lost context) shows here. */
	hf_cu_event signaled;
	bool signal_recorded;
	char failure[256];
	char transport[640]; /* the Vulkan window's, and CUDA's part */
};

static struct cuda_window *cuda_window(struct hp_window *w)
{
	return (struct cuda_window *)w;
}

static bool cuda_check(struct cuda_window *cw, hf_cu_result r, const char *what, char *err,
		       size_t err_size)
{
	if (r == HF_CUDA_SUCCESS)
		return true;
	snprintf(err, err_size, "CUDA: %s: %s", what, hf_cuda_result_str(cw->cu, r));
	return false;
}

static bool push_context(struct cuda_window *cw, char *err, size_t err_size)
{
	return cuda_check(cw, cw->cu->cuCtxPushCurrent(cw->context), "cannot use the context", err,
			  err_size);
}

static void pop_context(struct cuda_window *cw)
{
	hf_cu_context ctx;
	cw->cu->cuCtxPopCurrent(&ctx);
}

/* How long destroy waits for the application's streams to finish with the images. */
#define IDLE_TIMEOUT_NS HF_NSEC_PER_SEC

/* Whether the stream work queued up to the last signal has completed, waiting up to timeout. */
static bool streams_idle(struct cuda_window *cw, int64_t timeout_ns)
{
	if (!cw->signal_recorded)
		return true;
	int64_t deadline = hf_now_ns() + timeout_ns;
	for (;;) {
		hf_cu_result r = cw->cu->cuEventQuery(cw->signaled);
		if (r != HF_CUDA_ERROR_NOT_READY)
			return true; /* done, or the context is lost: nothing runs any more */
		if (hf_now_ns() > deadline)
			return false;
		hf_sleep_ns(100000);
	}
}

/*
 * Streams may still wait for release points that a presenter that went away will never
 * signal: the waits would never end, and neither would a synchronize. The timelines are
 * ours, so we signal them ourselves then, once nobody else can.
 */
static void release_all(struct cuda_window *cw)
{
	struct hp_vk_window *vk = &cw->vk;
	struct hp_window *w = &vk->base;
	for (int i = 0; i < w->n_images; i++) {
		uint64_t value = 0, point = w->images[i].release_point;
		VkSemaphore sem = vk->images[i].release[0];
		if (!sem ||
		    vk->fn.vkGetSemaphoreCounterValue(vk->device, sem, &value) != VK_SUCCESS ||
		    value >= point)
			continue;
		VkSemaphoreSignalInfo info = {
			.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO,
			.semaphore = sem,
			.value = point,
		};
		vk->fn.vkSignalSemaphore(vk->device, &info);
	}
}

static void cuda_destroy(struct hp_window *w)
{
	struct cuda_window *cw = cuda_window(w);
	char err[256];
	bool idle = true;
	if (cw->context && push_context(cw, err, sizeof(err))) {
		const struct hf_cuda *cu = cw->cu;
		/* The application's streams may still write the images or wait on the semaphores:
		 * nothing is destroyed under them. */
		idle = streams_idle(cw, IDLE_TIMEOUT_NS);
		if (!idle && wl_display_get_error(w->client->display)) {
			release_all(cw);
			idle = streams_idle(cw, IDLE_TIMEOUT_NS);
		}
		if (!idle)
			fprintf(stderr,
				"handoff SDK: CUDA work on the window's images never completed: "
				"leaving its CUDA and Vulkan objects\n");
		for (int i = 0; idle && i < HP_MAX_BUFFERS; i++) {
			struct cuda_image *ci = &cw->images[i];
			if (ci->surface)
				cu->cuSurfObjectDestroy(ci->surface);
			if (ci->mipmap)
				cu->cuMipmappedArrayDestroy(ci->mipmap);
			if (ci->buffer)
				cu->cuMemFree(ci->buffer);
			if (ci->memory)
				cu->cuDestroyExternalMemory(ci->memory);
			if (ci->release)
				cu->cuDestroyExternalSemaphore(ci->release);
		}
		if (idle && cw->acquire)
			cu->cuDestroyExternalSemaphore(cw->acquire);
		if (idle && cw->signaled)
			cu->cuEventDestroy(cw->signaled);
		pop_context(cw);
	}
	if (!idle)
		return;
	if (cw->context)
		cw->cu->cuDevicePrimaryCtxRelease(cw->device);
	/* Without sync nothing signals the Vulkan window's private timeline, and the streams
	 * are idle now: nothing to wait for. */
	if (w->cfg.sync == HP_SYNC_NONE)
		cw->vk.committed = 0;
	hp_vk_window_finish(&cw->vk);
	hp_vk_own_device_destroy(&cw->own);
}

static bool cuda_frame_done(struct hp_window *w, uint64_t frame)
{
	return hp_vk_window_impl.frame_done(w, frame);
}

static void cuda_wait_frame(struct hp_window *w, uint64_t frame, int64_t timeout_ns)
{
	hp_vk_window_impl.wait_frame(w, frame, timeout_ns);
}

static bool cuda_frame_committed(struct hp_window *w, uint64_t frame)
{
	return hp_vk_window_impl.frame_committed(w, frame);
}

static bool cuda_release_signaled(struct hp_window *w, const struct hp_image *image, int presenter,
				  int64_t timeout_ns)
{
	return hp_vk_window_impl.release_signaled(w, image, presenter, timeout_ns);
}

static const char *cuda_failure(struct hp_window *w)
{
	struct cuda_window *cw = cuda_window(w);
	const char *vk_failure = hp_vk_window_impl.failure(w);
	if (vk_failure)
		return vk_failure;
	if (cw->failure[0])
		return cw->failure;
	if (cw->signal_recorded) {
		hf_cu_result r = cw->cu->cuEventQuery(cw->signaled);
		if (r != HF_CUDA_SUCCESS && r != HF_CUDA_ERROR_NOT_READY) {
			snprintf(cw->failure, sizeof(cw->failure),
				 "CUDA: the stream that signals the frames failed: %s",
				 hf_cuda_result_str(cw->cu, r));
			return cw->failure;
		}
	}
	return NULL;
}

static const char *cuda_transport(const struct hp_window *w)
{
	return ((const struct cuda_window *)w)->transport;
}

static bool import_semaphore(struct cuda_window *cw, VkSemaphore sem, hf_cu_external_semaphore *out,
			     char *err, size_t err_size)
{
	struct hp_vk_window *vk = &cw->vk;
	VkSemaphoreGetFdInfoKHR info = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_GET_FD_INFO_KHR,
		.semaphore = sem,
		.handleType = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT,
	};
	int fd = -1;
	VkResult vr = vk->fn.vkGetSemaphoreFdKHR(vk->device, &info, &fd);
	if (vr != VK_SUCCESS) {
		snprintf(err, err_size, "Vulkan: the driver refuses to export a timeline: %s",
			 hf_vk_result_str(vr));
		return false;
	}
	struct hf_cu_external_semaphore_handle_desc desc = {
		.type = HF_CU_EXTERNAL_SEMAPHORE_HANDLE_TYPE_TIMELINE_SEMAPHORE_FD,
		.handle.fd = fd,
	};
	/* On success the driver owns the fd. */
	if (!cuda_check(cw, cw->cu->cuImportExternalSemaphore(out, &desc),
			"the driver refuses to import a Vulkan timeline semaphore", err,
			err_size)) {
		close(fd);
		return false;
	}
	return true;
}

static bool import_image(struct cuda_window *cw, int index, char *err, size_t err_size)
{
	struct hp_vk_window *vk = &cw->vk;
	struct hp_vk_image *vi = &vk->images[index];
	struct cuda_image *ci = &cw->images[index];
	const struct hf_cuda *cu = cw->cu;
	const struct hp_window_config *cfg = &vk->base.cfg;
	VkMemoryGetFdInfoKHR fd_info = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_GET_FD_INFO_KHR,
		.memory = vi->memory,
		.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT,
	};
	int fd = -1;
	VkResult vr = vk->fn.vkGetMemoryFdKHR(vk->device, &fd_info, &fd);
	if (vr != VK_SUCCESS) {
		snprintf(err, err_size, "Vulkan: the driver refuses to export image memory: %s",
			 hf_vk_result_str(vr));
		return false;
	}
	struct hf_cu_external_memory_handle_desc desc = {
		.type = HF_CU_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD,
		.handle.fd = fd,
		.size = vi->size,
		.flags = vi->dedicated ? HF_CUDA_EXTERNAL_MEMORY_DEDICATED : 0,
	};
	if (!cuda_check(cw, cu->cuImportExternalMemory(&ci->memory, &desc),
			"the driver refuses to import the Vulkan image memory", err, err_size)) {
		close(fd);
		return false;
	}
	if (cw->layout == HP_CUDA_LINEAR) {
		struct hf_cu_external_memory_buffer_desc buf = {.size = vi->size};
		return cuda_check(
			cw, cu->cuExternalMemoryGetMappedBuffer(&ci->buffer, ci->memory, &buf),
			"cannot map the linear image's memory", err, err_size);
	}
	const struct hf_format *fmt = hf_format_from_fourcc(cfg->fourcc);
	struct hf_cu_external_memory_mipmapped_array_desc array = {
		.array_desc =
			{
				.width = (size_t)cfg->width,
				.height = (size_t)cfg->height,
				.format = fmt->bpp == 8 ? HF_CU_AD_FORMAT_HALF
							: HF_CU_AD_FORMAT_UNSIGNED_INT8,
				.num_channels = 4,
				.flags = HF_CUDA_ARRAY3D_SURFACE_LDST,
			},
		.num_levels = 1,
	};
	if (!cuda_check(
		    cw,
		    cu->cuExternalMemoryGetMappedMipmappedArray(&ci->mipmap, ci->memory, &array),
		    "cannot map the image as a CUDA array", err, err_size) ||
	    !cuda_check(cw, cu->cuMipmappedArrayGetLevel(&ci->array, ci->mipmap, 0),
			"cannot take the CUDA array's level 0", err, err_size))
		return false;
	struct hf_cu_resource_desc res = {
		.res_type = HF_CU_RESOURCE_TYPE_ARRAY,
		.res.array.h_array = ci->array,
	};
	return cuda_check(cw, cu->cuSurfObjectCreate(&ci->surface, &res),
			  "cannot make a surface object of the image", err, err_size);
}

/* The Vulkan image, then CUDA's view of it: its memory (an array or a linear pointer) and
 * its release timeline (presenter 0's: with several presenters the core waits on the CPU).
 * On failure what was imported stays in cw->images for cuda_destroy(). */
static bool cuda_add_image(struct hp_window *w, int index, char *err, size_t err_size)
{
	struct cuda_window *cw = cuda_window(w);
	if (!hp_vk_window_impl.add_image(w, index, err, err_size) ||
	    !push_context(cw, err, err_size))
		return false;
	bool ok = import_image(cw, index, err, err_size) &&
		  (w->cfg.sync != HP_SYNC_EXPLICIT ||
		   import_semaphore(cw, cw->vk.images[index].release[0], &cw->images[index].release,
				    err, err_size));
	pop_context(cw);
	return ok;
}

static const struct hp_window_impl cuda_impl = {
	.name = "cuda",
	.destroy = cuda_destroy,
	.frame_done = cuda_frame_done,
	.wait_frame = cuda_wait_frame,
	.frame_committed = cuda_frame_committed,
	.failure = cuda_failure,
	.transport = cuda_transport,
	.release_signaled = cuda_release_signaled,
	.add_image = cuda_add_image,
};

/* The CUDA device that is the presenter's GPU, and its primary context. */
static bool pick_device(struct cuda_window *cw, const uint8_t uuid[16], char *err, size_t err_size)
{
	const struct hf_cuda *cu = cw->cu;
	cw->ordinal = hf_cuda_device_by_uuid(cu, uuid);
	if (cw->ordinal < 0) {
		snprintf(err, err_size,
			 "CUDA: the presenter's GPU (Vulkan device UUID %02x%02x%02x%02x...) is "
			 "none "
			 "of the %d CUDA devices here: run the presenter on a CUDA GPU",
			 uuid[0], uuid[1], uuid[2], uuid[3], cu->device_count);
		return false;
	}
	if (!cuda_check(cw, cu->cuDeviceGet(&cw->device, cw->ordinal), "no such device", err,
			err_size))
		return false;
	hf_cu_context ctx = NULL;
	if (!cuda_check(cw, cu->cuDevicePrimaryCtxRetain(&ctx, cw->device),
			"cannot retain the device's primary context", err, err_size))
		return false;
	cw->context = ctx;
	return true;
}

/* What CUDA needs of the window before any image: the acquire timeline and the event of
 * the signals. The images are imported as the pool grows (cuda_add_image()). */
static bool import_window(struct cuda_window *cw, char *err, size_t err_size)
{
	struct hp_window *w = &cw->vk.base;
	if (w->cfg.sync == HP_SYNC_EXPLICIT &&
	    !import_semaphore(cw, cw->vk.acquire, &cw->acquire, err, err_size))
		return false;
	return cuda_check(cw, cw->cu->cuEventCreate(&cw->signaled, HF_CU_EVENT_DISABLE_TIMING),
			  "cannot create an event", err, err_size);
}

struct hp_window *hp_window_create_cuda(struct hp_client *c, const struct hp_window_config *cfg,
					enum hp_cuda_layout layout, char *err, size_t err_size)
{
	if (cfg->sync == HP_SYNC_IMPLICIT) {
		snprintf(err, err_size,
			 "CUDA windows need explicit sync (or none): wl_shm cannot carry GPU "
			 "memory");
		return NULL;
	}
	if (layout != HP_CUDA_ARRAY && layout != HP_CUDA_LINEAR) {
		snprintf(err, err_size, "unknown CUDA layout %d", (int)layout);
		return NULL;
	}
	const struct hf_cuda *cu = hf_cuda_load(err, err_size);
	if (!cu)
		return NULL;
	uint8_t device_uuid[16], driver_uuid[16];
	if (!hp_client_get_vulkan_device(c, device_uuid, driver_uuid)) {
		snprintf(err, err_size,
			 "%s names no Vulkan device: run it with --renderer vulkan on the GPU that "
			 "CUDA renders on",
			 cfg->n_more_clients > 0 ? "presenter 0" : "the presenter");
		return NULL;
	}
	/* Every presenter reads the same device memory: all must be on the one GPU. */
	for (int i = 0; i < cfg->n_more_clients && cfg->more_clients; i++) {
		uint8_t dev_i[16], drv_i[16];
		struct hp_client *ci = cfg->more_clients[i];
		if (!ci || !hp_client_get_vulkan_device(ci, dev_i, drv_i)) {
			snprintf(err, err_size,
				 "presenter %d names no Vulkan device: run it with --renderer "
				 "vulkan on the GPU that CUDA renders on",
				 i + 1);
			return NULL;
		}
		if (memcmp(dev_i, device_uuid, 16) || memcmp(drv_i, driver_uuid, 16)) {
			snprintf(err, err_size,
				 "presenter %d composes on another GPU than presenter 0: CUDA "
				 "windows need every presenter on the GPU that CUDA renders on",
				 i + 1);
			return NULL;
		}
	}
	struct hp_window *w =
		hp_window_new(c, cfg, &cuda_impl, sizeof(struct cuda_window), true, err, err_size);
	if (!w)
		return NULL;
	struct cuda_window *cw = cuda_window(w);
	cw->cu = cu;
	cw->layout = layout;
	if (!pick_device(cw, device_uuid, err, err_size) ||
	    !hp_vk_own_device_create(&cw->own, device_uuid, err, err_size))
		goto err;
	struct hp_vk_device dev = hp_vk_own_device_sdk(&cw->own);
	struct hp_vk_window_options options = {
		.usage = CUDA_IMAGE_USAGE,
		.linear = layout == HP_CUDA_LINEAR,
		.require_vk_transport = true,
		/* CUDA maps the memory of a linear image as a buffer: on the H200 (driver 580)
		 * memory not dedicated to its image read back, through the presenter's image,
		 * as a pattern of 8-pixel blocks, a quarter of them the colour CUDA wrote, at
		 * 640x360, 1920x1080 and 2048x1080 (4K, where the driver prefers a dedicated
		 * allocation, was right). Dedicated, every size was right, and CUDA's
		 * interop guide imports image memory dedicated too. */
		.dedicated = true,
	};
	if (!hp_vk_window_init(&cw->vk, &dev, &options, err, err_size))
		goto err;
	if (layout == HP_CUDA_LINEAR && cw->vk.tiling != VK_IMAGE_TILING_LINEAR) {
		snprintf(err, err_size, "Vulkan: %s cannot share linear images", cw->own.name);
		goto err;
	}
	if (!push_context(cw, err, err_size))
		goto err;
	bool imported = import_window(cw, err, err_size);
	pop_context(cw);
	if (!imported)
		goto err;
	char name[128] = "?";
	cu->cuDeviceGetName(name, sizeof(name), cw->device);
	snprintf(cw->transport, sizeof(cw->transport), "%s; CUDA device %d (%s): %s",
		 cw->vk.transport, cw->ordinal, name,
		 layout == HP_CUDA_LINEAR ? "linear device pointers"
					  : "arrays and surface objects");
	if (!hp_window_finish_setup(w, err, err_size))
		goto err;
	return w;
err:
	hp_window_destroy(w);
	return NULL;
}

static struct cuda_window *cuda_window_of(const struct hp_frame *frame)
{
	return frame->window->impl == &cuda_impl ? cuda_window(frame->window) : NULL;
}

bool hp_cuda_frame_get(const struct hp_frame *frame, struct hp_cuda_frame *out)
{
	struct cuda_window *cw = cuda_window_of(frame);
	if (!cw)
		return false;
	uint32_t index = (uint32_t)(hp_image_of(frame) - cw->vk.base.images);
	const struct cuda_image *ci = &cw->images[index];
	*out = (struct hp_cuda_frame){
		.window = frame->window,
		.index = index,
		.layout = cw->layout,
		.device = cw->ordinal,
		.array = (struct CUarray_st *)ci->array,
		.surface = ci->surface,
	};
	if (cw->layout == HP_CUDA_LINEAR) {
		out->ptr = ci->buffer + cw->vk.images[index].layout.offset;
		out->pitch = (size_t)cw->vk.images[index].layout.rowPitch;
	}
	return true;
}

/* A CUDA failure in a stream call: kept for hp_frame_begin() and the client's error. */
static bool stream_check(struct cuda_window *cw, hf_cu_result r, const char *what)
{
	if (r == HF_CUDA_SUCCESS)
		return true;
	if (!cw->failure[0])
		snprintf(cw->failure, sizeof(cw->failure), "CUDA: %s: %s", what,
			 hf_cuda_result_str(cw->cu, r));
	hp_client_set_error(cw->vk.base.client, "%s", cw->failure);
	return false;
}

bool hp_cuda_frame_wait(const struct hp_frame *frame, struct CUstream_st *stream)
{
	struct cuda_window *cw = cuda_window_of(frame);
	if (!cw)
		return false;
	struct hp_image *image = hp_image_of(frame);
	struct cuda_image *ci = &cw->images[image - cw->vk.base.images];
	/* With several presenters the SDK waited for every release already. */
	if (cw->vk.base.cfg.sync != HP_SYNC_EXPLICIT || image->release_point == 0 ||
	    cw->vk.base.n_pres > 1)
		return true;
	struct hf_cu_external_semaphore_wait_params params = {
		.params.fence.value = image->release_point,
	};
	hf_cu_result pushed = cw->cu->cuCtxPushCurrent(cw->context);
	if (pushed != HF_CUDA_SUCCESS)
		return stream_check(cw, pushed, "cannot make the context current");
	hf_cu_result r = cw->cu->cuWaitExternalSemaphoresAsync(&ci->release, &params, 1,
							       (hf_cu_stream)stream);
	pop_context(cw);
	return stream_check(cw, r, "cannot queue the wait for the image's release");
}

bool hp_cuda_frame_signal(const struct hp_frame *frame, struct CUstream_st *stream)
{
	struct cuda_window *cw = cuda_window_of(frame);
	if (!cw)
		return false;
	hf_cu_result pushed = cw->cu->cuCtxPushCurrent(cw->context);
	if (pushed != HF_CUDA_SUCCESS)
		return stream_check(cw, pushed, "cannot make the context current");
	hf_cu_result r = HF_CUDA_SUCCESS;
	/* Without sync the point was signaled at submit; the event still tells destroy when
	 * the stream is done with the images. */
	if (cw->vk.base.cfg.sync == HP_SYNC_EXPLICIT) {
		struct hf_cu_external_semaphore_signal_params params = {
			.params.fence.value = frame->number,
		};
		r = cw->cu->cuSignalExternalSemaphoresAsync(&cw->acquire, &params, 1,
							    (hf_cu_stream)stream);
	}
	if (r == HF_CUDA_SUCCESS) {
		r = cw->cu->cuEventRecord(cw->signaled, (hf_cu_stream)stream);
		cw->signal_recorded = r == HF_CUDA_SUCCESS;
	}
	pop_context(cw);
	return stream_check(cw, r, "cannot queue the frame's acquire signal");
}

struct hp_frame *hp_cuda_frame_begin(struct hp_window *w, struct CUstream_st *stream,
				     int64_t timeout_ns)
{
	struct hp_frame *frame = hp_frame_begin(w, timeout_ns);
	if (frame && !hp_cuda_frame_wait(frame, stream))
		return NULL;
	return frame;
}

bool hp_cuda_frame_submit(struct hp_window *w, struct hp_frame *frame, struct CUstream_st *stream)
{
	return hp_cuda_frame_signal(frame, stream) && hp_frame_submit(w, frame);
}
