#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""client.py tcp|udp ADDR PORT [N] [--hold S] [--hold-until FILE]
                                [--size B] [--pad B] [--sport P]
                                [--timeout S]

Makes N (default 1) connections (TCP) or flows (UDP, each from a new
socket) to ADDR:PORT and prints one line per answer: the text answered, or
"ERR <reason>".  --hold keeps each TCP connection open S seconds before
reading; --hold-until keeps it open until FILE exists (at most 60 s times
$LAB_SLOW, lib.sh), so
a test can change the director between connect and request whatever
the machine's speed; --size asks a responder for a UDP answer of B bytes and prints
its length; --pad sends a UDP datagram of B bytes; --sport binds the
source port.
"""
import os
import socket
import sys
import time


def main():
    args = sys.argv[1:]
    opts = {}
    pos = []
    i = 0
    while i < len(args):
        if args[i].startswith('--'):
            opts[args[i][2:]] = args[i + 1]
            i += 2
        else:
            pos.append(args[i])
            i += 1
    proto, addr, port = pos[0], pos[1], int(pos[2])
    n = int(pos[3]) if len(pos) > 3 else 1
    af = socket.AF_INET6 if ':' in addr else socket.AF_INET
    for _ in range(n):
        kind = socket.SOCK_STREAM if proto == 'tcp' else socket.SOCK_DGRAM
        s = socket.socket(af, kind)
        s.settimeout(float(opts.get('timeout', 4)))
        if 'sport' in opts:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(('::' if af == socket.AF_INET6 else '0.0.0.0',
                    int(opts['sport'])))
        try:
            s.connect((addr, port))
            if proto == 'tcp':
                if 'hold' in opts:
                    time.sleep(float(opts['hold']))
                if 'hold-until' in opts:
                    end = time.monotonic() + 60 * int(
                        os.environ.get('LAB_SLOW', '1'))
                    while not os.path.exists(opts['hold-until']) and \
                            time.monotonic() < end:
                        time.sleep(0.05)
                s.sendall(b'hi\n')
                data = b''
                while True:
                    b = s.recv(100)
                    if not b:
                        break
                    data += b
            else:
                msg = b'size %s' % opts['size'].encode() \
                    if 'size' in opts else b'ping'
                msg = msg.ljust(int(opts.get('pad', 0)))
                data = None
                for _try in range(2):
                    s.send(msg)
                    try:
                        data = s.recv(65535)
                        break
                    except socket.timeout:
                        continue
                if data is None:
                    raise socket.timeout('no answer')
                if 'size' in opts:
                    data = b'%d' % len(data)
            print(data.decode().strip(), flush=True)
        except OSError as e:
            print('ERR %s' % (e.strerror or e), flush=True)
        s.close()


main()
