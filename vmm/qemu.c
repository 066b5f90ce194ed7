// SPDX-License-Identifier: GPL-2.0
/*
 * qemu.c - one QEMU process per node: the command line, the spawn, and
 * the facts about the host a pool needs (binary, memory, accelerator).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmm_int.h"

#define DEFAULT_QEMU	"qemu-system-x86_64"

int vmm_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

int vmm_qemu_path(const char *qemu, char *path, size_t plen, char *err,
		  size_t len)
{
	const char *name = qemu ? qemu : DEFAULT_QEMU;
	char *dirs, *save = NULL;

	if (strchr(name, '/')) {
		if (access(name, X_OK))
			return vmm_err(err, len, "%s: %s", name,
				       strerror(errno));
		snprintf(path, plen, "%s", name);
		return 0;
	}
	dirs = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	if (!dirs)
		return vmm_err(err, len, "out of memory");
	for (char *d = strtok_r(dirs, ":", &save); d;
	     d = strtok_r(NULL, ":", &save)) {
		snprintf(path, plen, "%s/%s", d, name);
		if (!access(path, X_OK)) {
			free(dirs);
			return 0;
		}
	}
	free(dirs);
	return vmm_err(err, len, "%s not found in PATH (Debian package "
		       "qemu-system-x86)", name);
}

long long vmm_host_mem_mb(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %lld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb / 1024;
}

static bool kvm_usable(void)
{
	char *buf = NULL;
	size_t cap = 0, n = 0;
	bool ok;
	int fd = open("/proc/cpuinfo", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	for (;;) {
		ssize_t r;

		if (n + 4096 + 1 > cap) {
			char *b = realloc(buf, cap = cap * 2 + 8192);

			if (!b) {
				free(buf);
				close(fd);
				return false;
			}
			buf = b;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (!buf)
		return false;
	buf[n] = 0;
	ok = vmm_kvm_usable(buf, access("/dev/kvm", R_OK | W_OK) == 0);
	free(buf);
	return ok;
}

enum vmm_accel vmm_accel_resolve(enum vmm_accel a)
{
	if (a != VMM_ACCEL_AUTO)
		return a;
	return kvm_usable() ? VMM_ACCEL_KVM : VMM_ACCEL_TCG;
}

/*
 * Under TCG the guest's TSC runs at the host's rate.  Telling the guest
 * kernel that rate (tsc_early_khz) skips its calibration against the
 * PIT, which fails on a loaded host ("Unable to calibrate against PIT")
 * and leaves the cloud kernel crawling with no clocksource: measured
 * here at load 16, no console output after 100 s without it, serving
 * 7.4 s into the boot with it.
 */
static long host_tsc_khz(void)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[256];
	double mhz = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "cpu MHz : %lf", &mhz) == 1)
			break;
	fclose(f);
	return (long)(mhz * 1000);
}

struct argv {
	char	*v[96];
	size_t	n;
	char	buf[8192];
	size_t	used;
	bool	overflow;
};

