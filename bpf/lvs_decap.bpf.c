// SPDX-License-Identifier: GPL-2.0
/*
 * lvs_decap.bpf.c - the real server's end of a tunnel, in XDP: strips
 * the outer header of IPv4-in-IPv4, IPv6-in-IPv6 and the mixes (IPv4
 * protocol 4 or 41, IPv6 next header 4 or 41, no options or extension
 * headers) and hands the inner packet to the stack, which delivers it to
 * the virtual address the real server owns.  For real servers without
 * ipip/ip6tnl devices (containers, the host tests); attach it with
 *   ip link set dev IFACE xdpgeneric obj lvs_decap.bpf.o sec xdp
 * It decapsulates every such packet arriving on IFACE, whatever its
 * outer addresses: the kernel's tunnel devices check those, this does not.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD

char LICENSE[] SEC("license") = "GPL";

SEC("xdp")
int lvs_decap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data, save;
	int olen;
	__u8 inner;

	if ((void *)(eth + 1) > end)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) > end || ip->ihl != 5 ||
		    (ip->frag_off & bpf_htons(0x3fff)))
			return XDP_PASS;
		inner = ip->protocol;
		olen = sizeof(*ip);
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		if ((void *)(ip6 + 1) > end)
			return XDP_PASS;
		inner = ip6->nexthdr;
		olen = sizeof(*ip6);
	} else {
		return XDP_PASS;
	}
	if (inner != IPPROTO_IPIP && inner != IPPROTO_IPV6)
		return XDP_PASS;
	save = *eth;
	save.h_proto = bpf_htons(inner == IPPROTO_IPIP ? ETH_P_IP : ETH_P_IPV6);
	if (bpf_xdp_adjust_head(ctx, olen))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	*eth = save;
	return XDP_PASS;
}
