/*
 * libFuzzer harness: arbitrary request streams, with fds of every kind, into the presenter's
 * protocol handling, in-process.
 *
 * The presenter is set up once, as main.c sets it up (pixman renderer, wl_compositor, wl_shm,
 * xdg_wm_base, wp_presentation, handoff_manager_v1, a headless output repainting as soon as a
 * frame is ready). Each input is one client on a socketpair. The input is not sent as raw
 * bytes, which libwayland would reject at the first header: it is decoded into requests
 * (object, opcode, arguments) that follow the interfaces' own signatures, so that the fuzzer
 * spends its time in the presenter's handlers. All globals are bound first; new ids are
 * allocated in order; object arguments are mostly objects of the right interface; fds are
 * made on the spot and sent with SCM_RIGHTS. Between requests the loop is dispatched a
 * bounded number of times. At the end the client is destroyed and the harness checks that
 * the presenter kept no fd and no mapping of the client's memory, and no surface or window.
 *
 * Input format, one operation after another (missing bytes read as 0):
 *   op % 16 in 0..9: a request: object selector, method selector, then per argument:
 *     int/uint: a byte < 0xe0 picks an interesting value, else 4 raw bytes follow;
 *     fixed: 4 raw bytes; string: a byte picks one; array: a length byte, then the bytes;
 *     object: a byte picks an object of the right interface (0xff: null, 0xfe: any object,
 *       by the next byte); new_id: the next id; fd: a byte picks a kind (see make_fd).
 *   10: signal timeline [byte] to point [byte]      11: dispatch [byte % 8 + 1] times
 *   12: bump timeline [byte]'s futex word without raising it (a spinner)
 *   13: shrink wl_shm pool memory [byte] to [byte] * 256 bytes (libwayland's SIGBUS guard)
 *   14: signal every timeline to the highest point   15: wait 1 ms for the waiter thread
 *
 * HANDOFF_FUZZ_AVOID="iface.request ..." leaves out requests that reach a known, unfixed bug
 * (their regressions/ input is there), so that a long run goes on finding others.
 */
#define _GNU_SOURCE
#include "format.h"
#include "handoff-v1-server-protocol.h"
#include "log.h"
#include "options.h"
#include "output.h"
#include "presentation-time-server-protocol.h"
#include "protocols.h"
#include "server.h"
#include "surface.h"
#include "sync.h"
#include "timeline.h"
#include "xdg-shell-server-protocol.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <wayland-server-protocol.h>

#define MAX_OBJECTS   1024
#define MAX_OPS       600
#define MAX_TIMELINES 48
#define MAX_POOLS     16
#define MAX_GLOBALS   16
#define IMAGE_NAME    "fuzz-image"

/* Opcodes of the client side, whose header the server does not include. */
enum { DISPLAY_GET_REGISTRY = 1, REGISTRY_BIND = 0, REGISTRY_GLOBAL = 0 };

struct fuzz_input {
	const uint8_t *data;
	size_t size, pos;
};

static uint8_t in_byte(struct fuzz_input *in)
{
	return in->pos < in->size ? in->data[in->pos++] : 0;
}

static uint32_t in_u32(struct fuzz_input *in)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 8 | in_byte(in);
	return v;
}

static bool in_done(const struct fuzz_input *in)
{
	return in->pos >= in->size;
}

struct object {
	uint32_t id;
	const struct wl_interface *iface;
	uint32_t version;
};

struct global {
	uint32_t name, version;
	const struct wl_interface *iface;
};

/* The presenter, made once. */
static struct {
	struct hf_options opts;
	struct hf_server server;
	struct hf_sync *sync;
	struct global globals[MAX_GLOBALS];
	int n_globals;
	bool hugetlb;      /* the kernel makes hugetlb memfds */
	const char *avoid; /* HANDOFF_FUZZ_AVOID: " iface.request " words, or NULL */
} P;

/* One input's client. */
static struct {
	struct wl_client *client; /* NULL once the presenter destroyed it */
	struct wl_listener client_destroy;
	int fd; /* our end of the socketpair */
	struct object objects[MAX_OBJECTS];
	int n_objects;
	uint32_t next_id;
	struct hf_timeline *timelines[MAX_TIMELINES];
	uint64_t highest_point;
	int n_timelines;
	int pools[MAX_POOLS];
	int n_pools;
	int kept[MAX_POOLS]; /* the write ends of pipes sent: a read of them would block */
	int n_kept;
} C;

