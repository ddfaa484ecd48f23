/* Every global the presenter offers, on one compositor: wl_shm with the formats the renderer
 * reads, and the protocol files'; and the budget that counts what clients make of them. */
#include "protocols.h"

#include "client.h"
#include "format.h"
#include "subsurface.h"
#include "surface.h"

#include <wayland-server-protocol.h>

bool hf_protocols_init(struct hf_compositor *compositor)
{
	struct wl_display *display = compositor->display;
	struct hf_renderer *r = compositor->renderer;
	/* Before wl_shm: its pools are counted too. */
	if (!hf_clients_init(display) || wl_display_init_shm(display) != 0)
		return false;
	/* wl_shm advertises ARGB8888 and XRGB8888 by itself; add what the renderer reads. */
	const struct hf_format *fmt;
	for (int i = 0; (fmt = hf_format_at(i)); i++)
		if (fmt->wl_shm_format != WL_SHM_FORMAT_ARGB8888 &&
		    fmt->wl_shm_format != WL_SHM_FORMAT_XRGB8888 &&
		    r->impl->supports_format(r, fmt->fourcc))
			wl_display_add_shm_format(display, fmt->wl_shm_format);
#ifdef HF_HAVE_FIFO
	if (!hf_fifo_init(compositor))
		return false;
#endif
	return hf_xdg_shell_init(compositor) && hf_presentation_init(compositor) &&
	       hf_handoff_init(compositor) && hf_subcompositor_init(compositor);
}
