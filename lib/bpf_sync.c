// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_sync.c - connection sync for the eBPF datapath: the protocol of
 * docs/sync.md (wire format v1, the one kmod/sync.c speaks), run by a
 * process since eBPF has no kernel threads.
 *
 * What it owns: one daemon process per network namespace and role,
 * forked and daemonised by lvsc_bpf_sync_start() (so vsadm
 * --start-daemon and lvsd's lvs_sync_daemon drive it through liblvsc
 * unchanged), and its state file /run/lvs/bpf-sync-net<netns
 * inode>-master|backup: the configuration, the counters (shared,
 * mmap'ed) and the pid, flock'ed by the daemon for its whole life, so a
 * file nobody holds is a dead daemon's and counts as none.
 *
 * What it may call: libbpf on the pinned maps of bpf/lvs.bpf.c (reads,
 * and BPF_MAP_LOOKUP_BATCH on lvs_conns) and the pinned program
 * lvs_sync_in (BPF_PROG_TEST_RUN), which alone writes the connection
 * table: the backup never writes the maps itself.
 *
 * Master: every scan period it reads lvs_conns in batches and compares
 * each entry with a shadow table of what it last sent; new entries,
 * changed state, flags or real server, and entries that saw traffic
 * and were last sent more than half their timeout ago are sent.  The
 * scan period is 100 ms, stretched to 5 times the last scan's CPU time
 * so that scanning a large table takes at most a fifth of a CPU.  A
 * REQUEST makes the next scan send everything, then END.
 * Backup: as kmod/sync.c's thread (REQUEST until END, gaps, peer
 * checks); each entry's service and real server are found in this
 * director's own maps and installed by lvs_sync_in.
 *
 * Never prints: errors go to the caller through struct lvsc_err (the
 * forked daemon reports its start-up error through a pipe).
 * Tested by tests/host/bpf_sync.sh; bench/bpf_sync.sh measures it.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lvsc_int.h"
#include "lvsc_bpf.h"
#include "../bpf/lvs_bpf.h"

#define RUN_DIR		"/run/lvs"
#define SYNC_MAGIC	0x4c565353u	/* "LVSS" */
#define SYNC_VERSION	1
#define SYNC_HDR	12
#define SYNC_ENTRY	84
#define SYNC_MIN_LEN	(SYNC_HDR + SYNC_ENTRY)
#define SYNC_F_MASK	(LVS_CONN_F_TEMPLATE | LVS_CONN_F_ASSURED)
#define STATE_MAGIC	0x4c565342u	/* the state file's */

enum { T_DATA = 1, T_REQUEST, T_END };

/* Scan period bounds (ms) and the backup's request periods (ms). */
#define SCAN_MIN_MS	100
#define SCAN_COST_X	5
#define ASK_MS		1000
#define GAP_MS		5000
#define BATCH		8192

struct sync_hdr {
	uint32_t	magic;
	uint8_t		version, type, syncid, count;
	uint32_t	seq;
} __attribute__((packed));

struct sync_entry {
	uint8_t		af, daf, protocol, state, fwd, pad[3];
	uint32_t	flags, fwmark, svc_fwmark, timeout;
	uint16_t	cport, vport, dport, svc_port, rs_port, pad2;
	uint8_t		caddr[16], vaddr[16], daddr[16];
} __attribute__((packed));

_Static_assert(sizeof(struct sync_hdr) == SYNC_HDR, "header");
_Static_assert(sizeof(struct sync_entry) == SYNC_ENTRY, "entry");

/* The state file: written by the daemon, read by lists. */
struct sync_state {
	uint32_t		magic;
	int32_t			pid;
	uint64_t		scan_ns;	/* master: the last scan's CPU time */
	uint64_t		scan_entries;	/* and the entries it read */
	uint64_t		scan_wall_ns;	/* its wall-clock time */
	struct lvsc_daemon	d;
};

/* ---- the state file ---- */

static int state_path(char *buf, size_t len, uint32_t role,
		      struct lvsc_err *err)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		return lvsc_set_err(err, -errno, "cannot identify the network "
				    "namespace: %s", strerror(errno));
	snprintf(buf, len, RUN_DIR "/bpf-sync-net%lu-%s",
		 (unsigned long)st.st_ino,
		 role == LVS_DAEMON_MASTER ? "master" : "backup");
	return 0;
}

/*
 * The running daemon of role: 1 and *s filled, 0 when none runs (no
 * file, or a file no process holds), or a negative errno.
 */
static int state_read(uint32_t role, struct sync_state *s,
		      struct lvsc_err *err)
{
	char path[128];
	int fd, rc;

