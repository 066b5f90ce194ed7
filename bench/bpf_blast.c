// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_blast - send 64-byte UDP frames (22 bytes of payload) to ADDR:PORT
 * for SECONDS from FLOWS sockets (one source port each), as fast as
 * sendmmsg allows; prints the number sent.  For bench/bpf.sh and
 * bench/bpf_lab.sh, inside a network namespace the script made.
 *
 * FLOWS "new": every frame a new flow, for the new-flow rate.  A raw
 * socket writes the IP and UDP headers, source port 1024..65535 and then
 * the next source address from SRC on (SRC's subnet must hold them: the
 * script routes a /16 to the sender); UDP checksum 0 (none, legal in
 * IPv4), the IP checksum is the kernel's.
 *
 * FLOWS "raw N": N flows from one raw socket (source ports 1024..1023+N
 * of SRC, in turn), so that one socket's send buffer paces the sender
 * whatever N is (bench/bpf_nic.sh: with N sockets the sender runs
 * ahead of an emulated NIC's receive side).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH	64

/* Monotonic seconds: time() would cut the first second short. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct frame {
	struct iphdr ip;
	struct udphdr udp;
	char payload[22];
};

/* cycle 0: a new flow per frame; else that many flows in turn */
static int blast_raw(const struct sockaddr_in *dst, const char *src,
		     double end, unsigned long long cycle)
{
	static struct frame fr[BATCH];
	struct iovec iov[BATCH];
	struct mmsghdr msg[BATCH];
	unsigned long long sent = 0, k = 0;
	struct in_addr base;
	int fd, i;

	if (inet_pton(AF_INET, src, &base) != 1) {
		fprintf(stderr, "bpf_blast: bad source address %s\n", src);
		return 2;
	}
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0) {
		perror("bpf_blast: raw socket");
		return 1;
	}
	memset(msg, 0, sizeof(msg));
	memset(fr, 0, sizeof(fr));
	for (i = 0; i < BATCH; i++) {
		fr[i].ip.version = 4;
		fr[i].ip.ihl = 5;
		fr[i].ip.ttl = 64;
		fr[i].ip.protocol = IPPROTO_UDP;
		fr[i].ip.tot_len = htons(sizeof(fr[i]));
		fr[i].ip.daddr = dst->sin_addr.s_addr;
		fr[i].udp.dest = dst->sin_port;
		fr[i].udp.len = htons(sizeof(fr[i]) - sizeof(fr[i].ip));
		iov[i].iov_base = &fr[i];
		iov[i].iov_len = sizeof(fr[i]);
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
		msg[i].msg_hdr.msg_name = (void *)dst;
		msg[i].msg_hdr.msg_namelen = sizeof(*dst);
	}
	while (now() < end) {
		int n;

		for (i = 0; i < BATCH; i++, k++) {
			if (cycle && k == cycle)
				k = 0;
			fr[i].ip.saddr = htonl(ntohl(base.s_addr) +
					       (uint32_t)(k / 64512));
			fr[i].udp.source = htons(1024 + k % 64512);
		}
		n = sendmmsg(fd, msg, BATCH, 0);
		if (n > 0)
			sent += n;
		k -= BATCH - (n > 0 ? n : 0);
		if (cycle)
			k %= cycle;
	}
	printf("%llu\n", sent);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct mmsghdr msg[BATCH];
	struct iovec iov = { 0 };
	char payload[22] = "lvs-bench";
	unsigned long long sent = 0;
	int nflows, *fd, i, f = 0;
	double end;

	if (argc != 5 && !(argc == 6 && !strcmp(argv[4], "new")) &&
	    !(argc == 7 && !strcmp(argv[4], "raw"))) {
		fprintf(stderr, "usage: bpf_blast ADDR PORT SECONDS FLOWS\n"
			"       bpf_blast ADDR PORT SECONDS new SRC\n"
			"       bpf_blast ADDR PORT SECONDS raw N SRC\n");
		return 2;
	}
	if (inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1) {
		fprintf(stderr, "bpf_blast: bad address %s\n", argv[1]);
		return 2;
	}
	sin.sin_port = htons((unsigned short)atoi(argv[2]));
	end = now() + atoi(argv[3]);
	if (argc == 6)
		return blast_raw(&sin, argv[5], end, 0);
	if (argc == 7) {
		int n = atoi(argv[5]);

		if (n < 1 || n > 64512) {
			fprintf(stderr, "bpf_blast: raw N must be 1..64512\n");
			return 2;
		}
		return blast_raw(&sin, argv[6], end, n);
	}
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
	while (now() < end) {
		int n = sendmmsg(fd[f], msg, BATCH, 0);

		if (n > 0)
			sent += n;
		f = (f + 1) % nflows;
	}
	printf("%llu\n", sent);
	return 0;
}
