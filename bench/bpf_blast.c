// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_blast - send 64-byte UDP frames (22 bytes of payload) to ADDR:PORT
 * for SECONDS from FLOWS sockets (one source port each), as fast as
 * sendmmsg allows; prints the number sent.  For bench/bpf.sh, inside a
 * network namespace the script made.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH	64

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct mmsghdr msg[BATCH];
	struct iovec iov = { 0 };
	char payload[22] = "lvs-bench";
	unsigned long long sent = 0;
	int nflows, *fd, i, f = 0;
	time_t end;

	if (argc != 5) {
		fprintf(stderr, "usage: bpf_blast ADDR PORT SECONDS FLOWS\n");
		return 2;
	}
	if (inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1) {
		fprintf(stderr, "bpf_blast: bad address %s\n", argv[1]);
		return 2;
	}
	sin.sin_port = htons((unsigned short)atoi(argv[2]));
	end = time(NULL) + atoi(argv[3]);
	nflows = atoi(argv[4]);
	if (nflows < 1 || nflows > 4096) {
		fprintf(stderr, "bpf_blast: FLOWS must be 1..4096\n");
		return 2;
	}
	fd = calloc(nflows, sizeof(*fd));
	if (!fd)
		return 1;
	for (i = 0; i < nflows; i++) {
		fd[i] = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd[i] < 0 || connect(fd[i], (struct sockaddr *)&sin,
					 sizeof(sin)) < 0) {
			perror("bpf_blast");
			return 1;
		}
	}
	iov.iov_base = payload;
	iov.iov_len = sizeof(payload);
	memset(msg, 0, sizeof(msg));
	for (i = 0; i < BATCH; i++) {
		msg[i].msg_hdr.msg_iov = &iov;
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	while (time(NULL) < end) {
		int n = sendmmsg(fd[f], msg, BATCH, 0);

		if (n > 0)
			sent += n;
		f = (f + 1) % nflows;
	}
	printf("%llu\n", sent);
	return 0;
}
