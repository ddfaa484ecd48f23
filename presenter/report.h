/* The presenter's stats JSON. */
#ifndef HF_REPORT_H
#define HF_REPORT_H

#include "repaint.h"

/* The stats of one output's repaint; index: its place in the outputs given, from 0. */
bool hf_presenter_stats_write(struct hf_repaint *rp, int index, const char *path);

#endif
