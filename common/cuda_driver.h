/*
 * The CUDA driver API, loaded at run time from libcuda.so.1 (the NVIDIA driver's library), so
 * that one binary runs with or without CUDA and builds where no CUDA toolkit is installed.
 * The types below are the driver API's own, laid out as cuda.h lays them out (the ABI that
 * the driver keeps); tests/cuda/test_cuda_abi.c checks them against cuda.h wherever a toolkit
 * is found. Only what Handoff calls is declared.
 */
#ifndef HF_CUDA_DRIVER_H
#define HF_CUDA_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int hf_cu_result; /* CUresult: 0 is CUDA_SUCCESS */
typedef int hf_cu_device;
typedef struct CUctx_st *hf_cu_context;
typedef struct CUstream_st *hf_cu_stream;
typedef struct CUevent_st *hf_cu_event;
typedef struct CUmod_st *hf_cu_module;
typedef struct CUfunc_st *hf_cu_function;
typedef struct CUarray_st *hf_cu_array;
typedef struct CUmipmappedArray_st *hf_cu_mipmapped_array;
typedef struct CUextMemory_st *hf_cu_external_memory;
typedef struct CUextSemaphore_st *hf_cu_external_semaphore;
typedef unsigned long long hf_cu_deviceptr;
typedef unsigned long long hf_cu_surf_object;

enum {
	HF_CUDA_SUCCESS = 0,
	HF_CUDA_ERROR_NOT_READY = 600,
	HF_CU_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD = 1,
	HF_CU_EXTERNAL_SEMAPHORE_HANDLE_TYPE_TIMELINE_SEMAPHORE_FD = 9,
	HF_CUDA_EXTERNAL_MEMORY_DEDICATED = 0x1,
	HF_CUDA_ARRAY3D_SURFACE_LDST = 0x02,
	HF_CU_AD_FORMAT_UNSIGNED_INT8 = 0x01,
	HF_CU_AD_FORMAT_HALF = 0x10,
	HF_CU_RESOURCE_TYPE_ARRAY = 0x00,
	HF_CU_MEMORYTYPE_HOST = 0x01,
	HF_CU_MEMORYTYPE_DEVICE = 0x02,
	HF_CU_MEMORYTYPE_ARRAY = 0x03,
	HF_CU_STREAM_NON_BLOCKING = 0x1,
	HF_CU_EVENT_DISABLE_TIMING = 0x2,
	HF_CU_MEMHOSTALLOC_DEVICEMAP = 0x02,
};

struct hf_cu_external_memory_handle_desc {
	int type;
	union {
		int fd;
		struct {
			void *handle;
			const void *name;
		} win32;
		const void *nv_sci_buf_object;
	} handle;
	unsigned long long size;
	unsigned int flags;
	unsigned int reserved[16];
};

struct hf_cu_external_memory_buffer_desc {
	unsigned long long offset;
	unsigned long long size;
	unsigned int flags;
	unsigned int reserved[16];
};

struct hf_cu_array3d_descriptor {
	size_t width, height, depth;
	int format; /* CUarray_format */
	unsigned int num_channels;
	unsigned int flags;
};

struct hf_cu_external_memory_mipmapped_array_desc {
	unsigned long long offset;
	struct hf_cu_array3d_descriptor array_desc;
	unsigned int num_levels;
	unsigned int reserved[16];
};

struct hf_cu_external_semaphore_handle_desc {
	int type;
	union {
		int fd;
		struct {
			void *handle;
			const void *name;
		} win32;
		const void *nv_sci_sync_obj;
	} handle;
	unsigned int flags;
	unsigned int reserved[16];
};

struct hf_cu_external_semaphore_signal_params {
	struct {
		struct {
			unsigned long long value;
		} fence;
		union {
			void *fence;
			unsigned long long reserved;
		} nv_sci_sync;
		struct {
			unsigned long long key;
		} keyed_mutex;
		unsigned int reserved[12];
	} params;
	unsigned int flags;
	unsigned int reserved[16];
};

struct hf_cu_external_semaphore_wait_params {
	struct {
		struct {
			unsigned long long value;
		} fence;
		union {
			void *fence;
			unsigned long long reserved;
		} nv_sci_sync;
		struct {
			unsigned long long key;
			unsigned int timeout_ms;
		} keyed_mutex;
		unsigned int reserved[10];
	} params;
	unsigned int flags;
	unsigned int reserved[16];
};

