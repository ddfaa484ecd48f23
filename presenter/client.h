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

struct hf_client {
	int refs;
	struct wl_listener destroy;
	uint32_t timelines, buffers;
	uint64_t bytes_mapped;
};

/* The client's counts, made on first use; NULL when out of memory. Not a reference. */
struct hf_client *hf_client_from_wl(struct wl_client *client);
struct hf_client *hf_client_ref(struct hf_client *c);
void hf_client_unref(struct hf_client *c); /* NULL is a no-op */

#endif