static const uint32_t interesting[] = {
	0,          1,          2,          3,          4,          5,      7,        8,
	16,         31,         32,         33,         63,         64,     65,       100,
	127,        128,        255,        256,        257,        260,    512,      1000,
	1024,       4095,       4096,       4097,       8192,       16383,  16384,    16385,
	65535,      65536,      262143,     262144,     262145,     262148, 1u << 20, 0x7fffffff,
	0x80000000, 0x80000004, 0xfffffffc, 0xffffffff, 0xffffffc0, /* -64 */
	0x34325258,                                                 /* XR24 */
	0x34325241,                                                 /* AR24 */
	0x34324258,                                                 /* XB24 */
	0x34324241,                                                 /* AB24 */
	0x30334258,                                                 /* XB30 */
	0x30334241,                                                 /* AB30 */
	0x48344241,                                                 /* AB4H */
	0x20203852,                                                 /* R8, never offered */
	0x00ffffff, /* DRM_FORMAT_MOD_INVALID low half */
};

static const char *const strings[] = {
	"",
	"handoff",
	"title",
	"org.example.app",
	"wl_compositor",
	"handoff_manager_v1",
	"xdg_wm_base",
	"wl_shm",
	"wp_presentation",
	"a long string that is longer than most titles are, to reach the copy paths of strings",
};

static void silent_log(const char *fmt, va_list args)
{
}

static void client_handle_destroy(struct wl_listener *listener, void *data)
{
	C.client = NULL;
}

static bool send_msg(const uint32_t *words, size_t n_words, const int *fds, int n_fds)
{
	struct iovec iov = {.iov_base = (void *)words, .iov_len = n_words * 4};
	union {
		char buf[CMSG_SPACE(sizeof(int) * 8)];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	if (n_fds > 0) {
		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n_fds);
		struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n_fds);
		memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * (size_t)n_fds);
	}
	ssize_t r;
	do
		r = sendmsg(C.fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
	while (r < 0 && errno == EINTR);
	return r == (ssize_t)(n_words * 4);
}

/* Reads and drops whatever the presenter sent, closing the fds that came with it. */
static void drain(void)
{
	char buf[65536];
	union {
		char buf[CMSG_SPACE(sizeof(int) * 32)];
		struct cmsghdr align;
	} u;
	for (;;) {
		struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
		struct msghdr msg = {.msg_iov = &iov,
				     .msg_iovlen = 1,
				     .msg_control = u.buf,
				     .msg_controllen = sizeof(u.buf)};
		ssize_t r = recvmsg(C.fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (r <= 0)
			return;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
				continue;
			size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			int fds[32];
			memcpy(fds, CMSG_DATA(c), n * sizeof(int));
			for (size_t i = 0; i < n; i++)
				close(fds[i]);
		}
	}
}

static void dispatch(int times)
{
	for (int i = 0; i < times; i++) {
		wl_event_loop_dispatch(P.server.loop, 0);
		wl_display_flush_clients(P.server.display);
		if (C.fd >= 0)
			drain();
	}
}

