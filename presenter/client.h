/*
 * What one client holds in the presenter, counted against its limits (handoff-v1.xml states
 * them). Each counted object keeps a reference, so the counts outlive the wl_client.
 */
#ifndef HF_CLIENT_H
#define HF_CLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

/* What one client may hold at once, and what all of them may hold together. The defaults
 * (in client.c) are far above what a real producer uses; handoff-presenter --limit NAME=N
 * changes them. */
struct hf_limits {
	uint32_t timelines, buffers;
	uint64_t bytes_mapped;   /* handoff buffers and wl_shm pools together */
	uint32_t queued_commits; /* per surface */
	uint32_t surfaces;
	uint32_t callbacks; /* wl_surface.frame callbacks not yet done */
	uint32_t feedbacks; /* wp_presentation_feedback not yet answered */
	uint32_t objects;   /* protocol objects of every interface */
	uint32_t pools;     /* wl_shm pools, each a mapping (with the buffers that keep it) */
	/* For all clients together. */
	uint32_t clients;
	uint32_t windows;
	uint32_t total_commits; /* waiting on all surfaces */
	uint32_t total_timelines;
};

extern struct hf_limits hf_limits;

/* What all clients hold together, against the last four limits. */
struct hf_totals {
	uint32_t clients, windows, commits, timelines;
};
extern struct hf_totals hf_totals;

/* Counts every client and every object it makes, wl_shm pools with their mapped bytes, and
 * refuses a client past the clients limit. Once per display, before any client connects. */
bool hf_clients_init(struct wl_display *display);
/* Posts wl_display.error.no_memory on client, naming a limit of all clients together. */
void hf_post_total_limit(struct wl_client *client, uint32_t limit, const char *what);
/* Sets one limit from "NAME=N" (names as in --help); false when it is not one. */
bool hf_limits_parse(struct hf_limits *limits, const char *arg);

struct hf_client {
	int refs;
	struct wl_client *wl; /* NULL once it is gone */
	struct wl_listener destroy;
	struct wl_listener resource_created;
	uint32_t timelines, buffers, surfaces, callbacks, feedbacks, objects, pools;
	uint64_t bytes_mapped;
	/* The request being dispatched, as the protocol logger saw it: a wl_shm.create_pool's
	 * size, or the pool of a wl_shm_pool.create_buffer. */
	int32_t next_pool_size;
	struct pool_mapping *next_buffer_pool;
};

/* The client's counts, made on first use; NULL when out of memory. Not a reference. */
struct hf_client *hf_client_from_wl(struct wl_client *client);
struct hf_client *hf_client_ref(struct hf_client *c);
void hf_client_unref(struct hf_client *c); /* NULL is a no-op */
/* Counts one more object against limit, or posts wl_display.error.no_memory naming it (what)
 * and returns NULL. Returns the counts, referenced: give both back with hf_client_put. */
struct hf_client *hf_client_take(struct wl_client *client, uint32_t *(*count)(struct hf_client *),
				 uint32_t limit, const char *what);
void hf_client_put(struct hf_client *c, uint32_t *(*count)(struct hf_client *));
uint32_t *hf_client_surfaces(struct hf_client *c);
uint32_t *hf_client_callbacks(struct hf_client *c);
uint32_t *hf_client_feedbacks(struct hf_client *c);

#endif
