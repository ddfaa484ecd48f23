/* Per-client counts: one small object per wl_client, found through its destroy listener; and
 * the budget every object of every interface counts against, through a resource-created
 * listener, with wl_shm pools' mappings seen in their requests by a protocol logger. */
#include "client.h"

#include "log.h"

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
	.objects = 4096,
	.pools = 256,
	/* 64 clients of 256 pools, 256 buffers and 256 timelines each: 49,152 mappings, under
	 * the kernel's usual vm.max_map_count of 65,530. */
	.clients = 64,
	.windows = 1024,
	.total_commits = 8192,
	.total_timelines = 8192,
};

struct hf_totals hf_totals;

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
		{"objects", offsetof(struct hf_limits, objects), false},
		{"pools", offsetof(struct hf_limits, pools), false},
		{"clients", offsetof(struct hf_limits, clients), false},
		{"windows", offsetof(struct hf_limits, windows), false},
		{"total-commits", offsetof(struct hf_limits, total_commits), false},
		{"total-timelines", offsetof(struct hf_limits, total_timelines), false},
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

/* Request opcodes, in wayland.xml's order (only the client's header names them). */
enum { SHM_CREATE_POOL = 0, SHM_POOL_CREATE_BUFFER = 0, SHM_POOL_RESIZE = 2 };

static void client_handle_destroy(struct wl_listener *listener, void *data);

static void post_limit(struct wl_client *client, const char *fmt, uint64_t limit, const char *what)
{
	/* No protocol defines these limits: the display's no_memory, with the limit named. */
	wl_resource_post_error(wl_client_get_object(client, 1), WL_DISPLAY_ERROR_NO_MEMORY, fmt,
			       (unsigned long long)limit, what);
}

void hf_post_total_limit(struct wl_client *client, uint32_t limit, const char *what)
{
	post_limit(client, "more than %llu %s in the presenter (its limit for all clients)", limit,
		   what);
}

/* The bytes a wl_shm pool maps, counted until the pool and every wl_buffer made from it are
 * gone: libwayland keeps the mapping for the buffers. */
struct pool_mapping {
	int refs;
	struct hf_client *client; /* referenced */
	uint64_t bytes;
};

static void pool_mapping_unref(struct pool_mapping *m)
{
	if (!m || --m->refs > 0)
		return;
	m->client->bytes_mapped -= m->bytes;
	m->client->pools--;
	hf_client_unref(m->client);
	free(m);
}

/* One per resource of the client: the count goes when the resource does. */
struct tracked_resource {
	struct wl_listener destroy;
	struct hf_client *client;  /* referenced: resources outlive the wl_client's listener */
	struct pool_mapping *pool; /* a wl_shm_pool's or a wl_shm buffer's mapping, or NULL */
};

/* Trackers come and go with every frame callback and feedback: kept for reuse, up to a few
 * thousand, instead of a malloc and a free each. */
#define SPARE_TRACKERS 4096
static struct {
	struct tracked_resource *list[SPARE_TRACKERS];
	int n;
} spare;

static struct tracked_resource *tracker_get(void)
{
	if (spare.n > 0) {
		struct tracked_resource *t = spare.list[--spare.n];
		*t = (struct tracked_resource){0};
		return t;
	}
	return calloc(1, sizeof(struct tracked_resource));
}

static void tracker_put(struct tracked_resource *t)
{
	if (spare.n < SPARE_TRACKERS)
		spare.list[spare.n++] = t;
	else
		free(t);
}

static void tracked_handle_destroy(struct wl_listener *listener, void *data)
{
	struct tracked_resource *t = wl_container_of(listener, t, destroy);
	wl_list_remove(&t->destroy.link);
	t->client->objects--;
	pool_mapping_unref(t->pool);
	hf_client_unref(t->client);
	tracker_put(t);
}

/* Counts a new pool's bytes against the client's budget; false after posting the error (the
 * pool is mapped already: it goes with the client, at once). */
static bool pool_count(struct hf_client *c, struct pool_mapping *m, uint64_t bytes)
{
	if (bytes <= m->bytes)
		return true;
	c->bytes_mapped += bytes - m->bytes;
	m->bytes = bytes;
	if (c->bytes_mapped > hf_limits.bytes_mapped) {
		post_limit(c->wl, "more than %llu %s", hf_limits.bytes_mapped,
			   "bytes of buffers and wl_shm pools mapped (the presenter's limit per "
			   "client)");
		return false;
	}
	return true;
}

