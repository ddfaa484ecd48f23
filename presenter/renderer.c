/* What every renderer shares: the completion of its compositions' reads. */
#include "renderer.h"

void hf_renderer_init(struct hf_renderer *r, const struct hf_renderer_impl *impl)
{
	r->impl = impl;
	r->completed = 0;
	r->gpu_ns = r->submit_ns = r->wait_ns = 0;
	r->failed = NULL;
	r->vk_memory = r->vk_timelines = false;
	wl_signal_init(&r->events.complete);
}

void hf_renderer_complete(struct hf_renderer *r, uint64_t number)
{
	if (number <= r->completed)
		return;
	r->completed = number;
	wl_signal_emit(&r->events.complete, r);
}
