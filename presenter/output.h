/*
 * The output interface: where composed frames go. The repaint asks for a frame; the output
 * emits events.frame when it is time to draw, the repaint draws into the target from begin()
 * and submits, and the output later emits events.present for that frame, presented or
 * discarded. An output that cannot show anything for now (a parent compositor that hides the
 * window) emits events.skip instead of events.frame, at about its refresh rate, so that clients
 * keep flowing.
 */
#ifndef HF_OUTPUT_H
#define HF_OUTPUT_H

#include "renderer.h"

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

struct hf_output;

struct hf_output_target {
	struct hf_pixels pixels;
	/* How many frames ago this target was last drawn: 1 holds the last frame, 0 unknown. */
	int age;
};

struct hf_output_present_event {
	void *frame; /* as given to submit */
	bool presented;
	int64_t time_ns;
	int64_t refresh_ns; /* 0: unknown */
	uint64_t seq;
	uint32_t flags; /* wp_presentation_feedback.kind */
};

struct hf_output_closed_event {
	int exit_code;
};

/* Input from what shows the output (a parent compositor's seat). Positions are in output
 * pixels; times in milliseconds, as the parent gave them. */
struct hf_output_key_event {
	uint32_t time_ms, key, state; /* key: an evdev code; state: wl_keyboard.key_state */
};

struct hf_output_modifiers_event {
	uint32_t depressed, latched, locked, group;
};

enum hf_output_pointer_kind {
	HF_POINTER_ENTER,
	HF_POINTER_LEAVE,
	HF_POINTER_MOTION,
	HF_POINTER_BUTTON,
	HF_POINTER_AXIS,
	HF_POINTER_AXIS_SOURCE,
	HF_POINTER_AXIS_STOP,
	HF_POINTER_AXIS_DISCRETE,
	HF_POINTER_FRAME,
};

struct hf_output_pointer_event {
	enum hf_output_pointer_kind kind;
	uint32_t time_ms;
	double x, y;            /* enter, motion */
	uint32_t button, state; /* button: an evdev code, wl_pointer.button_state */
	uint32_t axis;          /* axis, axis_stop, axis_discrete: wl_pointer.axis */
	double value;           /* axis */
	int32_t discrete;       /* axis_discrete */
	uint32_t source;        /* axis_source */
};

/* What the output's input offers: capabilities and the keyboard's keymap and repeat. */
struct hf_output_input {
	uint32_t caps;        /* wl_seat.capability: what the parent's seat has */
	const char *keymap;   /* xkb text, NUL-terminated; NULL: none yet */
	int32_t repeat_rate;  /* keys a second; 0: no repeat */
	int32_t repeat_delay; /* ms */
	struct hf_output_modifiers_event modifiers;
	bool keyboard_focus; /* the parent gives the output its keyboard */
};

/* A client image an output can show as a whole frame, read in place by what shows the output
 * (a parent compositor) with no composition: direct frames. */
struct hf_output_image;

struct hf_output_image_desc {
	size_t offset, stride;
	int32_t width, height;
	uint32_t fourcc;
};

struct hf_output_impl {
	const char *name;
	void (*destroy)(struct hf_output *o); /* frames still out are not reported */
	void (*schedule_frame)(struct hf_output *o);
	/* The target for the next frame; false when none is free (a frame event follows). */
	bool (*begin)(struct hf_output *o, struct hf_output_target *target);
	/* damage: what changed since the last submitted frame, in output coordinates.
	 * replaceable: a later frame may take this one's place before it is shown (false when
	 * it shows fifo content, every frame of which must be shown). */
	void (*submit)(struct hf_output *o, const pixman_region32_t *damage, void *frame,
		       bool replaceable);
	/* The pixels of the frame drawn last (begun, or submitted), for snapshots and checks. */
	bool (*read_last)(struct hf_output *o, struct hf_pixels *pixels);
	/* Optional: switch fullscreen on or off (nested outputs). */
	void (*toggle_fullscreen)(struct hf_output *o);

	/* Optional, all three or none: direct frames. image_import makes an image of the memory
	 * behind fd (which stays the caller's); NULL when the output cannot show it. */
	struct hf_output_image *(*image_import)(struct hf_output *o, int fd,
						const struct hf_output_image_desc *desc);
	/* The image may still be read: that reader keeps what it has. */
	void (*image_destroy)(struct hf_output *o, struct hf_output_image *image);
	/* Shows image as the next frame instead of a target from begin(); returns the frame's
	 * number: its reads are complete once images_completed reaches it. */
	uint64_t (*submit_image)(struct hf_output *o, struct hf_output_image *image,
				 const pixman_region32_t *damage, void *frame, bool replaceable);
};

struct hf_output {
	const struct hf_output_impl *impl;
	struct wl_event_loop *loop;
	int32_t width, height;
	int32_t refresh_mhz; /* the rate it shows frames at; 0: unknown */
	const char *description;
	struct hf_output_input input;
	bool needs_pixels; /* targets are shown from CPU memory each frame (a parent's wl_shm) */
	/* Direct frames up to this number are read no more (their images are given back). */
	uint64_t images_completed;
	struct {
		struct wl_signal frame; /* the output */
		struct wl_signal skip;  /* the output */
		/* A frame as given to submit: what shows the output took it (a parent's frame
		 * callback came), before it can say whether it was presented. Optional. */
		struct wl_signal latched;
		struct wl_signal present;         /* struct hf_output_present_event */
		struct wl_signal resize;          /* the output, with its new size */
		struct wl_signal closed;          /* struct hf_output_closed_event */
		struct wl_signal snapshot;        /* the output: the user asked for one */
		struct wl_signal images_complete; /* the output: images_completed rose */
		/* The output: what shows it holds client images and will not give them back on
		 * its own (a parent that stopped showing the window). The repaint draws the current
		 * picture into a target and submits it at once, so that they come back. */
		struct wl_signal reclaim;
		struct wl_signal mode; /* the output: refresh_mhz changed (resize says the size) */
		/* Input: input changed (the output as data): caps, keymap, repeat, focus (when
		 * it goes, every key is up). */
		struct wl_signal input_changed;
		struct wl_signal key;       /* struct hf_output_key_event */
		struct wl_signal modifiers; /* struct hf_output_modifiers_event */
		struct wl_signal pointer;   /* struct hf_output_pointer_event */
	} events;
};

/* For implementations. */
void hf_output_init(struct hf_output *o, const struct hf_output_impl *impl,
		    struct wl_event_loop *loop, int32_t width, int32_t height);

struct hf_output *hf_output_wayland_create(struct wl_event_loop *loop, int32_t width,
					   int32_t height, bool fullscreen);
struct hf_output *hf_output_headless_create(struct wl_event_loop *loop, int32_t width,
					    int32_t height, int refresh_hz);

#endif
