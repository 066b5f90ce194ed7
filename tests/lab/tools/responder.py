#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""responder.py NAME PORT [PORT...] - answer NAME over TCP and UDP.

One process.  A TCP connection gets "NAME\\n" once the client has sent
something (or closed its side), then is closed; one that stays silent
is closed after 30 s.  Connections are waited on together: a half-open
one (its client reset by the director, which never tells the real
server, as IPVS with expire_nodest_conn) must not hold up the others.
A UDP datagram gets "NAME\\n" back, or N bytes for a datagram "size N" (PMTU tests), always
from the address it was sent to (IP_PKTINFO), as a DR or tunnel real
server must answer from the VIP.
"""
import select
import socket
import sys
import time

IP_PKTINFO = 8		# <linux/in.h>, not in every Python

name = sys.argv[1].encode() + b'\n'
socks = []
for port in map(int, sys.argv[2:]):
    t = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    t.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind(('::', port))
    t.listen(512)
    u4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u4.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    u4.bind(('0.0.0.0', port))
    u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    u6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO, 1)
    u6.bind(('::', port))
    socks += [t, u4, u6]
conns = {}     # accepted connection -> when it is given up
while True:
    now = time.monotonic()
    for c, end in list(conns.items()):
        if end <= now:
            del conns[c]
            c.close()
    wait = max(0, min(conns.values()) - now) if conns else None
    r, _, _ = select.select(socks + list(conns), [], [], wait)
    for s in r:
        if s in conns:
            del conns[s]
            try:
                s.recv(100)
                s.sendall(name)
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            s.close()
        elif s.type == socket.SOCK_STREAM:
            c, _ = s.accept()
            c.settimeout(5)
            conns[c] = time.monotonic() + 30
        else:
            data, anc, _, peer = s.recvmsg(65535, 256)
            out = name
            if data.startswith(b'size '):
                out = b'x' * int(data.split()[1])
            # Answer from the address the datagram was sent to.
            cmsg = []
            for level, typ, val in anc:
                if level == socket.IPPROTO_IP and typ == IP_PKTINFO:
                    # struct in_pktinfo: ifindex, spec_dst, addr
                    cmsg = [(level, typ, b'\0' * 4 + val[8:12] +
                             b'\0' * 4)]
                elif typ == socket.IPV6_PKTINFO:
                    # struct in6_pktinfo: addr, ifindex
                    cmsg = [(level, typ, val[:16] + b'\0' * 4)]
            s.sendmsg([out], cmsg, 0, peer)
