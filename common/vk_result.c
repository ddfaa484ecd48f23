#include "vk_result.h"

const char *hf_vk_result_str(VkResult result)
{
	switch (result) {
	case VK_SUCCESS:
		return "success";
	case VK_TIMEOUT:
		return "timed out";
	case VK_ERROR_OUT_OF_HOST_MEMORY:
		return "out of host memory";
	case VK_ERROR_OUT_OF_DEVICE_MEMORY:
		return "out of device memory";
	case VK_ERROR_INITIALIZATION_FAILED:
		return "initialization failed";
	case VK_ERROR_DEVICE_LOST:
		return "the device was lost";
	case VK_ERROR_EXTENSION_NOT_PRESENT:
		return "extension not present";
	case VK_ERROR_FEATURE_NOT_PRESENT:
		return "feature not present";
	case VK_ERROR_INCOMPATIBLE_DRIVER:
		return "no compatible driver";
	case VK_ERROR_TOO_MANY_OBJECTS:
		return "too many objects";
	case VK_ERROR_FORMAT_NOT_SUPPORTED:
		return "format not supported";
	case VK_ERROR_INVALID_EXTERNAL_HANDLE:
		return "invalid external handle";
	default:
		return "error";
	}
}
