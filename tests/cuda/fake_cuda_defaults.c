/*
 * A fake libcuda.so.1 for the failure tests of machines without CUDA (fake_cuda.c): every
 * driver function that Handoff loads, answering CUDA_ERROR_NOT_SUPPORTED unless fake_cuda.c
 * defines it. Weak, under the driver's own symbol names (the versioned ones).
 */
#include "cuda_driver.h"

#define FAKE_NOT_SUPPORTED 801

#define X(field, symbol, ...)                                                                      \
	__attribute__((weak, visibility("default")))                                               \
	hf_cu_result fake_##field(__VA_ARGS__) __asm__(symbol);                                    \
	hf_cu_result fake_##field(__VA_ARGS__)                                                     \
	{                                                                                          \
		return FAKE_NOT_SUPPORTED;                                                         \
	}
HF_CUDA_FUNCS(X)
#undef X
