/* wp_presentation: presented and discarded feedback, in CLOCK_MONOTONIC. */
#include "protocols.h"

#include "client.h"
#include "presentation-time-server-protocol.h"
#include "surface.h"

#include <stdlib.h>
#include <time.h>

#define PRESENTATION_VERSION 1

struct hf_feedback {
	struct wl_resource *resource;
	struct hf_present_callback callback;
	struct hf_client *client; /* counts this feedback */
};

static void feedback_done(struct hf_present_callback *cb, const struct hf_present_info *info)
{
	struct hf_feedback *feedback = wl_container_of(cb, feedback, callback);
	if (!info) {
		wp_presentation_feedback_send_discarded(feedback->resource);
	} else {
		uint64_t sec = (uint64_t)(info->time_ns / 1000000000LL);
		uint32_t nsec = (uint32_t)(info->time_ns % 1000000000LL);
		wp_presentation_feedback_send_presented(
			feedback->resource, (uint32_t)(sec >> 32), (uint32_t)sec, nsec,
			(uint32_t)info->refresh_ns, (uint32_t)(info->seq >> 32),
			(uint32_t)info->seq, info->flags);
	}
	wl_resource_destroy(feedback->resource);
}

static void feedback_handle_resource_destroy(struct wl_resource *resource)
{
	struct hf_feedback *feedback = wl_resource_get_user_data(resource);
	wl_list_remove(&feedback->callback.link);
	hf_client_put(feedback->client, hf_client_feedbacks);
	free(feedback);
}

static void presentation_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void presentation_feedback(struct wl_client *client, struct wl_resource *resource,
				  struct wl_resource *surface_resource, uint32_t id)
{
	struct hf_surface *surface = hf_surface_from_resource(surface_resource);
	struct hf_client *owner =
		hf_client_take(client, hf_client_feedbacks, hf_limits.feedbacks, "feedbacks");
	if (!owner)
		return;
	struct hf_feedback *feedback = calloc(1, sizeof(*feedback));
	if (feedback)
		feedback->resource =
			wl_resource_create(client, &wp_presentation_feedback_interface, 1, id);
	if (!feedback || !feedback->resource) {
		free(feedback);
		hf_client_put(owner, hf_client_feedbacks);
		wl_client_post_no_memory(client);
		return;
	}
	feedback->client = owner;
	wl_resource_set_implementation(feedback->resource, NULL, feedback,
				       feedback_handle_resource_destroy);
	feedback->callback.done = feedback_done;
	wl_list_insert(surface->pending.present_callbacks.prev, &feedback->callback.link);
}

static const struct wp_presentation_interface presentation_impl = {
	.destroy = presentation_destroy,
	.feedback = presentation_feedback,
};

static void presentation_bind(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *resource =
		wl_resource_create(client, &wp_presentation_interface, version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &presentation_impl, data, NULL);
	wp_presentation_send_clock_id(resource, CLOCK_MONOTONIC);
}

bool hf_presentation_init(struct hf_compositor *compositor)
{
	return wl_global_create(compositor->display, &wp_presentation_interface,
				PRESENTATION_VERSION, NULL, presentation_bind) != NULL;
}
