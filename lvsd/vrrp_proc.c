// SPDX-License-Identifier: GPL-2.0
/* vrrp_proc.c - VRRP in a process of its own: see vrrp_proc.h. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf_guard.h"
#include "log.h"
#include "loop.h"
#include "script.h"
#include "vrrp_proc.h"
#include "vrrp_sub.h"

#define CHILD_FD		3
#define READY_WAIT_MS		10000
#define ASK_WAIT_MS		2000
#define STOP_WAIT_MS		5000
#define RESTART_FIRST_US	500000LL
#define RESTART_MAX_US		30000000LL
#define RESTART_RESET_US	60000000LL	/* a child up this long: reset */
#define RELOAD_PARSE_MAX_S	30
#define MSG_MAX			(1 << 22)

/* ---- framing: "SEQ LEN\n" and LEN bytes, both ways ---- */

static int64_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read exactly LEN bytes before DEADLINE (ms_now()): 0, or -1. */
static int read_full(int fd, void *buf, size_t len, int64_t deadline)
{
	char *p = buf;

	while (len) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - ms_now();
		ssize_t n;

		if (left <= 0)
			return -1;
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			return -1;
		if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(fd, p, len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };

			if (poll(&pfd, 1, ASK_WAIT_MS) <= 0)
				return -1;
			continue;
		}
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int send_msg(int fd, unsigned int seq, const char *data, size_t len)
{
	char head[48];
	int n = snprintf(head, sizeof(head), "%u %zu\n", seq, len);

	if (write_full(fd, head, (size_t)n))
		return -1;
	return write_full(fd, data, len);
}

/* One message; *DATA is malloc'd and NUL-terminated.  0, or -1. */
static int read_msg(int fd, int64_t deadline, unsigned int *seq,
		    char **data, size_t *len)
{
	char head[48];
	size_t i = 0;
	unsigned long long l;

	for (;;) {
		if (i + 1 >= sizeof(head) ||
		    read_full(fd, &head[i], 1, deadline))
			return -1;
		if (head[i] == '\n')
			break;
		i++;
	}
	head[i] = '\0';
	if (sscanf(head, "%u %llu", seq, &l) != 2 || l > MSG_MAX)
		return -1;
	*data = malloc(l + 1);
	if (!*data)
		return -1;
	if (read_full(fd, *data, l, deadline)) {
		free(*data);
		return -1;
	}
	(*data)[l] = '\0';
	*len = l;
	return 0;
}

/* ---- the parent ---- */

static struct {
	const char		*path;
	const struct conf_opts	*opts;
	const char		*backend;
	bool			active;		/* supervising */
	pid_t			pid;		/* 0: none now */
	int			fd;
	struct lchild		*watch;
	struct ltimer		*restart;
	int64_t			started;	/* loop_clock() */
	int64_t			delay;		/* the next restart's */
	unsigned long long	restarts;
	unsigned int		seq;
} P = { .fd = -1 };

static void child_exited(struct lchild *c, pid_t pid, int status, void *arg);

static void exec_child(int sock, pid_t parent)
{
	char *argv[10];
	sigset_t none;
	int n = 0;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* A reload before the child watches SIGHUP must not end it. */
	signal(SIGHUP, SIG_IGN);
	/* The parent gone, the child resigns (its stop path). */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(0);
	if (sock == CHILD_FD) {
		if (fcntl(sock, F_SETFD, 0) < 0)
			_exit(127);
	} else if (dup2(sock, CHILD_FD) < 0) {
		_exit(127);
	}
	close_range(CHILD_FD + 1, ~0U, 0);
	argv[n++] = "lvsd-vrrp";
	argv[n++] = VRRP_CHILD_ARG;
	argv[n++] = "-f";
	argv[n++] = (char *)P.path;
	argv[n++] = "-b";
	argv[n++] = (char *)P.backend;
	if (P.opts->config_id) {
		argv[n++] = "-i";
		argv[n++] = (char *)P.opts->config_id;
	}
	argv[n] = NULL;
	execv("/proc/self/exe", argv);
	_exit(127);
}

