// SPDX-License-Identifier: GPL-2.0
/*
 * sched_bench.c - nanoseconds per pick of the lvs schedulers against
 * IPVS-style linear references, at 10, 1,000 and 10,000 real servers,
 * measured in the same run.  Userspace, one thread: the scheduler sources
 * are built through schedulers/compat/lvs_compat.h, so spinlocks cost
 * nothing here and the numbers show the algorithms, not contention.
 *
 * The references are IPVS's walks (ip_vs_*.c, ipvs.md §2): rr and wrr
 * walk svc->destinations from a cursor, lc/wlc/sed/nq walk all dests.
 *
 * Two figures per line:
 *  - pick: one schedule() call, the core's bookkeeping left out;
 *  - conn: what a new connection costs the scheduler: the pick, then the
 *    new connection counted on its dest and an old one ending (1,000 in
 *    flight, or 4 per dest), each count change followed by load_changed
 *    when the scheduler has one.  IPVS has no such hook.
 * ratio = IPVS time / lvs time (above 1: lvs is faster).
 *
 * Weights: "mixed" draws 1..5 with one dest in ten quiesced (weight 0);
 * "skewed" gives one dest weight 100 and the rest weight 1, which makes
 * IPVS's wrr walk the list many times per round.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lvs/sched.h>

unsigned long lvs_jiffies = 1000000;
unsigned long lvs_compat_alloc_fail;

static struct list_head registry = LIST_HEAD_INIT(registry);

int lvs_register_scheduler(struct lvs_sched_ops *ops)
{
	list_add_tail(&ops->n_list, &registry);
	return 0;
}

void lvs_unregister_scheduler(struct lvs_sched_ops *ops)
{
	list_del(&ops->n_list);
}

static struct lvs_sched_ops *find_sched(const char *name)
{
	struct lvs_sched_ops *ops;

	list_for_each_entry(ops, &registry, n_list)
		if (!strcmp(ops->name, name))
			return ops;
	return NULL;
}

/* ---- IPVS-style references ---- */

struct ref_state {
	struct list_head	*cl;
	int			cw, mw, di;
};

static struct ref_state ref;

static bool usable(const struct lvs_dest *d)
{
	return !(d->flags & LVS_DEST_F_OVERLOAD) &&
	       atomic_read(&d->weight) > 0;
}

static struct lvs_dest *ref_rr(struct lvs_service *svc)
{
	struct list_head *head = &svc->destinations, *p = ref.cl;
	struct lvs_dest *d;

	do {
		p = p->next;
		if (p == head)
			continue;
		d = list_entry(p, struct lvs_dest, n_list);
		if (usable(d)) {
			ref.cl = p;
			return d;
		}
	} while (p != ref.cl && !(ref.cl == head && p->next == head));
	return NULL;
}

static void ref_wrr_init(struct lvs_service *svc)
{
	struct lvs_dest *d;
	int g = 0, maxw = 0, w;

	list_for_each_entry(d, &svc->destinations, n_list) {
		w = atomic_read(&d->weight);
		if (w > 0)
			g = g ? (int)gcd(w, g) : w;
		maxw = max(maxw, w);
	}
	ref.cl = &svc->destinations;
	ref.di = g ? g : 1;
	ref.mw = maxw - (ref.di - 1);
	ref.cw = ref.mw;
}

static struct lvs_dest *ref_wrr(struct lvs_service *svc)
{
	struct list_head *head = &svc->destinations, *p, *last, *stop = NULL;
	bool last_pass = false, restarted = false;
	struct lvs_dest *d;

	if (ref.mw == 0)
		return NULL;
	p = last = ref.cl;
	for (;;) {
		for (p = p->next; p != head; p = p->next) {
			d = list_entry(p, struct lvs_dest, n_list);
			if (!(d->flags & LVS_DEST_F_OVERLOAD) &&
			    atomic_read(&d->weight) >= ref.cw) {
				ref.cl = p;
				return d;
			}
			if (p == stop) {
				ref.cl = p;
				return NULL;
			}
		}
		ref.cw -= ref.di;
		if (ref.cw <= 0) {
			ref.cw = ref.mw;
			if (last_pass || last == head) {
				ref.cl = head;
				return NULL;
			}
			restarted = true;
		}
		last_pass = ref.cw <= ref.di;
		if (last_pass && restarted && last != head)
			stop = last;
	}
}

static struct lvs_dest *ref_lc(struct lvs_service *svc)
{
	struct lvs_dest *d, *least = NULL;
	unsigned int loh = 0, doh;

