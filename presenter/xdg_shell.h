/*
 * What xdg_shell.c (xdg_wm_base, xdg_surface, xdg_toplevel) and xdg_popup.c (xdg_popup and
 * xdg_positioner) share: the xdg_surface. xdg_shell.c calls down into xdg_popup.c, never the
 * other way.
 */
#ifndef HF_XDG_SHELL_H
#define HF_XDG_SHELL_H

#include "renderer.h"
#include "surface.h"

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

struct hf_xdg_popup;

/* The configures an ack_configure may name: the last ones sent. A client that far behind acks
 * one it has long been overtaken on. */
#define HF_XDG_SENT_SERIALS 32

/* An xdg_surface and, once made, its role object: a toplevel (one window of the layout) or a
 * popup. */
struct hf_xdg_surface {
	struct hf_compositor *compositor;
	struct hf_surface *surface; /* NULL once the wl_surface is gone: inert */
	struct wl_resource *xdg_surface;
	struct wl_resource *wm_base;  /* it was made from: where xdg_wm_base errors go */
	struct wl_resource *resource; /* the xdg_toplevel; NULL before get_toplevel */
	struct hf_xdg_popup *popup;   /* NULL: no popup role */
	struct hf_window window;
	/* set_window_geometry: where the window lies in its surface; zero-sized: all of it. */
	struct hf_box geometry;
	bool configured; /* the initial configure went (a toplevel's; popups keep their own) */
	/* The serials of the last configures sent: a ring, next_sent its next slot. */
	uint32_t sent_serials[HF_XDG_SENT_SERIALS];
	unsigned n_sent, next_sent;
	bool acked;              /* a configure was acked: buffers may be attached */
	uint32_t acked_serial;   /* the last configure acked */
	bool applied;            /* a commit came after an ack */
	uint32_t applied_serial; /* acked before the last commit: the configure it answers */
	bool fullscreen, maximized, activated; /* the states its configures carry */
	char *title;
	struct wl_listener surface_client_commit;
	struct wl_listener surface_commit;
	struct wl_listener surface_map;
	struct wl_listener surface_unmap;
	struct wl_listener surface_destroy;
};

/* Sends xdg_surface.configure with a new serial, and keeps the serial for the ack. */
uint32_t hf_xdg_surface_send_configure(struct hf_xdg_surface *xs);
/* Whether serial names a configure sent to xs that no commit has applied yet: the client is
 * still to answer it (xdg_positioner.set_parent_configure). */
bool hf_xdg_surface_configure_pending(const struct hf_xdg_surface *xs, uint32_t serial);

/* xdg_wm_base.create_positioner. */
void hf_xdg_positioner_create(struct wl_client *client, struct wl_resource *wm_base, uint32_t id);
/* xdg_surface.get_popup on xs (NULL: an inert xdg_surface); parent is NULL when the request
 * named none, parent_resource the xdg_surface it named. */
void hf_xdg_popup_create(struct wl_client *client, struct wl_resource *xdg_surface,
			 struct hf_xdg_surface *xs, uint32_t id, struct hf_xdg_surface *parent,
			 struct wl_resource *positioner);
/* The popup's wl_surface committed: the initial commit is answered with a configure, the
 * first one after an ack applies the configured place. */
void hf_xdg_popup_commit(struct hf_xdg_popup *popup);
void hf_xdg_popup_ack_configure(struct hf_xdg_popup *popup, uint32_t serial);
/* The popup's xdg_surface, or its wl_surface, goes: the popup is dismissed and inert. */
void hf_xdg_popup_forget(struct hf_xdg_popup *popup);
/* xs (a toplevel or a popup) goes, or loses its wl_surface: its popups are dismissed. */
void hf_xdg_popups_dismiss_children(struct hf_surface *parent);

#endif
