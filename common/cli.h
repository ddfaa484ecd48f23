/* Command-line helpers shared by the presenter and the producer. */
#ifndef HF_CLI_H
#define HF_CLI_H

#include <stdbool.h>
#include <stdint.h>

/* A decimal in 0..max, nothing else in the string. */
bool hf_parse_uint(const char *s, unsigned long long max, unsigned long long *out);
/* The index of s in the NULL-terminated choices, or -1. */
int hf_parse_choice(const char *s, const char *const *choices);
/* "WxH", each side in 1..16384. */
bool hf_parse_size(const char *s, int *width, int *height);
/* Prints "PROGRAM: invalid OPTION 'VALUE': expected EXPECTED" and a pointer to --help;
 * returns 2, the usage-error exit status. */
int hf_usage_error(const char *program, const char *option, const char *value,
		   const char *expected);

#endif
