// SPDX-License-Identifier: GPL-2.0
/*
 * udpecho.c - the node image's UDP echo service (busybox has no UDP
 * server): every datagram received on the port goes back to its sender.
 * Built static by scripts/mknode and run by the node's /init.
 *
 * usage: udpecho PORT
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6 };
	char buf[65536];
	int fd, port;

	if (argc != 2 || (port = atoi(argv[1])) <= 0 || port > 65535) {
		fprintf(stderr, "usage: udpecho PORT\n");
		return 2;
	}
	a.sin6_port = htons((unsigned short)port);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		perror("udpecho");
		return 1;
	}
	for (;;) {
		struct sockaddr_storage from;
		socklen_t len = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &len);

		if (n >= 0)
			sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from,
			       len);
	}
}
