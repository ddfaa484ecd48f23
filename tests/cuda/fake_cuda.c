/*
 * The fake driver's behaviour, by $HANDOFF_FAKE_CUDA: "no-device" (cuInit fails as on a
 * machine with the driver but no GPU), or "other-device" (one device, whose UUID is no Vulkan
 * device's here). Enough for the SDK to reach its checks; nothing runs.
 */
#include "cuda_driver.h"

#include <stdlib.h>
#include <string.h>

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
