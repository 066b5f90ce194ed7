# SPDX-License-Identifier: GPL-2.0
# mh_ref.py - IPVS's mh pick, written from its rule (schedulers/lvs_mh.c's
# header comment) independently of the C sources, to check the eBPF
# datapath's hash and table: mh_ref.py CLIENT PORTS DEST:PORT:LASTWEIGHT...
# (PORTS comma separated, dests in list order, newest first) prints the
# index of the pick for each port, or -1.
import sys

M = 4093
PRIMES = [251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071]
BITS = (PRIMES.index(M) + 8) // 2
K1, K2 = 2654435761, 2654446892
MASK = (1 << 64) - 1


def rol(w, s):
    return ((w << s) | (w >> (64 - s))) & MASK


def sipround(v):
    v0, v1, v2, v3 = v
    v0 = (v0 + v1) & MASK; v1 = rol(v1, 13) ^ v0; v0 = rol(v0, 32)
    v2 = (v2 + v3) & MASK; v3 = rol(v3, 16) ^ v2
    v0 = (v0 + v3) & MASK; v3 = rol(v3, 21) ^ v0
    v2 = (v2 + v1) & MASK; v1 = rol(v1, 17) ^ v2; v2 = rol(v2, 32)
    return [v0, v1, v2, v3]


def hsip(x, k):
    """hsiphash of a u32 on 64-bit: SipHash-1-3, both key words k."""
    v = [0x736f6d6570736575 ^ k, 0x646f72616e646f6d ^ k,
         0x6c7967656e657261 ^ k, 0x7465646279746573 ^ k]
    b = (4 << 56) | (x & 0xffffffff)
    v[3] ^= b
    v = sipround(v)
    v[0] ^= b
    v[2] ^= 0xff
    for _ in range(3):
        v = sipround(v)
    return (v[0] ^ v[1] ^ v[2] ^ v[3]) & 0xffffffff


def ip4(a):
    p = [int(x) for x in a.split('.')]
    return (p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]


def table(dests):
    from math import gcd
    lws = [lw for _, _, lw in dests if lw > 0]
    if not lws:
        return [None] * M
    g = 0
    for lw in lws:
        g = gcd(g, lw)
    rshift = max((max(lws) // g).bit_length() - BITS, 0)
    nodes = []
    for addr, port, lw in dests:
        key = (ip4(addr) + port) & 0xffffffff
        off = hsip(key, K1) % M
        turns = (lw // g) >> rshift or (1 if lw else 0)
        nodes.append([off, hsip(key, K2) % (M - 1) + 1, turns])
    tab, used, n = [None] * M, set(), 0
    while True:
        for i, nd in enumerate(nodes):
            for _ in range(nd[2]):
                while nd[0] in used:
                    nd[0] = (nd[0] + nd[1]) % M
                used.add(nd[0])
                tab[nd[0]] = i
                n += 1
                if n == M:
                    return tab


client, ports = sys.argv[1], sys.argv[2].split(',')
dests = [(a, int(p), int(w)) for a, p, w in (d.split(':') for d in sys.argv[3:])]
t = table(dests)
for cport in ports:
    pick = t[hsip((ip4(client) + int(cport)) & 0xffffffff, K1) % M]
    print(-1 if pick is None else pick)
