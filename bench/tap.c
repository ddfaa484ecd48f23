/* The wire tap: see tap.h. One thread forwards; one more per watched acquire timeline. */
#define _GNU_SOURCE
#include "tap.h"

#include "bench.h"
#include "futex.h"
#include "pattern.h"
#include "timeline.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_CONNS    8
#define MAX_FDS      28
#define PARSE_BUF    (256 * 1024)
#define MAX_POOLS    256
#define MAX_WATCHERS 4

enum obj_type {
	O_NONE,
	O_DISPLAY,
	O_REGISTRY,
	O_COMPOSITOR,
	O_SHM,
	O_POOL,
	O_BUFFER,
	O_SURFACE,
	O_HANDOFF_MANAGER,
	O_HANDOFF_SURFACE,
	O_HANDOFF_TIMELINE,
};

struct obj {
	uint8_t type;
	int pool; /* O_POOL, O_BUFFER: index into hb_tap::pools */
	int32_t offset, width, height, stride;
	uint32_t format;         /* O_BUFFER: a wl_shm format */
	uint32_t pending_buffer; /* O_SURFACE: attached since the last commit */
	bool attached;
	struct hf_timeline *timeline; /* O_HANDOFF_TIMELINE: mapped, NULL if not shm */
};

struct stream {
	uint8_t *buf; /* bytes of a message not yet complete */
	size_t len;
};

struct conn {
	int client_fd, server_fd; /* -1: free slot */
	struct stream up, down;
	struct obj *objs; /* by client-side object id */
	size_t n_objs;
	int fds[MAX_FDS * 4]; /* dups of the fds sent upstream, not yet matched to a message */
	int n_fds;
	uint32_t hint; /* the last frame decoded on this connection */
};

struct pool {
	int fd;
	void *map;
	size_t size;
};

struct watcher {
	struct hb_tap *tap;
	struct hf_timeline *timeline;
	pthread_t thread;
};

struct hb_tap {
	clockid_t clock;
	int listen_fd, stop_pipe[2];
	char upstream[256];
	pthread_t thread;
	bool running;
	struct conn conns[MAX_CONNS];
	struct pool pools[MAX_POOLS];
	int n_pools;
	struct watcher watchers[MAX_WATCHERS];
	int n_watchers;
	_Atomic bool stop_watchers;
	struct hb_tap_commit *commits;
	size_t n_commits, cap_commits;
	_Atomic size_t decoded;
	int64_t *ready_commit;         /* by frame: first commit showing it */
	_Atomic int64_t *ready_signal; /* by frame: acquire point signaled */
};

/* ---- colours to frames ---- */

#define COLOR_SLOTS (1u << 18)
static struct {
	uint32_t color, frame; /* frame 0: empty */
} color_table[COLOR_SLOTS];
static pthread_once_t color_once = PTHREAD_ONCE_INIT;

static uint32_t color_hash(uint32_t c)
{
	return (c * 2654435761u) >> 14 & (COLOR_SLOTS - 1);
}

static void color_table_build(void)
{
	for (uint32_t n = 1; n < HB_MAX_FRAMES; n++) {
		uint32_t c = hf_solid_color(n) & 0xffffff;
		uint32_t i = color_hash(c);
		while (color_table[i].frame)
			i = (i + 1) & (COLOR_SLOTS - 1);
		color_table[i].color = c;
		color_table[i].frame = n;
	}
}

uint32_t hb_frame_from_color(uint32_t xrgb, uint32_t hint)
{
	pthread_once(&color_once, color_table_build);
	uint32_t c = xrgb & 0xffffff, best = 0;
	int64_t best_dist = INT64_MAX;
	/* Colours of different frames may collide: the one nearest the last frame wins. */
	for (uint32_t i = color_hash(c); color_table[i].frame; i = (i + 1) & (COLOR_SLOTS - 1)) {
		if (color_table[i].color != c)
			continue;
		int64_t d = (int64_t)color_table[i].frame - (int64_t)hint;
		if (d < 0)
			d = -d;
		if (d < best_dist) {
			best_dist = d;
			best = color_table[i].frame;
		}
	}
	return best;
}

