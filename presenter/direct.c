/* Direct frames (direct.h). */
#include "direct.h"

#include "buffer.h"
#include "format.h"
#include "layout.h"
#include "log.h"
#include "output.h"
#include "subsurface.h"
#include "surface.h"

#include <stdlib.h>

struct direct_recheck {
	struct wl_list link; /* hf_direct::held, oldest first */
	struct hf_buffer *buffer;
	uint64_t number;
	uint32_t colour;
};

/* An image worth making: the output's size, opaque, top row first. The output refuses the
 * rest (formats its reader lacks, too many images). */
static void direct_handle_new_buffer(struct wl_listener *listener, void *data)
{
	struct hf_direct *direct = wl_container_of(listener, direct, new_buffer);
	struct hf_new_buffer_event *event = data;
	struct hf_buffer *buffer = event->buffer;
	struct hf_output *o = direct->output;
	/* Four-byte pixels pixman reads: the checker and snapshots can read them back. */
	const struct hf_format *fmt = hf_format_from_fourcc(buffer->fourcc);
	if (buffer->width != o->width || buffer->height != o->height || buffer->y_invert || !fmt ||
	    fmt->has_alpha || fmt->bpp != 4 || !fmt->pixman_format)
		return;
	struct hf_output_image_desc desc = {
		.offset = buffer->offset,
		.stride = buffer->stride,
		.width = buffer->width,
		.height = buffer->height,
		.fourcc = buffer->fourcc,
	};
	buffer->image = o->impl->image_import(o, event->fd, &desc);
	if (!buffer->image) {
		/* Not an error: the image is composed. Said for whoever wonders why. */
		hf_debug("a %dx%d image goes unshared with the parent (its format, its fd's mode "
			 "or seals, its size, or the parent buffers made already): it is composed",
			 buffer->width, buffer->height);
		return;
	}
	buffer->image_output = o;
	direct->images++;
}

static void direct_handle_images_complete(struct wl_listener *listener, void *data)
{
	struct hf_direct *direct = wl_container_of(listener, direct, images_complete);
	uint64_t completed = direct->output->images_completed;
	/* Checked before the release lets the client write again. */
	struct direct_recheck *held, *tmp;
	wl_list_for_each_safe(held, tmp, &direct->held, link) {
		if (held->number > completed)
			continue;
		struct hf_pixels pixels;
		if (hf_buffer_begin_read(held->buffer, &pixels)) {
			direct->counts->rechecked++;
			if (!hf_check_unchanged(&pixels, direct->check, held->colour))
				direct->counts->torn++;
			hf_buffer_end_read(held->buffer);
		}
		hf_buffer_unref(held->buffer);
		wl_list_remove(&held->link);
		free(held);
	}
	hf_compositor_direct_complete(direct->compositor, completed);
}

void hf_direct_init(struct hf_direct *direct, struct hf_compositor *compositor,
		    struct hf_output *output, bool enabled, enum hf_check_kind check,
		    struct hf_check_counts *counts)
{
	*direct = (struct hf_direct){
		.compositor = compositor,
		.output = output,
		.enabled = enabled && output->impl->image_import,
		.check = check,
		.counts = counts,
	};
	wl_list_init(&direct->held);
	wl_list_init(&direct->new_buffer.link);
	wl_list_init(&direct->images_complete.link);
	if (!direct->enabled)
		return;
	direct->new_buffer.notify = direct_handle_new_buffer;
	wl_signal_add(&compositor->events.new_buffer, &direct->new_buffer);
	direct->images_complete.notify = direct_handle_images_complete;
	wl_signal_add(&output->events.images_complete, &direct->images_complete);
}

void hf_direct_finish(struct hf_direct *direct)
{
	wl_list_remove(&direct->new_buffer.link);
	wl_list_remove(&direct->images_complete.link);
	struct direct_recheck *held, *tmp;
	wl_list_for_each_safe(held, tmp, &direct->held, link) {
		hf_buffer_unref(held->buffer);
		wl_list_remove(&held->link);
		free(held);
	}
}

static void count_surface(struct hf_surface *surface, int32_t x, int32_t y, void *data)
{
	(*(int *)data)++;
}

struct hf_window *hf_direct_candidate(struct hf_direct *direct)
{
	struct hf_compositor *compositor = direct->compositor;
	struct hf_output *o = direct->output;
	if (!direct->enabled || wl_list_length(&compositor->windows) != 1)
		return NULL;
	struct hf_window *window = wl_container_of(compositor->windows.next, window, link);
	struct hf_box box;
	if (!hf_layout_box(compositor, o->width, o->height, window, &box))
		return NULL;
	const struct hf_buffer *buffer = window->surface->current->buffer;
	/* A subsurface shown over it would be lost. */
	int surfaces = 0;
	hf_surface_tree_for_each(window->surface, count_surface, &surfaces);
	if (surfaces != 1)
		return NULL;
	/* The image is made for one size; the output may have been resized since. */
	if (!buffer->image || buffer->image_output != o || box.x != 0 || box.y != 0 ||
	    box.width != o->width || box.height != o->height || buffer->width != o->width ||
	    buffer->height != o->height)
		return NULL;
	return window;
}

void hf_direct_hold_recheck(struct hf_direct *direct, struct hf_buffer *buffer, uint64_t number,
			    uint32_t colour)
{
	struct direct_recheck *held = calloc(1, sizeof(*held));
	if (!held)
		return; /* one check fewer */
	held->buffer = hf_buffer_ref(buffer);
	held->number = number;
	held->colour = colour;
	wl_list_insert(direct->held.prev, &held->link);
}
