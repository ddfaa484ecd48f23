/* What every output shares. */
#include "output.h"

void hf_output_init(struct hf_output *o, const struct hf_output_impl *impl,
		    struct wl_event_loop *loop, int32_t width, int32_t height)
{
	o->impl = impl;
	o->loop = loop;
	o->width = width;
	o->height = height;
	wl_signal_init(&o->events.frame);
	wl_signal_init(&o->events.skip);
	wl_signal_init(&o->events.latched);
	wl_signal_init(&o->events.present);
	wl_signal_init(&o->events.resize);
	wl_signal_init(&o->events.closed);
	wl_signal_init(&o->events.snapshot);
	wl_signal_init(&o->events.images_complete);
	wl_signal_init(&o->events.reclaim);
	wl_signal_init(&o->events.mode);
	wl_signal_init(&o->events.input_changed);
	wl_signal_init(&o->events.key);
	wl_signal_init(&o->events.modifiers);
	wl_signal_init(&o->events.pointer);
}
