#include "log.h"

#include <stdio.h>
#include <string.h>

static enum hf_log_level log_level = HF_LOG_ERROR;
static const char *log_program = "handoff";

void hf_log_init(enum hf_log_level level, const char *program)
{
	log_level = level;
	if (program)
		log_program = program;
}

enum hf_log_level hf_log_get_level(void)
{
	return log_level;
}

void hf_log_print(enum hf_log_level level, const char *file, int line, int errnum, const char *fmt,
		  ...)
{
	if (level > log_level)
		return;
	static const char *const names[] = {"", "error", "info", "debug"};
	const char *base = strrchr(file, '/');
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One fprintf per line so lines from several processes do not interleave. */
	if (errnum)
		fprintf(stderr, "%s: %s: [%s:%d] %s: %s\n", log_program, names[level],
			base ? base + 1 : file, line, msg, strerror(errnum));
	else
		fprintf(stderr, "%s: %s: [%s:%d] %s\n", log_program, names[level],
			base ? base + 1 : file, line, msg);
}
