// SPDX-License-Identifier: GPL-2.0
/*
 * list.c - ipvsadm 1.31's output formats, byte for byte, and their JSON.
 *
 * Text mode reproduces ipvsadm's columns, widths, trailing blanks, its
 * truncation of IPv4 names (33 columns for a service, 28 for a real
 * server) and its number abbreviations.  JSON mode writes every field of
 * every object whatever the text variant asked for, with numeric
 * addresses, so tools need one parser.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "vsadm.h"

/* --- sorting: ipvsadm's comparators, wrap-around included ----------- */

/*
 * ipvsadm subtracts host-order addresses as unsigned and reads the
 * result as int, so 10.0.0.1 sorts after 200.0.0.1.  Reproduced on
 * purpose: operators diff our listings against theirs.
 */
static int wrap_diff(uint32_t a, uint32_t b)
{
	return (int)(a - b);
}

static int cmp_addr(uint16_t af, const union lvsc_addr *a,
		    const union lvsc_addr *b)
{
	int i, r;

	if (af == AF_INET6) {
		for (i = 0; i < 4; i++) {
			r = wrap_diff(ntohl(a->in6.s6_addr32[i]),
				      ntohl(b->in6.s6_addr32[i]));
			if (r)
				return r;
		}
		return 0;
	}
	return wrap_diff(ntohl(a->in.s_addr), ntohl(b->in.s_addr));
}

static int cmp_rule(const void *pa, const void *pb)
{
	const struct lvsc_service *a = &((const struct vs_rule *)pa)->svc;
	const struct lvsc_service *b = &((const struct vs_rule *)pb)->svc;
	int r;

	r = wrap_diff(a->fwmark, b->fwmark);
	if (!r)
		r = a->af - b->af;
	if (!r)
		r = a->protocol - b->protocol;
	if (!r)
		r = cmp_addr(a->af, &a->addr, &b->addr);
	if (!r)
		r = a->port - b->port;
	return r;
}

static int cmp_dest(const void *pa, const void *pb)
{
	const struct lvsc_dest *a = pa, *b = pb;
	int r = a->af - b->af;

	if (!r)
		r = cmp_addr(a->af, &a->addr, &b->addr);
	if (!r)
		r = a->port - b->port;
	return r;
}

void vs_sort_table(struct vs_table *t)
{
	size_t i;

	if (t->n > 1)
		qsort(t->rules, t->n, sizeof(*t->rules), cmp_rule);
	for (i = 0; i < t->n; i++)
		if (t->rules[i].ndests > 1)
			qsort(t->rules[i].dests, t->rules[i].ndests,
			      sizeof(*t->rules[i].dests), cmp_dest);
}

void vs_table_free(struct vs_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->rules[i].dests);
	free(t->rules);
	t->rules = NULL;
	t->n = 0;
}

/* --- pieces ---------------------------------------------------------- */

static void print_largenum(struct vs_out *o, const char *key, uint64_t v,
			   unsigned int fmt)
{
	unsigned long long u = v;

	vs_print_uint(o, VS_JSON, key, NULL, v);
	if (fmt & VS_FMT_EXACT) {
		int len = snprintf(NULL, 0, "%llu", u);

		vs_printf(o, "%*llu", len <= 8 ? 9 : len + 1, u);
	} else if (u < 100000000ULL) {
		vs_printf(o, "%9llu", u);
	} else if (u < 1000000000ULL) {
		vs_printf(o, "%8lluK", u / 1000);
	} else if (u < 100000000000ULL) {
		vs_printf(o, "%8lluM", u / 1000000);
	} else if (u < 100000000000000ULL) {
		vs_printf(o, "%8lluG", u / 1000000000ULL);
	} else {
		vs_printf(o, "%8lluT", u / 1000000000000ULL);
	}
}

static const char *proto_switch(uint16_t proto)
{
	switch (proto) {
	case IPPROTO_UDP:
		return "-u";
	case IPPROTO_SCTP:
		return "--sctp-service";
	default:
		return "-t";
	}
}

