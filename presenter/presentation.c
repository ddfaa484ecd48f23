/* wp_presentation: presented and discarded feedback, in CLOCK_MONOTONIC. */
#include "server.h"

#include "presentation-time-server-protocol.h"

#include <stdlib.h>
#include <time.h>

#define PRESENTATION_VERSION 1

static void feedback_handle_resource_destroy(struct wl_resource *resource)
{
	struct hf_feedback *feedback = wl_resource_get_user_data(resource);
	wl_list_remove(&feedback->link);
	free(feedback);
}

void hf_feedback_list_discard(struct wl_list *feedbacks)
{
	struct hf_feedback *feedback, *tmp;
	wl_list_for_each_safe(feedback, tmp, feedbacks, link) {
		wp_presentation_feedback_send_discarded(feedback->resource);
		wl_resource_destroy(feedback->resource);
	}
}

void hf_feedback_list_present(struct wl_list *feedbacks, int64_t time_ns, int64_t refresh_ns,
			      uint64_t seq)
{
	uint64_t sec = (uint64_t)(time_ns / 1000000000LL);
	uint32_t nsec = (uint32_t)(time_ns % 1000000000LL);
	struct hf_feedback *feedback, *tmp;
	wl_list_for_each_safe(feedback, tmp, feedbacks, link) {
		wp_presentation_feedback_send_presented(
			feedback->resource, (uint32_t)(sec >> 32), (uint32_t)sec, nsec,
			(uint32_t)refresh_ns, (uint32_t)(seq >> 32), (uint32_t)seq,
			WP_PRESENTATION_FEEDBACK_KIND_VSYNC |
				WP_PRESENTATION_FEEDBACK_KIND_HW_COMPLETION);
		wl_resource_destroy(feedback->resource);
	}
}

void hf_callback_list_done(struct wl_list *callbacks, int64_t time_ns)
{
	struct wl_resource *cb, *tmp;
	wl_resource_for_each_safe(cb, tmp, callbacks) {
		wl_callback_send_done(cb, (uint32_t)(time_ns / 1000000));
		wl_resource_destroy(cb);
	}
}

static void presentation_destroy(struct wl_client *client, struct wl_resource *resource)
{
	wl_resource_destroy(resource);
}

static void presentation_feedback(struct wl_client *client, struct wl_resource *resource,
				  struct wl_resource *surface_resource, uint32_t id)
{
	struct hf_surface *surface = hf_surface_from_resource(surface_resource);
	struct hf_feedback *feedback = calloc(1, sizeof(*feedback));
	if (!feedback) {
		wl_client_post_no_memory(client);
		return;
	}
	feedback->resource = wl_resource_create(client, &wp_presentation_feedback_interface, 1, id);
	if (!feedback->resource) {
		free(feedback);
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(feedback->resource, NULL, feedback,
				       feedback_handle_resource_destroy);
	wl_list_insert(surface->pending.feedbacks.prev, &feedback->link);
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

bool hf_presentation_init(struct hf_server *server)
{
	return wl_global_create(server->display, &wp_presentation_interface, PRESENTATION_VERSION,
				server, presentation_bind) != NULL;
}
