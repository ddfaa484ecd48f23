/* What every renderer shares: the completion of its passes' reads, and the calls of the
 * interface (renderer.h). */
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

void hf_render_pass_init(struct hf_render_pass *pass, const struct hf_render_pass_impl *impl)
{
	pass->impl = impl;
}

void hf_renderer_destroy(struct hf_renderer *r)
{
	if (r)
		r->impl->destroy(r);
}

struct hf_render_pass *hf_renderer_begin_pass(struct hf_renderer *r, const struct hf_pixels *target,
					      const struct hf_pass_options *options)
{
	static const struct hf_pass_options none = {0};
	return r->impl->begin_pass(r, target, options ? options : &none);
}

void hf_render_pass_add_texture(struct hf_render_pass *pass,
				const struct hf_render_texture_options *options)
{
	pass->impl->add_texture(pass, options);
}

void hf_render_pass_add_rect(struct hf_render_pass *pass,
			     const struct hf_render_rect_options *options)
{
	pass->impl->add_rect(pass, options);
}

uint64_t hf_render_pass_submit(struct hf_render_pass *pass)
{
	return pass->impl->submit(pass);
}