/* The service as ipvsadm names it: "TCP  addr:port", "FWM  n", "-t ..." */
static void svc_name(char *buf, size_t len, const struct lvsc_service *s,
		     unsigned int fmt)
{
	char an[64];
	bool v6 = s->af == AF_INET6;

	if (s->fwmark) {
		/* ipvsadm prints marks with %d. */
		if (fmt & VS_FMT_RULE)
			snprintf(buf, len, "-f %d%s", (int)s->fwmark,
				 v6 ? " -6" : "");
		else
			snprintf(buf, len, "FWM  %d%s", (int)s->fwmark,
				 v6 ? " IPv6" : "");
		return;
	}
	vs_addrport_name(an, sizeof(an), s->af, &s->addr, s->port,
			 s->protocol, fmt & VS_FMT_NUMERIC);
	if (fmt & VS_FMT_RULE) {
		snprintf(buf, len, "%s %s", proto_switch(s->protocol), an);
	} else {
		snprintf(buf, len, "%-4s %s", vs_proto_name(s->protocol), an);
		if (!v6 && strlen(buf) > 33)
			buf[33] = '\0';
	}
}

/* The scheduler flags by the names the scheduler gives them (lvsc.h). */
static void sched_flag_names(const struct lvsc_service *s, char *buf,
			     size_t len)
{
	static const uint32_t bit[] = { LVS_SVC_F_SCHED1, LVS_SVC_F_SCHED2,
					LVS_SVC_F_SCHED3 };
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < 3; i++)
		if (s->flags & bit[i])
			off += snprintf(buf + off, len - off, "%s%s",
					off ? "," : "",
					lvsc_sched_flag_name(s->sched,
							     bit[i]));
}

static void print_netmask_json(struct vs_out *o, const struct lvsc_service *s)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr m = { .s_addr = s->netmask ? s->netmask : 0xffffffff };

	if (s->af == AF_INET6) {
		vs_print_uint(o, VS_JSON, "netmask", NULL,
			      s->netmask ? s->netmask : 128);
	} else {
		inet_ntop(AF_INET, &m, buf, sizeof(buf));
		vs_print_str(o, VS_JSON, "netmask", NULL, buf);
	}
}

/* Persistence granularity, unless it is the default full mask. */
static bool mask_text(const struct lvsc_service *s, char *buf, size_t len)
{
	struct in_addr m = { .s_addr = s->netmask };

	if (s->af == AF_INET6) {
		if (!s->netmask || s->netmask == 128)
			return false;
		snprintf(buf, len, "%i", (int)s->netmask);
		return true;
	}
	if (!s->netmask || s->netmask == 0xffffffff)
		return false;
	inet_ntop(AF_INET, &m, buf, len);
	return true;
}

static void print_stats_json(struct vs_out *o, const struct lvsc_stats *st)
{
	if (!vs_out_json(o))
		return;
	vs_open_obj(o, "stats");
	vs_print_uint(o, VS_JSON, "conns", NULL, st->conns);
	vs_print_uint(o, VS_JSON, "inpkts", NULL, st->inpkts);
	vs_print_uint(o, VS_JSON, "outpkts", NULL, st->outpkts);
	vs_print_uint(o, VS_JSON, "inbytes", NULL, st->inbytes);
	vs_print_uint(o, VS_JSON, "outbytes", NULL, st->outbytes);
	vs_print_uint(o, VS_JSON, "cps", NULL, st->cps);
	vs_print_uint(o, VS_JSON, "inpps", NULL, st->inpps);
	vs_print_uint(o, VS_JSON, "outpps", NULL, st->outpps);
	vs_print_uint(o, VS_JSON, "inbps", NULL, st->inbps);
	vs_print_uint(o, VS_JSON, "outbps", NULL, st->outbps);
	vs_close_obj(o);
}

static const char *af_name(uint16_t af)
{
	return af == AF_INET6 ? "inet6" : "inet";
}

static void print_addr_json(struct vs_out *o, uint16_t af,
			    const union lvsc_addr *a, uint16_t port)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(af, a, buf, sizeof(buf));
	vs_print_str(o, VS_JSON, "family", NULL, af_name(af));
	vs_print_str(o, VS_JSON, "address", NULL, buf);
	vs_print_uint(o, VS_JSON, "port", NULL, port);
}

