#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Small real servers for lvsd's host tests, loopback or netns only.

  servers.py http ADDR PORT DIR   HTTP: status from DIR/status (default
                                  200), body from DIR/body, chunked when
                                  DIR/chunked exists
  servers.py udp ADDR PORT        UDP: answers every datagram with b"pong"
                                  plus what it got
  servers.py dns ADDR PORT        DNS over UDP: answers A queries for
                                  ok.test with 127.0.0.1, NXDOMAIN else
"""
import http.server
import os
import socket
import socketserver
import struct
import sys


def http_server(addr, port, d):
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            try:
                self.answer()
            except (BrokenPipeError, ConnectionResetError):
                pass    # lvsd stops reading once it has what it needs

        def answer(self):
            try:
                status = int(open(os.path.join(d, "status")).read().strip())
            except (OSError, ValueError):
                status = 200
            try:
                body = open(os.path.join(d, "body"), "rb").read()
            except OSError:
                body = b"hello\n"
            self.send_response(status)
            if os.path.exists(os.path.join(d, "chunked")):
                # HTTP/1.1 chunked: the body in two chunks, a trailer.
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                half = len(body) // 2
                for part in (body[:half], body[half:]):
                    self.wfile.write(b"%x;ext=1\r\n%s\r\n" % (len(part), part))
                self.wfile.write(b"0\r\nX-Trailer: 1\r\n\r\n")
                return
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
        allow_reuse_address = True
        daemon_threads = True

    S((addr, port), H).serve_forever()


def udp_server(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    while True:
        data, peer = s.recvfrom(2048)
        s.sendto(b"pong" + data, peer)


def dns_server(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    while True:
        q, peer = s.recvfrom(2048)
        if len(q) < 12:
            continue
        qid = q[:2]
        i, labels = 12, []
        while q[i]:
            labels.append(q[i + 1:i + 1 + q[i]].decode())
            i += 1 + q[i]
        qtype = struct.unpack("!H", q[i + 1:i + 3])[0]
        question = q[12:i + 5]
        name = ".".join(labels)
        if name == "ok.test" and qtype == 1:
            ans = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + \
                bytes([127, 0, 0, 1])
            hdr = qid + struct.pack("!HHHHH", 0x8180, 1, 1, 0, 0)
        else:
            ans = b""
            hdr = qid + struct.pack("!HHHHH", 0x8183, 1, 0, 0, 0)
        s.sendto(hdr + question + ans, peer)


if __name__ == "__main__":
    kind, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if kind == "http":
        http_server(addr, port, sys.argv[4])
    elif kind == "udp":
        udp_server(addr, port)
    elif kind == "dns":
        dns_server(addr, port)
    else:
        sys.exit("unknown server kind " + kind)
