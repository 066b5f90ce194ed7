// SPDX-License-Identifier: GPL-2.0
/*
 * proto_tcp.c - TCP: IPVS's connection state machine and timeouts, and
 * the port and checksum rewriting shared with UDP.
 */
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>

#include "lvs_core.h"

const unsigned long lvs_tcp_default_timeout[LVS_TCP_S_MAX + 1] = {
	[LVS_TCP_S_NONE]	= 2 * HZ,
	[LVS_TCP_S_ESTABLISHED]	= 15 * 60 * HZ,
	[LVS_TCP_S_SYN_SENT]	= 2 * 60 * HZ,
	[LVS_TCP_S_SYN_RECV]	= 1 * 60 * HZ,
	[LVS_TCP_S_FIN_WAIT]	= 2 * 60 * HZ,
	[LVS_TCP_S_TIME_WAIT]	= 2 * 60 * HZ,
	[LVS_TCP_S_CLOSE]	= 10 * HZ,
	[LVS_TCP_S_CLOSE_WAIT]	= 60 * HZ,
	[LVS_TCP_S_LAST_ACK]	= 30 * HZ,
	[LVS_TCP_S_LISTEN]	= 2 * 60 * HZ,
	[LVS_TCP_S_SYNACK]	= 2 * 60 * HZ,
};

/* Short names for the transition table below. */
#define NO	LVS_TCP_S_NONE
#define ES	LVS_TCP_S_ESTABLISHED
#define SS	LVS_TCP_S_SYN_SENT
#define SR	LVS_TCP_S_SYN_RECV
#define FW	LVS_TCP_S_FIN_WAIT
#define TW	LVS_TCP_S_TIME_WAIT
#define CL	LVS_TCP_S_CLOSE
#define CW	LVS_TCP_S_CLOSE_WAIT
#define LA	LVS_TCP_S_LAST_ACK
#define LI	LVS_TCP_S_LISTEN
#define SA	LVS_TCP_S_SYNACK

enum { EV_SYN, EV_FIN, EV_ACK, EV_RST, EV_MAX };

/*
 * next[direction][event][current state], IPVS's (non-"secure_tcp")
 * table: same transitions, so that counts and timeouts match what
 * operators see with IPVS.
 */
static const u8 lvs_tcp_next[3][EV_MAX][LVS_TCP_S_MAX + 1] = {
	[LVS_DIR_INPUT] = {
		/*	   NO  ES  SS  SR  FW  TW  CL  CW  LA  LI  SA */
		[EV_SYN] = { SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR },
		[EV_FIN] = { CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, TW },
		[EV_ACK] = { ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES },
		[EV_RST] = { CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, SR },
	},
	[LVS_DIR_OUTPUT] = {
		[EV_SYN] = { SS, ES, SS, SR, SS, SS, SS, SS, SS, LI, SR },
		[EV_FIN] = { TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW },
		[EV_ACK] = { ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES },
		[EV_RST] = { CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL },
	},
	[LVS_DIR_INPUT_ONLY] = {
		[EV_SYN] = { SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR },
		[EV_FIN] = { CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW },
		[EV_ACK] = { ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES },
		[EV_RST] = { CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL },
	},
};

bool lvs_tcp_state_active(int state)
{
	return state == ES || state == SS || state == SR || state == SA;
}

/*
 * Entering @state, move @cp between its real server's active and
 * inactive counts if it changes sides.  cp->lock held.  True if moved.
 */
bool lvs_tcp_move_counts(struct lvs_conn *cp, int state)
{
	bool is = lvs_tcp_state_active(state);

	if (is == !(cp->flags & LVS_CONN_F_INACTIVE))
		return false;
	if (is) {
		cp->flags &= ~LVS_CONN_F_INACTIVE;
		atomic_dec(&cp->rs->pub.inactconns);
		atomic_inc(&cp->rs->pub.activeconns);
	} else {
		cp->flags |= LVS_CONN_F_INACTIVE;
		atomic_dec(&cp->rs->pub.activeconns);
		atomic_inc(&cp->rs->pub.inactconns);
	}
	return true;
}

static const struct tcphdr *lvs_tcph(const struct sk_buff *skb,
				     const struct lvs_iph *h,
				     struct tcphdr *buf)
{
	return skb_header_pointer(skb, h->len, sizeof(*buf), buf);
}

/*
 * Flags no connection starts with: SYN with FIN or RST, or no SYN, ACK or
 * RST at all (FIN alone, "null" and "Xmas" scans).  Such a packet never
 * creates an entry; the packet path drops it.
 */
bool lvs_tcp_flags_bad(const struct sk_buff *skb, const struct lvs_iph *h)
{
	const struct tcphdr *th;
	struct tcphdr buf;

	th = lvs_tcph(skb, h, &buf);
	if (!th || th->doff < sizeof(struct tcphdr) / 4)
		return true;
	if (th->syn && (th->fin || th->rst))
		return true;
	return !th->syn && !th->ack && !th->rst;
}

/*
 * Only a SYN without ACK may create a connection, as IPVS; with
 * sloppy_tcp any packet but a RST may (a connection that moved here from
 * another director mid-stream).  The caller refused lvs_tcp_flags_bad().
 */
