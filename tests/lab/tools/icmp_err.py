#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""icmp_err.py 4|6 RS CLIENT SPORT DPORT good|bad

Send, from a real server's namespace, the port unreachable error the real
server would send about a UDP datagram CLIENT:SPORT -> RS:DPORT of a NAT
connection, quoting that datagram whole (with valid IP and UDP
checksums).  "bad" spoils the ICMP checksum: the director must drop the
error instead of translating it (it would leave with a valid checksum).
The whole packet is built here (IPPROTO_RAW): an ICMPv6 raw socket would
fill in the checksum itself.
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


def a4(x):
    return socket.inet_aton(x)


def a6(x):
    return socket.inet_pton(socket.AF_INET6, x)


def ip4(src, dst, proto, payload):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 0, 0, 64,
                    proto, 0, a4(src), a4(dst))
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + payload


def ip6(src, dst, nh, payload):
    return struct.pack('!IHBB16s16s', 6 << 28, len(payload), nh, 64,
                       a6(src), a6(dst)) + payload


def udp(pseudo, sport, dport, data):
    u = struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data
    c = csum(pseudo + u) or 0xffff
    return u[:6] + struct.pack('!H', c) + u[8:]


def main():
    v, rs, client, sport, dport, how = sys.argv[1:]
    sport, dport, data = int(sport), int(dport), b'probe'
    if v == '4':
        pseudo = a4(client) + a4(rs) + struct.pack('!BBH', 0, 17,
                                                   8 + len(data))
        quoted = ip4(client, rs, 17, udp(pseudo, sport, dport, data))
        msg = struct.pack('!BBHI', 3, 3, 0, 0) + quoted
        c = csum(msg)
    else:
        pseudo = a6(client) + a6(rs) + struct.pack('!I3xB',
                                                   8 + len(data), 17)
        quoted = ip6(client, rs, 17, udp(pseudo, sport, dport, data))
        msg = struct.pack('!BBHI', 1, 4, 0, 0) + quoted
        c = csum(a6(rs) + a6(client) + struct.pack('!I3xB', len(msg), 58) +
                 msg)
    if how == 'bad':
        c ^= 0x5a5a
    msg = msg[:2] + struct.pack('!H', c) + msg[4:]
    if v == '4':
        pkt = ip4(rs, client, 1, msg)
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    else:
        pkt = ip6(rs, client, 58, msg)
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                          socket.IPPROTO_RAW)
    s.sendto(pkt, (client, 0))


main()