/* Fork and exec a child: 0, or -1 with ERR. */
static int spawn(char *err, size_t len)
{
	pid_t parent = getpid(), pid;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		snprintf(err, len, "VRRP process: socketpair: %s",
			 strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, len, "VRRP process: fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (!pid)
		exec_child(sv[1], parent);
	close(sv[1]);
	P.pid = pid;
	P.fd = sv[0];
	P.started = loop_clock();
	P.watch = lchild_watch(pid, child_exited, NULL);
	return 0;
}

/* Reap the child now (it was told to go, or has gone). */
static void reap(int64_t wait_ms)
{
	int64_t deadline = ms_now() + wait_ms;
	int status;

	if (P.watch)
		lchild_cancel(P.watch);
	P.watch = NULL;
	while (waitpid(P.pid, &status, WNOHANG) == 0) {
		if (ms_now() >= deadline) {
			rt_log("VRRP process %d did not stop in %lld ms: "
			       "killed", (int)P.pid, (long long)wait_ms);
			kill(P.pid, SIGKILL);
			waitpid(P.pid, &status, 0);
			break;
		}
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	}
	P.pid = 0;
	if (P.fd >= 0)
		close(P.fd);
	P.fd = -1;
}

static void restart_now(struct ltimer *t, void *arg)
{
	char err[256];

	if (!P.active || P.pid)
		return;
	P.restarts++;
	if (spawn(err, sizeof(err))) {
		rt_log("%s", err);
		ltimer_start(P.restart, P.delay);
		P.delay = P.delay * 2 > RESTART_MAX_US ? RESTART_MAX_US :
			  P.delay * 2;
		return;
	}
	rt_log("VRRP process %d started (restart %llu)", (int)P.pid,
	       P.restarts);
}

/* A child that could not start told why on the socket: log it. */
static void last_words(void)
{
	unsigned int seq;
	char *msg;
	size_t n;

	while (!read_msg(P.fd, ms_now() + 100, &seq, &msg, &n)) {
		if (!seq && strcmp(msg, "ready"))
			rt_log("VRRP process: %s", msg);
		free(msg);
	}
	close(P.fd);
}

static void child_exited(struct lchild *c, pid_t pid, int status, void *arg)
{
	char how[64];

	P.watch = NULL;
	if (pid != P.pid)
		return;
	if (P.fd >= 0)
		last_words();
	P.fd = -1;
	P.pid = 0;
	if (!P.active)
		return;
	if (WIFSIGNALED(status))
		snprintf(how, sizeof(how), "was killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(how, sizeof(how), "exited with status %d",
			 WEXITSTATUS(status));
	if (loop_clock() - P.started >= RESTART_RESET_US)
		P.delay = RESTART_FIRST_US;
	rt_log("VRRP process %d %s; starting a new one in %lld ms", (int)pid,
	       how, (long long)(P.delay / 1000));
	ltimer_start(P.restart, P.delay);
	P.delay = P.delay * 2 > RESTART_MAX_US ? RESTART_MAX_US : P.delay * 2;
}

int vrrp_proc_start(const char *path, const struct conf_opts *opts,
		    const char *backend, char *err, size_t len)
{
	unsigned int seq;
	char *msg = NULL;
	size_t n;

	P.path = path;
	P.opts = opts;
	P.backend = backend;
	P.delay = RESTART_FIRST_US;
	if (!P.restart)
		P.restart = ltimer_new(restart_now, NULL);
	if (spawn(err, len))
		return -1;
	/* Its first word: "ready", or why it cannot run. */
	if (read_msg(P.fd, ms_now() + READY_WAIT_MS, &seq, &msg, &n) ||
	    strcmp(msg, "ready")) {
		snprintf(err, len, "VRRP process: %s",
			 msg ? msg : "ended before it was ready");
		free(msg);
		kill(P.pid, SIGTERM);
		reap(STOP_WAIT_MS);
		return -1;
	}
	free(msg);
	P.active = true;
	rt_log("VRRP process %d started", (int)P.pid);
	return 0;
}

void vrrp_proc_reload(void)
{
	if (P.pid)
		kill(P.pid, SIGHUP);
}

void vrrp_proc_stop(void)
{
	P.active = false;
	if (P.restart) {
		ltimer_free(P.restart);
		P.restart = NULL;
	}
	if (!P.pid)
		return;
	kill(P.pid, SIGTERM);
	reap(STOP_WAIT_MS);
}

bool vrrp_proc_active(void)
{
	return P.active;
}

int vrrp_proc_ask(const char *command, FILE *out)
{
	int64_t deadline = ms_now() + ASK_WAIT_MS;
	unsigned int seq, got;
	char *data;
	size_t n;

	if (!P.pid || P.fd < 0)
		return -1;
	if (!++P.seq)
		P.seq = 1;
	seq = P.seq;
	if (send_msg(P.fd, seq, command, strlen(command)))
		return -1;
	for (;;) {
		if (read_msg(P.fd, deadline, &got, &data, &n))
			return -1;
		if (got == seq)
			break;
		free(data);		/* an answer to an older question */
	}
	fwrite(data, 1, n, out);
	free(data);
	return 0;
}

void vrrp_proc_metrics(FILE *out)
{
	if (!P.active && !P.restarts)
		return;
	fprintf(out, "# HELP lvsd_vrrp_process_up Whether the VRRP process "
		"runs.\n# TYPE lvsd_vrrp_process_up gauge\n"
		"lvsd_vrrp_process_up %d\n"
		"# HELP lvsd_vrrp_process_restarts_total VRRP processes "
		"started again after one ended.\n"
		"# TYPE lvsd_vrrp_process_restarts_total counter\n"
		"lvsd_vrrp_process_restarts_total %llu\n", P.pid ? 1 : 0,
		P.restarts);
	if (P.pid)
		vrrp_proc_ask("metrics", out);
}

/* ---- the child ---- */

static struct {
	const char		*path;
	struct conf_opts	opts;
	struct conf		*conf;
	struct lio		*io;
	char			buf[512];
	size_t			used;
	bool			reloading;
	bool			again;
	/* The reload's parse runs on a thread, off the loop. */
	pthread_t		parser;
	int			done[2];	/* the thread's "parsed" */
	struct lio		*done_io;
	struct conf		*parsed;
	bool			parsed_bad;
	bool			threaded;	/* parser to be joined */
	struct conf		*retired;	/* freed by the next parse */
} C = { .done = { -1, -1 } };

static void set_policy(const struct conf *c)
{
	char err[160];

	if (script_policy_set(c->g.script_user, c->g.script_group,
			      c->g.enable_script_security, err, sizeof(err)))
		rt_log("%s; scripts will not run", err);
}

static void answer(unsigned int seq, const char *what)
{
	char *data = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&data, &len);

	if (!f)
		return;
	if (!strcmp(what, "show"))
		vrrp_sub_show(f, false);
	else if (!strcmp(what, "show json"))
		vrrp_sub_show(f, true);
	else if (!strcmp(what, "metrics"))
		vrrp_sub_metrics(f);
	else
		fprintf(f, "unknown request '%s'\n", what);
	fclose(f);
	if (send_msg(CHILD_FD, seq, data, len))
		rt_log("cannot answer lvsd: %s", strerror(errno));
	free(data);
}

