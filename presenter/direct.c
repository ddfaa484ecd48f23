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

/* The output's image of one client buffer. */
struct direct_image {
	struct hf_addon addon; /* on hf_buffer::addons */
	struct wl_list link;   /* hf_direct::images */
	struct hf_direct *direct;
	struct hf_output_image *image;
};

/* A direct frame the output may still read. */
struct direct_hold {
	struct wl_list link;      /* hf_direct::held */
	struct hf_commit *commit; /* locked; NULL with early_release */
	struct hf_buffer *buffer; /* referenced, for the recheck */
	uint64_t number;
	bool recheck;
	uint32_t colour;
};

static void direct_image_destroy(struct hf_addon *addon)
{
	struct direct_image *di = wl_container_of(addon, di, addon);
	struct hf_output *o = di->direct->output;
	o->impl->image_destroy(o, di->image);
	hf_addon_finish(&di->addon);
	wl_list_remove(&di->link);
	free(di);
}

static const struct hf_addon_interface direct_image_impl = {
	.name = "direct image",
	.destroy = direct_image_destroy,
};

static struct direct_image *direct_image_find(struct hf_direct *direct, struct hf_buffer *buffer)
{
	struct hf_addon *addon = hf_addon_find(&buffer->addons, direct, &direct_image_impl);
	struct direct_image *di;
	return addon ? wl_container_of(addon, di, addon) : NULL;
}

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
	struct direct_image *di = calloc(1, sizeof(*di));
	if (!di)
		return; /* composed */
	struct hf_output_image_desc desc = {
		.offset = buffer->offset,
		.stride = buffer->stride,
		.width = buffer->width,
		.height = buffer->height,
		.fourcc = buffer->fourcc,
	};
	di->image = o->impl->image_import(o, event->fd, &desc);
	if (!di->image) {
		free(di);
		/* Not an error: the image is composed. Said for whoever wonders why. */
		hf_debug("a %dx%d image goes unshared with the parent (its format, its fd's mode "
			 "or seals, its size, or the parent buffers made already): it is composed",
			 buffer->width, buffer->height);
		return;
	}
	di->direct = direct;
	hf_addon_init(&di->addon, &buffer->addons, direct, &direct_image_impl);
	wl_list_insert(&direct->images, &di->link);
	direct->images_made++;
}

static void hold_finish(struct hf_direct *direct, struct direct_hold *held, bool check)
{
	struct hf_pixels pixels;
	/* Checked before the unlock lets the client write again. */
	if (check && held->recheck && direct->checker &&
	    hf_buffer_begin_read(held->buffer, &pixels)) {
		direct->checker->counts.rechecked++;
		if (!hf_check_unchanged(&pixels, direct->checker->kind, held->colour))
			direct->checker->counts.torn++;
		hf_buffer_end_read(held->buffer);
	}
	if (held->commit)
		hf_commit_unlock(held->commit);
	hf_buffer_unref(held->buffer);
	wl_list_remove(&held->link);
	free(held);
}

static void direct_handle_images_complete(struct wl_listener *listener, void *data)
{
	struct hf_direct *direct = wl_container_of(listener, direct, images_complete);
	uint64_t completed = direct->output->images_completed;
	struct direct_hold *held, *tmp;
	wl_list_for_each_safe(held, tmp, &direct->held, link) {
		if (held->number > completed)
			break;
		hold_finish(direct, held, true);
	}
}

void hf_direct_init(struct hf_direct *direct, struct hf_compositor *compositor,
		    struct hf_output *output, const struct hf_direct_config *config,
		    struct hf_checker *checker)
{
	*direct = (struct hf_direct){
		.compositor = compositor,
		.output = output,
		.config = *config,
		.checker = checker,
	};
	direct->config.enabled = config->enabled && output->impl->image_import;
	wl_list_init(&direct->images);
	wl_list_init(&direct->held);
	wl_list_init(&direct->new_buffer.link);
	wl_list_init(&direct->images_complete.link);
	if (!direct->config.enabled)
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
	while (!wl_list_empty(&direct->held)) {
		struct direct_hold *held = wl_container_of(direct->held.next, held, link);
		hold_finish(direct, held, false);
	}
	while (!wl_list_empty(&direct->images)) {
		struct direct_image *di = wl_container_of(direct->images.next, di, link);
		direct_image_destroy(&di->addon);
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
	if (!direct->config.enabled || compositor->n_windows != 1)
		return NULL;
	struct hf_window *window = wl_container_of(compositor->windows.next, window, link);
	struct hf_box box;
	if (!hf_layout_box(compositor, o->width, o->height, window, &box))
		return NULL;
	struct hf_buffer *buffer = window->surface->current->buffer;
	/* A subsurface shown over it would be lost. */
	int surfaces = 0;
	hf_surface_tree_for_each(window->surface, count_surface, &surfaces);
	if (surfaces != 1)
		return NULL;
	/* The image is made for one size; the output may have been resized since. */
	if (!direct_image_find(direct, buffer) || box.x != 0 || box.y != 0 ||
	    box.width != o->width || box.height != o->height || buffer->width != o->width ||
	    buffer->height != o->height)
		return NULL;
	return window;
}

uint64_t hf_direct_submit(struct hf_direct *direct, struct hf_window *window,
			  const pixman_region32_t *damage, void *frame, bool replaceable)
{
	struct hf_commit *current = window->surface->current;
	struct direct_image *di = direct_image_find(direct, current->buffer);
	struct direct_hold *held = calloc(1, sizeof(*held));
	if (!di || !held) {
		free(held);
		return 0;
	}
	struct hf_output *o = direct->output;
	uint64_t number = o->impl->submit_image(o, di->image, damage, frame, replaceable);
	if (number == 0) {
		free(held);
		return 0;
	}
	/* Before anything can replace it: the commit's release now waits for the output too
	 * (unless a test asks for the bug of not waiting). */
	held->commit = direct->config.early_release ? NULL : hf_commit_lock(current);
	held->buffer = hf_buffer_ref(current->buffer);
	held->number = number;
	wl_list_insert(direct->held.prev, &held->link);
	direct->frames++;
	return number;
}

void hf_direct_recheck_later(struct hf_direct *direct, uint32_t colour)
{
	if (wl_list_empty(&direct->held))
		return;
	struct direct_hold *held = wl_container_of(direct->held.prev, held, link);
	held->recheck = true;
	held->colour = colour;
}