/* ---- objects ---- */

static struct obj *conn_obj(struct conn *c, uint32_t id, bool create)
{
	if (id == 0 || id >= 0xff000000u)
		return NULL;
	if (id >= c->n_objs) {
		if (!create)
			return NULL;
		size_t n = c->n_objs ? c->n_objs : 256;
		while (n <= id)
			n *= 2;
		struct obj *objs = realloc(c->objs, n * sizeof(*objs));
		if (!objs)
			return NULL;
		memset(objs + c->n_objs, 0, (n - c->n_objs) * sizeof(*objs));
		c->objs = objs;
		c->n_objs = n;
	}
	return &c->objs[id];
}

static void obj_reset(struct obj *o)
{
	hf_timeline_unref(o->timeline);
	*o = (struct obj){0};
}

static struct obj *new_obj(struct conn *c, uint32_t id, enum obj_type type)
{
	struct obj *o = conn_obj(c, id, true);
	if (o) {
		obj_reset(o);
		o->type = (uint8_t)type;
	}
	return o;
}

static int conn_pop_fd(struct conn *c)
{
	if (c->n_fds == 0)
		return -1;
	int fd = c->fds[0];
	memmove(c->fds, c->fds + 1, (size_t)--c->n_fds * sizeof(int));
	return fd;
}

static void pool_map(struct pool *p, size_t size)
{
	if (p->map)
		munmap(p->map, p->size);
	p->map = mmap(NULL, size, PROT_READ, MAP_SHARED, p->fd, 0);
	if (p->map == MAP_FAILED)
		p->map = NULL;
	p->size = size;
}

/* ---- acquire timelines ---- */

static void *watcher_thread(void *data)
{
	struct watcher *w = data;
	struct hb_tap *tap = w->tap;
	uint64_t last = hf_timeline_query(w->timeline);
	while (!atomic_load(&tap->stop_watchers)) {
		uint32_t seq = hf_timeline_seq(w->timeline);
		uint64_t v = hf_timeline_query(w->timeline);
		if (v > last) {
			int64_t t = hb_now(tap->clock);
			for (uint64_t n = last + 1; n <= v && n < HB_MAX_FRAMES; n++)
				atomic_store(&tap->ready_signal[n], t);
			last = v;
			continue;
		}
		struct timespec timeout = {0, 50 * 1000000L};
		hf_futex_wait(hf_timeline_futex_word(w->timeline), seq, &timeout, true);
	}
	return NULL;
}

static void watch_acquire(struct hb_tap *tap, struct hf_timeline *tl)
{
	for (int i = 0; i < tap->n_watchers; i++)
		if (tap->watchers[i].timeline == tl)
			return;
	if (tap->n_watchers == MAX_WATCHERS)
		return;
	struct watcher *w = &tap->watchers[tap->n_watchers];
	*w = (struct watcher){.tap = tap, .timeline = hf_timeline_ref(tl)};
	if (pthread_create(&w->thread, NULL, watcher_thread, w) != 0) {
		fprintf(stderr, "handoff-bench: cannot start a timeline watcher\n");
		hf_timeline_unref(tl);
		return;
	}
	tap->n_watchers++;
}

/* ---- messages ---- */

