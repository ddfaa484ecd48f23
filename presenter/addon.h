/*
 * State that an upper layer hangs off a core object (wlroots' wlr_addon): the core keeps a set
 * per object and knows nothing of what is in it. An addon is found by its owner (the repaint
 * of one output, the direct frames of one output) and its interface; when the object goes, the
 * set's finish calls each addon's destroy, which must unlink it (hf_addon_finish).
 */
#ifndef HF_ADDON_H
#define HF_ADDON_H

#include <wayland-server-core.h>

struct hf_addon;

struct hf_addon_interface {
	const char *name;
	void (*destroy)(struct hf_addon *addon); /* calls hf_addon_finish */
};

struct hf_addon {
	const struct hf_addon_interface *impl;
	const void *owner;
	struct wl_list link; /* hf_addon_set::addons */
};

struct hf_addon_set {
	struct wl_list addons; /* hf_addon::link */
};

void hf_addon_set_init(struct hf_addon_set *set);
/* Destroys every addon left. */
void hf_addon_set_finish(struct hf_addon_set *set);
/* One addon per owner and interface. */
void hf_addon_init(struct hf_addon *addon, struct hf_addon_set *set, const void *owner,
		   const struct hf_addon_interface *impl);
void hf_addon_finish(struct hf_addon *addon);
/* NULL when the owner hung no such addon on the set. */
struct hf_addon *hf_addon_find(struct hf_addon_set *set, const void *owner,
			       const struct hf_addon_interface *impl);

#endif