	rc = state_path(path, sizeof(path), role, err);
	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 :
		       lvsc_set_err(err, -errno, "cannot open %s: %s", path,
				    strerror(errno));
	if (!flock(fd, LOCK_SH | LOCK_NB)) {
		close(fd);		/* nobody holds it: a dead daemon's */
		return 0;
	}
	rc = pread(fd, s, sizeof(*s), 0) == (ssize_t)sizeof(*s) &&
	     s->magic == STATE_MAGIC;
	close(fd);
	return rc;
}

/* ---- small helpers ---- */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* This thread's CPU time: a scan's cost on a loaded machine. */
static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

/* The daemon's world. */
struct syncd {
	struct lvsc_daemon	*d;		/* in the mmap'ed state */
	struct sync_state	*st;
	char			dir[128];	/* the datapath's pins */
	int			sock, ifindex;
	uint32_t		dst;		/* be: group or peer */
	uint32_t		seq;
	int			conns, state, svc_idx, svcs, dests, prog;
	uint8_t			buf[65536];
	/* master */
	uint8_t			*tx;
	unsigned int		txlen, txcount;
	/* backup */
	bool			synced, have_seq, gap;
	uint64_t		asked;
	uint32_t		rseq, rfrom;
};

static int map_open(struct syncd *s, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", s->dir, name);
	return bpf_obj_get(path);
}

static void cnt_add(uint64_t *c, uint64_t n)
{
	__atomic_add_fetch(c, n, __ATOMIC_RELAXED);
}

static int send_dgram(struct syncd *s, uint8_t *data, unsigned int len,
		      uint8_t type, unsigned int count)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(s->d->mcast_port),
		.sin_addr = { .s_addr = s->dst },
	};
	struct sync_hdr *h = (struct sync_hdr *)data;

	h->magic = htonl(SYNC_MAGIC);
	h->version = SYNC_VERSION;
	h->type = type;
	h->syncid = (uint8_t)s->d->syncid;
	h->count = (uint8_t)count;
	h->seq = htonl(s->seq++);
	if (sendto(s->sock, data, len, 0, (struct sockaddr *)&sin,
		   sizeof(sin)) != (ssize_t)len) {
		cnt_add(&s->d->lost, count);
		return -1;
	}
	cnt_add(&s->d->sent_pkts, 1);
	cnt_add(&s->d->sent_conns, count);
	return 0;
}

/* ---- master ---- */

/* 60 bytes: a full table (262144 entries) takes two tables of 30 MB. */
struct shadow {
	struct lvs_bpf_conn_key	k;
	uint32_t		last;		/* the entry's last_ns when sent
						 * (low bits: compared only) */
	uint32_t		sent_ms;	/* when sent (wraps: differences) */
	uint32_t		dest, dgen;
	uint8_t			state, flags, used, pad;
};

/* Most entries a table of cap slots takes (linear probing, 0.7). */
#define SHADOW_MAX(cap)	((cap) / 10 * 7)

struct shadow_tab {
	struct shadow	*e;
	size_t		cap, n;		/* cap: a power of 2 */
};

