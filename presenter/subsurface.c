/* wl_subcompositor and wl_subsurface: surface trees (subsurface.h). */
#include "subsurface.h"

#include "protocols.h"
#include "surface.h"

#include <stdlib.h>
#include <string.h>
#include <wayland-server-protocol.h>

#define SUBCOMPOSITOR_VERSION 1
#define SUBSURFACE_ROLE       "wl_subsurface"
/* wayland 1.22's wl_subcompositor.error.bad_parent; Debian 12's 1.21 XML lacks it. */
#ifndef WL_SUBCOMPOSITOR_ERROR_BAD_PARENT
#define WL_SUBCOMPOSITOR_ERROR_BAD_PARENT 1
#endif

static const struct wl_subsurface_interface subsurface_impl;

static struct hf_subsurface *subsurface_from_resource(struct wl_resource *resource)
{
	if (!wl_resource_instance_of(resource, &wl_subsurface_interface, &subsurface_impl))
		return NULL;
	return wl_resource_get_user_data(resource);
}

struct hf_surface *hf_subsurface_root(struct hf_surface *surface)
{
	while (surface->subsurface && surface->subsurface->parent)
		surface = surface->subsurface->parent;
	return surface;
}

bool hf_subsurface_visible(struct hf_surface *surface)
{
	for (;;) {
		if (!surface->mapped)
			return false;
		if (!surface->subsurface)
			return true;
		if (!surface->subsurface->parent)
			return false;
		surface = surface->subsurface->parent;
	}
}

static void tree_visit(struct hf_surface *surface, int32_t x, int32_t y, hf_surface_tree_fn fn,
		       void *data)
{
	if (!surface->mapped)
		return;
	if (wl_list_empty(&surface->stack)) {
		fn(surface, x, y, data);
		return;
	}
	struct hf_subsurface *entry;
	wl_list_for_each(entry, &surface->stack, link) {
		if (entry->surface == surface)
			fn(surface, x, y, data);
		else if (entry->surface)
			tree_visit(entry->surface, x + entry->x, y + entry->y, fn, data);
	}
}

void hf_surface_tree_for_each(struct hf_surface *root, hf_surface_tree_fn fn, void *data)
{
	tree_visit(root, 0, 0, fn, data);
}

/* Effectively synchronized: it, or a parent up the tree, is synchronized. */
static bool effectively_sync(const struct hf_subsurface *sub)
{
	for (; sub && sub->parent; sub = sub->parent->subsurface)
		if (sub->synchronized)
			return true;
	return false;
}

static void unhold_queue(struct hf_surface *surface)
{
	/* Unholding may latch and free commits: walk from the head each time. */
	for (;;) {
		struct hf_commit *commit, *found = NULL;
		wl_list_for_each(commit, &surface->queue, link) {
			if (commit->role_holds > 0) {
				found = commit;
				break;
			}
		}
		if (!found)
			return;
		hf_commit_unhold(found);
	}
}

/* The parent's state applies: its stacking and its children's positions, and the cached
 * state of the synchronized ones (all of theirs, below them too). */
static void apply_children(struct hf_surface *parent, bool all)
{
	if (wl_list_empty(&parent->stack))
		return;
	struct hf_subsurface *entry;
	wl_list_for_each(entry, &parent->stack_pending, pending_link) {
		wl_list_remove(&entry->link);
		wl_list_insert(parent->stack.prev, &entry->link);
		entry->x = entry->pending_x;
		entry->y = entry->pending_y;
	}
	wl_list_for_each(entry, &parent->stack, link) {
		if (!entry->surface || entry->surface == parent)
			continue;
		if (all || entry->synchronized) {
			unhold_queue(entry->surface);
			apply_children(entry->surface, true);
		}
	}
	/* The repaint sees the tree's change as the root's new content. */
	parent->content_serial++;
}

static void subsurface_handle_commit_made(struct wl_listener *listener, void *data)
{
	struct hf_subsurface *sub = wl_container_of(listener, sub, surface_commit_made);
	struct hf_commit *commit = data;
	if (effectively_sync(sub)) {
		hf_commit_hold(commit);
		return;
	}
	apply_children(sub->surface, false);
}

/* Every surface that has children: its own commits apply them (a subsurface's go through
 * subsurface_handle_commit_made instead). */
struct parent_entry {
	struct hf_subsurface base; /* surface == parent */
	struct wl_listener commit_made;
};

static void parent_handle_commit_made(struct wl_listener *listener, void *data)
{
	struct parent_entry *pe = wl_container_of(listener, pe, commit_made);
	if (!pe->base.surface->subsurface)
		apply_children(pe->base.surface, false);
}