/* --- service and real server rows ------------------------------------ */

static void print_svc_json(struct vs_out *o, const struct lvsc_service *s)
{
	char flags[64];

	if (!vs_out_json(o))
		return;
	if (s->fwmark) {
		vs_print_str(o, VS_JSON, "family", NULL, af_name(s->af));
		vs_print_uint(o, VS_JSON, "fwmark", NULL, s->fwmark);
	} else {
		vs_print_str(o, VS_JSON, "protocol", NULL,
			     vs_proto_name(s->protocol));
		print_addr_json(o, s->af, &s->addr, s->port);
	}
	vs_print_str(o, VS_JSON, "scheduler", NULL, s->sched);
	sched_flag_names(s, flags, sizeof(flags));
	vs_print_str(o, VS_JSON, "sched_flags", NULL, flags);
	vs_print_bool(o, "persistent", s->flags & LVS_SVC_F_PERSISTENT);
	vs_print_uint(o, VS_JSON, "timeout", NULL, s->timeout);
	print_netmask_json(o, s);
	vs_print_bool(o, "ops", s->flags & LVS_SVC_F_ONEPACKET);
	print_stats_json(o, &s->stats);
}

static void print_svc(struct vs_out *o, const struct lvsc_service *s,
		      const char *name, unsigned int fmt)
{
	char flags[64], mask[64];
	bool persistent = s->flags & LVS_SVC_F_PERSISTENT;
	bool has_mask = mask_text(s, mask, sizeof(mask));

	print_svc_json(o, s);
	sched_flag_names(s, flags, sizeof(flags));
	if (fmt & VS_FMT_RULE) {
		vs_printf(o, "-A %s -s %s", name, s->sched);
		if (persistent) {
			vs_printf(o, " -p %u", s->timeout);
			if (has_mask)
				vs_printf(o, " -M %s", mask);
		}
		if (s->flags & LVS_SVC_F_ONEPACKET)
			vs_printf(o, " -o");
		if (flags[0])
			vs_printf(o, " -b %s", flags);
	} else if (fmt & VS_FMT_STATS) {
		vs_printf(o, "%-33s", name);
		print_largenum(o, NULL, s->stats.conns, fmt);
		print_largenum(o, NULL, s->stats.inpkts, fmt);
		print_largenum(o, NULL, s->stats.outpkts, fmt);
		print_largenum(o, NULL, s->stats.inbytes, fmt);
		print_largenum(o, NULL, s->stats.outbytes, fmt);
	} else if (fmt & VS_FMT_RATE) {
		vs_printf(o, "%-33s", name);
		print_largenum(o, NULL, s->stats.cps, fmt);
		print_largenum(o, NULL, s->stats.inpps, fmt);
		print_largenum(o, NULL, s->stats.outpps, fmt);
		print_largenum(o, NULL, s->stats.inbps, fmt);
		print_largenum(o, NULL, s->stats.outbps, fmt);
	} else {
		vs_printf(o, "%s %s", name, s->sched);
		if (flags[0])
			vs_printf(o, " (%s)", flags);
		if (persistent) {
			vs_printf(o, " persistent %u", s->timeout);
			if (has_mask)
				vs_printf(o, " mask %s", mask);
		}
		if (s->flags & LVS_SVC_F_ONEPACKET)
			vs_printf(o, " ops");
	}
	vs_printf(o, "\n");
}

static const char *fwd_switch(uint8_t fwd)
{
	switch (fwd) {
	case LVS_FWD_MASQ:
		return "-m";
	case LVS_FWD_TUNNEL:
		return "-i";
	default:
		return "-g";
	}
}

static const char *csum_short(uint16_t tf)
{
	if (tf & LVS_TUN_F_REMCSUM)
		return "r+c";
	return tf & LVS_TUN_F_CSUM ? "+c" : "-c";
}

static const char *csum_switch(uint16_t tf)
{
	if (tf & LVS_TUN_F_REMCSUM)
		return "--tun-remcsum";
	return tf & LVS_TUN_F_CSUM ? "--tun-csum" : "--tun-nocsum";
}