static int sealed_memfd(const char *name, off_t size, unsigned flags, unsigned seals)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING | flags);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, size) < 0 || (seals && fcntl(fd, F_ADD_SEALS, seals) < 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

static struct hf_timeline *new_timeline(void)
{
	if (C.n_timelines == MAX_TIMELINES)
		return C.timelines[C.n_timelines - 1];
	struct hf_timeline *tl = hf_timeline_create();
	if (tl)
		C.timelines[C.n_timelines++] = tl;
	return tl;
}

/* A new fd of the kind the byte picks; the caller closes it after sending. -1 on failure. */
static int make_fd(struct fuzz_input *in)
{
	uint8_t kind = in_byte(in) % 18;
	switch (kind) {
	case 0: /* 64x64 XRGB8888 */
		return sealed_memfd(IMAGE_NAME, 64 * 64 * 4, 0, F_SEAL_SHRINK);
	case 1:
		return sealed_memfd(IMAGE_NAME, 1 << 20, 0, F_SEAL_SHRINK | F_SEAL_GROW);
	case 2:
		return sealed_memfd(IMAGE_NAME, 0, 0, F_SEAL_SHRINK);
	case 3: { /* unsealed: what a wl_shm pool is made of, and what create_buffer refuses */
		int fd = sealed_memfd(IMAGE_NAME, 64 * 64 * 4, 0, 0);
		if (fd >= 0 && C.n_pools < MAX_POOLS)
			C.pools[C.n_pools++] = dup(fd);
		return fd;
	}
	case 4: {
		struct hf_timeline *tl = new_timeline();
		return tl ? dup(hf_timeline_get_fd(tl)) : -1;
	}
	case 5: /* the size of a timeline, with no magic */
		return sealed_memfd("fuzz-timeline-bad", 4096, 0, F_SEAL_SHRINK);
	case 6: {
		int p[2];
		if (pipe2(p, O_CLOEXEC) < 0)
			return -1;
		close(p[1]);
		return p[0];
	}
	case 7:
		return open("/dev/null", O_RDWR | O_CLOEXEC);
	case 8: /* huge pages, sealed: refused for images and timelines */
		if (P.hugetlb)
			return sealed_memfd(IMAGE_NAME, 2 << 20, MFD_HUGETLB, F_SEAL_SHRINK);
		return sealed_memfd(IMAGE_NAME, 2 << 20, 0, F_SEAL_SHRINK);
	case 9:
		return eventfd(0, EFD_CLOEXEC);
	case 10:
		return sealed_memfd(IMAGE_NAME, 4 << 20, 0, F_SEAL_SHRINK);
	case 11: /* a timeline already sent */
		if (C.n_timelines)
			return dup(hf_timeline_get_fd(C.timelines[in_byte(in) % C.n_timelines]));
		return -1;
	case 12:
		return open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	case 13:
		return sealed_memfd(IMAGE_NAME, 64 * 64 * 4, 0,
				    F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
	case 14: { /* a timeline made by hand: the right magic, a wrong version */
		int fd = sealed_memfd("fuzz-timeline-bad", 4096, 0, 0);
		uint32_t head[2] = {HF_TIMELINE_MAGIC, 2};
		if (fd >= 0 && (pwrite(fd, head, sizeof(head), 0) != sizeof(head) ||
				fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) < 0)) {
			close(fd);
			return -1;
		}
		return fd;
	}
	case 15: { /* a pipe whose writer stays: a driver that read it would hang */
		int p[2];
		if (C.n_kept == MAX_POOLS || pipe2(p, O_CLOEXEC) < 0)
			return -1;
		C.kept[C.n_kept++] = p[1];
		return p[0];
	}
	case 16: { /* laid out as a CPU Vulkan device's opaque fd: {size, offset}, then memory */
		uint64_t head[2] = {4096 + 64 * 64 * 4, 4096};
		int fd = sealed_memfd(IMAGE_NAME, (off_t)head[0], 0, 0);
		if (fd >= 0 && (pwrite(fd, head, sizeof(head), 0) != sizeof(head) ||
				fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) < 0)) {
			close(fd);
			return -1;
		}
		return fd;
	}
	default: { /* a socket */
		int s[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s) < 0)
			return -1;
		close(s[1]);
		return s[0];
	}
	}
}

static void add_object(uint32_t id, const struct wl_interface *iface, uint32_t version)
{
	if (C.n_objects < MAX_OBJECTS)
		C.objects[C.n_objects++] = (struct object){id, iface, version};
}

static uint32_t pick_object(struct fuzz_input *in, const struct wl_interface *iface, bool nullable)
{
	uint8_t sel = in_byte(in);
	if (sel == 0xff && nullable)
		return 0;
	if (sel >= 0xfe || !iface)
		return C.objects[in_byte(in) % C.n_objects].id;
	int match[MAX_OBJECTS], n = 0;
	for (int i = 0; i < C.n_objects; i++)
		if (C.objects[i].iface == iface)
			match[n++] = i;
	if (n == 0)
		return C.objects[sel % C.n_objects].id;
	return C.objects[match[sel % n]].id;
}

static uint32_t signature_since(const char *sig)
{
	uint32_t v = 0;
	while (*sig >= '0' && *sig <= '9')
		v = v * 10 + (uint32_t)(*sig++ - '0');
	return v ? v : 1;
}

#define MSG_WORDS 256

struct message {
	uint32_t words[MSG_WORDS];
	size_t n;
	int fds[8];
	int n_fds;
};

static void put(struct message *m, uint32_t w)
{
	if (m->n < MSG_WORDS)
		m->words[m->n++] = w;
}

static void put_bytes(struct message *m, const void *bytes, uint32_t len)
{
	put(m, len);
	uint32_t padded[MSG_WORDS] = {0};
	memcpy(padded, bytes, len);
	for (uint32_t i = 0; i < (len + 3) / 4; i++)
		put(m, padded[i]);
}

static void put_string(struct message *m, const char *s)
{
	put_bytes(m, s, (uint32_t)strlen(s) + 1);
}

