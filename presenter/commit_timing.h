/* wp_commit_timing_v1 for the surfaces an output shows (commit_timing.c). */
#ifndef HF_COMMIT_TIMING_H
#define HF_COMMIT_TIMING_H

struct hf_compositor;
struct hf_output;
struct hf_commit_timing;

/* The output's refresh places each target time (output.h's refresh_mhz). */
struct hf_commit_timing *hf_commit_timing_create(struct hf_compositor *compositor,
						 struct hf_output *output);
void hf_commit_timing_destroy(struct hf_commit_timing *ct); /* NULL: no-op; after clients */

#endif
