// SPDX-License-Identifier: GPL-2.0
/*
 * stats.c - 64-bit per-CPU counters and their rate estimator.
 *
 * The packet path adds to its own CPU's counters only.  Readers sum the
 * CPUs; ZERO records the current sums as a base to subtract, so writers
 * never need a lock.  Every two seconds a per-namespace work item turns
 * the growth of each object's totals into per-second rates, smoothed as
 * IPVS smooths them (new = old + (sample - old) / 4), kept scaled by 2^10.
 * The work walks the namespace's services under RCU, not under the
 * configuration mutex (other namespaces' changes never wait for it), and
 * runs only while the namespace has services: the first service's
 * addition starts it, and it does not queue itself again once the last
 * one is gone.
 */
#include <linux/percpu.h>
#include <linux/slab.h>

#include "lvs_core.h"

#define LVS_EST_INTERVAL	(2 * HZ)
#define LVS_EST_SHIFT		10

int lvs_stats_init(struct lvs_stats *st)
{
	int cpu;

	st->cpu = alloc_percpu(struct lvs_cpu_stats);
	if (!st->cpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(st->cpu, cpu)->syncp);
	spin_lock_init(&st->lock);
	memset(&st->zero, 0, sizeof(st->zero));
	memset(&st->last, 0, sizeof(st->last));
	memset(&st->rate, 0, sizeof(st->rate));
	return 0;
}

/* Any context: free_percpu() does not sleep. */
void lvs_stats_free(struct lvs_stats *st)
{
	free_percpu(st->cpu);
	st->cpu = NULL;
}

static void lvs_stats_sum(struct lvs_stats *st, struct lvs_counters *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		struct lvs_cpu_stats *s = per_cpu_ptr(st->cpu, cpu);
		u64 conns, inpkts, outpkts, inbytes, outbytes;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			conns = u64_stats_read(&s->conns);
			inpkts = u64_stats_read(&s->inpkts);
			outpkts = u64_stats_read(&s->outpkts);
			inbytes = u64_stats_read(&s->inbytes);
			outbytes = u64_stats_read(&s->outbytes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum->conns += conns;
		sum->inpkts += inpkts;
		sum->outpkts += outpkts;
		sum->inbytes += inbytes;
		sum->outbytes += outbytes;
	}
}

void lvs_stats_read(struct lvs_stats *st, struct lvs_counters *sum,
		    struct lvs_counters *rate)
{
	struct lvs_counters now;

	lvs_stats_sum(st, &now);
	spin_lock_bh(&st->lock);
	sum->conns = now.conns - st->zero.conns;
	sum->inpkts = now.inpkts - st->zero.inpkts;
	sum->outpkts = now.outpkts - st->zero.outpkts;
	sum->inbytes = now.inbytes - st->zero.inbytes;
	sum->outbytes = now.outbytes - st->zero.outbytes;
	rate->conns = (st->rate.conns + 512) >> LVS_EST_SHIFT;
	rate->inpkts = (st->rate.inpkts + 512) >> LVS_EST_SHIFT;
	rate->outpkts = (st->rate.outpkts + 512) >> LVS_EST_SHIFT;
	rate->inbytes = (st->rate.inbytes + 512) >> LVS_EST_SHIFT;
	rate->outbytes = (st->rate.outbytes + 512) >> LVS_EST_SHIFT;
	spin_unlock_bh(&st->lock);
}

void lvs_stats_zero(struct lvs_stats *st)
{
	struct lvs_counters now;

	lvs_stats_sum(st, &now);
	spin_lock_bh(&st->lock);
	st->zero = now;
	st->last = now;
	memset(&st->rate, 0, sizeof(st->rate));
	spin_unlock_bh(&st->lock);
}

static u64 lvs_ewma(u64 avg, u64 last, u64 now)
{
	s64 sample = (s64)(((now - last) << LVS_EST_SHIFT) /
			   (LVS_EST_INTERVAL / HZ));

	return (u64)((s64)avg + (sample - (s64)avg) / 4);
}

void lvs_stats_tick(struct lvs_stats *st)
{
	struct lvs_counters now;

	lvs_stats_sum(st, &now);
	spin_lock_bh(&st->lock);
	st->rate.conns = lvs_ewma(st->rate.conns, st->last.conns, now.conns);
	st->rate.inpkts = lvs_ewma(st->rate.inpkts, st->last.inpkts,
				   now.inpkts);
	st->rate.outpkts = lvs_ewma(st->rate.outpkts, st->last.outpkts,
				    now.outpkts);
	st->rate.inbytes = lvs_ewma(st->rate.inbytes, st->last.inbytes,
				    now.inbytes);
	st->rate.outbytes = lvs_ewma(st->rate.outbytes, st->last.outbytes,
				     now.outbytes);
	st->last = now;
	spin_unlock_bh(&st->lock);
}

static void lvs_est_work(struct work_struct *work)
{
	struct lvs_net *ln = container_of(to_delayed_work(work),
					  struct lvs_net, est_work);
	struct hlist_head *tab;
	struct lvs_svc *svc;
	struct lvs_dest *d;
	unsigned int i, t;

	for (i = 0; i < LVS_SVC_TAB_SIZE; i++) {
		rcu_read_lock();
		for (t = 0; t < 2; t++) {
			tab = t ? &ln->fwm_tab[i] : &ln->svc_tab[i];
			hlist_for_each_entry_rcu(svc, tab, h_node) {
				lvs_stats_tick(&svc->stats);
				list_for_each_entry_rcu(d,
							&svc->pub.destinations,
							n_list)
					lvs_stats_tick(&to_rs(d)->stats);
			}
		}
		rcu_read_unlock();
		cond_resched();
	}
	if (READ_ONCE(ln->num_services))
		queue_delayed_work(system_long_wq, &ln->est_work,
				   LVS_EST_INTERVAL);
}

void lvs_est_init(struct lvs_net *ln)
{
	INIT_DELAYED_WORK(&ln->est_work, lvs_est_work);
}

/* A service was added: make sure the estimator runs. */
void lvs_est_kick(struct lvs_net *ln)
{
	queue_delayed_work(system_long_wq, &ln->est_work, LVS_EST_INTERVAL);
}

void lvs_est_stop(struct lvs_net *ln)
{
	cancel_delayed_work_sync(&ln->est_work);
}
