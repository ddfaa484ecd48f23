/* The CUDA driver API from libcuda.so.1, loaded once (cuda_driver.h). */
#include "cuda_driver.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static struct hf_cuda cuda;
static bool cuda_ok;
static char cuda_error[256];
static pthread_once_t cuda_once = PTHREAD_ONCE_INIT;

static void cuda_load_once(void)
{
	/* Never closed: the driver keeps threads of its own once initialized. */
	void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		snprintf(cuda_error, sizeof(cuda_error), "no CUDA driver: %s", dlerror());
		return;
	}
#define X(field, symbol, ...)                                                                      \
	*(void **)&cuda.field = dlsym(lib, symbol);                                                \
	if (!cuda.field) {                                                                         \
		snprintf(cuda_error, sizeof(cuda_error),                                           \
			 "the CUDA driver is too old: libcuda.so.1 lacks %s", symbol);             \
		return;                                                                            \
	}
	HF_CUDA_FUNCS(X)
#undef X
	hf_cu_result r = cuda.cuInit(0);
	if (r != HF_CUDA_SUCCESS) {
		snprintf(cuda_error, sizeof(cuda_error), "no CUDA device: cuInit: %s",
			 hf_cuda_result_str(&cuda, r));
		return;
	}
	cuda.cuDriverGetVersion(&cuda.driver_version);
	r = cuda.cuDeviceGetCount(&cuda.device_count);
	if (r != HF_CUDA_SUCCESS || cuda.device_count < 1) {
		snprintf(cuda_error, sizeof(cuda_error), "no CUDA device: %s",
			 r != HF_CUDA_SUCCESS ? hf_cuda_result_str(&cuda, r)
					      : "the driver sees none");
		return;
	}
	cuda_ok = true;
}

const struct hf_cuda *hf_cuda_load(char *err, size_t err_size)
{
	pthread_once(&cuda_once, cuda_load_once);
	if (!cuda_ok) {
		snprintf(err, err_size, "%s", cuda_error);
		return NULL;
	}
	return &cuda;
}

const char *hf_cuda_result_str(const struct hf_cuda *cu, hf_cu_result r)
{
	static _Thread_local char buf[160];
	const char *name = NULL, *text = NULL;
	if (cu && cu->cuGetErrorName)
		cu->cuGetErrorName(r, &name);
	if (cu && cu->cuGetErrorString)
		cu->cuGetErrorString(r, &text);
	if (name && text)
		snprintf(buf, sizeof(buf), "%s: %s", name, text);
	else
		snprintf(buf, sizeof(buf), "CUresult %d", r);
	return buf;
}

int hf_cuda_device_by_uuid(const struct hf_cuda *cu, const uint8_t uuid[16])
{
	for (int i = 0; i < cu->device_count; i++) {
		hf_cu_device dev;
		unsigned char id[16];
		if (cu->cuDeviceGet(&dev, i) == HF_CUDA_SUCCESS &&
		    cu->cuDeviceGetUuid(id, dev) == HF_CUDA_SUCCESS && !memcmp(id, uuid, 16))
			return i;
	}
	return -1;
}