struct hf_cu_resource_desc {
	int res_type; /* CUresourcetype */
	union {
		struct {
			hf_cu_array h_array;
		} array;
		struct {
			int reserved[32];
		} reserved;
	} res;
	unsigned int flags;
};

struct hf_cu_memcpy2d {
	size_t src_x_in_bytes, src_y;
	int src_memory_type;
	const void *src_host;
	hf_cu_deviceptr src_device;
	hf_cu_array src_array;
	size_t src_pitch;
	size_t dst_x_in_bytes, dst_y;
	int dst_memory_type;
	void *dst_host;
	hf_cu_deviceptr dst_device;
	hf_cu_array dst_array;
	size_t dst_pitch;
	size_t width_in_bytes, height;
};

/* Each function: its name in libcuda.so.1 (the versioned one that cuda.h maps to), return
 * type CUresult, and its parameters. */
#define HF_CUDA_FUNCS(X)                                                                           \
	X(cuInit, "cuInit", unsigned int flags)                                                    \
	X(cuDriverGetVersion, "cuDriverGetVersion", int *version)                                  \
	X(cuDeviceGetCount, "cuDeviceGetCount", int *count)                                        \
	X(cuDeviceGet, "cuDeviceGet", hf_cu_device *device, int ordinal)                           \
	X(cuDeviceGetName, "cuDeviceGetName", char *name, int len, hf_cu_device dev)               \
	X(cuDeviceGetUuid, "cuDeviceGetUuid_v2", unsigned char uuid[16], hf_cu_device dev)         \
	X(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain", hf_cu_context *ctx,                \
	  hf_cu_device dev)                                                                        \
	X(cuDevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2", hf_cu_device dev)             \
	X(cuCtxPushCurrent, "cuCtxPushCurrent_v2", hf_cu_context ctx)                              \
	X(cuCtxPopCurrent, "cuCtxPopCurrent_v2", hf_cu_context *ctx)                               \
	X(cuCtxSynchronize, "cuCtxSynchronize", void)                                              \
	X(cuGetErrorName, "cuGetErrorName", hf_cu_result error, const char **str)                  \
	X(cuGetErrorString, "cuGetErrorString", hf_cu_result error, const char **str)              \
	X(cuStreamCreate, "cuStreamCreate", hf_cu_stream *stream, unsigned int flags)              \
	X(cuStreamDestroy, "cuStreamDestroy_v2", hf_cu_stream stream)                              \
	X(cuStreamSynchronize, "cuStreamSynchronize", hf_cu_stream stream)                         \
	X(cuStreamQuery, "cuStreamQuery", hf_cu_stream stream)                                     \
	X(cuEventCreate, "cuEventCreate", hf_cu_event *event, unsigned int flags)                  \
	X(cuEventDestroy, "cuEventDestroy_v2", hf_cu_event event)                                  \
	X(cuEventRecord, "cuEventRecord", hf_cu_event event, hf_cu_stream stream)                  \
	X(cuEventQuery, "cuEventQuery", hf_cu_event event)                                         \
	X(cuEventSynchronize, "cuEventSynchronize", hf_cu_event event)                             \
	X(cuMemAlloc, "cuMemAlloc_v2", hf_cu_deviceptr *ptr, size_t size)                          \
	X(cuMemAllocPitch, "cuMemAllocPitch_v2", hf_cu_deviceptr *ptr, size_t *pitch,              \
	  size_t width_bytes, size_t height, unsigned int element_size)                            \
	X(cuMemFree, "cuMemFree_v2", hf_cu_deviceptr ptr)                                          \
	X(cuMemHostAlloc, "cuMemHostAlloc", void **ptr, size_t size, unsigned int flags)           \
	X(cuMemHostGetDevicePointer, "cuMemHostGetDevicePointer_v2", hf_cu_deviceptr *ptr,         \
	  void *host, unsigned int flags)                                                          \
	X(cuMemFreeHost, "cuMemFreeHost", void *ptr)                                               \
	X(cuMemHostRegister, "cuMemHostRegister_v2", void *ptr, size_t size, unsigned int flags)   \
	X(cuMemHostUnregister, "cuMemHostUnregister", void *ptr)                                   \
	X(cuMemcpyHtoDAsync, "cuMemcpyHtoDAsync_v2", hf_cu_deviceptr dst, const void *src,         \
	  size_t size, hf_cu_stream stream)                                                        \
	X(cuMemcpy2DAsync, "cuMemcpy2DAsync_v2", const struct hf_cu_memcpy2d *copy,                \
	  hf_cu_stream stream)                                                                     \
	X(cuMemsetD2D32Async, "cuMemsetD2D32Async", hf_cu_deviceptr dst, size_t pitch,             \
	  unsigned int value, size_t width, size_t height, hf_cu_stream stream)                    \
	X(cuModuleLoadData, "cuModuleLoadData", hf_cu_module *module, const void *image)           \
	X(cuModuleUnload, "cuModuleUnload", hf_cu_module module)                                   \
	X(cuModuleGetFunction, "cuModuleGetFunction", hf_cu_function *function,                    \
	  hf_cu_module module, const char *name)                                                   \
	X(cuLaunchKernel, "cuLaunchKernel", hf_cu_function f, unsigned int grid_x,                 \
	  unsigned int grid_y, unsigned int grid_z, unsigned int block_x, unsigned int block_y,    \
	  unsigned int block_z, unsigned int shared_bytes, hf_cu_stream stream, void **params,     \
	  void **extra)                                                                            \
	X(cuImportExternalMemory, "cuImportExternalMemory", hf_cu_external_memory *mem,            \
	  const struct hf_cu_external_memory_handle_desc *desc)                                    \
	X(cuExternalMemoryGetMappedBuffer, "cuExternalMemoryGetMappedBuffer",                      \
	  hf_cu_deviceptr *ptr, hf_cu_external_memory mem,                                         \
	  const struct hf_cu_external_memory_buffer_desc *desc)                                    \
	X(cuExternalMemoryGetMappedMipmappedArray, "cuExternalMemoryGetMappedMipmappedArray",      \
	  hf_cu_mipmapped_array *array, hf_cu_external_memory mem,                                 \
	  const struct hf_cu_external_memory_mipmapped_array_desc *desc)                           \
	X(cuDestroyExternalMemory, "cuDestroyExternalMemory", hf_cu_external_memory mem)           \
	X(cuMipmappedArrayGetLevel, "cuMipmappedArrayGetLevel", hf_cu_array *level,                \
	  hf_cu_mipmapped_array array, unsigned int index)                                         \
	X(cuMipmappedArrayDestroy, "cuMipmappedArrayDestroy", hf_cu_mipmapped_array array)         \
	X(cuSurfObjectCreate, "cuSurfObjectCreate", hf_cu_surf_object *surf,                       \
	  const struct hf_cu_resource_desc *desc)                                                  \
	X(cuSurfObjectDestroy, "cuSurfObjectDestroy", hf_cu_surf_object surf)                      \
	X(cuImportExternalSemaphore, "cuImportExternalSemaphore", hf_cu_external_semaphore *sem,   \
	  const struct hf_cu_external_semaphore_handle_desc *desc)                                 \
	X(cuSignalExternalSemaphoresAsync, "cuSignalExternalSemaphoresAsync",                      \
	  const hf_cu_external_semaphore *sems,                                                    \
	  const struct hf_cu_external_semaphore_signal_params *params, unsigned int n,             \
	  hf_cu_stream stream)                                                                     \
	X(cuWaitExternalSemaphoresAsync, "cuWaitExternalSemaphoresAsync",                          \
	  const hf_cu_external_semaphore *sems,                                                    \
	  const struct hf_cu_external_semaphore_wait_params *params, unsigned int n,               \
	  hf_cu_stream stream)                                                                     \
	X(cuDestroyExternalSemaphore, "cuDestroyExternalSemaphore", hf_cu_external_semaphore sem)

struct hf_cuda {
#define X(field, symbol, ...) hf_cu_result (*field)(__VA_ARGS__);
	HF_CUDA_FUNCS(X)
#undef X
	int driver_version; /* e.g. 13000 */
	int device_count;
};

/*
 * The driver, loaded and initialized once per process (cuInit); NULL where it cannot be, with
 * the reason in err in one line ("no CUDA driver: libcuda.so.1: cannot open..." or "no CUDA
 * device: ..."). Thread-safe; the table lives until the process ends.
 */
const struct hf_cuda *hf_cuda_load(char *err, size_t err_size);
/* "CUDA_ERROR_X: what it means", for messages. */
const char *hf_cuda_result_str(const struct hf_cuda *cu, hf_cu_result r);
/* The ordinal of the CUDA device with this UUID (VkPhysicalDeviceIDProperties::deviceUUID is
 * CUDA's UUID on NVIDIA), or -1. */
int hf_cuda_device_by_uuid(const struct hf_cuda *cu, const uint8_t uuid[16]);

#endif