bool lvs_tcp_can_schedule(const struct sk_buff *skb, const struct lvs_iph *h,
			  bool sloppy)
{
	const struct tcphdr *th;
	struct tcphdr buf;

	th = lvs_tcph(skb, h, &buf);
	if (!th || th->rst || th->fin)
		return false;
	if (sloppy)
		return true;
	return th->syn && !th->ack;
}

static void lvs_tcp_assure_control(struct lvs_conn *cp)
{
	struct lvs_conn *ct = cp->control;

	if (ct && !(READ_ONCE(ct->flags) & LVS_CONN_F_ASSURED)) {
		spin_lock(&ct->lock);
		ct->flags |= LVS_CONN_F_ASSURED;
		spin_unlock(&ct->lock);
	}
}

/* Softirq, under RCU. */
void lvs_tcp_state_transition(struct lvs_conn *cp, enum lvs_dir dir,
			      const struct sk_buff *skb,
			      const struct lvs_iph *h)
{
	struct lvs_net *ln = lvs_net(read_pnet(&cp->net));
	const struct tcphdr *th;
	unsigned long timeout;
	struct tcphdr buf;
	bool moved;
	int ev, next;

	th = lvs_tcph(skb, h, &buf);
	if (!th)
		return;
	if (th->rst)
		ev = EV_RST;
	else if (th->syn)
		ev = EV_SYN;
	else if (th->fin)
		ev = EV_FIN;
	else if (th->ack)
		ev = EV_ACK;
	else
		ev = -1;

	/* Most packets change nothing: find out without the lock. */
	if (ev >= 0 && !((READ_ONCE(cp->flags) & LVS_CONN_F_NO_OUTPUT) &&
			 dir == LVS_DIR_OUTPUT)) {
		enum lvs_dir d = dir;
		u8 state = READ_ONCE(cp->state);

		if (READ_ONCE(cp->flags) & LVS_CONN_F_NO_OUTPUT)
			d = LVS_DIR_INPUT_ONLY;
		if (lvs_tcp_next[d][ev][state] == state)
			return;
	}

	spin_lock(&cp->lock);
	/* Its owner is undoing its counts: they must not move any more. */
	if (test_bit(LVS_CONN_B_DEAD, &cp->bits)) {
		spin_unlock(&cp->lock);
		return;
	}
	if (cp->flags & LVS_CONN_F_NO_OUTPUT) {
		if (dir == LVS_DIR_OUTPUT)
			cp->flags &= ~LVS_CONN_F_NO_OUTPUT;
		else
			dir = LVS_DIR_INPUT_ONLY;
	}
	next = ev < 0 ? LVS_TCP_S_CLOSE : lvs_tcp_next[dir][ev][cp->state];
	if (next == cp->state) {
		spin_unlock(&cp->lock);
		return;
	}
	moved = lvs_tcp_move_counts(cp, next);
	cp->state = next;
	timeout = READ_ONCE(ln->tcp_timeout[next]);
	/* A handshake made while the table fills up waits less. */
	if (next == SR && lvs_conn_pressure(ln))
		timeout = min(timeout, LVS_EMBRYONIC_TIMEOUT);
	lvs_conn_set_timeout(cp, timeout);
	spin_unlock(&cp->lock);

	if (next == ES)
		lvs_tcp_assure_control(cp);
	if (moved) {
		struct lvs_sched_ops *sched;

		lvs_rs_update_overload(cp->rs);
		sched = rcu_dereference(cp->rs->svc->sched);
		if (sched && sched->load_changed)
			sched->load_changed(&cp->rs->svc->pub, &cp->rs->pub);
	}
}

/*
 * Rewrite one end of a TCP or UDP packet: the address (already changed or
 * about to be changed in the IP header by the caller) enters the
 * pseudo-header sum, the port enters the header sum.  Works for checksums
 * that are complete, partial (CHECKSUM_PARTIAL, only the pseudo-header
 * part is updated) or absent (UDP over IPv4 with check 0).  The caller
 * made the L4 header writable.
 */
int lvs_l4_mangle(struct sk_buff *skb, const struct lvs_iph *h,
		  const union nf_inet_addr *oaddr,
		  const union nf_inet_addr *naddr, __be16 oport,
		  __be16 nport, bool dst)
{
	__sum16 *check;
	__be16 *port;

	if (h->protocol == IPPROTO_TCP) {
		struct tcphdr *th = (struct tcphdr *)(skb->data + h->len);

		check = &th->check;
		port = dst ? &th->dest : &th->source;
	} else {
		struct udphdr *uh = (struct udphdr *)(skb->data + h->len);

		check = &uh->check;
		port = dst ? &uh->dest : &uh->source;
		if (h->af == AF_INET && !*check &&
		    skb->ip_summed != CHECKSUM_PARTIAL) {
			*port = nport;
			return 0;
		}
	}
	if (h->af == AF_INET6)
		inet_proto_csum_replace16(check, skb, oaddr->ip6, naddr->ip6,
					  true);
	else
		inet_proto_csum_replace4(check, skb, oaddr->ip, naddr->ip,
					 true);
	if (oport != nport) {
		inet_proto_csum_replace2(check, skb, oport, nport, false);
		*port = nport;
	}
	if (h->protocol == IPPROTO_UDP && !*check)
		*check = CSUM_MANGLED_0;
	return 0;
}
