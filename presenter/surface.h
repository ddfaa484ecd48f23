/*
 * The core: wl_compositor, wl_surface and wl_region, knowing no extension.
 *
 * A wl_surface.commit becomes an hf_commit that waits in the surface's queue, as a whole
 * (buffer, callbacks, feedback, role state), until nothing holds it: its acquire point, when
 * explicit sync set one, holds it from the moment of the commit, through a wait that calls
 * back. A commit that nothing holds is ready; latching a ready commit makes it `current`, the
 * content the repaint draws:
 * - mailbox commits latch as soon as they are ready, and a ready one replaces every older
 *   mailbox commit still waiting: those are released unread and their feedback discarded;
 * - a fifo commit latches only once the content before it has been drawn: one per frame.
 * Readers (a composition, a frame the parent holds, any later reader) take a lock on the commit
 * they read (hf_commit_lock) and drop it when their reads are complete. The core signals a
 * commit's release point (or sends wl_buffer.release) at its last unlock once a newer commit has
 * replaced it, or at once when it is replaced with no lock on it: the one answer to "who still
 * reads this frame", whatever the readers are and however many outputs there are.
 */
#ifndef HF_SURFACE_H
#define HF_SURFACE_H

#include "addon.h"
#include "renderer.h"
#include "sync.h"

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>

struct hf_buffer;

struct hf_present_info {
	int64_t time_ns;
	int64_t refresh_ns; /* 0: unknown */
	uint64_t seq;
	uint32_t flags; /* wp_presentation_feedback.kind */
};

/* Told once whether a commit's content was shown. Embedded by its owner. */
struct hf_present_callback {
	struct wl_list link; /* in a commit, surface or frame list; self-linked when done */
	/* info is NULL when the content was discarded. The callback is unlinked first. */
	void (*done)(struct hf_present_callback *cb, const struct hf_present_info *info);
};

/* Calls and empties: present callbacks (info NULL: discarded), frame callbacks. */
void hf_present_callbacks_done(struct wl_list *callbacks, const struct hf_present_info *info);
void hf_frame_callbacks_done(struct wl_list *callbacks, int64_t time_ns);

/* Double-buffered state: what the next commit carries. */
struct hf_surface_state {
	bool attached;                         /* attach was called: buffer replaces the content */
	struct hf_buffer *buffer;              /* referenced; NULL with attached: unmap */
	struct hf_sync_point acquire, release; /* explicit sync; both or neither */
	bool fifo;                             /* sticky: every later commit keeps it */
	bool fifo_barrier, fifo_wait;          /* wp_fifo_v1's set_barrier, wait_barrier */
	struct wl_list frame_callbacks;        /* wl_resource link */
	struct wl_list present_callbacks;      /* hf_present_callback::link */
};

struct hf_commit {
	struct wl_list link;        /* hf_surface::queue while queued */
	uint64_t seq;               /* rises with each commit made on its surface, from 1 */
	struct hf_surface *surface; /* NULL once retired (replaced, or its surface gone) */
	int holds;                  /* held back from being ready while above 0 */
	int role_holds;             /* of the holds: a role's (hf_commit_hold) */
	int readers; /* hf_commit_lock: read by someone; released at 0 once retired */
	bool retired;
	struct hf_sync_wait acquire_wait;
	bool attached;
	struct hf_buffer *buffer; /* referenced; NULL: unmap or no new content */
	struct hf_sync_point acquire, release;
	bool fifo;
	/* wp_fifo_v1: latching it sets the surface's barrier; it latches only without one. */
	bool fifo_barrier, fifo_wait;
	struct wl_list frame_callbacks;   /* wl_resource link */
	struct wl_list present_callbacks; /* hf_present_callback::link */
	int64_t commit_ns, ready_ns;      /* ready_ns: 0 until nothing holds it */
	bool drawn;                       /* current, and drawn (or given up) in an output frame */
	bool timed_out;                   /* its acquire point came too late: reported */
};

struct hf_compositor;
struct hf_subsurface;

