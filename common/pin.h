/* Keeps every shared object loaded now in memory until exit. */
#ifndef HF_PIN_H
#define HF_PIN_H

/*
 * For Vulkan programs: the loader unloads a driver when its instance goes, and Mesa's drivers
 * keep global state that then looks leaked to LeakSanitizer, with no symbol to suppress it by;
 * unloading at exit buys nothing. Call once the drivers are loaded (after vkCreateInstance).
 */
void hf_pin_loaded_objects(void);

#endif
