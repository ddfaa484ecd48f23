/* Words for a VkResult, for the messages of both programs and the SDK. */
#ifndef HF_VK_RESULT_H
#define HF_VK_RESULT_H

#include <vulkan/vulkan_core.h>

const char *hf_vk_result_str(VkResult result);

#endif
