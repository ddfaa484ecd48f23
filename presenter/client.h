/*
 * What one client holds in the presenter, counted against its limits (handoff-v1.xml states
 * them). Each counted object keeps a reference, so the counts outlive the wl_client.
 */
#ifndef HF_CLIENT_H
#define HF_CLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

/* What one client may hold at once. The defaults (in client.c) are far above what a real
 * producer uses; handoff-presenter --limit NAME=N changes them. */
struct hf_limits {
	uint32_t timelines, buffers;
	uint64_t bytes_mapped;
	uint32_t queued_commits; /* per surface */
	uint32_t surfaces;
	uint32_t callbacks; /* wl_surface.frame callbacks not yet done */
	uint32_t feedbacks; /* wp_presentation_feedback not yet answered */
};

extern struct hf_limits hf_limits;
/* Sets one limit from "NAME=N" (names as in --help); false when it is not one. */
bool hf_limits_parse(struct hf_limits *limits, const char *arg);

struct hf_client {
	int refs;
	struct wl_listener destroy;
	uint32_t timelines, buffers, surfaces, callbacks, feedbacks;
	uint64_t bytes_mapped;
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