static void parent_entry_destroy(struct parent_entry *pe)
{
	wl_list_remove(&pe->base.link);
	wl_list_remove(&pe->base.pending_link);
	wl_list_remove(&pe->commit_made.link);
	wl_list_remove(&pe->base.surface_destroy.link);
	free(pe);
}

/* The parent is gone: its subsurfaces are unmapped, their entries unlinked. */
static void parent_handle_destroy(struct wl_listener *listener, void *data)
{
	struct parent_entry *pe = wl_container_of(listener, pe, base.surface_destroy);
	struct hf_surface *parent = pe->base.surface;
	struct hf_subsurface *entry, *tmp;
	wl_list_for_each_safe(entry, tmp, &parent->stack_pending, pending_link) {
		if (entry == &pe->base)
			continue;
		entry->parent = NULL;
		wl_list_remove(&entry->link);
		wl_list_remove(&entry->pending_link);
		wl_list_init(&entry->link);
		wl_list_init(&entry->pending_link);
		if (entry->surface)
			unhold_queue(entry->surface);
	}
	parent_entry_destroy(pe);
	parent->content_serial++;
}

static struct parent_entry *parent_entry_get(struct hf_surface *parent)
{
	struct hf_subsurface *entry;
	wl_list_for_each(entry, &parent->stack_pending, pending_link)
		if (entry->surface == parent)
			return (struct parent_entry *)entry; /* base comes first */
	struct parent_entry *pe = calloc(1, sizeof(*pe));
	if (!pe)
		return NULL;
	pe->base.surface = parent;
	pe->base.parent = parent;
	wl_list_insert(&parent->stack, &pe->base.link);
	wl_list_insert(&parent->stack_pending, &pe->base.pending_link);
	pe->commit_made.notify = parent_handle_commit_made;
	wl_signal_add(&parent->events.commit_made, &pe->commit_made);
	/* The resource's signal, before the surface's own: see seat.c's watch(). */
	pe->base.surface_destroy.notify = parent_handle_destroy;
	wl_resource_add_destroy_listener(parent->resource, &pe->base.surface_destroy);
	return pe;
}

static void subsurface_unlink(struct hf_subsurface *sub)
{
	if (!sub->parent)
		return;
	struct hf_surface *parent = sub->parent;
	wl_list_remove(&sub->link);
	wl_list_remove(&sub->pending_link);
	wl_list_init(&sub->link);
	wl_list_init(&sub->pending_link);
	sub->parent = NULL;
	parent->content_serial++;
}

/* The wl_subsurface or the wl_surface is gone: the role's state goes, the surface unmaps. */
static void subsurface_drop(struct hf_subsurface *sub)
{
	if (!sub->surface)
		return;
	subsurface_unlink(sub);
	unhold_queue(sub->surface);
	wl_list_remove(&sub->surface_commit_made.link);
	wl_list_remove(&sub->surface_destroy.link);
	sub->surface->subsurface = NULL;
	sub->surface = NULL;
}

static void subsurface_handle_surface_destroy(struct wl_listener *listener, void *data)
{
	struct hf_subsurface *sub = wl_container_of(listener, sub, surface_destroy);
	subsurface_drop(sub);
}

static void subsurface_resource_destroy(struct wl_resource *resource)
{
	struct hf_subsurface *sub = wl_resource_get_user_data(resource);
	subsurface_drop(sub);
	free(sub);
}

static void subsurface_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void subsurface_set_position(struct wl_client *client, struct wl_resource *resource,
				    int32_t x, int32_t y)
{
	struct hf_subsurface *sub = subsurface_from_resource(resource);
	if (!sub->surface)
		return;
	sub->pending_x = x;
	sub->pending_y = y;
}

/* The entry sibling names: a sibling subsurface, or the parent's own. */
static struct hf_subsurface *sibling_entry(struct hf_subsurface *sub, struct wl_resource *r)
{
	struct hf_surface *sibling = hf_surface_from_resource(r);
	if (!sub->parent || sibling == sub->surface)
		return NULL;
	struct hf_subsurface *entry;
	wl_list_for_each(entry, &sub->parent->stack_pending, pending_link)
		if (entry->surface == sibling)
			return entry;
	return NULL;
}

static void restack(struct wl_resource *resource, struct wl_resource *sibling, bool above)
{
	struct hf_subsurface *sub = subsurface_from_resource(resource);
	if (!sub->surface || !sub->parent)
		return;
	struct hf_subsurface *entry = sibling_entry(sub, sibling);
	if (!entry) {
		wl_resource_post_error(resource, WL_SUBSURFACE_ERROR_BAD_SURFACE,
				       "wl_surface@%u is neither a sibling nor the parent",
				       wl_resource_get_id(sibling));
		return;
	}
	wl_list_remove(&sub->pending_link);
	wl_list_insert(above ? &entry->pending_link : entry->pending_link.prev, &sub->pending_link);
}