static void tun_info(const struct lvsc_dest *d, char *buf, size_t len)
{
	const char *type = vs_tun_name(d->tun_type);

	if (d->fwd != LVS_FWD_TUNNEL)
		snprintf(buf, len, "n/a");
	else if (d->tun_type == LVS_TUN_GUE)
		snprintf(buf, len, "%s:%d:%s", type, d->tun_port,
			 csum_short(d->tun_flags));
	else if (d->tun_type == LVS_TUN_GRE)
		snprintf(buf, len, "%s:%s", type, csum_short(d->tun_flags));
	else
		snprintf(buf, len, "%s", type);
}

static void print_dest_json(struct vs_out *o, const struct lvsc_dest *d,
			    uint16_t af)
{
	if (!vs_out_json(o))
		return;
	print_addr_json(o, af, &d->addr, d->port);
	vs_print_str(o, VS_JSON, "forward", NULL, vs_fwd_name(d->fwd));
	vs_print_uint(o, VS_JSON, "weight", NULL, d->weight);
	vs_print_uint(o, VS_JSON, "u_threshold", NULL, d->u_threshold);
	vs_print_uint(o, VS_JSON, "l_threshold", NULL, d->l_threshold);
	vs_print_uint(o, VS_JSON, "active_conns", NULL, d->activeconns);
	vs_print_uint(o, VS_JSON, "inactive_conns", NULL, d->inactconns);
	vs_print_uint(o, VS_JSON, "persist_conns", NULL, d->persistconns);
	if (d->fwd == LVS_FWD_TUNNEL) {
		vs_open_obj(o, "tunnel");
		vs_print_str(o, VS_JSON, "type", NULL, vs_tun_name(d->tun_type));
		if (d->tun_type == LVS_TUN_GUE)
			vs_print_uint(o, VS_JSON, "port", NULL, d->tun_port);
		vs_print_str(o, VS_JSON, "csum", NULL,
			     csum_switch(d->tun_flags) + 6);
		vs_close_obj(o);
	}
	print_stats_json(o, &d->stats);
}

static void print_dest(struct vs_out *o, const struct lvsc_service *s,
		       const char *sname, const struct lvsc_dest *d,
		       unsigned int fmt)
{
	uint16_t af = d->af ? d->af : s->af;
	char dn[64], ti[64];
	int w = (int)d->weight;

	print_dest_json(o, d, af);
	vs_addrport_name(dn, sizeof(dn), af, &d->addr, d->port,
			 s->protocol, fmt & VS_FMT_NUMERIC);
	if (fmt & VS_FMT_RULE) {
		vs_printf(o, "-a %s -r %s %s -w %d", sname, dn,
			  fwd_switch(d->fwd), w);
		if (d->fwd == LVS_FWD_TUNNEL) {
			vs_printf(o, " --tun-type %s", vs_tun_name(d->tun_type));
			if (d->tun_type == LVS_TUN_GUE)
				vs_printf(o, " --tun-port %d %s", d->tun_port,
					  csum_switch(d->tun_flags));
			else if (d->tun_type == LVS_TUN_GRE)
				vs_printf(o, " %s", csum_switch(d->tun_flags));
		}
		vs_printf(o, "\n");
		return;
	}
	if (af != AF_INET6 && strlen(dn) > 28)
		dn[28] = '\0';
	if (fmt & VS_FMT_STATS) {
		vs_printf(o, "  -> %-28s", dn);
		print_largenum(o, NULL, d->stats.conns, fmt);
		print_largenum(o, NULL, d->stats.inpkts, fmt);
		print_largenum(o, NULL, d->stats.outpkts, fmt);
		print_largenum(o, NULL, d->stats.inbytes, fmt);
		print_largenum(o, NULL, d->stats.outbytes, fmt);
		vs_printf(o, "\n");
	} else if (fmt & VS_FMT_RATE) {
		vs_printf(o, "  -> %-28s %8llu %8llu %8llu", dn,
			  (unsigned long long)d->stats.cps,
			  (unsigned long long)d->stats.inpps,
			  (unsigned long long)d->stats.outpps);
		print_largenum(o, NULL, d->stats.inbps, fmt);
		print_largenum(o, NULL, d->stats.outbps, fmt);
		vs_printf(o, "\n");
	} else if (fmt & VS_FMT_THRESHOLDS) {
		vs_printf(o, "  -> %-28s %-10u %-10u %-10u %-10u\n", dn,
			  d->u_threshold, d->l_threshold, d->activeconns,
			  d->inactconns);
	} else if (fmt & VS_FMT_PERSISTENTCONN) {
		vs_printf(o, "  -> %-28s %-9u %-11u %-10u %-10u\n", dn,
			  d->weight, d->persistconns, d->activeconns,
			  d->inactconns);
	} else if (fmt & VS_FMT_TUN_INFO) {
		tun_info(d, ti, sizeof(ti));
		vs_printf(o, "  -> %-28s %-7s %-13s %-6d %-10u %-10u\n", dn,
			  vs_fwd_name(d->fwd), ti, w, d->activeconns,
			  d->inactconns);
	} else {
		vs_printf(o, "  -> %-28s %-7s %-6d %-10u %-10u\n", dn,
			  vs_fwd_name(d->fwd), w, d->activeconns,
			  d->inactconns);
	}
}

