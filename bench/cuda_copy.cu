/*
 * handoff-bench-cuda-copy: one device-to-device cudaMemcpyAsync of a frame (WxH, 4 bytes a
 * pixel), the CUDA side of the memory-bound baseline scripts/gpu_bench.sh compares the
 * composition with. Built by gpu_bench.sh with nvcc where CUDA is, never by CMake (CI has no
 * CUDA). Prints one JSON line per size: the median of 200 copies each timed alone with events,
 * and the mean of 200 in a row on one stream.
 */
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cuda_runtime.h>
#include <vector>

#define CHECK(x)                                                                               \
	do {                                                                                   \
		cudaError_t e = (x);                                                           \
		if (e != cudaSuccess) {                                                        \
			fprintf(stderr, "handoff-bench-cuda-copy: %s: %s\n", #x,               \
				cudaGetErrorString(e));                                        \
			exit(77);                                                              \
		}                                                                              \
	} while (0)

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		printf("Usage: handoff-bench-cuda-copy WxH...\n\nTimes one device-to-device "
		       "cudaMemcpyAsync of a WxH frame of 4-byte pixels.\n");
		return argc < 2 ? 2 : 0;
	}
	cudaStream_t stream;
	CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
	cudaEvent_t a, b;
	CHECK(cudaEventCreate(&a));
	CHECK(cudaEventCreate(&b));
	for (int i = 1; i < argc; i++) {
		unsigned w, h;
		if (sscanf(argv[i], "%ux%u", &w, &h) != 2 || !w || !h) {
			fprintf(stderr, "handoff-bench-cuda-copy: %s is not WxH\n", argv[i]);
			return 2;
		}
		size_t bytes = (size_t)w * h * 4;
		void *src, *dst;
		CHECK(cudaMalloc(&src, bytes));
		CHECK(cudaMalloc(&dst, bytes));
		CHECK(cudaMemset(src, 0x5a, bytes));
		for (int k = 0; k < 20; k++)
			CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, stream));
		std::vector<float> alone;
		for (int k = 0; k < 200; k++) {
			CHECK(cudaEventRecord(a, stream));
			CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, stream));
			CHECK(cudaEventRecord(b, stream));
			CHECK(cudaEventSynchronize(b));
			float ms;
			CHECK(cudaEventElapsedTime(&ms, a, b));
			alone.push_back(ms * 1000.0f);
		}
		std::sort(alone.begin(), alone.end());
		CHECK(cudaEventRecord(a, stream));
		for (int k = 0; k < 200; k++)
			CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, stream));
		CHECK(cudaEventRecord(b, stream));
		CHECK(cudaEventSynchronize(b));
		float ms;
		CHECK(cudaEventElapsedTime(&ms, a, b));
		double row_us = ms * 1000.0 / 200;
		printf("{\"width\": %u, \"height\": %u, \"cuda_memcpy_us\": %.2f, "
		       "\"cuda_memcpy_in_a_row_us\": %.2f, \"cuda_gb_per_s\": %.1f}\n",
		       w, h, alone[100], row_us, 2.0 * bytes / (row_us * 1e3));
		CHECK(cudaFree(src));
		CHECK(cudaFree(dst));
	}
	return 0;
}
