/* Per-client counts: one small object per wl_client, found through its destroy listener. */
#include "client.h"

#include <stdlib.h>

static void client_handle_destroy(struct wl_listener *listener, void *data)
{
	struct hf_client *c = wl_container_of(listener, c, destroy);
	wl_list_remove(&c->destroy.link);
	hf_client_unref(c);
}

struct hf_client *hf_client_from_wl(struct wl_client *client)
{
	struct wl_listener *l = wl_client_get_destroy_listener(client, client_handle_destroy);
	if (l) {
		struct hf_client *c = wl_container_of(l, c, destroy);
		return c;
	}
	struct hf_client *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->refs = 1; /* the wl_client's, dropped when it goes */
	c->destroy.notify = client_handle_destroy;
	wl_client_add_destroy_listener(client, &c->destroy);
	return c;
}

struct hf_client *hf_client_ref(struct hf_client *c)
{
	c->refs++;
	return c;
}

void hf_client_unref(struct hf_client *c)
{
	if (c && --c->refs == 0)
		free(c);
}
