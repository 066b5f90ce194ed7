// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_prog_cost - what one run of an XDP program costs, per kind of
 * frame, through BPF_PROG_TEST_RUN.  For bench/bpf_prog_cost.sh.
 *
 *   bpf_prog_cost LINK RUNS SPEC...
 *
 * LINK: a pinned XDP bpf_link (the datapath's /sys/fs/bpf/lvs/net<ino>/
 * xdp_<ifname>); its program is run.  Each SPEC is
 *
 *   NAME:IFNAME:PROTO:SRC:SPORT:DST:DPORT:MODE
 *
 * PROTO udp, syn or ack (TCP with that flag); SRC and DST IPv4 or IPv6
 * (in brackets, since the fields are colon-separated); MODE "same" (one
 * run first, not counted: it makes the connection, then RUNS runs of
 * the same frame) or "new" (RUNS runs, the source port stepping by one
 * each: a new flow every run).  IFNAME is the ingress interface put in
 * the context (the tool must run in its network namespace).
 *
 * Every run is a repeat of 1 on a fresh copy of the frame (the program
 * rewrites it in place, so repeat > 1 would run it on its own output).
 * The kernel's duration of a run is ktime_get_ns() around the program:
 * under QEMU's -icount shift=0 that is its instructions (plus the test
 * harness's few).  A trivial program (return XDP_PASS) run the same way
 * first gives that harness cost ("empty").  Prints per SPEC: the return
 * value, the median, min and max duration in ns, and the median less
 * the empty program's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/bpf.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#define MAXRUNS	100000

struct frame {
	unsigned char b[128];
	unsigned int len;
	unsigned int sport_off;	/* where the source port is */
	unsigned int csum_off;	/* where the L4 checksum is */
};

static unsigned int sum16(const void *p, unsigned int len, unsigned int s)
{
	const unsigned char *c = p;
	unsigned int i;

	for (i = 0; i + 1 < len; i += 2)
		s += c[i] << 8 | c[i + 1];
	if (len & 1)
		s += c[len - 1] << 8;
	return s;
}

static unsigned short fold(unsigned int s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (unsigned short)~s;
}

