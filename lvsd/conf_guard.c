// SPDX-License-Identifier: GPL-2.0
/* conf_guard.c - see conf_guard.h. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf_guard.h"

static void child(const char *path, const struct conf_opts *opts,
		  unsigned int timeout_s)
{
	struct conf_log log = { 0 };
	struct conf *c;

	/* The default action of SIGALRM ends a parse that does not. */
	signal(SIGALRM, SIG_DFL);
	alarm(timeout_s);
	c = conf_load(path, opts, &log);
	/* Lets the host tests prove a crash here leaves the daemon up. */
	if (getenv("LVSD_TEST_PARSER_CRASH")) {
		signal(SIGSEGV, SIG_DFL);	/* past a sanitizer's handler */
		raise(SIGSEGV);
	}
	conf_free(c);
	conf_log_free(&log);
	_exit(0);
}

pid_t conf_guard_fork(const char *path, const struct conf_opts *opts,
		      unsigned int timeout_s, struct conf_progress **where,
		      char *err, size_t errlen)
{
	pid_t pid;

	*where = mmap(NULL, sizeof(**where), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (*where == MAP_FAILED) {
		*where = NULL;
		snprintf(err, errlen, "cannot set up the parse check: %s",
			 strerror(errno));
		return -1;
	}
	memset(*where, 0, sizeof(**where));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot fork the parse check: %s",
			 strerror(errno));
		munmap(*where, sizeof(**where));
		*where = NULL;
		return -1;
	}
	if (!pid) {
		conf_progress = *where;
		child(path, opts, timeout_s);
	}
	return pid;
}

int conf_guard_result(int status, struct conf_progress *where,
		      unsigned int timeout_s, char *err, size_t errlen)
{
	char place[sizeof(where->file) + 16] = "";

	if (where->file[0])
		snprintf(place, sizeof(place), "%.*s:%d: ",
			 (int)sizeof(where->file) - 1, where->file,
			 where->line);
	munmap(where, sizeof(*where));
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		snprintf(err, errlen, "%sthe parser took more than %u s",
			 place, timeout_s);
	else if (WIFSIGNALED(status))
		snprintf(err, errlen, "%sthe parser was killed by signal %d "
			 "(%s)", place, WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(err, errlen, "%sthe parser exited with status %d",
			 place, WEXITSTATUS(status));
	return -1;
}

int conf_guard_probe(const char *path, const struct conf_opts *opts,
		     unsigned int timeout_s, char *err, size_t errlen)
{
	struct conf_progress *where;
	int status;
	pid_t pid;

	pid = conf_guard_fork(path, opts, timeout_s, &where, err, errlen);
	if (pid < 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(err, errlen, "parse check lost: %s",
				 strerror(errno));
			munmap(where, sizeof(*where));
			return -1;
		}
	return conf_guard_result(status, where, timeout_s, err, errlen);
}