/* wl_registry.bind, with a correct name and interface, the version the input picks. */
static void make_bind(struct fuzz_input *in, struct message *m)
{
	const struct global *g = &P.globals[in_byte(in) % P.n_globals];
	uint8_t v = in_byte(in);
	uint32_t version = v < 0xf0 ? 1 + v % g->version : in_u32(in);
	put(m, g->name);
	put_string(m, g->iface->name);
	put(m, version);
	uint32_t id = C.next_id++;
	put(m, id);
	add_object(id, g->iface, version);
}

static void make_args(struct fuzz_input *in, struct message *m, const struct wl_message *method,
		      uint32_t version)
{
	const char *sig = method->signature;
	int arg = 0;
	bool nullable = false;
	for (; *sig; sig++) {
		if (*sig >= '0' && *sig <= '9')
			continue;
		if (*sig == '?') {
			nullable = true;
			continue;
		}
		const struct wl_interface *type = method->types[arg++];
		switch (*sig) {
		case 'i':
		case 'u': {
			uint8_t sel = in_byte(in);
			uint32_t n = sizeof(interesting) / sizeof(interesting[0]);
			put(m, sel < 0xe0 ? interesting[sel % n] : in_u32(in));
			break;
		}
		case 'f':
			put(m, in_u32(in));
			break;
		case 's': {
			uint8_t sel = in_byte(in);
			if (nullable && sel == 0xff)
				put(m, 0);
			else
				put_string(m,
					   strings[sel % (sizeof(strings) / sizeof(strings[0]))]);
			break;
		}
		case 'a': {
			uint8_t bytes[64];
			uint32_t len = in_byte(in) % (sizeof(bytes) + 1);
			for (uint32_t i = 0; i < len; i++)
				bytes[i] = in_byte(in);
			put_bytes(m, bytes, len);
			break;
		}
		case 'o':
			put(m, pick_object(in, type, nullable));
			break;
		case 'n': {
			uint32_t id = C.next_id++;
			put(m, id);
			add_object(id, type, version);
			break;
		}
		case 'h': {
			int fd = make_fd(in);
			if (fd < 0)
				fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
			if (m->n_fds < 8)
				m->fds[m->n_fds++] = fd;
			break;
		}
		}
		nullable = false;
	}
}

static void do_request(struct fuzz_input *in)
{
	const struct object *obj = &C.objects[in_byte(in) % C.n_objects];
	const struct wl_interface *iface = obj->iface;
	if (!iface || iface->method_count == 0) {
		in_byte(in);
		return;
	}
	/* Only the methods this object's version has: libwayland refuses the others itself. */
	int usable[64], n = 0;
	for (int i = 0; i < iface->method_count && n < 64; i++)
		if (signature_since(iface->methods[i].signature) <= obj->version)
			usable[n++] = i;
	if (n == 0)
		return;
	int opcode = usable[in_byte(in) % n];
	if (P.avoid) {
		char word[128];
		snprintf(word, sizeof(word), " %s.%s ", iface->name, iface->methods[opcode].name);
		if (strstr(P.avoid, word))
			return;
	}
	struct message m = {.n = 2};
	m.words[0] = obj->id;
	if (iface == &wl_registry_interface && opcode == REGISTRY_BIND)
		make_bind(in, &m);
	else
		make_args(in, &m, &iface->methods[opcode], obj->version);
	m.words[1] = (uint32_t)(m.n * 4) << 16 | (uint32_t)opcode;
	send_msg(m.words, m.n, m.fds, m.n_fds);
	for (int i = 0; i < m.n_fds; i++)
		close(m.fds[i]);
}

static void bump_futex(struct hf_timeline *tl)
{
	uint32_t *word = hf_timeline_futex_word(tl);
	__atomic_add_fetch(word, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, word, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
}

static void do_operation(struct fuzz_input *in)
{
	uint8_t op = in_byte(in) % 16;
	if (op < 10) {
		do_request(in);
		dispatch(1);
		return;
	}
	switch (op) {
	case 10: {
		uint8_t i = in_byte(in), point = in_byte(in);
		if (C.n_timelines)
			hf_timeline_signal(C.timelines[i % C.n_timelines], point);
		if (point > C.highest_point)
			C.highest_point = point;
		break;
	}
	case 11:
		dispatch(in_byte(in) % 8 + 1);
		break;
	case 12: {
		uint8_t i = in_byte(in);
		if (C.n_timelines)
			bump_futex(C.timelines[i % C.n_timelines]);
		break;
	}
	case 13: {
		uint8_t i = in_byte(in), size = in_byte(in);
		if (C.n_pools && ftruncate(C.pools[i % C.n_pools], (off_t)size * 256) < 0)
			break;
		break;
	}
	case 14:
		for (int i = 0; i < C.n_timelines; i++)
			hf_timeline_signal(C.timelines[i], UINT64_MAX);
		break;
	case 15:
		nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
		dispatch(1);
		break;
	}
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		abort();
	int n = 0;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void print_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char path[300], target[256];
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = 0;
			fprintf(stderr, "  fd %s -> %s\n", e->d_name, target);
		}
	}
	if (d)
		closedir(d);
}

