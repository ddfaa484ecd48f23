/* Upper layers' state on core objects (addon.h). */
#include "addon.h"

#include <assert.h>

void hf_addon_set_init(struct hf_addon_set *set)
{
	wl_list_init(&set->addons);
}

void hf_addon_set_finish(struct hf_addon_set *set)
{
	while (!wl_list_empty(&set->addons)) {
		struct hf_addon *addon = wl_container_of(set->addons.next, addon, link);
		addon->impl->destroy(addon);
		/* A destroy that forgot to unlink would loop forever. */
		assert(set->addons.next != &addon->link);
	}
}

void hf_addon_init(struct hf_addon *addon, struct hf_addon_set *set, const void *owner,
		   const struct hf_addon_interface *impl)
{
	assert(!hf_addon_find(set, owner, impl));
	addon->impl = impl;
	addon->owner = owner;
	wl_list_insert(&set->addons, &addon->link);
}

void hf_addon_finish(struct hf_addon *addon)
{
	wl_list_remove(&addon->link);
	wl_list_init(&addon->link);
}

struct hf_addon *hf_addon_find(struct hf_addon_set *set, const void *owner,
			       const struct hf_addon_interface *impl)
{
	struct hf_addon *addon;
	wl_list_for_each(addon, &set->addons, link)
		if (addon->owner == owner && addon->impl == impl)
			return addon;
	return NULL;
}
