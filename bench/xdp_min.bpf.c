// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_min.bpf.c - the least a native XDP forwarder can do, for
 * bench/bpf_nic.sh's "xdp-min" mode: every IPv4 frame gets the next
 * hop's and the egress interface's MAC addresses and is redirected to
 * that interface; nothing is parsed beyond the Ethernet header, no
 * lookup but the one array entry, no TTL, no checksum.  What it costs
 * the director on virtio-net is the driver's own work for a frame
 * forwarded by XDP (receive, redirect, transmit, completion, refill)
 * plus a handful of instructions: the floor under any XDP balancer on
 * that path, the eBPF datapath included.
 *
 * xdp_min_fwd[0] = { egress ifindex, next hop's MAC, egress MAC },
 * filled with bpftool; xdp_min_pass goes on the egress interface, where
 * virtio_net transmits redirected frames only if a program is attached.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_P_IP	0x0800
#define ETH_ALEN	6

char LICENSE[] SEC("license") = "GPL";

struct xdp_min_hop {
	__u32 ifindex;
	__u8 dmac[ETH_ALEN];
	__u8 smac[ETH_ALEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdp_min_hop);
} xdp_min_fwd SEC(".maps");

SEC("xdp")
int xdp_min(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct xdp_min_hop *h;
	__u32 k = 0;

	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	h = bpf_map_lookup_elem(&xdp_min_fwd, &k);
	if (!h || !h->ifindex)
		return XDP_PASS;
	__builtin_memcpy(eth->h_dest, h->dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, h->smac, ETH_ALEN);
	return bpf_redirect(h->ifindex, 0);
}

SEC("xdp")
int xdp_min_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}