static uint64_t key_hash(const struct lvs_bpf_conn_key *k)
{
	uint64_t w[sizeof(*k) / 8], h = 0x9e3779b97f4a7c15ULL;
	size_t i;

	_Static_assert(sizeof(*k) % 8 == 0, "key in 64-bit words");
	memcpy(w, k, sizeof(w));
	for (i = 0; i < sizeof(*k) / 8; i++) {
		h ^= w[i];
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	return h;
}

static struct shadow *shadow_slot(struct shadow_tab *t,
				  const struct lvs_bpf_conn_key *k)
{
	size_t i;

	if (!t->cap)
		return NULL;
	for (i = key_hash(k) & (t->cap - 1);; i = (i + 1) & (t->cap - 1))
		if (!t->e[i].used || !memcmp(&t->e[i].k, k, sizeof(*k)))
			return &t->e[i];
}

static int shadow_reset(struct shadow_tab *t, size_t want)
{
	size_t cap = 1024;

	while (SHADOW_MAX(cap) <= want)
		cap *= 2;
	if (cap != t->cap) {
		free(t->e);
		t->e = calloc(cap, sizeof(*t->e));
		t->cap = t->e ? cap : 0;
		if (!t->e)
			return -ENOMEM;
	} else {
		memset(t->e, 0, cap * sizeof(*t->e));
	}
	t->n = 0;
	return 0;
}

/* Double t's room, keeping its entries. */
static int shadow_grow(struct shadow_tab *t)
{
	struct shadow_tab g = { .cap = t->cap * 2, .n = t->n };
	size_t i;

	g.e = calloc(g.cap, sizeof(*g.e));
	if (!g.e)
		return -ENOMEM;
	for (i = 0; i < t->cap; i++)
		if (t->e[i].used)
			*shadow_slot(&g, &t->e[i].k) = t->e[i];
	free(t->e);
	*t = g;
	return 0;
}

struct master {
	struct shadow_tab	tab[2];		/* last scan's, this scan's */
	int			cur;
	struct lvs_bpf_conn_key	*keys;
	struct lvs_bpf_conn	*vals;
	/* per scan: service ports, real servers' configured ports */
	uint32_t		epoch;
	uint32_t		svc_epoch[LVS_BPF_MAX_SVCS];
	uint16_t		svc_port[LVS_BPF_MAX_SVCS];
	uint32_t		dest_epoch[LVS_BPF_MAX_DESTS];
	uint16_t		dest_port[LVS_BPF_MAX_DESTS];
	struct lvs_bpf_svc	svcbuf;
};

static void tx_push(struct syncd *s, const struct sync_entry *e)
{
	if (s->txlen + SYNC_ENTRY > s->d->sync_maxlen || s->txcount == 255) {
		send_dgram(s, s->tx, s->txlen, T_DATA, s->txcount);
		s->txlen = SYNC_HDR;
		s->txcount = 0;
	}
	memcpy(s->tx + s->txlen, e, SYNC_ENTRY);
	s->txlen += SYNC_ENTRY;
	s->txcount++;
}

static void tx_flush(struct syncd *s)
{
	if (s->txcount)
		send_dgram(s, s->tx, s->txlen, T_DATA, s->txcount);
	s->txlen = SYNC_HDR;
	s->txcount = 0;
}

static int svc_port(struct syncd *s, struct master *m, uint32_t slot,
		    uint16_t *port)
{
	if (slot >= LVS_BPF_MAX_SVCS)
		return -1;
	if (m->svc_epoch[slot] != m->epoch) {
		if (bpf_map_lookup_elem(s->svcs, &slot, &m->svcbuf) ||
		    !m->svcbuf.in_use)
			return -1;
		m->svc_port[slot] = m->svcbuf.key.port;
		m->svc_epoch[slot] = m->epoch;
	}
	*port = m->svc_port[slot];
	return 0;
}

static int dest_port(struct syncd *s, struct master *m, uint32_t slot,
		     uint16_t *port)
{
	struct lvs_bpf_dest dv;

	if (slot >= LVS_BPF_MAX_DESTS)
		return -1;
	if (m->dest_epoch[slot] != m->epoch) {
		if (bpf_map_lookup_elem(s->dests, &slot, &dv) || !dv.in_use)
			return -1;
		m->dest_port[slot] = dv.port;
		m->dest_epoch[slot] = m->epoch;
	}
	*port = m->dest_port[slot];
	return 0;
}

static void encode(struct sync_entry *e, const struct lvs_bpf_conn_key *k,
		   const struct lvs_bpf_conn *c, uint16_t sport,
		   uint16_t rport, uint64_t now)
{
	uint64_t end = c->last_ns + (uint64_t)c->timeout_s * 1000000000ULL;
	uint64_t left = end > now ? (end - now) / 1000000 : 0;
	size_t al = k->af == AF_INET6 ? 16 : 4;

	/* a template outlives its timeout while it controls connections */
	if (!left && (c->flags & LVS_CONN_F_TEMPLATE) && c->n_control > 0)
		left = (uint64_t)c->timeout_s * 1000;
	memset(e, 0, sizeof(*e));
	e->af = k->af == AF_INET6 ? 6 : 4;
	e->daf = c->daf == AF_INET6 ? 6 : 4;
	e->protocol = k->proto;
	e->state = k->proto == IPPROTO_TCP && !k->tmpl ? (uint8_t)c->state : 0;
	e->fwd = (uint8_t)c->fwd;
	e->flags = htonl(c->flags & SYNC_F_MASK);
	e->timeout = htonl(left > UINT32_MAX ? UINT32_MAX : (uint32_t)left);
	e->cport = k->cport;
	e->vport = k->vport;
	e->dport = c->dport;
	e->svc_port = sport;
	e->rs_port = rport;
	memcpy(e->caddr, k->caddr, al);
	memcpy(e->vaddr, k->vaddr, al);
	memcpy(e->daddr, c->daddr, c->daf == AF_INET6 ? 16 : 4);
}

/* One entry of a scan (templates in the first pass, connections in the
 * second, so a template usually arrives before its connections). */
static void scan_one(struct syncd *s, struct master *m, bool all,
		     const struct lvs_bpf_conn_key *k,
		     const struct lvs_bpf_conn *c, uint64_t now)
{
	struct shadow_tab *old = &m->tab[m->cur], *nt = &m->tab[!m->cur];
	uint32_t flags = c->flags & SYNC_F_MASK;
	struct shadow *o = shadow_slot(old, k), *n;
	uint64_t half64 = (uint64_t)c->timeout_s * 500;	/* ms */
	uint32_t now_ms = (uint32_t)(now / 1000000), half;
	uint16_t sport, rport;
	struct sync_entry e;
	bool send;

	if (o && !o->used)
		o = NULL;
	/* half the timeout, at least 1 s, within the u32 clock's reach */
	half = half64 < 1000 ? 1000 : half64 > 0x7fffffff ? 0x7fffffff :
	       (uint32_t)half64;
	send = all || !o || o->state != c->state || o->flags != flags ||
	       o->dest != c->dest || o->dgen != c->dgen ||
	       ((uint32_t)c->last_ns != o->last &&
		now_ms - o->sent_ms >= half);
	n = shadow_slot(nt, k);
	if (!n || n->used)
		return;		/* seen twice in one scan (a rehash) */
	if (send) {
		if (svc_port(s, m, c->svc, &sport) ||
		    dest_port(s, m, c->dest, &rport))
			return;	/* its service or server is going away */
		encode(&e, k, c, sport, rport, now);
		tx_push(s, &e);
	}
	n->used = 1;
	n->k = *k;
	n->state = (uint8_t)c->state;
	n->flags = (uint8_t)flags;
	n->dest = c->dest;
	n->dgen = c->dgen;
	n->last = send ? (uint32_t)c->last_ns : o->last;
	n->sent_ms = send ? now_ms : o->sent_ms;
	nt->n++;
}

/* The live entries lvs_state counts (-1 when unreadable). */
static long long conn_count(struct syncd *s)
{
	struct lvs_bpf_state st;
	__u32 zero = 0;

	if (bpf_map_lookup_elem(s->state, &zero, &st))
		return -1;
	return st.conn_count;
}

/* One scan of lvs_conns: send what changed (everything with all). */
static int master_scan(struct syncd *s, struct master *m, bool all)
{
	struct shadow_tab *nt = &m->tab[!m->cur];
	__u32 in = 0, out = 0, cnt;
	bool first = true, more = true;
	uint64_t now = now_ns(), cpu = cpu_ns();
	size_t want = m->tab[m->cur].n + 1024;
	int rc, pass;
	__u32 i;

	/* an empty table costs nothing: the batch walks every bucket */
	if (!all && !m->tab[m->cur].n && !conn_count(s))
		return 0;
	m->epoch++;
	if (shadow_reset(nt, want))
		return -ENOMEM;
	while (more) {
		cnt = BATCH;
		rc = bpf_map_lookup_batch(s->conns, first ? NULL : &in, &out,
					  m->keys, m->vals, &cnt, NULL);
		first = false;
		if (rc && errno != ENOENT)
			return -errno;
		more = !rc;
		in = out;
		for (pass = 0; pass < 2; pass++) {
			for (i = 0; i < cnt; i++) {
				const struct lvs_bpf_conn *c = &m->vals[i];

				if ((c->flags & LVS_BPF_CONN_DEAD) ||
				    !!(c->flags & LVS_CONN_F_TEMPLATE) != !pass)
					continue;
				/* the new table must not fill: grow */
				if (nt->n >= SHADOW_MAX(nt->cap) &&
				    shadow_grow(nt))
					return -ENOMEM;
				scan_one(s, m, all, &m->keys[i], c, now);
			}
		}
	}
	tx_flush(s);
	m->cur = !m->cur;
	s->st->scan_ns = cpu_ns() - cpu;
	s->st->scan_wall_ns = now_ns() - now;
	s->st->scan_entries = nt->n;
	return 0;
}

/*
 * Whether a datagram of @len bytes from @from is for this daemon: from
 * the peer (when one is set), our magic and version, our syncid.  What
 * is refused is counted, as kmod/sync.c's lvs_sync_accept() does.
 */
static bool dgram_accept(struct syncd *s, ssize_t len,
			 const struct sockaddr_in *from)
{
	const struct sync_hdr *h = (const void *)s->buf;

	if (s->d->peer_af && from->sin_addr.s_addr != s->d->peer.in.s_addr) {
		cnt_add(&s->d->dropped, 1);
		return false;
	}
	if (len < SYNC_HDR || ntohl(h->magic) != SYNC_MAGIC ||
	    h->version != SYNC_VERSION) {
		cnt_add(&s->d->bad, 1);
		return false;
	}
	if (h->syncid != s->d->syncid) {
		cnt_add(&s->d->dropped, 1);
		return false;
	}
	return true;
}

static int master_loop(struct syncd *s)
{
	struct master *m = calloc(1, sizeof(*m));
	uint64_t next = 0, cost, period_ns = SCAN_MIN_MS * 1000000ULL;
	bool resync = false;
	int rc = 0;

	s->tx = malloc(s->d->sync_maxlen);
	if (m) {
		m->keys = calloc(BATCH, sizeof(*m->keys));
		m->vals = calloc(BATCH, sizeof(*m->vals));
	}
	if (!m || !m->keys || !m->vals || !s->tx) {
		rc = -ENOMEM;
		goto out;
	}
	s->txlen = SYNC_HDR;
	while (!stopping) {
		struct pollfd p = { .fd = s->sock, .events = POLLIN };
		uint64_t now = now_ns();
		struct sockaddr_in from;
		socklen_t fl;
		ssize_t len;
		int wait = next > now ? (int)((next - now) / 1000000) + 1 : 0;

		if (poll(&p, 1, wait) > 0) {
			while (fl = sizeof(from),
			       (len = recvfrom(s->sock, s->buf, sizeof(s->buf),
					       MSG_DONTWAIT,
					       (struct sockaddr *)&from,
					       &fl)) >= 0) {
				const struct sync_hdr *h = (void *)s->buf;

				if (!dgram_accept(s, len, &from))
					continue;
				cnt_add(&s->d->recv_pkts, 1);
				if (h->type == T_REQUEST)
					resync = true;
			}
		}
		now = now_ns();
		if (now < next && !resync)
			continue;
		rc = master_scan(s, m, resync);
		if (rc)
			break;
		if (resync) {
			send_dgram(s, s->tx, SYNC_HDR, T_END, 0);
			cnt_add(&s->d->resyncs, 1);
			resync = false;
		}
		cost = s->st->scan_ns;
		next = now + (cost * SCAN_COST_X > period_ns ?
			      cost * SCAN_COST_X : period_ns);
	}
out:
	if (m) {
		free(m->tab[0].e);
		free(m->tab[1].e);
		free(m->keys);
		free(m->vals);
	}
	free(m);
	free(s->tx);
	return rc;
}

/* ---- backup ---- */

/* The service slot and real server slot an entry names here. */
static int resolve(struct syncd *s, const struct sync_entry *e,
		   uint16_t af, uint16_t daf, __u32 *svc, __u32 *dest)
{
	struct lvs_bpf_svc_key sk = { .af = af, .proto = e->protocol,
				      .port = e->svc_port };
	static struct lvs_bpf_svc sv;
	struct lvs_bpf_dest dv;
	__u32 i, slot;

	memcpy(sk.addr, e->vaddr, af == AF_INET6 ? 16 : 4);
	if (bpf_map_lookup_elem(s->svc_idx, &sk, svc) ||
	    bpf_map_lookup_elem(s->svcs, svc, &sv) || !sv.in_use)
		return -1;
	for (i = 0; i < sv.n && i < LVS_BPF_SVC_DESTS; i++) {
		slot = sv.d[i].slot;
		if (bpf_map_lookup_elem(s->dests, &slot, &dv) || !dv.in_use)
			continue;
		if (dv.af == daf && dv.port == e->rs_port &&
		    !memcmp(dv.addr, e->daddr, daf == AF_INET6 ? 16 : 4)) {
			*dest = slot;
			return 0;
		}
	}
	return -1;
}

/* 0 installed, 1 table full, -1 bad or unknown. */
static int install(struct syncd *s, const struct sync_entry *e)
{
	uint32_t flags = ntohl(e->flags);
	struct lvs_bpf_sync_req r;
	uint16_t af, daf;
	size_t al;
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = &r,
		    .data_size_in = sizeof(r), .repeat = 1);

	if ((e->af != 4 && e->af != 6) || (e->daf != 4 && e->daf != 6) ||
	    (flags & ~SYNC_F_MASK) || e->state > LVS_TCP_S_MAX ||
	    e->svc_fwmark ||
	    (e->protocol != IPPROTO_TCP && e->protocol != IPPROTO_UDP))
		return -1;
	af = e->af == 6 ? AF_INET6 : AF_INET;
	daf = e->daf == 6 ? AF_INET6 : AF_INET;
	al = af == AF_INET6 ? 16 : 4;
	memset(&r, 0, sizeof(r));
	r.key.af = af;
	r.key.proto = e->protocol;
	r.key.tmpl = flags & LVS_CONN_F_TEMPLATE ? 1 : 0;
	r.key.cport = e->cport;
	r.key.vport = e->vport;
	memcpy(r.key.caddr, e->caddr, al);
	memcpy(r.key.vaddr, e->vaddr, al);
	if (resolve(s, e, af, daf, &r.svc, &r.dest))
		return -1;
	r.state = e->state;
	r.flags = flags;
	r.left_ns = (uint64_t)ntohl(e->timeout) * 1000000ULL;
	r.dport = e->dport;
	if (bpf_prog_test_run_opts(s->prog, &o))
		return 1;
	return o.retval == LVS_BPF_SYNC_OK ? 0 :
	       o.retval == LVS_BPF_SYNC_FULL ? 1 : -1;
}

