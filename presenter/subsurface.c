/* wl_subcompositor and wl_subsurface: surface trees (subsurface.h). */
#include "subsurface.h"

#include "log.h"
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

/* The surface a subsurface or a popup is shown on; NULL: none (a root, or one unlinked). */
static struct hf_surface *tree_parent(const struct hf_surface *surface)
{
	if (surface->subsurface)
		return surface->subsurface->parent;
	if (surface->popup)
		return surface->popup->parent;
	return NULL;
}

static bool has_tree_role(const struct hf_surface *surface)
{
	return surface->subsurface || surface->popup;
}

struct hf_surface *hf_subsurface_root(struct hf_surface *surface)
{
	struct hf_surface *parent;
	while ((parent = tree_parent(surface)))
		surface = parent;
	return surface;
}

bool hf_subsurface_visible(struct hf_surface *surface)
{
	for (;;) {
		if (!surface->mapped)
			return false;
		if (!has_tree_role(surface))
			return true;
		if (!(surface = tree_parent(surface)))
			return false;
	}
}

static void tree_visit(struct hf_surface *surface, int32_t x, int32_t y, hf_surface_tree_fn fn,
		       void *data)
{
	if (!surface->mapped)
		return;
	if (wl_list_empty(&surface->stack)) {
		fn(surface, x, y, data);
	} else {
		struct hf_subsurface *entry;
		wl_list_for_each(entry, &surface->stack, link) {
			if (entry->surface == surface)
				fn(surface, x, y, data);
			else if (entry->surface)
				tree_visit(entry->surface, x + entry->x, y + entry->y, fn, data);
		}
	}
	/* Popups over all of it, each with its own tree and popups. */
	struct hf_popup_link *popup;
	wl_list_for_each(popup, &surface->popups, link)
		tree_visit(popup->surface, x + popup->x, y + popup->y, fn, data);
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

/* A synchronized subsurface's commit, held (hf_commit_hold) until the parent's commit that
 * applies it is latched: until then the content it replaces stays shown, and its buffer is
 * not released. */
struct sync_hold {
	struct wl_list link;      /* hf_subsurface::holds, oldest first */
	struct hf_commit *commit; /* held: it cannot latch, so it cannot go, before the unhold */
	uint64_t parent_seq;      /* the parent's commit that applies it; 0: none yet */
};

/* Lets go of the oldest of sub's holds that the parent's commit parent_seq applies (every one
 * with all). Unholding may latch and free commits, and reach the children's holds: one at a
 * time from the head. */
static void release_holds(struct hf_subsurface *sub, uint64_t parent_seq, bool all)
{
	while (!wl_list_empty(&sub->holds)) {
		struct sync_hold *h = wl_container_of(sub->holds.next, h, link);
		if (!all && (h->parent_seq == 0 || h->parent_seq > parent_seq))
			return;
		struct hf_commit *commit = h->commit;
		wl_list_remove(&h->link);
		free(h);
		hf_commit_unhold(commit);
	}
}

/* The parent's stacking and its children's positions, as its last commit left them. */
static void apply_stacking(struct hf_surface *parent)
{
	if (wl_list_empty(&parent->stack))
		return;
	bool added = false;
	struct hf_subsurface *entry;
	wl_list_for_each(entry, &parent->stack_pending, pending_link) {
		added |= wl_list_empty(&entry->link); /* new since the last apply */
		wl_list_remove(&entry->link);
		wl_list_insert(parent->stack.prev, &entry->link);
		entry->x = entry->pending_x;
		entry->y = entry->pending_y;
	}
	/* The repaint sees the tree's change as the root's new content. */
	parent->content_serial++;
	if (added)
		wl_signal_emit(&parent->compositor->events.trees_changed, NULL);
}

static void subsurface_handle_commit_made(struct wl_listener *listener, void *data)
{
	struct hf_subsurface *sub = wl_container_of(listener, sub, surface_commit_made);
	struct hf_commit *commit = data;
	if (!effectively_sync(sub))
		return;
	/* A commit without content merges into the last one waiting: held once. */
	struct sync_hold *h;
	wl_list_for_each(h, &sub->holds, link)
		if (h->commit == commit)
			return;
	h = calloc(1, sizeof(*h));
	if (!h) {
		/* Not held: shown at once, as a desynchronized one would be. */
		hf_log(HF_LOG_ERROR, "out of memory: a synchronized commit is not held");
		return;
	}
	h->commit = commit;
	hf_commit_hold(commit);
	wl_list_insert(sub->holds.prev, &h->link);
}

/* Every surface that has children: its commits tie their waiting commits to it, and apply
 * their stacking (a synchronized one's, when its own commit latches). */
struct parent_entry {
	struct hf_subsurface base; /* surface == parent */
	struct wl_listener commit_made, latch;
};

static bool parent_is_held(struct hf_surface *parent)
{
	return parent->subsurface && effectively_sync(parent->subsurface);
}

static void parent_handle_commit_made(struct wl_listener *listener, void *data)
{
	struct parent_entry *pe = wl_container_of(listener, pe, commit_made);
	struct hf_surface *parent = pe->base.surface;
	struct hf_commit *commit = data;
	struct hf_subsurface *entry;
	wl_list_for_each(entry, &parent->stack_pending, pending_link) {
		if (entry == &pe->base)
			continue;
		struct sync_hold *h;
		wl_list_for_each(h, &entry->holds, link)
			if (h->parent_seq == 0)
				h->parent_seq = commit->seq;
	}
	if (!parent_is_held(parent))
		apply_stacking(parent);
}

/* Released: the children's commits the latched one applies (all of a desynchronized child's
 * that waited only for an ancestor). */
static void release_children(struct hf_surface *parent, struct parent_entry *pe, uint64_t seq)
{
	/* Releasing latches children, whose own handlers touch only their own lists: the
	 * parent's stack stays as it is during the walk. */
	struct hf_subsurface *entry, *tmp;
	wl_list_for_each_safe(entry, tmp, &parent->stack_pending, pending_link)
		if (entry != &pe->base)
			release_holds(entry, seq, !entry->synchronized);
}

static void parent_handle_latch(struct wl_listener *listener, void *data)
{
	struct parent_entry *pe = wl_container_of(listener, pe, latch);
	struct hf_surface *parent = pe->base.surface;
	struct hf_commit *commit = data;
	if (parent_is_held(parent))
		apply_stacking(parent);
	release_children(parent, pe, commit->seq);
}

static void parent_entry_destroy(struct parent_entry *pe)
{
	wl_list_remove(&pe->base.link);
	wl_list_remove(&pe->base.pending_link);
	wl_list_remove(&pe->commit_made.link);
	wl_list_remove(&pe->latch.link);
	wl_list_remove(&pe->base.surface_destroy.link);
	free(pe);
}

/* The parent is gone: its subsurfaces are unmapped, their entries unlinked, their commits let
 * go. */
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
		release_holds(entry, 0, true);
	}
	parent_entry_destroy(pe);
	parent->content_serial++;
	wl_signal_emit(&parent->compositor->events.trees_changed, NULL);
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
	wl_list_init(&pe->base.holds);
	wl_list_insert(&parent->stack, &pe->base.link);
	wl_list_insert(&parent->stack_pending, &pe->base.pending_link);
	pe->commit_made.notify = parent_handle_commit_made;
	wl_signal_add(&parent->events.commit_made, &pe->commit_made);
	pe->latch.notify = parent_handle_latch;
	wl_signal_add(&parent->events.latch, &pe->latch);
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
	wl_signal_emit(&parent->compositor->events.trees_changed, NULL);
}

/* The wl_subsurface or the wl_surface is gone: the role's state goes, the surface unmaps. */
static void subsurface_drop(struct hf_subsurface *sub)
{
	if (!sub->surface)
		return;
	subsurface_unlink(sub);
	release_holds(sub, 0, true);
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
		release_holds(sub, 0, true);
		apply_stacking(sub->surface);
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
	wl_list_init(&sub->holds);
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
