/* Processes, /proc and the programs' stats files: what every measured case needs. */
#define _GNU_SOURCE
#include "bench.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* environ with WAYLAND_DISPLAY replaced; built before fork, so the child only execs. */
static char **env_with_display(const char *display, char *buf, size_t size)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	size_t j = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "WAYLAND_DISPLAY=", 16) != 0)
			env[j++] = environ[i];
	if (display) {
		snprintf(buf, size, "WAYLAND_DISPLAY=%s", display);
		env[j++] = buf;
	}
	env[j] = NULL;
	return env;
}

pid_t hb_spawn(char *const argv[], const char *display, const char *log_path)
{
	char display_buf[256];
	char **env = env_with_display(display, display_buf, sizeof(display_buf));
	if (!env) {
		fprintf(stderr, "handoff-bench: out of memory starting %s\n", argv[0]);
		return -1;
	}
	int log_fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (log_fd < 0) {
		fprintf(stderr, "handoff-bench: cannot create %s: %s\n", log_path, strerror(errno));
		free(env);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		dup2(log_fd, STDOUT_FILENO);
		dup2(log_fd, STDERR_FILENO);
		int null_fd = open("/dev/null", O_RDONLY);
		if (null_fd >= 0)
			dup2(null_fd, STDIN_FILENO);
		/* Its own process group: a terminal's ^C reaches the bench, which stops it. */
		setpgid(0, 0);
		execve(argv[0], argv, env);
		dprintf(STDERR_FILENO, "handoff-bench: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(log_fd);
	free(env);
	if (pid < 0)
		fprintf(stderr, "handoff-bench: cannot fork for %s: %s\n", argv[0],
			strerror(errno));
	return pid;
}

bool hb_wait(pid_t pid, int timeout_ms, int *status)
{
	for (int waited = 0;; waited++) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return true;
		if (r < 0 && errno != EINTR)
			return true; /* not ours, or gone already */
		if (waited >= timeout_ms)
			return false;
		hb_sleep_ms(1);
	}
}

int hb_stop(pid_t pid, int sig, int timeout_ms)
{
	if (pid <= 0)
		return -1;
	int status = -1;
	kill(pid, sig);
	if (hb_wait(pid, timeout_ms, &status))
		return status;
	kill(pid, SIGKILL);
	hb_wait(pid, 5000, &status);
	return -1;
}

bool hb_alive(pid_t pid)
{
	int status;
	return pid > 0 && waitpid(pid, &status, WNOHANG) == 0;
}

/* The first field of each thread's schedstat: its time on a CPU, in ns; -1 without them. */
static int64_t threads_schedstat_ns(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *dir = opendir(path);
	if (!dir)
		return -1;
	int64_t sum = 0;
	int threads = 0;
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		char file[320];
		snprintf(file, sizeof(file), "/proc/%d/task/%s/schedstat", (int)pid, e->d_name);
		FILE *f = fopen(file, "r");
		unsigned long long ns;
		if (!f)
			continue; /* the thread just ended */
		if (fscanf(f, "%llu", &ns) == 1) {
			sum += (int64_t)ns;
			threads++;
		}
		fclose(f);
	}
	closedir(dir);
	return threads ? sum : -1;
}

/* The process's CPU time in ns: from every thread's schedstat (ns resolution: a presenter that
 * forwards frames can use less than one 10 ms tick over a short window), else from utime and
 * stime in clock ticks. */
int64_t hb_proc_cpu_ns(pid_t pid)
{
	int64_t ns = threads_schedstat_ns(pid);
	if (ns >= 0)
		return ns;
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: fields count from the last ')'. */
	char *p = strrchr(buf, ')');
	if (!p)
		return -1;
	unsigned long long utime, stime;
	/* Fields 3..13 skipped, 14 utime, 15 stime. */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
		   &stime) != 2)
		return -1;
	long ticks = sysconf(_SC_CLK_TCK);
	return (int64_t)((utime + stime) * (1000000000ull / (unsigned long long)ticks));
}

pid_t hb_first_child(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	int child = 0;
	if (fscanf(f, "%d", &child) != 1)
		child = 0;
	fclose(f);
	return child;
}

bool hb_wait_socket(const char *runtime_dir, const char *name, pid_t owner, int timeout_ms)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", runtime_dir, name);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(addr.sun_path))
		return false;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	for (int i = 0; i < timeout_ms / 10; i++) {
		/* Accepting, not only there: the file exists from bind(), before listen(), and a
		 * connection in between is refused (bench_smoke's tap was, once under load). */
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		bool up = fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
		if (fd >= 0)
			close(fd);
		if (up)
			return true;
		if (owner > 0 && !hb_alive(owner))
			return false;
		hb_sleep_ms(10);
	}
	return false;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *bigger = realloc(buf, cap *= 2);
			if (!bigger) {
				free(buf);
				buf = NULL;
			}
			buf = bigger;
		}
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

bool hb_json_number(const char *path, const char *in, const char *key, double *out)
{
	char *text = read_file(path);
	if (!text)
		return false;
	char pattern[128];
	const char *from = text;
	if (in) {
		snprintf(pattern, sizeof(pattern), "\"%s\":", in);
		from = strstr(text, pattern);
	}
	bool ok = false;
	if (from) {
		snprintf(pattern, sizeof(pattern), "\"%s\":", key);
		const char *at = strstr(from, pattern);
		if (at) {
			char *end;
			*out = strtod(at + strlen(pattern), &end);
			ok = end != at + strlen(pattern);
		}
	}
	free(text);
	return ok;
}

void hb_show_log(const char *path)
{
	char *text = read_file(path);
	if (!text)
		return;
	size_t len = strlen(text);
	const char *start = len > 2000 ? text + len - 2000 : text;
	fprintf(stderr, "---- last lines of %s ----\n%s\n----\n", path, start);
	free(text);
}

char *hb_find_program(const char *name)
{
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char *copy = strdup(path), *save = NULL;
	if (!copy)
		return NULL;
	char *found = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char candidate[4096];
		snprintf(candidate, sizeof(candidate), "%s/%s", dir, name);
		if (access(candidate, X_OK) == 0)
			found = strdup(candidate);
	}
	free(copy);
	return found;
}

int64_t hb_now(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void hb_sleep_ms(int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
	}
}

void hb_progress(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "handoff-bench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
}

int hb_compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double hb_percentile(const double *sorted, size_t n, double percent)
{
	if (n == 0)
		return 0;
	size_t rank = (size_t)((double)n * percent / 100.0 + 0.999999);
	return sorted[rank ? rank - 1 : 0];
}