static void backup_data(struct syncd *s, const struct sync_hdr *h, int len)
{
	const struct sync_entry *e = (const void *)(h + 1);
	unsigned int i;
	int rc;

	if (len != SYNC_HDR + h->count * SYNC_ENTRY) {
		cnt_add(&s->d->bad, 1);
		return;
	}
	cnt_add(&s->d->recv_pkts, 1);
	for (i = 0; i < h->count; i++) {
		rc = install(s, &e[i]);
		cnt_add(rc == 0 ? &s->d->recv_conns :
			rc > 0 ? &s->d->lost : &s->d->bad, 1);
	}
}

/* As kmod/sync.c's lvs_sync_check_seq (docs/sync.md, Lost datagrams). */
static void check_seq(struct syncd *s, uint32_t seq, uint32_t from)
{
	uint32_t missed = seq - s->rseq - 1;

	if (s->have_seq && from == s->rfrom && missed &&
	    missed < (1u << 31)) {
		cnt_add(&s->d->gaps, missed);
		s->gap = true;
	}
	s->have_seq = true;
	s->rseq = seq;
	s->rfrom = from;
}

static int backup_loop(struct syncd *s)
{
	uint8_t req[SYNC_HDR];

	while (!stopping) {
		struct pollfd p = { .fd = s->sock, .events = POLLIN };
		uint64_t now = now_ns() / 1000000;
		const struct sync_hdr *h = (void *)s->buf;
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t len;

		if (s->gap && s->synced && now > s->asked + GAP_MS) {
			s->gap = false;
			s->synced = false;
			s->asked = 0;
		}
		if (!s->synced && (!s->asked || now > s->asked + ASK_MS)) {
			memset(req, 0, sizeof(req));
			send_dgram(s, req, sizeof(req), T_REQUEST, 0);
			s->asked = now;
		}
		if (poll(&p, 1, 100) <= 0)
			continue;
		len = recvfrom(s->sock, s->buf, sizeof(s->buf), MSG_DONTWAIT,
			       (struct sockaddr *)&from, &fl);
		if (len < 0)
			continue;
		if (!dgram_accept(s, len, &from))
			continue;
		if (h->type == T_DATA || h->type == T_END)
			check_seq(s, ntohl(h->seq), from.sin_addr.s_addr);
		if (h->type == T_DATA) {
			backup_data(s, h, (int)len);
		} else if (h->type == T_END) {
			cnt_add(&s->d->recv_pkts, 1);
			if (!s->synced)
				cnt_add(&s->d->resyncs, 1);
			s->synced = true;
		}
	}
	return 0;
}