static void print_rule(struct vs_out *o, const struct vs_rule *r,
		       unsigned int fmt)
{
	char name[128];
	size_t i;

	svc_name(name, sizeof(name), &r->svc, fmt);
	vs_open_obj(o, NULL);
	print_svc(o, &r->svc, name, fmt);
	vs_open_arr(o, "dests");
	for (i = 0; i < r->ndests; i++) {
		vs_open_obj(o, NULL);
		print_dest(o, &r->svc, name, &r->dests[i], fmt);
		vs_close_obj(o);
	}
	vs_close_arr(o);
	vs_close_obj(o);
}

/* --- whole listings ---------------------------------------------------- */

static void print_title(struct vs_out *o, unsigned int fmt)
{
	const char *first = "Prot LocalAddress:Port";

	if (fmt & VS_FMT_STATS)
		vs_printf(o, "%-33s %8s %8s %8s %8s %8s\n"
			  "  -> RemoteAddress:Port\n", first,
			  "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes");
	else if (fmt & VS_FMT_RATE)
		vs_printf(o, "%-33s %8s %8s %8s %8s %8s\n"
			  "  -> RemoteAddress:Port\n", first,
			  "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS");
	else if (fmt & VS_FMT_THRESHOLDS)
		vs_printf(o, "%-33s %-10s %-10s %-10s %-10s\n"
			  "  -> RemoteAddress:Port\n", first,
			  "Uthreshold", "Lthreshold", "ActiveConn",
			  "InActConn");
	else if (fmt & VS_FMT_PERSISTENTCONN)
		vs_printf(o, "%-33s %-9s %-11s %-10s %-10s\n"
			  "  -> RemoteAddress:Port\n", first,
			  "Weight", "PersistConn", "ActiveConn", "InActConn");
	else if (fmt & VS_FMT_TUN_INFO)
		vs_printf(o, "%s Scheduler Flags\n"
			  "  -> RemoteAddress:Port           Forward "
			  "TunnelInfo    Weight ActiveConn InActConn\n", first);
	else
		vs_printf(o, "%s Scheduler Flags\n"
			  "  -> RemoteAddress:Port           Forward "
			  "Weight ActiveConn InActConn\n", first);
}

void vs_print_list(struct vs_out *o, const struct vs_table *t,
		   const struct vs_ident *id, unsigned int fmt, bool single)
{
	char ver[32];
	size_t i;

	snprintf(ver, sizeof(ver), "%u.%u.%u", (id->version >> 16) & 0xff,
		 (id->version >> 8) & 0xff, id->version & 0xff);
	vs_open_obj(o, NULL);
	vs_print_str(o, VS_JSON, "name", NULL, id->name);
	vs_print_str(o, VS_JSON, "version", NULL, ver);
	vs_print_uint(o, VS_JSON, "size", NULL, id->size);
	if (!single)
		vs_printf(o, "%s version %s (size=%u)\n", id->name, ver,
			  id->size);
	print_title(o, fmt);
	vs_open_arr(o, "services");
	for (i = 0; i < t->n; i++)
		print_rule(o, &t->rules[i], fmt);
	vs_close_arr(o);
	vs_close_obj(o);
}

