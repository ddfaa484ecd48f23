/* wl_output for an hf_output: a global each, with surface enter and leave (wl_output.c). */
#ifndef HF_WL_OUTPUT_H
#define HF_WL_OUTPUT_H

#include <stdbool.h>
#include <wayland-server-core.h>

struct hf_compositor;
struct hf_output;
struct hf_wl_output;

/* index names it: HANDOFF-index. */
struct hf_wl_output *hf_wl_output_create(struct hf_compositor *compositor, struct hf_output *output,
					 int index);
void hf_wl_output_destroy(struct hf_wl_output *wo); /* NULL is a no-op; before the output */
/* zxdg_output_manager_v1, for every output's wl_output objects. */
bool hf_xdg_output_manager_init(struct wl_display *display);

#endif
