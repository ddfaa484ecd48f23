/* One small logger: a level, a [file:line] prefix, and an _errno variant. */
#ifndef HF_LOG_H
#define HF_LOG_H

#include <errno.h>
#include <stdarg.h>

enum hf_log_level {
	HF_LOG_SILENT = 0,
	HF_LOG_ERROR,
	HF_LOG_INFO,
	HF_LOG_DEBUG,
};

void hf_log_init(enum hf_log_level level, const char *program);
enum hf_log_level hf_log_get_level(void);
void hf_log_print(enum hf_log_level level, const char *file, int line, int errnum, const char *fmt,
		  ...) __attribute__((format(printf, 5, 6)));

#define hf_log(level, ...)       hf_log_print(level, __FILE__, __LINE__, 0, __VA_ARGS__)
#define hf_log_errno(level, ...) hf_log_print(level, __FILE__, __LINE__, errno, __VA_ARGS__)
#define hf_error(...)            hf_log(HF_LOG_ERROR, __VA_ARGS__)
#define hf_info(...)             hf_log(HF_LOG_INFO, __VA_ARGS__)
#define hf_debug(...)            hf_log(HF_LOG_DEBUG, __VA_ARGS__)

#endif
