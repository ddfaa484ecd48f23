/*
 * The output interface: where composed frames go. The server asks for a frame, the output
 * calls hf_server_output_frame() when it is time to draw, the server draws into the target
 * and submits, and the output later reports the frame presented or discarded.
 */
#ifndef HF_OUTPUT_H
#define HF_OUTPUT_H

#include "renderer.h"

#include <stdbool.h>
#include <stdint.h>

struct hf_server;
struct hf_frame;
struct hf_output;

struct hf_output_impl {
	const char *name;
	void (*destroy)(struct hf_output *o);
	void (*schedule_frame)(struct hf_output *o);
	/* The target for the next frame; false when none is free. */
	bool (*begin)(struct hf_output *o, struct hf_pixels *target);
	void (*submit)(struct hf_output *o, struct hf_frame *frame);
	/* The pixels of the last submitted frame, for snapshots. */
	bool (*read_last)(struct hf_output *o, struct hf_pixels *pixels);
	/* Optional: switch fullscreen on or off (nested outputs). */
	void (*toggle_fullscreen)(struct hf_output *o);
};

struct hf_output {
	const struct hf_output_impl *impl;
	struct hf_server *server;
	int32_t width, height;
};

struct hf_output *hf_output_wayland_create(struct hf_server *server, int32_t width, int32_t height,
					   bool fullscreen);
struct hf_output *hf_output_headless_create(struct hf_server *server, int32_t width, int32_t height,
					    int refresh_hz);

#endif