/* Mappings of client memory: images and timelines, good or bad. */
static int count_client_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f)
		abort();
	char line[512];
	int n = 0;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "memfd:fuzz-") || strstr(line, "memfd:handoff-timeline"))
			n++;
	fclose(f);
	return n;
}

/* Reads the registry of a first client: the globals' names and versions. */
static void learn_globals(void)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	struct wl_client *client = wl_client_create(P.server.display, sv[0]);
	if (!client)
		abort();
	C.fd = sv[1];
	uint32_t get_registry[3] = {1, 12u << 16 | DISPLAY_GET_REGISTRY, 2};
	send_msg(get_registry, 3, NULL, 0);
	wl_event_loop_dispatch(P.server.loop, 0);
	wl_display_flush_clients(P.server.display);
	uint32_t buf[4096];
	ssize_t len = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT);
	const struct wl_interface *known[] = {
		&wl_compositor_interface,      &wl_shm_interface,
		&xdg_wm_base_interface,        &wp_presentation_interface,
		&handoff_manager_v1_interface,
	};
	for (size_t pos = 0; len > 0 && pos + 2 <= (size_t)len / 4;) {
		uint32_t size = buf[pos + 1] >> 16;
		if (size < 8 || pos + size / 4 > (size_t)len / 4)
			break;
		if (buf[pos] == 2 && (buf[pos + 1] & 0xffff) == REGISTRY_GLOBAL &&
		    P.n_globals < MAX_GLOBALS) {
			const char *name = (const char *)&buf[pos + 4];
			uint32_t slen = buf[pos + 3];
			uint32_t version = buf[pos + 4 + (slen + 3) / 4];
			for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
				if (strcmp(name, known[i]->name) == 0)
					P.globals[P.n_globals++] =
						(struct global){buf[pos + 2], version, known[i]};
		}
		pos += size / 4;
	}
	wl_client_destroy(client);
	close(sv[1]);
	C.fd = -1;
	if (P.n_globals != 5) {
		fprintf(stderr, "fuzz: expected 5 globals, found %d\n", P.n_globals);
		abort();
	}
}

static void setup(void)
{
	signal(SIGPIPE, SIG_IGN);
	hf_log_init(getenv("HANDOFF_FUZZ_VERBOSE") ? HF_LOG_DEBUG : HF_LOG_SILENT, "fuzz");
	if (!getenv("HANDOFF_FUZZ_VERBOSE"))
		wl_log_set_handler_server(silent_log);
	const char *avoid = getenv("HANDOFF_FUZZ_AVOID");
	if (avoid && *avoid) {
		static char padded[1024];
		snprintf(padded, sizeof(padded), " %s ", avoid);
		P.avoid = padded;
	}
	int huge = memfd_create("fuzz-probe", MFD_CLOEXEC | MFD_HUGETLB);
	P.hugetlb = huge >= 0;
	if (huge >= 0)
		close(huge);
	struct hf_server *server = &P.server;
	P.opts.renderer = HF_RENDERER_PIXMAN;
	P.opts.check = HF_CHECK_SOLID; /* the checker reads what the repaint drew */
	server->shared.config =
		(struct hf_repaint_config){.check = P.opts.check, .ignore_reads_output = -1};
	server->display = wl_display_create();
	if (!server->display)
		abort();
	server->loop = wl_display_get_event_loop(server->display);
	/* HANDOFF_FUZZ_RENDERER=vulkan: any Vulkan device (lavapipe here), whose create_vk_image
	 * hands fds to a driver; HANDOFF_FUZZ_OUTPUT=wayland: nested in $WAYLAND_DISPLAY, with
	 * direct frames passing images on to the parent. */
	const char *renderer = getenv("HANDOFF_FUZZ_RENDERER");
	if (renderer && !strcmp(renderer, "vulkan")) {
		char why[256];
		P.opts.renderer = HF_RENDERER_VULKAN;
		server->renderer = hf_renderer_vulkan_create(server->loop, true, why, sizeof(why));
		if (!server->renderer) {
			fprintf(stderr, "fuzz: no Vulkan renderer: %s\n", why);
			exit(77);
		}
	} else {
		server->renderer = hf_renderer_pixman_create();
	}
	P.sync = hf_sync_create(server->loop, server->renderer);
	server->compositor = hf_compositor_create(server->display, P.sync, server->renderer);
	if (!server->renderer || !P.sync || !server->compositor ||
	    !hf_protocols_init(server->compositor))
		abort();
	const char *output = getenv("HANDOFF_FUZZ_OUTPUT");
	bool nested = output && !strcmp(output, "wayland");
	server->shared.config.direct.enabled = nested;
	hf_server_init(server);
	/* Two outputs of other sizes, as --output given twice: every window shows on both; nested,
	 * the first is a window in the parent, with direct frames. */
	struct hf_output *outputs[2] = {
		nested ? hf_output_wayland_create(server->loop, 256, 256, false)
		       : hf_output_headless_create(server->loop, 256, 256, 0),
		hf_output_headless_create(server->loop, 200, 120, 0)};
	for (int i = 0; i < 2; i++)
		if (!outputs[i] || !hf_server_add_output(server, outputs[i]))
			abort();
	hf_server_schedule_frame(server);
	C.fd = -1;
	learn_globals();
	dispatch(4);
}