/* A surface shown above another's whole tree (its subsurfaces included), at x, y of that
 * one's surface coordinates: an xdg_popup (xdg_popup.c), which places it. */
struct hf_popup_link {
	struct hf_surface *surface;
	struct hf_surface *parent; /* NULL: shown nowhere (dismissed, or its parent gone) */
	struct wl_list link;       /* the parent's hf_surface::popups; self-linked without one */
	int32_t x, y;
};

struct hf_surface {
	struct hf_compositor *compositor;
	struct wl_resource *resource;
	struct hf_client *client; /* counts this surface */
	struct wl_list link;      /* hf_compositor::surfaces */
	struct hf_surface_state pending;
	struct wl_list queue; /* hf_commit::link, oldest first: made, not yet latched */
	int n_queued;
	struct hf_commit *current; /* the content shown; NULL: none */
	uint64_t content_serial;   /* rises whenever current changes */
	/* Latched without content of their own: due at the next output frame. */
	struct wl_list frame_callbacks;   /* wl_resource link */
	struct wl_list present_callbacks; /* hf_present_callback::link */
	/* wp_fifo_v1's condition: set when a commit with set_barrier latched, cleared at the
	 * next output frame (which it asks for). */
	bool fifo_barrier;
	const char *role; /* NULL: none yet */
	bool mapped;      /* current has a buffer */
	/* Subsurfaces (subsurface.c): entries bottom to top, as shown and as the parent's next
	 * commit stacks them, the surface's own among them; empty: none. */
	struct wl_list stack, stack_pending; /* hf_subsurface::link, ::pending_link */
	struct hf_subsurface *subsurface;    /* its role as one; NULL: none */
	/* Popups over its tree, bottom (oldest) to top; and its own role as one (NULL: none). */
	struct wl_list popups; /* hf_popup_link::link */
	struct hf_popup_link *popup;
	uint64_t commit_seq;      /* the seq of its newest commit */
	struct hf_window *window; /* shown as this window; NULL: none */
	struct {
		/* Before a commit is queued; a handler may reject it (after posting an error). */
		struct wl_signal client_commit; /* struct hf_surface_commit_event */
		struct wl_signal commit;        /* after it was queued: the surface */
		/* The commit the pending state went into (made, or the last one waiting), before
		 * it may latch: a role may hold it (hf_commit_hold). struct hf_commit. */
		struct wl_signal commit_made;
		/* A commit became current, or was applied without content of its own (the commit,
		 * which may be freed after the emit); a role whose children wait for it lets
		 * them go (subsurface.c). */
		struct wl_signal latch;
		struct wl_signal map, unmap; /* the surface */
		struct wl_signal destroy;    /* the surface */
		/* A commit waited longer than acquire_timeout_ns: data, the commit. The core ends
		 * the client after the emit (a listener may post a more precise error first). */
		struct wl_signal acquire_timeout;
	} events;
};

struct hf_surface_commit_event {
	struct hf_surface *surface;
	bool rejected;
};

/* A toplevel window the output lays out, owned by a shell. */
struct hf_window {
	struct hf_surface *surface;
	struct wl_list link; /* hf_compositor::windows, oldest first, while shown */
	bool shown;
	/* The shell's: tells the client its window has the focus, or not; NULL: no way to. */
	void (*set_activated)(struct hf_window *window, bool activated);
	int index; /* its place in hf_compositor::windows, for the layout */
	/* What the layers above keep per window (where each output drew it, what the checker saw),
	 * while it is shown: dropped when it is hidden. */
	struct hf_addon_set addons;
};

/* A popup grab (xdg_popup.grab): the keyboard goes to surface, and a click outside the chain
 * of popups it tops dismisses it. The shell sets it, the seat reads it. */
struct hf_popup_grab {
	struct hf_surface *surface; /* the topmost grabbing popup */
	void (*dismiss)(struct hf_popup_grab *grab);
};

