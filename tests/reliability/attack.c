/*
 * handoff-attack NAME [HOLD_SECONDS]: one hostile client, as an attacker would write it, against
 * the presenter on $WAYLAND_DISPLAY. Flooding attacks first go up to just under the
 * presenter's limit and hold there for HOLD_SECONDS (so that the other clients' frame rate is
 * measured with the attacker at its worst allowed), then go on past the limit. The last line
 * printed is the outcome, for attacks.sh:
 *   outcome: error <interface> <code> <message>
 *   outcome: survived                   (the attack ran to its end, nothing was refused)
 *   outcome: disconnected <why>         (the connection closed without a protocol error)
 *   outcome: skipped <why>
 */
#define _GNU_SOURCE
#include "handoff-v1-client-protocol.h"
#include "image.h"
#include "presentation-time-client-protocol.h"
#include "time_util.h"
#include "timeline.h"
#include "xdg-shell-client-protocol.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vulkan/vulkan.h>
#include <wayland-client.h>

static struct {
	struct wl_display *display;
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct xdg_wm_base *wm_base;
	struct wp_presentation *presentation;
	struct handoff_manager_v1 *manager;
	char error_text[512]; /* the last message libwayland logged: the error's text */
	double hold_s;
	bool dead; /* the connection is gone: stop sending */
} A;

static void log_handler(const char *fmt, va_list args)
{
	vsnprintf(A.error_text, sizeof(A.error_text), fmt, args);
	size_t n = strlen(A.error_text);
	if (n && A.error_text[n - 1] == '\n')
		A.error_text[n - 1] = 0;
}

static void registry_global(void *data, struct wl_registry *registry, uint32_t name,
			    const char *interface, uint32_t version)
{
	if (!strcmp(interface, wl_compositor_interface.name))
		A.compositor = wl_registry_bind(registry, name, &wl_compositor_interface, 4);
	else if (!strcmp(interface, wl_shm_interface.name))
		A.shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
	else if (!strcmp(interface, xdg_wm_base_interface.name))
		A.wm_base = wl_registry_bind(registry, name, &xdg_wm_base_interface, 1);
	else if (!strcmp(interface, wp_presentation_interface.name))
		A.presentation = wl_registry_bind(registry, name, &wp_presentation_interface, 1);
	else if (!strcmp(interface, handoff_manager_v1_interface.name))
		A.manager = wl_registry_bind(registry, name, &handoff_manager_v1_interface,
					     version < 2 ? version : 2);
}

static void registry_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {registry_global,
							      registry_global_remove};

/* The presenter closed the connection: read what it said before it did (its error). */
static void read_to_end(void)
{
	A.dead = true;
	while (wl_display_dispatch(A.display) >= 0)
		;
}

/* Requests are flushed every few: libwayland's own flush, when its buffer is full, makes a
 * broken pipe fatal before the presenter's error could be read. */

/* Sends what is queued and reads what came, without blocking for long; false once dead. */
static bool pump(void)
{
	if (A.dead)
		return false;
	while (wl_display_flush(A.display) < 0) {
		if (errno != EAGAIN) {
			read_to_end();
			return false;
		}
		struct pollfd p = {wl_display_get_fd(A.display), POLLIN | POLLOUT, 0};
		poll(&p, 1, 100);
		if ((p.revents & POLLIN) && wl_display_dispatch(A.display) < 0) {
			read_to_end();
			return false;
		}
	}
	if (wl_display_dispatch_pending(A.display) < 0 || wl_display_get_error(A.display)) {
		read_to_end();
		return false;
	}
	return true;
}

static bool roundtrip(void)
{
	if (A.dead)
		return false;
	if (wl_display_roundtrip(A.display) < 0) {
		read_to_end();
		return false;
	}
	return true;
}

/* Stays connected, answering events, for seconds (or until the presenter disconnects us). */
static void hold(double seconds)
{
	int64_t end = hf_now_ns() + (int64_t)(seconds * 1e9);
	while (!A.dead && hf_now_ns() < end) {
		if (!pump())
			break;
		struct pollfd p = {wl_display_get_fd(A.display), POLLIN, 0};
		if (poll(&p, 1, 20) > 0 && wl_display_dispatch(A.display) < 0)
			read_to_end();
	}
}

static void xdg_wm_base_ping(void *data, struct xdg_wm_base *wm_base, uint32_t serial)
{
	xdg_wm_base_pong(wm_base, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = {xdg_wm_base_ping};

static void xdg_surface_configure(void *data, struct xdg_surface *s, uint32_t serial)
{
	xdg_surface_ack_configure(s, serial);
}

static const struct xdg_surface_listener xdg_surface_listener = {xdg_surface_configure};

/* A toplevel, its configure waited for and acked: a buffer before the ack would be
 * unconfigured_buffer, not the limit an attack is after. */
static struct wl_surface *toplevel(void)
{
	struct wl_surface *s = wl_compositor_create_surface(A.compositor);
	struct xdg_surface *xs = xdg_wm_base_get_xdg_surface(A.wm_base, s);
	xdg_surface_add_listener(xs, &xdg_surface_listener, NULL);
	xdg_toplevel_set_title(xdg_surface_get_toplevel(xs), "attack");
	wl_surface_commit(s);
	roundtrip();
	return s;
}

static int memfd(const char *name, off_t size, unsigned flags, bool sealed)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING | flags);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, size) < 0 || (sealed && fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) < 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

