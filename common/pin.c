#define _GNU_SOURCE /* dl_iterate_phdr, RTLD_NODELETE */
#include "pin.h"

#include <dlfcn.h>
#include <link.h>
#include <stddef.h>

static int pin_object(struct dl_phdr_info *info, size_t size, void *data)
{
	if (!info->dlpi_name || !info->dlpi_name[0])
		return 0;
	void *handle = dlopen(info->dlpi_name, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
	if (handle)
		dlclose(handle); /* the object stays: NODELETE sticks */
	return 0;
}

void hf_pin_loaded_objects(void)
{
	dl_iterate_phdr(pin_object, NULL);
}
