#include "cli.h"

#include "image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool hf_parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	if (!s[0] || s[0] < '0' || s[0] > '9')
		return false;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || v > max)
		return false;
	*out = v;
	return true;
}

int hf_parse_choice(const char *s, const char *const *choices)
{
	for (int i = 0; choices[i]; i++)
		if (!strcmp(s, choices[i]))
			return i;
	return -1;
}

bool hf_parse_size(const char *s, int *width, int *height)
{
	int w, h;
	char extra;
	if (sscanf(s, "%dx%d%c", &w, &h, &extra) != 2 || w < 1 || h < 1 || w > HF_IMAGE_MAX_DIM ||
	    h > HF_IMAGE_MAX_DIM)
		return false;
	*width = w;
	*height = h;
	return true;
}

int hf_usage_error(const char *program, const char *option, const char *value, const char *expected)
{
	fprintf(stderr, "%s: invalid %s '%s': expected %s\n", program, option, value, expected);
	fprintf(stderr, "Try '%s --help'.\n", program);
	return 2;
}