static void client_handle_resource_created(struct wl_listener *listener, void *data)
{
	struct hf_client *c = wl_container_of(listener, c, resource_created);
	struct wl_resource *resource = data;
	struct tracked_resource *t = tracker_get();
	if (!t) {
		wl_client_post_no_memory(c->wl);
		return;
	}
	t->client = hf_client_ref(c);
	t->destroy.notify = tracked_handle_destroy;
	wl_resource_add_destroy_listener(resource, &t->destroy);
	if (++c->objects > hf_limits.objects) {
		post_limit(c->wl, "more than %llu %s", hf_limits.objects,
			   "protocol objects (the presenter's limit per client)");
		return;
	}
	const char *class = wl_resource_get_class(resource);
	if (!strcmp(class, wl_shm_pool_interface.name)) {
		struct pool_mapping *m = calloc(1, sizeof(*m));
		if (!m) {
			wl_client_post_no_memory(c->wl);
			return;
		}
		m->refs = 1;
		m->client = hf_client_ref(c);
		t->pool = m;
		if (++c->pools > hf_limits.pools) {
			post_limit(c->wl, "more than %llu %s", hf_limits.pools,
				   "wl_shm pools (the presenter's limit per client)");
			return;
		}
		pool_count(c, m, c->next_pool_size > 0 ? (uint64_t)c->next_pool_size : 0);
	} else if (!strcmp(class, wl_buffer_interface.name) && c->next_buffer_pool) {
		t->pool = c->next_buffer_pool;
		t->pool->refs++;
	}
}

static struct pool_mapping *pool_of(struct wl_resource *pool)
{
	struct wl_listener *l = wl_resource_get_destroy_listener(pool, tracked_handle_destroy);
	if (!l)
		return NULL;
	struct tracked_resource *t = wl_container_of(l, t, destroy);
	return t->pool;
}

/* Before each request is dispatched: what the resource-created listener needs to know of the
 * wl_shm requests (libwayland's wl_shm keeps it to itself), and a pool's growth. */
static void clients_log(void *data, enum wl_protocol_logger_type type,
			const struct wl_protocol_logger_message *msg)
{
	if (type != WL_PROTOCOL_LOGGER_REQUEST)
		return;
	struct wl_client *client = wl_resource_get_client(msg->resource);
	struct wl_listener *l = wl_client_get_destroy_listener(client, client_handle_destroy);
	if (!l)
		return;
	struct hf_client *c = wl_container_of(l, c, destroy);
	c->next_pool_size = 0;
	c->next_buffer_pool = NULL;
	const char *class = wl_resource_get_class(msg->resource);
	if (!strcmp(class, wl_shm_interface.name) && msg->message_opcode == SHM_CREATE_POOL &&
	    msg->arguments_count == 3) {
		c->next_pool_size = msg->arguments[2].i;
	} else if (!strcmp(class, wl_shm_pool_interface.name)) {
		struct pool_mapping *m = pool_of(msg->resource);
		if (!m)
			return;
		if (msg->message_opcode == SHM_POOL_CREATE_BUFFER)
			c->next_buffer_pool = m;
		else if (msg->message_opcode == SHM_POOL_RESIZE && msg->arguments_count == 1 &&
			 msg->arguments[0].i > 0)
			pool_count(c, m, (uint64_t)msg->arguments[0].i);
	}
}

static void client_handle_destroy(struct wl_listener *listener, void *data)
{
	struct hf_client *c = wl_container_of(listener, c, destroy);
	wl_list_remove(&c->destroy.link);
	wl_list_remove(&c->resource_created.link);
	c->wl = NULL;
	hf_totals.clients--;
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
	c->wl = client;
	c->destroy.notify = client_handle_destroy;
	wl_client_add_destroy_listener(client, &c->destroy);
	c->resource_created.notify = client_handle_resource_created;
	wl_client_add_resource_created_listener(client, &c->resource_created);
	hf_totals.clients++;
	return c;
}

static struct {
	struct wl_listener client_created;
	struct wl_listener display_destroy;
	struct wl_protocol_logger *logger;
} clients;

static void clients_handle_client_created(struct wl_listener *listener, void *data)
{
	struct wl_client *client = data;
	struct hf_client *c = hf_client_from_wl(client);
	if (c && hf_totals.clients <= hf_limits.clients)
		return;
	/* Refused now, told why: an idle connection must not keep its fd and buffers. This runs
	 * last in wl_client_create, whose caller only tests the result for NULL. */
	if (c)
		hf_post_total_limit(client, hf_limits.clients, "clients");
	else
		wl_client_post_no_memory(client);
	hf_info("a client is refused: %u clients are connected (the limit)", hf_limits.clients);
	wl_client_flush(client);
	wl_client_destroy(client);
}

static void clients_handle_display_destroy(struct wl_listener *listener, void *data)
{
	while (spare.n > 0)
		free(spare.list[--spare.n]);
	wl_list_remove(&clients.client_created.link);
	wl_list_remove(&clients.display_destroy.link);
	wl_protocol_logger_destroy(clients.logger);
	clients.logger = NULL;
}

bool hf_clients_init(struct wl_display *display)
{
	clients.logger = wl_display_add_protocol_logger(display, clients_log, NULL);
	if (!clients.logger)
		return false;
	clients.client_created.notify = clients_handle_client_created;
	wl_display_add_client_created_listener(display, &clients.client_created);
	clients.display_destroy.notify = clients_handle_display_destroy;
	wl_display_add_destroy_listener(display, &clients.display_destroy);
	return true;
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
		post_limit(client, "more than %llu %s (the presenter's limit per client)", limit,
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
