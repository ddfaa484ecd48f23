/* Per-client counts: one small object per wl_client, found through its destroy listener. */
#include "client.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <wayland-server-protocol.h>

struct hf_limits hf_limits = {
	.timelines = 256,
	.buffers = 256,
	.bytes_mapped = 4ull << 30,
	.queued_commits = 64,
	.surfaces = 256,
	.callbacks = 256,
	.feedbacks = 256,
};

bool hf_limits_parse(struct hf_limits *limits, const char *arg)
{
	static const struct {
		const char *name;
		size_t offset;
		bool mib; /* bytes_mapped is given in MiB */
	} names[] = {
		{"timelines", offsetof(struct hf_limits, timelines), false},
		{"buffers", offsetof(struct hf_limits, buffers), false},
		{"mapped-mib", offsetof(struct hf_limits, bytes_mapped), true},
		{"queued-commits", offsetof(struct hf_limits, queued_commits), false},
		{"surfaces", offsetof(struct hf_limits, surfaces), false},
		{"callbacks", offsetof(struct hf_limits, callbacks), false},
		{"feedbacks", offsetof(struct hf_limits, feedbacks), false},
	};
	const char *eq = strchr(arg, '=');
	if (!eq || !eq[1])
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(eq + 1, &end, 10);
	if (errno || *end || v == 0 || eq[1] == '-')
		return false;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i].name) != (size_t)(eq - arg) ||
		    strncmp(arg, names[i].name, (size_t)(eq - arg)) != 0)
			continue;
		char *field = (char *)limits + names[i].offset;
		if (names[i].mib) {
			if (v > (1ull << 44))
				return false;
			*(uint64_t *)field = v << 20;
		} else {
			if (v > 1000000)
				return false;
			*(uint32_t *)field = (uint32_t)v;
		}
		return true;
	}
	return false;
}

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

uint32_t *hf_client_surfaces(struct hf_client *c)
{
	return &c->surfaces;
}

uint32_t *hf_client_callbacks(struct hf_client *c)
{
	return &c->callbacks;
}

uint32_t *hf_client_feedbacks(struct hf_client *c)
{
	return &c->feedbacks;
}

struct hf_client *hf_client_take(struct wl_client *client, uint32_t *(*count)(struct hf_client *),
				 uint32_t limit, const char *what)
{
	struct hf_client *c = hf_client_from_wl(client);
	if (!c) {
		wl_client_post_no_memory(client);
		return NULL;
	}
	if (*count(c) >= limit) {
		/* No protocol defines these limits: the display's no_memory, with the limit named.
		 */
		wl_resource_post_error(wl_client_get_object(client, 1), WL_DISPLAY_ERROR_NO_MEMORY,
				       "more than %u %s (the presenter's limit per client)", limit,
				       what);
		return NULL;
	}
	(*count(c))++;
	return hf_client_ref(c);
}

void hf_client_put(struct hf_client *c, uint32_t *(*count)(struct hf_client *))
{
	if (!c)
		return;
	(*count(c))--;
	hf_client_unref(c);
}
