/*
 * The CUDA renderer's kernels (render_cuda.c launches them by name through the driver API).
 * nvcc compiles them into a fatbin that the program embeds; the C side never includes this.
 */
#include <stdint.h>

/* As struct hp_rect (pattern_rects.h), with the colour already in the image's format. */
struct paint_rect {
	int32_t x, y, width, height;
	uint32_t pixel;
};

#define MAX_SHARED_RECTS 512

__device__ static uint64_t now_ns(void)
{
	uint64_t t;
	asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
	return t;
}

/* The pixel of (x, y): the last rectangle that covers it, painted in order. Rectangles of
 * rows [y0, y1) only; rows outside are left alone. */
__device__ static bool pixel_of(const struct paint_rect *rects, int n, int x, int y,
				uint32_t *pixel)
{
	for (int i = n - 1; i >= 0; i--) {
		const struct paint_rect *r = &rects[i];
		if (x >= r->x && x < r->x + r->width && y >= r->y && y < r->y + r->height) {
			*pixel = r->pixel;
			return true;
		}
	}
	return false;
}

__device__ static int load_rects(const struct paint_rect *rects, int n, struct paint_rect *shared)
{
	int t = threadIdx.y * blockDim.x + threadIdx.x;
	for (int i = t; i < n; i += blockDim.x * blockDim.y)
		shared[i] = rects[i];
	__syncthreads();
	return n;
}

extern "C" __global__ void hp_paint_surface(unsigned long long surface, int width, int y0, int y1,
					    const struct paint_rect *rects, int n)
{
	__shared__ struct paint_rect shared[MAX_SHARED_RECTS];
	load_rects(rects, n, shared);
	int x = blockIdx.x * blockDim.x + threadIdx.x;
	int y = y0 + blockIdx.y * blockDim.y + threadIdx.y;
	uint32_t pixel;
	if (x < width && y < y1 && pixel_of(shared, n, x, y, &pixel))
		surf2Dwrite(pixel, (cudaSurfaceObject_t)surface, x * 4, y);
}

extern "C" __global__ void hp_paint_linear(unsigned long long ptr, unsigned long long pitch,
					   int width, int y0, int y1,
					   const struct paint_rect *rects, int n)
{
	__shared__ struct paint_rect shared[MAX_SHARED_RECTS];
	load_rects(rects, n, shared);
	int x = blockIdx.x * blockDim.x + threadIdx.x;
	int y = y0 + blockIdx.y * blockDim.y + threadIdx.y;
	uint32_t pixel;
	if (x < width && y < y1 && pixel_of(shared, n, x, y, &pixel))
		((uint32_t *)(ptr + (unsigned long long)y * pitch))[x] = pixel;
}

/* The random delay in the middle of a frame's drawing: one thread spins for ns. */
extern "C" __global__ void hp_spin(unsigned long long ns)
{
	uint64_t end = now_ns() + ns;
	while (now_ns() < end)
		;
}

/* When the drawing ended, on the GPU's clock (ns), for the latency figures: written to host
 * memory, with the frame's number after it so that the host knows the slot is this frame's. */
extern "C" __global__ void hp_stamp(unsigned long long *slot, unsigned long long frame)
{
	slot[0] = now_ns();
	__threadfence_system();
	((volatile unsigned long long *)slot)[1] = frame;
}

/* --debug-cuda-fault-at: a kernel that faults, which leaves the context unusable. */
extern "C" __global__ void hp_fault(void)
{
	asm volatile("trap;");
}
