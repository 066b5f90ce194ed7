// SPDX-License-Identifier: GPL-2.0
/*
 * ctl_client.c - "lvsd ctl [-s SOCKET | -f CONFIG] COMMAND...": send one
 * command to a running lvsd and print its answer.  The socket is -s, else
 * lvsd_control_socket from -f's file, else $LVSD_SOCKET, else
 * /run/lvsd.sock.  Exit 0, 1 when lvsd answered "error:", 2 when it could
 * not be reached.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "vs_conf.h"
#include "daemon.h"

static int usage(void)
{
	fprintf(stderr, "usage: lvsd ctl [-s SOCKET | -f CONFIG] COMMAND...\n"
		"commands: show [json] | backend [json] | enable VS RS | "
		"disable VS RS | drain VS RS | reload | help\n"
		"VS: tcp:IP:PORT, udp:IP:PORT, IP:PORT, fwmark:N, group:NAME;"
		" RS: IP:PORT\n");
	return 2;
}

static char *socket_from_config(const char *path)
{
	struct conf_log log = { 0 };
	struct conf *c = conf_load(path, NULL, &log);
	char *s = c && c->g.ctl_socket ? strdup(c->g.ctl_socket) : NULL;

	conf_free(c);
	conf_log_free(&log);
	return s;
}

int ctl_client_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "use-file", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char *path = NULL, buf[65536], *line = NULL;
	size_t len = 0, got = 0;
	int c, fd, rc = 0;
	bool first = true;

	while ((c = getopt_long(argc, argv, "+s:f:", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			free(path);
			path = strdup(optarg);
			break;
		case 'f':
			free(path);
			path = socket_from_config(optarg);
			break;
		default:
			return usage();
		}
	}
	if (optind >= argc)
		return usage();
	if (!path)
		path = strdup(getenv("LVSD_SOCKET") ? getenv("LVSD_SOCKET") :
			      "/run/lvsd.sock");
	for (int i = optind; i < argc; i++) {
		size_t n = strlen(argv[i]);

		line = realloc(line, len + n + 2);
		if (!line)
			return 2;
		memcpy(line + len, argv[i], n);
		len += n;
		line[len++] = i + 1 < argc ? ' ' : '\n';
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    write(fd, line, len) != (ssize_t)len) {
		fprintf(stderr, "lvsd ctl: %s: %s\n", path, strerror(errno));
		free(path);
		free(line);
		return 2;
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0)
			break;
		if (first && n >= 6 && !strncmp(buf, "error:", 6))
			rc = 1;
		first = false;
		fwrite(buf, 1, (size_t)n, stdout);
		got += (size_t)n;
	}
	close(fd);
	free(path);
	free(line);
	if (!got) {
		fprintf(stderr, "lvsd ctl: no answer\n");
		return 2;
	}
	return rc;
}