static void note_commit(struct hb_tap *tap, struct conn *c, struct obj *surface, int64_t t)
{
	struct obj *b = conn_obj(c, surface->pending_buffer, false);
	surface->attached = false;
	if (!b || b->type != O_BUFFER || b->pool < 0)
		return;
	struct pool *p = &tap->pools[b->pool];
	uint32_t f = b->format;
	bool xrgb = f == 0 || f == 1 || f == DRM_FORMAT_XRGB8888 || f == DRM_FORMAT_ARGB8888;
	if (!xrgb || !p->map)
		return;
	/* The producer's window may not fill a nested compositor's output (a panel, a
	 * border): five points are read and two must show the same frame. */
	static const int points[5][2] = {{2, 2}, {1, 1}, {3, 3}, {1, 3}, {3, 1}};
	uint32_t found[5];
	int n_found = 0;
	for (int i = 0; i < 5; i++) {
		size_t at = (size_t)b->offset +
			    (size_t)(b->height * points[i][1] / 4) * (size_t)b->stride +
			    (size_t)(b->width * points[i][0] / 4) * 4;
		if (at + 4 > p->size)
			continue;
		uint32_t pixel = *(const volatile uint32_t *)((const uint8_t *)p->map + at);
		uint32_t n = hb_frame_from_color(pixel, c->hint ? c->hint : 1);
		if (n)
			found[n_found++] = n;
	}
	uint32_t frame = 0;
	for (int i = 0; i < n_found && !frame; i++)
		for (int j = i + 1; j < n_found && !frame; j++)
			if (found[i] == found[j])
				frame = found[i];
	if (!frame)
		return;
	c->hint = frame;
	if (tap->n_commits == tap->cap_commits) {
		size_t cap = tap->cap_commits ? tap->cap_commits * 2 : 4096;
		struct hb_tap_commit *commits = realloc(tap->commits, cap * sizeof(*commits));
		if (!commits)
			return;
		tap->commits = commits;
		tap->cap_commits = cap;
	}
	tap->commits[tap->n_commits++] = (struct hb_tap_commit){.t = t, .frame = frame};
	if (!tap->ready_commit[frame])
		tap->ready_commit[frame] = t;
	atomic_fetch_add(&tap->decoded, 1);
}

/* A request from a client; args are the words after the header, n of them. */
static void client_request(struct hb_tap *tap, struct conn *c, uint32_t id, uint32_t opcode,
			   const uint32_t *a, size_t n, int64_t t)
{
	struct obj *o = conn_obj(c, id, false);
	if (!o)
		return;
	switch (o->type) {
	case O_DISPLAY:
		if (opcode == 1 && n >= 1) /* get_registry */
			new_obj(c, a[0], O_REGISTRY);
		break;
	case O_REGISTRY:
		if (opcode == 0 && n >= 2) { /* bind(name, interface, version, id) */
			uint32_t len = a[1];
			size_t words = (len + 3) / 4;
			if (2 + words + 2 > n || len == 0)
				break;
			const char *iface = (const char *)&a[2];
			uint32_t new_id = a[2 + words + 1];
			if (!strncmp(iface, "wl_compositor", len))
				new_obj(c, new_id, O_COMPOSITOR);
			else if (!strncmp(iface, "wl_shm", len))
				new_obj(c, new_id, O_SHM);
			else if (!strncmp(iface, "handoff_manager_v1", len))
				new_obj(c, new_id, O_HANDOFF_MANAGER);
		}
		break;
	case O_COMPOSITOR:
		if (opcode == 0 && n >= 1)
			new_obj(c, a[0], O_SURFACE);
		break;
	case O_SHM:
		if (opcode == 0 && n >= 2) { /* create_pool(id, fd, size) */
			int fd = conn_pop_fd(c);
			struct obj *p = new_obj(c, a[0], O_POOL);
			if (fd < 0 || !p || tap->n_pools == MAX_POOLS) {
				if (fd >= 0)
					close(fd);
				if (p)
					p->pool = -1;
				break;
			}
			p->pool = tap->n_pools++;
			tap->pools[p->pool] = (struct pool){.fd = fd};
			pool_map(&tap->pools[p->pool], (size_t)(int32_t)a[1]);
		}
		break;
	case O_POOL:
		if (opcode == 0 && n >= 6) { /* create_buffer(id, offset, w, h, stride, format) */
			int pool = o->pool;
			struct obj *b = new_obj(c, a[0], O_BUFFER);
			if (b) {
				b->pool = pool;
				b->offset = (int32_t)a[1];
				b->width = (int32_t)a[2];
				b->height = (int32_t)a[3];
				b->stride = (int32_t)a[4];
				b->format = a[5];
			}
		} else if (opcode == 2 && n >= 1 && o->pool >= 0) { /* resize */
			pool_map(&tap->pools[o->pool], (size_t)(int32_t)a[0]);
		}
		break;
	case O_SURFACE:
		if (opcode == 1 && n >= 1) { /* attach(buffer, x, y) */
			o->pending_buffer = a[0];
			o->attached = true;
		} else if (opcode == 6 && o->attached) { /* commit */
			note_commit(tap, c, o, t);
		}
		break;
	case O_HANDOFF_MANAGER:
		if ((opcode == 1 || opcode == 4) && n >= 1) { /* create_buffer, create_vk_image */
			int fd = conn_pop_fd(c);
			if (fd >= 0)
				close(fd);
			new_obj(c, a[0], O_NONE);
		} else if (opcode == 2 && n >= 2) { /* import_timeline(id, fd, kind) */
			int fd = conn_pop_fd(c);
			struct obj *tl = new_obj(c, a[0], O_HANDOFF_TIMELINE);
			enum hf_timeline_error error;
			if (fd >= 0 && a[1] == 0 && tl) /* shm: the only kind watched here */
				tl->timeline = hf_timeline_import(fd, &error);
			else if (fd >= 0)
				close(fd);
		} else if (opcode == 3 && n >= 1) { /* get_surface(id, surface) */
			new_obj(c, a[0], O_HANDOFF_SURFACE);
		}
		break;
	case O_HANDOFF_SURFACE:
		if (opcode == 1 && n >= 1) { /* set_acquire_point(timeline, hi, lo) */
			struct obj *tl = conn_obj(c, a[0], false);
			if (tl && tl->type == O_HANDOFF_TIMELINE && tl->timeline)
				watch_acquire(tap, tl->timeline);
		}
		break;
	default:
		break;
	}
}