static void subsurface_place_above(struct wl_client *client, struct wl_resource *resource,
				   struct wl_resource *sibling)
{
	restack(resource, sibling, true);
}

static void subsurface_place_below(struct wl_client *client, struct wl_resource *resource,
				   struct wl_resource *sibling)
{
	restack(resource, sibling, false);
}

static void subsurface_set_sync(struct wl_client *client, struct wl_resource *resource)
{
	struct hf_subsurface *sub = subsurface_from_resource(resource);
	sub->synchronized = true;
}

static void subsurface_set_desync(struct wl_client *client, struct wl_resource *resource)
{
	struct hf_subsurface *sub = subsurface_from_resource(resource);
	if (!sub->synchronized)
		return;
	sub->synchronized = false;
	/* Its cached state applies now, unless a parent keeps it synchronized. */
	if (sub->surface && !effectively_sync(sub)) {
		unhold_queue(sub->surface);
		apply_children(sub->surface, false);
	}
}

static const struct wl_subsurface_interface subsurface_impl = {
	.destroy = subsurface_destroy,
	.set_position = subsurface_set_position,
	.place_above = subsurface_place_above,
	.place_below = subsurface_place_below,
	.set_sync = subsurface_set_sync,
	.set_desync = subsurface_set_desync,
};

static bool is_ancestor(struct hf_surface *maybe, struct hf_surface *surface)
{
	for (struct hf_surface *s = surface; s; s = s->subsurface ? s->subsurface->parent : NULL)
		if (s == maybe)
			return true;
	return false;
}

static void subcompositor_get_subsurface(struct wl_client *client, struct wl_resource *resource,
					 uint32_t id, struct wl_resource *surface_resource,
					 struct wl_resource *parent_resource)
{
	struct hf_surface *surface = hf_surface_from_resource(surface_resource);
	struct hf_surface *parent = hf_surface_from_resource(parent_resource);
	if (surface->subsurface || (surface->role && strcmp(surface->role, SUBSURFACE_ROLE) != 0)) {
		wl_resource_post_error(resource, WL_SUBCOMPOSITOR_ERROR_BAD_SURFACE,
				       "wl_surface@%u already has the role %s",
				       wl_resource_get_id(surface_resource),
				       surface->role ? surface->role : SUBSURFACE_ROLE);
		return;
	}
	if (is_ancestor(surface, parent)) {
		wl_resource_post_error(resource, WL_SUBCOMPOSITOR_ERROR_BAD_PARENT,
				       "wl_surface@%u cannot be its own parent or ancestor",
				       wl_resource_get_id(parent_resource));
		return;
	}
	struct hf_subsurface *sub = calloc(1, sizeof(*sub));
	struct parent_entry *pe = sub ? parent_entry_get(parent) : NULL;
	if (sub)
		sub->resource = wl_resource_create(client, &wl_subsurface_interface,
						   wl_resource_get_version(resource), id);
	if (!sub || !pe || !sub->resource) {
		free(sub);
		wl_client_post_no_memory(client);
		return;
	}
	sub->surface = surface;
	sub->parent = parent;
	sub->synchronized = true;
	surface->role = SUBSURFACE_ROLE;
	surface->subsurface = sub;
	/* New ones go on top of the stack, as the parent's next commit shows it. */
	wl_list_insert(parent->stack_pending.prev, &sub->pending_link);
	wl_list_init(&sub->link);
	sub->surface_commit_made.notify = subsurface_handle_commit_made;
	wl_signal_add(&surface->events.commit_made, &sub->surface_commit_made);
	sub->surface_destroy.notify = subsurface_handle_surface_destroy;
	wl_resource_add_destroy_listener(surface_resource, &sub->surface_destroy);
	wl_resource_set_implementation(sub->resource, &subsurface_impl, sub,
				       subsurface_resource_destroy);
}

static void subcompositor_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static const struct wl_subcompositor_interface subcompositor_impl = {
	.destroy = subcompositor_destroy,
	.get_subsurface = subcompositor_get_subsurface,
};

static void subcompositor_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *r =
		wl_resource_create(client, &wl_subcompositor_interface, version, id);
	if (!r) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(r, &subcompositor_impl, data, NULL);
}

bool hf_subcompositor_init(struct hf_compositor *compositor)
{
	return wl_global_create(compositor->display, &wl_subcompositor_interface,
				SUBCOMPOSITOR_VERSION, compositor, subcompositor_bind) != NULL;
}
