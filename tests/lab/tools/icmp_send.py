#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""icmp_send.py 4|6 SRC DST TYPE CODE INFO QSRC QSPORT QDST QDPORT good|bad

Send the ICMP error SRC -> DST (TYPE, CODE and INFO, the 32-bit word after
the checksum: the MTU of "fragmentation needed" in its low 16 bits, of
"packet too big" whole) quoting a whole UDP datagram QSRC:QSPORT ->
QDST:QDPORT with valid IP and UDP checksums.  "bad" spoils the ICMP
checksum.  The packet is built here whole (IPPROTO_RAW), so that nothing
fills the checksum in.
"""
import socket
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s >> 16) + (s & 0xffff)
    return ~s & 0xffff


def addr(v, x):
    return socket.inet_pton(socket.AF_INET if v == '4' else socket.AF_INET6,
                            x)


def ip(v, src, dst, proto, payload):
    if v == '6':
        return struct.pack('!IHBB16s16s', 6 << 28, len(payload), proto, 64,
                           addr(v, src), addr(v, dst)) + payload
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 0, 0x4000,
                    64, proto, 0, addr(v, src), addr(v, dst))
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + payload


def pseudo(v, src, dst, proto, n):
    if v == '6':
        return addr(v, src) + addr(v, dst) + struct.pack('!I3xB', n, proto)
    return addr(v, src) + addr(v, dst) + struct.pack('!BBH', 0, proto, n)


def main():
    (v, src, dst, typ, code, info, qsrc, qsport, qdst, qdport,
     how) = sys.argv[1:]
    data = b'quoted datagram'
    u = struct.pack('!HHHH', int(qsport), int(qdport), 8 + len(data), 0) + \
        data
    c = csum(pseudo(v, qsrc, qdst, 17, len(u)) + u) or 0xffff
    u = u[:6] + struct.pack('!H', c) + u[8:]
    msg = struct.pack('!BBHI', int(typ), int(code), 0, int(info)) + \
        ip(v, qsrc, qdst, 17, u)
    proto = 1 if v == '4' else 58
    c = csum(msg if v == '4' else pseudo(v, src, dst, 58, len(msg)) + msg)
    if how == 'bad':
        c ^= 0x5a5a
    msg = msg[:2] + struct.pack('!H', c) + msg[4:]
    fam = socket.AF_INET if v == '4' else socket.AF_INET6
    s = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.sendto(ip(v, src, dst, proto, msg), (dst, 0))


main()