/* Parses the complete messages of s; upstream: requests, else events. */
static void parse(struct hb_tap *tap, struct conn *c, struct stream *s, bool upstream, int64_t t)
{
	size_t pos = 0;
	while (s->len - pos >= 8) {
		uint32_t hdr[2];
		memcpy(hdr, s->buf + pos, sizeof(hdr));
		uint32_t size = hdr[1] >> 16, opcode = hdr[1] & 0xffff;
		if (size < 8 || size % 4) {
			/* Not the protocol we know: stop looking, keep forwarding. */
			s->len = pos = 0;
			break;
		}
		if (s->len - pos < size)
			break;
		uint32_t args[1024];
		size_t n = (size - 8) / 4;
		memcpy(args, s->buf + pos + 8, n * 4);
		if (upstream) {
			client_request(tap, c, hdr[0], opcode, args, n, t);
		} else if (hdr[0] == 1 && opcode == 1 && n >= 1) {
			/* wl_display.delete_id: the id may come back as anything. */
			struct obj *o = conn_obj(c, args[0], false);
			if (o)
				obj_reset(o);
		}
		pos += size;
	}
	memmove(s->buf, s->buf + pos, s->len - pos);
	s->len -= pos;
}

/* Moves what one side has to the other, fds included. False when the connection ended. */
static bool relay(struct hb_tap *tap, struct conn *c, bool upstream)
{
	int from = upstream ? c->client_fd : c->server_fd;
	int to = upstream ? c->server_fd : c->client_fd;
	struct stream *s = upstream ? &c->up : &c->down;
	uint8_t data[64 * 1024];
	char control[CMSG_SPACE(sizeof(int) * MAX_FDS)];
	struct iovec iov = {.iov_base = data, .iov_len = sizeof(data)};
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control,
		.msg_controllen = sizeof(control),
	};
	ssize_t got = recvmsg(from, &msg, MSG_CMSG_CLOEXEC);
	if (got < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (got <= 0)
		return false;
	int64_t t = hb_now(tap->clock);
	int fds[MAX_FDS], n_fds = 0;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k && n_fds < MAX_FDS; i++)
			memcpy(&fds[n_fds++], CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
	}
	if (upstream)
		for (int i = 0; i < n_fds && c->n_fds < (int)(sizeof(c->fds) / sizeof(int)); i++)
			c->fds[c->n_fds++] = fcntl(fds[i], F_DUPFD_CLOEXEC, 0);
	if (s->len + (size_t)got <= PARSE_BUF) {
		memcpy(s->buf + s->len, data, (size_t)got);
		s->len += (size_t)got;
		parse(tap, c, s, upstream, t);
	}

	/* Forward exactly what came, the fds with the first bytes. */
	size_t sent = 0;
	while (sent < (size_t)got) {
		char out_control[CMSG_SPACE(sizeof(int) * MAX_FDS)];
		struct iovec out_iov = {.iov_base = data + sent, .iov_len = (size_t)got - sent};
		struct msghdr out = {.msg_iov = &out_iov, .msg_iovlen = 1};
		if (sent == 0 && n_fds > 0) {
			memset(out_control, 0, sizeof(out_control));
			out.msg_control = out_control;
			out.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n_fds);
			struct cmsghdr *cm = CMSG_FIRSTHDR(&out);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n_fds);
			memcpy(CMSG_DATA(cm), fds, sizeof(int) * (size_t)n_fds);
		}
		ssize_t w = sendmsg(to, &out, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		sent += (size_t)w;
	}
	for (int i = 0; i < n_fds; i++)
		close(fds[i]);
	return sent == (size_t)got;
}

