#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""icmp_tun.py 4|6 TUN_SRC TUN_DST CLIENT VIP SPORT DPORT MTU

Send, from a real server's namespace, the error a router between the
director and the real server would send about a tunnelled packet:
fragmentation needed (IPv4) or packet too big (IPv6) with MTU, quoting an
IPIP / ip6ip6 packet TUN_SRC -> TUN_DST that carries a UDP datagram
CLIENT:SPORT -> VIP:DPORT.  Sent to TUN_SRC (the director).
"""
import socket
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def ip4(src, dst, proto, plen):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + plen, 0, 0x4000, 64,
                    proto, 0, socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack('!H', csum(h)) + h[12:]


def ip6(src, dst, nh, plen):
    return struct.pack('!IHBB16s16s', 6 << 28, plen, nh, 64,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst))


v, tsrc, tdst, client, vip, sport, dport, mtu = sys.argv[1:]
sport, dport, mtu, size = int(sport), int(dport), int(mtu), 1400
udp = struct.pack('!HHHH', sport, dport, 8 + size, 0)
if v == '4':
    inner = ip4(client, vip, 17, 8 + size) + udp
    quoted = ip4(tsrc, tdst, 4, 28 + size) + inner
    msg = struct.pack('!BBHHH', 3, 4, 0, 0, mtu) + quoted
    msg = msg[:2] + struct.pack('!H', csum(msg)) + msg[4:]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.sendto(msg, (tsrc, 0))
else:
    inner = ip6(client, vip, 17, 8 + size) + udp
    quoted = ip6(tsrc, tdst, 41, 48 + size) + inner
    msg = struct.pack('!BBHI', 2, 0, 0, mtu) + quoted
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.sendto(msg, (tsrc, 0))
