#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""frag6.py SRC DST

Send one IPv6 fragment from SRC to DST: the first fragment of a UDP
datagram (to port 9) whose other fragments never come.  A router that
reassembles IPv6 (nf_defrag_ipv6) holds it until its reassembly times
out; one that does not forwards it, and DST counts it in Ip6ReasmReqds.
The whole packet is built here (IPPROTO_RAW).
"""
import os
import socket
import struct
import sys


def main():
    src, dst = sys.argv[1:]
    # UDP header of a 1000-byte datagram and the first 8 bytes of data:
    # a non-last fragment carries a multiple of 8 bytes.
    data = struct.pack('!HHHH', 4000, 9, 1000, 0) + b'fragment'
    ident = struct.unpack('!I', os.urandom(4))[0]
    # Next header UDP, offset 0, more fragments.
    frag = struct.pack('!BBHI', 17, 0, 1, ident)
    payload = frag + data
    pkt = struct.pack('!IHBB16s16s', 6 << 28, len(payload), 44, 64,
                      socket.inet_pton(socket.AF_INET6, src),
                      socket.inet_pton(socket.AF_INET6, dst)) + payload
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.sendto(pkt, (dst, 0))


main()