	list_for_each_entry(d, &svc->destinations, n_list) {
		if ((d->flags & LVS_DEST_F_OVERLOAD) || !atomic_read(&d->weight))
			continue;
		doh = lvs_dest_conn_overhead(d);
		if (!least || doh < loh) {
			least = d;
			loh = doh;
		}
	}
	return least;
}

static struct lvs_dest *ref_weighted(struct lvs_service *svc, bool sed,
				     bool nq)
{
	struct lvs_dest *d, *least = NULL;
	s64 loh = 0, doh;

	list_for_each_entry(d, &svc->destinations, n_list) {
		if ((d->flags & LVS_DEST_F_OVERLOAD) ||
		    atomic_read(&d->weight) <= 0)
			continue;
		if (nq && !atomic_read(&d->activeconns))
			return d;
		doh = sed ? (s64)atomic_read(&d->activeconns) + 1 :
			    (s64)lvs_dest_conn_overhead(d);
		if (!least || loh * atomic_read(&d->weight) >
			      doh * atomic_read(&least->weight)) {
			least = d;
			loh = doh;
		}
	}
	return least;
}

static struct lvs_dest *ref_wlc(struct lvs_service *svc)
{
	return ref_weighted(svc, false, false);
}

static struct lvs_dest *ref_sed(struct lvs_service *svc)
{
	return ref_weighted(svc, true, false);
}

static struct lvs_dest *ref_nq(struct lvs_service *svc)
{
	return ref_weighted(svc, true, true);
}

/* ---- the run ---- */

struct bench {
	const char	*name;
	struct lvs_dest	*(*ref)(struct lvs_service *svc);
	bool		skewed;
	bool		conns;
};

static const struct bench benches[] = {
	{ "rr",  ref_rr,  false, false },
	{ "wrr", ref_wrr, false, false },
	{ "wrr", ref_wrr, true,  false },
	{ "lc",  ref_lc,  false, true },
	{ "wlc", ref_wlc, false, true },
	{ "sed", ref_sed, false, true },
	{ "nq",  ref_nq,  false, true },
	/* IPVS's sh, dh and mh are table lookups too: no reference. */
	{ "sh",  NULL,    false, false },
	{ "dh",  NULL,    false, false },
	{ "mh",  NULL,    false, false },
};

struct setup {
	struct lvs_service	svc;
	struct lvs_dest		*dests;
	struct lvs_dest		**ring;		/* connections in flight */
	unsigned int		nring, head;
	unsigned long		seed;
};

