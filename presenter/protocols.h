/* The protocol files above the core: each creates its global, and depends on the core only. */
#ifndef HF_PROTOCOLS_H
#define HF_PROTOCOLS_H

#include <stdbool.h>

struct hf_compositor;

/* wl_shm and every global below: what main() and the fuzzer set up. */
bool hf_protocols_init(struct hf_compositor *compositor);    /* protocols.c */
bool hf_handoff_init(struct hf_compositor *compositor);      /* handoff.c */
bool hf_xdg_shell_init(struct hf_compositor *compositor);    /* xdg_shell.c */
bool hf_presentation_init(struct hf_compositor *compositor); /* presentation.c */
bool hf_fifo_init(struct hf_compositor *compositor);         /* fifo.c, with HF_HAVE_FIFO */

#endif