static struct wl_buffer *handoff_buffer(int fd, int32_t w, int32_t h, uint32_t stride)
{
	return handoff_manager_v1_create_buffer(A.manager, fd, HANDOFF_MANAGER_V1_MEMORY_KIND_MEMFD,
						w, h, DRM_FORMAT_XRGB8888, 0, 0, 0, stride, 0);
}

static struct handoff_timeline_v1 *import(struct hf_timeline *tl)
{
	return handoff_manager_v1_import_timeline(A.manager, hf_timeline_get_fd(tl),
						  HANDOFF_MANAGER_V1_TIMELINE_KIND_SHM);
}

static void commit_frame(struct wl_surface *s, struct handoff_surface_v1 *hs, struct wl_buffer *b,
			 struct handoff_timeline_v1 *acq, uint64_t acquire,
			 struct handoff_timeline_v1 *rel, uint64_t release)
{
	handoff_surface_v1_set_acquire_point(hs, acq, acquire >> 32, (uint32_t)acquire);
	handoff_surface_v1_set_release_point(hs, rel, release >> 32, (uint32_t)release);
	wl_surface_attach(s, b, 0, 0);
	wl_surface_damage(s, 0, 0, INT32_MAX, INT32_MAX);
	wl_surface_commit(s);
}

/* A toplevel with a handoff surface, a 64x64 buffer and a timeline. */
struct synced {
	struct wl_surface *surface;
	struct handoff_surface_v1 *hs;
	struct wl_buffer *buffer;
	struct hf_timeline *tl;
	struct handoff_timeline_v1 *timeline;
};

static void synced_init(struct synced *x, int32_t w, int32_t h)
{
	x->surface = toplevel();
	x->hs = handoff_manager_v1_get_surface(A.manager, x->surface);
	int fd = hf_memfd_create_sealed("attack-image", (uint64_t)w * (uint64_t)h * 4);
	x->buffer = handoff_buffer(fd, w, h, (uint32_t)w * 4);
	close(fd);
	x->tl = hf_timeline_create();
	x->timeline = import(x->tl);
}

/* ---- the attacks ---- */

static void attack_shm_stride(void)
{
	struct wl_surface *s = toplevel();
	int fd = memfd("attack-pool", 65536, 0, false);
	struct wl_shm_pool *pool = wl_shm_create_pool(A.shm, fd, 65536);
	close(fd);
	/* 64 pixels of 4 bytes in rows 257 bytes apart: libwayland only checks stride >= width. */
	struct wl_buffer *b =
		wl_shm_pool_create_buffer(pool, 0, 64, 64, 257, WL_SHM_FORMAT_XRGB8888);
	wl_surface_attach(s, b, 0, 0);
	wl_surface_damage(s, 0, 0, 64, 64);
	wl_surface_commit(s);
	roundtrip();
	hold(A.hold_s);
}

static void attack_handoff_stride(uint32_t stride)
{
	struct wl_surface *s = toplevel();
	int fd = hf_memfd_create_sealed("attack-image", 1 << 20);
	struct wl_buffer *b = handoff_buffer(fd, 64, 64, stride);
	close(fd);
	wl_surface_attach(s, b, 0, 0);
	wl_surface_commit(s);
	roundtrip();
	hold(A.hold_s);
}

static int hugetlb_memfd(void)
{
	int fd = memfd("attack-huge", 2 << 20, MFD_HUGETLB, true);
	if (fd < 0)
		printf("outcome: skipped this kernel makes no sealed hugetlb memfd (%s)\n",
		       strerror(errno));
	return fd;
}

static bool attack_hugetlb_image(void)
{
	int fd = hugetlb_memfd();
	if (fd < 0)
		return false;
	struct wl_surface *s = toplevel();
	struct wl_buffer *b = handoff_buffer(fd, 64, 64, 256);
	wl_surface_attach(s, b, 0, 0);
	wl_surface_commit(s);
	roundtrip();
	/* Were it accepted, this hole punch would fault the presenter's next read. */
	fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 2 << 20);
	close(fd);
	hold(A.hold_s);
	return true;
}

static bool attack_hugetlb_timeline(void)
{
	int fd = hugetlb_memfd();
	if (fd < 0)
		return false;
	/* The header, where huge pages can be had; the presenter must refuse it either way. */
	uint32_t *page = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (page != MAP_FAILED) {
		page[0] = HF_TIMELINE_MAGIC;
		page[1] = HF_TIMELINE_VERSION;
		munmap(page, 2 << 20);
	}
	handoff_manager_v1_import_timeline(A.manager, fd, HANDOFF_MANAGER_V1_TIMELINE_KIND_SHM);
	roundtrip();
	fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 2 << 20);
	close(fd);
	hold(A.hold_s);
	return true;
}

/* Commits whose acquire points never come: held at the queue's limit, then past it. */
static void attack_unsignaled_commits(int total, int limit)
{
	struct synced x;
	synced_init(&x, 64, 64);
	for (int i = 0; i < total && !A.dead; i++) {
		commit_frame(x.surface, x.hs, x.buffer, x.timeline, 2 * (uint64_t)i + 1, x.timeline,
			     2 * (uint64_t)i + 2);
		if (i + 1 == limit) {
			roundtrip();
			hold(A.hold_s);
		}
		if (i % 16 == 0)
			pump();
	}
	roundtrip();
}

/* Each commit on a timeline of its own, none signaled. */
static void attack_distinct_timelines(int total, int limit)
{
	struct synced x;
	synced_init(&x, 64, 64);
	for (int i = 0; i < total && !A.dead; i++) {
		struct hf_timeline *tl = hf_timeline_create();
		if (!tl)
			break;
		struct handoff_timeline_v1 *t = import(tl);
		commit_frame(x.surface, x.hs, x.buffer, t, 1, t, 2);
		hf_timeline_unref(tl); /* our mapping; the fd went with the request */
		if (i + 1 == limit) {
			roundtrip();
			hold(A.hold_s);
		}
		if (i % 16 == 0)
			pump();
	}
	roundtrip();
}

