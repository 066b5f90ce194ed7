// SPDX-License-Identifier: GPL-2.0
/*
 * lvsd_sink - accept TCP connections on ADDR:PORT and close them, as fast
 * as possible, for lvsd_drift.sh; exits after SECONDS.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd, one = 1;

	if (argc != 4) {
		fprintf(stderr, "usage: lvsd_sink ADDR PORT SECONDS\n");
		return 2;
	}
	inet_pton(AF_INET, argv[1], &sin.sin_addr);
	sin.sin_port = htons((unsigned short)atoi(argv[2]));
	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(fd, 65535) < 0) {
		perror("lvsd_sink");
		return 1;
	}
	alarm((unsigned int)atoi(argv[3]));
	for (;;) {
		int c = accept(fd, NULL, NULL);

		if (c >= 0)
			close(c);
	}
}