static void put16(unsigned char *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* The L4 checksum over the pseudo-header (addresses at a, n bytes each). */
static void l4_csum(struct frame *f, unsigned int l4, const unsigned char *a,
		    unsigned int n, unsigned int proto)
{
	unsigned int l4len = f->len - l4, s;
	unsigned short c;

	put16(f->b + f->csum_off, 0);
	s = sum16(a, 2 * n, 0) + proto + l4len;
	c = fold(sum16(f->b + l4, l4len, s));
	if (proto == IPPROTO_UDP && !c)
		c = 0xffff;
	put16(f->b + f->csum_off, c);
}

static int addr(const char *s, unsigned char *a, int *af)
{
	char buf[64];
	size_t n = strlen(s);

	if (s[0] == '[' && n > 2 && n < sizeof(buf) && s[n - 1] == ']') {
		memcpy(buf, s + 1, n - 2);
		buf[n - 2] = 0;
		*af = AF_INET6;
		return inet_pton(AF_INET6, buf, a) == 1 ? 0 : -1;
	}
	*af = AF_INET;
	return inet_pton(AF_INET, s, a) == 1 ? 0 : -1;
}

/* Split NAME:IF:PROTO:SRC:SPORT:DST:DPORT:MODE, brackets kept whole. */
static int split(char *s, char **f, int n)
{
	int i = 0, depth = 0;

	f[i++] = s;
	for (; *s; s++) {
		if (*s == '[')
			depth++;
		else if (*s == ']')
			depth--;
		else if (*s == ':' && !depth) {
			if (i == n)
				return -1;
			*s = 0;
			f[i++] = s + 1;
		}
	}
	return i == n ? 0 : -1;
}

/* A 64-byte-payload-free frame: Ethernet, IP, 8-byte UDP or 20-byte TCP
 * header, 18 bytes of payload. */
static int build(struct frame *f, const char *proto, const char *src,
		 unsigned int sport, const char *dst, unsigned int dport)
{
	unsigned char sa[16], da[16], *ip = f->b + 14;
	int saf, daf, tcp = strcmp(proto, "udp") != 0;
	unsigned int l4, hl = tcp ? 20 : 8, n, pl = 18;

	if (addr(src, sa, &saf) || addr(dst, da, &daf) || saf != daf)
		return -1;
	memset(f, 0, sizeof(*f));
	memcpy(f->b, "\x02\0\0\0\0\x01\x02\0\0\0\0\x02", 12);
	n = saf == AF_INET ? 4 : 16;
	if (saf == AF_INET) {
		put16(f->b + 12, 0x0800);
		l4 = 14 + 20;
		ip[0] = 0x45;
		put16(ip + 2, 20 + hl + pl);
		put16(ip + 6, 0x4000);	/* DF */
		ip[8] = 64;
		ip[9] = tcp ? IPPROTO_TCP : IPPROTO_UDP;
		memcpy(ip + 12, sa, 4);
		memcpy(ip + 16, da, 4);
		put16(ip + 10, fold(sum16(ip, 20, 0)));
	} else {
		put16(f->b + 12, 0x86dd);
		l4 = 14 + 40;
		ip[0] = 0x60;
		put16(ip + 4, hl + pl);
		ip[6] = tcp ? IPPROTO_TCP : IPPROTO_UDP;
		ip[7] = 64;
		memcpy(ip + 8, sa, 16);
		memcpy(ip + 24, da, 16);
	}
	f->len = l4 + hl + pl;
	f->sport_off = l4;
	put16(f->b + l4, sport);
	put16(f->b + l4 + 2, dport);
	if (tcp) {
		f->b[l4 + 12] = 5 << 4;
		f->b[l4 + 13] = !strcmp(proto, "syn") ? 0x02 : 0x10;
		put16(f->b + l4 + 14, 65535);
		f->csum_off = l4 + 16;
	} else {
		put16(f->b + l4 + 4, hl + pl);
		f->csum_off = l4 + 6;
	}
	memset(f->b + l4 + hl, 'x', pl);
	l4_csum(f, l4, saf == AF_INET ? ip + 12 : ip + 8, n,
		tcp ? IPPROTO_TCP : IPPROTO_UDP);
	return 0;
}

static int run(int fd, unsigned int ifindex, const struct frame *f,
	       unsigned int *dur, unsigned int *ret)
{
	unsigned char in[128], out[256];
	struct xdp_md ctx = { .data_end = f->len,
			      .ingress_ifindex = ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in,
		    .data_size_in = f->len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = 1);

	memcpy(in, f->b, f->len);
	if (ifindex) {
		o.ctx_in = &ctx;
		o.ctx_size_in = sizeof(ctx);
	}
	if (bpf_prog_test_run_opts(fd, &o))
		return -errno;
	*dur = o.duration;
	*ret = o.retval;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

static unsigned int runs;
static unsigned int dur[MAXRUNS];

/* RUNS runs of f (sport stepping when step): sorted durations in dur. */
static int series(int fd, unsigned int ifindex, struct frame *f, int step,
		  unsigned int *ret)
{
	unsigned int i, sport = f->b[f->sport_off] << 8 |
				f->b[f->sport_off + 1];
	unsigned int c = f->b[f->csum_off] << 8 | f->b[f->csum_off + 1];
	unsigned int r0 = 0;
	int rc;

	for (i = 0; i < runs; i++) {
		rc = run(fd, ifindex, f, &dur[i], ret);
		if (rc)
			return rc;
		if (i && *ret != r0)
			return -EPROTO;	/* not one kind of frame */
		r0 = *ret;
		if (!step)
			continue;
		/* next source port, checksum adjusted (RFC 1624) */
		put16(f->b + f->sport_off, sport + i + 1);
		c = fold((~c & 0xffff) + (~(sport + i) & 0xffff) +
			 ((sport + i + 1) & 0xffff));
		if (!c && f->csum_off == f->sport_off + 6)
			c = 0xffff;
		put16(f->b + f->csum_off, c);
	}
	qsort(dur, runs, sizeof(dur[0]), cmp);
	return 0;
}

static int empty_prog(void)
{
	struct bpf_insn insn[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0,
		  .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return bpf_prog_load(BPF_PROG_TYPE_XDP, "empty", "GPL", insn, 2,
			     NULL);
}

int main(int argc, char **argv)
{
	struct bpf_link_info li = {};
	__u32 lilen = sizeof(li);
	unsigned int ret, base;
	struct frame f;
	int lfd, fd, efd, i, rc;

	if (argc < 4) {
		fprintf(stderr, "usage: bpf_prog_cost LINK RUNS "
			"NAME:IFNAME:PROTO:SRC:SPORT:DST:DPORT:same|new...\n");
		return 2;
	}
	runs = strtoul(argv[2], NULL, 10);
	if (!runs || runs > MAXRUNS) {
		fprintf(stderr, "bpf_prog_cost: RUNS from 1 to %d\n", MAXRUNS);
		return 2;
	}
	lfd = bpf_obj_get(argv[1]);
	if (lfd < 0 || bpf_obj_get_info_by_fd(lfd, &li, &lilen)) {
		fprintf(stderr, "bpf_prog_cost: %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	fd = bpf_prog_get_fd_by_id(li.prog_id);
	efd = empty_prog();
	if (fd < 0 || efd < 0) {
		perror("bpf_prog_cost: program");
		return 1;
	}
	build(&f, "udp", "10.0.0.1", 1, "10.0.0.2", 2);
	rc = series(efd, 0, &f, 0, &ret);
	if (rc) {
		fprintf(stderr, "bpf_prog_cost: empty: %s\n", strerror(-rc));
		return 1;
	}
	base = dur[runs / 2];
	printf("%-12s %6s %8s %8s %8s %8s\n", "frame", "ret", "median",
	       "min", "max", "-empty");
	printf("%-12s %6u %8u %8u %8u %8s\n", "empty", ret, base, dur[0],
	       dur[runs - 1], "0");
	for (i = 3; i < argc; i++) {
		char *fl[8];
		unsigned int ifindex;
		int same;

		if (split(argv[i], fl, 8) ||
		    build(&f, fl[2], fl[3], atoi(fl[4]), fl[5], atoi(fl[6]))) {
			fprintf(stderr, "bpf_prog_cost: bad frame %s\n",
				argv[i]);
			return 2;
		}
		ifindex = if_nametoindex(fl[1]);
		same = !strcmp(fl[7], "same");
		if (!ifindex || (!same && strcmp(fl[7], "new"))) {
			fprintf(stderr, "bpf_prog_cost: %s: bad interface or "
				"mode\n", fl[0]);
			return 2;
		}
		if (same && run(fd, ifindex, &f, &dur[0], &ret)) {
			perror("bpf_prog_cost: run");
			return 1;
		}
		rc = series(fd, ifindex, &f, !same, &ret);
		if (rc) {
			fprintf(stderr, "bpf_prog_cost: %s: %s\n", fl[0],
				rc == -EPROTO ? "return value changed between runs" :
				strerror(-rc));
			return 1;
		}
		printf("%-12s %6u %8u %8u %8u %8d\n", fl[0], ret,
		       dur[runs / 2], dur[0], dur[runs - 1],
		       (int)dur[runs / 2] - (int)base);
	}
	return 0;
}
