// SPDX-License-Identifier: GPL-2.0
/*
 * image.c - disk-image nodes boot from a qcow2 overlay over the pool's
 * base image, made by qemu-img when the node boots and removed when it is
 * retired: N nodes cost one base plus N small overlays.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmm_int.h"

int vmm_overlay_create(const char *base, const char *overlay, char *err,
		       size_t len)
{
	char *argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", "-b",
			 (char *)base, "-F", "qcow2", (char *)overlay, NULL };
	int status;
	pid_t pid;

	unlink(overlay);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "qemu-img: %s\n", strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		return vmm_err(err, len, "fork: %s", strerror(errno));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return vmm_err(err, len, "waitpid: %s",
				       strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		unlink(overlay);
		return vmm_err(err, len, "qemu-img create %s over %s failed "
			       "(status %d)", overlay, base,
			       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	return 0;
}

void vmm_overlay_remove(const char *overlay)
{
	if (overlay)
		unlink(overlay);
}
