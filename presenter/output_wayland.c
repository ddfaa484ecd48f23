/* The nested output: a window in a parent compositor. */
#include "output.h"

#include "log.h"

#include <stddef.h>

struct hf_output *hf_output_wayland_create(struct hf_server *server, int32_t width, int32_t height)
{
	hf_error("the nested output is not available yet: use --output headless");
	return NULL;
}