struct hf_compositor {
	struct wl_display *display;
	struct hf_sync *sync;
	struct hf_renderer *renderer; /* to ask which formats it reads */
	struct wl_list surfaces;      /* hf_surface::link */
	struct wl_list windows;       /* hf_window::link */
	int n_windows;
	int64_t acquire_timeout_ns; /* 0: commits may wait for their acquire point forever */
	struct wl_event_source *timeout_timer;
	uint64_t commits;           /* made with a buffer attached */
	uint64_t commits_discarded; /* of those: never drawn, or never shown */
	/* Where a window's popups may lie, in its root surface's coordinates (main.c: the part
	 * of the primary output the window can reach) were its root's buffer root_width x
	 * root_height (its current one, or the one it is about to have); NULL, or false:
	 * anywhere. */
	bool (*popup_bounds)(void *data, const struct hf_window *window, int32_t root_width,
			     int32_t root_height, struct hf_box *bounds);
	void *popup_bounds_data;
	struct hf_popup_grab *grab; /* NULL: none */
	struct {
		/* A surface has something for the next output frame: content or callbacks. */
		struct wl_signal frame_needed; /* the surface */
		/* A window is about to go: data, the window, still in the list. */
		struct wl_signal window_hiding;
		/* Windows came or went; data: a bool, true when the last one went. */
		struct wl_signal windows_changed;
		/* A surface mapped or unmapped, or a surface tree gained or lost one (a
		 * subsurface or popup linked or unlinked); data: NULL. */
		struct wl_signal trees_changed;
		/* The grab began, moved or ended: data, the surface the keyboard should go to
		 * (the new grab's, or the window the ended one was over; NULL: the seat picks). */
		struct wl_signal grab_changed;
		/* What popup_bounds answers changed other than with the windows (the output was
		 * resized); data: NULL. */
		struct wl_signal popup_bounds_changed;
		/* A client made a buffer of memory it sent: struct hf_new_buffer_event. */
		struct wl_signal new_buffer;
	} events;
};

struct hf_new_buffer_event {
	struct hf_buffer *buffer;
	int fd; /* the memory, valid during the emit */
};

struct hf_compositor *hf_compositor_create(struct wl_display *display, struct hf_sync *sync,
					   struct hf_renderer *renderer);
/* Commits waiting longer than timeout_ns for their acquire point are reported (0: never). */
bool hf_compositor_set_acquire_timeout(struct hf_compositor *compositor, int64_t timeout_ns);
/* After the clients are gone and every reader has dropped its locks. */
void hf_compositor_destroy(struct hf_compositor *compositor);

/* A reader of the commit's buffer starts: the commit is not released before the matching
 * unlock, even once it is replaced. Returns the commit. */
struct hf_commit *hf_commit_lock(struct hf_commit *commit);
/* That reader's reads are complete; the last unlock of a replaced commit releases it. */
void hf_commit_unlock(struct hf_commit *commit);

struct hf_surface *hf_surface_from_resource(struct wl_resource *resource);
/* A role holds a commit back (a synchronized subsurface's, until its parent's commit), and
 * lets it go: it latches once nothing else holds it either. */
void hf_commit_hold(struct hf_commit *commit);
void hf_commit_unhold(struct hf_commit *commit); /* one hold of hf_commit_hold; may latch it */
/* Latches what may be latched now: acquire points already signaled count even if the waiter
 * has not said so yet. */
void hf_surface_update(struct hf_surface *surface);
/* The repaint drew current (or gave it up, drawn = false): its present callbacks move to
 * into, or are discarded; a fifo commit behind it may latch. */
void hf_surface_frame_done(struct hf_surface *surface, struct wl_list *into, bool drawn);
/* Whether the surface has callbacks due at the next output frame, or undrawn content. */
bool hf_surface_wants_frame(const struct hf_surface *surface);

/* False when as many windows as the presenter's limit for all clients are shown already. */
bool hf_window_show(struct hf_compositor *compositor, struct hf_window *window,
		    struct hf_surface *surface);
void hf_window_hide(struct hf_compositor *compositor, struct hf_window *window);

#endif
