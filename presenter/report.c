/* The presenter's stats JSON. */
#include "report.h"

#include "log.h"
#include "output.h"
#include "surface.h"
#include "time_util.h"

#include <stdio.h>
#include <sys/resource.h>

bool hf_presenter_stats_write(struct hf_repaint *rp, int index, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		hf_log_errno(HF_LOG_ERROR, "cannot write the stats %s", path);
		return false;
	}
	struct hf_presenter_stats *s = &rp->stats;
	const struct hf_check_counts *check = &rp->checker.counts;
	struct hf_percentiles latency = hf_samples_percentiles(&s->latency_ns);
	fprintf(f, "{\n  \"program\": \"handoff-presenter\",\n");
	fprintf(f, "  \"output\": \"%s\",\n  \"renderer\": \"%s\",\n", rp->output->impl->name,
		rp->renderer->impl->name);
	fprintf(f, "  \"output_index\": %d,\n  \"primary_output\": %s,\n", index,
		rp->primary ? "true" : "false");
	fprintf(f, "  \"output_width\": %d,\n  \"output_height\": %d,\n", rp->output->width,
		rp->output->height);
	fprintf(f, "  \"output_frames\": %llu,\n", (unsigned long long)s->output_frames);
	fprintf(f, "  \"output_frames_discarded\": %llu,\n",
		(unsigned long long)s->output_frames_discarded);
	fprintf(f, "  \"output_frames_skipped\": %llu,\n",
		(unsigned long long)s->output_frames_skipped);
	fprintf(f, "  \"output_resizes\": %llu,\n", (unsigned long long)s->output_resizes);
	fprintf(f, "  \"frames_submitted\": %llu,\n", (unsigned long long)rp->compositor->commits);
	fprintf(f, "  \"frames_presented\": %llu,\n", (unsigned long long)s->commits_presented);
	fprintf(f, "  \"frames_discarded\": %llu,\n",
		(unsigned long long)rp->compositor->commits_discarded);
	fprintf(f, "  \"checked\": %llu,\n  \"torn\": %llu,\n  \"stale\": %llu,\n",
		(unsigned long long)check->checked, (unsigned long long)check->torn,
		(unsigned long long)check->stale);
	fprintf(f, "  \"fifo_skipped\": %llu,\n", (unsigned long long)check->skipped);
	fprintf(f, "  \"rechecked_after_parent\": %llu,\n", (unsigned long long)check->rechecked);
	fprintf(f, "  \"direct_frames\": %llu,\n", (unsigned long long)rp->direct.frames);
	fprintf(f, "  \"direct_images\": %llu,\n", (unsigned long long)rp->direct.images_made);
	fprintf(f, "  ");
	hf_percentiles_write_json(f, "latency_ready_to_presented", &latency);
	struct hf_percentiles wait = hf_samples_percentiles(&s->wait_ns);
	struct hf_percentiles repaint = hf_samples_percentiles(&s->repaint_ns);
	fprintf(f, ",\n  ");
	hf_percentiles_write_json(f, "ready_to_repaint", &wait);
	fprintf(f, ",\n  ");
	hf_percentiles_write_json(f, "repaint_to_submit", &repaint);
	struct hf_renderer *r = rp->renderer;
	double frames = s->output_frames ? (double)s->output_frames : 1.0;
	if (r->gpu_ns)
		fprintf(f, ",\n  \"gpu_us_per_output_frame\": %.1f", r->gpu_ns / 1e3 / frames);
	if (r->submit_ns)
		fprintf(f, ",\n  \"submit_us_per_output_frame\": %.1f",
			r->submit_ns / 1e3 / frames);
	if (r->wait_ns)
		fprintf(f, ",\n  \"wait_us_per_output_frame\": %.1f", r->wait_ns / 1e3 / frames);
	struct rusage usage;
	if (getrusage(RUSAGE_SELF, &usage) == 0)
		fprintf(f, ",\n  \"max_rss_kib\": %ld", usage.ru_maxrss);
	fprintf(f, ",\n  \"cpu_us_per_output_frame\": %.1f\n}\n",
		s->output_frames ? (hf_cpu_ns() - s->cpu_start_ns) / 1e3 / (double)s->output_frames
				 : 0.0);
	bool ok = fclose(f) == 0;
	if (!ok)
		hf_log_errno(HF_LOG_ERROR, "cannot write the stats %s", path);
	return ok;
}
