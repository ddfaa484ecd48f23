/*
 * What one client holds in the presenter, counted against its limits (handoff-v1.xml states
 * them). Each counted object keeps a reference, so the counts outlive the wl_client.
 */
#ifndef HF_CLIENT_H
#define HF_CLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

#define HF_LIMIT_TIMELINES      256
#define HF_LIMIT_BUFFERS        256
#define HF_LIMIT_BYTES_MAPPED   (4ull << 30)
#define HF_LIMIT_QUEUED_COMMITS 64
#define HF_LIMIT_SURFACES       256
#define HF_LIMIT_CALLBACKS      256 /* wl_surface.frame callbacks not yet done */
#define HF_LIMIT_FEEDBACKS      256 /* wp_presentation_feedback not yet answered */

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
