/* What the fake libcuda.so.1 (fake_cuda.c) counts in its same-device mode. */
#ifndef FAKE_CUDA_H
#define FAKE_CUDA_H

struct fake_cuda_counts {
	int memory_imported, memory_destroyed;
	int buffers_mapped, buffers_freed; /* cuExternalMemoryGetMappedBuffer, cuMemFree */
	int semaphores_imported, semaphores_destroyed;
};

/* The counts so far; looked up with dlsym() in the libcuda.so.1 the SDK loaded. */
const struct fake_cuda_counts *fake_cuda_counts(void);

#endif