/* ---- the daemon process ---- */

static int sock_open(struct syncd *s, struct lvsc_err *err)
{
	struct lvsc_daemon *d = s->d;
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(d->mcast_port) };
	struct ip_mreqn mreq = { .imr_multiaddr = d->mcast_group.in,
				 .imr_ifindex = s->ifindex };
	/* room for a whole table (262144 entries) while the backup installs */
	int one = 1, zero = 0, ttl = d->mcast_ttl, rcvbuf = 64 << 20;

	s->sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s->sock < 0)
		return lvsc_set_err(err, -errno, "cannot open the sync "
				    "socket: %s", strerror(errno));
	/* a master and a backup of one namespace share the port */
	setsockopt(s->sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (setsockopt(s->sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		setsockopt(s->sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			   sizeof(rcvbuf));
	if (setsockopt(s->sock, SOL_SOCKET, SO_BINDTODEVICE, d->mcast_ifn,
		       strlen(d->mcast_ifn)) ||
	    bind(s->sock, (struct sockaddr *)&sin, sizeof(sin)))
		return lvsc_set_err(err, -errno, "cannot bind the sync socket "
				    "to %s port %u: %s", d->mcast_ifn,
				    d->mcast_port, strerror(errno));
	if (setsockopt(s->sock, IPPROTO_IP, IP_MULTICAST_TTL, &ttl,
		       sizeof(ttl)) ||
	    setsockopt(s->sock, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) ||
	    setsockopt(s->sock, IPPROTO_IP, IP_MULTICAST_LOOP, &zero,
		       sizeof(zero)) ||
	    setsockopt(s->sock, IPPROTO_IP, IP_MULTICAST_IF, &mreq,
		       sizeof(mreq)))
		return lvsc_set_err(err, -errno, "cannot set up the sync "
				    "socket: %s", strerror(errno));
	if (!d->peer_af &&
	    setsockopt(s->sock, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq,
		       sizeof(mreq)))
		return lvsc_set_err(err, -errno, "cannot join the sync group "
				    "on %s: %s", d->mcast_ifn, strerror(errno));
	return 0;
}

static int daemon_setup(struct syncd *s, const char *path, int *lockfd,
			struct lvsc_err *err)
{
	struct sync_state *st;
	struct lvsc_daemon d = *s->d;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return lvsc_set_err(err, -errno, "cannot create %s: %s", path,
				    strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		close(fd);
		return lvsc_set_err(err, -EEXIST, "a sync daemon of this role "
				    "already runs");
	}
	*lockfd = fd;
	if (ftruncate(fd, sizeof(*st)))
		return lvsc_set_err(err, -errno, "cannot size %s: %s", path,
				    strerror(errno));
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (st == MAP_FAILED)
		return lvsc_set_err(err, -errno, "cannot map %s: %s", path,
				    strerror(errno));
	memset(st, 0, sizeof(*st));
	st->pid = getpid();
	st->d = d;
	s->d = &st->d;
	s->st = st;
	s->conns = map_open(s, "lvs_conns");
	s->state = map_open(s, "lvs_state");
	s->svc_idx = map_open(s, "lvs_svc_idx");
	s->svcs = map_open(s, "lvs_svcs");
	s->dests = map_open(s, "lvs_dests");
	s->prog = map_open(s, "lvs_sync_in");
	if (s->conns < 0 || s->state < 0 || s->svc_idx < 0 || s->svcs < 0 ||
	    s->dests < 0)
		return lvsc_set_err(err, -ENOENT, "the bpf datapath's maps are "
				    "missing in %s", s->dir);
	if (s->prog < 0)
		return lvsc_set_err(err, -ENOENT, "the loaded bpf datapath "
				    "predates connection sync (no "
				    "lvs_sync_in): unload it and load it "
				    "again");
	if (sock_open(s, err))
		return err->code;
	__atomic_store_n(&st->magic, STATE_MAGIC, __ATOMIC_RELEASE);
	return 0;
}

/* The daemon: never returns. */
static void daemon_main(struct syncd *s, const char *path, int pipefd)
{
	struct lvsc_err err = { 0 };
	struct sigaction sa = { .sa_handler = on_term };
	sigset_t none;
	int fd, lockfd = -1, rc;

	/* a clean slate: lvsd blocks signals and holds many fds */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (fd = 1; fd < NSIG; fd++)
		signal(fd, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* keep only the pipe, as fd 3 (lvsd may hold thousands of fds) */
	if (pipefd != 3) {
		dup2(pipefd, 3);
		pipefd = 3;
	}
	if (close_range(4, ~0U, 0))
		for (fd = 4; fd < 65536; fd++)
			close(fd);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	if (chdir("/"))
		err.code = 0;	/* nothing hangs on the old directory */
	/* ps shows the role, as the module's threads' names do */
	prctl(PR_SET_NAME, s->d->state == LVS_DAEMON_MASTER ? "lvs-syncd-m" :
	      "lvs-syncd-b", 0, 0, 0);
	rc = daemon_setup(s, path, &lockfd, &err);
	if (write(pipefd, &err, sizeof(err)) != sizeof(err))
		rc = -EPIPE;
	close(pipefd);
	if (rc)
		_exit(1);
	rc = s->d->state == LVS_DAEMON_MASTER ? master_loop(s) : backup_loop(s);
	unlink(path);
	_exit(rc ? 1 : 0);
}

int lvsc_bpf_sync_start(const char *dir, const struct lvsc_daemon *in,
			struct lvsc_err *err)
{
	static struct syncd s;
	struct lvsc_daemon d = *in;
	struct sync_state st;
	char path[128];
	int p[2], rc, status;
	pid_t pid;

	if (d.state != LVS_DAEMON_MASTER && d.state != LVS_DAEMON_BACKUP)
		return lvsc_set_err(err, -EINVAL, "a sync daemon is master or "
				    "backup");
	if (!d.mcast_ifn[0] || !memchr(d.mcast_ifn, 0, sizeof(d.mcast_ifn)))
		return lvsc_set_err(err, -EINVAL, "missing mcast interface");
	if (d.syncid > 255)
		return lvsc_set_err(err, -EINVAL, "syncid %u out of 0..255",
				    d.syncid);
	if (!d.sync_maxlen)
		d.sync_maxlen = LVS_SYNC_DEFAULT_MAXLEN;
	if (d.sync_maxlen < SYNC_MIN_LEN || d.sync_maxlen > 65535 - 28)
		return lvsc_set_err(err, -EINVAL, "sync maxlen %u out of "
				    "%u..%u", d.sync_maxlen, SYNC_MIN_LEN,
				    65535 - 28);
	if (!d.mcast_port)
		d.mcast_port = LVS_SYNC_DEFAULT_PORT;
	if (!d.mcast_ttl)
		d.mcast_ttl = LVS_SYNC_DEFAULT_TTL;
	if (!d.mcast_af) {
		d.mcast_af = AF_INET;
		d.mcast_group.in.s_addr = htonl(LVS_SYNC_DEFAULT_GROUP);
	}
	if (d.mcast_af != AF_INET || !IN_MULTICAST(ntohl(d.mcast_group.in.s_addr)))
		return lvsc_set_err(err, -EINVAL, "not an IPv4 multicast "
				    "group");
	if (d.peer_af && (d.peer_af != AF_INET ||
			  IN_MULTICAST(ntohl(d.peer.in.s_addr)) ||
			  !d.peer.in.s_addr ||
			  d.peer.in.s_addr == INADDR_BROADCAST))
		return lvsc_set_err(err, -EINVAL, "peer must be a unicast "
				    "IPv4 address");
	memset(&s, 0, sizeof(s));
	s.ifindex = (int)if_nametoindex(d.mcast_ifn);
	if (!s.ifindex)
		return lvsc_set_err(err, -ENODEV, "no such interface: %s",
				    d.mcast_ifn);
	d.sent_pkts = d.sent_conns = d.recv_pkts = d.recv_conns = 0;
	d.dropped = d.bad = d.resyncs = d.lost = d.gaps = 0;
	s.d = &d;
	s.dst = d.peer_af ? d.peer.in.s_addr : d.mcast_group.in.s_addr;
	snprintf(s.dir, sizeof(s.dir), "%s", dir);
	rc = state_read(d.state, &st, err);
	if (rc < 0)
		return rc;
	if (rc > 0)
		return lvsc_set_err(err, -EEXIST, "a sync daemon of this role "
				    "already runs (pid %d)", st.pid);
	rc = state_path(path, sizeof(path), d.state, err);
	if (rc)
		return rc;
	if (mkdir(RUN_DIR, 0755) && errno != EEXIST)
		return lvsc_set_err(err, -errno, "cannot create " RUN_DIR
				    ": %s", strerror(errno));
	if (pipe2(p, O_CLOEXEC))
		return lvsc_set_err(err, -errno, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return lvsc_set_err(err, -errno, "fork: %s", strerror(errno));
	}
	if (!pid) {
		/* detach: a session of its own, reparented to init */
		close(p[0]);
		setsid();
		if (fork())
			_exit(0);
		daemon_main(&s, path, p[1]);
	}
	close(p[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	memset(err, 0, sizeof(*err));
	do {
		rc = (int)read(p[0], err, sizeof(*err));
	} while (rc < 0 && errno == EINTR);
	close(p[0]);
	if (rc != (int)sizeof(*err))
		return lvsc_set_err(err, -ECHILD, "the sync daemon died while "
				    "starting");
	return err->code;
}

int lvsc_bpf_sync_stop(uint32_t state, struct lvsc_err *err)
{
	struct sync_state st;
	char path[128];
	int rc, i, fd;

	rc = state_read(state, &st, err);
	if (rc < 0)
		return rc;
	if (!rc)
		return lvsc_set_err(err, -ESRCH, "no %s sync daemon runs",
				    state == LVS_DAEMON_MASTER ? "master" :
				    "backup");
	rc = state_path(path, sizeof(path), state, err);
	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (kill(st.pid, SIGTERM) && errno != ESRCH) {
		rc = lvsc_set_err(err, -errno, "cannot stop pid %d: %s",
				  st.pid, strerror(errno));
		goto out;
	}
	/* it is gone when its lock is: 5 s, then SIGKILL */
	for (i = 0; fd >= 0 && i < 500; i++) {
		if (!flock(fd, LOCK_SH | LOCK_NB))
			goto out;
		if (i == 400)
			kill(st.pid, SIGKILL);
		usleep(10000);
	}
	if (fd >= 0)
		rc = lvsc_set_err(err, -ETIMEDOUT, "the sync daemon (pid %d) "
				  "did not stop", st.pid);
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

int lvsc_bpf_sync_list(struct lvsc_daemon **ds, size_t *n,
		       struct lvsc_err *err)
{
	static const uint32_t role[2] = { LVS_DAEMON_MASTER,
					  LVS_DAEMON_BACKUP };
	struct sync_state st;
	struct lvsc_daemon *v;
	int i, rc;

	*ds = NULL;
	*n = 0;
	v = calloc(2, sizeof(*v));
	if (!v)
		return lvsc_set_err(err, -ENOMEM, "out of memory");
	for (i = 0; i < 2; i++) {
		rc = state_read(role[i], &st, err);
		if (rc < 0) {
			free(v);
			return rc;
		}
		if (rc)
			v[(*n)++] = st.d;
	}
	*ds = v;
	return 0;
}
