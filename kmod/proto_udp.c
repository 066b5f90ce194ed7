// SPDX-License-Identifier: GPL-2.0
/*
 * proto_udp.c - UDP: one state, one timeout.
 */
#include "lvs_core.h"

/*
 * Softirq, under RCU.  UDP connections stay counted as inactive.  One
 * that has seen neither a reply nor a second packet is embryonic, and
 * waits less while the table fills up.
 */
void lvs_udp_state_transition(struct lvs_conn *cp)
{
	struct lvs_net *ln = lvs_net(read_pnet(&cp->net));
	unsigned long t = READ_ONCE(ln->udp_timeout);

	if (!test_bit(LVS_CONN_B_CONFIRMED, &cp->bits) &&
	    lvs_conn_pressure(ln))
		t = min(t, LVS_EMBRYONIC_TIMEOUT);

	if (cp->timeout == t)
		return;
	spin_lock(&cp->lock);
	lvs_conn_set_timeout(cp, t);
	spin_unlock(&cp->lock);
}
