/*
 * wl_subcompositor and wl_subsurface (subsurface.c), and the surface trees they make, which
 * the repaint draws and the seat and direct frames look at.
 *
 * A synchronized subsurface's commit is held (hf_commit_hold) until the parent's commit that
 * applies it has latched (waited for its own acquire point, been shown), and then still waits
 * for its own acquire point: the content it replaces stays shown, and its buffer unreleased,
 * until then. Position and stacking apply with the parent's commit. The parent's content may
 * so be shown a frame before the subsurface's when the subsurface's acquire point comes later
 * than the parent's.
 */
#ifndef HF_SUBSURFACE_H
#define HF_SUBSURFACE_H

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

struct hf_compositor;
struct hf_surface;

/* An entry in a parent's stack: a subsurface, or the parent itself (surface == parent). */
struct hf_subsurface {
	struct hf_surface *surface;         /* NULL once the wl_surface is gone: inert */
	struct hf_surface *parent;          /* NULL once the parent is gone */
	struct wl_resource *resource;       /* NULL for a parent's own entry */
	struct wl_list link, pending_link;  /* hf_surface::stack, ::stack_pending */
	int32_t x, y, pending_x, pending_y; /* in the parent's surface coordinates */
	bool synchronized;
	struct wl_list holds; /* struct sync_hold::link (subsurface.c): its commits held */
	struct wl_listener surface_commit_made, surface_destroy;
};

bool hf_subcompositor_init(struct hf_compositor *compositor);

/* The surface at the top of surface's tree: itself when it is neither a subsurface nor a popup
 * (surface.h's hf_popup_link), which the tree includes above its subsurfaces. */
struct hf_surface *hf_subsurface_root(struct hf_surface *surface);
/* Whether surface and every parent up to the root are mapped (and linked). */
bool hf_subsurface_visible(struct hf_surface *surface);

/* Calls fn for each visible surface of root's tree, root included, bottom to top, with its
 * offset from root in root's surface coordinates. */
typedef void (*hf_surface_tree_fn)(struct hf_surface *surface, int32_t x, int32_t y, void *data);
void hf_surface_tree_for_each(struct hf_surface *root, hf_surface_tree_fn fn, void *data);

#endif
