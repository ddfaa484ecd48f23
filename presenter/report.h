/* The presenter's stats JSON. */
#ifndef HF_REPORT_H
#define HF_REPORT_H

#include "repaint.h"

bool hf_presenter_stats_write(struct hf_server *server, const char *path);

#endif
