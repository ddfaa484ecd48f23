/*
 * The README's example, made whole: built against the installed SDK with pkg-config by
 * tests/e2e/sdk_install.sh. Shows `frames` solid frames, then waits until the last is shown.
 */
#include <handoff-producer.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct state {
	uint64_t last_feedback;
};

static void on_feedback(void *data, const struct hp_feedback *fb)
{
	struct state *s = data;
	s->last_feedback = fb->frame;
}

static void draw(void *data, int32_t stride, int32_t width, int32_t height, uint64_t n)
{
	uint32_t colour = 0xff000000u | (((uint32_t)n * 2654435761u) >> 8);
	for (int32_t y = 0; y < height; y++) {
		uint32_t *row = (uint32_t *)((char *)data + (size_t)y * (size_t)stride);
		for (int32_t x = 0; x < width; x++)
			row[x] = colour;
	}
}

int main(int argc, char **argv)
{
	uint64_t frames = argc > 1 ? strtoull(argv[1], NULL, 10) : 10;
	struct state s = {0};
	char err[256];
	struct hp_client *c = hp_client_connect(NULL, err, sizeof(err));
	if (!c) {
		fprintf(stderr, "sdk-example: %s\n", err);
		return 1;
	}
	struct hp_window_config cfg = hp_window_config_default(160, 120);
	struct hp_window *w = hp_window_create(c, &cfg, err, sizeof(err));
	if (!w) {
		fprintf(stderr, "sdk-example: %s\n", err);
		return 1;
	}
	hp_window_set_feedback(w, on_feedback, &s);
	for (uint64_t i = 0; i < frames; i++) {
		struct hp_frame *f = hp_frame_begin(w, -1);
		if (!f || !hp_frame_submit(w, f)) {
			fprintf(stderr, "sdk-example: %s\n", hp_client_error(c));
			return 1;
		}
		draw(f->data, f->stride, f->width, f->height, f->number);
		hp_frame_signal(f);
	}
	while (s.last_feedback < frames)
		if (!hp_client_dispatch(c, 1000)) {
			fprintf(stderr, "sdk-example: %s\n", hp_client_error(c));
			return 1;
		}
	hp_window_destroy(w);
	hp_client_destroy(c);
	return 0;
}
