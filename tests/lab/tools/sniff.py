#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""sniff.py IFACE SECONDS - print one line per IP packet seen (debugging)."""
import socket
import struct
import sys
import time

s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind((sys.argv[1], 0))
s.settimeout(0.2)
end = time.time() + float(sys.argv[2])
while time.time() < end:
    try:
        pkt, addr = s.recvfrom(65535)
    except socket.timeout:
        continue
    et = struct.unpack('!H', pkt[12:14])[0]
    d = 'out' if addr[2] == socket.PACKET_OUTGOING else 'in'
    if et == 0x86dd:
        nh, hl = pkt[20], pkt[21]
        src = socket.inet_ntop(socket.AF_INET6, pkt[22:38])
        dst = socket.inet_ntop(socket.AF_INET6, pkt[38:54])
        l4 = pkt[54:58]
    elif et == 0x0800:
        ihl = (pkt[14] & 15) * 4
        nh, hl = pkt[23], pkt[22]
        src = socket.inet_ntoa(pkt[26:30])
        dst = socket.inet_ntoa(pkt[30:34])
        l4 = pkt[14 + ihl:14 + ihl + 4]
    else:
        continue
    sp, dp = struct.unpack('!HH', l4) if len(l4) == 4 else (0, 0)
    print('%s %s proto %d ttl %d %s.%d > %s.%d len %d' %
          (sys.argv[1], d, nh, hl, src, sp, dst, dp, len(pkt)), flush=True)
