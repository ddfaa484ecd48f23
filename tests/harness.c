#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int hf_test_count_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	if (!dir)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dir)))
		if (e->d_name[0] != '.')
			n++;
	closedir(dir);
	return n - 1; /* the directory's own fd */
}

void hf_test_skip(const char *why)
{
	fprintf(stderr, "skipped: %s\n", why);
	fflush(stderr);
	_exit(HF_TEST_SKIP);
}

static int run_one(const struct hf_test *t)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		/* Own process group, so a test's helpers die with it on timeout. */
		setpgid(0, 0);
		alarm(t->timeout_s ? t->timeout_s : 60);
		if (t->setup)
			t->setup();
		int before = hf_test_count_fds();
		t->run();
		int after = hf_test_count_fds();
		if (after != before) {
			fprintf(stderr, "%s leaked %d file descriptor(s)\n", t->name,
				after - before);
			exit(1);
		}
		exit(0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
	}
	kill(-pid, SIGKILL);
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "%s: %s\n", t->name,
			WTERMSIG(status) == SIGALRM ? "timed out" : strsignal(WTERMSIG(status)));
		return 1;
	}
	return WEXITSTATUS(status);
}

int hf_test_main(int argc, char **argv, const struct hf_test *tests, int n)
{
	int passed = 0, failed = 0, skipped = 0;
	for (int i = 0; i < n; i++) {
		if (argc > 1 && strcmp(argv[1], tests[i].name) != 0)
			continue;
		int r = run_one(&tests[i]);
		const char *verdict = r == 0 ? "PASS" : r == HF_TEST_SKIP ? "SKIP" : "FAIL";
		printf("%s %s\n", verdict, tests[i].name);
		if (r == 0)
			passed++;
		else if (r == HF_TEST_SKIP)
			skipped++;
		else
			failed++;
	}
	if (passed + failed + skipped == 0) {
		fprintf(stderr, "no test named %s\n", argc > 1 ? argv[1] : "(none)");
		return 1;
	}
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	if (failed)
		return 1;
	return passed == 0 ? HF_TEST_SKIP : 0;
}
