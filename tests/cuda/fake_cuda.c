/*
 * The fake driver's behaviour, by $HANDOFF_FAKE_CUDA: "no-device" (cuInit fails as on a
 * machine with the driver but no GPU), "other-device" (one device, whose UUID is no Vulkan
 * device's here), or "same-device" (one device whose UUID is $HANDOFF_FAKE_CUDA_UUID, 32 hex
 * digits, dashes allowed: the presenter's Vulkan device, lavapipe in the tests). Same-device
 * takes contexts, imports, streams and events, and counts what is imported and destroyed
 * (fake_cuda_counts(), for cuda_fake_grow.c); nothing runs, nothing is written.
 */
#include "cuda_driver.h"
#include "fake_cuda.h"

#include <stdbool.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define API       __attribute__((visibility("default")))
#define NO_DEVICE 100
#define INVALID   1

static const char *mode(void)
{
	const char *m = getenv("HANDOFF_FAKE_CUDA");
	return m ? m : "no-device";
}

API hf_cu_result cuInit(unsigned int flags)
{
	return strcmp(mode(), "no-device") ? 0 : NO_DEVICE;
}

API hf_cu_result cuDriverGetVersion(int *version)
{
	*version = 13000;
	return 0;
}

API hf_cu_result cuDeviceGetCount(int *count)
{
	*count = 1;
	return 0;
}

API hf_cu_result cuDeviceGet(hf_cu_device *device, int ordinal)
{
	*device = ordinal;
	return ordinal == 0 ? 0 : INVALID;
}

API hf_cu_result cuDeviceGetName(char *name, int len, hf_cu_device dev)
{
	strncpy(name, "Fake GPU", (size_t)len);
	return 0;
}

hf_cu_result fake_uuid(unsigned char uuid[16], hf_cu_device dev) __asm__("cuDeviceGetUuid_v2");
API hf_cu_result fake_uuid(unsigned char uuid[16], hf_cu_device dev)
{
	memset(uuid, 0xaa, 16);
	const char *hex = getenv("HANDOFF_FAKE_CUDA_UUID");
	if (strcmp(mode(), "same-device") || !hex)
		return 0;
	for (int n = 0; *hex && n < 32; hex++) {
		const char *digits = "0123456789abcdef", *d = strchr(digits, *hex | 0x20);
		if (*hex == '-' || !d || !*d)
			continue;
		int v = (int)(d - digits);
		uuid[n / 2] = (unsigned char)(n % 2 ? (uuid[n / 2] & 0xf0) | v : v << 4);
		n++;
	}
	return 0;
}

/* Same-device: what the SDK imported and gave back. */
static struct fake_cuda_counts counts;
static uintptr_t next_handle = 0x1000;

API const struct fake_cuda_counts *fake_cuda_counts(void)
{
	return &counts;
}

static bool same_device(void)
{
	return !strcmp(mode(), "same-device");
}

/* A handle of its own for each object, never NULL. */
static void *new_handle(void)
{
	next_handle += 0x1000;
	return (void *)next_handle;
}

#define SAME_DEVICE_ONLY                                                                           \
	if (!same_device())                                                                        \
	return INVALID

hf_cu_result fake_retain(hf_cu_context *ctx, hf_cu_device dev) __asm__("cuDevicePrimaryCtxRetain");
API hf_cu_result fake_retain(hf_cu_context *ctx, hf_cu_device dev)
{
	SAME_DEVICE_ONLY;
	*ctx = new_handle();
	return 0;
}

hf_cu_result fake_release(hf_cu_device dev) __asm__("cuDevicePrimaryCtxRelease_v2");
API hf_cu_result fake_release(hf_cu_device dev)
{
	return 0;
}

hf_cu_result fake_push(hf_cu_context ctx) __asm__("cuCtxPushCurrent_v2");
API hf_cu_result fake_push(hf_cu_context ctx)
{
	SAME_DEVICE_ONLY;
	return ctx ? 0 : INVALID;
}

hf_cu_result fake_pop(hf_cu_context *ctx) __asm__("cuCtxPopCurrent_v2");
API hf_cu_result fake_pop(hf_cu_context *ctx)
{
	*ctx = NULL;
	return 0;
}

/* On success the driver owns the fd: the fake closes it at once. */
API hf_cu_result cuImportExternalMemory(hf_cu_external_memory *mem,
					const struct hf_cu_external_memory_handle_desc *desc)
{
	SAME_DEVICE_ONLY;
	close(desc->handle.fd);
	*mem = new_handle();
	counts.memory_imported++;
	return 0;
}

API hf_cu_result cuDestroyExternalMemory(hf_cu_external_memory mem)
{
	if (!mem)
		return INVALID;
	counts.memory_destroyed++;
	return 0;
}

API hf_cu_result
cuExternalMemoryGetMappedBuffer(hf_cu_deviceptr *ptr, hf_cu_external_memory mem,
				const struct hf_cu_external_memory_buffer_desc *desc)
{
	if (!mem)
		return INVALID;
	*ptr = (hf_cu_deviceptr)(uintptr_t)new_handle();
	counts.buffers_mapped++;
	return 0;
}

hf_cu_result fake_mem_free(hf_cu_deviceptr ptr) __asm__("cuMemFree_v2");
API hf_cu_result fake_mem_free(hf_cu_deviceptr ptr)
{
	if (!ptr)
		return INVALID;
	counts.buffers_freed++;
	return 0;
}

API hf_cu_result cuImportExternalSemaphore(hf_cu_external_semaphore *sem,
					   const struct hf_cu_external_semaphore_handle_desc *desc)
{
	SAME_DEVICE_ONLY;
	close(desc->handle.fd);
	*sem = new_handle();
	counts.semaphores_imported++;
	return 0;
}

API hf_cu_result cuDestroyExternalSemaphore(hf_cu_external_semaphore sem)
{
	if (!sem)
		return INVALID;
	counts.semaphores_destroyed++;
	return 0;
}

API hf_cu_result cuEventCreate(hf_cu_event *event, unsigned int flags)
{
	SAME_DEVICE_ONLY;
	*event = new_handle();
	return 0;
}

hf_cu_result fake_event_destroy(hf_cu_event event) __asm__("cuEventDestroy_v2");
API hf_cu_result fake_event_destroy(hf_cu_event event)
{
	return event ? 0 : INVALID;
}

API hf_cu_result cuEventRecord(hf_cu_event event, hf_cu_stream stream)
{
	return event ? 0 : INVALID;
}

/* Nothing runs: all work is complete at once. */
API hf_cu_result cuEventQuery(hf_cu_event event)
{
	return event ? 0 : INVALID;
}

API hf_cu_result cuStreamCreate(hf_cu_stream *stream, unsigned int flags)
{
	SAME_DEVICE_ONLY;
	*stream = new_handle();
	return 0;
}

hf_cu_result fake_stream_destroy(hf_cu_stream stream) __asm__("cuStreamDestroy_v2");
API hf_cu_result fake_stream_destroy(hf_cu_stream stream)
{
	return 0;
}

API hf_cu_result cuStreamSynchronize(hf_cu_stream stream)
{
	return 0;
}

API hf_cu_result cuGetErrorName(hf_cu_result error, const char **str)
{
	*str = error == NO_DEVICE ? "CUDA_ERROR_NO_DEVICE" : "CUDA_ERROR_NOT_SUPPORTED";
	return 0;
}

API hf_cu_result cuGetErrorString(hf_cu_result error, const char **str)
{
	*str = error == NO_DEVICE ? "no CUDA-capable device is detected"
				  : "operation not supported (fake driver)";
	return 0;
}
