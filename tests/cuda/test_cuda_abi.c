/*
 * common/cuda_driver.h declares the CUDA driver API's types itself, so that Handoff builds
 * without a CUDA toolkit. Where one is found, this checks them against cuda.h: every struct's
 * size and every field's offset, and every constant. It fails to compile, or exits 1, on a
 * difference. (The static asserts are the test; main() reports what was checked.)
 */
#include "cuda_driver.h"

#include <cuda.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define SAME_SIZE(ours, theirs) _Static_assert(sizeof(ours) == sizeof(theirs), #ours " size")
#define SAME_AT(ours, a, theirs, b)                                                                \
	_Static_assert(offsetof(ours, a) == offsetof(theirs, b), #ours "." #a " offset")

SAME_SIZE(struct hf_cu_external_memory_handle_desc, CUDA_EXTERNAL_MEMORY_HANDLE_DESC);
SAME_AT(struct hf_cu_external_memory_handle_desc, handle.fd, CUDA_EXTERNAL_MEMORY_HANDLE_DESC,
	handle.fd);
SAME_AT(struct hf_cu_external_memory_handle_desc, size, CUDA_EXTERNAL_MEMORY_HANDLE_DESC, size);
SAME_AT(struct hf_cu_external_memory_handle_desc, flags, CUDA_EXTERNAL_MEMORY_HANDLE_DESC, flags);
SAME_SIZE(struct hf_cu_external_memory_buffer_desc, CUDA_EXTERNAL_MEMORY_BUFFER_DESC);
SAME_AT(struct hf_cu_external_memory_buffer_desc, size, CUDA_EXTERNAL_MEMORY_BUFFER_DESC, size);
SAME_SIZE(struct hf_cu_array3d_descriptor, CUDA_ARRAY3D_DESCRIPTOR);
SAME_AT(struct hf_cu_array3d_descriptor, format, CUDA_ARRAY3D_DESCRIPTOR, Format);
SAME_AT(struct hf_cu_array3d_descriptor, flags, CUDA_ARRAY3D_DESCRIPTOR, Flags);
SAME_SIZE(struct hf_cu_external_memory_mipmapped_array_desc,
	  CUDA_EXTERNAL_MEMORY_MIPMAPPED_ARRAY_DESC);
SAME_AT(struct hf_cu_external_memory_mipmapped_array_desc, array_desc,
	CUDA_EXTERNAL_MEMORY_MIPMAPPED_ARRAY_DESC, arrayDesc);
SAME_AT(struct hf_cu_external_memory_mipmapped_array_desc, num_levels,
	CUDA_EXTERNAL_MEMORY_MIPMAPPED_ARRAY_DESC, numLevels);
SAME_SIZE(struct hf_cu_external_semaphore_handle_desc, CUDA_EXTERNAL_SEMAPHORE_HANDLE_DESC);
SAME_AT(struct hf_cu_external_semaphore_handle_desc, handle.fd, CUDA_EXTERNAL_SEMAPHORE_HANDLE_DESC,
	handle.fd);
SAME_AT(struct hf_cu_external_semaphore_handle_desc, flags, CUDA_EXTERNAL_SEMAPHORE_HANDLE_DESC,
	flags);
SAME_SIZE(struct hf_cu_external_semaphore_signal_params, CUDA_EXTERNAL_SEMAPHORE_SIGNAL_PARAMS);
SAME_AT(struct hf_cu_external_semaphore_signal_params, params.fence.value,
	CUDA_EXTERNAL_SEMAPHORE_SIGNAL_PARAMS, params.fence.value);
SAME_AT(struct hf_cu_external_semaphore_signal_params, flags, CUDA_EXTERNAL_SEMAPHORE_SIGNAL_PARAMS,
	flags);
SAME_SIZE(struct hf_cu_external_semaphore_wait_params, CUDA_EXTERNAL_SEMAPHORE_WAIT_PARAMS);
SAME_AT(struct hf_cu_external_semaphore_wait_params, params.fence.value,
	CUDA_EXTERNAL_SEMAPHORE_WAIT_PARAMS, params.fence.value);
SAME_AT(struct hf_cu_external_semaphore_wait_params, flags, CUDA_EXTERNAL_SEMAPHORE_WAIT_PARAMS,
	flags);
SAME_SIZE(struct hf_cu_resource_desc, CUDA_RESOURCE_DESC);
SAME_AT(struct hf_cu_resource_desc, res.array.h_array, CUDA_RESOURCE_DESC, res.array.hArray);
SAME_AT(struct hf_cu_resource_desc, flags, CUDA_RESOURCE_DESC, flags);
SAME_SIZE(struct hf_cu_memcpy2d, CUDA_MEMCPY2D);
SAME_AT(struct hf_cu_memcpy2d, src_memory_type, CUDA_MEMCPY2D, srcMemoryType);
SAME_AT(struct hf_cu_memcpy2d, src_device, CUDA_MEMCPY2D, srcDevice);
SAME_AT(struct hf_cu_memcpy2d, src_pitch, CUDA_MEMCPY2D, srcPitch);
SAME_AT(struct hf_cu_memcpy2d, dst_memory_type, CUDA_MEMCPY2D, dstMemoryType);
SAME_AT(struct hf_cu_memcpy2d, dst_host, CUDA_MEMCPY2D, dstHost);
SAME_AT(struct hf_cu_memcpy2d, dst_pitch, CUDA_MEMCPY2D, dstPitch);
SAME_AT(struct hf_cu_memcpy2d, width_in_bytes, CUDA_MEMCPY2D, WidthInBytes);
SAME_AT(struct hf_cu_memcpy2d, height, CUDA_MEMCPY2D, Height);
SAME_SIZE(hf_cu_deviceptr, CUdeviceptr);
SAME_SIZE(hf_cu_surf_object, CUsurfObject);
SAME_SIZE(hf_cu_result, CUresult);

#define SAME_VALUE(ours, theirs) _Static_assert((int)(ours) == (int)(theirs), #ours)
SAME_VALUE(HF_CUDA_SUCCESS, CUDA_SUCCESS);
SAME_VALUE(HF_CUDA_ERROR_NOT_READY, CUDA_ERROR_NOT_READY);
SAME_VALUE(HF_CU_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD, CU_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD);
SAME_VALUE(HF_CU_EXTERNAL_SEMAPHORE_HANDLE_TYPE_TIMELINE_SEMAPHORE_FD,
	   CU_EXTERNAL_SEMAPHORE_HANDLE_TYPE_TIMELINE_SEMAPHORE_FD);
SAME_VALUE(HF_CUDA_EXTERNAL_MEMORY_DEDICATED, CUDA_EXTERNAL_MEMORY_DEDICATED);
SAME_VALUE(HF_CUDA_ARRAY3D_SURFACE_LDST, CUDA_ARRAY3D_SURFACE_LDST);
SAME_VALUE(HF_CU_AD_FORMAT_UNSIGNED_INT8, CU_AD_FORMAT_UNSIGNED_INT8);
SAME_VALUE(HF_CU_AD_FORMAT_HALF, CU_AD_FORMAT_HALF);
SAME_VALUE(HF_CU_RESOURCE_TYPE_ARRAY, CU_RESOURCE_TYPE_ARRAY);
SAME_VALUE(HF_CU_MEMORYTYPE_HOST, CU_MEMORYTYPE_HOST);
SAME_VALUE(HF_CU_MEMORYTYPE_DEVICE, CU_MEMORYTYPE_DEVICE);
SAME_VALUE(HF_CU_MEMORYTYPE_ARRAY, CU_MEMORYTYPE_ARRAY);
SAME_VALUE(HF_CU_STREAM_NON_BLOCKING, CU_STREAM_NON_BLOCKING);
SAME_VALUE(HF_CU_EVENT_DISABLE_TIMING, CU_EVENT_DISABLE_TIMING);
SAME_VALUE(HF_CU_MEMHOSTALLOC_DEVICEMAP, CU_MEMHOSTALLOC_DEVICEMAP);

int main(void)
{
	/* The versioned symbols the loader asks for are the ones cuda.h maps the names to. */
	static const struct {
		const char *ours, *theirs;
	} names[] = {
#define NAME_OF(x) #x
#define STR(x)     NAME_OF(x)
		{"cuDeviceGetUuid_v2", STR(cuDeviceGetUuid)},
		{"cuDevicePrimaryCtxRelease_v2", STR(cuDevicePrimaryCtxRelease)},
		{"cuCtxPushCurrent_v2", STR(cuCtxPushCurrent)},
		{"cuCtxPopCurrent_v2", STR(cuCtxPopCurrent)},
		{"cuStreamDestroy_v2", STR(cuStreamDestroy)},
		{"cuEventDestroy_v2", STR(cuEventDestroy)},
		{"cuMemAlloc_v2", STR(cuMemAlloc)},
		{"cuMemAllocPitch_v2", STR(cuMemAllocPitch)},
		{"cuMemFree_v2", STR(cuMemFree)},
		{"cuMemHostGetDevicePointer_v2", STR(cuMemHostGetDevicePointer)},
		{"cuMemHostRegister_v2", STR(cuMemHostRegister)},
		{"cuMemcpyHtoDAsync_v2", STR(cuMemcpyHtoDAsync)},
		{"cuMemcpy2DAsync_v2", STR(cuMemcpy2DAsync)},
		{"cuMemsetD2D32Async", STR(cuMemsetD2D32Async)},
		{"cuLaunchKernel", STR(cuLaunchKernel)},
		{"cuSignalExternalSemaphoresAsync", STR(cuSignalExternalSemaphoresAsync)},
		{"cuWaitExternalSemaphoresAsync", STR(cuWaitExternalSemaphoresAsync)},
	};
	int bad = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].ours, names[i].theirs)) {
			fprintf(stderr, "cuda.h calls %s %s\n", names[i].ours, names[i].theirs);
			bad = 1;
		}
	printf("CUDA %d: the driver API's types, constants and symbol names match cuda.h\n",
	       CUDA_VERSION);
	return bad;
}