static unsigned long next_rand(unsigned long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void setup_svc(struct setup *st, unsigned int n, bool skewed)
{
	unsigned int i;

	memset(st, 0, sizeof(*st));
	st->seed = 88172645463325252UL;
	INIT_LIST_HEAD(&st->svc.destinations);
	spin_lock_init(&st->svc.sched_lock);
	st->svc.af = AF_INET;
	st->dests = calloc(n, sizeof(*st->dests));
	st->nring = max(1000u, 4 * n);
	st->ring = calloc(st->nring, sizeof(*st->ring));
	if (!st->dests || !st->ring)
		abort();
	for (i = 0; i < n; i++) {
		struct lvs_dest *d = &st->dests[i];
		int w;

		if (skewed)
			w = i ? 1 : 100;
		else
			w = next_rand(&st->seed) % 10 ? 1 + (int)(next_rand(&st->seed) % 5) : 0;
		d->af = AF_INET;
		d->addr.ip = htonl(0x0a000000u + i);
		d->port = htons(80);
		atomic_set(&d->weight, w);
		atomic_set(&d->last_weight, w);
		d->flags = LVS_DEST_F_AVAILABLE;
		list_add(&d->n_list, &st->svc.destinations);
		st->svc.num_dests++;
	}
}

static void free_svc(struct setup *st)
{
	free(st->dests);
	free(st->ring);
}

static double now_ns(void)
{
	struct timespec ts;

	/* CPU time, not wall time: on a shared machine the wall clock
	 * mostly counts the other processes' time slices. */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void count(struct lvs_sched_ops *ops, struct lvs_service *svc,
		  struct lvs_dest *d, int delta)
{
	atomic_set(&d->activeconns, atomic_read(&d->activeconns) + delta);
	if (ops && ops->load_changed)
		ops->load_changed(svc, d);
}

/*
 * Run picks in five rounds of about 40 ms of CPU time; with @conns, also
 * the bookkeeping of a new connection.  @ops NULL: the reference.
 * Returns ns per pick of the fastest round, the one least disturbed by
 * whatever else shared the caches.
 */
static double measure(struct setup *st, struct lvs_sched_ops *ops,
		      const struct bench *b, bool conns)
{
	struct lvs_pkt pkt = { .af = AF_INET };
	double t0, t, best = 1e18;
	struct lvs_dest *d, *old;
	unsigned long picks;
	unsigned int i, round;

	for (round = 0; round < 5; round++) {
		picks = 0;
		t0 = now_ns();
		do {
			for (i = 0; i < 64; i++) {
				pkt.saddr.ip = (__be32)next_rand(&st->seed);
				pkt.daddr.ip = pkt.saddr.ip;
				d = ops ? ops->schedule(&st->svc, &pkt) :
					  b->ref(&st->svc);
				if (!conns || !d)
					continue;
				old = st->ring[st->head];
				if (old)
					count(ops, &st->svc, old, -1);
				count(ops, &st->svc, d, 1);
				st->ring[st->head] = d;
				st->head = (st->head + 1) % st->nring;
			}
			picks += 64;
			t = now_ns();
		} while (t - t0 < 4e7);
		best = min(best, (t - t0) / picks);
	}
	return best;
}

static void drain(struct setup *st, struct lvs_sched_ops *ops)
{
	unsigned int i;

	for (i = 0; i < st->nring; i++) {
		if (st->ring[i])
			count(ops, &st->svc, st->ring[i], -1);
		st->ring[i] = NULL;
	}
	st->head = 0;
}

static void run(const struct bench *b, unsigned int n)
{
	struct lvs_sched_ops *ops = find_sched(b->name);
	double ours_pick, ref_pick, ours_conn = 0, ref_conn = 0;
	struct setup st;

	setup_svc(&st, n, b->skewed);
	if (ops->init_service && ops->init_service(&st.svc)) {
		/* mh: IPVS too refuses more dests than table slots. */
		printf("%-4s %-6s %6u  refused (more dests than %s allows)\n",
		       b->name, b->skewed ? "skewed" : "mixed", n, b->name);
		free_svc(&st);
		return;
	}
	ref.cl = &st.svc.destinations;
	if (b->ref == ref_wrr)
		ref_wrr_init(&st.svc);

	if (b->conns) {
		ours_conn = measure(&st, ops, b, true);
		ours_pick = measure(&st, ops, b, false);	/* under load */
		drain(&st, ops);
		ref_conn = measure(&st, NULL, b, true);
		ref_pick = measure(&st, NULL, b, false);
		drain(&st, NULL);
	} else {
		ours_pick = measure(&st, ops, b, false);
		ref_pick = b->ref ? measure(&st, NULL, b, false) : 0;
	}
	printf("%-4s %-6s %6u  %9.1f", b->name,
	       b->skewed ? "skewed" : "mixed", n, ours_pick);
	if (b->ref)
		printf(" %9.1f %8.2f", ref_pick, ref_pick / ours_pick);
	else
		printf(" %9s %8s", "-", "-");
	if (b->conns)
		printf("  %9.1f %9.1f %8.2f", ours_conn, ref_conn,
		       ref_conn / ours_conn);
	printf("\n");
	if (ops->done_service)
		ops->done_service(&st.svc);
	free_svc(&st);
}

/* sched_bench [NAME [DESTS]]: all benchmarks, or only those named. */
int main(int argc, char **argv)
{
	static const unsigned int sizes[] = { 10, 1000, 10000 };
	unsigned int i, j, only_n = argc > 2 ? (unsigned int)atoi(argv[2]) : 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("%-4s %-6s %6s  %9s %9s %8s  %9s %9s %8s\n", "", "weight",
	       "dests", "lvs", "ipvs", "ratio", "lvs", "ipvs", "ratio");
	printf("%-4s %-6s %6s  %9s %9s %8s  %9s %9s %8s\n", "", "", "",
	       "ns/pick", "ns/pick", "", "ns/conn", "ns/conn", "");
	for (i = 0; i < ARRAY_SIZE(benches); i++) {
		if (argc > 1 && strcmp(argv[1], benches[i].name))
			continue;
		if (only_n) {
			run(&benches[i], only_n);
			continue;
		}
		for (j = 0; j < ARRAY_SIZE(sizes); j++)
			run(&benches[i], sizes[j]);
	}
	return 0;
}