void vs_print_save(struct vs_out *o, const struct vs_table *t,
		   unsigned int fmt)
{
	size_t i;

	vs_open_arr(o, NULL);
	for (i = 0; i < t->n; i++)
		print_rule(o, &t->rules[i], fmt | VS_FMT_RULE);
	vs_close_arr(o);
}

/* --- connections ------------------------------------------------------- */

static const char *const tcp_state_names[LVS_TCP_S_MAX + 1] = {
	[LVS_TCP_S_NONE] = "NONE",
	[LVS_TCP_S_ESTABLISHED] = "ESTABLISHED",
	[LVS_TCP_S_SYN_SENT] = "SYN_SENT",
	[LVS_TCP_S_SYN_RECV] = "SYN_RECV",
	[LVS_TCP_S_FIN_WAIT] = "FIN_WAIT",
	[LVS_TCP_S_TIME_WAIT] = "TIME_WAIT",
	[LVS_TCP_S_CLOSE] = "CLOSE",
	[LVS_TCP_S_CLOSE_WAIT] = "CLOSE_WAIT",
	[LVS_TCP_S_LAST_ACK] = "LAST_ACK",
	[LVS_TCP_S_LISTEN] = "LISTEN",
	[LVS_TCP_S_SYNACK] = "SYNACK",
};

/* The state as /proc/net/ip_vs_conn names it. */
static const char *conn_state(const struct lvsc_conn *c)
{
	if (c->flags & LVS_CONN_F_TEMPLATE)
		return c->flags & LVS_CONN_F_ASSURED ? "ASSURED" : "NONE";
	if (c->protocol == IPPROTO_UDP)
		return "UDP";
	if (c->protocol == IPPROTO_TCP)
		return c->state <= LVS_TCP_S_MAX ? tcp_state_names[c->state] :
		       "ERR!";
	return c->protocol == IPPROTO_IP ? "NONE" : "ERR!";
}

static void print_conn(struct vs_out *o, const struct lvsc_conn *c,
		       unsigned int fmt)
{
	bool numeric = fmt & VS_FMT_NUMERIC;
	char src[64], virt[64], dst[64], exp[32];
	union lvsc_addr va = c->vaddr;
	unsigned int secs = c->expires_ms / 1000;

	/* IPVS keeps a fwmark template's mark in its virtual address. */
	if (c->fwmark && (c->flags & LVS_CONN_F_TEMPLATE) && c->af == AF_INET)
		va.in.s_addr = htonl(c->fwmark);
	vs_addrport_name(src, sizeof(src), c->af, &c->caddr, c->cport,
			 c->protocol, numeric);
	vs_addrport_name(virt, sizeof(virt), c->af, &va, c->vport,
			 c->protocol, numeric);
	vs_addrport_name(dst, sizeof(dst), c->dest_af, &c->daddr, c->dport,
			 c->protocol, numeric);
	snprintf(exp, sizeof(exp), "%02u:%02u", secs / 60, secs % 60);
	if (vs_out_json(o)) {
		vs_open_obj(o, NULL);
		vs_print_str(o, VS_JSON, "protocol", NULL,
			     vs_proto_name(c->protocol));
		vs_print_uint(o, VS_JSON, "expires_ms", NULL, c->expires_ms);
		vs_print_str(o, VS_JSON, "state", NULL, conn_state(c));
		vs_print_str(o, VS_JSON, "source", NULL, src);
		vs_print_str(o, VS_JSON, "virtual", NULL, virt);
		vs_print_str(o, VS_JSON, "destination", NULL, dst);
		vs_print_str(o, VS_JSON, "forward", NULL, vs_fwd_name(c->fwd));
		if (c->fwmark)
			vs_print_uint(o, VS_JSON, "fwmark", NULL, c->fwmark);
		vs_print_bool(o, "template", c->flags & LVS_CONN_F_TEMPLATE);
		vs_close_obj(o);
		return;
	}
	vs_printf(o, "%-3s %-6s %-11s %-18s %-18s %s\n",
		  vs_proto_name(c->protocol), exp, conn_state(c), src, virt,
		  dst);
}