static void requests(struct lio *io, int fd, int events, void *arg)
{
	ssize_t n = read(fd, C.buf + C.used, sizeof(C.buf) - 1 - C.used);
	char *line, *nl;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		rt_log("lvsd is gone: stopping");
		lio_set(io, 0);
		loop_break();
		return;
	}
	C.used += (size_t)n;
	C.buf[C.used] = '\0';
	line = C.buf;
	while ((nl = strchr(line, '\n'))) {
		unsigned int seq;
		unsigned long long len;
		char what[64];

		*nl = '\0';
		/* "SEQ LEN" then LEN bytes: requests are short. */
		if (sscanf(line, "%u %llu", &seq, &len) == 2 &&
		    len <= (unsigned long long)(C.buf + C.used - nl - 1)) {
			snprintf(what, sizeof(what), "%.*s", (int)len, nl + 1);
			answer(seq, what);
			line = nl + 1 + len;
			continue;
		}
		*nl = '\n';
		break;
	}
	C.used -= (size_t)(line - C.buf);
	memmove(C.buf, line, C.used);
	if (C.used >= sizeof(C.buf) - 1)
		C.used = 0;		/* nothing lvsd sends is this long */
}

static void reload_start(void);

static void reload_end(void)
{
	C.reloading = false;
	if (C.again) {
		C.again = false;
		reload_start();
	}
}

/*
 * A large file takes long to parse (and the old one to free): that is
 * done on a thread so the loop goes on sending adverts meanwhile.  The
 * thread touches nothing but the configurations it reads and frees.
 */
static void *parse_thread(void *arg)
{
	struct conf_log log = { 0 };

	conf_free(C.retired);
	C.retired = NULL;
	C.parsed = conf_load(C.path, &C.opts, &log);
	C.parsed_bad = !C.parsed || conf_has_errors(&log);
	conf_log_free(&log);
	if (write(C.done[1], "", 1) != 1)
		abort();
	return NULL;
}