static void add(struct argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add(struct argv *a, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (a->n + 1 >= sizeof(a->v) / sizeof(a->v[0])) {
		a->overflow = true;
		return;
	}
	va_start(ap, fmt);
	w = vsnprintf(a->buf + a->used, sizeof(a->buf) - a->used, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= sizeof(a->buf) - a->used) {
		a->overflow = true;
		return;
	}
	a->v[a->n++] = a->buf + a->used;
	a->used += (size_t)w + 1;
}

static void build_argv(struct argv *a, const struct vmm_pool_conf *c,
		       const struct vmm_node *n, const char *qemu,
		       enum vmm_accel accel)
{
	char ip[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN], tsc[40] = "";
	const uint8_t *m = n->mac;
	long khz = accel == VMM_ACCEL_TCG ? host_tsc_khz() : 0;

	inet_ntop(AF_INET, &n->addr, ip, sizeof(ip));
	inet_ntop(AF_INET, &c->bridge_addr, gw, sizeof(gw));
	if (khz > 0)
		snprintf(tsc, sizeof(tsc), " tsc_early_khz=%ld", khz);
	add(a, "%s", qemu);
	add(a, "-name");
	add(a, "%s%s", VMM_TAG, n->name);
	add(a, "-M");
	add(a, "microvm");
	add(a, "-accel");
	add(a, "%s", accel == VMM_ACCEL_KVM ? "kvm" : "tcg");
	add(a, "-cpu");
	add(a, "%s", accel == VMM_ACCEL_KVM ? "host" : "max");
	add(a, "-m");
	add(a, "%lld", c->memory_mb);
	add(a, "-smp");
	add(a, "%lld", c->vcpus);
	add(a, "-nodefaults");
	add(a, "-no-user-config");
	add(a, "-display");
	add(a, "none");
	add(a, "-no-reboot");
	add(a, "-chardev");
	add(a, "file,id=con,path=%s,append=on", n->console);
	add(a, "-serial");
	add(a, "chardev:con");
	add(a, "-kernel");
	add(a, "%s", c->kernel);
	add(a, "-initrd");
	add(a, "%s", c->initrd);
	add(a, "-append");
	add(a, "console=ttyS0 quiet panic=-1%s node.name=%s node.addr=%s/%d "
	    "node.gw=%s node.port=%lld%s%s%s", tsc, n->name, ip, c->prefix,
	    gw, c->port, n->overlay ? " node.root=disk" : "",
	    c->cmdline ? " " : "", c->cmdline ? c->cmdline : "");
	add(a, "-netdev");
	add(a, "tap,id=net0,ifname=%s,script=no,downscript=no", n->tap);
	add(a, "-device");
	add(a, "virtio-net-device,netdev=net0,mac=%02x:%02x:%02x:%02x:%02x:%02x",
	    m[0], m[1], m[2], m[3], m[4], m[5]);
	if (n->overlay) {
		add(a, "-drive");
		add(a, "file=%s,format=qcow2,if=none,id=root", n->overlay);
		add(a, "-device");
		add(a, "virtio-blk-device,drive=root");
	}
	if (c->data_disk) {
		add(a, "-drive");
		add(a, "file=%s,format=raw,readonly=on,if=none,id=data",
		    c->data_disk);
		add(a, "-device");
		add(a, "virtio-blk-device,drive=data");
	}
	add(a, "-qmp");
	add(a, "unix:%s,server=on,wait=off", n->qmp);
	for (size_t i = 0; c->qemu_args && c->qemu_args[i]; i++)
		add(a, "%s", c->qemu_args[i]);
	a->v[a->n] = NULL;
}

/* In the child: QEMU dies with its parent unless the pool keeps nodes. */
static void child_exec(const struct vmm_pool_conf *c, struct argv *a,
		       int logfd, int errfd)
{
	sigset_t all;
	int e, null;

	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	if (!c->keep_nodes)
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	setsid();
	null = open("/dev/null", O_RDONLY);
	if (null >= 0)
		dup2(null, 0);
	dup2(logfd, 1);
	dup2(logfd, 2);
	execv(a->v[0], a->v);
	e = errno;
	if (write(errfd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

pid_t vmm_qemu_spawn(const struct vmm_pool_conf *c, const struct vmm_node *n,
		     const char *qemu_path, enum vmm_accel accel, char *err,
		     size_t len)
{
	struct argv a = { .n = 0 };
	int p[2], logfd, e = 0;
	ssize_t r;
	pid_t pid;

	build_argv(&a, c, n, qemu_path, accel);
	if (a.overflow)
		return vmm_err(err, len, "%s: QEMU command line too long",
			       n->name);
	logfd = open(n->console, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		     0640);
	if (logfd < 0)
		return vmm_err(err, len, "%s: %s: %s", n->name, n->console,
			       strerror(errno));
	if (pipe2(p, O_CLOEXEC)) {
		close(logfd);
		return vmm_err(err, len, "%s: pipe: %s", n->name,
			       strerror(errno));
	}
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		child_exec(c, &a, logfd, p[1]);
	}
	close(p[1]);
	close(logfd);
	if (pid < 0) {
		close(p[0]);
		return vmm_err(err, len, "%s: fork: %s", n->name,
			       strerror(errno));
	}
	/* The pipe closes at exec; errno comes through it otherwise. */
	do
		r = read(p[0], &e, sizeof(e));
	while (r < 0 && errno == EINTR);
	close(p[0]);
	if (r == sizeof(e)) {
		waitpid(pid, NULL, 0);
		return vmm_err(err, len, "%s: %s: %s", n->name, qemu_path,
			       strerror(e));
	}
	return pid;
}

bool vmm_qemu_is_ours(pid_t pid, const char *name)
{
	char path[64], buf[4096], want[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	snprintf(want, sizeof(want), "%s%s", VMM_TAG, name);
	for (ssize_t i = 0; i < n; i += (ssize_t)strlen(buf + i) + 1)
		if (!strcmp(buf + i, want))
			return true;
	return false;
}