static void ask_frame_callback(struct wl_surface *s)
{
	wl_surface_frame(s);
}

static void ask_feedback(struct wl_surface *s)
{
	wp_presentation_feedback(A.presentation, s);
}

/* Per-surface requests that pile up until a commit answers them: frame callbacks or
 * presentation feedback. */
static void attack_pending(void (*ask)(struct wl_surface *s), int total, int limit)
{
	struct wl_surface *s = toplevel();
	for (int i = 0; i < total && !A.dead; i++) {
		ask(s);
		if (i + 1 == limit) {
			wl_surface_commit(s);
			roundtrip();
			hold(A.hold_s);
		}
		if (i % 128 == 0)
			pump();
	}
	wl_surface_commit(s);
	roundtrip();
}

/* Toplevels, each showing a 64x64 wl_shm buffer. */
static void attack_toplevels(int total, int limit)
{
	int fd = memfd("attack-pool", 64 * 64 * 4, 0, false);
	uint32_t *px = mmap(NULL, 64 * 64 * 4, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	for (int i = 0; px != MAP_FAILED && i < 64 * 64; i++)
		px[i] = 0xff806040;
	struct wl_shm_pool *pool = wl_shm_create_pool(A.shm, fd, 64 * 64 * 4);
	close(fd);
	struct wl_buffer *b =
		wl_shm_pool_create_buffer(pool, 0, 64, 64, 256, WL_SHM_FORMAT_XRGB8888);
	for (int i = 0; i < total && !A.dead; i++) {
		struct wl_surface *s = toplevel();
		wl_surface_attach(s, b, 0, 0);
		wl_surface_damage(s, 0, 0, 64, 64);
		wl_surface_commit(s);
		if (i + 1 == limit) {
			roundtrip();
			hold(A.hold_s);
		}
		if (i % 16 == 0)
			pump();
	}
	roundtrip();
}

/* A wl_shm buffer shown and committed anew every 20 ms, its pool's file truncated to nothing
 * after the fifth frame. Under the Vulkan renderer on lavapipe, the pool was imported as host
 * memory and read by the driver's threads, which libwayland's SIGBUS guard does not cover: the
 * presenter died of SIGBUS (found by the Vulkan fuzzer). */
static void attack_shm_shrink(void)
{
	int fd = memfd("attack-shrink", 64 * 64 * 4, 0, false);
	uint32_t *px = mmap(NULL, 64 * 64 * 4, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	for (int i = 0; px != MAP_FAILED && i < 64 * 64; i++)
		px[i] = 0xff806040;
	if (px != MAP_FAILED)
		munmap(px, 64 * 64 * 4);
	struct wl_shm_pool *pool = wl_shm_create_pool(A.shm, fd, 64 * 64 * 4);
	struct wl_buffer *b =
		wl_shm_pool_create_buffer(pool, 0, 64, 64, 256, WL_SHM_FORMAT_XRGB8888);
	struct wl_surface *s = toplevel();
	for (int i = 0; i < 30 && !A.dead; i++) {
		wl_surface_attach(s, b, 0, 0);
		wl_surface_damage(s, 0, 0, 64, 64);
		wl_surface_commit(s);
		if (i == 5 && ftruncate(fd, 0) < 0)
			break;
		if (!pump())
			break;
		hf_sleep_ns(20 * 1000000);
	}
	roundtrip();
	hold(A.hold_s);
	close(fd);
}

/* Big buffers shown on toplevels and committed anew every 16 ms: survived, within limits. */
static void attack_big_buffers(int count, int side)
{
	struct synced x[8];
	int fd = hf_memfd_create_sealed("attack-big", (uint64_t)side * (uint64_t)side * 4);
	if (fd < 0) {
		printf("outcome: skipped cannot make a %dx%d memfd\n", side, side);
		return;
	}
	for (int i = 0; i < count && i < 8; i++) {
		x[i].surface = toplevel();
		x[i].hs = handoff_manager_v1_get_surface(A.manager, x[i].surface);
		x[i].buffer = handoff_buffer(fd, side, side, (uint32_t)side * 4);
		x[i].tl = hf_timeline_create();
		x[i].timeline = import(x[i].tl);
	}
	close(fd);
	roundtrip();
	int64_t end = hf_now_ns() + (int64_t)(A.hold_s * 1e9);
	for (uint64_t n = 0; !A.dead && hf_now_ns() < end; n++) {
		for (int i = 0; i < count && i < 8; i++) {
			hf_timeline_signal(x[i].tl, 2 * n + 1);
			commit_frame(x[i].surface, x[i].hs, x[i].buffer, x[i].timeline, 2 * n + 1,
				     x[i].timeline, 2 * n + 2);
		}
		hold(0.016);
	}
}

/* Buffers of 256 MiB each, never shown, until past the bytes-mapped limit. */
static void attack_mapped_bytes(int count, int limit)
{
	int fd = hf_memfd_create_sealed("attack-big", 8192ull * 8192 * 4);
	for (int i = 0; i < count && !A.dead; i++) {
		handoff_buffer(fd, 8192, 8192, 8192 * 4);
		if (i + 1 == limit) {
			roundtrip();
			hold(A.hold_s);
		}
	}
	close(fd);
	roundtrip();
}

/* A commit waits on point 1000 while we bump the futex word and wake, and never signal. */
static void attack_futex_spinner(void)
{
	struct synced x;
	synced_init(&x, 64, 64);
	commit_frame(x.surface, x.hs, x.buffer, x.timeline, 1000, x.timeline, 1001);
	roundtrip();
	uint32_t *word = hf_timeline_futex_word(x.tl);
	int64_t end = hf_now_ns() + (int64_t)(A.hold_s * 1e9);
	for (int n = 0; !A.dead && hf_now_ns() < end; n++) {
		__atomic_add_fetch(word, 1, __ATOMIC_SEQ_CST);
		syscall(SYS_futex, word, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
		if (n % 4096 == 0)
			pump();
	}
	roundtrip();
}

/* The same timeline imported again and again: each import would be an fd in the presenter. */
static void attack_imports(int total, int limit)
{
	struct hf_timeline *tl = hf_timeline_create();
	for (int i = 0; i < total && !A.dead; i++) {
		import(tl);
		if (i + 1 == limit) {
			roundtrip();
			hold(A.hold_s);
		}
		if (i % 16 == 0)
			pump();
	}
	roundtrip();
}

/* One commit whose acquire point never comes, and we wait. */
static void attack_stall(void)
{
	struct synced x;
	synced_init(&x, 64, 64);
	commit_frame(x.surface, x.hs, x.buffer, x.timeline, 1, x.timeline, 2);
	roundtrip();
	hold(A.hold_s);
}

/* Shows buffers in turn on x's surface, a frame each 5 ms, for the hold; then lets x's
 * timeline go (the run's exit status is the test's: no leak to report). */
static void show_in_turn(struct synced *x, struct wl_buffer *const *buffers, int n)
{
	int64_t end = hf_now_ns() + (int64_t)(A.hold_s * 1e9);
	for (uint64_t i = 0; !A.dead && hf_now_ns() < end; i++) {
		hf_timeline_signal(x->tl, 2 * i + 1);
		commit_frame(x->surface, x->hs, buffers[i % (uint64_t)n], x->timeline, 2 * i + 1,
			     x->timeline, 2 * i + 2);
		if (!pump())
			break;
		hf_sleep_ns(5 * 1000000);
	}
	roundtrip();
	hf_timeline_unref(x->tl);
}

/* Images of a nested presenter's output size (side x side) that its parent could not map
 * read-write (a read-only fd, a write seal), then more of them than the output takes, all
 * shown in turn for the hold: the presenter must compose what it cannot hand to the parent,
 * never lose its parent (a parent that cannot map a pool ends the whole connection). */
static void attack_direct_fds(int side)
{
	struct synced x;
	synced_init(&x, side, side);
	uint32_t stride = (uint32_t)side * 4;
	off_t size = (off_t)stride * side;
	struct wl_buffer *buffers[24];
	int n = 0;
	int fd = hf_memfd_create_sealed("attack-direct", (uint64_t)size);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int ro = open(path, O_RDONLY | O_CLOEXEC);
	buffers[n++] = handoff_buffer(ro, side, side, stride);
	close(ro);
	close(fd);
	static const int seals[] = {F_SEAL_WRITE, F_SEAL_FUTURE_WRITE};
	for (int i = 0; i < 2; i++) {
		fd = memfd("attack-direct-sealed", size, 0, true);
		if (fd < 0 || fcntl(fd, F_ADD_SEALS, seals[i]) < 0) {
			printf("outcome: skipped cannot seal a memfd (%s)\n", strerror(errno));
			exit(0);
		}
		buffers[n++] = handoff_buffer(fd, side, side, stride);
		close(fd);
	}
	while (n < (int)(sizeof(buffers) / sizeof(buffers[0]))) {
		fd = hf_memfd_create_sealed("attack-direct-many", (uint64_t)size);
		buffers[n++] = handoff_buffer(fd, side, side, stride);
		close(fd);
	}
	show_in_turn(&x, buffers, n);
}

/* An image of a nested output 64 pixels wide and `height` tall with the widest stride the
 * presenter takes (256 KiB): with height 8191, stride * height is just under 2 GiB, at the
 * edge of what a parent's wl_shm accepts (a pool it refused would end the presenter's
 * connection), and 2 GiB of span for 2 MiB of pixels. */
static void attack_direct_stride(int height)
{
	struct synced x;
	synced_init(&x, 64, 64);
	uint32_t stride = 262144;
	int fd = hf_memfd_create_sealed("attack-direct-stride", (uint64_t)stride * height);
	struct wl_buffer *b = handoff_buffer(fd, 64, height, stride);
	close(fd);
	show_in_turn(&x, &b, 1);
}

/* ---- round two (issue 19) ---- */

/* Images sealed only against shrinking, a write seal added right after create_buffer, while
 * the presenter may be passing them on to its parent (a nested presenter): a parent that
 * cannot map a pool ends the presenter's whole connection. Shown in turn, tries times. */
static void attack_direct_seal_race(int side, int tries)
{
	struct synced x;
	synced_init(&x, side, side);
	uint32_t stride = (uint32_t)side * 4;
	for (int i = 0; i < tries && !A.dead; i++) {
		int fd = memfd("attack-race", (off_t)stride * side, 0, true);
		if (fd < 0)
			break;
		struct wl_buffer *b = handoff_buffer(fd, side, side, stride);
		wl_display_flush(A.display);
		fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE);
		close(fd);
		hf_timeline_signal(x.tl, 2 * (uint64_t)i + 1);
		commit_frame(x.surface, x.hs, b, x.timeline, 2 * (uint64_t)i + 1, x.timeline,
			     2 * (uint64_t)i + 2);
		if (!pump())
			break;
		hf_sleep_ns(20 * 1000000);
		wl_buffer_destroy(b);
	}
	roundtrip();
	hf_timeline_unref(x.tl);
}

/* A Vulkan image whose memory fd is fd (closed here), 64x64 XRGB8888 unless told. */
static void vk_image(int fd, uint32_t vk_format, uint32_t tiling, uint32_t usage,
		     uint32_t create_flags, uint64_t size)
{
	handoff_manager_v1_create_vk_image(
		A.manager, fd, HANDOFF_MANAGER_V1_MEMORY_KIND_VK_OPAQUE_FD, 64, 64,
		DRM_FORMAT_XRGB8888, vk_format, tiling, usage, create_flags, (uint32_t)(size >> 32),
		(uint32_t)size, 0, 0, 0, 0);
	close(fd);
}

#define VK_B8G8R8A8_UNORM    44
#define VK_R8G8B8A8_UNORM    37
#define VK_USAGE_SRC_SAMPLED 0x5

/* A memfd laid out as a CPU device's opaque fd: {size, offset} at the start. */
static int vk_memfd(uint64_t file_size, uint64_t header_size, bool sealed)
{
	int fd = memfd("attack-vk", (off_t)file_size, 0, sealed);
	uint64_t header[2] = {header_size, 4096};
	if (fd >= 0 && pwrite(fd, header, sizeof(header), 0) != (ssize_t)sizeof(header)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Fds a driver would read on the presenter's event loop (the write end kept open). */
static void attack_vk_fd(const char *kind)
{
	int fd = -1, keep = -1;
	if (!strcmp(kind, "pipe")) {
		int p[2];
		if (pipe(p) == 0) {
			fd = p[0];
			keep = p[1];
		}
	} else {
		fd = eventfd(0, EFD_CLOEXEC);
	}
	vk_image(fd, VK_B8G8R8A8_UNORM, 0, VK_USAGE_SRC_SAMPLED, 0, 64 * 64 * 4);
	roundtrip();
	hold(A.hold_s);
	if (keep >= 0)
		close(keep);
}

/* Memory the presenter could fault on or be made to map hugely: an unsealed memfd (which the
 * client can truncate under the reader), and a header that claims 64 TiB in a small file. */
static void attack_vk_memfd(bool sealed, uint64_t header_size)
{
	int fd = vk_memfd(4096 + 64 * 64 * 4, header_size, sealed);
	vk_image(fd, VK_B8G8R8A8_UNORM, 0, VK_USAGE_SRC_SAMPLED, 0, 64 * 64 * 4);
	roundtrip();
	hold(A.hold_s);
}

/* Parameters the XML does not allow, in a well-formed memfd: a tiling of 2, usage with every
 * bit, a sparse-binding flag; and a fourcc that is not the VkFormat. */
static void attack_vk_params(uint32_t vk_format, uint32_t tiling, uint32_t usage,
			     uint32_t create_flags)
{
	uint64_t size = 4096 + 64 * 64 * 4;
	int fd = vk_memfd(size, size, true);
	vk_image(fd, vk_format, tiling, usage, create_flags, 64 * 64 * 4);
	roundtrip();
	hold(A.hold_s);
}

/* Objects no other limit counts: wl_region, one page each, as fast as they go. */
static void attack_regions(int total, int limit)
{
	for (int i = 0; i < total && !A.dead; i++) {
		wl_compositor_create_region(A.compositor);
		if (i + 1 == limit) {
			roundtrip();
			hold(A.hold_s);
		}
		if (i % 64 == 0)
			pump();
	}
	roundtrip();
}

/* wl_shm pools of one page, each a mapping in the presenter; or few pools of 1 GiB each. */
static void attack_shm_pools(int total, int limit, int32_t size)
{
	int fd = memfd("attack-pools", size, 0, false);
	for (int i = 0; i < total && !A.dead && fd >= 0; i++) {
		wl_shm_create_pool(A.shm, fd, size);
		if (i + 1 == limit) {
			roundtrip();
			hold(A.hold_s);
		}
		if (i % 16 == 0)
			pump();
	}
	if (fd >= 0)
		close(fd);
	roundtrip();
}

/* A pool, a buffer of it, then the pool destroyed: the buffer keeps the mapping. */
static void attack_shm_buffers_keep_pools(int total, int32_t size)
{
	int fd = memfd("attack-pools", size, 0, false);
	for (int i = 0; i < total && !A.dead && fd >= 0; i++) {
		struct wl_shm_pool *pool = wl_shm_create_pool(A.shm, fd, size);
		wl_shm_pool_create_buffer(pool, 0, 64, 64, 256, WL_SHM_FORMAT_XRGB8888);
		wl_shm_pool_destroy(pool);
		if (i % 16 == 0)
			pump();
	}
	if (fd >= 0)
		close(fd);
	roundtrip();
}

/* Fifo commits that unmap (attach NULL), none drawn before the next: each waits a frame. */
static void attack_fifo_unmaps(int total)
{
	struct synced x;
	synced_init(&x, 64, 64);
	handoff_surface_v1_set_present_mode(x.hs, HANDOFF_SURFACE_V1_PRESENT_MODE_FIFO);
	for (int i = 0; i < total && !A.dead; i++) {
		wl_surface_attach(x.surface, NULL, 0, 0);
		wl_surface_commit(x.surface);
		if (i % 64 == 0)
			pump();
	}
	roundtrip();
	hold(A.hold_s);
	hf_timeline_unref(x.tl);
}

/* A commit that waits for its acquire point, then the handoff_surface_v1 destroyed: the
 * presenter's --acquire-timeout must still end us. */
static void attack_stall_then_destroy(void)
{
	struct synced x;
	synced_init(&x, 64, 64);
	commit_frame(x.surface, x.hs, x.buffer, x.timeline, 1, x.timeline, 2);
	handoff_surface_v1_destroy(x.hs);
	roundtrip();
	hold(A.hold_s);
}

/* Connections that do nothing, many more than the presenter takes. */
static void attack_clients(int total)
{
	int refused = 0;
	struct wl_display **extra = calloc((size_t)total, sizeof(*extra));
	for (int i = 0; extra && i < total; i++) {
		extra[i] = wl_display_connect(NULL);
		if (extra[i] && wl_display_roundtrip(extra[i]) < 0)
			refused++;
	}
	hold(A.hold_s);
	for (int i = 0; extra && i < total; i++)
		if (extra[i])
			wl_display_disconnect(extra[i]);
	free(extra);
	if (refused)
		printf("outcome: refused %d of %d connections\n", refused, total);
	else
		printf("outcome: survived\n");
	exit(0);
}

static int outstanding_callbacks, outstanding_feedbacks;

static void counted_callback_done(void *data, struct wl_callback *cb, uint32_t time)
{
	wl_callback_destroy(cb);
	outstanding_callbacks--;
}

static const struct wl_callback_listener counted_callback_listener = {counted_callback_done};

static void feedback_sync_output(void *data, struct wp_presentation_feedback *f,
				 struct wl_output *output)
{
}

static void feedback_presented(void *data, struct wp_presentation_feedback *f, uint32_t tv_sec_hi,
			       uint32_t tv_sec_lo, uint32_t tv_nsec, uint32_t refresh,
			       uint32_t seq_hi, uint32_t seq_lo, uint32_t flags)
{
	wp_presentation_feedback_destroy(f);
	outstanding_feedbacks--;
}

static void feedback_discarded(void *data, struct wp_presentation_feedback *f)
{
	wp_presentation_feedback_destroy(f);
	outstanding_feedbacks--;
}

static const struct wp_presentation_feedback_listener counted_feedback_listener = {
	feedback_sync_output, feedback_presented, feedback_discarded};

/* A client within every limit, for the many-clients measurement: `windows` toplevels showing
 * 64x64 wl_shm buffers, one handoff surface with 63 commits waiting on 63 timelines never
 * signaled (250 timelines in all), and for the hold, 250 frame callbacks and 250 presentation
 * feedbacks outstanding on one of its windows, asked anew as the presenter answers them. */
static void attack_at_limits(int windows)
{
	int fd = memfd("attack-pool", 64 * 64 * 4, 0, false);
	uint32_t *px = mmap(NULL, 64 * 64 * 4, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	for (int i = 0; px != MAP_FAILED && i < 64 * 64; i++)
		px[i] = 0xff406080;
	struct wl_shm_pool *pool = wl_shm_create_pool(A.shm, fd, 64 * 64 * 4);
	close(fd);
	struct wl_buffer *b =
		wl_shm_pool_create_buffer(pool, 0, 64, 64, 256, WL_SHM_FORMAT_XRGB8888);
	struct wl_surface *first = NULL;
	for (int i = 0; i < windows && !A.dead; i++) {
		struct wl_surface *s = toplevel();
		wl_surface_attach(s, b, 0, 0);
		wl_surface_damage(s, 0, 0, 64, 64);
		wl_surface_commit(s);
		if (!first)
			first = s;
		if (i % 16 == 0)
			pump();
	}
	roundtrip();
	struct synced x;
	synced_init(&x, 64, 64);
	for (int i = 0; i < 63 && !A.dead; i++) {
		struct handoff_timeline_v1 *t = import(x.tl);
		commit_frame(x.surface, x.hs, x.buffer, t, 1000 + (uint64_t)i, t, 2000);
	}
	for (int i = 63; i < 249 && !A.dead; i++)
		import(x.tl);
	roundtrip();
	int64_t end = hf_now_ns() + (int64_t)(A.hold_s * 1e9);
	while (!A.dead && first && hf_now_ns() < end) {
		/* Topped up to 250 of each outstanding, as fast as the presenter answers them. */
		while (outstanding_callbacks < 250) {
			wl_callback_add_listener(wl_surface_frame(first),
						 &counted_callback_listener, NULL);
			outstanding_callbacks++;
		}
		while (outstanding_feedbacks < 250) {
			wp_presentation_feedback_add_listener(
				wp_presentation_feedback(A.presentation, first),
				&counted_feedback_listener, NULL);
			outstanding_feedbacks++;
		}
		wl_surface_commit(first);
		hold(0.016);
	}
	hf_timeline_unref(x.tl);
}

/* The header of a real opaque-fd export of this machine's first Vulkan device (a CPU device's:
 * size, offset, driver id), or false when there is none. */
static bool vk_export_header(uint8_t header[40])
{
	VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
				 .apiVersion = VK_API_VERSION_1_2};
	VkInstanceCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
				    .pApplicationInfo = &app};
	VkInstance instance;
	if (vkCreateInstance(&ici, NULL, &instance) != VK_SUCCESS)
		return false;
	uint32_t n = 1;
	VkPhysicalDevice phys;
	bool ok = false;
	VkPhysicalDeviceProperties props;
	if (vkEnumeratePhysicalDevices(instance, &n, &phys) < 0 || n == 0)
		goto out_instance;
	vkGetPhysicalDeviceProperties(phys, &props);
	if (props.deviceType != VK_PHYSICAL_DEVICE_TYPE_CPU)
		goto out_instance; /* a GPU's opaque fd is no memfd to forge */
	float priority = 1;
	VkDeviceQueueCreateInfo q = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
				     .queueCount = 1,
				     .pQueuePriorities = &priority};
	const char *ext[] = {VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME};
	VkDeviceCreateInfo dci = {.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
				  .queueCreateInfoCount = 1,
				  .pQueueCreateInfos = &q,
				  .enabledExtensionCount = 1,
				  .ppEnabledExtensionNames = ext};
	VkDevice dev;
	if (vkCreateDevice(phys, &dci, NULL, &dev) != VK_SUCCESS)
		goto out_instance;
	VkExportMemoryAllocateInfo export = {.sType = VK_STRUCTURE_TYPE_EXPORT_MEMORY_ALLOCATE_INFO,
					     .handleTypes =
						     VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT};
	VkMemoryAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
				   .pNext = &export,
				   .allocationSize = 64 * 64 * 4};
	VkDeviceMemory mem;
	PFN_vkGetMemoryFdKHR get_fd =
		(PFN_vkGetMemoryFdKHR)vkGetDeviceProcAddr(dev, "vkGetMemoryFdKHR");
	if (get_fd && vkAllocateMemory(dev, &ai, NULL, &mem) == VK_SUCCESS) {
		VkMemoryGetFdInfoKHR gi = {.sType = VK_STRUCTURE_TYPE_MEMORY_GET_FD_INFO_KHR,
					   .memory = mem,
					   .handleType =
						   VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT};
		int fd;
		if (get_fd(dev, &gi, &fd) == VK_SUCCESS) {
			ok = pread(fd, header, 40, 0) == 40;
			close(fd);
		}
		vkFreeMemory(dev, mem, NULL);
	}
	vkDestroyDevice(dev, NULL);
out_instance:
	vkDestroyInstance(instance, NULL);
	return ok;
}

/* A real export's header copied into a memfd of the attacker's own. shrink: unsealed, shown,
 * then truncated under the reader (the presenter died of SIGBUS); else sealed, its header
 * claiming 40 TiB (the presenter mapped 40 TiB and counted 16 KiB). */
static void attack_vk_forged(bool shrink)
{
	uint8_t header[40];
	if (!vk_export_header(header)) {
		printf("outcome: skipped no CPU Vulkan device to take a header from\n");
		exit(0);
	}
	uint64_t size, offset;
	memcpy(&size, header, 8);
	memcpy(&offset, header + 8, 8);
	if (!shrink) {
		size = 40ull << 40;
		memcpy(header, &size, 8);
	}
	int fd = memfd("attack-forged", (off_t)(offset + 64 * 64 * 4 + 4096), 0, !shrink);
	if (fd < 0 || pwrite(fd, header, sizeof(header), 0) != (ssize_t)sizeof(header)) {
		printf("outcome: skipped cannot make a memfd\n");
		exit(0);
	}
	struct synced x;
	synced_init(&x, 64, 64);
	int sent = dup(fd);
	struct wl_buffer *b = handoff_manager_v1_create_vk_image(
		A.manager, sent, HANDOFF_MANAGER_V1_MEMORY_KIND_VK_OPAQUE_FD, 64, 64,
		DRM_FORMAT_XRGB8888, VK_B8G8R8A8_UNORM, 0, VK_USAGE_SRC_SAMPLED, 0, 0, 64 * 64 * 4,
		0, 0, 0, 0);
	close(sent);
	roundtrip();
	for (uint64_t i = 0; !A.dead && i < 20; i++) {
		hf_timeline_signal(x.tl, 2 * i + 1);
		commit_frame(x.surface, x.hs, b, x.timeline, 2 * i + 1, x.timeline, 2 * i + 2);
		if (i == 5 && shrink && ftruncate(fd, 0) < 0)
			break;
		if (!pump())
			break;
		hf_sleep_ns(20 * 1000000);
	}
	roundtrip();
	hold(A.hold_s);
	close(fd);
	hf_timeline_unref(x.tl);
}

static const char *const attacks[] = {
	"shm_stride",     "handoff_stride_2g",  "handoff_stride_neg",
	"hugetlb_image",  "hugetlb_timeline",   "unsignaled_100k",
	"timelines_4000", "frame_callbacks_1m", "feedbacks_1m",
	"toplevels_4000", "big_buffers",        "mapped_over_4g",
	"futex_spinner",  "imports_20000",      "stall",
	"direct_fds",     "direct_stride",      "direct_seal_race",
	"vk_pipe_fd",     "vk_eventfd",         "vk_unsealed_memfd",
	"vk_huge_header", "vk_tiling",          "vk_usage",
	"vk_sparse",      "vk_fourcc_mismatch", "regions_1m",
	"shm_pools_100k", "shm_pools_2g",       "shm_buffers_keep_pools",
	"fifo_unmaps_1m", "stall_destroyed",    "clients_200",
	"at_limits",      "shm_shrink",
};

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help")) {
		printf("Usage: handoff-attack NAME [HOLD_SECONDS [BIG_SIDE]]\nAttacks:");
		for (size_t i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++)
			printf(" %s", attacks[i]);
		printf("\n");
		return argc < 2 ? 2 : 0;
	}
	const char *name = argv[1];
	A.hold_s = argc > 2 ? atof(argv[2]) : 2.0;
	int big_side = argc > 3 ? atoi(argv[3]) : 8192;
	wl_log_set_handler_client(log_handler);
	A.display = wl_display_connect(NULL);
	if (!A.display) {
		printf("outcome: disconnected cannot connect: %s\n", strerror(errno));
		return 1;
	}
	struct wl_registry *registry = wl_display_get_registry(A.display);
	wl_registry_add_listener(registry, &registry_listener, NULL);
	roundtrip();
	if (!A.compositor || !A.shm || !A.wm_base || !A.presentation || !A.manager) {
		printf("outcome: disconnected a global is missing\n");
		return 1;
	}
	xdg_wm_base_add_listener(A.wm_base, &wm_base_listener, NULL);
	int64_t start = hf_now_ns();
	bool ran = true;
	if (!strcmp(name, "shm_stride"))
		attack_shm_stride();
	else if (!strcmp(name, "handoff_stride_2g"))
		attack_handoff_stride(0x80000000u);
	else if (!strcmp(name, "handoff_stride_neg"))
		attack_handoff_stride(0xfffffc00u);
	else if (!strcmp(name, "hugetlb_image"))
		ran = attack_hugetlb_image();
	else if (!strcmp(name, "hugetlb_timeline"))
		ran = attack_hugetlb_timeline();
	else if (!strcmp(name, "unsignaled_100k"))
		attack_unsignaled_commits(100000, 64);
	else if (!strcmp(name, "timelines_4000"))
		attack_distinct_timelines(4000, 64);
	else if (!strcmp(name, "frame_callbacks_1m"))
		attack_pending(ask_frame_callback, 1000000, 256);
	else if (!strcmp(name, "feedbacks_1m"))
		attack_pending(ask_feedback, 1000000, 256);
	else if (!strcmp(name, "toplevels_4000"))
		attack_toplevels(4000, 256);
	else if (!strcmp(name, "big_buffers"))
		attack_big_buffers(4, big_side);
	else if (!strcmp(name, "mapped_over_4g"))
		attack_mapped_bytes(17, 16);
	else if (!strcmp(name, "futex_spinner"))
		attack_futex_spinner();
	else if (!strcmp(name, "imports_20000"))
		attack_imports(20000, 256);
	else if (!strcmp(name, "stall"))
		attack_stall();
	else if (!strcmp(name, "direct_fds"))
		attack_direct_fds(big_side);
	else if (!strcmp(name, "direct_stride"))
		attack_direct_stride(big_side);
	else if (!strcmp(name, "direct_seal_race"))
		attack_direct_seal_race(big_side, 200);
	else if (!strcmp(name, "vk_pipe_fd"))
		attack_vk_fd("pipe");
	else if (!strcmp(name, "vk_eventfd"))
		attack_vk_fd("eventfd");
	else if (!strcmp(name, "vk_unsealed_memfd"))
		attack_vk_memfd(false, 4096 + 64 * 64 * 4);
	else if (!strcmp(name, "vk_huge_header"))
		attack_vk_memfd(true, 64ull << 40);
	else if (!strcmp(name, "vk_tiling"))
		attack_vk_params(VK_B8G8R8A8_UNORM, 2, VK_USAGE_SRC_SAMPLED, 0);
	else if (!strcmp(name, "vk_usage"))
		attack_vk_params(VK_B8G8R8A8_UNORM, 0, 0xffffffffu, 0);
	else if (!strcmp(name, "vk_sparse"))
		attack_vk_params(VK_B8G8R8A8_UNORM, 0, VK_USAGE_SRC_SAMPLED, 0x1);
	else if (!strcmp(name, "vk_fourcc_mismatch"))
		attack_vk_params(VK_R8G8B8A8_UNORM, 0, VK_USAGE_SRC_SAMPLED, 0);
	else if (!strcmp(name, "regions_1m"))
		attack_regions(1000000, 4000);
	else if (!strcmp(name, "shm_pools_100k"))
		attack_shm_pools(100000, 250, 4096);
	else if (!strcmp(name, "shm_pools_2g"))
		attack_shm_pools(1000, 3, INT32_MAX);
	else if (!strcmp(name, "shm_buffers_keep_pools"))
		attack_shm_buffers_keep_pools(100, INT32_MAX);
	else if (!strcmp(name, "fifo_unmaps_1m"))
		attack_fifo_unmaps(1000000);
	else if (!strcmp(name, "stall_destroyed"))
		attack_stall_then_destroy();
	else if (!strcmp(name, "shm_shrink"))
		attack_shm_shrink();
	else if (!strcmp(name, "vk_forged_shrink"))
		attack_vk_forged(true);
	else if (!strcmp(name, "vk_forged_huge"))
		attack_vk_forged(false);
	else if (!strcmp(name, "at_limits"))
		attack_at_limits(big_side);
	else if (!strcmp(name, "clients_200"))
		attack_clients(200);
	else {
		fprintf(stderr, "handoff-attack: unknown attack '%s'\n", name);
		return 2;
	}
	if (!ran)
		return 0;
	fprintf(stderr, "handoff-attack: %s ran %.1f s\n", name, (hf_now_ns() - start) / 1e9);
	int err = wl_display_get_error(A.display);
	if (err == EPROTO) {
		const struct wl_interface *iface = NULL;
		uint32_t id;
		uint32_t code = wl_display_get_protocol_error(A.display, &iface, &id);
		printf("outcome: error %s %u %s\n", iface ? iface->name : "?", code, A.error_text);
	} else if (err) {
		printf("outcome: disconnected %s%s%s\n", strerror(err), A.error_text[0] ? " " : "",
		       A.error_text);
	} else {
		printf("outcome: survived\n");
	}
	return 0;
}