static void parsed(struct lio *io, int fd, int events, void *arg)
{
	char b;

	if (read(fd, &b, 1) != 1)
		return;
	pthread_join(C.parser, NULL);
	C.threaded = false;
	if (C.parsed_bad) {
		rt_log("reload: the configuration has errors; the running "
		       "instances stay");
		conf_free(C.parsed);
	} else {
		set_policy(C.parsed);
		vrrp_local_reload(C.parsed);
		rt_log("reloaded %s", C.path);
		C.retired = C.conf;
		C.conf = C.parsed;
	}
	C.parsed = NULL;
	reload_end();
}

static void guard_done(struct lchild *ch, pid_t pid, int status, void *arg)
{
	char why[512];
	int e;

	if (conf_guard_result(status, arg, RELOAD_PARSE_MAX_S, why,
			      sizeof(why))) {
		rt_log("reload: %s; the running instances stay", why);
		reload_end();
		return;
	}
	rt_log("reload: %s checked, parsing", C.path);
	e = pthread_create(&C.parser, NULL, parse_thread, NULL);
	C.threaded = !e;
	if (e) {
		rt_log("reload: cannot start the parse: %s", strerror(e));
		reload_end();
	}
}

static void reload_start(void)
{
	struct conf_progress *where;
	char err[256];
	pid_t pid;

	pid = conf_guard_fork(C.path, &C.opts, RELOAD_PARSE_MAX_S, &where,
			      err, sizeof(err));
	if (pid < 0) {
		rt_log("reload: %s", err);
		return;
	}
	C.reloading = true;
	lchild_watch(pid, guard_done, where);
}

static void on_hup(int sig, void *arg)
{
	if (C.reloading) {
		C.again = true;
		return;
	}
	reload_start();
}

static void on_term(int sig, void *arg)
{
	loop_break();
}

static int child_fail(const char *what, const char *arg)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s%s", what, arg);
	send_msg(CHILD_FD, 0, msg, strlen(msg));
	return CONF_RC_FATAL;
}

int vrrp_child_main(int argc, char **argv)
{
	struct conf_log log = { 0 };
	char err[256];
	int opt;

	optind = 1;
	while ((opt = getopt(argc, argv, "f:i:b:")) != -1) {
		switch (opt) {
		case 'f': C.path = optarg; break;
		case 'b': vrrp_backend_name = optarg; break;
		case 'i': C.opts.config_id = optarg; break;
		default: break;
		}
	}
	if (fcntl(CHILD_FD, F_SETFD, FD_CLOEXEC) < 0) {
		fprintf(stderr, "lvsd-vrrp: started by lvsd only\n");
		return CONF_RC_FATAL;
	}
	if (!C.path)
		return child_fail("no configuration file", "");
	if (loop_init())
		return child_fail("cannot start the event loop", "");
	signal(SIGPIPE, SIG_IGN);
	srand48((long)time(NULL) ^ getpid());
	/* lvsd printed the file's messages already. */
	C.conf = conf_load(C.path, &C.opts, &log);
	if (!C.conf || conf_exit_code(&log) == CONF_RC_FATAL) {
		conf_log_free(&log);
		conf_free(C.conf);
		return child_fail("cannot read ", C.path);
	}
	conf_log_free(&log);
	set_policy(C.conf);
	if (vrrp_local_start(C.conf, err, sizeof(err))) {
		conf_free(C.conf);
		return child_fail(err, "");
	}
	lsignal_watch(SIGHUP, on_hup, NULL);
	lsignal_watch(SIGTERM, on_term, NULL);
	lsignal_watch(SIGINT, on_term, NULL);
	C.io = lio_new(CHILD_FD, LOOP_READ, requests, NULL);
	if (pipe2(C.done, O_CLOEXEC))
		return child_fail("pipe: ", strerror(errno));
	C.done_io = lio_new(C.done[0], LOOP_READ, parsed, NULL);
	if (send_msg(CHILD_FD, 0, "ready", 5)) {
		vrrp_local_stop();
		conf_free(C.conf);
		return CONF_RC_FATAL;
	}
	loop_run();
	vrrp_local_stop();
	if (C.threaded) {		/* a parse under way: let it end */
		pthread_join(C.parser, NULL);
		conf_free(C.parsed);
	}
	lio_free(C.done_io);
	close(C.done[0]);
	close(C.done[1]);
	lio_free(C.io);
	conf_free(C.retired);
	conf_free(C.conf);
	return 0;
}