static void conn_close(struct conn *c)
{
	if (c->client_fd >= 0)
		close(c->client_fd);
	if (c->server_fd >= 0)
		close(c->server_fd);
	c->client_fd = c->server_fd = -1;
	for (size_t i = 0; i < c->n_objs; i++)
		obj_reset(&c->objs[i]);
	free(c->objs);
	c->objs = NULL;
	c->n_objs = 0;
	while (c->n_fds > 0)
		close(conn_pop_fd(c));
	free(c->up.buf);
	free(c->down.buf);
	c->up = c->down = (struct stream){0};
}

static int connect_upstream(const char *path)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(addr.sun_path)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void tap_accept(struct hb_tap *tap)
{
	int fd = accept4(tap->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	struct conn *c = NULL;
	for (int i = 0; i < MAX_CONNS && !c; i++)
		if (tap->conns[i].client_fd < 0)
			c = &tap->conns[i];
	int up = c ? connect_upstream(tap->upstream) : -1;
	if (up < 0) {
		fprintf(stderr, "handoff-bench: tap: cannot reach %s\n", tap->upstream);
		close(fd);
		return;
	}
	*c = (struct conn){.client_fd = fd, .server_fd = up};
	c->up.buf = malloc(PARSE_BUF);
	c->down.buf = malloc(PARSE_BUF);
	struct obj *display = new_obj(c, 1, O_DISPLAY);
	if (!c->up.buf || !c->down.buf || !display) {
		fprintf(stderr, "handoff-bench: tap: out of memory\n");
		conn_close(c);
	}
}

static void *tap_thread(void *data)
{
	struct hb_tap *tap = data;
	for (;;) {
		struct pollfd pfd[2 + 2 * MAX_CONNS];
		int owner[2 + 2 * MAX_CONNS];
		int n = 0;
		pfd[n++] = (struct pollfd){.fd = tap->stop_pipe[0], .events = POLLIN};
		pfd[n++] = (struct pollfd){.fd = tap->listen_fd, .events = POLLIN};
		for (int i = 0; i < MAX_CONNS; i++) {
			if (tap->conns[i].client_fd < 0)
				continue;
			owner[n] = i;
			pfd[n++] = (struct pollfd){.fd = tap->conns[i].client_fd, .events = POLLIN};
			owner[n] = i;
			pfd[n++] = (struct pollfd){.fd = tap->conns[i].server_fd, .events = POLLIN};
		}
		if (poll(pfd, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[0].revents)
			break;
		if (pfd[1].revents & POLLIN)
			tap_accept(tap);
		for (int k = 2; k < n; k++) {
			struct conn *c = &tap->conns[owner[k]];
			if (!pfd[k].revents || c->client_fd < 0)
				continue;
			bool upstream = pfd[k].fd == c->client_fd;
			if (!relay(tap, c, upstream))
				conn_close(c);
		}
	}
	return NULL;
}

struct hb_tap *hb_tap_start(const char *runtime_dir, const char *name, const char *upstream,
			    clockid_t clock)
{
	pthread_once(&color_once, color_table_build);
	struct hb_tap *tap = calloc(1, sizeof(*tap));
	if (!tap)
		goto err;
	tap->clock = clock;
	tap->listen_fd = tap->stop_pipe[0] = tap->stop_pipe[1] = -1;
	for (int i = 0; i < MAX_CONNS; i++)
		tap->conns[i].client_fd = tap->conns[i].server_fd = -1;
	tap->ready_commit = calloc(HB_MAX_FRAMES, sizeof(*tap->ready_commit));
	tap->ready_signal = calloc(HB_MAX_FRAMES, sizeof(*tap->ready_signal));
	if (!tap->ready_commit || !tap->ready_signal)
		goto err;
	snprintf(tap->upstream, sizeof(tap->upstream), "%s/%s", runtime_dir, upstream);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (strlen(runtime_dir) + strlen(name) + 2 > sizeof(addr.sun_path)) {
		fprintf(stderr, "handoff-bench: socket path too long: %s/%s\n", runtime_dir, name);
		goto err;
	}
	size_t dir_len = strlen(runtime_dir);
	memcpy(addr.sun_path, runtime_dir, dir_len);
	addr.sun_path[dir_len] = '/';
	memcpy(addr.sun_path + dir_len + 1, name, strlen(name) + 1);
	unlink(addr.sun_path);
	tap->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (tap->listen_fd < 0 ||
	    bind(tap->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    listen(tap->listen_fd, 8) != 0 || pipe2(tap->stop_pipe, O_CLOEXEC) != 0) {
		fprintf(stderr, "handoff-bench: cannot listen on %s: %s\n", addr.sun_path,
			strerror(errno));
		goto err;
	}
	if (pthread_create(&tap->thread, NULL, tap_thread, tap) != 0) {
		fprintf(stderr, "handoff-bench: cannot start the tap thread\n");
		goto err;
	}
	tap->running = true;
	return tap;
err:
	if (!tap)
		fprintf(stderr, "handoff-bench: out of memory\n");
	hb_tap_destroy(tap);
	return NULL;
}

void hb_tap_stop(struct hb_tap *tap)
{
	if (!tap || !tap->running)
		return;
	if (write(tap->stop_pipe[1], "x", 1) != 1)
		fprintf(stderr, "handoff-bench: cannot stop the tap\n");
	pthread_join(tap->thread, NULL);
	tap->running = false;
	atomic_store(&tap->stop_watchers, true);
	for (int i = 0; i < tap->n_watchers; i++) {
		pthread_join(tap->watchers[i].thread, NULL);
		hf_timeline_unref(tap->watchers[i].timeline);
	}
	tap->n_watchers = 0;
	for (int i = 0; i < MAX_CONNS; i++)
		if (tap->conns[i].client_fd >= 0)
			conn_close(&tap->conns[i]);
}

void hb_tap_destroy(struct hb_tap *tap)
{
	if (!tap)
		return;
	hb_tap_stop(tap);
	for (int i = 0; i < tap->n_pools; i++) {
		if (tap->pools[i].map)
			munmap(tap->pools[i].map, tap->pools[i].size);
		close(tap->pools[i].fd);
	}
	if (tap->listen_fd >= 0)
		close(tap->listen_fd);
	for (int i = 0; i < 2; i++)
		if (tap->stop_pipe[i] >= 0)
			close(tap->stop_pipe[i]);
	free(tap->commits);
	free(tap->ready_commit);
	free((void *)tap->ready_signal);
	free(tap);
}

size_t hb_tap_decoded(struct hb_tap *tap)
{
	return atomic_load(&tap->decoded);
}

const struct hb_tap_commit *hb_tap_commits(struct hb_tap *tap, size_t *n)
{
	*n = tap->n_commits;
	return tap->commits;
}

int64_t hb_tap_ready(struct hb_tap *tap, uint32_t frame)
{
	if (frame == 0 || frame >= HB_MAX_FRAMES)
		return 0;
	int64_t signaled = atomic_load(&tap->ready_signal[frame]);
	return signaled ? signaled : tap->ready_commit[frame];
}