void vs_print_conns(struct vs_out *o, const struct lvsc_conn *c, size_t n,
		    unsigned int fmt)
{
	size_t i;

	vs_printf(o, "IPVS connection entries\n"
		  "pro expire %-11s %-18s %-18s %s\n",
		  "state", "source", "virtual", "destination");
	vs_open_arr(o, NULL);
	for (i = 0; i < n; i++)
		print_conn(o, &c[i], fmt);
	vs_close_arr(o);
}

void vs_print_timeout(struct vs_out *o, const struct lvsc_config *cfg)
{
	vs_open_obj(o, NULL);
	vs_print_uint(o, VS_JSON, "tcp", NULL, cfg->tcp);
	vs_print_uint(o, VS_JSON, "tcpfin", NULL, cfg->tcp_fin);
	vs_print_uint(o, VS_JSON, "udp", NULL, cfg->udp);
	vs_close_obj(o);
	vs_printf(o, "Timeout (tcp tcpfin udp): %d %d %d\n", (int)cfg->tcp,
		  (int)cfg->tcp_fin, (int)cfg->udp);
}

/*
 * --list --daemon: ipvsadm's line per daemon, master first; JSON adds
 * the counters.
 */
void vs_print_daemons(struct vs_out *o, const struct lvsc_daemon *d,
		      size_t n)
{
	char group[INET6_ADDRSTRLEN];
	size_t i;

	vs_open_arr(o, NULL);
	for (i = 0; i < n; i++, d++) {
		const char *role = d->state == LVS_DAEMON_MASTER ?
				   "master" : "backup";

		vs_open_obj(o, NULL);
		vs_print_str(o, VS_ANY, "state", "%s sync daemon ", role);
		vs_print_str(o, VS_ANY, "mcast_interface", "(mcast=%s",
			     d->mcast_ifn);
		vs_print_uint(o, VS_ANY, "syncid", ", syncid=%llu", d->syncid);
		if (d->sync_maxlen)
			vs_print_uint(o, VS_ANY, "maxlen", ", maxlen=%llu",
				      d->sync_maxlen);
		if (d->mcast_af &&
		    inet_ntop(d->mcast_af, &d->mcast_group, group,
			      sizeof(group)))
			vs_print_str(o, VS_ANY, "group", ", group=%s", group);
		if (d->mcast_port)
			vs_print_uint(o, VS_ANY, "port", ", port=%llu",
				      d->mcast_port);
		if (d->mcast_ttl)
			vs_print_uint(o, VS_ANY, "ttl", ", ttl=%llu",
				      d->mcast_ttl);
		vs_printf(o, ")\n");
		if (d->peer_af &&
		    inet_ntop(d->peer_af, &d->peer, group, sizeof(group)))
			vs_print_str(o, VS_JSON, "peer", NULL, group);
		vs_print_uint(o, VS_JSON, "sent_pkts", NULL, d->sent_pkts);
		vs_print_uint(o, VS_JSON, "sent_conns", NULL, d->sent_conns);
		vs_print_uint(o, VS_JSON, "recv_pkts", NULL, d->recv_pkts);
		vs_print_uint(o, VS_JSON, "recv_conns", NULL, d->recv_conns);
		vs_print_uint(o, VS_JSON, "dropped", NULL, d->dropped);
		vs_print_uint(o, VS_JSON, "bad", NULL, d->bad);
		vs_print_uint(o, VS_JSON, "resyncs", NULL, d->resyncs);
		vs_print_uint(o, VS_JSON, "lost", NULL, d->lost);
		vs_print_uint(o, VS_JSON, "gaps", NULL, d->gaps);
		vs_close_obj(o);
	}
	vs_close_arr(o);
}