static void client_begin(void)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	C.client = wl_client_create(P.server.display, sv[0]);
	if (!C.client)
		abort();
	C.client_destroy.notify = client_handle_destroy;
	wl_client_add_destroy_listener(C.client, &C.client_destroy);
	C.fd = sv[1];
	C.n_objects = 0;
	C.n_timelines = 0;
	C.n_pools = 0;
	C.n_kept = 0;
	C.highest_point = 0;
	add_object(1, &wl_display_interface, 1);
	C.next_id = 2;
	/* The registry, then every global at its advertised version. */
	struct message m = {.n = 3, .words = {1, 12u << 16 | DISPLAY_GET_REGISTRY, 2}};
	send_msg(m.words, m.n, NULL, 0);
	add_object(C.next_id++, &wl_registry_interface, 1);
	for (int i = 0; i < P.n_globals; i++) {
		const struct global *g = &P.globals[i];
		m = (struct message){.n = 2};
		m.words[0] = 2;
		put(&m, g->name);
		put_string(&m, g->iface->name);
		put(&m, g->version);
		put(&m, C.next_id);
		m.words[1] = (uint32_t)(m.n * 4) << 16 | REGISTRY_BIND;
		send_msg(m.words, m.n, NULL, 0);
		add_object(C.next_id++, g->iface, g->version);
	}
	dispatch(1);
}

static void client_end(void)
{
	if (C.client) {
		wl_list_remove(&C.client_destroy.link);
		wl_client_destroy(C.client);
		C.client = NULL;
	}
	close(C.fd);
	C.fd = -1;
	for (int i = 0; i < C.n_timelines; i++)
		hf_timeline_unref(C.timelines[i]);
	for (int i = 0; i < C.n_pools; i++)
		close(C.pools[i]);
	for (int i = 0; i < C.n_kept; i++)
		close(C.kept[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		setup();
		ready = true;
	}
	int fds_before = count_fds();
	int maps_before = count_client_maps();
	struct fuzz_input in = {data, size, 0};
	client_begin();
	for (int ops = 0; ops < MAX_OPS && !in_done(&in) && C.client; ops++)
		do_operation(&in);
	dispatch(4);
	client_end();
	/* The waiter thread lets go of a timeline once it wakes: give it a moment. */
	int fds = 0, maps = 0;
	for (int tries = 0; tries < 200; tries++) {
		dispatch(1);
		fds = count_fds();
		maps = count_client_maps();
		if (fds == fds_before && maps == maps_before)
			break;
		nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
	}
	if (fds != fds_before || maps != maps_before) {
		fprintf(stderr,
			"fuzz: the presenter kept %d fds and %d mappings of a gone client\n",
			fds - fds_before, maps - maps_before);
		print_fds();
		abort();
	}
	if (!wl_list_empty(&P.server.compositor->surfaces) ||
	    !wl_list_empty(&P.server.compositor->windows)) {
		fprintf(stderr, "fuzz: the presenter kept surfaces or windows of a gone client\n");
		abort();
	}
	return 0;
}
