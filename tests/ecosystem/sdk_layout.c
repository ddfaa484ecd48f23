/* Prints the size of each SDK struct that examples/torch_frames.py declares again in ctypes,
 * and the offset of each field, one "name value" line each, for eco_torch_example_layout. */
#include "handoff-producer-cuda.h"
#include "handoff-producer.h"

#include <stddef.h>
#include <stdio.h>

#define SIZE(s)     printf("%s %zu\n", #s, sizeof(struct s))
#define FIELD(s, f) printf("%s.%s %zu\n", #s, #f, offsetof(struct s, f))

int main(void)
{
	SIZE(hp_window_config);
	FIELD(hp_window_config, width);
	FIELD(hp_window_config, height);
	FIELD(hp_window_config, fourcc);
	FIELD(hp_window_config, buffers);
	FIELD(hp_window_config, sync);
	FIELD(hp_window_config, mode);
	FIELD(hp_window_config, title);
	FIELD(hp_window_config, more_clients);
	FIELD(hp_window_config, n_more_clients);
	FIELD(hp_window_config, hold_limit);
	SIZE(hp_frame);
	FIELD(hp_frame, data);
	FIELD(hp_frame, stride);
	FIELD(hp_frame, number);
	FIELD(hp_frame, window);
	SIZE(hp_cuda_frame);
	FIELD(hp_cuda_frame, index);
	FIELD(hp_cuda_frame, layout);
	FIELD(hp_cuda_frame, device);
	FIELD(hp_cuda_frame, array);
	FIELD(hp_cuda_frame, surface);
	FIELD(hp_cuda_frame, ptr);
	FIELD(hp_cuda_frame, pitch);
	SIZE(hp_feedback);
	FIELD(hp_feedback, frame);
	FIELD(hp_feedback, presented);
	FIELD(hp_feedback, present_ns);
	FIELD(hp_feedback, signal_ns);
	FIELD(hp_feedback, seq);
	FIELD(hp_feedback, presenter);
	return 0;
}
